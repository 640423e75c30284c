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

#endif  // RUNNEL_ENGINE_KERNELS_KERNELS_CONFIG_H_
