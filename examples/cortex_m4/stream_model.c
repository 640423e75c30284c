/* See stream_model.h. Plain C over the engine's C API (engine/c_api/runnel.h). */
#include "stream_model.h"

#include <stdio.h>
#include <string.h>

/* A fixed linear congruential sequence: the same events on every target. */
static uint32_t lcg_state;
static uint32_t draw(void) {
  lcg_state = lcg_state * 1664525u + 1013904223u;
  return lcg_state >> 8;
}

enum { kMaxFields = 64, kMaxNumeric = 256 };

/* An id drawn among the first eight of the field's vocabulary (0 = unknown when the
 * vocabulary is smaller). */
static int32_t draw_id(const runnel_model* m, uint32_t field) {
  const uint32_t id = draw() % 8u;
  size_t length = 0;
  runnel_model_field_value(m, field, id, &length);
  return length > 0 ? (int32_t)id : 0;
}

static unsigned char* take(unsigned char** next, size_t bytes) {
  unsigned char* p = *next;
  *next += (bytes + 63u) / 64u * 64u;
  return p;
}

static int failed(const char* what, runnel_status s) {
  printf("%s: %s\n", what, runnel_status_name(s));
  return 1;
}

int stream_model(const void* file, size_t file_bytes, unsigned char* arena, size_t arena_bytes, int n_events,
                 int print, uint64_t (*timer)(void), uint64_t* elapsed, stream_memory* used) {
  unsigned char* next = arena;
  used->model_object = runnel_model_object_bytes();
  if (used->model_object > arena_bytes) return failed("model object", RUNNEL_kBufferTooSmall);
  runnel_model* m = NULL;
  runnel_status s = runnel_model_load(take(&next, used->model_object), used->model_object, file, file_bytes, &m);
  if (s != RUNNEL_kOk) return failed("load", s);

  used->session_object = runnel_session_object_bytes();
  used->session = runnel_model_session_bytes(m);
  used->scratch = runnel_model_scratch_bytes(m);
  const size_t need = (size_t)(next - arena) + used->session_object + used->session + used->scratch + 3 * 64;
  if (need > arena_bytes) {
    printf("arena: %u bytes, the model needs %u\n", (unsigned)arena_bytes, (unsigned)need);
    return 1;
  }
  unsigned char* object = take(&next, used->session_object);
  unsigned char* memory = take(&next, used->session);
  unsigned char* scratch = take(&next, used->scratch);
  runnel_session* session = NULL;
  s = runnel_session_init(object, used->session_object, m, memory, used->session, scratch, used->scratch, &session);
  if (s != RUNNEL_kOk) return failed("session", s);

  const uint32_t n_fields = runnel_model_n_fields(m), n_numeric = runnel_model_n_numeric(m);
  if (n_fields > kMaxFields || n_numeric > kMaxNumeric) return failed("event shape", RUNNEL_kLimitExceeded);
  int32_t ids[kMaxFields];
  float numeric[kMaxNumeric];
  lcg_state = 12345u;
  used->events = 0;
  const uint64_t start = timer ? timer() : 0;
  for (int t = 0; t < n_events; ++t) {
    for (uint32_t f = 0; f < n_fields; ++f) ids[f] = draw_id(m, f);
    for (uint32_t k = 0; k < n_numeric; ++k) numeric[k] = (float)(draw() % 1000u) / 250.f - 2.f;
    const runnel_event e = {ids, (int)n_fields, numeric, (int)n_numeric, (double)(draw() % 5000u)};
    s = runnel_session_step(session, &e);
    if (s == RUNNEL_kPositionOutOfRange) break;  /* the model's learned positions end here */
    if (s != RUNNEL_kOk) return failed("step", s);
    used->events = t + 1;
    if (!print) continue;
    printf("event %d:", t);
    for (uint32_t k = 0; k < runnel_model_n_outputs(m); ++k) {
      const float* out = runnel_session_output(session, k);
      for (uint32_t i = 0; i < runnel_model_output_width(m, k); ++i) {
        uint32_t bits;
        memcpy(&bits, &out[i], sizeof bits);
        printf(" %08lx", (unsigned long)bits);
      }
    }
    printf("\n");
  }
  if (timer) *elapsed = timer() - start;
  return 0;
}
