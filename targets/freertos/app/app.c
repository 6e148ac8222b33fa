/*
 * app.c — an application of FreeRTOS on the upsynth emulated target: tasks
 * exercising queues, binary and counting semaphores, mutexes with priority
 * inheritance, recursive mutexes, software timers, event groups, stream and
 * message buffers, task notifications, delays, task creation and deletion,
 * priorities and time slicing. Each check keeps an error counter and a
 * progress counter; kernel_selfcheck fails when an error was counted or a
 * check stopped making progress.
 *
 * kernel_syscall(1, n) runs the scheduler for n ticks (port.c's vPortRun);
 * kernel_syscall(2) is the tick count.
 */
#include "FreeRTOS.h"
#include "task.h"
#include "queue.h"
#include "semphr.h"
#include "timers.h"
#include "event_groups.h"
#include "stream_buffer.h"
#include "message_buffer.h"
#include <kernel_port.h>

TickType_t vPortRun(unsigned long ulTicks);
extern unsigned long ulPortRunTicks;

enum {
	C_QUEUE, C_BINSEM, C_COUNTSEM, C_MUTEX, C_INHERIT, C_RECMUTEX, C_TIMER, C_ONESHOT,
	C_EVENT, C_STREAM, C_MESSAGE, C_NOTIFY, C_DELAY, C_SLICE_A, C_SLICE_B, C_LIFECYCLE,
	NCHECKS
};
static const char *const pcNames[NCHECKS] = {
	"queue", "binary semaphore", "counting semaphore", "mutex", "priority inheritance",
	"recursive mutex", "auto-reload timer", "one-shot timer", "event group", "stream buffer",
	"message buffer", "notification", "delay until", "time slice a", "time slice b",
	"task create/delete",
};
static volatile unsigned long ulProgress[NCHECKS], ulSeen[NCHECKS], ulErrors[NCHECKS];
static TickType_t xCheckedAt;

static QueueHandle_t xQueue;
static SemaphoreHandle_t xBinary, xCounting, xMutex, xRecursive;
static TimerHandle_t xAutoReload, xOneShot;
static EventGroupHandle_t xEvents;
static StreamBufferHandle_t xStream;
static MessageBufferHandle_t xMessages;
static TaskHandle_t xNotified;
static volatile long lGuarded, lGuardedIncs;

static void prvError(int c) { ulErrors[c]++; }

/* ---- queue ---- */
static void vQueueProducer(void *pv)
{
	uint32_t ulNext = 0;
	for (;;) {
		if (xQueueSend(xQueue, &ulNext, pdMS_TO_TICKS(20)) == pdPASS)
			ulNext++;
		if ((ulNext & 7) == 0)
			vTaskDelay(1);
	}
}

static void vQueueConsumer(void *pv)
{
	uint32_t ulExpect = 0, ulGot;
	for (;;) {
		if (xQueueReceive(xQueue, &ulGot, portMAX_DELAY) != pdPASS)
			continue;
		if (ulGot != ulExpect)
			prvError(C_QUEUE);
		ulExpect = ulGot + 1;
		ulProgress[C_QUEUE]++;
	}
}

/* ---- timers and the binary semaphore they give ---- */
static void vAutoReload(TimerHandle_t xTimer)
{
	ulProgress[C_TIMER]++;
	xSemaphoreGive(xBinary);
}

static void vOneShotExpired(TimerHandle_t xTimer)
{
	ulProgress[C_ONESHOT]++;
	if (xTimerIsTimerActive(xTimer) != pdFALSE)
		prvError(C_ONESHOT);
	xTimerStart(xTimer, 0); /* again, from the timer task */
}

static void vBinaryTaker(void *pv)
{
	for (;;) {
		if (xSemaphoreTake(xBinary, pdMS_TO_TICKS(200)) == pdPASS)
			ulProgress[C_BINSEM]++;
		else
			prvError(C_BINSEM);
	}
}

/* ---- counting semaphore ---- */
static void vCountingGiver(void *pv)
{
	for (;;) {
		for (int i = 0; i < 3; i++)
			xSemaphoreGive(xCounting);
		vTaskDelay(2);
	}
}

