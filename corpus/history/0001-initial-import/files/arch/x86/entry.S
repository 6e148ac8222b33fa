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
	movq	%rax, %rdi		/* nr */
	movq	%r10, %rcx		/* a3: syscall clobbers rcx */
	call	kernel_syscall
	popq	%r12
	popq	%rbx
	popq	%rbp
	sysretq
