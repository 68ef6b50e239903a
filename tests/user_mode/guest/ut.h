/*
 * ut.h — raw Linux system calls and a tiny check harness for the user-mode
 * tests (freestanding, on the ISA corpus runtime tests/isa/programs/rt).
 *
 * sys(nr, ...) returns the kernel's result, -errno on failure (CR0[SO] set),
 * so a test states exactly what Linux answers. CHECK prints one line per
 * check ("ok NAME" or "FAIL NAME: got X, want Y"); the program's output and
 * exit code (the number of failures) are compared with qemu-ppc64's.
 */
#ifndef DUSIM_UT_H
#define DUSIM_UT_H

#include "rt.h"

/* Linux ppc64 system call numbers (arch/powerpc/kernel/syscalls/syscall.tbl). */
enum {
	NR_exit = 1, NR_read = 3, NR_write = 4, NR_open = 5, NR_close = 6, NR_time = 13, NR_lseek = 19,
	NR_chdir = 12, NR_getpid = 20, NR_getuid = 24, NR_access = 33, NR_kill = 37, NR_dup = 41, NR_times = 43, NR_brk = 45,
	NR_getgid = 47, NR_geteuid = 49, NR_getegid = 50, NR_ioctl = 54, NR_fcntl = 55, NR_umask = 60,
	NR_dup2 = 63, NR_getppid = 64, NR_getpgrp = 65, NR_setrlimit = 75, NR_getgroups = 80, NR_getrlimit = 76, NR_getrusage = 77, NR_gettimeofday = 78,
	NR_readlink = 85, NR_mmap = 90, NR_munmap = 91, NR_stat = 106, NR_lstat = 107, NR_fstat = 108,
	NR_wait4 = 114, NR_sysinfo = 116, NR_clone = 120, NR_uname = 122, NR_mprotect = 125, NR_getpgid = 132, NR__llseek = 140,
	NR_fchdir = 133, NR_readv = 145, NR_writev = 146, NR_getsid = 147, NR_sched_yield = 158, NR_nanosleep = 162,
	NR_mremap = 163, NR_getresuid = 165, NR_getresgid = 170, NR_prctl = 171, NR_rt_sigreturn = 172, NR_rt_sigaction = 173,
	NR_rt_sigprocmask = 174, NR_rt_sigpending = 175, NR_rt_sigsuspend = 178, NR_pread64 = 179, NR_pwrite64 = 180,
	NR_getcwd = 182, NR_sigaltstack = 185, NR_ugetrlimit = 190, NR_getdents64 = 202, NR_madvise = 205,
	NR_gettid = 207, NR_tkill = 208, NR_futex = 221, NR_sched_setaffinity = 222, NR_sched_getaffinity = 223, NR_set_tid_address = 232,
	NR_exit_group = 234, NR_clock_gettime = 246, NR_clock_getres = 247, NR_clock_nanosleep = 248,
	NR_swapcontext = 249, NR_tgkill = 250, NR_spu_run = 278, NR_openat = 286, NR_newfstatat = 291,
	NR_readlinkat = 296, NR_faccessat = 298, NR_set_robust_list = 300, NR_getcpu = 302, NR_dup3 = 316,
	NR_prlimit64 = 325, NR_getrandom = 359, NR_rseq = 387, NR_faccessat2 = 439,
};
enum {
	EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12,
	EACCES = 13, EFAULT = 14, EEXIST = 17, ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22,
	ENOTTY = 25, ESPIPE = 29, EROFS = 30, ERANGE = 34, ENAMETOOLONG = 36, ENOSYS = 38, ELOOP = 40,
	ETIMEDOUT = 110,
};

static inline long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r0 __asm__("r0") = nr;
	register long r3 __asm__("r3") = a;
	register long r4 __asm__("r4") = b;
	register long r5 __asm__("r5") = c;
	register long r6 __asm__("r6") = d;
	register long r7 __asm__("r7") = e;
	register long r8 __asm__("r8") = f;
	long cr;
	__asm__ volatile("sc\n\tmfcr %7"
			 : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8), "=r"(cr)
			 :
			 : "r9", "r10", "r11", "r12", "ctr", "xer", "cr0", "memory");
	return (cr & 0x10000000) ? -r3 : r3; /* CR0[SO]: r3 holds errno */
}
#define SYS_N(nr, a, b, c, d, e, f, ...) sys6(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
#define sys(...) SYS_N(__VA_ARGS__, 0, 0, 0, 0, 0, 0)

extern int ut_failures;
/* Set when argv[1] is "--oracle": the program runs under qemu-ppc64. */
extern int ut_under_qemu;
static inline void ut_check(const char *name, long got, long want)
{
	if (got == want) {
		printf("ok %s\n", name);
	} else {
		printf("FAIL %s: got %ld, want %ld\n", name, got, want);
		ut_failures++;
	}
	rt_flush(); /* a signal may end the program: keep what it said */
}
#undef CHECK
#define CHECK(name, got, want) ut_check(name, (long)(got), (long)(want))
#define CHECK_TRUE(name, cond) ut_check(name, (cond) ? 1 : 0, 1)
/* Where qemu-ppc64 answers otherwise than Linux: Linux's answer is checked
 * on dusim, qemu's under qemu (so both print the same line). */
#define CHECK_LINUX(name, got, linux_want, qemu_want) \
	ut_check(name, (long)(got), ut_under_qemu ? (long)(qemu_want) : (long)(linux_want))
/* What Linux leaves to timing (a real kernel's answer depends on when host
 * threads run): checked on dusim, whose schedule is fixed; under qemu only
 * the line is printed. */
#define CHECK_DUSIM(name, got, want) ut_check(name, ut_under_qemu ? 0 : (long)(got), ut_under_qemu ? 0 : (long)(want))
void ut_init(int argc, char **argv);
int ut_done(void); /* prints the summary; returns the exit code (failures, at most 100) */

/* sigaction as the kernel takes it (ppc64: handler, flags, restorer, mask). */
struct k_sigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	unsigned long mask;
};
#define SA_SIGINFO 0x4
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000
struct k_siginfo {
	int si_signo, si_errno, si_code, pad;
	union {
		void *addr;
		struct { int pid, uid; } kill;
	} u;
	char rest[128 - 24];
};
/* The kernel's ucontext (asm/ucontext.h): gp_regs at uc_mcontext + 64. */
#define UC_MCONTEXT 168
#define UC_GPREG(uc, n) (((unsigned long *)((char *)(uc) + UC_MCONTEXT + 64))[n])
#define PT_NIP 32
#define PT_LNK 36

long ut_sigaction(int sig, void *handler, unsigned long flags, unsigned long mask);

#endif
