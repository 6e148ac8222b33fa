/*
 * boot.c — kernel_boot: bring the services up in dependency order.
 *
 * Runs once on CPU 0. Nothing here can be updated on a live system: by the
 * time an update arrives this code has already run.
 */
#include <kernel.h>
#include <mm.h>
#include <fs.h>
#include <proc.h>
#include <console.h>
#include <klib.h>

#define KERNEL_VERSION	"0.2"

void kernel_boot(void)
{
	console_init();
	kprintf("kernel %s booting on %d cpus\n", KERNEL_VERSION, ncpus());
	mm_init();
	sched_init();
	fs_init();
	proc_init();
	kprintf("boot: %d frames of %d bytes, %ld free\n", NFRAMES, PAGE_SIZE,
		FrameAllocator_nfree(frames));
	/* a kernel that boots broken should say so before taking requests */
	if (kernel_selfcheck() != 0)
		panic("boot: self-check failed");
	kprintf("boot: done\n");

}