static void vCountingTaker(void *pv)
{
	for (;;) {
		if (xSemaphoreTake(xCounting, portMAX_DELAY) != pdPASS)
			continue;
		if (uxSemaphoreGetCount(xCounting) > 10)
			prvError(C_COUNTSEM);
		ulProgress[C_COUNTSEM]++;
	}
}

/* ---- mutex and priority inheritance ---- */
static void vMutexLow(void *pv)
{
	for (;;) {
		if (xSemaphoreTake(xMutex, portMAX_DELAY) != pdPASS)
			continue;
		long v = lGuarded;
		for (int i = 0; i < 300; i++)
			if (uxTaskPriorityGet(NULL) > 1)
				ulProgress[C_INHERIT]++; /* the high task waits for us */
		lGuarded = v + 1;
		lGuardedIncs++;
		xSemaphoreGive(xMutex);
		if (uxTaskPriorityGet(NULL) != 1)
			prvError(C_INHERIT); /* disinherited on give */
		ulProgress[C_MUTEX]++;
		vTaskDelay(1);
	}
}

static void vMutexHigh(void *pv)
{
	for (;;) {
		vTaskDelay(3);
		if (xSemaphoreTake(xMutex, pdMS_TO_TICKS(100)) != pdPASS) {
			prvError(C_MUTEX);
			continue;
		}
		lGuarded++;
		lGuardedIncs++;
		xSemaphoreGive(xMutex);
	}
}

/* ---- recursive mutex ---- */
static void vRecursive(void *pv)
{
	for (;;) {
		for (int i = 0; i < 3; i++)
			if (xSemaphoreTakeRecursive(xRecursive, pdMS_TO_TICKS(100)) != pdPASS)
				prvError(C_RECMUTEX);
		if (xSemaphoreGetMutexHolder(xRecursive) != xTaskGetCurrentTaskHandle())
			prvError(C_RECMUTEX);
		vTaskDelay(1); /* hold it across a block */
		for (int i = 0; i < 3; i++)
			xSemaphoreGiveRecursive(xRecursive);
		ulProgress[C_RECMUTEX]++;
		taskYIELD();
	}
}

static void vRecursiveRival(void *pv)
{
	for (;;) {
		if (xSemaphoreTakeRecursive(xRecursive, pdMS_TO_TICKS(100)) != pdPASS) {
			prvError(C_RECMUTEX);
			continue;
		}
		if (xSemaphoreGetMutexHolder(xRecursive) != xTaskGetCurrentTaskHandle())
			prvError(C_RECMUTEX);
		xSemaphoreGiveRecursive(xRecursive);
		vTaskDelay(2);
	}
}

/* ---- event group ---- */
static void vEventSetter(void *pv)
{
	for (;;) {
		xEventGroupSetBits(xEvents, 0x1);
		vTaskDelay(1);
		xEventGroupSetBits(xEvents, 0x2);
		vTaskDelay(1);
	}
}

static void vEventWaiter(void *pv)
{
	for (;;) {
		EventBits_t b = xEventGroupWaitBits(xEvents, 0x3, pdTRUE, pdTRUE, pdMS_TO_TICKS(100));
		if ((b & 0x3) == 0x3)
			ulProgress[C_EVENT]++;
		else
			prvError(C_EVENT);
	}
}

/* ---- stream and message buffers ---- */
static void vStreamSender(void *pv)
{
	uint8_t ucNext = 0, buf[8];
	size_t n = 1;
	for (;;) {
		for (size_t i = 0; i < n; i++)
			buf[i] = (uint8_t)(ucNext + i);
		size_t sent = xStreamBufferSend(xStream, buf, n, pdMS_TO_TICKS(50));
		ucNext = (uint8_t)(ucNext + sent);
		n = n % 7 + 1;
		if ((ucNext & 15) == 0)
			vTaskDelay(1);
	}
}

static void vStreamReceiver(void *pv)
{
	uint8_t ucExpect = 0, buf[16];
	for (;;) {
		size_t got = xStreamBufferReceive(xStream, buf, sizeof buf, portMAX_DELAY);
		for (size_t i = 0; i < got; i++)
			if (buf[i] != ucExpect++)
				prvError(C_STREAM);
		if (got > 0)
			ulProgress[C_STREAM]++;
	}
}

