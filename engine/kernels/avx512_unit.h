// First include of every file compiled for AVX-512 (kernels/kernels_avx512.cc, built twice:
// plain and with VNNI; layers/support/cell_tiles_avx512.cc; engine/BUILD gives them -mavx512* on
// x86-64 builds, and RUNNEL_VNNI_UNIT=1 with -mavx512vnni to the VNNI build).
//
// Nothing such a file compiles may be shared with the rest of the program: an inline
// function compiled there and merged by the linker with its baseline twin could put
// AVX-512 instructions on a path that runs on CPUs without them. So, when the compiler
// targets AVX-512 (and the build is not --config=scalar), this header
//   - renames xsimd's namespace, so none of the xsimd templates instantiated there shares a
//     symbol with the baseline build's (it must come before any xsimd include: an earlier
//     include under the real name would make the file fail to compile, not share code);
//   - puts the header-only kernels in their own inline namespace (kernels_config.h);
// and defines RUNNEL_AVX512_UNIT to 1. Otherwise RUNNEL_AVX512_UNIT is 0 and the files
// compile to stubs that return no kernels. `nm` on both objects: every defined symbol
// but the look-up functions names those namespaces.
#ifndef RUNNEL_ENGINE_KERNELS_AVX512_UNIT_H_
#define RUNNEL_ENGINE_KERNELS_AVX512_UNIT_H_

#if defined(RUNNEL_VNNI_UNIT) && RUNNEL_VNNI_UNIT && !defined(__AVX512VNNI__)
#define RUNNEL_AVX512_UNIT_LACKS_VNNI 1  // the VNNI build without VNNI flags (not x86-64)
#endif

#if !(defined(RUNNEL_SCALAR) && RUNNEL_SCALAR) && defined(__AVX512F__) && defined(__AVX512CD__) && \
    defined(__AVX512DQ__) && defined(__AVX512BW__) && defined(__AVX512VL__) &&               \
    !defined(RUNNEL_AVX512_UNIT_LACKS_VNNI)
#define RUNNEL_AVX512_UNIT 1
#if defined(RUNNEL_VNNI_UNIT) && RUNNEL_VNNI_UNIT
#define xsimd runnel_xsimd_avx512_vnni
#define RUNNEL_ISA_NAMESPACE isa_avx512_vnni
#else
#define xsimd runnel_xsimd_avx512
#define RUNNEL_ISA_NAMESPACE isa_avx512
#endif
// GCC 12's avx512fintrin.h warns about its own _mm512_undefined_* (GCC bug 105593); the
// warnings come when the kernels are emitted, at the end of the file, so they stay off.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#else
#define RUNNEL_AVX512_UNIT 0
#endif

#endif  // RUNNEL_ENGINE_KERNELS_AVX512_UNIT_H_
