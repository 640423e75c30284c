/* Firmware: streams events through a model embedded in flash (model_data.c, written by
 * `runnel embed model.rnl`), prints every output and then what it cost: the engine's RAM
 * (model object, session, scratch), the deepest stack, and instructions per event.
 *
 * Instructions come from SysTick under QEMU's -icount (the virtual clock advances a fixed
 * amount per instruction): a calibration loop of known length converts ticks to
 * instructions. It is an estimate of cycles (a Cortex-M4 takes ~1-1.5 cycles per
 * instruction), not a cycle count. */
#include <stdio.h>

#include "model_data.h"
#include "startup.h"
#include "stream_model.h"

#ifndef ARENA_BYTES
#define ARENA_BYTES (128 * 1024)
#endif
#ifndef N_EVENTS
#define N_EVENTS 50
#endif

/* The model object, the session (object + state) and scratch: all the engine's RAM. */
static _Alignas(64) unsigned char arena[ARENA_BYTES];

/* 1,000,000 iterations of a two-instruction loop. */
#define CALIBRATION_INSTRUCTIONS 2000000u
__attribute__((noinline)) static void spin(void) {
  unsigned n = CALIBRATION_INSTRUCTIONS / 2u;
  __asm volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
}

int main(void) {
  stream_memory used;
  uint64_t ticks = 0;
  if (stream_model(runnel_model_data, runnel_model_size, arena, sizeof arena, N_EVENTS, 1, NULL, NULL, &used))
    return 1;
  /* Second pass, timed and without printing; its stack is the engine's (load, init, steps). */
  paint_stack();
  const uint32_t stack_before = stack_bytes_used();
  systick_start();
  const uint64_t t0 = systick_ticks();
  spin();
  const uint64_t calibration = systick_ticks() - t0;
  if (stream_model(runnel_model_data, runnel_model_size, arena, sizeof arena, N_EVENTS, 0, systick_ticks, &ticks,
                   &used))
    return 1;
  printf("model: %lu bytes in flash\n", (unsigned long)runnel_model_size);
  printf("ram: model object %lu, session object %lu, session %lu, scratch %lu bytes\n",
         (unsigned long)used.model_object, (unsigned long)used.session_object, (unsigned long)used.session,
         (unsigned long)used.scratch);
  printf("stack: %lu bytes at most (load, init, %d events), %lu more than main's frame\n",
         (unsigned long)stack_bytes_used(), used.events, (unsigned long)(stack_bytes_used() - stack_before));
  /* 32-bit arithmetic only (a 64-bit division would pull libgcc's into the footprint). */
  const uint32_t per_tick = calibration > 0 ? (CALIBRATION_INSTRUCTIONS + (uint32_t)calibration / 2) / (uint32_t)calibration : 0;
  printf("instructions per event: %lu (%d events, %lu ticks of %lu instructions; calibration %lu ticks for %lu)\n",
         (unsigned long)(used.events > 0 ? (uint32_t)ticks * per_tick / (uint32_t)used.events : 0), used.events, (unsigned long)ticks,
         (unsigned long)per_tick, (unsigned long)calibration, (unsigned long)CALIBRATION_INSTRUCTIONS);
  printf("done\n");
  return 0;
}
