// Writer -> bytes -> reader: everything written comes back, read in place.
#define BOOST_TEST_MODULE format_roundtrip
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "engine/format/crc32.h"
#include "engine/format/rnl_reader.h"
#include "tests/printing.h"
#include "tools/testdata/sample_models.h"
#include "tools/util/aligned_bytes.h"
#include "trainer/export/rnl_writer.h"

namespace rnl = runnel::rnl;
using runnel::AlignedBytes;
using runnel::Status;

namespace {

std::vector<float> iota(size_t n, float start) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = start + static_cast<float>(i);
  return v;
}

// A dense classifier over two embedded fields and two numeric values.
rnl::RnlWriter small_model() {
  rnl::RnlWriter w;
  w.add_vocab("Colour", {"red", "green", "blue"});
  w.add_vocab("Shape", {"square", "circle"});
  w.set_n_numeric(2);
  w.set_n_static(1);
  const uint32_t colour = w.add_tensor("embed.colour", {4, 3}, iota(12, 0.0f));
  const uint32_t shape = w.add_tensor("embed.shape", {3, 3}, iota(9, 100.0f));
  const uint32_t dense_w = w.add_tensor("dense.w", {4, 3}, iota(12, -6.0f));
  const uint32_t dense_b = w.add_tensor("dense.b", {4}, iota(4, 0.5f));
  const uint32_t e = w.add_record(rnl::Op::kEmbed, {}, {2, 0, 1, 0, 0, 0, 0, 0, 0, 3}, {colour, shape});
  const uint32_t h = w.add_record(rnl::Op::kDense, {e}, {static_cast<int32_t>(rnl::Activation::kRelu)},
                                  {dense_w, dense_b});
  w.add_record(rnl::Op::kOutput, {h}, {0, 0, -1}, {});
  return w;
}

struct Opened {
  explicit Opened(const std::vector<uint8_t>& bytes) : buffer(bytes), model(new rnl::ModelFile) {
    status = rnl::open(buffer.data(), buffer.size(), model.get());
  }
  AlignedBytes buffer;
  std::unique_ptr<rnl::ModelFile> model;
  Status status;
};

}  // namespace

BOOST_AUTO_TEST_CASE(crc32_matches_the_standard_check_value) {
  BOOST_TEST(rnl::crc32("123456789", 9) == 0xCBF43926u);
  BOOST_TEST(rnl::crc32_update(rnl::crc32("1234", 4), "56789", 5) == 0xCBF43926u);
}

BOOST_AUTO_TEST_CASE(header_counts_and_layout) {
  const std::vector<uint8_t> bytes = small_model().bytes();
  Opened f(bytes);
  BOOST_REQUIRE(f.status == Status::kOk);
  const rnl::RnlHeader& h = f.model->header();
  BOOST_TEST(h.magic == rnl::kMagic);
  BOOST_TEST(h.version == rnl::kVersion);
  BOOST_TEST(h.file_bytes == bytes.size());
  BOOST_TEST(h.data_offset % rnl::kAlignment == 0u);
  BOOST_TEST(f.model->n_records() == 3u);
  BOOST_TEST(f.model->n_tensors() == 4u);
  BOOST_TEST(f.model->n_vocabs() == 2u);
  BOOST_TEST(f.model->n_numeric() == 2u);
  BOOST_TEST(f.model->n_static() == 1u);
}

BOOST_AUTO_TEST_CASE(tensors_come_back_in_place) {
  Opened f(small_model().bytes());
  BOOST_REQUIRE(f.status == Status::kOk);
  const rnl::TensorView shape = f.model->tensor(1);
  BOOST_TEST(shape.name == "embed.shape");
  BOOST_TEST(shape.rank == 2u);
  BOOST_TEST(shape.shape[0] == 3u);
  BOOST_TEST(shape.shape[1] == 3u);
  BOOST_TEST(shape.elements == 9u);
  const std::vector<float> expected = iota(9, 100.0f);
  BOOST_TEST(std::vector<float>(shape.data, shape.data + 9) == expected, boost::test_tools::per_element());
  for (uint32_t i = 0; i < f.model->n_tensors(); ++i) {
    const rnl::TensorView t = f.model->tensor(i);
    const uint8_t* p = reinterpret_cast<const uint8_t*>(t.data);
    BOOST_TEST(reinterpret_cast<uintptr_t>(p) % 64 == 0u);   // zero-copy and aligned
    BOOST_TEST((p >= f.buffer.data() && p + t.elements * 4 <= f.buffer.data() + f.buffer.size()));
  }
  BOOST_TEST(f.model->find_tensor("dense.w") == 2);
  BOOST_TEST(f.model->find_tensor("dense") == -1);
  BOOST_TEST(f.model->find_tensor("") == -1);
}

