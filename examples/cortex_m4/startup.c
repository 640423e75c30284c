/* Start-up for a Cortex-M4F (QEMU's mps2-an386): vector table, FPU on, .data copied,
 * .bss zeroed, the stack painted (to measure its deepest use), C++ constructors, main(),
 * then exit through semihosting. Also SysTick as a free-running counter for timing. */
#include <stdint.h>
#include <stdlib.h>

#include "startup.h"

extern uint32_t __stack_top, __stack_limit;
extern uint32_t __data_start, __data_end, __data_load, __bss_start, __bss_end;
extern void (*__preinit_array_start[])(void), (*__preinit_array_end[])(void);
extern void (*__init_array_start[])(void), (*__init_array_end[])(void);
extern void initialise_monitor_handles(void); /* newlib's semihosting (rdimon) */
int main(void);

#define STACK_PAINT 0xC0FFEE11u
#define REG(addr) (*(volatile uint32_t*)(addr))
#define CPACR REG(0xE000ED88u)
#define SYST_CSR REG(0xE000E010u)
#define SYST_RVR REG(0xE000E014u)
#define SYST_CVR REG(0xE000E018u)

static volatile uint32_t systick_wraps;

void reset_handler(void);
static void systick_handler(void) { ++systick_wraps; }
static void fault_handler(void) { exit(3); }

__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))(&__stack_top), /* initial stack pointer */
    reset_handler,
    fault_handler, /* NMI */
    fault_handler, /* HardFault */
    fault_handler, /* MemManage */
    fault_handler, /* BusFault */
    fault_handler, /* UsageFault */
    0, 0, 0, 0,
    fault_handler, /* SVCall */
    0, 0,
    fault_handler, /* PendSV */
    systick_handler,
};

/* Fills the unused stack below the current frame with a pattern. */
__attribute__((noinline)) void paint_stack(void) {
  uint32_t here;
  for (uint32_t* p = &__stack_limit; p < &here - 16; ++p) *p = STACK_PAINT;
}

uint32_t stack_bytes_used(void) {
  const uint32_t* p = &__stack_limit;
  while (p < &__stack_top && *p == STACK_PAINT) ++p;
  return (uint32_t)((const char*)&__stack_top - (const char*)p);
}

void systick_start(void) {
  SYST_RVR = 0x00FFFFFFu;
  SYST_CVR = 0;
  SYST_CSR = 7; /* processor clock, interrupt on wrap, enabled */
  while (SYST_CVR == 0) {
  } /* the first tick loads the reload value (and may count as a wrap) */
  systick_wraps = 0;
}

uint64_t systick_ticks(void) {
  uint32_t wraps, value;
  do {
    wraps = systick_wraps;
    value = SYST_CVR;
  } while (wraps != systick_wraps);
  return (uint64_t)wraps * 0x01000000u + (0x00FFFFFFu - value);
}

void reset_handler(void) {
  CPACR |= 0xFu << 20; /* CP10, CP11: full access to the FPU */
  __asm volatile("dsb\n\tisb");
  for (uint32_t *src = &__data_load, *dst = &__data_start; dst < &__data_end;) *dst++ = *src++;
  for (uint32_t* dst = &__bss_start; dst < &__bss_end;) *dst++ = 0;
  paint_stack();
  initialise_monitor_handles();
  for (void (**f)(void) = __preinit_array_start; f < __preinit_array_end; ++f) (*f)();
  for (void (**f)(void) = __init_array_start; f < __init_array_end; ++f) (*f)();
  exit(main());
}
