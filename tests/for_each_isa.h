// Test helper: runs a body once per instruction set this CPU runs (kernels/isa.h), with the
// process switched to it (the dispatched kernels and layers made without an explicit Isa
// follow runnel::set_isa), then switches back to the best one. Levels the CPU or build
// cannot run are named in the test log, not silently skipped.
#ifndef RUNNEL_TESTS_FOR_EACH_ISA_H_
#define RUNNEL_TESTS_FOR_EACH_ISA_H_

#include <boost/test/unit_test.hpp>

#include "engine/kernels/isa.h"

namespace runnel::testing {

template <class Body>
void for_each_isa(Body body) {
  const Isa best = best_isa();
  for (const Isa isa : kAllIsas) {
    if (!isa_runs(isa)) {
      BOOST_TEST_MESSAGE("not tested on this CPU/build: " << isa_name(isa) << " kernels");
      continue;
    }
    BOOST_TEST_REQUIRE(set_isa(isa));
    BOOST_TEST_CONTEXT("isa " << isa_name(isa)) { body(isa); }
  }
  set_isa(best);
}

}  // namespace runnel::testing

#endif  // RUNNEL_TESTS_FOR_EACH_ISA_H_
