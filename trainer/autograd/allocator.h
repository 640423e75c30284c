// The tape allocates and frees many arrays of 100 KB – 2 MB every training step (one per
// op output and gradient). Above glibc's default mmap threshold each of those is a fresh
// mmap, page faults on first touch and a munmap on free: measured ~10 % of a multistream
// training step. Keeping such blocks in the heap lets the next step reuse them.
#ifndef RUNNEL_TRAINER_AUTOGRAD_ALLOCATOR_H_
#define RUNNEL_TRAINER_AUTOGRAD_ALLOCATOR_H_

namespace runnel::ag {

// Process-wide and idempotent; a no-op on C libraries other than glibc.
void keep_large_arrays_in_heap();

}  // namespace runnel::ag

#endif  // RUNNEL_TRAINER_AUTOGRAD_ALLOCATOR_H_
