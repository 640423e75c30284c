#include "engine/session.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "engine/cache_line.h"
#include "engine/layers/support/layer_util.h"
#include "engine/node_dispatch.h"

namespace runnel {
namespace {

// The first line (kLineBytes) of a session's memory.
struct SessionHeader {
  uint32_t model_crc;   // payload CRC of the model, to refuse copies across models
  uint32_t reserved;
  int64_t t;            // events seen
};
static_assert(sizeof(SessionHeader) <= kLineBytes, "session header fits its line");

SessionHeader* header_of(unsigned char* memory) { return reinterpret_cast<SessionHeader*>(memory); }

// Finite weights and finite inputs can still overflow (1e30 through a large weight); a
// NaN in the outputs is reported rather than handed on as a prediction. Cost: one pass
// over the output floats per step.
Status check_outputs(const Model& model, const float* outputs) {
  for (uint32_t k = 0; k < model.n_outputs(); ++k) {
    const OutputInfo& o = model.output(k);
    const float* x = outputs + o.offset;
    for (uint32_t i = 0; i < o.width; ++i)
      if (!std::isfinite(x[i])) return Status::kNonFiniteOutput;
  }
  return Status::kOk;
}

}  // namespace

Status Session::init(const Model& model, void* memory, size_t memory_bytes, void* scratch,
                     size_t scratch_bytes) {
  if (!model.loaded() || memory == nullptr || scratch == nullptr) return Status::kBadArgument;
  if (!is_line_aligned(memory) || !is_line_aligned(scratch)) return Status::kBufferMisaligned;
  if (memory_bytes < model.session_bytes() || scratch_bytes < model.scratch_bytes()) return Status::kBufferTooSmall;
  model_ = &model;
  memory_ = static_cast<unsigned char*>(memory);
  scratch_ = static_cast<float*>(scratch);
  memory_bytes_ = memory_bytes;
  scratch_bytes_ = scratch_bytes;
  model_crc_ = model.file().header().file_crc32;
  std::memset(memory_, 0, model.session_bytes());
  header_of(memory_)->model_crc = model_crc_;
  reset();
  return Status::kOk;
}

// Every entry point checks this first: a few compares per call, cheap next to a step.
// The memory header's CRC is checked too (a block overwritten with another model's
// session would otherwise be stepped as this one's).
Status Session::bound() const {
  if (model_ == nullptr) return Status::kBadArgument;
  if (!model_->loaded() || model_->file().header().file_crc32 != model_crc_ ||
      model_->session_bytes() > memory_bytes_ || model_->scratch_bytes() > scratch_bytes_ ||
      header_of(memory_)->model_crc != model_crc_)
    return Status::kModelMismatch;
  return Status::kOk;
}

float* Session::states() const { return reinterpret_cast<float*>(memory_ + model_->state_offset()); }

void Session::reset() {
  if (bound() != Status::kOk) return;
  header_of(memory_)->t = 0;
  float* state = states();
  for (uint32_t i = 0; i < model_->n_nodes(); ++i) {
    const Node& node = model_->node(i);
    visit_layer(node, [&](const auto& l) { l.reset(state + node.state_offset); return 0; });
  }
  std::memset(memory_ + model_->outputs_offset(), 0, model_->session_bytes() - model_->outputs_offset());
}

Status Session::set_static(const float* values, uint32_t n) {
  const Status b = bound();
  if (b != Status::kOk) return b;
  if (n != model_->file().n_static() || (n > 0 && values == nullptr)) return Status::kBadArgument;
  for (uint32_t i = 0; i < n; ++i)
    if (!std::isfinite(values[i])) return Status::kNonFinite;
  if (n > 0) std::memcpy(memory_ + model_->statics_offset(), values, n * sizeof(float));
  return Status::kOk;
}

Status Session::check_event(const Event& e) const {
  const rnl::ModelFile& file = model_->file();
  if (e.n_ids < static_cast<int>(file.n_vocabs()) || (e.n_ids > 0 && e.ids == nullptr)) return Status::kBadArgument;
  if (e.n_numeric < static_cast<int>(file.n_numeric()) || (e.n_numeric > 0 && e.numeric == nullptr))
    return Status::kBadArgument;
  for (uint32_t f = 0; f < file.n_vocabs(); ++f)
    if (e.ids[f] < 0 || static_cast<uint32_t>(e.ids[f]) >= file.vocab(f).size()) return Status::kIdOutOfRange;
  for (uint32_t k = 0; k < file.n_numeric(); ++k)
    if (!std::isfinite(e.numeric[k])) return Status::kNonFinite;
  if (!layers::double_is_finite(e.dt)) return Status::kNonFinite;
  if (layers::double_is_below_zero(e.dt)) return Status::kNegativeDt;
  if (model_->max_events() >= 0 && events_seen() >= model_->max_events()) return Status::kPositionOutOfRange;
  return Status::kOk;
}

Status Session::step(const Event& event) {
  const Status b = bound();
  if (b != Status::kOk) return b;
  const Status ok = check_event(event);
  if (ok != Status::kOk) return ok;

  SessionHeader* h = header_of(memory_);
  float* state = states();
  float* outputs = reinterpret_cast<float*>(memory_ + model_->outputs_offset());
  float* layer_scratch = scratch_ + model_->layer_scratch_offset_;
  StepArgs args;
  args.t = h->t;
  args.event = &event;
  args.statics = reinterpret_cast<const float*>(memory_ + model_->statics_offset());
  const float* inputs[rnl::kRecordInputs];
  args.in = inputs;

  for (uint32_t i = 0; i < model_->n_nodes(); ++i) {
    const Node& node = model_->node(i);
    for (uint32_t k = 0; k < node.n_in; ++k) {
      const Node& src = model_->node(node.in[k]);
      inputs[k] = (src.op == rnl::Op::kOutput ? outputs : scratch_) + src.out_offset;
    }
    args.n_in = static_cast<int>(node.n_in);
    float* out = (node.op == rnl::Op::kOutput ? outputs : scratch_) + node.out_offset;
    // After check_event() and load()'s validation no layer can fail; a failure here
    // would be an engine bug, reported rather than ignored.
    const Status s = visit_layer(node, [&](const auto& l) {
      return l.step(args, state + node.state_offset, layer_scratch, out);
    });
    if (s != Status::kOk) return s;
  }
  ++h->t;
  return check_outputs(*model_, outputs);
}

Status Session::copy_from(const Session& other) {
  const Status a = bound(), b = other.bound();
  if (a != Status::kOk) return a;
  if (b != Status::kOk) return b;
  if (other.model_crc_ != model_crc_ ||
      other.model_->session_bytes() != model_->session_bytes())
    return Status::kModelMismatch;
  if (other.memory_ != memory_) std::memcpy(memory_, other.memory_, model_->session_bytes());
  return Status::kOk;
}

int64_t Session::events_seen() const { return bound() != Status::kOk ? 0 : header_of(memory_)->t; }

const float* Session::output(uint32_t k) const {
  if (bound() != Status::kOk || k >= model_->n_outputs()) return nullptr;
  return reinterpret_cast<const float*>(memory_ + model_->outputs_offset()) + model_->output(k).offset;
}

}  // namespace runnel
