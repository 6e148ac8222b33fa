/*
 * kernel_port.h — the target ABI for a real kernel's port layer: execution
 * contexts on stacks the kernel allocates, a tick and a software
 * interrupt, interrupt masking, wait-for-interrupt (runtime/emu/ABI.md,
 * "Contexts and interrupts"). Everything here is a builtin of the machine,
 * like the rest of <kernel.h>, which it includes.
 */
#ifndef UPSYNTH_KERNEL_PORT_H
#define UPSYNTH_KERNEL_PORT_H

#include <kernel.h>

/* ---- execution contexts and interrupts (a port layer's machine) -------- */

/*
 * A context is a C call stack on memory the kernel allocated: a task's
 * stack. ctx_create makes one that will run entry(arg) on [stack,
 * stack+size) the first time something switches to it; entry must never
 * return. ctx_switch suspends the calling context and runs `to` on the same
 * CPU; it returns when something switches back. ctx_self is the running
 * context; on the stack a request started on it is the CPU's boot context:
 * the request ends when its function returns there, so a kernel ends a run
 * by switching back to it, and resumes its tasks in a later request.
 * Contexts do not migrate between CPUs. Switching to a dead context,
 * destroying the running one, a stack too small or overlapping another
 * context's are faults.
 */
typedef unsigned long ctx_t;
ctx_t ctx_create(void *stack, size_t size, void (*entry)(void *), void *arg);
void ctx_switch(ctx_t to);
ctx_t ctx_self(void);
void ctx_destroy(ctx_t ctx);

/*
 * Interrupts of the calling CPU: IRQ_TICK fires every `period` steps of the
 * CPU once timer_start is called (each interval varied by up to an eighth
 * by the machine's seed), IRQ_SOFT when raised (a yield, from a task or from
 * a handler). An interrupt is taken at a preemption point when interrupts
 * are unmasked and no handler runs; its handler runs on the interrupted
 * context's stack with interrupts masked once, may ctx_switch away, and
 * must return with the mask as it found it. Masking nests: irq_disable /
 * irq_enable, or irq_save / irq_restore(saved) from handlers. The mask
 * belongs to the context (saved by ctx_switch); a new context starts
 * unmasked. wait_for_interrupt sleeps until one is pending (the idle
 * task): with interrupts unmasked it is taken before it returns.
 */
#define IRQ_TICK 0
#define IRQ_SOFT 1
void irq_handler(int irq, void (*handler)(void));
void irq_raise(int irq);
void irq_disable(void);
void irq_enable(void);
unsigned long irq_save(void);
void irq_restore(unsigned long saved);
bool irq_masked(void);
bool in_interrupt(void);
void timer_start(unsigned long period);
void timer_stop(void);
void wait_for_interrupt(void);
/* cpu_clock is the steps the calling CPU executed or slept so far. */
unsigned long cpu_clock(void);

#endif /* UPSYNTH_KERNEL_PORT_H */
