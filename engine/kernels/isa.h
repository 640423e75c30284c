// Instruction-set levels the engine carries code for beyond its build baseline, and the
// one the process runs.
//
// The baseline is what the compile flags select (kernels.h: AVX2 + FMA on the x86-64
// builds of .bazelrc, NEON on arm64, plain loops with --config=scalar); a binary built for
// it runs on every such machine. On x86-64 the engine also carries AVX-512 code, compiled
// in translation units of their own (kernels/kernels_avx512.cc: every kernel of kernels.h;
// layers/support/cell_tiles_avx512.cc: register-tiled GRU/LSTM steps), and a second build of the
// kernels with VNNI, which only the int8 matvec uses (kernels_avx512.cc). The process picks
// the widest level the CPU and OS run, once, on first use; the same binary never executes
// AVX-512 or VNNI instructions where they are not supported.
#ifndef RUNNEL_ENGINE_KERNELS_ISA_H_
#define RUNNEL_ENGINE_KERNELS_ISA_H_

namespace runnel {

enum class Isa : int {
  kBaseline = 0,  // the build's own kernels
  kAvx512 = 1,    // AVX-512 F/CD/DQ/BW/VL (x86-64-v4)
  kAvx512Vnni = 2,  // the same plus AVX512-VNNI (Ice Lake, Zen 4 and later)
};
constexpr Isa kAllIsas[] = {Isa::kBaseline, Isa::kAvx512, Isa::kAvx512Vnni};

// Whether this build has code for `isa` and this CPU and OS can run it.
bool isa_runs(Isa isa);
// The level the process runs: the kernels of kernels.h dispatch on it at every call, and
// layers made without an explicit Isa (GRU, LSTM) take it. Initially the widest for which
// isa_runs() holds.
Isa best_isa();
// Makes the process run `isa` (tests and benchmarks compare levels this way). Returns
// false, changing nothing, when !isa_runs(isa). Call it before making layers or loading
// models: layers keep the level they were made with. Not meant to race with kernel calls.
bool set_isa(Isa isa);
const char* isa_name(Isa isa);

}  // namespace runnel

#endif  // RUNNEL_ENGINE_KERNELS_ISA_H_
