// Counts global operator new calls, so tests can prove that step() never allocates.
// Link //tests:alloc_counter (it replaces operator new/delete for the whole binary).
#ifndef RUNNEL_TESTS_ALLOC_COUNTER_H_
#define RUNNEL_TESTS_ALLOC_COUNTER_H_

namespace runnel::testing {

long allocation_count();

}  // namespace runnel::testing

#endif  // RUNNEL_TESTS_ALLOC_COUNTER_H_
