#include "engine/kernels/isa.h"

#include <atomic>

#include "engine/kernels/kernels_table.h"

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

bool cpu_has_avx512_vnni() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  return cpu_has_avx512() && __builtin_cpu_supports("avx512vnni");
#else
  return false;
#endif
}

Isa widest_running() {
  if (isa_runs(Isa::kAvx512Vnni)) return Isa::kAvx512Vnni;
  return isa_runs(Isa::kAvx512) ? Isa::kAvx512 : Isa::kBaseline;
}

// -1 until first use (constant-initialised: safe to read from other files' static init).
std::atomic<int> g_isa{-1};

}  // namespace

bool isa_runs(Isa isa) {
  switch (isa) {
    case Isa::kBaseline: return true;
    case Isa::kAvx512: {
      static const bool runs = kernels::avx512_kernel_table() != nullptr && cpu_has_avx512();
      return runs;
    }
    case Isa::kAvx512Vnni: {
      static const bool runs = kernels::avx512_vnni_kernel_table() != nullptr && cpu_has_avx512_vnni();
      return runs;
    }
  }
  return false;
}

Isa best_isa() {
  int isa = g_isa.load(std::memory_order_relaxed);
  if (isa < 0) {
    isa = static_cast<int>(widest_running());
    g_isa.store(isa, std::memory_order_relaxed);
  }
  return static_cast<Isa>(isa);
}

bool set_isa(Isa isa) {
  if (!isa_runs(isa)) return false;
  g_isa.store(static_cast<int>(isa), std::memory_order_relaxed);
  return true;
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::kBaseline: return "baseline";
    case Isa::kAvx512: return "avx512";
    case Isa::kAvx512Vnni: return "avx512_vnni";
  }
  return "?";
}

}  // namespace runnel
