#include "trainer/nn/l2_normalize.h"

namespace runnel::nn {

// Everything is inline in the header; this file keeps one .cc per layer.

}  // namespace runnel::nn
