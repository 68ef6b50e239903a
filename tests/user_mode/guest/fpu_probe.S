/* fpu_probe.S — stfd/lfd, then exit(0): exit 0 if the FPU is modelled, a
 * "floating point not modelled" fault otherwise (tests/user_mode/needs_fpu.sh). */
	.section ".opd","aw"
	.align 3
	.globl _start
_start:
	.quad ._start, .TOC.@tocbase, 0
	.text
	.align 2
._start:
	stfd	0,-8(1)
	lfd	1,-8(1)
	li	0,234	/* exit_group */
	li	3,0
	sc
	trap
	.section .note.GNU-stack,"",@progbits
