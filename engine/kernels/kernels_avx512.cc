// The AVX-512 build of the xsimd kernels (kernels_simd.h, kernels_attention.h), as one
// KernelTable; see avx512_unit.h for how it stays apart from the baseline build.
// engine/BUILD compiles this file twice: plain AVX-512 (avx512_kernel_table) and with
// VNNI, RUNNEL_VNNI_UNIT=1 (avx512_vnni_kernel_table), whose int8 matvec multiplies and
// adds in one instruction (batch_ops.h, madd_q8).
#include "engine/kernels/avx512_unit.h"

#if RUNNEL_AVX512_UNIT
#include "engine/kernels/kernels_attention.h"
#include "engine/kernels/kernels_simd.h"
#endif

#include "engine/kernels/kernels_table.h"

namespace runnel::kernels {

#if defined(RUNNEL_VNNI_UNIT) && RUNNEL_VNNI_UNIT
#define RUNNEL_KERNEL_TABLE_FN avx512_vnni_kernel_table
#define RUNNEL_KERNEL_TABLE_NAME "avx512bw+vnni"
#else
#define RUNNEL_KERNEL_TABLE_FN avx512_kernel_table
#define RUNNEL_KERNEL_TABLE_NAME simd::arch_name()
#endif

#if RUNNEL_AVX512_UNIT
const KernelTable* RUNNEL_KERNEL_TABLE_FN() {
  using namespace RUNNEL_ISA_NAMESPACE;
  static constexpr KernelTable kTable = RUNNEL_KERNEL_TABLE(simd, RUNNEL_KERNEL_TABLE_NAME, simd::kWidth);
  return &kTable;
}
#else
const KernelTable* RUNNEL_KERNEL_TABLE_FN() { return nullptr; }
#endif

}  // namespace runnel::kernels
