// Every module of the trainer: the sequence form of each op of RUNNEL_OP_LIST
// (engine/format/rnl_spec.h), one header per op named after it. The static_asserts below
// make an op without its module a compile error wherever this header is included.
#ifndef RUNNEL_TRAINER_NN_MODULES_H_
#define RUNNEL_TRAINER_NN_MODULES_H_

#include <type_traits>

#include "engine/format/rnl_spec.h"
#include "trainer/nn/activation.h"
#include "trainer/nn/add.h"
#include "trainer/nn/attention_pool.h"
#include "trainer/nn/concat.h"
#include "trainer/nn/conv1d.h"
#include "trainer/nn/copy_head.h"
#include "trainer/nn/cross_attention.h"
#include "trainer/nn/cumulative.h"
#include "trainer/nn/dense.h"
#include "trainer/nn/embed.h"
#include "trainer/nn/exp_decay.h"
#include "trainer/nn/gru.h"
#include "trainer/nn/l2_normalize.h"
#include "trainer/nn/layer_norm.h"
#include "trainer/nn/learned_pos_weights.h"
#include "trainer/nn/linear_decay.h"
#include "trainer/nn/lstm.h"
#include "trainer/nn/numeric.h"
#include "trainer/nn/output.h"
#include "trainer/nn/pos_learned.h"
#include "trainer/nn/pos_sinusoidal.h"
#include "trainer/nn/self_attention.h"
#include "trainer/nn/static_input.h"
#include "trainer/nn/time_embed.h"
#include "trainer/nn/module.h"

namespace runnel::nn {

// Declared here so that a missing module is this static_assert's message, not an unknown name.
#define RUNNEL_NN_MODULE_DECLARE(name, snake, code) class name;
RUNNEL_OP_LIST(RUNNEL_NN_MODULE_DECLARE)
#undef RUNNEL_NN_MODULE_DECLARE

#define RUNNEL_NN_MODULE_CHECK(name, snake, code)                                           \
  static_assert(rnl::is_complete<name>::value,                                               \
                "op k" #name " needs its module: class nn::" #name " in trainer/nn/" #snake ".h, " \
                "included by trainer/nn/modules.h");                                         \
  static_assert(std::is_base_of_v<Module, name>, "nn::" #name " must derive from nn::Module");
RUNNEL_OP_LIST(RUNNEL_NN_MODULE_CHECK)
#undef RUNNEL_NN_MODULE_CHECK

}  // namespace runnel::nn

#endif  // RUNNEL_TRAINER_NN_MODULES_H_