static void vMessageSender(void *pv)
{
	uint8_t msg[24];
	uint8_t seq = 0;
	for (;;) {
		size_t len = 2 + seq % 20;
		msg[0] = (uint8_t)len;
		for (size_t i = 1; i < len; i++)
			msg[i] = seq;
		if (xMessageBufferSend(xMessages, msg, len, pdMS_TO_TICKS(50)) == len)
			seq++;
		vTaskDelay(1);
	}
}

static void vMessageReceiver(void *pv)
{
	uint8_t msg[24];
	uint8_t seq = 0;
	for (;;) {
		size_t len = xMessageBufferReceive(xMessages, msg, sizeof msg, portMAX_DELAY);
		if (len == 0)
			continue;
		if (msg[0] != len || msg[len - 1] != seq)
			prvError(C_MESSAGE);
		seq = (uint8_t)(msg[len - 1] + 1);
		ulProgress[C_MESSAGE]++;
	}
}

/* ---- notifications ---- */
static void vNotifier(void *pv)
{
	for (;;) {
		xTaskNotifyGive(xNotified);
		vTaskDelay(1);
	}
}

static void vNotifiedTask(void *pv)
{
	for (;;) {
		if (ulTaskNotifyTake(pdTRUE, pdMS_TO_TICKS(100)) > 0)
			ulProgress[C_NOTIFY]++;
		else
			prvError(C_NOTIFY);
	}
}

/* ---- delays, time slicing, task life cycle ---- */
static void vPeriodic(void *pv)
{
	TickType_t xLast = xTaskGetTickCount();
	for (;;) {
		TickType_t xWas = xLast;
		vTaskDelayUntil(&xLast, 4);
		if (xLast != xWas + 4 || xTaskGetTickCount() < xLast)
			prvError(C_DELAY);
		ulProgress[C_DELAY]++;
	}
}

static void vSlicer(void *pv)
{
	int c = (int)(long)pv;
	for (;;) {
		for (int i = 0; i < 300; i++)
			ulProgress[c]++;
		vTaskDelay(3);
	}
}

static void vShortLived(void *pv)
{
	ulProgress[C_LIFECYCLE]++;
	vTaskDelete(NULL);
}

static void vCreator(void *pv)
{
	for (;;) {
		if (xTaskCreate(vShortLived, "short", configMINIMAL_STACK_SIZE, NULL, 2, NULL) != pdPASS)
			prvError(C_LIFECYCLE);
		vTaskDelay(5);
	}
}

static void prvCreate(TaskFunction_t f, const char *name, void *arg, UBaseType_t prio, TaskHandle_t *h)
{
	if (xTaskCreate(f, name, configMINIMAL_STACK_SIZE, arg, prio, h) != pdPASS)
		panic("xTaskCreate %s failed", name);
}

