/* ut.c — the check harness of ut.h. */
#include "ut.h"

int ut_failures;
int ut_under_qemu;

void ut_init(int argc, char **argv)
{
	ut_under_qemu = argc > 1 && strcmp(argv[1], "--oracle") == 0;
}

int ut_done(void)
{
	printf("%d failures\n", ut_failures);
	return ut_failures > 100 ? 100 : ut_failures;
}

long ut_sigaction(int sig, void *handler, unsigned long flags, unsigned long mask)
{
	struct k_sigaction a = {handler, flags, 0, mask};
	return sys(NR_rt_sigaction, sig, &a, 0, 8);
}
