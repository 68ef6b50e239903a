/* abort.c — abort() raises SIGABRT: the process ends by the signal (a shell
 * sees 134) after what it flushed itself. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

static void on_abort(int sig)
{
	printf("SIGABRT handler ran once (signal %d)\n", sig);
	fflush(stdout);
}

int main(void)
{
	printf("before abort\n");
	fflush(stdout);
	fprintf(stderr, "about to abort\n");
	signal(SIGABRT, on_abort); /* a handler that returns: abort() then restores the default */
	abort();
}
