/*
 * descriptors.c — a program's file descriptors as Linux keeps them: dup'd
 * descriptors share one open file description (its position), a second
 * open has its own, pread leaves the position alone, close-on-exec is the
 * descriptor's own flag, a description lives until its last descriptor
 * closes, and the standard streams are descriptors like the others.
 * Reads its own executable (argv[0]: a file of the initial image on the
 * guest, the host's file under qemu-ppc64), so both see the same bytes.
 *
 *   descriptors.elf          the checks above; output compared with qemu-ppc64
 *   descriptors.elf limit    opens until EMFILE: as many descriptors as
 *                            RLIMIT_NOFILE says (the guest alone: qemu's
 *                            own descriptors share its table)
 * Exit status: the number of failed checks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static int failures;

static void check(const char *what, long got, long want)
{
	if (got == want) {
		printf("ok %s\n", what);
	} else {
		printf("FAIL %s: got %ld, want %ld\n", what, got, want);
		failures++;
	}
}

static long pos(int fd) { return (long)lseek(fd, 0, SEEK_CUR); }

static int limit(const char *self)
{
	struct rlimit r;
	check("getrlimit RLIMIT_NOFILE", getrlimit(RLIMIT_NOFILE, &r), 0);
	long n = 3; /* 0, 1 and 2 */
	for (;;) {
		int fd = open(self, O_RDONLY);
		if (fd < 0) {
			check("the table fills with EMFILE", errno, EMFILE);
			break;
		}
		n++;
	}
	check("as many descriptors as RLIMIT_NOFILE", n, (long)r.rlim_cur);
	check("close one", close(5), 0);
	check("the next open takes the freed descriptor", open(self, O_RDONLY), 5);
	printf("%d failures\n", failures);
	return failures;
}

int main(int argc, char **argv)
{
	const char *self = argv[0];
	if (argc > 1 && !strcmp(argv[1], "limit")) return limit(self);
	fflush(stdout);
	setvbuf(stdout, NULL, _IONBF, 0); /* writes in program order with dup2 onto 1 below */

	unsigned char head[16], again[16], at100[8];
	int a = open(self, O_RDONLY), b = open(self, O_RDONLY);
	check("two opens give two descriptors", a >= 3 && b > a, 1);
	int c = dup(a);
	check("dup gives a third descriptor", c >= 3 && c != a && c != b, 1);
	check("read 16 bytes through a", read(a, head, 16), 16);
	check("the ELF magic", memcmp(head, "\177ELF", 4), 0);
	check("its dup moved with it", pos(c), 16);
	check("the other open did not", pos(b), 0);
	check("b reads the same first bytes", read(b, again, 16) == 16 && !memcmp(head, again, 16), 1);
	check("pread at 100", pread(a, at100, 8, 100), 8);
	check("pread left the position", pos(a), 16);
	check("lseek through the dup", lseek(c, 100, SEEK_SET), 100);
	check("read through a sees the dup's position", read(a, again, 8) == 8 && !memcmp(again, at100, 8), 1);
	long size = (long)lseek(a, 0, SEEK_END);
	check("SEEK_END is the file's size", size > 1000, 1);
	check("read at the end: 0", read(c, again, 8), 0);

	check("a new descriptor is not close-on-exec", fcntl(c, F_GETFD), 0);
	int d = fcntl(c, F_DUPFD_CLOEXEC, 40);
	check("F_DUPFD_CLOEXEC from 40", d, 40);
	check("its flag is its own", fcntl(d, F_GETFD) == FD_CLOEXEC && fcntl(c, F_GETFD) == 0, 1);
	check("dup3 with O_CLOEXEC", dup3(c, 41, O_CLOEXEC), 41);
	check("dup3's flag", fcntl(41, F_GETFD), FD_CLOEXEC);
	check("O_RDONLY", fcntl(d, F_GETFL) & O_ACCMODE, O_RDONLY);
	check("F_SETFL O_NONBLOCK", fcntl(d, F_SETFL, O_NONBLOCK), 0);
	check("the description has it: every dup sees it", (fcntl(c, F_GETFL) & O_NONBLOCK) != 0, 1);
	check("the other open does not", fcntl(b, F_GETFL) & O_NONBLOCK, 0);

	check("close a", close(a), 0);
	check("lseek through the dup after a closed", lseek(c, 0, SEEK_SET), 0);
	check("the description lives on: read through c", read(c, again, 4) == 4 && !memcmp(again, "\177ELF", 4), 1);
	check("a is closed", read(a, again, 1) == -1 && errno == EBADF, 1);
	check("write to a read-only file: EBADF", write(c, "x", 1) == -1 && errno == EBADF, 1);
	check("dup2 onto an open descriptor closes it first", dup2(b, c), c);
	check("c now reads as b", pos(c), pos(b));

	/* Standard input replaced by the file; standard output closed and back. */
	check("dup2 the file onto 0", dup2(b, 0), 0);
	lseek(0, 0, SEEK_SET);
	unsigned char in[4];
	check("standard input reads the file", read(0, in, 4) == 4 && !memcmp(in, "\177ELF", 4), 1);
	struct iovec iov[2] = {{head, 3}, {again, 5}};
	check("readv gathers 8 bytes", readv(0, iov, 2), 8);
	check("from where the read stopped", pos(b), 12);
	int saved = dup(1);
	check("close standard output", close(1), 0);
	check("write to it: EBADF", write(1, "lost\n", 5) == -1 && errno == EBADF, 1);
	check("dup2 it back", dup2(saved, 1), 1);
	check("close the spare", close(saved), 0);
	struct stat st;
	check("fstat of the file", fstat(b, &st), 0);
	check("a regular file of its size", S_ISREG(st.st_mode) && st.st_size == size, 1);
	printf("%d failures\n", failures);
	return failures;
}
