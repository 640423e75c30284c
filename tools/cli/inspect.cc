// runnel inspect FILE.rnl: validate a model file and print what is in it.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "engine/format/op_rules.h"
#include "engine/format/rnl_reader.h"
#include "engine/model.h"
#include "engine/node_dispatch.h"
#include "tools/cli/command.h"
#include "tools/cli/model_loader.h"
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
  std::printf("header: version %u, header %u B, file %llu B, crc32 0x%08x\n", h.version, h.header_bytes,
              static_cast<unsigned long long>(h.file_bytes), h.file_crc32);
  std::printf("  records %u, tensors %u, vocabularies %u, numeric inputs %u, static features %u, columns %u, "
              "heads %u\n",
              h.n_records, h.n_tensors, h.n_vocabs, h.n_numeric, h.n_static, h.n_columns, h.n_heads);
  std::printf("  vocabulary blob at %llu, data section at %llu\n",
              static_cast<unsigned long long>(h.vocab_blob_offset), static_cast<unsigned long long>(h.data_offset));
}

const char* activation_name(int32_t v) {
  static const char* const names[] = {"none", "relu", "gelu_tanh", "gelu_erf", "tanh", "sigmoid"};
  return v >= 0 && v < 6 ? names[v] : "?";
}

// The name of numeric value `index` (a column, or its missing indicator).
std::string numeric_name(const rnl::ModelFile& m, int32_t index) {
  for (uint32_t i = 0; i < m.n_columns(); ++i) {
    const rnl::ColumnView c = m.column(i);
    if (c.role != rnl::ColumnRole::kNumeric) continue;
    if (static_cast<int32_t>(c.index) == index) return std::string(c.name);
    if (c.missing_indicator && static_cast<int32_t>(c.index) + 1 == index) return std::string(c.name) + ":missing";
  }
  return std::to_string(index);
}

// Hyper-parameter `value` as its type reads: a field or column name, an enum's name, a float.
std::string hp_value(const rnl::ModelFile& m, rnl::HpType type, int32_t value) {
  char text[48];
  switch (type) {
    case rnl::HpType::kF32:
      std::snprintf(text, sizeof text, "%g", static_cast<double>(rnl::hp_to_float(value)));
      return text;
    case rnl::HpType::kField:
      return value >= 0 && static_cast<uint32_t>(value) < m.n_vocabs() ? std::string(m.vocab(value).field())
                                                                       : std::to_string(value);
    case rnl::HpType::kNumeric: return value < 0 ? "-" : numeric_name(m, value);
    case rnl::HpType::kActivation: return activation_name(value);
    case rnl::HpType::kReduce: return value == 0 ? "mean" : value == 1 ? "max" : value == 2 ? "sum" : "?";
    case rnl::HpType::kPositionBias: return value == 0 ? "none" : value == 1 ? "relative" : value == 2 ? "alibi" : "?";
    case rnl::HpType::kOutputKind: return value == 0 ? "categorical" : value == 1 ? "regression" : "?";
    case rnl::HpType::kInt:
    case rnl::HpType::kStatic: break;
  }
  return std::to_string(value);
}

// The hyper-parameters by name ("d=32 field=location"); unused ones (and n_fields, which
// the field list shows) left out, like -1 ("none") indices.
std::string hp_string(const rnl::ModelFile& m, const rnl::RnlRecord& r) {
  std::vector<std::string> parts;
  for (uint32_t k = 0; k < rnl::kRecordParams; ++k) {
    const rnl::HpInfo* info = rnl::hp_info(r.op, k);
    if (info == nullptr || std::strcmp(info->name, "n_fields") == 0) continue;
    if (info->type == rnl::HpType::kField && (r.hp[k] < 0 || (r.op == static_cast<uint32_t>(rnl::Op::kEmbed) &&
                                                              static_cast<int32_t>(k) > r.hp[0])))
      continue;
    if (info->type == rnl::HpType::kNumeric && r.hp[k] < 0) continue;
    if (info->type == rnl::HpType::kF32 && r.hp[k] == 0) continue;
    parts.push_back(std::string(info->name) + "=" + hp_value(m, info->type, r.hp[k]));
  }
  return join(parts, " ");
}

// The head named by a kOutput record, or "".
std::string head_of(const rnl::ModelFile& m, uint32_t record) {
  for (uint32_t k = 0; k < m.n_heads(); ++k)
    if (m.head_record(k) == record) return std::string(m.head_name(k));
  return "";
}

