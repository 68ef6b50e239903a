/*
 * sys_fpu.c — the floating-point state where the kernel keeps it: signal
 * frames save and restore f0-f31 and the FPSCR (a handler starts with the
 * FPSCR clear), an enabled FP exception is SIGFPE with the cause in
 * si_code, and a new thread starts with its parent's FP registers and
 * FPSCR. Needs the FPU (tests/user_mode/needs_fpu.sh).
 */
#include "ut.h"

#define SIGUSR1 10
#define SIGFPE 8
#define FPE_FLTDIV 3

static volatile unsigned long handler_fpscr;
static volatile int fpe_code, fpe_count;

static unsigned long read_fpscr(void)
{
	double d;
	unsigned long v;
	__asm__ volatile("mffs %0\n\tstfd %0,%1" : "=f"(d), "=m"(v));
	return v & 0xffffffff;
}

/* Clobbers f14, f20, f31 and the rounding mode behind the compiler's back
 * (no clobber list: it must not save and restore them itself). */
static void clobber_handler(int sig)
{
	handler_fpscr = read_fpscr();
	__asm__ volatile("fsub 14,14,14\n\tfsub 20,20,20\n\tfsub 31,31,31\n\tmtfsfi 7,3");
}

static void fpe_handler(int sig, struct k_siginfo *si, void *uc)
{
	fpe_code = si->si_code;
	fpe_count++;
	UC_GPREG(uc, PT_NIP) += 4; /* over the fdiv */
}

static volatile unsigned long child_fpscr;
static volatile double child_f14;
static volatile int child_tid;
static long child(void *arg)
{
	double d;
	__asm__ volatile("fmr %0,14" : "=f"(d));
	child_f14 = d;
	child_fpscr = read_fpscr();
	return 0;
}
long ut_clone(unsigned long flags, void *stack_top, int *ptid, void *tls, int *ctid, long (*fn)(void *), void *arg);

int main(int argc, char **argv)
{
	ut_init(argc, argv);
	CHECK("sigaction SIGUSR1", ut_sigaction(SIGUSR1, clobber_handler, 0, 0), 0);
	/* f14 = 2.5, f31 = -7.0, round toward zero; a signal; then read them back. */
	double in14 = 2.5, in31 = -7.0, out14 = 0, out31 = 0;
	long pid = sys(NR_getpid);
	__asm__ volatile("lfd 14,%2\n\t"
			 "lfd 31,%3\n\t"
			 "mtfsfi 7,1\n\t"
			 "li 0,37\n\t"
			 "mr 3,%4\n\t"
			 "li 4,10\n\t"
			 "sc\n\t"
			 "stfd 14,%0\n\t"
			 "stfd 31,%1"
			 : "=m"(out14), "=m"(out31)
			 : "m"(in14), "m"(in31), "r"(pid)
			 : "r0", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "cr0", "ctr", "memory",
			   "fr14", "fr31");
	unsigned long after = read_fpscr();
	CHECK_TRUE("f14 survives a handler that clobbers it", out14 == 2.5);
	CHECK_TRUE("f31 too", out31 == -7.0);
	CHECK("the rounding mode survives too", after & 3, 1);
	CHECK("the handler starts with the FPSCR clear (RN 0)", handler_fpscr & 3, 0);

	/* A new thread starts with its parent's FP registers and FPSCR. */
	static char stack[65536] __attribute__((aligned(16)));
	double f14 = 4.75;
	__asm__ volatile("lfd 14,%0" : : "m"(f14) : "fr14");
	long tid = ut_clone(0x3d0f00 & ~0x80000ul /* pthread's flags, no SETTLS */, stack + sizeof stack,
			    (int *)&child_tid, 0, (int *)&child_tid, child, 0);
	CHECK_TRUE("clone", tid > 0);
	int t;
	while ((t = child_tid) != 0) sys(NR_futex, &child_tid, 0, t, 0);
	CHECK("the thread inherited the rounding mode", child_fpscr & 3, 1);
	CHECK_TRUE("and f14", child_f14 == 4.75);
	__asm__ volatile("mtfsfi 7,0");

	/* Division by zero with FPSCR[ZE] set: SIGFPE, FPE_FLTDIV. */
	CHECK("sigaction SIGFPE", ut_sigaction(SIGFPE, fpe_handler, SA_SIGINFO, 0), 0);
	double one = 1.0, zero = 0.0, q = 0;
	__asm__ volatile("mtfsb1 27\n\t"
			 "fdiv %0,%1,%2\n\t"
			 "mtfsb0 27"
			 : "=&f"(q)
			 : "f"(one), "f"(zero));
	CHECK("fdiv by zero with ZE: one SIGFPE", fpe_count, 1);
	CHECK("si_code FPE_FLTDIV", fpe_code, FPE_FLTDIV);
	return ut_done();
}