BOOST_AUTO_TEST_CASE(records_and_output_widths) {
  Opened f(small_model().bytes());
  BOOST_REQUIRE(f.status == Status::kOk);
  BOOST_TEST(f.model->op(0) == rnl::Op::kEmbed);
  BOOST_TEST(f.model->op(1) == rnl::Op::kDense);
  BOOST_TEST(f.model->record(1).in[0] == 0u);
  BOOST_TEST(f.model->record(1).in[1] == rnl::kNoRef);
  BOOST_TEST(f.model->record(1).tensor[1] == 3u);
  BOOST_TEST(f.model->record(1).tensor[2] == rnl::kNoRef);
  BOOST_TEST(f.model->record_tensor(1, 0).name == "dense.w");
  BOOST_TEST(f.model->record_tensor(1, 1).elements == 4u);
  BOOST_TEST(f.model->record_tensor(1, 2).data == nullptr);
  BOOST_TEST(f.model->output_width(0) == 3u);
  BOOST_TEST(f.model->output_width(1) == 4u);
  BOOST_TEST(f.model->output_width(2) == 4u);
  BOOST_TEST(std::string(rnl::op_name(static_cast<uint32_t>(rnl::Op::kSelfAttention))) == "kSelfAttention");
  BOOST_TEST(std::string(rnl::op_name(999)) == "unknown");
}

BOOST_AUTO_TEST_CASE(vocabularies_both_ways) {
  Opened f(small_model().bytes());
  BOOST_REQUIRE(f.status == Status::kOk);
  const rnl::VocabView colour = f.model->vocab(0);
  BOOST_TEST(colour.field() == "Colour");
  BOOST_TEST(colour.size() == 4u);
  BOOST_TEST(colour.string(0) == "");
  BOOST_TEST(colour.string(1) == "red");
  BOOST_TEST(colour.string(3) == "blue");
  BOOST_TEST(colour.string(4) == "");            // outside: empty, no read
  BOOST_TEST(colour.id("green") == 2u);
  BOOST_TEST(colour.id("purple") == 0u);         // unknown -> 0
  BOOST_TEST(colour.id("") == 0u);
  BOOST_TEST(colour.id("re") == 0u);
  BOOST_TEST(f.model->vocab(1).id("circle") == 2u);
  BOOST_TEST(f.model->find_vocab("Shape") == 1);
  BOOST_TEST(f.model->find_vocab("Size") == -1);
}

// Version 2: the file describes its inputs (columns) and names its outputs (heads).
rnl::RnlWriter described_model() {
  rnl::RnlWriter w = small_model();
  w.add_vocab("label", {"yes", "no"}, rnl::VocabKind::kClassLabels);
  w.add_name_column(rnl::ColumnRole::kEntity, "user");
  w.add_name_column(rnl::ColumnRole::kTime, "ts");
  w.add_value_column(rnl::ColumnRole::kNumeric, "size", rnl::Transform::kLog1p, true, 2.5f, 0.5f);
  w.add_value_column(rnl::ColumnRole::kStatic, "age", rnl::Transform::kNone, false, 40.0f, 10.0f);
  w.name_output(2, "colour_next");
  return w;
}

BOOST_AUTO_TEST_CASE(columns_heads_and_vocab_kinds_round_trip) {
  Opened f(described_model().bytes());
  BOOST_REQUIRE(f.status == Status::kOk);
  const rnl::ModelFile& m = *f.model;
  BOOST_TEST(m.n_columns() == 4u);
  BOOST_TEST(m.column(0).name == "user");
  BOOST_TEST(m.column(0).role == rnl::ColumnRole::kEntity);
  BOOST_TEST(m.column(1).name == "ts");
  BOOST_TEST(m.find_column(rnl::ColumnRole::kTime) == 1);
  const rnl::ColumnView size = m.column(2);
  BOOST_TEST(size.name == "size");
  BOOST_TEST(size.role == rnl::ColumnRole::kNumeric);
  BOOST_TEST(size.transform == rnl::Transform::kLog1p);
  BOOST_TEST(size.missing_indicator);
  BOOST_TEST(size.index == 0u);
  BOOST_TEST(size.mean == 2.5f);
  BOOST_TEST(size.std == 0.5f);
  BOOST_TEST(m.column(3).role == rnl::ColumnRole::kStatic);
  BOOST_TEST(m.column(3).mean == 40.0f);
  BOOST_TEST(m.n_heads() == 1u);
  BOOST_TEST(m.head_name(0) == "colour_next");
  BOOST_TEST(m.head_record(0) == 2u);
  BOOST_TEST(m.find_head("colour_next") == 0);
  BOOST_TEST(m.find_head("colour") == -1);
  BOOST_TEST(m.vocab(0).kind() == rnl::VocabKind::kEventField);
  BOOST_TEST(m.vocab(2).kind() == rnl::VocabKind::kClassLabels);
}

BOOST_AUTO_TEST_CASE(undeclared_values_get_untransformed_columns_and_outputs_default_names) {
  Opened f(small_model().bytes());
  BOOST_REQUIRE(f.status == Status::kOk);
  BOOST_TEST(f.model->n_columns() == 3u);   // numeric0, numeric1, static0
  BOOST_TEST(f.model->column(1).name == "numeric1");
  BOOST_TEST(f.model->column(1).index == 1u);
  BOOST_TEST(f.model->column(1).std == 1.0f);
  BOOST_TEST(f.model->column(2).name == "static0");
  BOOST_TEST(f.model->head_name(0) == "output0");
}

