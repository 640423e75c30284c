// Kernels: the dispatched path (xsimd, or the plain loops under --config=scalar; once per
// instruction set this CPU runs, kernels/isa.h) and the reference plain loops are both
// compared with a double-precision computation written here from the formulas. Sizes cover the empty/one-element cases and every remainder
// modulo the batch widths in use (4, 8, 16).
#define BOOST_TEST_MODULE kernels
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "engine/kernels/kernels.h"
#include "engine/kernels/kernels_config.h"
#include "engine/kernels/kernels_reference.h"
#include "tests/for_each_isa.h"

namespace k = runnel::kernels;
using runnel::rnl::Activation;
using Vec = std::vector<float>;
using DVec = std::vector<double>;

namespace {

const int kSizes[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 100, 257};
constexpr double kTol = 1e-5;

Vec random_vec(int n, float lo, float hi, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(lo, hi);
  Vec v(n);
  for (auto& x : v) x = u(rng);
  return v;
}

// Largest error relative to max(1, scale_i): absolute near zero, relative for large values.
double max_scaled_error(const Vec& got, const DVec& want, const DVec& scale = {}) {
  double worst = 0.0;
  for (size_t i = 0; i < want.size(); ++i) {
    const double s = std::max(1.0, scale.empty() ? std::fabs(want[i]) : scale[i]);
    worst = std::max(worst, std::fabs(got[i] - want[i]) / s);
  }
  return worst;
}

// The two implementations under test, side by side.
struct Impl {
  const char* name;
  float (*dot)(const float*, const float*, int);
  void (*matvec)(const float*, const float*, const float*, int, int, float*);
  void (*matvec_acc)(const float*, const float*, int, int, float*);
  void (*dense)(const float*, const float*, const float*, int, int, Activation, float*);
  void (*softmax)(float*, int);
  void (*layer_norm)(const float*, const float*, const float*, float, float*, int);
  void (*activate)(Activation, float*, int);
};

const Impl kImpls[] = {
    {"dispatched", k::dot, k::matvec, k::matvec_acc, k::dense, k::softmax, k::layer_norm,
     k::activate},
    {"reference", k::ref::dot, k::ref::matvec, k::ref::matvec_acc, k::ref::dense,
     k::ref::softmax, k::ref::layer_norm, k::ref::activate},
};

double activation_exact(Activation act, double x) {
  switch (act) {
    case Activation::kNone: return x;
    case Activation::kRelu: return x > 0 ? x : 0;
    case Activation::kGeluTanh:
      return 0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
    case Activation::kGeluErf: return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
    case Activation::kTanh: return std::tanh(x);
    case Activation::kSigmoid: return 1 / (1 + std::exp(-x));
  }
  return 0;
}

const Activation kActivations[] = {Activation::kNone, Activation::kRelu, Activation::kGeluTanh,
                                   Activation::kGeluErf, Activation::kTanh, Activation::kSigmoid};

}  // namespace

BOOST_AUTO_TEST_CASE(backend_matches_build_config) {
  const std::string name = k::backend_name();
#if RUNNEL_KERNELS_SIMD
  BOOST_TEST(name != "scalar");
#else
  BOOST_TEST(name == "scalar");
#endif
  BOOST_TEST_MESSAGE("kernel backend: " << name);
}

BOOST_AUTO_TEST_CASE(dot_sum_max_all_sizes) {
  runnel::testing::for_each_isa([&](runnel::Isa) {
    for (int n : kSizes) {
      const Vec a = random_vec(n, -1, 1, 1 + n), b = random_vec(n, -1, 1, 100 + n);
      double want = 0, magnitude = 0, want_sum = 0, sum_mag = 0;
      for (int i = 0; i < n; ++i) {
        want += double(a[i]) * b[i];
        magnitude += std::fabs(double(a[i]) * b[i]);
        want_sum += a[i];
        sum_mag += std::fabs(a[i]);
      }
      for (const Impl& impl : kImpls) {
        BOOST_TEST_CONTEXT(impl.name << " n=" << n) {
          BOOST_TEST(std::fabs(impl.dot(a.data(), b.data(), n) - want) <= kTol * std::max(1.0, magnitude));
        }
      }
      BOOST_TEST_CONTEXT("n=" << n) {
        BOOST_TEST(std::fabs(k::sum(a.data(), n) - want_sum) <= kTol * std::max(1.0, sum_mag));
        BOOST_TEST(k::max_value(a.data(), n) == *std::max_element(a.begin(), a.end()));
      }
    }
    BOOST_TEST(k::dot(nullptr, nullptr, 0) == 0.f);
  });
}

