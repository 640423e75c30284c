/* runnel's C API: the same engine for firmware written in C.
 *
 * Nothing here allocates: the caller provides every block, 64-byte aligned —
 *   - the model object   (runnel_model_object_bytes()),
 *   - the model file     (read in place; flash, ROM or mmap),
 *   - a scratch block    (runnel_model_scratch_bytes(), shared by sessions of one thread),
 *   - per entity, a session object and its memory (runnel_session_object_bytes(),
 *     runnel_model_session_bytes()).
 * Every call returns a runnel_status; nothing prints. Object blocks: NULL gives
 * RUNNEL_kBadArgument, a misaligned one RUNNEL_kBufferMisaligned, a short one
 * RUNNEL_kBufferTooSmall. A session stays bound to the model it was initialised with:
 * after runnel_model_load() on the same model object (another file, or a failed load)
 * its calls return RUNNEL_kModelMismatch until it is initialised again. A step whose
 * outputs overflow to NaN or infinity returns RUNNEL_kNonFiniteOutput (reset the session);
 * an event with a negative dt is refused with RUNNEL_kNegativeDt (time never runs backwards);
 * a model file holding NaN or infinite weights is refused with RUNNEL_kNonFiniteWeight.
 *
 *   runnel_model* m; runnel_session* s;
 *   runnel_model_load(model_obj, sizeof model_obj, file, file_size, &m);
 *   runnel_session_init(session_obj, sizeof session_obj, m, mem, mem_size, scratch, scratch_size, &s);
 *   ids[f] = runnel_model_lookup(m, f, text, length);          // raw strings -> ids
 *   runnel_model_prepare_numeric(m, raw, n_raw, values, n_values); // raw cells -> inputs
 *   runnel_event e = {ids, n_ids, values, n_values, dt};
 *   if (runnel_session_step(s, &e) == RUNNEL_kOk) logits = runnel_session_output(s, 0);
 *   runnel_model_output_name(m, 0);                                // e.g. "location"
 *   runnel_model_field_value(m, runnel_model_output_field(m, 0), argmax, &length);
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
  double dt;              /* seconds since the entity's previous event, >= 0 */
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
/* A categorical field's column name (NUL-terminated, inside the model file); NULL past the end. */
const char* runnel_model_field_name(const runnel_model* model, uint32_t field);
/* The string of id `id` in a field's vocabulary (not NUL-terminated: *length bytes);
 * "" (length 0) for id 0 and for ids outside the vocabulary. */
const char* runnel_model_field_value(const runnel_model* model, uint32_t field, uint32_t id, size_t* length);

/* Output k's head name (NUL-terminated, e.g. "location"); NULL past the end. */
const char* runnel_model_output_name(const runnel_model* model, uint32_t k);
/* The output named `name`, or -1. */
int32_t runnel_model_find_output(const runnel_model* model, const char* name);
/* A categorical output's field: its logits are over that field's ids, so
 * runnel_model_field_value(model, field, argmax, &n) names the prediction. -1 for a
 * regression output. */
int32_t runnel_model_output_field(const runnel_model* model, uint32_t k);

/* Raw numeric cells -> the event's numeric values (engine/numeric_input.h): raw holds one
 * value per numeric column (runnel_model_n_numeric_columns), NaN for a missing cell; out
 * receives runnel_model_n_numeric values (log1p / standardisation / missing indicators as
 * stored in the model). */
uint32_t runnel_model_n_numeric_columns(const runnel_model* model);
const char* runnel_model_numeric_column_name(const runnel_model* model, uint32_t k);
runnel_status runnel_model_prepare_numeric(const runnel_model* model, const float* raw, uint32_t n_raw, float* out,
                                           uint32_t n_out);

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
