/*
 * portmacro.h — FreeRTOS port to the upsynth emulated target (LP64).
 *
 * The machine (runtime/emu/ABI.md, "Contexts and interrupts") gives each
 * task an execution context on the stack FreeRTOS allocates, a tick
 * interrupt and a software interrupt (IRQ_SOFT) that plays the part of
 * ARM's PendSV: portYIELD raises it, and it is taken when interrupts are
 * unmasked — at once from a task, after the handler from an ISR, at the end
 * of a critical section from inside one.
 */
#ifndef PORTMACRO_H
#define PORTMACRO_H

#include <stdint.h>

#define portCHAR char
#define portFLOAT float
#define portDOUBLE double
#define portLONG long
#define portSHORT short
#define portSTACK_TYPE uint64_t
#define portBASE_TYPE long
#define portPOINTER_SIZE_TYPE uint64_t

typedef portSTACK_TYPE StackType_t;
typedef long BaseType_t;
typedef unsigned long UBaseType_t;
typedef uint32_t TickType_t;
#define portMAX_DELAY ((TickType_t)0xffffffffUL)
#define portTICK_TYPE_IS_ATOMIC 1

#define portSTACK_GROWTH (-1)
#define portTICK_PERIOD_MS ((TickType_t)1000 / configTICK_RATE_HZ)
#define portBYTE_ALIGNMENT 16
/* pxPortInitialiseStack gets the stack's end: the context's stack bounds. */
#define portHAS_STACK_OVERFLOW_CHECKING 1

void vPortYield(void);
#define portYIELD() vPortYield()
#define portEND_SWITCHING_ISR(xSwitchRequired) \
	do {                                   \
		if ((xSwitchRequired) != pdFALSE)  \
			vPortYield();              \
	} while (0)
#define portYIELD_FROM_ISR(x) portEND_SWITCHING_ISR(x)

void vPortEnterCritical(void);
void vPortExitCritical(void);
unsigned long ulPortSetInterruptMask(void);
void vPortClearInterruptMask(unsigned long ulMask);
void vPortDisableInterrupts(void);
void vPortEnableInterrupts(void);
#define portENTER_CRITICAL() vPortEnterCritical()
#define portEXIT_CRITICAL() vPortExitCritical()
#define portSET_INTERRUPT_MASK_FROM_ISR() ulPortSetInterruptMask()
#define portCLEAR_INTERRUPT_MASK_FROM_ISR(x) vPortClearInterruptMask(x)
#define portDISABLE_INTERRUPTS() vPortDisableInterrupts()
#define portENABLE_INTERRUPTS() vPortEnableInterrupts()

/* A deleted task's context goes with its TCB. */
void vPortCleanUpTCB(void *pxTCB);
#define portCLEAN_UP_TCB(pxTCB) vPortCleanUpTCB(pxTCB)

BaseType_t xPortIsInsideInterrupt(void);

#define portTASK_FUNCTION_PROTO(vFunction, pvParameters) void vFunction(void *pvParameters)
#define portTASK_FUNCTION(vFunction, pvParameters) void vFunction(void *pvParameters)
#define portNOP()
#define portMEMORY_BARRIER()
#define portINLINE inline
#define portFORCE_INLINE inline
#define portDONT_DISCARD

#endif /* PORTMACRO_H */
