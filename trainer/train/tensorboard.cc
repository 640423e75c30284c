#include "trainer/train/tensorboard.h"

#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

#include "trainer/train/io_util.h"

namespace runnel::train {
namespace {
double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}
void varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
void tag(std::string& out, uint32_t field, uint32_t wire) { varint(out, (uint64_t(field) << 3) | wire); }
void fixed(std::string& out, const void* p, std::size_t n) {  // little-endian host (x86, ARM LE)
  out.append(static_cast<const char*>(p), n);
}
void bytes_field(std::string& out, uint32_t field, const std::string& s) {
  tag(out, field, 2);
  varint(out, s.size());
  out += s;
}
}  // namespace

std::string TensorBoardWriter::encode_event(double wall_time, int64_t step, const std::string* file_version,
                                            const std::vector<std::pair<std::string, float>>& values) {
  std::string e;
  tag(e, 1, 1);
  fixed(e, &wall_time, 8);
  tag(e, 2, 0);
  varint(e, static_cast<uint64_t>(step));
  if (file_version) bytes_field(e, 3, *file_version);
  if (!values.empty()) {
    std::string summary;
    for (const auto& [name, value] : values) {
      std::string v;
      bytes_field(v, 1, name);
      tag(v, 2, 5);
      fixed(v, &value, 4);
      bytes_field(summary, 1, v);
    }
    bytes_field(e, 5, summary);
  }
  return e;
}

std::string TensorBoardWriter::frame_record(const std::string& data) {
  std::string r;
  const uint64_t len = data.size();
  fixed(r, &len, 8);
  const uint32_t len_crc = masked_crc32c(&len, 8);
  fixed(r, &len_crc, 4);
  r += data;
  const uint32_t data_crc = masked_crc32c(data.data(), data.size());
  fixed(r, &data_crc, 4);
  return r;
}

TensorBoardWriter::TensorBoardWriter(const std::string& dir) {
  char host[256] = "localhost";
  ::gethostname(host, sizeof host - 1);
  host[sizeof host - 1] = 0;
  path_ = dir + "/events.out.tfevents." + std::to_string(static_cast<long long>(now_seconds())) + "." + host;
  file_ = std::fopen(path_.c_str(), "ab");
  if (!file_) throw std::runtime_error("cannot create " + path_ + ": " + std::strerror(errno));
  const std::string version = "brain.Event:2";
  write_record(encode_event(now_seconds(), 0, &version, {}));
  flush();
}

TensorBoardWriter::~TensorBoardWriter() {
  if (file_) std::fclose(file_);
}

void TensorBoardWriter::write_record(const std::string& data) {
  const std::string r = frame_record(data);
  if (std::fwrite(r.data(), 1, r.size(), file_) != r.size())
    throw std::runtime_error("cannot write " + path_ + ": " + std::strerror(errno));
}

void TensorBoardWriter::scalars(int64_t step, const std::vector<std::pair<std::string, float>>& values) {
  write_record(encode_event(now_seconds(), step, nullptr, values));
}

void TensorBoardWriter::flush() { std::fflush(file_); }

}  // namespace runnel::train
