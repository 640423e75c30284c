// Symmetric int8 quantisation of a weight matrix, one f32 scale per row (per output
// channel; per row of an embedding table):
//   scale[r] = max_c |W[r, c]| / 127,   q[r, c] = round(W[r, c] / scale[r]) in [-127, 127]
// so that W[r, c] ≈ scale[r] · q[r, c] with an error of at most scale[r] / 2. Rounding is to
// nearest, halves away from zero. A row of zeros gets scale 1 and q = 0 (scales must be
// finite and positive: engine/format/FORMAT.md). `clip[r]` (optional, in (0, 1]) lowers a
// row's range to clip[r] · max |W[r, :]|; values beyond it saturate at ±127 (calibration).
#ifndef RUNNEL_TRAINER_EXPORT_QUANTIZE_H_
#define RUNNEL_TRAINER_EXPORT_QUANTIZE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace runnel::quant {

struct QuantizedRows {
  std::vector<int8_t> q;      // [rows, cols]
  std::vector<float> scales;  // [rows]
};

// w: [rows, cols] row-major. Throws std::invalid_argument on a size mismatch or a
// non-finite weight (nothing sensible can be stored for it).
QuantizedRows quantize_rows(const std::vector<float>& w, size_t rows, size_t cols,
                            const std::vector<float>& clip = {});

// scale[r] · q[r, c]: what the engine computes with.
std::vector<float> dequantize_rows(const QuantizedRows& q, size_t rows, size_t cols);

}  // namespace runnel::quant

#endif  // RUNNEL_TRAINER_EXPORT_QUANTIZE_H_