BOOST_AUTO_TEST_CASE(matvec_with_and_without_bias_odd_shapes) {
  runnel::testing::for_each_isa([&](runnel::Isa) {
    const int kRows[] = {1, 3, 4, 5, 7, 13};
    for (int rows : kRows) {
      for (int cols : kSizes) {
        const Vec w = random_vec(rows * cols, -1, 1, rows * 1000 + cols);
        const Vec x = random_vec(cols, -2, 2, cols);
        const Vec b = random_vec(rows, -1, 1, rows);
        DVec want(rows), want_b(rows), magnitude(rows);
        for (int r = 0; r < rows; ++r) {
          for (int c = 0; c < cols; ++c) {
            want[r] += double(w[r * cols + c]) * x[c];
            magnitude[r] += std::fabs(double(w[r * cols + c]) * x[c]);
          }
          want_b[r] = want[r] + b[r];
        }
        for (const Impl& impl : kImpls) {
          BOOST_TEST_CONTEXT(impl.name << " rows=" << rows << " cols=" << cols) {
            Vec y(rows);
            impl.matvec(w.data(), x.data(), nullptr, rows, cols, y.data());
            BOOST_TEST(max_scaled_error(y, want, magnitude) <= kTol);
            impl.matvec(w.data(), x.data(), b.data(), rows, cols, y.data());
            BOOST_TEST(max_scaled_error(y, want_b, magnitude) <= kTol);
            impl.matvec_acc(w.data(), x.data(), rows, cols, y.data());  // y = Wx + b + Wx
            DVec twice(rows);
            for (int r = 0; r < rows; ++r) twice[r] = 2 * want[r] + b[r];
            BOOST_TEST(max_scaled_error(y, twice, magnitude) <= 2 * kTol);
          }
        }
      }
    }
  });
}

// int8 weights: random rows including both extremes (-128 and 127 are legal values of the
// storage type even though the quantiser writes [-127, 127]) and per-row scales spanning
// several orders of magnitude.
std::vector<int8_t> random_q8(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> u(-128, 127);
  std::vector<int8_t> q(n);
  for (auto& v : q) v = static_cast<int8_t>(u(rng));
  if (n > 0) q[0] = -128;
  if (n > 1) q[n - 1] = 127;
  return q;
}

// The int8 matvec (numerics: kernels_reference.h): each instruction set against the
// reference loops (the same integer sums, so equal up to the rounding of the last float
// steps), and both against double-precision math on the dequantised weights, within the
// bound that rounding the input to 16 bits allows: scales[r] · s_x / 2 · sum_c |q[r, c]|.
struct Q8Case {
  int rows, cols;
  std::vector<int8_t> q;
  Vec x, b, scales;
  DVec exact;      // sum_c scales[r] · q · x + b, in double
  DVec bound;      // the input rounding's bound plus float slack
  DVec magnitude;  // |b| + sum |scales · q · x|
};

Q8Case make_q8_case(int rows, int cols, float x_range, unsigned seed) {
  Q8Case k{rows, cols, random_q8(static_cast<size_t>(rows) * cols, seed), random_vec(cols, -x_range, x_range, seed + 1),
           random_vec(rows, -1, 1, seed + 2), random_vec(rows, 0, 1, seed + 3), {}, {}, {}};
  for (float& s : k.scales) s = std::pow(10.f, -4.f + 4.f * s);  // 1e-4 .. 1
  double max_x = 0;
  for (float v : k.x) max_x = std::max(max_x, std::fabs(double(v)));
  for (int r = 0; r < rows; ++r) {
    double sum = k.b[r], mag = std::fabs(k.b[r]), q_abs = 0;
    for (int c = 0; c < cols; ++c) {
      const double term = double(k.scales[r]) * k.q[r * cols + c] * k.x[c];
      sum += term;
      mag += std::fabs(term);
      q_abs += std::abs(k.q[r * cols + c]);
    }
    k.exact.push_back(sum);
    k.magnitude.push_back(mag);
    k.bound.push_back(k.scales[r] * (max_x / 32767) / 2 * q_abs + 1e-6 * mag);
  }
  return k;
}

