// The trainer's side of a layer: a module is the sequence form of exactly one engine op
// (trainer/nn/<layer> mirrors engine/layers/<layer>). A model is a flat Graph of modules in
// execution order, one module per .rnl record (ggml style): forward runs them over
// [B, T, ·] sequences with autograd, export writes one record each.
//
// A module declares its op, output width, hyper-parameters and tensor slots (parameter
// roles); the graph does the rest, so no module has its own export code. Parameter names
// are prefix + "." + role ("stream0.enc.layer1.attn.wq") and are also the tensor names in
// the .rnl file (at most 47 bytes).
#ifndef RUNNEL_TRAINER_NN_MODULE_H_
#define RUNNEL_TRAINER_NN_MODULE_H_

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/format/rnl_spec.h"
#include "trainer/autograd/ops.h"
#include "trainer/autograd/parameters.h"
#include "trainer/data/batch.h"
#include "trainer/optim/init.h"

namespace runnel::nn {

using Var = ag::Var<float>;
using Params = ag::ParameterSet<float>;
using Rng = optim::Rng;

// What a forward pass reads besides its inputs: rows [row_begin, row_end) of a batch.
struct Context {
  const Params& params;
  const data::Batch& batch;
  std::size_t row_begin = 0;
  std::size_t row_end = 0;
  bool training = false;
  uint64_t dropout_seed = 0;

  std::size_t rows() const { return row_end - row_begin; }
  std::size_t steps() const { return batch.steps; }
};

class Module {
 public:
  explicit Module(std::string prefix = "") : prefix_(std::move(prefix)) {}
  virtual ~Module() = default;

  virtual rnl::Op op() const = 0;
  virtual std::size_t width() const = 0;                        // output width
  // Creates this module's parameters (none by default), seeded from `rng`.
  virtual void init(Params& /*params*/, Rng& /*rng*/) const {}
  // in: the outputs of the module's inputs, each [rows, T, width_i]. Returns [rows, T, width].
  virtual Var forward(const Context& ctx, const std::vector<Var>& in) const = 0;
  // The record's hyper-parameters (rnl_spec.h) and tensor slots, in slot order.
  virtual std::vector<int32_t> hp() const { return {}; }
  virtual std::vector<std::string> tensor_roles() const { return {}; }

  const std::string& prefix() const { return prefix_; }
  std::string name(const std::string& role) const { return prefix_.empty() ? role : prefix_ + "." + role; }
  const Var& param(const Context& ctx, const std::string& role) const { return ctx.params[name(role)]; }

 protected:
  std::string prefix_;
};

// --- shared helpers for module implementations ---------------------------------------
// PyTorch's nn.Linear initialisation: W ~ U(±1/sqrt(in)) (kaiming_uniform, a = sqrt 5),
// b ~ U(±1/sqrt(in)). W is [out, in].
void init_linear(Params& params, const std::string& w, const std::string& b, std::size_t out,
                 std::size_t in, Rng& rng);
void add_uniform(Params& params, const std::string& name, const ag::Shape& shape, double bound, Rng& rng);
void add_normal(Params& params, const std::string& name, const ag::Shape& shape, double stddev, Rng& rng);
void add_filled(Params& params, const std::string& name, const ag::Shape& shape, float value);
// While a CountOnly is alive on this thread, add_uniform / add_normal / add_filled create
// nothing and add the elements they would have created to `*elements` (saturating at
// 2^64 - 1): Graph::parameter_count() sizes a model before any allocation.
class CountOnly {
 public:
  explicit CountOnly(uint64_t* elements);
  ~CountOnly();
  CountOnly(const CountOnly&) = delete;
  CountOnly& operator=(const CountOnly&) = delete;

 private:
  uint64_t* previous_;
};
// Element-wise activation as the engine's kernels compute it.
Var activate(const Var& x, rnl::Activation act);
// "none", "relu", "gelu" (= gelu_tanh), "gelu_tanh", "gelu_erf", "tanh", "sigmoid".
bool parse_activation(const std::string& s, rnl::Activation* out);
// The bit pattern of a float hyper-parameter (eps, alpha).
int32_t float_hp(float value);
// A constant [rows, T, n] input built from the batch.
Var constant_sequence(xt::xarray<float> value);

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_MODULE_H_