void print_graph(const rnl::ModelFile& m) {
  std::printf("graph (%u records):\n", m.n_records());
  std::printf("  %4s  %-18s  %-14s  %-36s  %6s  %s\n", "#", "op", "inputs", "hyper-parameters", "width", "tensors");
  for (uint32_t i = 0; i < m.n_records(); ++i) {
    const rnl::RnlRecord& r = m.record(i);
    std::vector<std::string> inputs, tensors;
    for (uint32_t k = 0; k < r.n_inputs; ++k) inputs.push_back(std::to_string(r.in[k]));
    for (uint32_t s = 0; s < rnl::kRecordTensors; ++s)
      if (r.tensor[s] != rnl::kNoRef) tensors.emplace_back(m.tensor(r.tensor[s]).name);
    std::string hp = hp_string(m, r);
    if (r.op == static_cast<uint32_t>(rnl::Op::kOutput)) hp = "head=" + head_of(m, i) + " " + hp;
    std::printf("  %4u  %-18s  %-14s  %-36s  %6u  %s\n", i, rnl::op_name(r.op), join(inputs, ",").c_str(), hp.c_str(),
                m.output_width(i), join(tensors, ", ").c_str());
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
    std::printf("  %4u  %-24.*s  %u ids (0 = unknown)%s\n", f, static_cast<int>(v.field().size()), v.field().data(),
                v.size(), v.kind() == rnl::VocabKind::kClassLabels ? ", class labels (not an event column)" : "");
  }
}

// The input schema: which CSV columns `runnel run` reads and what it does with them.
void print_columns(const rnl::ModelFile& m) {
  std::printf("input columns (%u, besides the categorical fields above):\n", m.n_columns());
  for (uint32_t i = 0; i < m.n_columns(); ++i) {
    const rnl::ColumnView c = m.column(i);
    const std::string name(c.name);
    switch (c.role) {
      case rnl::ColumnRole::kEntity: std::printf("  entity   %s\n", name.c_str()); break;
      case rnl::ColumnRole::kTime: std::printf("  time     %s (unix seconds or ISO-8601)\n", name.c_str()); break;
      case rnl::ColumnRole::kNumeric:
      case rnl::ColumnRole::kStatic:
        std::printf("  %-8s %-24s %s%s, mean %g, std %g%s -> %s %u\n",
                    c.role == rnl::ColumnRole::kNumeric ? "numeric" : "static", name.c_str(),
                    c.transform == rnl::Transform::kLog1p ? "log1p then " : "", "standardise",
                    static_cast<double>(c.mean), static_cast<double>(c.std),
                    c.missing_indicator ? ", missing indicator" : "",
                    c.role == rnl::ColumnRole::kNumeric ? "value" : "static feature", c.index);
        break;
    }
  }
}

void print_heads(const rnl::ModelFile& m) {
  std::printf("heads (%u):\n", m.n_heads());
  for (uint32_t k = 0; k < m.n_heads(); ++k) {
    const rnl::RnlRecord& r = m.record(m.head_record(k));
    const bool categorical = r.hp[0] == static_cast<int32_t>(rnl::OutputKind::kCategorical);
    const std::string name(m.head_name(k));
    if (categorical)
      std::printf("  %4u  %-24s categorical over %s (%u ids)\n", k, name.c_str(),
                  hp_value(m, rnl::HpType::kField, r.hp[1]).c_str(), m.output_width(m.head_record(k)));
    else
      std::printf("  %4u  %-24s regression%s%s, output = %g * x + %g\n", k, name.c_str(),
                  r.hp[2] >= 0 ? " of " : "", r.hp[2] >= 0 ? numeric_name(m, r.hp[2]).c_str() : "",
                  static_cast<double>(rnl::hp_to_float(r.hp[3])), static_cast<double>(rnl::hp_to_float(r.hp[4])));
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
    std::fprintf(stderr, "runnel: error: %s\n", model_error(shown_path, buffer.data(), buffer.size(), s).c_str());
    return 1;
  }
  std::printf("%s\n", shown_path.c_str());
  print_header(*model);
  print_graph(*model);
  print_tensors(*model);
  print_vocabularies(*model);
  print_columns(*model);
  print_heads(*model);
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