BOOST_AUTO_TEST_CASE(int8_matvec_matches_reference_and_bound) {
  runnel::testing::for_each_isa([&](runnel::Isa) {
    const int kRows[] = {1, 3, 4, 5, 7, 8, 13, 16, 17, 33, 64};
    const int kCols[] = {1, 2, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 100, 127, 128, 129, 255, 256, 257, 600};
    for (int rows : kRows) {
      for (int cols : kCols) {
        for (float x_range : {2.f, 1e-3f, 3e4f}) {
          const Q8Case k = make_q8_case(rows, cols, x_range, rows * 1000 + cols);
          BOOST_TEST_CONTEXT("rows=" << rows << " cols=" << cols << " |x|<=" << x_range) {
            for (const float* bias : {static_cast<const float*>(nullptr), k.b.data()}) {
              Vec y(rows), y_ref(rows);
              k::matvec_q8(k.q.data(), k.scales.data(), k.x.data(), bias, rows, cols, y.data());
              k::ref::matvec_q8(k.q.data(), k.scales.data(), k.x.data(), bias, rows, cols, y_ref.data());
              for (int r = 0; r < rows; ++r) {
                const double b = bias ? bias[r] : 0.0, want = k.exact[r] - k.b[r] + b;
                BOOST_TEST(std::fabs(y_ref[r] - want) <= k.bound[r]);
                // The same integer sums: only the last float steps may round differently.
                BOOST_TEST(std::fabs(y[r] - y_ref[r]) <= 4e-7 * (std::fabs(y_ref[r]) + 2 * std::fabs(b)) + 1e-30);
              }
            }
          }
        }
      }
    }
  });
}

// A row's result moves by scales[r] · s_x · q for each unit of a rounded input, far more
// than the tolerance above: a lost, doubled or misplaced column or lane would show. Here
// every weight is one and the inputs are exact multiples of s_x, so the exact sum is known.
BOOST_AUTO_TEST_CASE(int8_matvec_exact_on_representable_inputs) {
  runnel::testing::for_each_isa([&](runnel::Isa) {
    for (int rows : {1, 8, 16, 19, 64}) {
      for (int cols : {1, 15, 16, 17, 32, 33, 64, 100, 128, 129, 256, 300}) {
        std::vector<int8_t> q(static_cast<size_t>(rows) * cols);
        for (int r = 0; r < rows; ++r)
          for (int c = 0; c < cols; ++c) q[r * cols + c] = static_cast<int8_t>((r * 31 + c * 17) % 255 - 127);
        // x[c] = k_c · 2^-10 with max |x| = 32767 · 2^-10: then s_x = 2^-10 and every x[c]
        // becomes exactly k_c.
        Vec x(cols);
        for (int c = 0; c < cols; ++c) x[c] = static_cast<float>((c * 7919) % 65535 - 32767) / 1024.f;
        x[0] = 32767.f / 1024.f;
        const Vec scales(rows, 1.f);
        Vec y(rows);
        k::matvec_q8(q.data(), scales.data(), x.data(), nullptr, rows, cols, y.data());
        BOOST_TEST_CONTEXT("rows=" << rows << " cols=" << cols) {
          for (int r = 0; r < rows; ++r) {
            double want = 0, magnitude = 0;
            for (int c = 0; c < cols; ++c) {
              want += double(q[r * cols + c]) * x[c];
              magnitude += std::fabs(double(q[r * cols + c]) * x[c]);
            }
            // Each block of kQ8Block columns is an exact integer, rounded once to f32 (and
            // the blocks' sum once more).
            BOOST_TEST(std::fabs(y[r] - want) <= magnitude * 1.2e-7 * (cols / k::ref::kQ8Block + 1));
          }
        }
      }
    }
  });
}

BOOST_AUTO_TEST_CASE(int8_matvec_special_inputs) {
  runnel::testing::for_each_isa([&](runnel::Isa) {
    const int rows = 19, cols = 37;
    const auto q = random_q8(static_cast<size_t>(rows) * cols, 41);
    const Vec scales = random_vec(rows, 0.01f, 0.02f, 42), b = random_vec(rows, -1, 1, 43);
    Vec y(rows);
    // All zeros (and a range too small to scale): the bias alone.
    for (float tiny : {0.f, 1e-31f}) {
      Vec x(cols, tiny);
      k::matvec_q8(q.data(), scales.data(), x.data(), b.data(), rows, cols, y.data());
      BOOST_TEST(y == b, boost::test_tools::per_element());
    }
    // A NaN or an infinity reaches every row that uses it, as with f32 weights.
    for (int at : {0, 17, 36}) {
      for (float bad : {NAN, INFINITY}) {
        Vec x = random_vec(cols, -1, 1, 44);
        x[at] = bad;
        k::matvec_q8(q.data(), scales.data(), x.data(), b.data(), rows, cols, y.data());
        for (int r = 0; r < rows; ++r)
          if (q[r * cols + at] != 0) BOOST_TEST(!std::isfinite(y[r]));
      }
    }
  });
}

