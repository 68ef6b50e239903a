/* setjmp.c — setjmp/longjmp (which save and restore floating-point
 * registers on ppc64), nesting, and sigsetjmp/siglongjmp out of signal
 * handlers, restoring the signal mask. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static jmp_buf outer, inner;
static sigjmp_buf escape;
static volatile int depth;

static void dive(int n)
{
	depth = n;
	if (n >= 5) longjmp(inner, n * 10);
	dive(n + 1);
}

static void on_signal(int sig) { siglongjmp(escape, sig); }

int main(void)
{
	volatile int steps = 0;
	int r = setjmp(outer);
	steps++;
	if (r < 3) {
		printf("setjmp returned %d (step %d)\n", r, steps);
		longjmp(outer, r + 1);
	}
	printf("setjmp returned %d at last\n", r);
	if ((r = setjmp(inner)) == 0) dive(0);
	printf("came back from depth %d with %d\n", depth, r);
	r = setjmp(inner);
	if (r == 0) longjmp(inner, 0);
	printf("longjmp with 0 gives %d\n", r);

	volatile double kept = 2.5;
	if (setjmp(inner) == 0) {
		kept = kept * 3;
		longjmp(inner, 1);
	}
	printf("a volatile double across longjmp: %d\n", (int)(kept * 10));

	signal(SIGUSR1, on_signal);
	signal(SIGSEGV, on_signal);
	if ((r = sigsetjmp(escape, 1)) == 0) {
		raise(SIGUSR1);
		printf("not reached\n");
	}
	printf("escaped from signal %d\n", r);
	if ((r = sigsetjmp(escape, 1)) == 0) {
		volatile int *bad;
		__asm__ volatile("li %0,16" : "=r"(bad)); /* an address GCC cannot see */
		*bad = 1;
		printf("not reached\n");
	}
	printf("escaped from signal %d (the fault)\n", r);
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	printf("SIGUSR1 blocked after siglongjmp: %d, SIGSEGV: %d\n", sigismember(&now, SIGUSR1), sigismember(&now, SIGSEGV));
	if ((r = sigsetjmp(escape, 0)) == 0) raise(SIGUSR1);
	sigprocmask(SIG_BLOCK, NULL, &now);
	printf("without saving the mask, SIGUSR1 stays blocked: %d\n", sigismember(&now, SIGUSR1));
	return 0;
}
