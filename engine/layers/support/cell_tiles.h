// Register-tiled steps of the recurrent cells for an instruction set beyond the build's
// baseline (see kernels/isa.h), looked up by size when a layer is made.
//
// Why a second path: with 64 -> 64 cells the baseline path (gate_matvec.h) streams the
// weights column block by column block across 8 rows and re-loads the input for each.
// Here a block of one batch width of rows (16 on AVX-512) is read row after row, in memory
// order, while x and h stay in registers for the whole event: the hardware prefetcher sees
// one sequential stream per weight matrix, and the inner loop is nothing but fused
// multiply-adds with a memory operand. That needs the row widths I and H at compile time,
// so there is one kernel per (I, H) in whole batches, up to 4 batches each (what fits in
// AVX-512's 32 registers beside 16 accumulators); other sizes keep the baseline path.
//
// This header is safe to include anywhere: it declares plain functions and a POD. The
// kernels themselves (cell_tiles_impl.h) are compiled only in their instruction set's
// translation unit.
#ifndef RUNNEL_ENGINE_LAYERS_SUPPORT_CELL_TILES_H_
#define RUNNEL_ENGINE_LAYERS_SUPPORT_CELL_TILES_H_

namespace runnel::cell_tiles {

struct CellWeights {
  const float* w_ih;  // [gates·H, I]
  const float* w_hh;  // [gates·H, H]
  const float* b_ih;  // [gates·H]
  const float* b_hh;  // [gates·H]
};

// One event: reads x [I], updates state (LSTM: h | c, GRU: h) and writes out [H] = h'.
// t is the event's index (it only picks the walk direction, cell_math.h).
using StepFn = void (*)(const CellWeights& w, const float* x, long long t, float* state, float* out);

// The AVX-512 kernels; nullptr when this build has none (not x86-64, --config=scalar) or
// there is none for these sizes. Callers check isa_runs(Isa::kAvx512) first.
StepFn avx512_lstm(int input_size, int hidden_size);
StepFn avx512_gru(int input_size, int hidden_size);

}  // namespace runnel::cell_tiles

#endif  // RUNNEL_ENGINE_LAYERS_SUPPORT_CELL_TILES_H_