BOOST_AUTO_TEST_CASE(the_crc_covers_the_header) {
  std::vector<uint8_t> bytes = small_model().bytes();
  uint32_t stored;
  std::memcpy(&stored, bytes.data() + offsetof(rnl::RnlHeader, file_crc32), sizeof stored);
  std::vector<uint8_t> zeroed = bytes;
  std::memset(zeroed.data() + offsetof(rnl::RnlHeader, file_crc32), 0, 4);
  BOOST_TEST(stored == rnl::crc32(zeroed.data(), zeroed.size()));
  bytes[offsetof(rnl::RnlHeader, reserved)] ^= 1;   // a header byte no other rule reads first
  BOOST_TEST(Opened(bytes).status == Status::kCrcMismatch);
}

BOOST_AUTO_TEST_CASE(float_hyper_parameters_round_trip) {
  BOOST_TEST(rnl::hp_to_float(rnl::float_to_hp(1e-5f)) == 1e-5f);
  BOOST_TEST(rnl::hp_to_float(rnl::float_to_hp(-0.25f)) == -0.25f);
}

BOOST_AUTO_TEST_CASE(sample_models_are_valid_and_deterministic) {
  for (const auto& sample : runnel::testdata::sample_models()) {
    BOOST_TEST_CONTEXT(sample.name) {
      const std::vector<uint8_t> bytes = sample.writer.bytes();
      Opened f(bytes);
      BOOST_TEST(f.status == Status::kOk);
      BOOST_TEST(bytes == sample.writer.bytes());
    }
  }
  BOOST_TEST(runnel::testdata::two_stream_model().bytes() == runnel::testdata::two_stream_model().bytes());
}

BOOST_AUTO_TEST_CASE(a_buffer_larger_than_the_file_is_accepted) {
  std::vector<uint8_t> bytes = small_model().bytes();
  const size_t file_size = bytes.size();
  bytes.resize(file_size + 1000, 0xAB);
  Opened f(bytes);
  BOOST_TEST(f.status == Status::kOk);
  BOOST_TEST(f.model->file_bytes() == file_size);
}

BOOST_AUTO_TEST_CASE(write_file_is_atomic_and_reads_back) {
  const std::string path = std::string(std::getenv("TEST_TMPDIR") ? std::getenv("TEST_TMPDIR") : "/tmp") +
                           "/roundtrip.rnl";
  small_model().write_file(path);
  std::ifstream in(path, std::ios::binary);
  const std::vector<uint8_t> read((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  BOOST_TEST(read == small_model().bytes());
  std::remove(path.c_str());
}

BOOST_AUTO_TEST_CASE(write_file_refuses_an_invalid_model_and_names_the_path) {
  rnl::RnlWriter w = small_model();
  w.add_record(rnl::Op::kAdd, {0, 1}, {}, {});   // widths 3 and 4
  try {
    w.write_file("/nonexistent-dir/bad.rnl");
    BOOST_FAIL("no exception");
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find("/nonexistent-dir/bad.rnl") != std::string::npos);
    BOOST_TEST(what.find("kShapeMismatch") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(write_file_io_error_names_the_path_and_leaves_nothing) {
  try {
    small_model().write_file("/nonexistent-dir/model.rnl");
    BOOST_FAIL("no exception");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string(e.what()).find("/nonexistent-dir/model.rnl") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(writer_rejects_programming_errors) {
  rnl::RnlWriter w;
  BOOST_CHECK_THROW(w.add_tensor("x", {2, 2}, {1.0f}), std::invalid_argument);
  BOOST_CHECK_THROW(w.add_tensor(std::string(48, 'n'), {1}, {1.0f}), std::invalid_argument);
  BOOST_CHECK_THROW(w.add_tensor("", {1}, {1.0f}), std::invalid_argument);
  BOOST_CHECK_THROW(w.add_tensor("x", {1, 1, 1, 1, 1}, {1.0f}), std::invalid_argument);
  BOOST_CHECK_THROW(w.add_vocab("f", {"a", "a"}), std::invalid_argument);
  BOOST_CHECK_THROW(w.add_vocab("f", {"a", ""}), std::invalid_argument);
  BOOST_CHECK_THROW(w.add_record(rnl::Op::kConcat, std::vector<uint32_t>(9, 0), {}, {}), std::invalid_argument);
  BOOST_CHECK_THROW(w.add_name_column(rnl::ColumnRole::kNumeric, "x"), std::invalid_argument);
  BOOST_CHECK_THROW(w.add_value_column(rnl::ColumnRole::kStatic, "x", rnl::Transform::kNone, true, 0.f, 1.f),
                    std::invalid_argument);
  BOOST_CHECK_THROW(w.name_output(0, std::string(48, 'h')), std::invalid_argument);
}
