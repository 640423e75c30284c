// The AVX-512 instantiation of the register-tiled cell steps (cell_tiles.h).
//
// Only this file is compiled with -mavx512* (engine/BUILD, x86-64 builds). Everything it
// instantiates must stay out of the rest of the program: an inline function compiled here
// and merged by the linker with its baseline twin could put AVX-512 instructions on a
// path that runs on CPUs without them. Hence:
//   - xsimd is included under another namespace name (the #define below), so none of its
//     templates instantiated here shares a symbol with the baseline build's;
//   - runnel's own templates are instantiated on that renamed xsimd's arch types only;
//   - nothing else is included before xsimd (an earlier include of it under its real name
//     would make this file fail to compile rather than silently share code).
#if !(defined(RUNNEL_SCALAR) && RUNNEL_SCALAR) && defined(__AVX512F__) && defined(__AVX512CD__) && \
    defined(__AVX512DQ__) && defined(__AVX512BW__) && defined(__AVX512VL__)
#define RUNNEL_CELL_TILES_AVX512 1
#define xsimd runnel_xsimd_avx512
// GCC 12's avx512fintrin.h warns about its own _mm512_undefined_* (GCC bug 105593); the
// warnings come when the kernels are emitted, at the end of the file, so they stay off.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "engine/layers/cell_tiles_impl.h"
#else
#include "engine/layers/cell_tiles.h"
#endif

namespace runnel::cell_tiles {

#if RUNNEL_CELL_TILES_AVX512
// x and h in registers next to 16 accumulators: up to 4 + 4 of AVX-512's 32.
constexpr int kMaxBatches = 4;
using Arch = runnel_xsimd_avx512::avx512bw;

StepFn avx512_lstm(int input_size, int hidden_size) {
  return find_step_for_sizes<Arch, kMaxBatches>(input_size, hidden_size, /*lstm=*/true);
}
StepFn avx512_gru(int input_size, int hidden_size) {
  return find_step_for_sizes<Arch, kMaxBatches>(input_size, hidden_size, /*lstm=*/false);
}
#else
StepFn avx512_lstm(int, int) { return nullptr; }
StepFn avx512_gru(int, int) { return nullptr; }
#endif

}  // namespace runnel::cell_tiles
