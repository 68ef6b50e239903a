/*
 * sys_threads.c — threads made with raw clone(2) as pthread_create makes
 * them, futexes, and signals between threads. The output is printed by the
 * main thread only and does not depend on how threads interleave, so
 * qemu-ppc64 and dusim run-elf must print the same (tests/user_mode).
 *
 *   sys_threads.elf              the checks
 *   sys_threads.elf exit_group   a thread ends the process with exit_group(42)
 *   sys_threads.elf cpus N       makes N threads that wait; prints how many clone calls worked
 *   sys_threads.elf deadlock     the main thread waits on a futex nobody wakes
 *   sys_threads.elf race         two threads increment one counter without atomics (prints it)
 *   sys_threads.elf spin N       N threads and the main one loop for ever (after printing "spinning"):
 *                                for SIGINT and SIGTERM (tests/tools/check_interrupts.sh)
 */
#include "ut.h"

#define CLONE_VM 0x100
#define CLONE_FS 0x200
#define CLONE_FILES 0x400
#define CLONE_SIGHAND 0x800
#define CLONE_THREAD 0x10000
#define CLONE_SYSVSEM 0x40000
#define CLONE_SETTLS 0x80000
#define CLONE_PARENT_SETTID 0x100000
#define CLONE_CHILD_CLEARTID 0x200000
#define CLONE_CHILD_SETTID 0x1000000
/* What glibc 2.36's pthread_create passes. */
#define PTHREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | \
		       CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_PRIVATE 128
#define STACK (64 * 1024)

long ut_clone(unsigned long flags, void *stack_top, int *ptid, void *tls, int *ctid, long (*fn)(void *), void *arg);

static long futex_wait(volatile int *addr, int val) { return sys(NR_futex, addr, FUTEX_WAIT | FUTEX_PRIVATE, val, 0); }
static long futex_wake(volatile int *addr, int n) { return sys(NR_futex, addr, FUTEX_WAKE | FUTEX_PRIVATE, n); }

struct thread {
	volatile int tid;      /* CLONE_PARENT_SETTID and CLONE_CHILD_CLEARTID */
	int id;
	long (*fn)(void *);
	char *stack;
	/* what the thread saw */
	long seen_tid, seen_tls, seen_pid, result;
	unsigned long tls_word;
};

static struct thread threads[16];

static long start(struct thread *t, unsigned long flags, long (*fn)(void *))
{
	t->fn = fn;
	if (!t->stack) t->stack = malloc(STACK);
	return ut_clone(flags, t->stack + STACK, (int *)&t->tid, &t->tls_word, (int *)&t->tid, fn, t);
}

/* pthread_join's way: wait until the kernel clears the tid and wakes us.
 * The kernel's wake is a shared-futex wake: a private wait would miss it. */
static void join(struct thread *t)
{
	int tid;
	while ((tid = t->tid) != 0) sys(NR_futex, &t->tid, FUTEX_WAIT, tid, 0);
}

static long who_am_i(void *arg)
{
	struct thread *t = arg;
	long r13;
	__asm__ volatile("mr %0,13" : "=r"(r13));
	t->seen_tid = sys(NR_gettid);
	t->seen_pid = sys(NR_getpid);
	t->seen_tls = r13;
	return 0;
}

static volatile long atomic_total;
static long add_atomically(void *arg)
{
	for (int k = 0; k < 20000; k++) __atomic_fetch_add(&atomic_total, 1, __ATOMIC_RELAXED);
	return 0;
}

/* Ping-pong: each side waits for its turn on one futex word. */
static volatile int turn;
static int trace[64];
static volatile int trace_len;
static long ping_pong(void *arg)
{
	struct thread *t = arg;
	for (int round = 0; round < 16; round++) {
		int mine = t->id;
		while (turn != mine) futex_wait(&turn, 1 - mine);
		trace[trace_len++] = mine;
		turn = 1 - mine;
		futex_wake(&turn, 1);
	}
	return 0;
}

/* A thread sleeping in a futex wait is interrupted by a signal sent to it. */
static volatile int sleeper_word, handled_on, sleeper_ready;
static volatile long sleeper_wait_result;
static void on_usr1(int sig) { handled_on = (int)sys(NR_gettid); }
static long sleeper(void *arg)
{
	sleeper_ready = 1;
	futex_wake(&sleeper_ready, 1);
	sleeper_wait_result = futex_wait(&sleeper_word, 0);
	return 0;
}

/* A timed wait in a thread while the main thread sleeps. */
static volatile long timed_result;
static long timed_waiter(void *arg)
{
	static int word;
	struct { long s, n; } to = {0, 3000000};
	timed_result = sys(NR_futex, &word, FUTEX_WAIT | FUTEX_PRIVATE, 0, &to);
	return 0;
}

/* Futex operations that move or pick waiters: one thread waits on word_a
 * (with WAIT_BITSET when its id is a bitset, else plain WAIT). */
