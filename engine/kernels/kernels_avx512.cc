// The AVX-512 build of the xsimd kernels (kernels_simd.h, kernels_attention.h), as one
// KernelTable; see avx512_unit.h for how it stays apart from the baseline build.
#include "engine/kernels/avx512_unit.h"

#if RUNNEL_AVX512_UNIT
#include "engine/kernels/kernels_attention.h"
#include "engine/kernels/kernels_simd.h"
#endif

#include "engine/kernels/kernels_table.h"

namespace runnel::kernels {

#if RUNNEL_AVX512_UNIT
const KernelTable* avx512_kernel_table() {
  using namespace isa_avx512;
  static constexpr KernelTable kTable = RUNNEL_KERNEL_TABLE(simd, simd::arch_name(), simd::kWidth);
  return &kTable;
}
#else
const KernelTable* avx512_kernel_table() { return nullptr; }
#endif

}  // namespace runnel::kernels
