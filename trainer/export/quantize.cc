#include "trainer/export/quantize.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace runnel::quant {

QuantizedRows quantize_rows(const std::vector<float>& w, size_t rows, size_t cols, const std::vector<float>& clip) {
  if (w.size() != rows * cols)
    throw std::invalid_argument("quantize_rows: " + std::to_string(w.size()) + " values for a [" +
                                std::to_string(rows) + ", " + std::to_string(cols) + "] matrix");
  if (!clip.empty() && clip.size() != rows) throw std::invalid_argument("quantize_rows: one clip per row expected");
  QuantizedRows out;
  out.q.resize(w.size());
  out.scales.resize(rows);
  for (size_t r = 0; r < rows; ++r) {
    const float* row = w.data() + r * cols;
    float max_abs = 0.f;
    for (size_t c = 0; c < cols; ++c) {
      if (!std::isfinite(row[c]))
        throw std::invalid_argument("quantize_rows: non-finite weight at row " + std::to_string(r) + ", column " +
                                    std::to_string(c));
      max_abs = std::max(max_abs, std::fabs(row[c]));
    }
    const float ratio = clip.empty() ? 1.f : clip[r];
    if (!(ratio > 0.f && ratio <= 1.f)) throw std::invalid_argument("quantize_rows: clip outside (0, 1]");
    const float range = max_abs * ratio;
    // A denormal range would give an infinite 127 / range: such a row is zero for any purpose.
    const float scale = range >= 1e-30f ? range / 127.f : 1.f;
    out.scales[r] = scale;
    for (size_t c = 0; c < cols; ++c) {
      const float v = std::round(row[c] / scale);  // halves away from zero
      out.q[r * cols + c] = static_cast<int8_t>(std::clamp(v, -127.f, 127.f));
    }
  }
  return out;
}

std::vector<float> dequantize_rows(const QuantizedRows& q, size_t rows, size_t cols) {
  std::vector<float> w(rows * cols);
  for (size_t r = 0; r < rows; ++r)
    for (size_t c = 0; c < cols; ++c) w[r * cols + c] = q.scales[r] * static_cast<float>(q.q[r * cols + c]);
  return w;
}

}  // namespace runnel::quant
