// Compile-time choice between the xsimd and the reference kernels.
// RUNNEL_KERNELS_SIMD is 1 when the xsimd path is built, 0 for the plain loops.
#ifndef RUNNEL_ENGINE_KERNELS_KERNELS_CONFIG_H_
#define RUNNEL_ENGINE_KERNELS_KERNELS_CONFIG_H_

#if defined(RUNNEL_SCALAR) && RUNNEL_SCALAR
#define RUNNEL_KERNELS_SIMD 0
#else
#include <xsimd/config/xsimd_config.hpp>
#if defined(XSIMD_NO_SUPPORTED_ARCHITECTURE)
#define RUNNEL_KERNELS_SIMD 0
#else
#define RUNNEL_KERNELS_SIMD 1
#endif
#endif

// The inline namespace the header-only kernels (kernels_reference.h, kernels_simd.h) are
// compiled in. A translation unit built for another instruction set (kernels_avx512.cc)
// sets its own, so its copies of these inline functions never share a symbol with the
// baseline build's (the linker would otherwise keep one copy for both).
#ifndef RUNNEL_ISA_NAMESPACE
#define RUNNEL_ISA_NAMESPACE isa_baseline
#endif

#endif  // RUNNEL_ENGINE_KERNELS_KERNELS_CONFIG_H_
