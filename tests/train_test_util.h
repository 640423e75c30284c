// Helpers for the train_* tests: temp dirs, CSV columns, a TFRecord/Event reader that
// checks framing CRCs, checkpoint parameter bytes.
#ifndef RUNNEL_TESTS_TRAIN_TEST_UTIL_H_
#define RUNNEL_TESTS_TRAIN_TEST_UTIL_H_

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "trainer/train/io_util.h"

namespace runnel::testing_util {

struct TempDir {
  std::string path;
  TempDir() {
    const char* base = std::getenv("TEST_TMPDIR");
    std::string tmpl = std::string(base ? base : "/tmp") + "/runnel_train_XXXXXX";
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out(1);
  for (const char c : line) {
    if (c == sep) out.emplace_back();
    else out.back() += c;
  }
  return out;
}

inline std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + " ";
  return s;
}

inline std::vector<std::string> csv_column(const std::string& path, const std::string& name) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  const auto header = split(line, ',');
  std::size_t col = header.size();
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) col = i;
  if (col == header.size()) throw std::runtime_error("no column " + name + " in " + path);
  std::vector<std::string> out;
  while (std::getline(in, line)) out.push_back(split(line, ',').at(col));
  return out;
}

// Parameter section of a checkpoint file: everything after the JSON blob up to the
// optimizer kind is the parameters (names, shapes, raw float bits).
inline std::string checkpoint_parameter_bytes(const std::string& path) {
  const std::string b = read_file(path);
  uint64_t json_len;
  std::memcpy(&json_len, b.data() + 16, 8);
  const std::size_t params_at = 24 + json_len;
  // Parameter count, then per parameter: name, rank, dims, floats.
  std::size_t pos = params_at;
  auto u64 = [&] {
    uint64_t v;
    std::memcpy(&v, b.data() + pos, 8);
    pos += 8;
    return v;
  };
  const uint64_t n = u64();
  for (uint64_t i = 0; i < n; ++i) {
    pos += u64();
    const uint64_t rank = u64();
    uint64_t count = 1;
    for (uint64_t d = 0; d < rank; ++d) count *= u64();
    pos += count * 4;
  }
  return b.substr(params_at, pos - params_at);
}

struct TfEvent {
  double wall_time = 0;
  int64_t step = 0;
  std::string file_version;
  std::map<std::string, float> values;
};

struct ProtoReader {
  const std::string& s;
  std::size_t pos, end;
  bool done() const { return pos >= end; }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
      if (pos >= end) throw std::runtime_error("truncated varint");
      const auto c = static_cast<unsigned char>(s[pos++]);
      v |= uint64_t(c & 0x7f) << shift;
      if (!(c & 0x80)) return v;
    }
  }
  std::string bytes() {
    const uint64_t n = varint();
    if (n > end - pos) throw std::runtime_error("truncated bytes field");
    std::string out = s.substr(pos, n);
    pos += n;
    return out;
  }
  template <class T>
  T fixed() {
    T v;
    if (sizeof v > end - pos) throw std::runtime_error("truncated fixed field");
    std::memcpy(&v, s.data() + pos, sizeof v);
    pos += sizeof v;
    return v;
  }
};

inline std::map<std::string, float> decode_summary(const std::string& m) {
  std::map<std::string, float> out;
  ProtoReader r{m, 0, m.size()};
  while (!r.done()) {
    const uint64_t key = r.varint();
    if (key != ((1 << 3) | 2)) throw std::runtime_error("unexpected field in Summary");
    const std::string value = r.bytes();
    ProtoReader v{value, 0, value.size()};
    std::string tag;
    float x = 0;
    while (!v.done()) {
      const uint64_t k = v.varint();
      if (k == ((1 << 3) | 2)) tag = v.bytes();
      else if (k == ((2 << 3) | 5)) x = v.fixed<float>();
      else throw std::runtime_error("unexpected field in Summary.Value");
    }
    out[tag] = x;
  }
  return out;
}

// Reads a TensorBoard event file; throws if any length or data CRC is wrong.
inline std::vector<TfEvent> read_tfevents(const std::string& path) {
  const std::string b = read_file(path);
  std::vector<TfEvent> events;
  std::size_t pos = 0;
  while (pos < b.size()) {
    if (b.size() - pos < 12) throw std::runtime_error("truncated record header");
    uint64_t len;
    uint32_t len_crc, data_crc;
    std::memcpy(&len, b.data() + pos, 8);
    std::memcpy(&len_crc, b.data() + pos + 8, 4);
    if (train::masked_crc32c(b.data() + pos, 8) != len_crc) throw std::runtime_error("bad length CRC");
    if (b.size() - pos - 12 < len + 4) throw std::runtime_error("truncated record");
    const std::string data = b.substr(pos + 12, len);
    std::memcpy(&data_crc, b.data() + pos + 12 + len, 4);
    if (train::masked_crc32c(data.data(), data.size()) != data_crc) throw std::runtime_error("bad data CRC");
    pos += 12 + len + 4;
    TfEvent e;
    ProtoReader r{data, 0, data.size()};
    while (!r.done()) {
      const uint64_t key = r.varint();
      switch (key) {
        case (1 << 3) | 1: e.wall_time = r.fixed<double>(); break;
        case (2 << 3) | 0: e.step = static_cast<int64_t>(r.varint()); break;
        case (3 << 3) | 2: e.file_version = r.bytes(); break;
        case (5 << 3) | 2: e.values = decode_summary(r.bytes()); break;
        default: throw std::runtime_error("unexpected field in Event: key " + std::to_string(key));
      }
    }
    events.push_back(e);
  }
  return events;
}

}  // namespace runnel::testing_util

#endif  // RUNNEL_TESTS_TRAIN_TEST_UTIL_H_
