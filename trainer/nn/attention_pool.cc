#include "trainer/nn/attention_pool.h"

namespace runnel::nn {

// Everything is inline in the header; this file keeps one .cc per layer.

}  // namespace runnel::nn
