/*
 * entry.S — system call entry for the x86 hardware port.
 *
 * Saves the caller's registers, moves the arguments into the C calling
 * convention and calls kernel_syscall. Not built for the emulated machine.
 */
	.text
	.globl	syscall_entry
syscall_entry:
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%r11			/* user rflags, for sysret */
	pushq	%rcx			/* user rip, for sysret */
	movq	%rax, %rdi		/* nr */
	movq	%r10, %rcx		/* a3: syscall clobbers rcx */
	call	kernel_syscall
	popq	%rcx
	popq	%r11
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx

	popq	%rbp
	sysretq
