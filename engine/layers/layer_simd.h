// Compile-time SIMD switch for the few loops the sequence layers run themselves (fused
// gate matvec, attention scores): the same rule as the kernels — xsimd batches unless
// RUNNEL_SCALAR is set or xsimd finds no SIMD architecture (microcontrollers).
#ifndef RUNNEL_ENGINE_LAYERS_LAYER_SIMD_H_
#define RUNNEL_ENGINE_LAYERS_LAYER_SIMD_H_

#if defined(RUNNEL_SCALAR) && RUNNEL_SCALAR
#define RUNNEL_LAYERS_SIMD 0
#else
#include <xsimd/config/xsimd_config.hpp>
#if defined(XSIMD_NO_SUPPORTED_ARCHITECTURE)
#define RUNNEL_LAYERS_SIMD 0
#else
#define RUNNEL_LAYERS_SIMD 1
#include <xsimd/xsimd.hpp>
#endif
#endif

#endif  // RUNNEL_ENGINE_LAYERS_LAYER_SIMD_H_