void kernel_boot(void)
{
	xQueue = xQueueCreate(8, sizeof(uint32_t));
	xBinary = xSemaphoreCreateBinary();
	xCounting = xSemaphoreCreateCounting(10, 0);
	xMutex = xSemaphoreCreateMutex();
	xRecursive = xSemaphoreCreateRecursiveMutex();
	xAutoReload = xTimerCreate("auto", 5, pdTRUE, NULL, vAutoReload);
	xOneShot = xTimerCreate("once", 7, pdFALSE, NULL, vOneShotExpired);
	xEvents = xEventGroupCreate();
	xStream = xStreamBufferCreate(64, 1);
	xMessages = xMessageBufferCreate(128);
	if (!xQueue || !xBinary || !xCounting || !xMutex || !xRecursive || !xAutoReload || !xOneShot || !xEvents || !xStream || !xMessages)
		panic("creating the application's objects failed");
	xTimerStart(xAutoReload, 0);
	xTimerStart(xOneShot, 0);
	prvCreate(vQueueProducer, "qprod", NULL, 2, NULL);
	prvCreate(vQueueConsumer, "qcons", NULL, 2, NULL);
	prvCreate(vBinaryTaker, "bin", NULL, 3, NULL);
	prvCreate(vCountingGiver, "cgive", NULL, 2, NULL);
	prvCreate(vCountingTaker, "ctake", NULL, 2, NULL);
	prvCreate(vMutexLow, "mlow", NULL, 1, NULL);
	prvCreate(vMutexHigh, "mhigh", NULL, 4, NULL);
	prvCreate(vRecursive, "rec", NULL, 2, NULL);
	prvCreate(vRecursiveRival, "rival", NULL, 2, NULL);
	prvCreate(vEventSetter, "eset", NULL, 2, NULL);
	prvCreate(vEventWaiter, "ewait", NULL, 3, NULL);
	prvCreate(vStreamSender, "ssend", NULL, 2, NULL);
	prvCreate(vStreamReceiver, "srecv", NULL, 2, NULL);
	prvCreate(vMessageSender, "msend", NULL, 2, NULL);
	prvCreate(vMessageReceiver, "mrecv", NULL, 2, NULL);
	prvCreate(vNotifiedTask, "notified", NULL, 3, &xNotified);
	prvCreate(vNotifier, "notifier", NULL, 2, NULL);
	prvCreate(vPeriodic, "periodic", NULL, 5, NULL);
	prvCreate(vSlicer, "slice a", (void *)(long)C_SLICE_A, 1, NULL);
	prvCreate(vSlicer, "slice b", (void *)(long)C_SLICE_B, 1, NULL);
	prvCreate(vCreator, "creator", NULL, 2, NULL);
	ulPortRunTicks = 1;
	vTaskStartScheduler(); /* runs the first tick, then returns (port.c) */
	kprintf("freertos: %lu tasks, tick %lu\n", (unsigned long)uxTaskGetNumberOfTasks(), (unsigned long)xTaskGetTickCount());
}

long kernel_selfcheck(void)
{
	TickType_t now = xTaskGetTickCount();
	int progress = now >= xCheckedAt + 100;
	long rc = 0;
	for (int c = 0; c < NCHECKS; c++) {
		if (ulErrors[c]) {
			kprintf("selfcheck: %s: %lu errors\n", pcNames[c], ulErrors[c]);
			rc = 1;
		}
		if (progress && c != C_INHERIT && ulProgress[c] == ulSeen[c]) {
			kprintf("selfcheck: %s made no progress in %lu ticks\n", pcNames[c], (unsigned long)(now - xCheckedAt));
			rc = 2;
		}
		if (progress)
			ulSeen[c] = ulProgress[c];
	}
	taskENTER_CRITICAL();
	if (lGuarded != lGuardedIncs) {
		kprintf("selfcheck: mutex-guarded counter %ld, %ld increments\n", lGuarded, lGuardedIncs);
		rc = 3;
	}
	taskEXIT_CRITICAL();
	if (progress)
		xCheckedAt = now;
	return rc;
}

/* vIdler is one of the tasks kernel_syscall 4 adds (BenchmarkFreeRTOSTCBLayout
 * in targets/freertos): it sleeps a few ticks at a time, so it spends its life
 * parked in vTaskDelay, inside xTaskResumeAll. */
static volatile unsigned long ulIdlerRuns;
static void vIdler(void *pv)
{
	TickType_t xDelay = 1 + (TickType_t)((unsigned long)pv % 7);
	for (;;) {
		ulIdlerRuns++;
		vTaskDelay(xDelay);
	}
}

/* kernel_task_count is the number of tasks the kernel knows. */
long kernel_task_count(void)
{
	return (long)uxTaskGetNumberOfTasks();
}

long kernel_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	switch (nr) {
	case 1:
		return (long)vPortRun((unsigned long)a0);
	case 2:
		return (long)xTaskGetTickCount();
	case 3: /* priority inheritance observed */
		return (long)ulProgress[C_INHERIT];
	case 4: /* add a0 tasks at the idle priority (no switch from this call) */
		for (long i = 0; i < a0; i++)
			if (xTaskCreate(vIdler, "idler", configMINIMAL_STACK_SIZE, (void *)i, tskIDLE_PRIORITY, NULL) != pdPASS)
				return i;
		return a0;
	case 5: /* how often the added tasks ran */
		return (long)ulIdlerRuns;
	}
	return -38;
}
