#include "trainer/nn/layer_norm.h"

namespace runnel::nn {

// Everything is inline in the header; this file keeps one .cc per layer.

}  // namespace runnel::nn
