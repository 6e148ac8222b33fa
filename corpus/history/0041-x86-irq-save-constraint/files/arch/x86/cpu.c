/*
 * cpu.c — x86 CPU primitives for the hardware port.
 *
 * Not built for the emulated machine, which provides these as builtins.
 */
#include <kernel.h>

void arch_cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq; popq %0; cli" : "=rm"(flags) : : "memory");

	return flags;
}

void arch_irq_restore(unsigned long flags)
{
	__asm__ __volatile__("pushq %0; popfq" : : "r"(flags) : "memory", "cc");
}

unsigned long arch_read_tsc(void)
{
	unsigned int lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((unsigned long)hi << 32) | lo;
}
