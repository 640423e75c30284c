// GRU and LSTM cells for the sequence driver in ops_recurrent.cc. A cell turns the two
// pre-activation blocks of one step (input part px = W_ih x + b_ih and hidden part
// ph = W_hh h + b_hh, each [B, G·H] in PyTorch gate order) into the next hidden state,
// keeping what its backward needs; backward returns the gradients of px and ph and the
// part of dL/dh_prev that does not go through W_hh.
#ifndef RUNNEL_TRAINER_AUTOGRAD_RECURRENT_CELLS_H_
#define RUNNEL_TRAINER_AUTOGRAD_RECURRENT_CELLS_H_

#include <algorithm>
#include <cmath>
#include <vector>

namespace runnel::ag::detail {

template <class T>
T sigm(T a) { return T(1) / (T(1) + std::exp(-a)); }

// Saved per-step values [T, B, H] for each named quantity.
template <class T>
struct StepStore {
  std::size_t b, h;
  std::vector<T> data;
  StepStore(std::size_t t, std::size_t b_, std::size_t h_) : b(b_), h(h_), data(t * b_ * h_) {}
  T& at(std::size_t t, std::size_t bi, std::size_t j) { return data[(t * b + bi) * h + j]; }
};

// r = σ(px_r + ph_r), z = σ(px_z + ph_z), n = tanh(px_n + r · ph_n), h' = (1 - z) n + z h.
template <class T>
struct GruCell {
  static constexpr std::size_t kGates = 3;
  std::size_t b, h;
  StepStore<T> r, z, n, hn, hprev;
  GruCell(std::size_t t, std::size_t b_, std::size_t h_)
      : b(b_), h(h_), r(t, b_, h_), z(t, b_, h_), n(t, b_, h_), hn(t, b_, h_), hprev(t, b_, h_) {}

  void forward(std::size_t t, const T* px, const T* ph, const T* h_prev, T* h_out) {
    const std::size_t g = kGates * h;
    for (std::size_t bi = 0; bi < b; ++bi)
      for (std::size_t j = 0; j < h; ++j) {
        const T* x = px + bi * g;
        const T* hh = ph + bi * g;
        const T rv = sigm(x[j] + hh[j]), zv = sigm(x[h + j] + hh[h + j]);
        const T nv = std::tanh(x[2 * h + j] + rv * hh[2 * h + j]);
        const T hp = h_prev[bi * h + j];
        r.at(t, bi, j) = rv, z.at(t, bi, j) = zv, n.at(t, bi, j) = nv;
        hn.at(t, bi, j) = hh[2 * h + j], hprev.at(t, bi, j) = hp;
        h_out[bi * h + j] = (T(1) - zv) * nv + zv * hp;
      }
  }

  void begin_backward() {}

  void backward(std::size_t t, const T* gh, T* gpx, T* gph, T* gh_direct) {
    const std::size_t g = kGates * h;
    for (std::size_t bi = 0; bi < b; ++bi)
      for (std::size_t j = 0; j < h; ++j) {
        const T rv = r.at(t, bi, j), zv = z.at(t, bi, j), nv = n.at(t, bi, j), dh = gh[bi * h + j];
        const T dan = dh * (T(1) - zv) * (T(1) - nv * nv);
        const T dar = dan * hn.at(t, bi, j) * rv * (T(1) - rv);
        const T daz = dh * (hprev.at(t, bi, j) - nv) * zv * (T(1) - zv);
        T* x = gpx + bi * g;
        T* hh = gph + bi * g;
        x[j] = hh[j] = dar;
        x[h + j] = hh[h + j] = daz;
        x[2 * h + j] = dan;
        hh[2 * h + j] = dan * rv;
        gh_direct[bi * h + j] = dh * zv;
      }
  }
};

// a = px + ph; i, f, o = σ(a_i, a_f, a_o), g = tanh(a_g); c' = f c + i g; h' = o tanh(c').
template <class T>
struct LstmCell {
  static constexpr std::size_t kGates = 4;
  std::size_t b, h;
  StepStore<T> i, f, g, o, c;
  std::vector<T> gc_next;  // dL/dc flowing backwards through time
  LstmCell(std::size_t t, std::size_t b_, std::size_t h_)
      : b(b_), h(h_), i(t, b_, h_), f(t, b_, h_), g(t, b_, h_), o(t, b_, h_), c(t, b_, h_), gc_next(b_ * h_) {}

  T c_prev(std::size_t t, std::size_t bi, std::size_t j) { return t ? c.at(t - 1, bi, j) : T(0); }

  void forward(std::size_t t, const T* px, const T* ph, const T*, T* h_out) {
    const std::size_t gw = kGates * h;
    for (std::size_t bi = 0; bi < b; ++bi)
      for (std::size_t j = 0; j < h; ++j) {
        const auto a = [&](std::size_t gate) { return px[bi * gw + gate * h + j] + ph[bi * gw + gate * h + j]; };
        const T iv = sigm(a(0)), fv = sigm(a(1)), gv = std::tanh(a(2)), ov = sigm(a(3));
        const T cv = fv * c_prev(t, bi, j) + iv * gv;
        i.at(t, bi, j) = iv, f.at(t, bi, j) = fv, g.at(t, bi, j) = gv, o.at(t, bi, j) = ov, c.at(t, bi, j) = cv;
        h_out[bi * h + j] = ov * std::tanh(cv);
      }
  }

  void begin_backward() { std::fill(gc_next.begin(), gc_next.end(), T(0)); }

  void backward(std::size_t t, const T* gh, T* gpx, T* gph, T* gh_direct) {
    const std::size_t gw = kGates * h;
    for (std::size_t bi = 0; bi < b; ++bi)
      for (std::size_t j = 0; j < h; ++j) {
        const T iv = i.at(t, bi, j), fv = f.at(t, bi, j), gv = g.at(t, bi, j), ov = o.at(t, bi, j);
        const T tc = std::tanh(c.at(t, bi, j)), dh = gh[bi * h + j];
        T& gc = gc_next[bi * h + j];
        const T dc = gc + dh * ov * (T(1) - tc * tc);
        const T da[4] = {dc * gv * iv * (T(1) - iv), dc * c_prev(t, bi, j) * fv * (T(1) - fv),
                         dc * iv * (T(1) - gv * gv), dh * tc * ov * (T(1) - ov)};
        for (std::size_t gate = 0; gate < kGates; ++gate)
          gpx[bi * gw + gate * h + j] = gph[bi * gw + gate * h + j] = da[gate];
        gc = dc * fv;
        gh_direct[bi * h + j] = T(0);
      }
  }
};

}  // namespace runnel::ag::detail

#endif  // RUNNEL_TRAINER_AUTOGRAD_RECURRENT_CELLS_H_
