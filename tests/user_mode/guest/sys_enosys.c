/*
 * sys_enosys.c — system calls dusim does not implement return -ENOSYS, as a
 * kernel without them would (and as qemu-ppc64 does for these), unless
 * `--strict-syscalls` makes the first one end the run with a fault report.
 */
#include "ut.h"

int main(int argc, char **argv)
{
	ut_init(argc, argv);
	CHECK("spu_run (not on this machine): ENOSYS", sys(NR_spu_run, 0, 0, 0), -ENOSYS);
	CHECK("spu_run again: ENOSYS", sys(NR_spu_run, 0, 0, 0), -ENOSYS);
	CHECK("system call 999 (no such number): ENOSYS", sys(999), -ENOSYS);
	return ut_done();
}