static volatile int word_a, word_b;
static volatile long waiter_result;
static long waiter(void *arg)
{
	struct thread *t = arg;
	if (t->id) waiter_result = sys(NR_futex, &word_a, 9 /* WAIT_BITSET */ | FUTEX_PRIVATE, 0, 0, 0, t->id);
	else waiter_result = sys(NR_futex, &word_a, FUTEX_WAIT | FUTEX_PRIVATE, 0, 0);
	return 0;
}
static void pause_1ms(void)
{
	struct { long s, n; } ms = {0, 1000000};
	sys(NR_nanosleep, &ms, 0);
}
#define FUTEX_OP(op, oparg, cmp, cmparg) (((op) << 28) | ((cmp) << 24) | ((oparg) << 12) | (cmparg))

/* Each operation is retried until it finds the waiter: on a real kernel the
 * new thread may not have reached its wait yet. */
static void futex_ops(void)
{
	struct thread *t = &threads[0];
	long r;
	t->id = 0;
	start(t, PTHREAD_FLAGS, waiter);
	while ((r = sys(NR_futex, &word_a, 4 /* CMP_REQUEUE */ | FUTEX_PRIVATE, 0, 1, &word_b, 0)) == 0) pause_1ms();
	CHECK("FUTEX_CMP_REQUEUE moves the waiter to another word", r, 1);
	CHECK("FUTEX_CMP_REQUEUE with a stale value: EAGAIN",
	      sys(NR_futex, &word_a, 4 | FUTEX_PRIVATE, 0, 1, &word_b, 99), -EAGAIN);
	CHECK("nobody waits on the first word now", futex_wake(&word_a, 1), 0);
	CHECK("the waiter is on the second", futex_wake(&word_b, 1), 1);
	join(t);
	CHECK("its wait returned 0", waiter_result, 0);

	start(t, PTHREAD_FLAGS, waiter);
	while ((r = sys(NR_futex, &word_a, 3 /* REQUEUE */ | FUTEX_PRIVATE, 1, 1, &word_b)) == 0) pause_1ms();
	CHECK("FUTEX_REQUEUE wakes val waiters first", r, 1);
	join(t);

	start(t, PTHREAD_FLAGS, waiter);
	while ((r = sys(NR_futex, &word_a, 5 /* WAKE_OP */ | FUTEX_PRIVATE, 1, 1, &word_b, FUTEX_OP(0, 5, 0, 0))) == 0)
		pause_1ms();
	CHECK("FUTEX_WAKE_OP wakes the waiter", r, 1);
	/* qemu-ppc64 7.2 stores it byte-reversed. */
	CHECK_LINUX("and stores the operation's result", word_b, 5, 0x05000000);
	join(t);

	t->id = 2;
	start(t, PTHREAD_FLAGS, waiter);
	while ((r = sys(NR_futex, &word_a, 10 /* WAKE_BITSET */ | FUTEX_PRIVATE, 1, 0, 0, 1)) == 0 &&
	       (r = sys(NR_futex, &word_a, 10 | FUTEX_PRIVATE, 1, 0, 0, 2)) == 0)
		pause_1ms();
	CHECK("FUTEX_WAKE_BITSET wakes only a waiter sharing a bit (bitset 2, not 1)", r, 1);
	join(t);
	CHECK("FUTEX_WAKE_BITSET with bitset 0: EINVAL", sys(NR_futex, &word_a, 10 | FUTEX_PRIVATE, 1, 0, 0, 0), -EINVAL);
}

static long exit_group_42(void *arg)
{
	sys(NR_exit_group, 42);
	return 0;
}

static volatile int forever;
static long wait_forever(void *arg)
{
	while (1) futex_wait(&forever, 0);
	return 0;
}

static volatile long racy;
static long race(void *arg)
{
	for (int k = 0; k < 100000; k++) racy = racy + 1;
	return 0;
}

