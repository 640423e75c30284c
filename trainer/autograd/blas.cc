// The only place that talks to BLAS. OpenBLAS (pthread build) would otherwise start its
// own threads; the parallelism belongs to oneTBB shards, and one thread inside BLAS keeps
// results independent of how many shards run at once.
#include <cblas.h>

#include <mutex>
#include <sstream>

#include "trainer/autograd/detail.h"

extern "C" void openblas_set_num_threads(int num_threads);

namespace runnel::ag::detail {
namespace {
void single_threaded_blas() {
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
}
CBLAS_TRANSPOSE tr(bool t) { return t ? CblasTrans : CblasNoTrans; }
int i(std::size_t v) { return static_cast<int>(v); }
}  // namespace

std::string shape_str(const Shape& s) {
  std::ostringstream o;
  o << '[';
  for (std::size_t d = 0; d < s.size(); ++d) o << (d ? "," : "") << s[d];
  o << ']';
  return o.str();
}

template <>
void gemm<float>(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha,
                 const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta,
                 float* c, std::size_t ldc) {
  if (m == 0 || n == 0) return;
  single_threaded_blas();
  cblas_sgemm(CblasRowMajor, tr(ta), tr(tb), i(m), i(n), i(k), alpha, a, i(lda), b, i(ldb), beta,
              c, i(ldc));
}

template <>
void gemm<double>(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, double alpha,
                  const double* a, std::size_t lda, const double* b, std::size_t ldb, double beta,
                  double* c, std::size_t ldc) {
  if (m == 0 || n == 0) return;
  single_threaded_blas();
  cblas_dgemm(CblasRowMajor, tr(ta), tr(tb), i(m), i(n), i(k), alpha, a, i(lda), b, i(ldb), beta,
              c, i(ldc));
}

}  // namespace runnel::ag::detail
