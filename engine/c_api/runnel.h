/* runnel's C API: the same engine for firmware written in C.
 *
 * Nothing here allocates: the caller provides every block, 64-byte aligned —
 *   - the model object   (runnel_model_object_bytes()),
 *   - the model file     (read in place; flash, ROM or mmap),
 *   - a scratch block    (runnel_model_scratch_bytes(), shared by sessions of one thread),
 *   - per entity, a session object and its memory (runnel_session_object_bytes(),
 *     runnel_model_session_bytes()).
 * Every call returns a runnel_status; nothing prints.
 *
 *   runnel_model* m; runnel_session* s;
 *   runnel_model_load(model_obj, sizeof model_obj, file, file_size, &m);
 *   runnel_session_init(session_obj, sizeof session_obj, m, mem, mem_size, scratch, scratch_size, &s);
 *   runnel_event e = {ids, n_ids, values, n_values, dt};
 *   if (runnel_session_step(s, &e) == RUNNEL_kOk) logits = runnel_session_output(s, 0);
 */
#ifndef RUNNEL_ENGINE_C_API_RUNNEL_H_
#define RUNNEL_ENGINE_C_API_RUNNEL_H_

#include <stddef.h>
#include <stdint.h>

#include "engine/status_list.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Same values as runnel::Status. */
typedef enum runnel_status {
#define RUNNEL_C_STATUS(name, text) RUNNEL_##name,
  RUNNEL_STATUS_LIST(RUNNEL_C_STATUS)
#undef RUNNEL_C_STATUS
} runnel_status;

typedef struct runnel_model runnel_model;
typedef struct runnel_session runnel_session;

typedef struct runnel_event {
  const int32_t* ids;     /* one id per categorical field, 0 = unknown */
  int n_ids;
  const float* numeric;   /* numeric values */
  int n_numeric;
  double dt;              /* seconds since the entity's previous event */
} runnel_event;

enum { RUNNEL_OUTPUT_CATEGORICAL = 0, RUNNEL_OUTPUT_REGRESSION = 1 };

const char* runnel_status_name(runnel_status status);     /* "kOk", "kTruncated", ... */
const char* runnel_status_message(runnel_status status);  /* a sentence */

size_t runnel_model_object_bytes(void);
runnel_status runnel_model_load(void* object, size_t object_bytes, const void* file, size_t file_bytes,
                                runnel_model** out);
size_t runnel_model_scratch_bytes(const runnel_model* model);
size_t runnel_model_session_bytes(const runnel_model* model);
uint32_t runnel_model_n_fields(const runnel_model* model);
uint32_t runnel_model_n_numeric(const runnel_model* model);
uint32_t runnel_model_n_outputs(const runnel_model* model);
uint32_t runnel_model_output_width(const runnel_model* model, uint32_t k);
int runnel_model_output_kind(const runnel_model* model, uint32_t k);
/* The id of a raw string in a categorical field's vocabulary; 0 when unseen. */
int32_t runnel_model_lookup(const runnel_model* model, uint32_t field, const char* text, size_t length);

size_t runnel_session_object_bytes(void);
runnel_status runnel_session_init(void* object, size_t object_bytes, const runnel_model* model, void* memory,
                                  size_t memory_bytes, void* scratch, size_t scratch_bytes, runnel_session** out);
runnel_status runnel_session_set_static(runnel_session* session, const float* values, uint32_t n);
runnel_status runnel_session_step(runnel_session* session, const runnel_event* event);
void runnel_session_reset(runnel_session* session);
runnel_status runnel_session_copy(runnel_session* dst, const runnel_session* src);
int64_t runnel_session_events_seen(const runnel_session* session);
const float* runnel_session_output(const runnel_session* session, uint32_t k);

#ifdef __cplusplus
}
#endif

#endif /* RUNNEL_ENGINE_C_API_RUNNEL_H_ */
