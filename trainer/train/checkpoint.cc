#include "trainer/train/checkpoint.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "trainer/io/atomic_file.h"
#include "trainer/train/io_util.h"
#include "trainer/train/saturating.h"

namespace runnel::train {
namespace fs = std::filesystem;
namespace {
constexpr char kMagic[8] = {'R', 'N', 'L', 'C', 'K', 'P', 'T', '1'};

void put_u64(std::string& out, uint64_t v) { out.append(reinterpret_cast<const char*>(&v), 8); }
void put_str(std::string& out, const std::string& s) {
  put_u64(out, s.size());
  out += s;
}
void put_array(std::string& out, const ag::Array<float>& a) {
  put_u64(out, a.dimension());
  for (const auto d : a.shape()) put_u64(out, d);
  out.append(reinterpret_cast<const char*>(a.data()), a.size() * sizeof(float));
}

struct Reader {
  const std::string& buf;
  const std::string& path;
  std::size_t pos = 0;
  void need(std::size_t n) {
    if (n > buf.size() - pos) throw std::runtime_error(path + ": truncated checkpoint");
  }
  uint64_t u64() {
    need(8);
    uint64_t v;
    std::memcpy(&v, buf.data() + pos, 8);
    pos += 8;
    return v;
  }
  std::string str() {
    const uint64_t n = u64();
    need(n);
    std::string s = buf.substr(pos, n);
    pos += n;
    return s;
  }
  ag::Array<float> array() {
    const uint64_t dims = u64();
    if (dims > 8) throw std::runtime_error(path + ": bad tensor rank");
    std::vector<std::size_t> shape;
    uint64_t count = 1;   // saturates: a shape product past 2^64 must not wrap to a small size
    for (uint64_t i = 0; i < dims; ++i) {
      shape.push_back(u64());
      if (shape.back() > (uint64_t(1) << 32)) throw std::runtime_error(path + ": bad tensor shape");
      count = saturating_mul(count, shape.back());
    }
    if (count > (buf.size() - pos) / sizeof(float)) throw std::runtime_error(path + ": truncated checkpoint");
    ag::Array<float> a = ag::Array<float>::from_shape(shape);
    std::memcpy(a.data(), buf.data() + pos, count * sizeof(float));
    pos += count * sizeof(float);
    return a;
  }
};

std::string shape_str(const ag::Array<float>& a) {
  std::string s = "[";
  for (std::size_t i = 0; i < a.dimension(); ++i) s += (i ? ", " : "") + std::to_string(a.shape()[i]);
  return s + "]";
}
}  // namespace

std::string checkpoint_path(const std::string& dir, long step) {
  char name[64];
  std::snprintf(name, sizeof name, "step_%08ld.ckpt", step);
  return dir + "/" + name;
}

std::string save_checkpoint(const std::string& dir, const CheckpointInfo& info,
                            const ag::ParameterSet<float>& params, const TrainOptimizer& optimizer, int keep) {
  fs::create_directories(dir);
  std::string out(kMagic, 8);
  put_u64(out, static_cast<uint64_t>(info.step));
  put_str(out, info.extra.dump());
  put_u64(out, params.size());
  for (const auto& p : params.all()) {
    put_str(out, p.name());
    put_array(out, p.value());
  }
  put_str(out, optimizer.kind());
  put_u64(out, static_cast<uint64_t>(optimizer.steps()));
  put_u64(out, optimizer.slots().size());
  for (const auto& slot : optimizer.slots())
    for (const auto& a : slot) put_array(out, a);
  const uint32_t crc = crc32c(out.data(), out.size());
  out.append(reinterpret_cast<const char*>(&crc), 4);

  const std::string path = checkpoint_path(dir, info.step);
  io::write_file_atomically(path, out);

  std::vector<std::string> all;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("step_", 0) == 0 && name.size() > 5 && name.substr(name.size() - 5) == ".ckpt")
      all.push_back(e.path().string());
  }
  std::sort(all.begin(), all.end());
  for (std::size_t i = 0; i + static_cast<std::size_t>(keep) < all.size(); ++i) fs::remove(all[i]);
  return path;
}

CheckpointInfo load_checkpoint(const std::string& path, ag::ParameterSet<float>& params,
                               TrainOptimizer& optimizer) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open checkpoint " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string buf = ss.str();
  if (buf.size() < 12 || std::memcmp(buf.data(), kMagic, 8) != 0)
    throw std::runtime_error(path + ": not a runnel checkpoint");
  uint32_t stored;
  std::memcpy(&stored, buf.data() + buf.size() - 4, 4);
  if (crc32c(buf.data(), buf.size() - 4) != stored) throw std::runtime_error(path + ": checksum mismatch");
  const std::string body = buf.substr(0, buf.size() - 4);
  Reader r{body, path, 8};
  CheckpointInfo info;
  info.step = static_cast<long>(r.u64());
  info.extra = nlohmann::json::parse(r.str());
  const uint64_t n = r.u64();
  if (n != params.size())
    throw std::runtime_error(path + ": has " + std::to_string(n) + " parameters, the model has " +
                             std::to_string(params.size()));
  std::vector<ag::Array<float>> values;
  for (uint64_t i = 0; i < n; ++i) {
    const std::string name = r.str();
    ag::Array<float> a = r.array();
    if (!params.contains(name)) throw std::runtime_error(path + ": unknown parameter '" + name + "'");
    if (params[name].value().shape() != a.shape())
      throw std::runtime_error(path + ": parameter '" + name + "' has shape " + shape_str(a) + ", the model wants " +
                               shape_str(params[name].value()));
    values.push_back(std::move(a));
    if (params.all()[i].name() != name)
      throw std::runtime_error(path + ": parameter order differs at '" + name + "'");
  }
  const std::string kind = r.str();
  if (kind != optimizer.kind())
    throw std::runtime_error(path + ": optimizer is " + kind + ", the config says " + optimizer.kind());
  const long opt_steps = static_cast<long>(r.u64());
  const uint64_t slots = r.u64();
  if (slots != optimizer.slots().size()) throw std::runtime_error(path + ": optimizer state mismatch");
  std::vector<std::vector<ag::Array<float>>> state(slots);
  for (uint64_t s = 0; s < slots; ++s)
    for (uint64_t i = 0; i < n; ++i) {
      state[s].push_back(r.array());
      if (state[s].back().shape() != values[i].shape())
        throw std::runtime_error(path + ": optimizer state shape mismatch");
    }
  // Everything parsed: commit.
  for (uint64_t i = 0; i < n; ++i) {
    ag::Var<float> p = params.all()[i];
    p.mutable_value() = std::move(values[i]);
  }
  optimizer.slots() = std::move(state);
  optimizer.set_steps(opt_steps);
  return info;
}

std::optional<std::string> latest_checkpoint(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return std::nullopt;
  std::string best;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("step_", 0) == 0 && name.size() > 5 && name.substr(name.size() - 5) == ".ckpt" &&
        e.path().string() > best)
      best = e.path().string();
  }
  if (best.empty()) return std::nullopt;
  return best;
}

}  // namespace runnel::train
