// Counts global operator new calls, so tests can prove that step() never allocates.
// Compile alloc_counter.cc into the test binary (it replaces the global operator new).
#ifndef RUNNEL_TESTS_ALLOC_COUNTER_H_
#define RUNNEL_TESTS_ALLOC_COUNTER_H_

namespace runnel::testing {

long allocation_count();

}  // namespace runnel::testing

#endif  // RUNNEL_TESTS_ALLOC_COUNTER_H_