BOOST_AUTO_TEST_CASE(int8_unaligned_rows_and_axpy) {
  runnel::testing::for_each_isa([&](runnel::Isa) {
    // Rows of an int8 matrix start at any byte: the loads must not assume alignment.
    const int rows = 9, cols = 37;
    const auto q = random_q8(static_cast<size_t>(rows) * cols + 3, 31);
    const Vec x = random_vec(cols + 3, -1, 1, 32), scales = random_vec(rows, 0.01f, 0.02f, 33);
    for (int offset : {1, 2, 3}) {
      Vec y(rows), y_ref(rows);
      k::matvec_q8(q.data() + offset, scales.data(), x.data() + offset, nullptr, rows, cols, y.data());
      k::ref::matvec_q8(q.data() + offset, scales.data(), x.data() + offset, nullptr, rows, cols, y_ref.data());
      for (int r = 0; r < rows; ++r) BOOST_TEST(std::fabs(y[r] - y_ref[r]) <= 1e-6f * (std::fabs(y_ref[r]) + 1e-3f));
    }
    for (int n : kSizes) {
      const auto qa = random_q8(n, 77 + n);
      const Vec y0 = random_vec(n, -1, 1, 78 + n);
      DVec want(n);
      for (int i = 0; i < n; ++i) want[i] = y0[i] + 0.0125 * qa[i];
      Vec y = y0;
      k::axpy_q8(0.0125f, qa.data(), y.data(), n);
      BOOST_TEST_CONTEXT("axpy_q8 n=" << n) { BOOST_TEST(max_scaled_error(y, want) <= kTol); }
    }
  });
}

BOOST_AUTO_TEST_CASE(dense_applies_each_activation) {
  runnel::testing::for_each_isa([&](runnel::Isa) {
    const int rows = 11, cols = 19;
    const Vec w = random_vec(rows * cols, -0.5, 0.5, 7), x = random_vec(cols, -1, 1, 8);
    const Vec b = random_vec(rows, -0.5, 0.5, 9);
    for (Activation act : kActivations) {
      DVec want(rows);
      for (int r = 0; r < rows; ++r) {
        double s = b[r];
        for (int c = 0; c < cols; ++c) s += double(w[r * cols + c]) * x[c];
        want[r] = activation_exact(act, s);
      }
      for (const Impl& impl : kImpls) {
        BOOST_TEST_CONTEXT(impl.name << " act=" << int(act)) {
          Vec y(rows);
          impl.dense(w.data(), x.data(), b.data(), rows, cols, act, y.data());
          BOOST_TEST(max_scaled_error(y, want) <= kTol);
        }
      }
    }
  });
}

BOOST_AUTO_TEST_CASE(elementwise_binary_ops) {
  runnel::testing::for_each_isa([&](runnel::Isa) {
    for (int n : kSizes) {
      const Vec a = random_vec(n, -3, 3, n), b = random_vec(n, -3, 3, 50 + n);
      DVec want_add(n), want_mul(n), want_max(n), want_axpy(n), want_scale(n), want_exp(n);
      for (int i = 0; i < n; ++i) {
        want_add[i] = double(a[i]) + b[i];
        want_mul[i] = double(a[i]) * b[i];
        want_max[i] = std::max(a[i], b[i]);
        want_axpy[i] = b[i] + 0.75 * a[i];
        want_scale[i] = -1.5 * a[i];
        want_exp[i] = std::exp(double(a[i]));
      }
      BOOST_TEST_CONTEXT("n=" << n) {
        Vec y(n);
        k::add(a.data(), b.data(), y.data(), n);
        BOOST_TEST(max_scaled_error(y, want_add) <= kTol);
        k::mul(a.data(), b.data(), y.data(), n);
        BOOST_TEST(max_scaled_error(y, want_mul) <= kTol);
        k::maximum(a.data(), b.data(), y.data(), n);
        BOOST_TEST(max_scaled_error(y, want_max) == 0.0);
        y = b;
        k::axpy(0.75f, a.data(), y.data(), n);
        BOOST_TEST(max_scaled_error(y, want_axpy) <= kTol);
        y = a;
        k::scale(y.data(), -1.5f, n);
        BOOST_TEST(max_scaled_error(y, want_scale) <= kTol);
        y = a;
        k::exp_inplace(y.data(), n);
        BOOST_TEST(max_scaled_error(y, want_exp) <= kTol);
        y = a;  // aliasing: y = y + b
        k::add(y.data(), b.data(), y.data(), n);
        BOOST_TEST(max_scaled_error(y, want_add) <= kTol);
      }
    }
  });
}

