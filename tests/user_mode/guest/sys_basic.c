/*
 * sys_basic.c — system calls without files or threads: each call's result
 * and its error returns, as Linux gives them. The same output and exit code
 * are required from qemu-ppc64 and dusim run-elf (tests/user_mode).
 */
#include "ut.h"

#define PAGE 4096
#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_PRIVATE 0x2
#define MAP_FIXED 0x10
#define MAP_ANON 0x20
#define MREMAP_MAYMOVE 1
#define SIGILL 4
#define SIGTRAP 5
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGKILL 9

static volatile int got_sig, got_code, handler_calls;
static volatile unsigned long got_addr, got_sp;

/* Records the signal and steps over the faulting instruction. */
static void skip_handler(int sig, struct k_siginfo *si, void *uc)
{
	got_sig = sig;
	got_code = si->si_code;
	got_addr = (unsigned long)si->u.addr;
	UC_GPREG(uc, PT_NIP) += 4;
	handler_calls++;
}

static void plain_handler(int sig)
{
	long sp;
	__asm__ volatile("mr %0,1" : "=r"(sp));
	got_sig = sig;
	got_sp = (unsigned long)sp;
	handler_calls++;
}

static void test_io(void)
{
	static const char msg[] = "written by write\n";
	CHECK("write returns the count", sys(NR_write, 1, msg, sizeof msg - 1), sizeof msg - 1);
	CHECK("write to a closed fd: EBADF", sys(NR_write, 99, msg, 1), -EBADF);
	CHECK("write from a bad buffer: EFAULT", sys(NR_write, 1, 16, 4), -EFAULT);
	CHECK("write of 0 bytes", sys(NR_write, 1, msg, 0), 0);
	char buf[8];
	CHECK("read from a closed fd: EBADF", sys(NR_read, 99, buf, 1), -EBADF);
	struct { const void *base; unsigned long len; } iov[2] = {{"written ", 8}, {"by writev\n", 10}};
	CHECK("writev gathers", sys(NR_writev, 1, iov, 2), 18);
	CHECK("writev with 1025 vectors: EINVAL", sys(NR_writev, 1, iov, 1025), -EINVAL);
	CHECK("writev with a bad vector: EFAULT", sys(NR_writev, 1, 16, 1), -EFAULT);
	char termios[64];
	/* qemu-ppc64 7.2 does not translate TCGETS for ppc64 (ENOSYS). */
	CHECK_LINUX("ioctl TCGETS: not a terminal", sys(NR_ioctl, 1, 0x403c7413, termios), -ENOTTY, -ENOSYS);
	CHECK_LINUX("ioctl on a closed fd: EBADF", sys(NR_ioctl, 99, 0x403c7413, termios), -EBADF, -ENOSYS);
	CHECK("fcntl F_GETFD", sys(NR_fcntl, 1, 1), 0);
	CHECK("fcntl on a closed fd: EBADF", sys(NR_fcntl, 99, 1), -EBADF);
	long fd = sys(NR_fcntl, 1, 0 /* F_DUPFD */, 200); /* qemu's own descriptors sit low */
	CHECK("fcntl F_DUPFD from 200", fd, 200);
	CHECK("write through the duplicate", sys(NR_write, fd, "dup\n", 4), 4);
	CHECK("close the duplicate", sys(NR_close, fd), 0);
	CHECK("close it again: EBADF", sys(NR_close, fd), -EBADF);
	long low = sys(NR_dup, 2); /* the lowest free descriptor: 3 unless the runner left more open */
	CHECK_TRUE("dup", low >= 3);
	CHECK("close it", sys(NR_close, low), 0);
	CHECK("dup takes the lowest free descriptor again", sys(NR_dup, 2), low);
	CHECK("close it again", sys(NR_close, low), 0);
	CHECK("dup2 to 20", sys(NR_dup2, 1, 20), 20);
	CHECK("dup2 of a closed fd: EBADF", sys(NR_dup2, 99, 21), -EBADF);
	CHECK("dup3 onto itself: EINVAL", sys(NR_dup3, 20, 20, 0), -EINVAL);
	CHECK("dup3 with bad flags: EINVAL", sys(NR_dup3, 20, 21, 1), -EINVAL);
	CHECK("close 20", sys(NR_close, 20), 0);
	CHECK("lseek on a closed fd: EBADF", sys(NR_lseek, 99, 0, 0), -EBADF);
	CHECK("pwrite64 to a closed fd: EBADF", sys(NR_pwrite64, 99, msg, 1, 0), -EBADF);
	CHECK("pwrite64 at a negative offset: EINVAL", sys(NR_pwrite64, 1, msg, 1, -1), -EINVAL);
	CHECK("fcntl F_SETFD FD_CLOEXEC", sys(NR_fcntl, 2, 2, 1), 0);
	CHECK("fcntl F_GETFD sees it", sys(NR_fcntl, 2, 1), 1);
	CHECK("fcntl F_SETFD 0", sys(NR_fcntl, 2, 2, 0), 0);
	CHECK("fcntl F_GETFL: stdout is open for writing", sys(NR_fcntl, 1, 3) & 3, 1);
	CHECK("fcntl of command 9999: EINVAL", sys(NR_fcntl, 1, 9999), -EINVAL);
}

