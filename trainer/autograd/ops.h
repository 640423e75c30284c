// The op set. Each op returns a new Var; its backward is defined next to its forward in
// the ops_*.cc file named in the section comment. All ops exist for float and double.
// Shapes: sequences are [B, T, D] (batch, time, features) unless stated otherwise.
#ifndef RUNNEL_TRAINER_AUTOGRAD_OPS_H_
#define RUNNEL_TRAINER_AUTOGRAD_OPS_H_

#include <cstdint>
#include <vector>

#include "trainer/autograd/tensor.h"

namespace runnel::ag {

// --- ops_elementwise.cc: NumPy broadcasting; backward sums over broadcast dimensions.
template <class T> Var<T> add(const Var<T>& a, const Var<T>& b);
template <class T> Var<T> sub(const Var<T>& a, const Var<T>& b);
template <class T> Var<T> mul(const Var<T>& a, const Var<T>& b);
template <class T> Var<T> div(const Var<T>& a, const Var<T>& b);
template <class T> Var<T> scale(const Var<T>& x, T factor);
template <class T> Var<T> exp(const Var<T>& x);
template <class T> Var<T> log(const Var<T>& x);
template <class T> Var<T> tanh(const Var<T>& x);
template <class T> Var<T> sigmoid(const Var<T>& x);
template <class T> Var<T> relu(const Var<T>& x);
template <class T> Var<T> gelu_tanh(const Var<T>& x);
template <class T> Var<T> gelu_erf(const Var<T>& x);

// --- ops_matmul.cc: a [..., M, K] @ b [K, N] (b shared by all rows) or
// a [S, M, K] @ b [S, M', ...] batched with equal leading dimensions. BLAS, one thread.
template <class T> Var<T> matmul(const Var<T>& a, const Var<T>& b);
// x [..., in] · W[out, in]ᵀ + bias[out] (bias may be undefined): the engine's Dense layout.
template <class T> Var<T> linear(const Var<T>& x, const Var<T>& w, const Var<T>& bias);

// --- ops_reduce.cc: along one axis (negative counts from the end); the axis is removed.
template <class T> Var<T> sum(const Var<T>& x, int axis);
template <class T> Var<T> mean(const Var<T>& x, int axis);
template <class T> Var<T> max(const Var<T>& x, int axis);  // gradient to the first maximum
template <class T> Var<T> sum_all(const Var<T>& x);        // scalar (shape [])
template <class T> Var<T> mean_all(const Var<T>& x);

// --- ops_shape.cc
template <class T> Var<T> reshape(const Var<T>& x, const Shape& shape);
template <class T> Var<T> transpose(const Var<T>& x, const std::vector<std::size_t>& perm);
template <class T> Var<T> slice(const Var<T>& x, int axis, std::size_t begin, std::size_t end);
template <class T> Var<T> concat(const std::vector<Var<T>>& xs, int axis);
template <class T> Var<T> stack(const std::vector<Var<T>>& xs, int axis);

// --- ops_softmax.cc
template <class T> Var<T> softmax(const Var<T>& x, int axis);
template <class T> Var<T> log_softmax(const Var<T>& x, int axis);

// --- ops_loss.cc
// logits [N, C], targets [N]; rows with target == ignore_index are skipped; mean over the
// rest (0 when every row is ignored, where PyTorch would give NaN).
template <class T>
Var<T> cross_entropy(const Var<T>& logits, const std::vector<std::int64_t>& targets,
                     std::int64_t ignore_index);
// mean((pred - target)^2) over all elements.
template <class T> Var<T> mse(const Var<T>& pred, const Array<T>& target);

// --- ops_nn.cc
// Over the last axis, biased variance; gamma and beta are [D].
template <class T>
Var<T> layer_norm(const Var<T>& x, const Var<T>& gamma, const Var<T>& beta, T eps);
// Over the last axis: x / max(||x||, eps).
template <class T> Var<T> l2_normalize(const Var<T>& x, T eps);
// Rows of weight [V, D] gathered by ids (any shape) -> ids.shape + [D]. The gradient adds
// into the touched rows only.
template <class T> Var<T> embedding(const Var<T>& weight, const xt::xarray<std::int64_t>& ids);
// Inverted dropout with its own seeded generator: the same seed gives the same mask on
// every thread. Identity when !training or p == 0.
template <class T> Var<T> dropout(const Var<T>& x, T p, std::uint64_t seed, bool training);

// --- ops_attention.cc
// q, k, v [B, H, T, Dh]. Query i sees key j iff i - window < j <= i. Scores are
// scale * q·k + bias[h][i - j] when `bias` [H, window] is defined (learned relative bias,
// or a constant from alibi_bias()). Output [B, H, T, Dh].
template <class T>
Var<T> causal_attention(const Var<T>& q, const Var<T>& k, const Var<T>& v, std::size_t window,
                        T scale, const Var<T>& bias = Var<T>());
// The same with q, k, v [B, T, H·Dh] as linear projections give them (head h is columns
// h·Dh .. h·Dh + Dh - 1), output [B, T, H·Dh]: no head transposes around the attention.
template <class T>
Var<T> multi_head_causal_attention(const Var<T>& q, const Var<T>& k, const Var<T>& v, std::size_t heads,
                                   std::size_t window, T scale, const Var<T>& bias = Var<T>());
// One learnable query per head over N items: q [D] (already scaled), k, v [..., N, D],
// head h is columns h·Dh .. h·Dh + Dh - 1; out[..., h] = sum_s softmax_s(q_h·k_s,h) v_s,h,
// shape [..., D]. The fusion of several streams' vectors at one time step.
template <class T>
Var<T> query_attention(const Var<T>& q, const Var<T>& k, const Var<T>& v, std::size_t heads);
// ALiBi as a relative bias table: head h gets slope 2^(-8(h+1)/H), bias -slope * offset.
template <class T> Array<T> alibi_bias(std::size_t heads, std::size_t window);

// --- ops_conv.cc
// x [B, T, Cin], w [Cout, Cin, K], bias [Cout] (may be undefined):
// y[b,t,o] = bias[o] + sum_{i,k} w[o,i,k] x[b, t-(K-1-k)*dilation, i], zero before t = 0.
template <class T>
Var<T> causal_conv1d(const Var<T>& x, const Var<T>& w, const Var<T>& bias, std::size_t dilation);

// --- ops_recurrent.cc: PyTorch layout and equations, zero initial state; x [B, T, I],
// returns every hidden state [B, T, H]. GRU gate order r,z,n; LSTM i,f,g,o.
template <class T>
Var<T> gru(const Var<T>& x, const Var<T>& w_ih, const Var<T>& w_hh, const Var<T>& b_ih,
           const Var<T>& b_hh);
template <class T>
Var<T> lstm(const Var<T>& x, const Var<T>& w_ih, const Var<T>& w_hh, const Var<T>& b_ih,
            const Var<T>& b_hh);

// --- ops_cumulative.cc: running reductions over events 0..t along `axis`.
template <class T> Var<T> cumsum(const Var<T>& x, int axis);
template <class T> Var<T> cummax(const Var<T>& x, int axis);  // gradient to the latest maximum
template <class T> Var<T> cummean(const Var<T>& x, int axis);

// --- ops_pooling.cc: causal weightings over time of x [B, T, D].
// y_t = sum_{i<min(t+1,W)} w_i x_{t-i} / sum_{same i} w_i, w_i = (W-i)/W.
template <class T> Var<T> linear_decay(const Var<T>& x, std::size_t window);
// s = x + alpha s, n = 1 + alpha n, y = s / n.
template <class T> Var<T> exp_decay(const Var<T>& x, T alpha);
// y_t = sum_{i<min(t+1,W)} w[i] x_{t-i}; w [W] learned.
template <class T> Var<T> learned_pos_weights(const Var<T>& x, const Var<T>& w);
// y_t = sum_{j<=t} softmax_j(q·x_j / sqrt(D)) x_j; q [D]. Online softmax, O(T·D).
template <class T> Var<T> attention_pool(const Var<T>& x, const Var<T>& q);

// --- ops_copy.cc: the pointer-generator mixture of a copy head (engine kCopyHead).
// q [B, T, k], keys [V, k], bias [W], gate [B, T, 1] (a logit), logits [B, T, V], ids [B, T]
// in [0, V). Per position, over x_j = ids[b, t - j], j < min(t + 1, W):
//   a = softmax_j(q·keys[x_j] / sqrt(k) + bias[j]), g = sigmoid(gate),
//   y[v] = log(g softmax(logits)[v] + (1 - g) sum_{j: x_j = v} a_j + eps)   -> [B, T, V].
template <class T>
Var<T> copy_mixture(const Var<T>& q, const Var<T>& keys, const Var<T>& bias, const Var<T>& gate,
                    const Var<T>& logits, const xt::xarray<std::int64_t>& ids, T eps);
}  // namespace runnel::ag

#endif  // RUNNEL_TRAINER_AUTOGRAD_OPS_H_
