#include "trainer/nn/module.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace runnel::nn {
namespace {
thread_local uint64_t* t_count_only = nullptr;

// In count-only mode: counts the shape's elements and returns true (create nothing).
bool counted(const ag::Shape& shape) {
  if (t_count_only == nullptr) return false;
  uint64_t n = 1;
  for (const std::size_t d : shape) n = __builtin_mul_overflow(n, uint64_t(d), &n) ? UINT64_MAX : n;
  *t_count_only = *t_count_only > UINT64_MAX - n ? UINT64_MAX : *t_count_only + n;
  return true;
}
}  // namespace

CountOnly::CountOnly(uint64_t* elements) : previous_(t_count_only) { t_count_only = elements; }
CountOnly::~CountOnly() { t_count_only = previous_; }

void add_uniform(Params& params, const std::string& name, const ag::Shape& shape, double bound, Rng& rng) {
  if (counted(shape)) return;
  params.add(name, optim::uniform<float>(shape, rng, -bound, bound));
}

void add_normal(Params& params, const std::string& name, const ag::Shape& shape, double stddev, Rng& rng) {
  if (counted(shape)) return;
  params.add(name, optim::normal<float>(shape, rng, stddev));
}

void add_filled(Params& params, const std::string& name, const ag::Shape& shape, float value) {
  if (counted(shape)) return;
  ag::Array<float> a(shape);
  a.fill(value);
  params.add(name, std::move(a));
}

void init_linear(Params& params, const std::string& w, const std::string& b, std::size_t out,
                 std::size_t in, Rng& rng) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(in));
  add_uniform(params, w, {out, in}, bound, rng);
  add_uniform(params, b, {out}, bound, rng);
}

Var activate(const Var& x, rnl::Activation act) {
  switch (act) {
    case rnl::Activation::kNone: return x;
    case rnl::Activation::kRelu: return ag::relu(x);
    case rnl::Activation::kGeluTanh: return ag::gelu_tanh(x);
    case rnl::Activation::kGeluErf: return ag::gelu_erf(x);
    case rnl::Activation::kTanh: return ag::tanh(x);
    case rnl::Activation::kSigmoid: return ag::sigmoid(x);
  }
  return x;
}

bool parse_activation(const std::string& s, rnl::Activation* out) {
  static const struct { const char* name; rnl::Activation act; } kNames[] = {
      {"none", rnl::Activation::kNone},         {"relu", rnl::Activation::kRelu},
      {"gelu", rnl::Activation::kGeluTanh},     {"gelu_tanh", rnl::Activation::kGeluTanh},
      {"gelu_erf", rnl::Activation::kGeluErf},  {"tanh", rnl::Activation::kTanh},
      {"sigmoid", rnl::Activation::kSigmoid}};
  for (const auto& n : kNames)
    if (s == n.name) {
      *out = n.act;
      return true;
    }
  return false;
}

int32_t float_hp(float value) {
  int32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

Var constant_sequence(xt::xarray<float> value) { return ag::constant<float>(std::move(value)); }

}  // namespace runnel::nn
