/* no_execute.c — code runs only where a mapping allows execution: a
 * function copied into read-write memory faults when called (SIGSEGV,
 * SEGV_ACCERR, si_addr the function's address), runs after mprotect makes
 * the page read-execute, faults again after mprotect takes execution away,
 * runs from a read-write-execute mapping, and faults on the stack and in
 * the data segment. A signal handler returns through the kernel's
 * trampoline page, so handlers work although the stack is not executable.
 * Linux's answers on the guest; qemu-ppc64 reports these faults as
 * SEGV_MAPERR at another address, so with the argument --oracle (its run)
 * the program prints what Linux gives without looking. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf back;
static void* volatile fault_addr;
static volatile int fault_code;
static int oracle;

static void on_segv(int sig, siginfo_t* si, void* uc)
{
	(void)sig;
	(void)uc;
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	siglongjmp(back, 1);
}

typedef long (*fn_t)(long);
struct desc { void* entry; void* toc; void* env; };  /* an ELFv1 function descriptor */

static unsigned code[2] = {0x38630001, 0x4e800020}; /* addi r3,r3,1; blr */

static void place(unsigned* at)
{
	memcpy(at, code, sizeof code);
	__builtin___clear_cache((char*)at, (char*)at + sizeof code);
}

static int faults;

static void call(void* where, const char* what)
{
	static struct desc d;
	d.entry = where;
	fault_addr = 0;
	if (sigsetjmp(back, 1) == 0) {
		long r = ((fn_t)(void*)&d)(41);
		printf("%s: ran, returned %ld\n", what, r);
		return;
	}
	faults++;
	if (oracle || (fault_code == SEGV_ACCERR && fault_addr == where))
		printf("%s: SIGSEGV, SEGV_ACCERR at the code's address\n", what);
	else
		printf("%s: SIGSEGV, si_code %d at %p (the code is at %p)\n", what, fault_code, fault_addr, where);
}

int main(int argc, char** argv)
{
	oracle = argc > 1 && strcmp(argv[1], "--oracle") == 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	const long pg = sysconf(_SC_PAGESIZE);
	unsigned* rw = mmap(0, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	place(rw);
	call(rw, "mmap read-write");
	mprotect(rw, pg, PROT_READ | PROT_EXEC);
	call(rw, "after mprotect read-execute");
	mprotect(rw, pg, PROT_READ | PROT_WRITE);
	call(rw, "after mprotect read-write again");
	unsigned* rwx = mmap(0, pg, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	place(rwx);
	call(rwx, "mmap read-write-execute");
	unsigned on_stack[2];
	place(on_stack);
	call(on_stack, "the stack");
	call(code, "the data segment");
	/* A read-only mapping stays read-only: a store to it faults too. */
	volatile char* ro = mmap(0, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sigsetjmp(back, 1) == 0) {
		ro[5] = 1;
		printf("a store to a read-only mapping: no fault\n");
	} else {
		faults++;
		printf("a store to a read-only mapping: SIGSEGV\n");
	}
	printf("%d faults\n", faults);
	return faults == 5 ? 0 : 1;
}
