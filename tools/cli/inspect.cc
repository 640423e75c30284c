// runnel inspect FILE.rnl: validate a model file and print what is in it.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "engine/format/rnl_reader.h"
#include "engine/model.h"
#include "engine/node_dispatch.h"
#include "tools/cli/command.h"
#include "tools/util/aligned_bytes.h"

namespace runnel::cli {
namespace {

std::string join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : separator) + p;
  return out.empty() ? "-" : out;
}

std::string shape_string(const rnl::TensorView& t) {
  std::vector<std::string> dims;
  for (uint32_t a = 0; a < t.rank; ++a) dims.push_back(std::to_string(t.shape[a]));
  return "[" + join(dims, ", ") + "]";
}

void print_header(const rnl::ModelFile& m) {
  const rnl::RnlHeader& h = m.header();
  std::printf("header: version %u, header %u B, file %llu B, payload crc32 0x%08x\n", h.version, h.header_bytes,
              static_cast<unsigned long long>(h.file_bytes), h.payload_crc32);
  std::printf("  records %u, tensors %u, vocabularies %u, numeric inputs %u, static features %u\n",
              h.n_records, h.n_tensors, h.n_vocabs, h.n_numeric, h.n_static);
  std::printf("  vocabulary blob at %llu, data section at %llu\n",
              static_cast<unsigned long long>(h.vocab_blob_offset), static_cast<unsigned long long>(h.data_offset));
}

// Non-zero hyper-parameters as "hpK=value"; float-bit ones as floats.
std::string hp_string(const rnl::RnlRecord& r) {
  std::vector<std::string> parts;
  for (uint32_t k = 0; k < rnl::kRecordParams; ++k) {
    if (r.hp[k] == 0) continue;
    char text[48];
    if (rnl::hp_is_float(r.op, k))
      std::snprintf(text, sizeof text, "hp%u=%g", k, static_cast<double>(rnl::hp_to_float(r.hp[k])));
    else
      std::snprintf(text, sizeof text, "hp%u=%d", k, r.hp[k]);
    parts.push_back(text);
  }
  return join(parts, " ");
}

void print_graph(const rnl::ModelFile& m) {
  std::printf("graph (%u records):\n", m.n_records());
  std::printf("  %4s  %-18s  %-14s  %-22s  %6s  %s\n", "#", "op", "inputs", "hp", "width", "tensors");
  for (uint32_t i = 0; i < m.n_records(); ++i) {
    const rnl::RnlRecord& r = m.record(i);
    std::vector<std::string> inputs, tensors;
    for (uint32_t k = 0; k < r.n_inputs; ++k) inputs.push_back(std::to_string(r.in[k]));
    for (uint32_t s = 0; s < rnl::kRecordTensors; ++s)
      if (r.tensor[s] != rnl::kNoRef) tensors.emplace_back(m.tensor(r.tensor[s]).name);
    std::printf("  %4u  %-18s  %-14s  %-22s  %6u  %s\n", i, rnl::op_name(r.op), join(inputs, ",").c_str(),
                hp_string(r).c_str(), m.output_width(i), join(tensors, ", ").c_str());
  }
}

void print_tensors(const rnl::ModelFile& m) {
  uint64_t total = 0;
  std::printf("tensors (%u):\n", m.n_tensors());
  std::printf("  %4s  %-40s  %-5s  %-18s  %10s  %10s\n", "#", "name", "dtype", "shape", "bytes", "offset");
  for (uint32_t i = 0; i < m.n_tensors(); ++i) {
    const rnl::TensorView t = m.tensor(i);
    const uint64_t bytes = t.elements * sizeof(float);
    total += bytes;
    const uint64_t offset = reinterpret_cast<const uint8_t*>(t.data) - reinterpret_cast<const uint8_t*>(&m.header());
    std::printf("  %4u  %-40.*s  %-5s  %-18s  %10llu  %10llu\n", i, static_cast<int>(t.name.size()), t.name.data(),
                "f32", shape_string(t).c_str(), static_cast<unsigned long long>(bytes),
                static_cast<unsigned long long>(offset));
  }
  std::printf("  weights: %llu bytes\n", static_cast<unsigned long long>(total));
}

void print_vocabularies(const rnl::ModelFile& m) {
  std::printf("vocabularies (%u):\n", m.n_vocabs());
  for (uint32_t f = 0; f < m.n_vocabs(); ++f) {
    const rnl::VocabView v = m.vocab(f);
    std::printf("  %4u  %-24.*s  %u ids (0 = unknown)\n", f, static_cast<int>(v.field().size()), v.field().data(),
                v.size());
  }
}

// What the engine asks of the caller before the first event: the shared scratch arena
// and the bytes of one session (per entity), with each stateful layer's share.
void print_memory_plan(const AlignedBytes& buffer) {
  const auto model = std::make_unique<Model>();
  const Status s = model->load(buffer.data(), buffer.size());
  if (s != Status::kOk) {
    std::printf("memory plan: unavailable (%s)\n", status_name(s));
    return;
  }
  std::printf("memory plan:\n");
  std::printf("  scratch arena (shared by the sessions of one thread): %zu bytes\n", model->scratch_bytes());
  std::printf("  per session: %zu bytes (header 64, static features %zu, layer state %zu, outputs %zu)\n",
              model->session_bytes(), model->state_offset() - model->statics_offset(),
              model->outputs_offset() - model->state_offset(), model->session_bytes() - model->outputs_offset());
  for (uint32_t i = 0; i < model->n_nodes(); ++i) {
    const size_t floats = visit_layer(model->node(i), [](const auto& l) { return l.state_floats(); });
    if (floats > 0)
      std::printf("    record %u %-16s state %zu bytes\n", i, rnl::op_name(static_cast<uint32_t>(model->node(i).op)),
                  floats * sizeof(float));
  }
  if (model->max_events() >= 0)
    std::printf("  stream limit: %lld events (learned absolute positions)\n", static_cast<long long>(model->max_events()));
}

int inspect(const std::string& shown_path) {
  const std::string path = resolve_user_path(shown_path);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "runnel: error: %s: cannot open: %s\n", shown_path.c_str(), std::strerror(errno));
    return 1;
  }
  const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const AlignedBytes buffer(bytes);
  const auto model = std::make_unique<rnl::ModelFile>();
  const Status s = rnl::open(buffer.data(), buffer.size(), model.get());
  if (s != Status::kOk) {
    std::fprintf(stderr, "runnel: error: %s: %s: %s\n", shown_path.c_str(), status_name(s), status_message(s));
    return 1;
  }
  std::printf("%s\n", shown_path.c_str());
  print_header(*model);
  print_graph(*model);
  print_tensors(*model);
  print_vocabularies(*model);
  print_memory_plan(buffer);
  std::printf("total: %zu bytes\n", bytes.size());
  return 0;
}

}  // namespace

CommandRunner setup_inspect(CLI::App& sub) {
  auto path = std::make_shared<std::string>();
  sub.add_option("file", *path, "model file (.rnl)")->required();
  return [path] { return inspect(*path); };
}

}  // namespace runnel::cli