BOOST_AUTO_TEST_CASE(softmax_stable_and_normalised) {
  runnel::testing::for_each_isa([&](runnel::Isa) {
    for (int n : kSizes) {
      for (float spread : {1.f, 30.f, 200.f}) {  // 200: exp would overflow without the max shift
        const Vec x = random_vec(n, -spread, spread, 3 * n);
        const double m = *std::max_element(x.begin(), x.end());
        DVec want(n);
        double s = 0;
        for (int i = 0; i < n; ++i) s += (want[i] = std::exp(x[i] - m));
        for (double& v : want) v /= s;
        for (const Impl& impl : kImpls) {
          BOOST_TEST_CONTEXT(impl.name << " n=" << n << " spread=" << spread) {
            Vec y = x;
            impl.softmax(y.data(), n);
            BOOST_TEST(max_scaled_error(y, want) <= kTol);
          }
        }
      }
    }
  });
}

BOOST_AUTO_TEST_CASE(layer_norm_including_aliasing) {
  runnel::testing::for_each_isa([&](runnel::Isa) {
    for (int n : kSizes) {
      const Vec x = random_vec(n, -4, 6, 5 * n), gamma = random_vec(n, 0.5, 1.5, 6 * n),
                beta = random_vec(n, -1, 1, 7 * n);
      const float eps = 1e-5f;
      double mean = 0, var = 0;
      for (float v : x) mean += v;
      mean /= n;
      for (float v : x) var += (v - mean) * (v - mean);
      var /= n;
      DVec want(n);
      for (int i = 0; i < n; ++i) want[i] = (x[i] - mean) / std::sqrt(var + eps) * gamma[i] + beta[i];
      for (const Impl& impl : kImpls) {
        BOOST_TEST_CONTEXT(impl.name << " n=" << n) {
          Vec y(n);
          impl.layer_norm(x.data(), gamma.data(), beta.data(), eps, y.data(), n);
          // n = 1 normalises 0/sqrt(eps): exact. Otherwise outputs are O(1).
          BOOST_TEST(max_scaled_error(y, want) <= kTol);
          Vec in_place = x;
          impl.layer_norm(in_place.data(), gamma.data(), beta.data(), eps, in_place.data(), n);
          BOOST_TEST(in_place == y, boost::test_tools::per_element());
        }
      }
    }
  });
}

BOOST_AUTO_TEST_CASE(activations_over_wide_range_and_extremes) {
  runnel::testing::for_each_isa([&](runnel::Isa) {
    // A dense sweep of [-12, 12] plus values where approximations usually break down.
    Vec x;
    for (int i = -1200; i <= 1200; ++i) x.push_back(i * 0.01f);
    for (float v : {-100.f, -30.f, -20.f, -9.5f, -1e-6f, 0.f, 1e-6f, 9.5f, 20.f, 30.f, 100.f})
      x.push_back(v);
    for (int n : {static_cast<int>(x.size()), 1, 3, 13}) {  // full sweep and short tails
      for (Activation act : kActivations) {
        DVec want(n);
        for (int i = 0; i < n; ++i) want[i] = activation_exact(act, x[i]);
        for (const Impl& impl : kImpls) {
          BOOST_TEST_CONTEXT(impl.name << " act=" << int(act) << " n=" << n) {
            Vec y(x.begin(), x.begin() + n);
            impl.activate(act, y.data(), n);
            BOOST_TEST(max_scaled_error(y, want) <= kTol);
          }
        }
      }
    }
  });
}

