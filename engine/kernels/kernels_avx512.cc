// The AVX-512 build of the xsimd kernels (kernels_simd.h, kernels_attention.h), as one
// KernelTable.
//
// Only this file and layers/cell_tiles_avx512.cc are compiled with -mavx512* (engine/BUILD,
// x86-64 builds). Nothing they compile may be shared with the rest of the program: an
// inline function compiled here and merged by the linker with its baseline twin could put
// AVX-512 instructions on a path that runs on CPUs without them. So xsimd is included under
// another namespace name and the kernels under their own inline namespace; `nm` on the
// object shows no defined symbol outside those but avx512_kernel_table().
#if !(defined(RUNNEL_SCALAR) && RUNNEL_SCALAR) && defined(__AVX512F__) && defined(__AVX512CD__) && \
    defined(__AVX512DQ__) && defined(__AVX512BW__) && defined(__AVX512VL__)
#define RUNNEL_KERNELS_AVX512 1
#define xsimd runnel_xsimd_avx512
#define RUNNEL_ISA_NAMESPACE isa_avx512
// GCC 12's avx512fintrin.h warns about its own _mm512_undefined_* (GCC bug 105593); the
// warnings come when the kernels are emitted, at the end of the file, so they stay off.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "engine/kernels/kernels_attention.h"
#include "engine/kernels/kernels_simd.h"
#endif

#include "engine/kernels/kernels_table.h"

namespace runnel::kernels {

#if RUNNEL_KERNELS_AVX512
const KernelTable* avx512_kernel_table() {
  using namespace isa_avx512;
  static constexpr KernelTable kTable = RUNNEL_KERNEL_TABLE(simd, simd::arch_name(), simd::kWidth);
  return &kTable;
}
#else
const KernelTable* avx512_kernel_table() { return nullptr; }
#endif

}  // namespace runnel::kernels
