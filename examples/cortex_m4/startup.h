/* What startup.c offers the firmware: stack high-water mark and a SysTick counter. */
#ifndef RUNNEL_EXAMPLES_CORTEX_M4_STARTUP_H_
#define RUNNEL_EXAMPLES_CORTEX_M4_STARTUP_H_

#include <stdint.h>

/* Deepest stack use, in bytes, since the stack below the caller was last painted (at
 * reset, or by paint_stack). */
void paint_stack(void);
uint32_t stack_bytes_used(void);
/* SysTick as a free-running 64-bit counter of processor-clock ticks. */
void systick_start(void);
uint64_t systick_ticks(void);

#endif