static void test_memory(void)
{
	long b0 = sys(NR_brk, 0);
	CHECK_TRUE("brk(0) is page-aligned and above the image", b0 > 0x10000000 && b0 % PAGE == 0);
	CHECK("brk grows", sys(NR_brk, b0 + 3 * PAGE + 100), b0 + 3 * PAGE + 100);
	volatile char *heap = (char *)b0;
	CHECK("new heap reads zero", heap[3 * PAGE + 50], 0);
	heap[3 * PAGE + 99] = 7;
	CHECK("brk shrinks", sys(NR_brk, b0 + PAGE), b0 + PAGE);
	CHECK("brk below the start is refused (returns the break)", sys(NR_brk, 0x1000), b0 + PAGE);
	CHECK("brk back", sys(NR_brk, b0), b0);

	long m = sys(NR_mmap, 0, 5 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	CHECK_TRUE("mmap anonymous: page-aligned address", m > 0 && m % PAGE == 0);
	volatile char *p = (char *)m;
	CHECK("anonymous memory reads zero", p[5 * PAGE - 1], 0);
	p[0] = 1;
	p[5 * PAGE - 1] = 2;
	CHECK("mmap length 0: EINVAL", sys(NR_mmap, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANON, -1, 0), -EINVAL);
	CHECK("mmap neither private nor shared: EINVAL", sys(NR_mmap, 0, PAGE, PROT_READ, MAP_ANON, -1, 0), -EINVAL);
	CHECK("mmap MAP_FIXED unaligned: EINVAL",
	      sys(NR_mmap, m + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0), -EINVAL);
	CHECK("mmap of a closed fd: EBADF", sys(NR_mmap, 0, PAGE, PROT_READ, MAP_PRIVATE, 99, 0), -EBADF);
	CHECK("mmap MAP_FIXED over the mapping",
	      sys(NR_mmap, m + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0), m + PAGE);

	/* mremap: grow (moving if needed) keeps the contents. */
	long r = sys(NR_mremap, m, 5 * PAGE, 64 * PAGE, MREMAP_MAYMOVE, 0);
	CHECK_TRUE("mremap grows", r > 0 && r % PAGE == 0);
	p = (char *)r;
	CHECK("mremap kept the first byte", p[0], 1);
	CHECK("mremap kept the last byte", p[5 * PAGE - 1], 2);
	CHECK("the grown part reads zero", p[64 * PAGE - 1], 0);
	CHECK("mremap shrinks in place", sys(NR_mremap, r, 64 * PAGE, 2 * PAGE, 0, 0), r);
	CHECK("mremap with bad flags: EINVAL", sys(NR_mremap, r, 2 * PAGE, PAGE, 0x100, 0), -EINVAL);
	CHECK("mremap unaligned: EINVAL", sys(NR_mremap, r + 1, PAGE, PAGE, 0, 0), -EINVAL);

	/* madvise(MADV_DONTNEED) drops private anonymous contents. */
	p[100] = 9;
	CHECK("madvise DONTNEED", sys(NR_madvise, r, PAGE, 4), 0);
	CHECK("the page reads zero after DONTNEED", p[100], 0);
	CHECK("madvise unaligned: EINVAL", sys(NR_madvise, r + 1, PAGE, 4), -EINVAL);

	/* Over a large mapping (16 MiB), a few pages touched (a thread stack's
	 * or a malloc arena's case): DONTNEED of a middle part drops exactly
	 * those pages in it. */
	long big = sys(NR_mmap, 0, 4096 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	CHECK_TRUE("mmap 4096 pages", big > 0 && big % PAGE == 0);
	volatile char *q = (char *)big;
	static const int touched[] = {0, 5, 63, 64, 65, 100, 127, 128, 200, 1000, 3000, 3999, 4000, 4095};
	enum { N_TOUCHED = sizeof touched / sizeof touched[0] };
	for (unsigned i = 0; i < N_TOUCHED; i++) q[touched[i] * PAGE + 7] = (char)(i + 1);
	CHECK("madvise DONTNEED of pages 10-3999", sys(NR_madvise, big + 10 * PAGE, 3990 * PAGE, 4), 0);
	long kept = 0, zeroed = 0;
	for (unsigned i = 0; i < N_TOUCHED; i++) {
		const int pg = touched[i];
		if (pg >= 10 && pg < 4000) zeroed += q[pg * PAGE + 7] == 0;
		else kept += q[pg * PAGE + 7] == (char)(i + 1);
	}
	CHECK("the touched pages inside read zero", zeroed, 10);
	CHECK("the touched pages outside kept their bytes", kept, 4);
	CHECK("munmap the large mapping", sys(NR_munmap, big, 4096 * PAGE), 0);

	/* mprotect: a read-only page faults on a store (SIGSEGV, SEGV_ACCERR). */
	CHECK("sigaction SIGSEGV", ut_sigaction(SIGSEGV, skip_handler, SA_SIGINFO, 0), 0);
	CHECK("mprotect read-only", sys(NR_mprotect, r, PAGE, PROT_READ), 0);
	got_sig = 0;
	/* One plain store: the handler skips it (an update form would leave its base register stale). */
	__asm__ volatile("stb %0,0(%1)" : : "r"(1), "b"(r + 8) : "memory");
	CHECK("store to a read-only page: SIGSEGV", got_sig, SIGSEGV);
	/* qemu-ppc64 7.2 reports a protection fault as SEGV_MAPERR at address 0. */
	CHECK_LINUX("si_code SEGV_ACCERR", got_code, 2, 1);
	CHECK("si_addr is the stored address", got_addr, r + 8);
	CHECK("the store did not happen", p[8], 0);
	CHECK("mprotect unaligned: EINVAL", sys(NR_mprotect, r + 1, PAGE, PROT_READ), -EINVAL);
	CHECK("mprotect read-write again", sys(NR_mprotect, r, PAGE, PROT_READ | PROT_WRITE), 0);
	p[8] = 5;
	CHECK("the store works again", p[8], 5);

	/* munmap: the memory is gone (SIGSEGV, SEGV_MAPERR). */
	CHECK("munmap", sys(NR_munmap, r, 2 * PAGE), 0);
	CHECK("munmap unaligned: EINVAL", sys(NR_munmap, r + 1, PAGE), -EINVAL);
	CHECK("munmap of length 0: EINVAL", sys(NR_munmap, r, 0), -EINVAL);
	CHECK("mprotect of unmapped memory: ENOMEM", sys(NR_mprotect, r, PAGE, PROT_READ), -ENOMEM);
	got_sig = 0;
	long v;
	__asm__ volatile("ld %0,0(%1)" : "=r"(v) : "b"(r + 16) : "memory");
	CHECK("load from unmapped memory: SIGSEGV", got_sig, SIGSEGV);
	CHECK("si_code SEGV_MAPERR", got_code, 1);
	CHECK_TRUE("si_addr is the loaded address", got_addr == (unsigned long)(r + 16));
	got_sig = 0;
	__asm__ volatile("stw %0,0(%1)" : : "r"(1), "b"(8) : "memory");
	CHECK("store to address 8: SIGSEGV", got_sig, SIGSEGV);
	CHECK_TRUE("si_addr 8", got_addr == 8);
	CHECK("sigaction SIGSEGV back to default", ut_sigaction(SIGSEGV, 0, 0, 0), 0);
}

static void test_identity(void)
{
	long pid = sys(NR_getpid);
	CHECK_TRUE("getpid > 0", pid > 0);
	CHECK("gettid of the main thread is the pid", sys(NR_gettid), pid);
	CHECK_TRUE("getppid >= 0", sys(NR_getppid) >= 0);
	CHECK("geteuid = getuid", sys(NR_geteuid), sys(NR_getuid));
	CHECK("getegid = getgid", sys(NR_getegid), sys(NR_getgid));
	/* A process whose group or session leader lives outside its pid
	 * namespace (a container's first process) sees 0, not an error. */
	CHECK_TRUE("getpgid(0) ok", sys(NR_getpgid, 0) >= 0);
	CHECK("getpgrp is getpgid(0)", sys(NR_getpgrp), sys(NR_getpgid, 0));
	CHECK_TRUE("getsid(0) ok", sys(NR_getsid, 0) >= 0);
	CHECK("getsid(0) is getsid(getpid())", sys(NR_getsid, 0), sys(NR_getsid, pid));
	CHECK("getpgid of no such process: ESRCH", sys(NR_getpgid, 999999), -ESRCH);
	unsigned ids[3] = {7, 7, 7};
	CHECK("getresuid", sys(NR_getresuid, &ids[0], &ids[1], &ids[2]), 0);
	CHECK("real, effective and saved uid agree", ids[0] == ids[1] && ids[1] == ids[2], 1);
	CHECK("getresgid", sys(NR_getresgid, &ids[0], &ids[1], &ids[2]), 0);
	CHECK("getresuid to a bad pointer: EFAULT", sys(NR_getresuid, 16, &ids[1], &ids[2]), -EFAULT);
	CHECK_TRUE("getgroups counts", sys(NR_getgroups, 0, 0) >= 0);
	CHECK("set_tid_address returns the tid", sys(NR_set_tid_address, 0), pid);
	struct { char f[6][65]; } u;
	CHECK("uname", sys(NR_uname, &u), 0);
	CHECK("uname sysname", strcmp(u.f[0], "Linux"), 0);
	CHECK("uname machine", strcmp(u.f[4], "ppc64"), 0);
	CHECK("uname to a bad buffer: EFAULT", sys(NR_uname, 16), -EFAULT);
	unsigned long lim[2];
	CHECK("getrlimit RLIMIT_STACK", sys(NR_ugetrlimit, 3, lim), 0);
	CHECK_TRUE("the stack limit is at least 1 MiB", lim[0] >= (1ul << 20));
	CHECK("prlimit64 read", sys(NR_prlimit64, 0, 7, 0, lim), 0);
	CHECK_TRUE("RLIMIT_NOFILE soft <= hard", lim[0] <= lim[1]);
	CHECK("prlimit64 of resource 99: EINVAL", sys(NR_prlimit64, 0, 99, 0, lim), -EINVAL);
	unsigned long core[2], lowered[2] = {0, 0}, back[2];
	/* qemu-ppc64 7.2 has only ugetrlimit (190), not getrlimit (76). */
	CHECK_LINUX("getrlimit (76) RLIMIT_CORE", sys(NR_getrlimit, 4, core), 0, -ENOSYS);
	CHECK("setrlimit RLIMIT_CORE to 0/0", sys(NR_setrlimit, 4, lowered), 0);
	CHECK("ugetrlimit sees it", sys(NR_ugetrlimit, 4, back), 0);
	CHECK("both limits 0", back[0] | back[1], 0);
	unsigned long bad[2] = {10, 5};
	CHECK("setrlimit with soft above hard: EINVAL", sys(NR_setrlimit, 4, bad), -EINVAL);
	CHECK("prlimit64 of another process: ESRCH", sys(NR_prlimit64, 999999, 4, 0, back), -ESRCH);
	struct { long utime[2], stime[2], rest[14]; } ru;
	CHECK("getrusage RUSAGE_SELF", sys(NR_getrusage, 0, &ru), 0);
	CHECK_TRUE("user time normalized", ru.utime[1] >= 0 && ru.utime[1] < 1000000);
	CHECK("getrusage of who 5: EINVAL", sys(NR_getrusage, 5, &ru), -EINVAL);
	CHECK("getrusage to a bad pointer: EFAULT", sys(NR_getrusage, 0, 16), -EFAULT);
	struct { long uptime; unsigned long loads[3], totalram, freeram, shared, buffer, totalswap, freeswap;
		 unsigned short procs, pad; unsigned long totalhigh, freehigh; unsigned mem_unit; char f[4]; } si;
	CHECK("sysinfo", sys(NR_sysinfo, &si), 0);
	CHECK_TRUE("sysinfo: some RAM, some of it free, a memory unit", si.totalram > 0 && si.freeram <= si.totalram && si.mem_unit >= 1);
	CHECK("sysinfo to a bad pointer: EFAULT", sys(NR_sysinfo, 16), -EFAULT);
	CHECK("getrlimit to a bad buffer: EFAULT", sys(NR_ugetrlimit, 3, 16), -EFAULT);
	unsigned long mask[4] = {0};
	long n = sys(NR_sched_getaffinity, 0, sizeof mask, mask);
	CHECK_TRUE("sched_getaffinity: some bytes, some CPU", n >= 8 && mask[0] != 0);
	CHECK("sched_getaffinity of a 4-byte mask: EINVAL", sys(NR_sched_getaffinity, 0, 4, mask), -EINVAL);
	CHECK("sched_yield", sys(NR_sched_yield), 0);
	CHECK("sched_setaffinity to the same CPUs", sys(NR_sched_setaffinity, 0, 8, mask), 0);
	CHECK("sched_getaffinity of no such thread: ESRCH", sys(NR_sched_getaffinity, 999999, sizeof mask, mask), -ESRCH);
	unsigned cpu = 99;
	CHECK("getcpu", sys(NR_getcpu, &cpu, 0, 0), 0);
	CHECK_TRUE("getcpu gives a CPU", cpu < 1024);
	CHECK("wait4 without children: ECHILD", sys(NR_wait4, -1, 0, 0, 0), -ECHILD);
	long old = sys(NR_umask, 077);
	CHECK("umask returns the old mask and sets the new", sys(NR_umask, old), 077);
	char name[16];
	CHECK("prctl PR_SET_NAME", sys(NR_prctl, 15, "worker"), 0);
	CHECK("prctl PR_GET_NAME", sys(NR_prctl, 16, name), 0);
	CHECK("the name comes back", strcmp(name, "worker"), 0);
	CHECK("prctl of option 9999: EINVAL", sys(NR_prctl, 9999, 0), -EINVAL);
	unsigned char rnd[40];
	memset(rnd, 0, sizeof rnd);
	CHECK("getrandom 40 bytes", sys(NR_getrandom, rnd, 40, 0), 40);
	int nonzero = 0;
	for (int k = 0; k < 40; k++) nonzero += rnd[k] != 0;
	CHECK_TRUE("getrandom wrote bytes", nonzero > 20);
	CHECK("getrandom with bad flags: EINVAL", sys(NR_getrandom, rnd, 4, 0x100), -EINVAL);
	CHECK("getrandom to a bad buffer: EFAULT", sys(NR_getrandom, 16, 4, 0), -EFAULT);
	CHECK("rseq: ENOSYS (as qemu-ppc64)", sys(NR_rseq, 0, 0, 0, 0), -ENOSYS);
	CHECK("set_robust_list: ENOSYS (as qemu-ppc64)", sys(NR_set_robust_list, 0, 24), -ENOSYS);
}

static void test_time(void)
{
	struct { long sec, nsec; } a, b, res, req;
	CHECK("clock_gettime MONOTONIC", sys(NR_clock_gettime, 1, &a), 0);
	CHECK("clock_gettime MONOTONIC again", sys(NR_clock_gettime, 1, &b), 0);
	CHECK_TRUE("monotonic time does not go back", b.sec > a.sec || (b.sec == a.sec && b.nsec >= a.nsec));
	CHECK("clock_gettime REALTIME", sys(NR_clock_gettime, 0, &a), 0);
	CHECK_TRUE("realtime is after 2000", a.sec >= 946684800);
	CHECK_TRUE("nanoseconds are normalized", a.nsec >= 0 && a.nsec < 1000000000);
	CHECK("clock_gettime of clock 99: EINVAL", sys(NR_clock_gettime, 99, &a), -EINVAL);
	CHECK("clock_gettime to a bad buffer: EFAULT", sys(NR_clock_gettime, 1, 16), -EFAULT);
	CHECK("clock_gettime PROCESS_CPUTIME", sys(NR_clock_gettime, 2, &a), 0);
	CHECK("clock_gettime THREAD_CPUTIME", sys(NR_clock_gettime, 3, &a), 0);
	CHECK("clock_getres MONOTONIC", sys(NR_clock_getres, 1, &res), 0);
	CHECK_TRUE("resolution at most 1 ms", res.sec == 0 && res.nsec > 0 && res.nsec <= 1000000);
	struct { long sec, usec; } tv;
	CHECK("gettimeofday", sys(NR_gettimeofday, &tv, 0), 0);
	CHECK_TRUE("microseconds normalized", tv.usec >= 0 && tv.usec < 1000000);
	CHECK_TRUE("time(0) after 2000", sys(NR_time, 0) >= 946684800);
	long t = 0;
	CHECK_TRUE("time(&t) stores it", sys(NR_time, &t) == t);
	unsigned long tms[4];
	CHECK_TRUE("times", sys(NR_times, tms) >= 0);

	req.sec = 0;
	req.nsec = 2000000;
	sys(NR_clock_gettime, 1, &a);
	CHECK("nanosleep 2 ms", sys(NR_nanosleep, &req, 0), 0);
	sys(NR_clock_gettime, 1, &b);
	long slept = (b.sec - a.sec) * 1000000000L + (b.nsec - a.nsec);
	CHECK_TRUE("at least 2 ms passed", slept >= 2000000);
	req.nsec = 1000000000;
	CHECK("nanosleep with 1e9 ns: EINVAL", sys(NR_nanosleep, &req, 0), -EINVAL);
	req.sec = -1;
	req.nsec = 0;
	CHECK("nanosleep negative: EINVAL", sys(NR_nanosleep, &req, 0), -EINVAL);
	CHECK_LINUX("nanosleep from a bad pointer: EFAULT", sys(NR_nanosleep, 16, 0), -EFAULT, -EINVAL);
	req.sec = 0;
	req.nsec = 1000000;
	CHECK("clock_nanosleep relative", sys(NR_clock_nanosleep, 1, 0, &req, 0), 0);
	sys(NR_clock_gettime, 1, &a);
	CHECK("clock_nanosleep to a past absolute time", sys(NR_clock_nanosleep, 1, 1, &req, 0), 0);
	CHECK("clock_nanosleep on clock 99: EINVAL", sys(NR_clock_nanosleep, 99, 0, &req, 0), -EINVAL);
}

static void test_futex(void)
{
	static int word = 5;
	struct { long sec, nsec; } to = {0, 1000000}, a, b;
	CHECK("futex WAIT on a changed value: EAGAIN", sys(NR_futex, &word, 128, 4, 0), -EAGAIN);
	sys(NR_clock_gettime, 1, &a);
	CHECK("futex WAIT times out: ETIMEDOUT", sys(NR_futex, &word, 128, 5, &to), -ETIMEDOUT);
	sys(NR_clock_gettime, 1, &b);
	long waited = (b.sec - a.sec) * 1000000000L + (b.nsec - a.nsec);
	CHECK_TRUE("it waited at least the timeout", waited >= 1000000);
	CHECK("futex WAKE with no waiter", sys(NR_futex, &word, 129, 1), 0);
	CHECK("futex WAIT_BITSET with bitset 0: EINVAL", sys(NR_futex, &word, 128 | 9, 5, 0, 0, 0), -EINVAL);
	CHECK("futex unaligned: EINVAL", sys(NR_futex, (char *)&word + 1, 129, 1), -EINVAL);
	CHECK("futex WAIT on a bad address: EFAULT", sys(NR_futex, 16, 128, 0, 0), -EFAULT);
	CHECK("futex operation 99: ENOSYS", sys(NR_futex, &word, 99, 0), -ENOSYS);
	to.nsec = -1;
	CHECK("futex WAIT with a bad timeout: EINVAL", sys(NR_futex, &word, 128, 5, &to), -EINVAL);
}

static void test_signals(void)
{
	unsigned long set, old;
	CHECK("sigaction of SIGKILL: EINVAL", ut_sigaction(SIGKILL, plain_handler, 0, 0), -EINVAL);
	CHECK("sigaction of signal 0: EINVAL", ut_sigaction(0, plain_handler, 0, 0), -EINVAL);
	CHECK("sigaction of signal 65: EINVAL", ut_sigaction(65, plain_handler, 0, 0), -EINVAL);
	struct k_sigaction a = {plain_handler, 0, 0, 0}, o;
	CHECK("sigaction with sigsetsize 4: EINVAL", sys(NR_rt_sigaction, SIGUSR1, &a, 0, 4), -EINVAL);
	CHECK("sigaction from a bad pointer: EFAULT", sys(NR_rt_sigaction, SIGUSR1, 16, 0, 8), -EFAULT);
	CHECK("sigaction SIGUSR1", sys(NR_rt_sigaction, SIGUSR1, &a, 0, 8), 0);
	CHECK("sigaction reads the old action", sys(NR_rt_sigaction, SIGUSR1, 0, &o, 8), 0);
	CHECK_TRUE("the old action is the handler", o.handler == (void *)plain_handler);

	/* kill to self: delivered as the call returns. */
	handler_calls = 0;
	got_sig = 0;
	CHECK("kill self SIGUSR1", sys(NR_kill, sys(NR_getpid), SIGUSR1), 0);
	CHECK("the handler ran once", handler_calls, 1);
	CHECK("with the signal number", got_sig, SIGUSR1);
	CHECK("kill with signal 0 (existence check)", sys(NR_kill, sys(NR_getpid), 0), 0);
	CHECK("kill with signal 99: EINVAL", sys(NR_kill, sys(NR_getpid), 99), -EINVAL);

	/* Blocked: pending until unblocked. */
	set = 1ul << (SIGUSR1 - 1);
	CHECK("block SIGUSR1", sys(NR_rt_sigprocmask, 0, &set, &old, 8), 0);
	CHECK("nothing was blocked before", old, 0);
	handler_calls = 0;
	CHECK("tgkill self while blocked", sys(NR_tgkill, sys(NR_getpid), sys(NR_gettid), SIGUSR1), 0);
	CHECK("not delivered while blocked", handler_calls, 0);
	unsigned long pending = 0;
	CHECK("rt_sigpending", sys(NR_rt_sigpending, &pending, 8), 0);
	CHECK("SIGUSR1 is pending", pending, set);
	CHECK("unblock SIGUSR1", sys(NR_rt_sigprocmask, 1, &set, 0, 8), 0);
	CHECK("delivered when unblocked", handler_calls, 1);
	CHECK("sigprocmask with how 7: EINVAL", sys(NR_rt_sigprocmask, 7, &set, 0, 8), -EINVAL);
	CHECK("sigprocmask with sigsetsize 16: EINVAL", sys(NR_rt_sigprocmask, 0, &set, 0, 16), -EINVAL);
	set = ~0ul;
	CHECK("block everything", sys(NR_rt_sigprocmask, 2, &set, 0, 8), 0);
	CHECK("read the mask", sys(NR_rt_sigprocmask, 0, 0, &old, 8), 0);
	CHECK_TRUE("SIGKILL and SIGSTOP cannot be blocked", (old & (1ul << 8)) == 0 && (old & (1ul << 18)) == 0);
	set = 0;
	CHECK("unblock everything", sys(NR_rt_sigprocmask, 2, &set, 0, 8), 0);
	CHECK("tgkill of another thread group: ESRCH", sys(NR_tgkill, 1, sys(NR_gettid), SIGUSR1), -ESRCH);
	CHECK("tkill of tid 0: EINVAL", sys(NR_tkill, 0, SIGUSR1), -EINVAL);

	/* SA_RESETHAND: the second signal gets the default (ignored) action. */
	CHECK("sigaction SIGURG one-shot", ut_sigaction(23, plain_handler, SA_RESETHAND, 0), 0);
	handler_calls = 0;
	sys(NR_kill, sys(NR_getpid), 23);
	sys(NR_kill, sys(NR_getpid), 23);
	CHECK("the one-shot handler ran once", handler_calls, 1);

	/* sigaltstack: an SA_ONSTACK handler runs on the alternate stack. */
	static char altstack[16384] __attribute__((aligned(16)));
	struct { void *sp; int flags; unsigned long size; } ss = {altstack, 0, sizeof altstack}, oss;
	CHECK("sigaltstack", sys(NR_sigaltstack, &ss, 0), 0);
	CHECK("sigaltstack reads it back", sys(NR_sigaltstack, 0, &oss), 0);
	CHECK_TRUE("the same stack", oss.sp == altstack && oss.size == sizeof altstack && oss.flags == 0);
	ss.size = 100;
	CHECK("sigaltstack too small: ENOMEM", sys(NR_sigaltstack, &ss, 0), -ENOMEM);
	ss.size = sizeof altstack;
	ss.flags = 77;
	CHECK("sigaltstack with bad flags: EINVAL", sys(NR_sigaltstack, &ss, 0), -EINVAL);
	CHECK("sigaction SIGUSR2 on the alternate stack", ut_sigaction(SIGUSR2, plain_handler, SA_ONSTACK, 0), 0);
	got_sp = 0;
	sys(NR_kill, sys(NR_getpid), SIGUSR2);
	CHECK_TRUE("the handler ran on the alternate stack",
		   got_sp > (unsigned long)altstack && got_sp < (unsigned long)altstack + sizeof altstack);

	/* Synchronous faults with handlers: illegal instruction, trap. */
	CHECK("sigaction SIGILL", ut_sigaction(SIGILL, skip_handler, SA_SIGINFO, 0), 0);
	got_sig = 0;
	__asm__ volatile(".long 0");
	CHECK("illegal instruction: SIGILL", got_sig, SIGILL);
	CHECK("si_code ILL_ILLOPC", got_code, 1);
	CHECK("sigaction SIGTRAP", ut_sigaction(SIGTRAP, skip_handler, SA_SIGINFO, 0), 0);
	got_sig = 0;
	__asm__ volatile("tw 31,0,0");
	CHECK("trap instruction: SIGTRAP", got_sig, SIGTRAP);
	CHECK("sigaction SIGTRAP back to default", ut_sigaction(SIGTRAP, 0, 0, 0), 0);
	CHECK("sigaction SIGILL back to default", ut_sigaction(SIGILL, 0, 0, 0), 0);

	/* rt_sigsuspend returns EINTR after the handler ran. */
	set = 1ul << (SIGUSR1 - 1);
	sys(NR_rt_sigprocmask, 0, &set, 0, 8);
	sys(NR_kill, sys(NR_getpid), SIGUSR1);
	handler_calls = 0;
	unsigned long none = 0;
	CHECK("rt_sigsuspend: EINTR", sys(NR_rt_sigsuspend, &none, 8), -EINTR);
	CHECK("its handler ran", handler_calls, 1);
	sys(NR_rt_sigprocmask, 0, 0, &old, 8);
	CHECK("the mask is restored after sigsuspend", old, set);
	sys(NR_rt_sigprocmask, 1, &set, 0, 8);
}

/* Standard input (the runner feeds a file): read and readv see the same bytes as on Linux. */
static void test_stdin(void)
{
	static char buf[65536];
	long total = 0, n;
	unsigned long sum = 0;
	struct { void *base; unsigned long len; } iov[2] = {{buf, 7}, {buf + 7, 9}};
	n = sys(NR_readv, 0, iov, 2);
	CHECK_TRUE("readv from stdin", n >= 0);
	for (long k = 0; k < n; k++) sum = sum * 31 + (unsigned char)buf[k];
	total += n;
	while ((n = sys(NR_read, 0, buf, sizeof buf)) > 0) {
		for (long k = 0; k < n; k++) sum = sum * 31 + (unsigned char)buf[k];
		total += n;
	}
	CHECK("read to the end of stdin", n, 0);
	printf("stdin: %ld bytes, checksum %lx\n", total, sum);
	CHECK("read into a bad buffer: EFAULT", sys(NR_read, 0, 16, 8), -EFAULT);
}

/* swapcontext(2): save here, then resume here from the saved context. */
static void test_swapcontext(void)
{
	static char uc[1696] __attribute__((aligned(16)));
	static volatile int passes;
	long r = sys(NR_swapcontext, uc, 0, sizeof uc);
	passes++;
	if (passes == 1) {
		CHECK("swapcontext saves the context", r, 0);
		CHECK("swapcontext with a too small context: EINVAL", sys(NR_swapcontext, uc, 0, 100), -EINVAL);
		CHECK("swapcontext to a bad pointer: EFAULT", sys(NR_swapcontext, 16, 0, sizeof uc), -EFAULT);
		sys(NR_swapcontext, 0, uc, sizeof uc); /* does not return here */
		CHECK("not reached", 1, 0);
	}
	/* The kernel restores the registers as they were at the first call: r3 held the context. */
	CHECK("swapcontext resumed at the saved point", passes, 2);
	CHECK_TRUE("with r3 as it was at the call", r == (long)uc);
}

int main(int argc, char **argv)
{
	ut_init(argc, argv);
	test_stdin();
	test_swapcontext();
	test_io();
	test_memory();
	test_identity();
	test_time();
	test_futex();
	test_signals();
	return ut_done();
}
