/* The example's work, the same on the device and on the host: load a model through the C
 * API into caller memory, stream deterministic events through one session and print every
 * output value (as the hex bits of the float, so no float formatting is linked in). */
#ifndef RUNNEL_EXAMPLES_CORTEX_M4_STREAM_MODEL_H_
#define RUNNEL_EXAMPLES_CORTEX_M4_STREAM_MODEL_H_

#include <stddef.h>
#include <stdint.h>

#include "engine/c_api/runnel.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Memory the engine was handed (bytes), and the events streamed. */
typedef struct stream_memory {
  size_t model_object, session_object, session, scratch;
  int events;
} stream_memory;

/* Streams `n_events` events, or fewer when the model's learned positions end sooner (the
 * step's kPositionOutOfRange ends the stream); when `print` is non-zero prints
 * "event k: bits..." per event.
 * `arena` (64-byte aligned) holds the model object, the session and its scratch; `timer`
 * (or NULL) is read before and after the events and the difference stored in *elapsed.
 * Returns 0, or 1 after printing what failed. */
int stream_model(const void* file, size_t file_bytes, unsigned char* arena, size_t arena_bytes, int n_events,
                 int print, uint64_t (*timer)(void), uint64_t* elapsed, stream_memory* used);

#ifdef __cplusplus
}
#endif

#endif
