#include "engine/kernels/isa.h"

#include "engine/layers/cell_tiles.h"

namespace runnel {
namespace {

bool cpu_has_avx512() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  // libgcc's check also asks the OS (XGETBV) whether it saves the ZMM and mask registers.
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl");
#else
  return false;
#endif
}

}  // namespace

bool isa_runs(Isa isa) {
  switch (isa) {
    case Isa::kBaseline: return true;
    case Isa::kAvx512: {
      static const bool runs = cell_tiles::avx512_built() && cpu_has_avx512();
      return runs;
    }
  }
  return false;
}

Isa best_isa() { return isa_runs(Isa::kAvx512) ? Isa::kAvx512 : Isa::kBaseline; }

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::kBaseline: return "baseline";
    case Isa::kAvx512: return "avx512";
  }
  return "?";
}

}  // namespace runnel
