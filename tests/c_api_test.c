/* The C API used from C: load a model file from testdata, stream events, fork, reset,
 * and see errors come back as statuses. Exits non-zero on the first failed check. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/c_api/runnel.h"

static int failures = 0;
#define CHECK(cond)                                                   \
  do {                                                                \
    if (!(cond)) {                                                    \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                     \
    }                                                                 \
  } while (0)

static void* aligned_block(size_t bytes) {
  return aligned_alloc(64, (bytes + 63) / 64 * 64);
}

static void* read_file(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  *size = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  void* data = aligned_block(*size);
  if (fread(data, 1, *size, f) != *size) { free(data); data = NULL; }
  fclose(f);
  return data;
}

int main(int argc, char** argv) {
  if (argc < 3) { fprintf(stderr, "usage: c_api_test MODEL.rnl BIGGER_MODEL.rnl\n"); return 2; }
  size_t file_size = 0;
  void* file = read_file(argv[1], &file_size);
  if (!file) { fprintf(stderr, "cannot read %s\n", argv[1]); return 2; }

  void* model_obj = aligned_block(runnel_model_object_bytes());
  runnel_model* model = NULL;
  runnel_status st = runnel_model_load(model_obj, runnel_model_object_bytes(), file, file_size, &model);
  CHECK(st == RUNNEL_kOk);
  if (st != RUNNEL_kOk) { fprintf(stderr, "load: %s\n", runnel_status_name(st)); return 1; }

  const size_t session_bytes = runnel_model_session_bytes(model);
  const size_t scratch_bytes = runnel_model_scratch_bytes(model);
  CHECK(session_bytes > 0 && scratch_bytes > 0);
  void* scratch = aligned_block(scratch_bytes);
  void* mem_a = aligned_block(session_bytes);
  void* mem_b = aligned_block(session_bytes);
  void* obj_a = aligned_block(runnel_session_object_bytes());
  void* obj_b = aligned_block(runnel_session_object_bytes());
  runnel_session* a = NULL;
  runnel_session* b = NULL;
  CHECK(runnel_session_init(obj_a, runnel_session_object_bytes(), model, mem_a, session_bytes, scratch,
                            scratch_bytes, &a) == RUNNEL_kOk);
  CHECK(runnel_session_init(obj_b, runnel_session_object_bytes(), model, mem_b, session_bytes, scratch,
                            scratch_bytes, &b) == RUNNEL_kOk);
  CHECK(runnel_session_init(obj_b, runnel_session_object_bytes(), model, mem_b, session_bytes - 1, scratch,
                            scratch_bytes, &b) == RUNNEL_kBufferTooSmall);
  CHECK(runnel_session_init(obj_b, runnel_session_object_bytes(), model, mem_b, session_bytes, scratch,
                            scratch_bytes, &b) == RUNNEL_kOk);

  const uint32_t n_fields = runnel_model_n_fields(model);
  const uint32_t n_numeric = runnel_model_n_numeric(model);
  int32_t ids[64] = {0};
  float numeric[256] = {0};
  runnel_event e = {ids, (int)n_fields, numeric, (int)n_numeric, 60.0};
  for (int t = 0; t < 200; ++t) {
    for (uint32_t f = 0; f < n_fields; ++f) ids[f] = (int32_t)((t * 7 + f * 3) % 3);
    for (uint32_t k = 0; k < n_numeric; ++k) numeric[k] = (float)((t + k) % 5) * 0.1f;
    CHECK(runnel_session_step(a, &e) == RUNNEL_kOk);
    if (t == 99) CHECK(runnel_session_copy(b, a) == RUNNEL_kOk);
    if (t >= 100) CHECK(runnel_session_step(b, &e) == RUNNEL_kOk);
  }
  CHECK(runnel_session_events_seen(a) == 200);
  CHECK(runnel_session_events_seen(b) == 200);
  for (uint32_t k = 0; k < runnel_model_n_outputs(model); ++k) {
    const uint32_t w = runnel_model_output_width(model, k);
    const float* oa = runnel_session_output(a, k);
    const float* ob = runnel_session_output(b, k);
    CHECK(oa != NULL && ob != NULL && w > 0);
    CHECK(memcmp(oa, ob, w * sizeof(float)) == 0);
    for (uint32_t i = 0; i < w; ++i) CHECK(isfinite(oa[i]));
  }

  if (n_fields > 0) {
    ids[0] = 1 << 30;
    CHECK(runnel_session_step(a, &e) == RUNNEL_kIdOutOfRange);
    CHECK(strcmp(runnel_status_name(RUNNEL_kIdOutOfRange), "kIdOutOfRange") == 0);
    CHECK(runnel_model_lookup(model, 0, "no-such-value", 13) == 0);
  }
  runnel_session_reset(a);
  CHECK(runnel_session_events_seen(a) == 0);

  /* The file names its outputs and turns output ids back into strings (single_stream:
   * heads "event_type" over field EventType, "amount" a regression). */
  CHECK(runnel_model_n_outputs(model) == 2);
  CHECK(runnel_model_output_name(model, 0) && strcmp(runnel_model_output_name(model, 0), "event_type") == 0);
  CHECK(runnel_model_output_name(model, 1) && strcmp(runnel_model_output_name(model, 1), "amount") == 0);
  CHECK(runnel_model_output_name(model, 2) == NULL);
  CHECK(runnel_model_find_output(model, "amount") == 1);
  CHECK(runnel_model_find_output(model, "nope") == -1);
  CHECK(runnel_model_output_field(model, 0) == 0);
  CHECK(runnel_model_output_field(model, 1) == -1);
  CHECK(strcmp(runnel_model_field_name(model, 0), "EventType") == 0);
  size_t length = 99;
  const char* value = runnel_model_field_value(model, 0, 2, &length);
  CHECK(length == 6 && strncmp(value, "logout", 6) == 0);
  value = runnel_model_field_value(model, 0, 999, &length);
  CHECK(length == 0 && value != NULL);
  CHECK(runnel_model_lookup(model, 0, "logout", 6) == 2);

  /* Raw numeric cells: one column "amount", log1p then (x - 1.5) / 0.75, with a missing
   * indicator, so 2 values. */
  CHECK(runnel_model_n_numeric_columns(model) == 1);
  CHECK(strcmp(runnel_model_numeric_column_name(model, 0), "amount") == 0);
  float raw = 3.0f, prepared[2] = {-1.0f, -1.0f};
  CHECK(runnel_model_prepare_numeric(model, &raw, 1, prepared, 2) == RUNNEL_kOk);
  CHECK(fabsf(prepared[0] - (log1pf(3.0f) - 1.5f) / 0.75f) < 1e-6f && prepared[1] == 0.0f);
  raw = NAN;
  CHECK(runnel_model_prepare_numeric(model, &raw, 1, prepared, 2) == RUNNEL_kOk);
  CHECK(prepared[0] == 0.0f && prepared[1] == 1.0f);
  raw = INFINITY;
  CHECK(runnel_model_prepare_numeric(model, &raw, 1, prepared, 2) == RUNNEL_kNonFinite);
  CHECK(runnel_model_prepare_numeric(model, &raw, 1, prepared, 1) == RUNNEL_kBadArgument);

  /* Misuse of the object blocks: each defect has its own status. */
  runnel_model* none = NULL;
  CHECK(runnel_model_load(NULL, runnel_model_object_bytes(), file, file_size, &none) == RUNNEL_kBadArgument);
  CHECK(runnel_model_load(model_obj, runnel_model_object_bytes(), file, file_size, NULL) == RUNNEL_kBadArgument);
  unsigned char* odd_obj = (unsigned char*)aligned_block(runnel_session_object_bytes() + 64);
  runnel_session* odd = NULL;
  CHECK(runnel_session_init(odd_obj + 1, runnel_session_object_bytes(), model, mem_b, session_bytes, scratch,
                            scratch_bytes, &odd) == RUNNEL_kBufferMisaligned);
  CHECK(odd == NULL);
  CHECK(runnel_session_init(odd_obj, runnel_session_object_bytes() - 1, model, mem_b, session_bytes, scratch,
                            scratch_bytes, &odd) == RUNNEL_kBufferTooSmall);
  CHECK(runnel_session_init(NULL, runnel_session_object_bytes(), model, mem_b, session_bytes, scratch,
                            scratch_bytes, &odd) == RUNNEL_kBadArgument);
  CHECK(runnel_session_init(odd_obj, runnel_session_object_bytes(), NULL, mem_b, session_bytes, scratch,
                            scratch_bytes, &odd) == RUNNEL_kBadArgument);
  free(odd_obj);

  /* The model object loaded again with a bigger model while sessions of the first one
   * live: every session call refuses (under AddressSanitizer a step here used to write
   * past the session memory planned for the first model). */
  size_t big_size = 0;
  void* big = read_file(argv[2], &big_size);
  CHECK(big != NULL);
  if (big) {
    runnel_model* reloaded = NULL;
    CHECK(runnel_model_load(model_obj, runnel_model_object_bytes(), big, big_size, &reloaded) == RUNNEL_kOk);
    CHECK(reloaded == model);
    CHECK(runnel_model_session_bytes(reloaded) > session_bytes);
    int32_t big_ids[64] = {0};
    float big_numeric[256] = {0};
    runnel_event big_event = {big_ids, (int)runnel_model_n_fields(reloaded), big_numeric,
                              (int)runnel_model_n_numeric(reloaded), 1.0};
    CHECK(runnel_session_step(b, &big_event) == RUNNEL_kModelMismatch);
    CHECK(runnel_session_step(b, &e) == RUNNEL_kModelMismatch);
    CHECK(runnel_session_copy(a, b) == RUNNEL_kModelMismatch);
    CHECK(runnel_session_set_static(b, NULL, 0) == RUNNEL_kModelMismatch);
    CHECK(runnel_session_output(b, 0) == NULL);
    CHECK(runnel_session_events_seen(b) == 0);
    runnel_session_reset(b); /* does nothing */
    /* Re-initialised with memory sized for the new model, the session works again. */
    const size_t big_session = runnel_model_session_bytes(reloaded);
    const size_t big_scratch = runnel_model_scratch_bytes(reloaded);
    void* big_mem = aligned_block(big_session);
    void* big_scr = aligned_block(big_scratch);
    CHECK(runnel_session_init(obj_b, runnel_session_object_bytes(), reloaded, big_mem, big_session, big_scr,
                              big_scratch, &b) == RUNNEL_kOk);
    CHECK(runnel_session_step(b, &big_event) == RUNNEL_kOk);
    free(big_mem); free(big_scr); free(big);
  }

  ((unsigned char*)file)[0] ^= 0xFF;
  runnel_model* broken = NULL;
  CHECK(runnel_model_load(model_obj, runnel_model_object_bytes(), file, file_size, &broken) == RUNNEL_kBadMagic);
  CHECK(broken == NULL);
  /* A failed load leaves the object empty: its old sessions refuse too. */
  CHECK(runnel_session_step(a, &e) == RUNNEL_kModelMismatch);

  free(scratch); free(mem_a); free(mem_b); free(obj_a); free(obj_b); free(model_obj); free(file);
  if (failures) { fprintf(stderr, "%d check(s) failed\n", failures); return 1; }
  printf("c_api_test: all checks passed\n");
  return 0;
}
