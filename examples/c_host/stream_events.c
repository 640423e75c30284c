/* Embedding runnel's engine in a C program: load a model file, give each entity a session,
 * step events, read the outputs. Everything is caller memory; nothing here is runnel-internal.
 *
 * Usage: stream_events MODEL.rnl < EVENTS
 * Each input line is one event of one entity: the categorical fields' raw strings (in the
 * model's field order), then the raw numeric cells (one per numeric column; NA = missing:
 * the model file holds the transform and train statistics), then seconds since the
 * previous event.
 * For every event it prints, per output, head=value: the most likely value's string
 * (categorical) or the number (regression). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/c_api/runnel.h"

static void* block(size_t bytes) { return aligned_alloc(64, (bytes + 63) / 64 * 64); }

static void* read_model(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  *size = (size_t)ftell(f);
  rewind(f);
  void* data = block(*size);  /* the engine reads the file in place: keep it 64-byte aligned */
  if (data && fread(data, 1, *size, f) != *size) { free(data); data = NULL; }
  fclose(f);
  return data;
}

int main(int argc, char** argv) {
  if (argc != 2) { fprintf(stderr, "usage: stream_events MODEL.rnl < EVENTS\n"); return 2; }
  size_t file_bytes = 0;
  void* file = read_model(argv[1], &file_bytes);
  if (!file) { fprintf(stderr, "stream_events: cannot read %s\n", argv[1]); return 1; }

  runnel_model* model = NULL;
  runnel_status st = runnel_model_load(block(runnel_model_object_bytes()), runnel_model_object_bytes(),
                                       file, file_bytes, &model);
  if (st != RUNNEL_kOk) { fprintf(stderr, "%s: %s\n", argv[1], runnel_status_message(st)); return 1; }

  /* All memory is sized before the first event; step() never allocates. */
  const size_t scratch_bytes = runnel_model_scratch_bytes(model);
  const size_t session_bytes = runnel_model_session_bytes(model);
  runnel_session* session = NULL;
  st = runnel_session_init(block(runnel_session_object_bytes()), runnel_session_object_bytes(), model,
                           block(session_bytes), session_bytes, block(scratch_bytes), scratch_bytes, &session);
  if (st != RUNNEL_kOk) { fprintf(stderr, "session: %s\n", runnel_status_message(st)); return 1; }

  const uint32_t n_fields = runnel_model_n_fields(model), n_numeric = runnel_model_n_numeric(model);
  const uint32_t n_columns = runnel_model_n_numeric_columns(model);
  int32_t ids[64];
  float raw[64], numeric[128];
  if (n_fields > 64 || n_columns > 64 || n_numeric > 128) {
    fprintf(stderr, "model has too many inputs for this example\n");
    return 1;
  }
  char line[4096];
  for (long event = 1; fgets(line, sizeof line, stdin); ++event) {
    char* token = strtok(line, " \t\r\n");
    for (uint32_t f = 0; f < n_fields; ++f, token = strtok(NULL, " \t\r\n"))
      ids[f] = token ? runnel_model_lookup(model, f, token, strlen(token)) : 0;  /* unseen: 0 */
    for (uint32_t k = 0; k < n_columns; ++k, token = strtok(NULL, " \t\r\n"))
      raw[k] = token && strcmp(token, "NA") != 0 ? strtof(token, NULL) : NAN;    /* NaN: missing */
    st = runnel_model_prepare_numeric(model, raw, n_columns, numeric, n_numeric);
    runnel_event e = {ids, (int)n_fields, numeric, (int)n_numeric, token ? strtod(token, NULL) : 0.0};
    if (st == RUNNEL_kOk) st = runnel_session_step(session, &e);
    if (st != RUNNEL_kOk) {  /* a rejected event leaves the session as it was */
      fprintf(stderr, "stdin:%ld: %s\n", event, runnel_status_message(st));
      return 1;
    }
    for (uint32_t k = 0; k < runnel_model_n_outputs(model); ++k) {
      const float* out = runnel_session_output(session, k);
      printf("%s%s=", k ? " " : "", runnel_model_output_name(model, k));
      if (runnel_model_output_kind(model, k) == RUNNEL_OUTPUT_REGRESSION) {
        printf("%g", out[0]);   /* already in the target's units */
        continue;
      }
      uint32_t best = 1;  /* id 0 (unknown) is never a prediction */
      for (uint32_t v = 2; v < runnel_model_output_width(model, k); ++v)
        if (out[v] > out[best]) best = v;
      size_t length = 0;
      const char* value = runnel_model_field_value(model, (uint32_t)runnel_model_output_field(model, k), best, &length);
      printf("%.*s", (int)length, value);
    }
    printf("\n");
  }
  return 0;
}
