#include "trainer/nn/linear_decay.h"

namespace runnel::nn {

// Everything is inline in the header; this file keeps one .cc per layer.

}  // namespace runnel::nn
