// GRU and LSTM over a whole sequence. One driver does what both share: the input
// projection for all steps as one GEMM, the per-step hidden GEMM, back-propagation through
// time, and the weight gradients as single GEMMs over all steps. The cells
// (recurrent_cells.h) hold the gate equations.
#include <memory>

#include "trainer/autograd/detail.h"
#include "trainer/autograd/ops.h"
#include "trainer/autograd/recurrent_cells.h"

namespace runnel::ag {
namespace {
using detail::gemm;

struct RnnDims {
  std::size_t b, t, in, h, g;  // g = gates · hidden
};

template <class T>
RnnDims rnn_dims(const Var<T>& x, const Var<T>& w_ih, const Var<T>& w_hh, const Var<T>& b_ih,
                 const Var<T>& b_hh, std::size_t gates, const char* op) {
  if (x.dim() != 3 || w_ih.dim() != 2 || w_hh.dim() != 2 || w_ih.shape()[1] != x.shape()[2] ||
      w_ih.shape()[0] % gates != 0)
    detail::shape_error(op, "x " + detail::shape_str(x.shape()) + ", w_ih " + detail::shape_str(w_ih.shape()));
  const std::size_t h = w_ih.shape()[0] / gates;
  if (w_hh.shape() != Shape{gates * h, h} || b_ih.shape() != Shape{gates * h} || b_hh.shape() != Shape{gates * h})
    detail::shape_error(op, "w_hh, b_ih, b_hh do not match hidden size " + std::to_string(h));
  return {x.shape()[0], x.shape()[1], x.shape()[2], h, gates * h};
}

// rows [n, cols] += bias[cols]
template <class T>
void add_bias(T* rows, std::size_t n, const T* bias, std::size_t cols) {
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < cols; ++c) rows[r * cols + c] += bias[c];
}

template <class T>
Array<T> column_sums(const T* rows, std::size_t n, std::size_t cols) {
  Array<T> s = detail::zeros<T>({cols});
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < cols; ++c) s(c) += rows[r * cols + c];
  return s;
}

template <class T, template <class> class Cell>
Var<T> run_recurrent(const Var<T>& x, const Var<T>& w_ih, const Var<T>& w_hh, const Var<T>& b_ih,
                     const Var<T>& b_hh, const char* op) {
  const RnnDims d = rnn_dims(x, w_ih, w_hh, b_ih, b_hh, Cell<T>::kGates, op);
  // px for every (b, t) row at once: [B·T, G].
  std::vector<T> px(d.b * d.t * d.g);
  gemm<T>(false, true, d.b * d.t, d.g, d.in, 1, x.value().data(), d.in, w_ih.value().data(), d.in, 0, px.data(), d.g);
  add_bias(px.data(), d.b * d.t, b_ih.value().data(), d.g);

  auto cell = std::make_shared<Cell<T>>(d.t, d.b, d.h);
  auto hprev = std::make_shared<std::vector<T>>(d.t * d.b * d.h, T(0));  // h before step t, [T, B, H]
  std::vector<T> px_t(d.b * d.g), ph_t(d.b * d.g), h_t(d.b * d.h, T(0));
  Array<T> y(Shape{d.b, d.t, d.h});
  for (std::size_t t = 0; t < d.t; ++t) {
    std::copy(h_t.begin(), h_t.end(), hprev->begin() + t * d.b * d.h);
    for (std::size_t b = 0; b < d.b; ++b)
      std::copy_n(px.data() + (b * d.t + t) * d.g, d.g, px_t.data() + b * d.g);
    gemm<T>(false, true, d.b, d.g, d.h, 1, hprev->data() + t * d.b * d.h, d.h, w_hh.value().data(), d.h, 0,
            ph_t.data(), d.g);
    add_bias(ph_t.data(), d.b, b_hh.value().data(), d.g);
    cell->forward(t, px_t.data(), ph_t.data(), hprev->data() + t * d.b * d.h, h_t.data());
    for (std::size_t b = 0; b < d.b; ++b) std::copy_n(h_t.data() + b * d.h, d.h, y.data() + (b * d.t + t) * d.h);
  }

  return record<T>(std::move(y), {x, w_ih, w_hh, b_ih, b_hh}, [=](const Array<T>& g) {
    std::vector<T> gpx(d.b * d.t * d.g), gph(d.t * d.b * d.g);  // [B·T, G] and [T·B, G]
    std::vector<T> gh(d.b * d.h), gh_next(d.b * d.h, T(0)), gpx_t(d.b * d.g);
    cell->begin_backward();
    for (std::size_t t = d.t; t-- > 0;) {
      for (std::size_t b = 0; b < d.b; ++b)
        for (std::size_t j = 0; j < d.h; ++j) gh[b * d.h + j] = g.data()[(b * d.t + t) * d.h + j] + gh_next[b * d.h + j];
      T* gph_t = gph.data() + t * d.b * d.g;
      cell->backward(t, gh.data(), gpx_t.data(), gph_t, gh_next.data());
      for (std::size_t b = 0; b < d.b; ++b) std::copy_n(gpx_t.data() + b * d.g, d.g, gpx.data() + (b * d.t + t) * d.g);
      // dL/dh_{t-1} = direct part + gph_t · W_hh
      gemm<T>(false, false, d.b, d.h, d.g, 1, gph_t, d.g, w_hh.value().data(), d.h, 1, gh_next.data(), d.h);
    }
    if (x.requires_grad()) {
      Array<T> gx(x.shape());
      gemm<T>(false, false, d.b * d.t, d.in, d.g, 1, gpx.data(), d.g, w_ih.value().data(), d.in, 0, gx.data(), d.in);
      x.accumulate(gx);
    }
    Array<T> gw_ih(w_ih.shape()), gw_hh(w_hh.shape());
    gemm<T>(true, false, d.g, d.in, d.b * d.t, 1, gpx.data(), d.g, x.value().data(), d.in, 0, gw_ih.data(), d.in);
    gemm<T>(true, false, d.g, d.h, d.t * d.b, 1, gph.data(), d.g, hprev->data(), d.h, 0, gw_hh.data(), d.h);
    w_ih.accumulate(gw_ih);
    w_hh.accumulate(gw_hh);
    b_ih.accumulate(column_sums(gpx.data(), d.b * d.t, d.g));
    b_hh.accumulate(column_sums(gph.data(), d.t * d.b, d.g));
  });
}

}  // namespace

template <class T>
Var<T> gru(const Var<T>& x, const Var<T>& w_ih, const Var<T>& w_hh, const Var<T>& b_ih, const Var<T>& b_hh) {
  return run_recurrent<T, detail::GruCell>(x, w_ih, w_hh, b_ih, b_hh, "gru");
}

template <class T>
Var<T> lstm(const Var<T>& x, const Var<T>& w_ih, const Var<T>& w_hh, const Var<T>& b_ih, const Var<T>& b_hh) {
  return run_recurrent<T, detail::LstmCell>(x, w_ih, w_hh, b_ih, b_hh, "lstm");
}

#define RUNNEL_INSTANTIATE(T)                                                                              \
  template Var<T> gru(const Var<T>&, const Var<T>&, const Var<T>&, const Var<T>&, const Var<T>&);         \
  template Var<T> lstm(const Var<T>&, const Var<T>&, const Var<T>&, const Var<T>&, const Var<T>&);
RUNNEL_INSTANTIATE(float)
RUNNEL_INSTANTIATE(double)
#undef RUNNEL_INSTANTIATE

}  // namespace runnel::ag
