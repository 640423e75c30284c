// Valid models built to hurt a careless host (testdata/hostile/*.rnl): each loads, and
// each is what a test of the engine or the CLI needs to show a resource bound or a
// misuse is refused cleanly rather than crashing or printing garbage.
#ifndef RUNNEL_TOOLS_TESTDATA_HOSTILE_MODELS_H_
#define RUNNEL_TOOLS_TESTDATA_HOSTILE_MODELS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tools/testdata/sample_models.h"

namespace runnel {
namespace testdata {

// 128 kLinearDecay records (window 2^16) over a width of 2^20 (nested concats of a small
// embedding, so the file stays small): 2^45 + 128 bytes per session (~35 TB), ~0.5 GB of
// scratch. A host that multiplies sessions by that without a check overflows.
rnl::RnlWriter huge_session_model();
uint64_t huge_session_bytes();   // what Model::session_bytes() must say on a 64-bit host

// Static features through a kDense with weights 1e30: finite weights, yet a static value
// of 1e10 overflows the regression output to infinity (kNonFiniteOutput at step).
rnl::RnlWriter overflowing_model();

// Field "Kind" whose vocabulary holds only the unknown id: a categorical head of width 1
// that can predict nothing (scoring must not count unknown == unknown as right).
rnl::RnlWriter unknown_only_model();

std::vector<SampleModel> hostile_models();

}  // namespace testdata
}  // namespace runnel

#endif  // RUNNEL_TOOLS_TESTDATA_HOSTILE_MODELS_H_