BOOST_AUTO_TEST_CASE(named_activation_functions_match_activate) {
  runnel::testing::for_each_isa([&](runnel::Isa) {
    const Vec x = random_vec(37, -5, 5, 11);
    const std::pair<Activation, void (*)(float*, int)> named[] = {
        {Activation::kRelu, k::relu},         {Activation::kGeluTanh, k::gelu_tanh},
        {Activation::kGeluErf, k::gelu_erf},  {Activation::kTanh, k::tanh_inplace},
        {Activation::kSigmoid, k::sigmoid}};
    for (const auto& [act, fn] : named) {
      Vec a = x, b = x;
      fn(a.data(), 37);
      k::activate(act, b.data(), 37);
      BOOST_TEST(a == b, boost::test_tools::per_element());
    }
  });
}

BOOST_AUTO_TEST_CASE(unaligned_pointers_give_the_same_results) {
  runnel::testing::for_each_isa([&](runnel::Isa) {
    // Weights in the file are 64-byte aligned, but slices of them (rows, ring-buffer rows
    // of odd width, inputs at an offset) are not: every kernel loads unaligned.
    const int n = 37;
    const Vec a = random_vec(n + 3, -1, 1, 14), b = random_vec(n + 3, -1, 1, 15);
    for (int offset : {1, 2, 3}) {
      BOOST_TEST_CONTEXT("offset=" << offset) {
        const float* ua = a.data() + offset;
        const float* ub = b.data() + offset;
        BOOST_TEST(std::fabs(k::dot(ua, ub, n) - k::ref::dot(ua, ub, n)) <= 1e-5f * n);
        Vec y(3), y_ref(3);
        k::matvec(ua, ub, nullptr, 3, 11, y.data());
        k::ref::matvec(ua, ub, nullptr, 3, 11, y_ref.data());
        for (int r = 0; r < 3; ++r) BOOST_TEST(std::fabs(y[r] - y_ref[r]) <= 1e-5f * 11);
        Vec g(a.begin() + offset, a.end()), g_ref = g;
        k::gelu_erf(g.data() + 1, n - 1);
        k::ref::gelu_erf(g_ref.data() + 1, n - 1);
        for (int i = 0; i < n; ++i) BOOST_TEST(std::fabs(g[i] - g_ref[i]) <= 1e-5f);
      }
    }
  });
}

BOOST_AUTO_TEST_CASE(argmax_first_of_ties) {
  runnel::testing::for_each_isa([&](runnel::Isa) {
    const Vec x = {1.f, 5.f, -2.f, 5.f, 3.f, 5.f};
    BOOST_TEST(k::argmax(x.data(), 6) == 1);
    BOOST_TEST(k::argmax(x.data(), 1) == 0);
    const Vec all_equal(9, 2.f);
    BOOST_TEST(k::argmax(all_equal.data(), 9) == 0);
    const Vec r = random_vec(257, -1, 1, 12);
    BOOST_TEST(k::argmax(r.data(), 257) == std::max_element(r.begin(), r.end()) - r.begin());
  });
}

BOOST_AUTO_TEST_CASE(top_k_descending_ties_lower_index_first) {
  runnel::testing::for_each_isa([&](runnel::Isa) {
    const Vec x = {0.5f, 2.f, 2.f, -1.f, 3.f, 2.f, 0.5f};
    int idx[4];
    float val[4];
    k::top_k(x.data(), 7, 4, idx, val);
    const int want_idx[] = {4, 1, 2, 5};
    const float want_val[] = {3.f, 2.f, 2.f, 2.f};
    BOOST_TEST(std::vector<int>(idx, idx + 4) == std::vector<int>(want_idx, want_idx + 4),
               boost::test_tools::per_element());
    BOOST_TEST(Vec(val, val + 4) == Vec(want_val, want_val + 4), boost::test_tools::per_element());

    // Against a stable sort on random data with many duplicates, for k up to n.
    std::mt19937 rng(13);
    std::uniform_int_distribution<int> small(0, 6);
    Vec r(50);
    for (float& v : r) v = float(small(rng));
    std::vector<int> order(50);
    for (int i = 0; i < 50; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return r[a] > r[b]; });
    for (int kk : {1, 5, 17, 50}) {
      std::vector<int> got_idx(kk);
      Vec got_val(kk);
      k::top_k(r.data(), 50, kk, got_idx.data(), got_val.data());
      BOOST_TEST_CONTEXT("k=" << kk) {
        BOOST_TEST(got_idx == std::vector<int>(order.begin(), order.begin() + kk),
                   boost::test_tools::per_element());
        for (int i = 0; i < kk; ++i) BOOST_TEST(got_val[i] == r[got_idx[i]]);
      }
    }
  });
}
