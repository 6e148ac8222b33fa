/*
 * selfcheck.c — kernel_selfcheck: the invariants the test workloads rely
 * on. Cheap enough to run after every workload, thorough enough to notice
 * leaked frames, damaged objects and corrupted files.
 */
#include <kernel.h>
#include <klib.h>
#include <obj.h>
#include <mm.h>
#include <fs.h>
#include <proc.h>

/* check_frames: every allocated frame is owned by a region or a file
 * cache, exactly once. */
static long check_frames(void)
{
	long used = FrameAllocator_nframes(frames) - FrameAllocator_nfree(frames);
	long owned = region_count_frames() + fcm_count_frames();

	if (used != owned) {
		kprintf("selfcheck: %ld frames allocated, %ld owned\n",
			used, owned);

		return 1;
	}
	return 0;
}

long kernel_selfcheck(void)
{
	long bad = 0;

	bad += factories_check();
	bad += check_frames();
	bad += file_check_all();
	bad += dir_check_all();
	bad += proc_check_all();
	bad += RunQueue_check(runqueue);
	if (bad)
		kprintf("selfcheck: %ld problems\n", bad);
	return bad;
}
