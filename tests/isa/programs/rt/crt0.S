/*
 * Process entry for the ISA corpus programs (Linux ppc64, ELFv1 ABI).
 *
 * The ELF entry point is a function descriptor in .opd: the loader (Linux,
 * qemu-ppc64, dusim run-elf) takes the code address and the TOC pointer (r2)
 * from it. On entry r1 points at argc; argv[] follows at 8(r1), then envp[]
 * and the auxiliary vector. We hand that pointer to __rt_start (rt.c), after
 * aligning the stack and building a minimal frame with a null back chain
 * (which also ends GDB's backtraces cleanly). The GDB tests' guest has its
 * own C entry: it builds this file with -DRT_ENTRY=start_c.
 */
#ifndef RT_ENTRY
#define RT_ENTRY __rt_start
#endif
	.section ".opd","aw"
	.align 3
	.globl _start
	.type _start,@function
_start:
	.quad ._start, .TOC.@tocbase, 0
	.size _start, 24

	.text
	.align 2
._start:
	mr	3,1		/* r3 = &argc */
	clrrdi	1,1,4		/* 16-byte aligned stack */
	li	0,0
	stdu	0,-112(1)	/* ELFv1 minimal frame, back chain = 0 */
	bl	RT_ENTRY
	nop
	trap			/* the entry never returns */

	.section .note.GNU-stack,"",@progbits
