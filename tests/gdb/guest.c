/*
 * The program the GDB tests debug (freestanding ppc64, no libc). It sums
 * 0..4 through add(), counting the calls in `counter` (a watchpoint target),
 * prints the total and exits with it (10). Its first argument picks another
 * ending: "fault" stores through a null pointer, "spin" loops forever (for
 * Ctrl-C), "float" divides 1 by 3 and exits with fp_check(1/3, 2.5) = 3
 * (the FPR test changes f2 at fp_check's entry).
 */
typedef unsigned long u64;

volatile int counter;  /* written once per add() call */
int last_sum;

static long sys3(long nr, long a, long b, long c)
{
	register long r0 __asm__("r0") = nr;
	register long r3 __asm__("r3") = a;
	register long r4 __asm__("r4") = b;
	register long r5 __asm__("r5") = c;
	__asm__ volatile("sc"
	                 : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5)
	                 :
	                 : "r6", "r7", "r8", "r9", "r10", "r11", "r12", "cr0", "ctr", "xer", "memory");
	return r3;
}

static void say(const char *s)
{
	long n = 0;
	while (s[n])
		n++;
	sys3(4, 1, (long)s, n); /* write(1, s, n) */
}

static int same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

int add(int a, int b)
{
	int sum = a + b;
	counter = counter + 1;
	last_sum = sum;
	return sum;
}

int fp_check(double x, double y)
{
	return (int)(x * 3 + y);
}

int total_of(int n)
{
	int total = 0;
	for (int i = 0; i < n; i++)
		total = add(total, i);
	return total;
}

void start_c(u64 *sp)
{
	long argc = (long)sp[0];
	char **argv = (char **)(sp + 1);
	if (argc > 1 && same(argv[1], "fault"))
		*(volatile int *)0 = 1;
	if (argc > 1 && same(argv[1], "float")) {
		volatile double a = 1, b = 3;
		sys3(234, fp_check(a / b, 2.5), 0, 0);
	}
	if (argc > 1 && same(argv[1], "spin"))
		for (;;)
			counter = counter + 1;
	int total = total_of(5);
	char msg[] = "gdb guest: total=??\n";
	msg[17] = (char)('0' + total / 10);
	msg[18] = (char)('0' + total % 10);
	say(msg);
	sys3(234, total, 0, 0); /* exit_group(total) */
}
