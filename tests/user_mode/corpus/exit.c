/* exit.c — atexit and on_exit handlers run in reverse order, stdio is
 * flushed at exit, and the exit code comes through (7). */
#include <stdio.h>
#include <stdlib.h>

static void first(void) { printf("atexit handler registered first runs last\n"); }
static void second(void) { printf("atexit handler registered second runs first\n"); }
static void with_arg(int code, void *arg) { printf("on_exit sees code %d and \"%s\"\n", code, (const char *)arg); }

int main(void)
{
	atexit(first);
	atexit(second);
	on_exit(with_arg, "its argument");
	printf("buffered, not yet flushed");
	fputs(" ... still buffered\n", stdout);
	fprintf(stderr, "to stderr, unbuffered\n");
	exit(7);
}
