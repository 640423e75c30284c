/* The model file in flash: model_data.c, written by `runnel embed model.rnl --out
 * model_data.c` (64-byte aligned, as the engine reads tensors in place). */
#ifndef RUNNEL_EXAMPLES_CORTEX_M4_MODEL_DATA_H_
#define RUNNEL_EXAMPLES_CORTEX_M4_MODEL_DATA_H_

#include <stddef.h>

extern const unsigned char runnel_model_data[];
extern const size_t runnel_model_size;

#endif
