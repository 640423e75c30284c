#include "tools/testdata/hostile_models.h"

#include "engine/format/rnl_reader.h"

namespace runnel {
namespace testdata {
namespace {

using rnl::Op;

constexpr uint32_t kDecays = 128;

std::vector<int32_t> embed_hp(int32_t field, int32_t d) {
  std::vector<int32_t> hp(rnl::kRecordParams, 0);
  hp[0] = 1;
  hp[1] = field;
  hp[9] = d;
  return hp;
}

void entity_and_time(rnl::RnlWriter& w) {
  w.add_name_column(rnl::ColumnRole::kEntity, "entity");
  w.add_name_column(rnl::ColumnRole::kTime, "time");
}

}  // namespace

rnl::RnlWriter huge_session_model() {
  rnl::RnlWriter w;
  entity_and_time(w);
  w.add_vocab("A", {"a", "b"});
  const uint32_t head_in = w.add_record(Op::kEmbed, {}, embed_hp(0, 3), {w.add_tensor("head.embed", {3, 3}, std::vector<float>(9, 0.25f))});
  const uint32_t out = w.add_record(Op::kOutput, {head_in}, {0, 0, -1}, {});
  w.name_output(out, "a");
  // 16 * 8^5 * 2 = 2^20 wide, without any tensor of that size.
  uint32_t wide = w.add_record(Op::kEmbed, {}, embed_hp(0, 16), {w.add_tensor("wide.embed", {3, 16}, std::vector<float>(48, 0.5f))});
  for (int level = 0; level < 5; ++level) wide = w.add_record(Op::kConcat, std::vector<uint32_t>(8, wide), {}, {});
  wide = w.add_record(Op::kConcat, {wide, wide}, {}, {});
  for (uint32_t i = 0; i < kDecays; ++i)
    wide = w.add_record(Op::kLinearDecay, {wide}, {static_cast<int32_t>(rnl::kMaxWindow)}, {});
  return w;
}

uint64_t huge_session_bytes() {
  // 64-byte header, no statics, kDecays states of W x 2^20 floats, one output line.
  return 64 + uint64_t{kDecays} * rnl::kMaxWindow * (uint64_t{1} << 20) * 4 + 64;
}

rnl::RnlWriter overflowing_model() {
  rnl::RnlWriter w;
  entity_and_time(w);
  w.add_vocab("Kind", {"x", "y"});
  w.set_n_static(1);
  w.add_value_column(rnl::ColumnRole::kStatic, "size", rnl::Transform::kNone, false, 0.0f, 1.0f);
  const uint32_t e = w.add_record(Op::kEmbed, {}, embed_hp(0, 3), {w.add_tensor("embed", {3, 3}, std::vector<float>(9, 0.1f))});
  const uint32_t kind = w.add_record(Op::kOutput, {e}, {0, 0, -1}, {});
  w.name_output(kind, "kind");
  const uint32_t s = w.add_record(Op::kStaticInput, {}, {0, 1}, {});
  const uint32_t big = w.add_record(Op::kDense, {s}, {static_cast<int32_t>(rnl::Activation::kNone)},
                                    {w.add_tensor("big.w", {1, 1}, {1e30f}), w.add_tensor("big.b", {1}, {0.0f})});
  const uint32_t value = w.add_record(Op::kOutput, {big}, {1, -1, -1, rnl::float_to_hp(1.0f), rnl::float_to_hp(0.0f)}, {});
  w.name_output(value, "value");
  return w;
}

rnl::RnlWriter unknown_only_model() {
  rnl::RnlWriter w;
  entity_and_time(w);
  w.add_vocab("Kind", {});
  const uint32_t e = w.add_record(Op::kEmbed, {}, embed_hp(0, 1), {w.add_tensor("embed", {1, 1}, {0.5f})});
  const uint32_t out = w.add_record(Op::kOutput, {e}, {0, 0, -1}, {});
  w.name_output(out, "kind");
  return w;
}

std::vector<SampleModel> hostile_models() {
  return {{"huge_session", huge_session_model()},
          {"overflowing", overflowing_model()},
          {"unknown_only", unknown_only_model()}};
}

}  // namespace testdata
}  // namespace runnel
