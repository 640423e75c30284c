// The C API over runnel::Model and runnel::Session: placement-new into caller blocks.
#include "engine/c_api/runnel.h"

#include <cstdint>
#include <new>
#include <string_view>

#include "engine/model.h"
#include "engine/numeric_input.h"
#include "engine/session.h"

struct runnel_model { runnel::Model model; };
struct runnel_session { runnel::Session session; };

namespace {

runnel_status to_c(runnel::Status s) { return static_cast<runnel_status>(s); }

// Whether a caller's object block can hold a T: each defect has its own status.
template <typename T>
runnel_status check_object(const void* object, size_t bytes) {
  if (object == nullptr) return RUNNEL_kBadArgument;
  if (reinterpret_cast<uintptr_t>(object) % alignof(T) != 0) return RUNNEL_kBufferMisaligned;
  if (bytes < sizeof(T)) return RUNNEL_kBufferTooSmall;
  return RUNNEL_kOk;
}

}  // namespace

extern "C" {

const char* runnel_status_name(runnel_status status) { return runnel::status_name(static_cast<runnel::Status>(status)); }
const char* runnel_status_message(runnel_status status) { return runnel::status_message(static_cast<runnel::Status>(status)); }

size_t runnel_model_object_bytes(void) { return sizeof(runnel_model); }

runnel_status runnel_model_load(void* object, size_t object_bytes, const void* file, size_t file_bytes,
                                runnel_model** out) {
  if (out == nullptr) return RUNNEL_kBadArgument;
  *out = nullptr;
  const runnel_status fit = check_object<runnel_model>(object, object_bytes);
  if (fit != RUNNEL_kOk) return fit;
  runnel_model* m = new (object) runnel_model();
  const runnel::Status s = m->model.load(file, file_bytes);
  if (s == runnel::Status::kOk) *out = m;
  return to_c(s);
}

size_t runnel_model_scratch_bytes(const runnel_model* m) { return m ? m->model.scratch_bytes() : 0; }
size_t runnel_model_session_bytes(const runnel_model* m) { return m ? m->model.session_bytes() : 0; }
uint32_t runnel_model_n_fields(const runnel_model* m) { return m ? m->model.file().n_vocabs() : 0; }
uint32_t runnel_model_n_numeric(const runnel_model* m) { return m ? m->model.file().n_numeric() : 0; }
uint32_t runnel_model_n_outputs(const runnel_model* m) { return m ? m->model.n_outputs() : 0; }

uint32_t runnel_model_output_width(const runnel_model* m, uint32_t k) {
  return m && k < m->model.n_outputs() ? m->model.output(k).width : 0;
}

int runnel_model_output_kind(const runnel_model* m, uint32_t k) {
  return m && k < m->model.n_outputs() ? static_cast<int>(m->model.output(k).kind) : -1;
}

int32_t runnel_model_lookup(const runnel_model* m, uint32_t field, const char* text, size_t length) {
  if (m == nullptr || text == nullptr || field >= m->model.file().n_vocabs()) return 0;
  return static_cast<int32_t>(m->model.file().vocab(field).id(std::string_view(text, length)));
}

const char* runnel_model_field_name(const runnel_model* m, uint32_t field) {
  // Names are NUL-terminated inside their 48-byte slot (the reader checks it).
  return m && field < m->model.file().n_vocabs() ? m->model.file().vocab(field).field().data() : nullptr;
}

const char* runnel_model_field_value(const runnel_model* m, uint32_t field, uint32_t id, size_t* length) {
  std::string_view s;
  if (m && field < m->model.file().n_vocabs()) s = m->model.file().vocab(field).string(id);
  if (length) *length = s.size();
  return s.empty() ? "" : s.data();
}

const char* runnel_model_output_name(const runnel_model* m, uint32_t k) {
  return m && k < m->model.file().n_heads() ? m->model.file().head_name(k).data() : nullptr;
}

int32_t runnel_model_find_output(const runnel_model* m, const char* name) {
  return m && name ? m->model.file().find_head(name) : -1;
}

int32_t runnel_model_output_field(const runnel_model* m, uint32_t k) {
  if (m == nullptr || k >= m->model.n_outputs()) return -1;
  const runnel::OutputInfo& o = m->model.output(k);
  return o.kind == runnel::rnl::OutputKind::kCategorical ? o.field : -1;
}

uint32_t runnel_model_n_numeric_columns(const runnel_model* m) { return m ? runnel::numeric_columns(m->model.file()) : 0; }

const char* runnel_model_numeric_column_name(const runnel_model* m, uint32_t k) {
  if (m == nullptr) return nullptr;
  const runnel::rnl::ModelFile& f = m->model.file();
  for (uint32_t i = 0; i < f.n_columns(); ++i)
    if (f.column(i).role == runnel::rnl::ColumnRole::kNumeric && k-- == 0) return f.column(i).name.data();
  return nullptr;
}

runnel_status runnel_model_prepare_numeric(const runnel_model* m, const float* raw, uint32_t n_raw, float* out,
                                           uint32_t n_out) {
  return m ? to_c(runnel::prepare_numeric(m->model.file(), raw, n_raw, out, n_out)) : RUNNEL_kBadArgument;
}

size_t runnel_session_object_bytes(void) { return sizeof(runnel_session); }

runnel_status runnel_session_init(void* object, size_t object_bytes, const runnel_model* m, void* memory,
                                  size_t memory_bytes, void* scratch, size_t scratch_bytes, runnel_session** out) {
  if (out == nullptr || m == nullptr) return RUNNEL_kBadArgument;
  *out = nullptr;
  const runnel_status fit = check_object<runnel_session>(object, object_bytes);
  if (fit != RUNNEL_kOk) return fit;
  runnel_session* s = new (object) runnel_session();
  const runnel::Status st = s->session.init(m->model, memory, memory_bytes, scratch, scratch_bytes);
  if (st == runnel::Status::kOk) *out = s;
  return to_c(st);
}

runnel_status runnel_session_set_static(runnel_session* s, const float* values, uint32_t n) {
  return s ? to_c(s->session.set_static(values, n)) : RUNNEL_kBadArgument;
}

runnel_status runnel_session_step(runnel_session* s, const runnel_event* e) {
  if (s == nullptr || e == nullptr) return RUNNEL_kBadArgument;
  runnel::Event event;
  event.ids = e->ids;
  event.n_ids = e->n_ids;
  event.numeric = e->numeric;
  event.n_numeric = e->n_numeric;
  event.dt = e->dt;
  return to_c(s->session.step(event));
}

void runnel_session_reset(runnel_session* s) {
  if (s) s->session.reset();
}

runnel_status runnel_session_copy(runnel_session* dst, const runnel_session* src) {
  return dst && src ? to_c(dst->session.copy_from(src->session)) : RUNNEL_kBadArgument;
}

int64_t runnel_session_events_seen(const runnel_session* s) { return s ? s->session.events_seen() : 0; }

const float* runnel_session_output(const runnel_session* s, uint32_t k) { return s ? s->session.output(k) : nullptr; }

}  // extern "C"
