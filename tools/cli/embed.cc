// runnel embed FILE.rnl --out model_data.c: the model file as a C array for flash.
//
// The engine reads tensors in place at 64-byte aligned offsets, so the array is declared
// _Alignas(64) (a plain `xxd -i` array does not guarantee it) and const (it stays in
// flash). The file is validated and loaded by the engine first; the output is written
// atomically. The ops the model uses are printed and written into the array's header
// comment as a RUNNEL_OP_MASK: a firmware built with -DRUNNEL_OP_MASK=<mask> links only
// those layers (engine/op_select.h).
#include <cinttypes>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "tools/cli/command.h"
#include "engine/format/rnl_reader.h"
#include "engine/op_select.h"
#include "tools/cli/model_loader.h"
#include "trainer/io/atomic_file.h"

namespace runnel::cli {
namespace {

struct EmbedOptions {
  std::string model;
  std::string out;
  std::string name = "runnel_model";
};

bool is_c_identifier(const std::string& s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

// The ops a model's records use: bit `code` per op (engine/op_select.h), and their names.
struct OpsUsed {
  uint64_t mask = 0;
  std::string names;
};

OpsUsed ops_used(const Model& model) {
  OpsUsed used;
  for (uint32_t i = 0; i < model.n_nodes(); ++i) {
    const rnl::Op op = model.node(i).op;
    if (used.mask & op_bit(op)) continue;
    used.mask |= op_bit(op);
    used.names += std::string(used.names.empty() ? "" : " ") + rnl::op_name(static_cast<uint32_t>(op));
  }
  return used;
}

std::string hex_mask(uint64_t mask) {
  char text[32];
  std::snprintf(text, sizeof text, "0x%016" PRIx64 "ull", mask);
  return text;
}

// The C source: `const unsigned char NAME_data[]` (64-byte aligned) and `NAME_size`.
std::string c_source(const std::string& name, const std::string& shown_path, const uint8_t* bytes, size_t size,
                     const OpsUsed& ops) {
  std::string s = "/* " + shown_path + " (" + std::to_string(size) +
                  " bytes), written by `runnel embed`. The engine reads it in place:\n"
                  " * runnel_model_load(object, object_bytes, " + name + "_data, " + name + "_size, &model).\n"
                  " * Ops: " + ops.names + ". An engine built with\n"
                  " * RUNNEL_OP_MASK " + hex_mask(ops.mask) + "\n"
                  " * (-DRUNNEL_OP_MASK=...) links only these. */\n"
                  "#include <stddef.h>\n\n"
                  "_Alignas(64) const unsigned char " + name + "_data[" + std::to_string(size) + "] = {\n";
  char hex[8];
  for (size_t i = 0; i < size; ++i) {
    std::snprintf(hex, sizeof hex, "0x%02x,", bytes[i]);
    s += (i % 16 == 0 ? "  " : " ") + std::string(hex) + (i % 16 == 15 || i + 1 == size ? "\n" : "");
  }
  s += "};\nconst size_t " + name + "_size = " + std::to_string(size) + ";\n";
  return s;
}

int run_embed(const EmbedOptions& o) {
  if (!is_c_identifier(o.name)) throw std::runtime_error("--name: '" + o.name + "' is not a C identifier");
  const LoadedModel loaded = load_model(o.model);  // validates; throws naming the file
  const OpsUsed ops = ops_used(*loaded.model);
  const std::string text = c_source(o.name, o.model, loaded.file->data(), loaded.file->size(), ops);
  io::write_file_atomically(resolve_user_path(o.out), text);
  std::printf("%s: %zu bytes -> %s (%s_data, %s_size)\nops: %s\nRUNNEL_OP_MASK=%s\n", o.model.c_str(),
              loaded.file->size(), o.out.c_str(), o.name.c_str(), o.name.c_str(), ops.names.c_str(),
              hex_mask(ops.mask).c_str());
  return 0;
}

}  // namespace

CommandRunner setup_embed(CLI::App& sub) {
  auto o = std::make_shared<EmbedOptions>();
  sub.add_option("model", o->model, "model file (.rnl)")->required();
  sub.add_option("--out", o->out, "C source to write (e.g. model_data.c)")->required();
  sub.add_option("--name", o->name, "symbol prefix: NAME_data, NAME_size (default runnel_model)");
  return [o] { return run_embed(*o); };
}

}  // namespace runnel::cli
