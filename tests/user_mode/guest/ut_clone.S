/*
 * long ut_clone(unsigned long flags, void *stack_top, int *ptid, void *tls,
 *               int *ctid, long (*fn)(void *), void *arg)
 *
 * A raw clone(2) for the thread tests, as glibc's clone.S does it: the child
 * starts on `stack_top` with a fresh frame, calls fn(arg) and exits (the
 * thread only) with its result. Returns the child's tid or -errno.
 */
	.section ".opd","aw"
	.align 3
	.globl ut_clone
	.type ut_clone,@function
ut_clone:
	.quad .ut_clone, .TOC.@tocbase, 0
	.size ut_clone, 24

	.text
	.align 2
.ut_clone:
	std	30,-16(1)
	std	31,-8(1)
	mr	30,8		/* fn and arg survive in non-volatile registers */
	mr	31,9
	li	0,120		/* __NR_clone */
	sc
	bns+	1f
	neg	3,3		/* the error as -errno */
	b	2f
1:	cmpdi	3,0
	beq	3f
2:	ld	30,-16(1)	/* the parent */
	ld	31,-8(1)
	blr
3:	li	0,0		/* the child, on its own stack */
	stdu	0,-112(1)
	ld	0,0(30)
	ld	2,8(30)
	mtctr	0
	mr	3,31
	bctrl
	li	0,1		/* __NR_exit: this thread only */
	sc
	trap

	.section .note.GNU-stack,"",@progbits
