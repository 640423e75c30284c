// Training memory, estimated before the first step so that a size the machine cannot
// hold (d 4096, batch_size 2^40) fails at once with a message naming the quantity and the
// bytes, instead of a bare std::bad_alloc (or the OOM killer) minutes later:
//   parameters:  element count x 4 bytes x (value, gradient, each optimizer slot);
//   activations: measured — the heap growth of one training forward pass over a few
//                train rows (the autograd tape holds every intermediate), per row, doubled
//                for the
//                gradients of the backward pass, times batch_size (evaluation keeps no
//                tape, so it needs less).
// Sizes multiply with overflow checks (saturating.h): the description still names the
// factors.
#ifndef RUNNEL_TRAINER_TRAIN_MEMORY_ESTIMATE_H_
#define RUNNEL_TRAINER_TRAIN_MEMORY_ESTIMATE_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "trainer/autograd/parameters.h"
#include "trainer/train/saturating.h"

namespace runnel::train {

struct MemoryEstimate {
  uint64_t parameters = 0;      // parameter elements
  uint64_t copies = 2;          // value + gradient + optimizer slots
  uint64_t per_row = 0;         // activation bytes of one row (0 = not measured yet)
  uint64_t rows = 0;            // rows of a step (batch_size)
  uint64_t measured_rows = 0;   // rows the per-row figure was measured on

  uint64_t parameter_bytes() const { return saturating_mul(saturating_mul(parameters, 4), copies); }
  uint64_t activation_bytes() const { return saturating_mul(per_row, rows); }
  uint64_t total() const { return saturating_add(parameter_bytes(), activation_bytes()); }
  // "training (parameters: 1000 x 4 bytes x 4 copies = 16000 bytes; activations: batch_size
  // 32 x 5000 bytes per row of 64 events = 160000 bytes)".
  std::string describe() const;
};

// The parameters' share, before anything is measured: `parameters` elements, each with a
// value, a gradient and `slots` optimizer arrays, for steps of `batch_size` rows.
inline MemoryEstimate parameter_share(uint64_t parameters, std::size_t slots, std::size_t batch_size) {
  MemoryEstimate e;
  e.parameters = parameters;
  e.copies = 2 + slots;
  e.rows = batch_size;
  return e;
}

// Bytes the C library's allocator holds for the program (all arenas, mmap'd blocks too).
uint64_t heap_in_use();

// Measures a training forward pass over the first rows of step 0 (as many as a step has,
// at most 4: rows differ in length): activation bytes per row, doubled for the gradients.
template <class Model, class Data>
void measure_row(const Model& model, const Data& data, const ag::ParameterSet<float>& params, MemoryEstimate* e) {
  const std::size_t rows = static_cast<std::size_t>(e->rows < 4 ? e->rows : 4);
  const uint64_t before = heap_in_use();
  const auto batch = data.train_batch(0, rows);
  const auto r = model.forward(params, batch, 0, batch.rows, true, 0);
  const uint64_t after = heap_in_use();
  e->per_row = saturating_mul((after > before ? after - before : 0) / (rows ? rows : 1), 2);
  e->measured_rows = rows;
}

}  // namespace runnel::train

#endif  // RUNNEL_TRAINER_TRAIN_MEMORY_ESTIMATE_H_
