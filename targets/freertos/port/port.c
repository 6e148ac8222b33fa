/*
 * port.c — FreeRTOS port to the upsynth emulated target.
 *
 * A task is an execution context (ctx_create) on the stack FreeRTOS
 * allocated for it; the context's handle is stored in the stack's top word,
 * which the TCB's first member (pxTopOfStack) points at, as every port
 * assumes. The tick handler advances the kernel's tick and pends the
 * software interrupt when a switch is due; the software interrupt's handler
 * selects the next task (vTaskSwitchContext) and switches to it.
 *
 * The scheduler runs in requests of the machine: xPortStartScheduler runs
 * the first ulPortRunTicks ticks, vPortRun(n) (from a later request) n more;
 * when they are over the tick handler switches back to the request's own
 * context, which returns, the tasks parked where they were.
 */
#include "FreeRTOS.h"
#include "task.h"
#include <kernel_port.h>

/* Ticks the scheduler's first run lasts (xPortStartScheduler). */
unsigned long ulPortRunTicks = 1;

static ctx_t xBootContext;
static unsigned long ulTicksLeft;

/* The context of the task FreeRTOS has made current. */
static ctx_t prvCurrentContext(void)
{
	StackType_t *pxTopOfStack = *(StackType_t **)xTaskGetCurrentTaskHandle();
	return (ctx_t)*pxTopOfStack;
}

StackType_t *pxPortInitialiseStack(StackType_t *pxTopOfStack, StackType_t *pxEndOfStack, TaskFunction_t pxCode, void *pvParameters)
{
	/* The bottom words stay free (FreeRTOS's stack checks look there);
	 * the top word holds the handle, the context runs below it. */
	unsigned long ulLow = (unsigned long)(pxEndOfStack + 4);
	unsigned long ulHigh = (unsigned long)pxTopOfStack;
	*pxTopOfStack = (StackType_t)ctx_create((void *)ulLow, ulHigh - ulLow, pxCode, pvParameters);
	return pxTopOfStack;
}

void vPortCleanUpTCB(void *pxTCB)
{
	StackType_t *pxTopOfStack = *(StackType_t **)pxTCB;
	ctx_destroy((ctx_t)*pxTopOfStack);
}

void vPortYield(void)
{
	irq_raise(IRQ_SOFT);
}

static void prvSoftInterrupt(void)
{
	vTaskSwitchContext();
	ctx_switch(prvCurrentContext());
}

static void prvTickInterrupt(void)
{
	if (xTaskIncrementTick() != pdFALSE)
		irq_raise(IRQ_SOFT);
	if (ulTicksLeft > 0 && --ulTicksLeft == 0) {
		/* The run is over: back to the request. */
		timer_stop();
		ctx_switch(xBootContext);
	}
}

/*
 * vPortRun runs the scheduler for ulTicks ticks and returns the tick
 * interrupts it delivered: ulTicks, unless the kernel stopped the run. Not the
 * kernel's tick count, which depends on how many steps earlier runs took (an
 * update's new code takes others) and on ticks pended while the scheduler was
 * suspended, so a run's result is the same on an updated machine and on a
 * fresh boot. The kernel's progress is what the self-check verifies.
 */
TickType_t vPortRun(unsigned long ulTicks)
{
	if (ulTicks == 0)
		return 0;
	xBootContext = ctx_self();
	ulTicksLeft = ulTicks;
	timer_start(portSTEPS_PER_TICK);
	ctx_switch(prvCurrentContext());
	return (TickType_t)(ulTicks - ulTicksLeft);
}

BaseType_t xPortStartScheduler(void)
{
	irq_handler(IRQ_TICK, prvTickInterrupt);
	irq_handler(IRQ_SOFT, prvSoftInterrupt);
	vPortRun(ulPortRunTicks);
	return pdTRUE;
}

void vPortEndScheduler(void)
{
	timer_stop();
}

void vPortEnterCritical(void)
{
	irq_disable();
}

void vPortExitCritical(void)
{
	irq_enable();
}

unsigned long ulPortSetInterruptMask(void)
{
	return irq_save();
}

void vPortClearInterruptMask(unsigned long ulMask)
{
	irq_restore(ulMask);
}

/* portDISABLE_INTERRUPTS does not nest (vTaskStartScheduler, asserts). */
void vPortDisableInterrupts(void)
{
	if (!irq_masked())
		irq_disable();
}

void vPortEnableInterrupts(void)
{
	while (irq_masked() && !in_interrupt())
		irq_enable();
}

BaseType_t xPortIsInsideInterrupt(void)
{
	return in_interrupt() ? pdTRUE : pdFALSE;
}

void vApplicationIdleHook(void)
{
	wait_for_interrupt();
}

void vApplicationMallocFailedHook(void)
{
	panic("FreeRTOS: pvPortMalloc failed");
}
