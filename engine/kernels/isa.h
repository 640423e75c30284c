// Instruction-set levels the engine carries code for beyond its build baseline, and the
// one this CPU runs.
//
// The baseline is what the compile flags select (kernels.h: AVX2 + FMA on the x86-64
// builds of .bazelrc, NEON on arm64, plain loops with --config=scalar); a binary built
// for it runs on every such machine. On x86-64, the recurrent cells additionally carry an
// AVX-512 path compiled in a translation unit of its own (layers/cell_tiles_avx512.cc)
// and picked when a layer is made, so the same binary uses the wider registers where the
// CPU and OS have them and never executes them where they do not.
#ifndef RUNNEL_ENGINE_KERNELS_ISA_H_
#define RUNNEL_ENGINE_KERNELS_ISA_H_

namespace runnel {

enum class Isa : int {
  kBaseline = 0,  // the build's own kernels
  kAvx512 = 1,    // AVX-512 F/CD/DQ/BW/VL (x86-64-v4)
};

// Whether this build has code for `isa` and this CPU and OS can run it.
bool isa_runs(Isa isa);
// The widest level for which isa_runs() holds (decided once, on first call).
Isa best_isa();
const char* isa_name(Isa isa);

}  // namespace runnel

#endif  // RUNNEL_ENGINE_KERNELS_ISA_H_
