/*
 * Process entry of the GDB test program (Linux ppc64, ELFv1 ABI): the entry
 * point is a function descriptor; r1 points at argc, argv[] follows. We pass
 * that pointer to start_c() after building a minimal frame with a null back
 * chain, which also ends GDB's backtraces cleanly.
 */
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
	mr	3,1
	clrrdi	1,1,4
	li	0,0
	stdu	0,-112(1)
	bl	start_c
	nop
	trap

	.section .note.GNU-stack,"",@progbits
