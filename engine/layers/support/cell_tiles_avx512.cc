// The AVX-512 instantiation of the register-tiled cell steps (cell_tiles.h); see
// kernels/avx512_unit.h for how it stays apart from the baseline build.
#include "engine/kernels/avx512_unit.h"

#if RUNNEL_AVX512_UNIT
#include "engine/layers/support/cell_tiles_impl.h"
#else
#include "engine/layers/support/cell_tiles.h"
#endif

namespace runnel::cell_tiles {

#if RUNNEL_AVX512_UNIT
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
