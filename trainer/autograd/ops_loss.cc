// Losses. Both return a scalar (shape []) so backward(loss) needs no seed.
#include <cmath>
#include <algorithm>

#include "trainer/autograd/detail.h"
#include "trainer/autograd/ops.h"
#include "trainer/autograd/vec_math.h"

namespace runnel::ag {

// loss = -mean over kept rows of log_softmax(logits)[row, target]; the gradient of a kept
// row is (softmax - onehot(target)) / kept.
template <class T>
Var<T> cross_entropy(const Var<T>& logits, const std::vector<std::int64_t>& targets,
                     std::int64_t ignore_index) {
  if (logits.dim() != 2 || targets.size() != logits.shape()[0])
    detail::shape_error("cross_entropy", "logits " + detail::shape_str(logits.shape()) +
                                             " do not match " + std::to_string(targets.size()) + " targets");
  const std::size_t n = logits.shape()[0], c = logits.shape()[1];
  Array<T> probs(logits.shape());  // softmax of every row, kept for backward
  std::size_t kept = 0;
  T total = 0;
  for (std::size_t row = 0; row < n; ++row) {
    const T* x = logits.value().data() + row * c;
    T* p = probs.data() + row * c;
    const T m = vec::max(x, c);
    std::copy(x, x + c, p);
    vec::exp_shifted(p, c, m);
    const T s = vec::sum(p, c);
    vec::scale(p, c, T(1) / s);
    if (targets[row] == ignore_index) continue;
    if (targets[row] < 0 || static_cast<std::size_t>(targets[row]) >= c)
      detail::shape_error("cross_entropy", "target " + std::to_string(targets[row]) + " out of range");
    total -= x[static_cast<std::size_t>(targets[row])] - m - std::log(s);  // -log-softmax at the target
    ++kept;
  }
  const T denom = kept ? T(kept) : T(1);
  Array<T> y = detail::scalar<T>(total / denom);
  return record<T>(std::move(y), {logits}, [logits, probs, targets, ignore_index, n, c, denom](const Array<T>& g) {
    Array<T> gx = detail::zeros<T>(logits.shape());
    const T scale = g() / denom;
    for (std::size_t row = 0; row < n; ++row) {
      if (targets[row] == ignore_index) continue;
      for (std::size_t j = 0; j < c; ++j) gx.data()[row * c + j] = probs.data()[row * c + j] * scale;
      gx.data()[row * c + static_cast<std::size_t>(targets[row])] -= scale;
    }
    logits.accumulate(std::move(gx));
  });
}

template <class T>
Var<T> mse(const Var<T>& pred, const Array<T>& target) {
  if (!std::equal(pred.value().shape().begin(), pred.value().shape().end(), target.shape().begin(),
                  target.shape().end()))
    detail::shape_error("mse", "pred " + detail::shape_str(pred.shape()) + " vs target " +
                                   detail::shape_str(detail::shape_of(target)));
  Array<T> diff = pred.value() - target;
  const T n = T(pred.size());
  Array<T> y = detail::scalar<T>(T(xt::sum(diff * diff)()) / n);
  return record<T>(std::move(y), {pred}, [pred, diff, n](const Array<T>& g) {
    pred.accumulate(Array<T>(diff * (T(2) * g() / n)));
  });
}

#define RUNNEL_INSTANTIATE(T)                                                                    \
  template Var<T> cross_entropy(const Var<T>&, const std::vector<std::int64_t>&, std::int64_t); \
  template Var<T> mse(const Var<T>&, const Array<T>&);
RUNNEL_INSTANTIATE(float)
RUNNEL_INSTANTIATE(double)
#undef RUNNEL_INSTANTIATE

}  // namespace runnel::ag