static void checks(void)
{
	/* One thread, as pthread_create makes it. */
	struct thread *t = &threads[0];
	long tid = start(t, PTHREAD_FLAGS, who_am_i);
	CHECK_TRUE("clone returns a tid", tid > 0 && tid != sys(NR_getpid));
	join(t);
	CHECK("CLONE_PARENT_SETTID stored the tid, CLONE_CHILD_CLEARTID cleared it", t->tid, 0);
	CHECK("the thread saw its own tid", t->seen_tid, tid);
	CHECK("the thread is in the same process", t->seen_pid, sys(NR_getpid));
	CHECK_TRUE("CLONE_SETTLS set r13", t->seen_tls == (long)&t->tls_word);

	/* CLONE_CHILD_SETTID stores the tid in the child's memory (the same memory). */
	t = &threads[1];
	t->tid = 0;
	tid = start(t, (PTHREAD_FLAGS & ~CLONE_PARENT_SETTID) | CLONE_CHILD_SETTID, who_am_i);
	join(t);
	CHECK("CLONE_CHILD_SETTID, then cleared at exit", t->tid, 0);
	CHECK("the child's tid", t->seen_tid, tid);

	/* Eight threads add atomically. */
	for (int k = 0; k < 8; k++) start(&threads[2 + k], PTHREAD_FLAGS, add_atomically);
	for (int k = 0; k < 8; k++) join(&threads[2 + k]);
	CHECK("eight threads x 20000 atomic increments", atomic_total, 160000);

	/* Ping-pong through a futex: strict alternation. */
	threads[10].id = 0;
	threads[11].id = 1;
	start(&threads[10], PTHREAD_FLAGS, ping_pong);
	start(&threads[11], PTHREAD_FLAGS, ping_pong);
	join(&threads[10]);
	join(&threads[11]);
	int alternates = trace_len == 32;
	for (int k = 0; k < trace_len; k++) alternates &= trace[k] == (k & 1);
	CHECK("futex ping-pong alternates 32 times", alternates, 1);

	/* A signal for a thread interrupts its futex wait (EINTR) and runs there. */
	CHECK("sigaction SIGUSR1", ut_sigaction(10, on_usr1, 0, 0), 0);
	tid = start(&threads[12], PTHREAD_FLAGS, sleeper);
	while (!sleeper_ready) futex_wait(&sleeper_ready, 0);
	struct { long s, n; } ms = {0, 1000000};
	sys(NR_nanosleep, &ms, 0); /* let it block */
	CHECK("tgkill the sleeping thread", sys(NR_tgkill, sys(NR_getpid), tid, 10), 0);
	join(&threads[12]);
	CHECK("its futex wait was interrupted: EINTR", sleeper_wait_result, -EINTR);
	CHECK("the handler ran on that thread", handled_on, tid);
	CHECK_DUSIM("tgkill of an exited thread: ESRCH", sys(NR_tgkill, sys(NR_getpid), tid, 10), -ESRCH);

	/* A timed futex wait in a thread expires. */
	start(&threads[13], PTHREAD_FLAGS, timed_waiter);
	join(&threads[13]);
	CHECK("a thread's timed futex wait: ETIMEDOUT", timed_result, -ETIMEDOUT);

	futex_ops();

	/* clone without CLONE_THREAD would make a process. */
	/* A private wait on the tid would not see the kernel's (shared) wake: it times out. */
	start(&threads[15], PTHREAD_FLAGS, who_am_i);
	struct { long s, n; } later = {0, 50000000};
	int tid15;
	long r = 0;
	while ((tid15 = threads[15].tid) != 0 && r == 0) r = sys(NR_futex, &threads[15].tid, FUTEX_WAIT | FUTEX_PRIVATE, tid15, &later);
	CHECK_DUSIM("a private futex wait on the tid is not woken by the exit: ETIMEDOUT", r, -ETIMEDOUT);
	CHECK("the tid is cleared", threads[15].tid, 0);

	CHECK_TRUE("clone of a new process is refused or made",
		   ut_under_qemu || start(&threads[14], 17 /* SIGCHLD: fork */, who_am_i) == -ENOSYS);
}

static volatile long spins[17];
static long spin(void *arg)
{
	struct thread *t = arg;
	for (;;) spins[t->id]++;
	return 0;
}

int main(int argc, char **argv)
{
	ut_init(argc, argv);
	const char *mode = argc > 1 && argv[1][0] != '-' ? argv[1] : "checks";
	if (!strcmp(mode, "exit_group")) {
		start(&threads[0], PTHREAD_FLAGS, exit_group_42);
		while (1) futex_wait(&forever, 0); /* ended by the thread */
	}
	if (!strcmp(mode, "cpus")) {
		long n = argc > 2 ? rt_atol(argv[2]) : 4, made = 0, last = 0;
		for (long k = 0; k < n; k++)
			if ((last = start(&threads[k], PTHREAD_FLAGS, wait_forever)) > 0) made++;
		printf("made %ld of %ld threads, last clone returned %ld\n", made, n, last > 0 ? 0 : last);
		exit(0);
	}
	if (!strcmp(mode, "deadlock")) {
		start(&threads[0], PTHREAD_FLAGS, wait_forever);
		futex_wait(&forever, 0);
		return 1;
	}
	if (!strcmp(mode, "race")) {
		start(&threads[0], PTHREAD_FLAGS, race);
		start(&threads[1], PTHREAD_FLAGS, race);
		join(&threads[0]);
		join(&threads[1]);
		printf("racy counter %ld\n", racy);
		return 0;
	}
	if (!strcmp(mode, "spin")) {
		long n = argc > 2 ? rt_atol(argv[2]) : 0;
		for (long k = 0; k < n && k < 16; k++) {
			threads[k].id = (int)k + 1;
			start(&threads[k], PTHREAD_FLAGS, spin);
		}
		printf("spinning\n");
		rt_flush();
		for (;;) spins[0]++;
	}
	checks();
	return ut_done();
}
