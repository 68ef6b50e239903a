/*
 * sys_files.c — system calls on files. The test creates this tree
 * (tests/user_mode/make_tree.sh) and runs the program in it:
 *
 *   ROOT/a.txt            "hello\n"
 *   ROOT/sub/b.txt        "bee\n"
 *   ROOT/sub/rel_link  -> ../a.txt
 *   ROOT/sub/abs_link  -> /a.txt
 *   ROOT/sub/up_link   -> ../../../../outside.txt
 *   ROOT/dir_link      -> sub
 *   ROOT/empty/
 *   ROOT/../outside.txt   "SECRET\n"  (beside the root: the guest must never read it)
 *
 *   sys_files.elf common [--oracle]   relative paths only: under qemu-ppc64 in ROOT,
 *                                     under dusim run-elf --root ROOT; same output
 *   sys_files.elf root                dusim run-elf --root ROOT only: "/" is ROOT,
 *                                     nothing escapes it, and it is read-only
 *   sys_files.elf none                dusim run-elf without --root: no file at all
 */
#include "ut.h"

#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0100
#define O_TRUNC 01000
#define O_DIRECTORY 040000
#define O_NOFOLLOW 0100000
#define AT_FDCWD -100
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH 0x1000
#define S_IFMT 0170000
#define S_IFREG 0100000
#define S_IFDIR 0040000
#define S_IFLNK 0120000

/* The guest's struct stat (asm/stat.h). */
struct kstat {
	unsigned long dev, ino, nlink;
	unsigned int mode, uid, gid, pad;
	unsigned long rdev;
	long size;
	unsigned long blksize, blocks, atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns, unused[3];
};

static long open_at(const char *path, long flags) { return sys(NR_openat, AT_FDCWD, path, flags, 0); }

/* The first bytes of a file, or the error. */
static const char *contents(const char *path)
{
	static char buf[64];
	long fd = open_at(path, O_RDONLY);
	if (fd < 0) {
		snprintf(buf, sizeof buf, "error %ld", -fd);
		return buf;
	}
	long n = sys(NR_read, fd, buf, sizeof buf - 1);
	sys(NR_close, fd);
	buf[n < 0 ? 0 : n] = 0;
	return buf;
}

static int mode_of(const char *path, long flags)
{
	struct kstat st;
	long r = sys(NR_newfstatat, AT_FDCWD, path, &st, flags);
	return r < 0 ? (int)r : (int)(st.mode & S_IFMT);
}

/* Directory names from getdents64, sorted (the host file system's order varies). */
static void list_dir(const char *path, char *out, size_t size)
{
	char names[32][32];
	int count = 0;
	long fd = open_at(path, O_RDONLY | O_DIRECTORY);
	static char buf[2048] __attribute__((aligned(8)));
	long n;
	while (fd >= 0 && (n = sys(NR_getdents64, fd, buf, sizeof buf)) > 0) {
		for (long at = 0; at < n;) {
			unsigned short reclen = *(unsigned short *)(buf + at + 16);
			if (count < 32) strcpy(names[count++], buf + at + 19);
			at += reclen;
		}
	}
	sys(NR_close, fd);
	for (int i = 1; i < count; i++)
		for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char t[32];
			strcpy(t, names[j]);
			strcpy(names[j], names[j - 1]);
			strcpy(names[j - 1], t);
		}
	out[0] = 0;
	for (int i = 0; i < count; i++) {
		size_t len = strlen(out);
		snprintf(out + len, size - len, "%s%s", i ? " " : "", names[i]);
	}
}

static void common(void)
{
	char buf[64];
	struct kstat st;
	long fd = open_at("a.txt", O_RDONLY);
	CHECK_TRUE("openat a.txt", fd >= 3);
	CHECK("read it", sys(NR_read, fd, buf, sizeof buf), 6);
	CHECK("its bytes", memcmp(buf, "hello\n", 6), 0);
	CHECK("read at the end", sys(NR_read, fd, buf, sizeof buf), 0);
	CHECK("lseek SEEK_SET 1", sys(NR_lseek, fd, 1, 0), 1);
	CHECK("read from offset 1", sys(NR_read, fd, buf, 2), 2);
	CHECK("bytes from offset 1", memcmp(buf, "el", 2), 0);
	CHECK("lseek SEEK_END", sys(NR_lseek, fd, 0, 2), 6);
	CHECK("lseek with whence 9: EINVAL", sys(NR_lseek, fd, 0, 9), -EINVAL);
	long long at = -1; /* _llseek: what glibc's lseek calls on ppc64 */
	CHECK("_llseek SEEK_SET 3", sys(NR__llseek, fd, 0, 3, &at, 0), 0);
	CHECK("_llseek's result", at, 3);
	CHECK("_llseek SEEK_CUR -2", sys(NR__llseek, fd, -1, -2, &at, 1) == 0 && at == 1, 1);
	CHECK("_llseek to a bad result pointer: EFAULT", sys(NR__llseek, fd, 0, 0, 16, 0), -EFAULT);
	CHECK("pread64 at 4", sys(NR_pread64, fd, buf, 10, 4), 2);
	CHECK("pread64 bytes", memcmp(buf, "o\n", 2), 0);
	CHECK("pread64 at a negative offset: EINVAL", sys(NR_pread64, fd, buf, 1, -1), -EINVAL);
	CHECK("read into a bad buffer: EFAULT", sys(NR_pread64, fd, 16, 4, 0), -EFAULT);
	CHECK("write to a read-only descriptor: EBADF", sys(NR_write, fd, "x", 1), -EBADF);
	CHECK("fstat", sys(NR_fstat, fd, &st), 0);
	CHECK("fstat size", st.size, 6);
	CHECK("fstat: a regular file", st.mode & S_IFMT, S_IFREG);
	CHECK("newfstatat AT_EMPTY_PATH", sys(NR_newfstatat, fd, "", &st, AT_EMPTY_PATH), 0);
	CHECK("the same size", st.size, 6);
	CHECK("fstat to a bad buffer: EFAULT", sys(NR_fstat, fd, 16), -EFAULT);
	long dupfd = sys(NR_dup, fd);
	CHECK_TRUE("dup of a file", dupfd > fd);
	sys(NR_lseek, fd, 0, 0);
	CHECK("the duplicate shares the offset", sys(NR_lseek, dupfd, 0, 1), 0);
	CHECK("close the duplicate", sys(NR_close, dupfd), 0);
	long m = sys(NR_mmap, 0, 8192, 1, 2, fd, 0);
	CHECK_TRUE("mmap of the file, private", m > 0 && m % 4096 == 0);
	if (m > 0) {
		CHECK("the mapping holds the file", memcmp((char *)m, "hello\n", 6), 0);
		CHECK("and zeros after it", ((char *)m)[6], 0);
		CHECK("munmap it", sys(NR_munmap, m, 8192), 0);
	}
	CHECK("close", sys(NR_close, fd), 0);
	CHECK("close again: EBADF", sys(NR_close, fd), -EBADF);

	CHECK("open a missing file: ENOENT", open_at("missing.txt", O_RDONLY), -ENOENT);
	CHECK("open below a file: ENOTDIR", open_at("a.txt/x", O_RDONLY), -ENOTDIR);
	CHECK("O_DIRECTORY on a file: ENOTDIR", open_at("a.txt", O_RDONLY | O_DIRECTORY), -ENOTDIR);
	CHECK("open from a bad path pointer: EFAULT", open_at((const char *)16, O_RDONLY), -EFAULT);
	static char longname[5000];
	memset(longname, 'x', sizeof longname - 1);
	CHECK("a path longer than PATH_MAX: ENAMETOOLONG", open_at(longname, O_RDONLY), -ENAMETOOLONG);
	CHECK("O_NOFOLLOW on a link: ELOOP", open_at("sub/rel_link", O_RDONLY | O_NOFOLLOW), -ELOOP);
	CHECK("old open(2)", (fd = sys(NR_open, "sub/b.txt", O_RDONLY)) >= 0, 1);
	sys(NR_close, fd);

	CHECK("a relative symlink", strcmp(contents("sub/rel_link"), "hello\n"), 0);
	CHECK("through a directory link", strcmp(contents("dir_link/b.txt"), "bee\n"), 0);
	CHECK("stat a directory", mode_of("sub", 0), S_IFDIR);
	CHECK("stat follows a link", mode_of("sub/rel_link", 0), S_IFREG);
	CHECK("lstat does not", mode_of("sub/rel_link", AT_SYMLINK_NOFOLLOW), S_IFLNK);
	CHECK("stat a missing file: ENOENT", mode_of("nothing", 0), -ENOENT);
	struct kstat st2;
	CHECK("stat(2)", sys(NR_stat, "a.txt", &st2), 0);
	CHECK("lstat(2)", sys(NR_lstat, "dir_link", &st2), 0);
	CHECK("lstat(2) of a link", st2.mode & S_IFMT, S_IFLNK);
	CHECK("newfstatat with bad flags: EINVAL", sys(NR_newfstatat, AT_FDCWD, "a.txt", &st, 0x7), -EINVAL);

	long n = sys(NR_readlinkat, AT_FDCWD, "sub/rel_link", buf, sizeof buf);
	CHECK("readlinkat", n, 8);
	CHECK("the link's text", memcmp(buf, "../a.txt", 8), 0);
	CHECK("readlink truncates", sys(NR_readlink, "sub/rel_link", buf, 3), 3);
	CHECK("readlink of a file: EINVAL", sys(NR_readlink, "a.txt", buf, sizeof buf), -EINVAL);
	CHECK("readlink of a missing file: ENOENT", sys(NR_readlink, "nothing", buf, sizeof buf), -ENOENT);
	CHECK("readlink with size 0: EINVAL", sys(NR_readlink, "sub/rel_link", buf, 0), -EINVAL);
	static char exe[4096];
	n = sys(NR_readlink, "/proc/self/exe", exe, sizeof exe);
	CHECK_TRUE("readlink /proc/self/exe names the program", n > 13 && memcmp(exe + n - 13, "sys_files.elf", 13) == 0);

	CHECK("access R_OK", sys(NR_access, "a.txt", 4), 0);
	CHECK("access of a missing file: ENOENT", sys(NR_access, "nothing", 0), -ENOENT);
	CHECK("access with mode 8: EINVAL", sys(NR_access, "a.txt", 8), -EINVAL);
	CHECK("faccessat", sys(NR_faccessat, AT_FDCWD, "sub/b.txt", 4), 0);
	CHECK("faccessat2 AT_SYMLINK_NOFOLLOW", sys(NR_faccessat2, AT_FDCWD, "sub/rel_link", 0, AT_SYMLINK_NOFOLLOW), 0);
	CHECK("faccessat2 with bad flags: EINVAL", sys(NR_faccessat2, AT_FDCWD, "a.txt", 0, 0x7), -EINVAL);

	char names[256];
	list_dir(".", names, sizeof names);
	CHECK("getdents64 lists the directory", strcmp(names, ". .. a.txt dir_link empty sub"), 0);
	list_dir("empty", names, sizeof names);
	CHECK("an empty directory", strcmp(names, ". .."), 0);
	fd = open_at("a.txt", O_RDONLY);
	CHECK("getdents64 of a file: ENOTDIR", sys(NR_getdents64, fd, buf, sizeof buf), -ENOTDIR);
	sys(NR_close, fd);
	CHECK("getdents64 of a closed fd: EBADF", sys(NR_getdents64, 99, buf, sizeof buf), -EBADF);
	fd = open_at("sub", O_RDONLY | O_DIRECTORY);
	CHECK("getdents64 into a buffer too small for an entry: EINVAL", sys(NR_getdents64, fd, buf, 8), -EINVAL);
	CHECK("getdents64 into a bad buffer: EFAULT", sys(NR_getdents64, fd, 16, 1024), -EFAULT);
	sys(NR_close, fd);
	fd = open_at("a.txt", O_RDONLY | 010000000 /* O_PATH */);
	CHECK_TRUE("O_PATH opens", fd >= 0);
	CHECK("read through O_PATH: EBADF", sys(NR_read, fd, buf, 1), -EBADF);
	CHECK("fstat through O_PATH works", sys(NR_fstat, fd, &st), 0);
	sys(NR_close, fd);

	long dir = open_at("sub", O_RDONLY | O_DIRECTORY);
	CHECK_TRUE("open a directory", dir >= 0);
	CHECK("read a directory: EISDIR", sys(NR_read, dir, buf, 4), -EISDIR);
	fd = sys(NR_openat, dir, "b.txt", O_RDONLY, 0);
	CHECK_TRUE("openat relative to it", fd >= 0);
	CHECK("its bytes", sys(NR_read, fd, buf, sizeof buf), 4);
	sys(NR_close, fd);
	fd = sys(NR_openat, dir, "../a.txt", O_RDONLY, 0);
	CHECK_TRUE("openat .. from it", fd >= 0);
	sys(NR_close, fd);
	CHECK("openat from a file descriptor of a file: ENOTDIR", sys(NR_openat, 0 + 1, "x", O_RDONLY, 0), -ENOTDIR);
	CHECK("openat from a closed fd: EBADF", sys(NR_openat, 99, "x", O_RDONLY, 0), -EBADF);
	CHECK("fchdir into it", sys(NR_fchdir, dir), 0);
	CHECK("now b.txt is here", strcmp(contents("b.txt"), "bee\n"), 0);
	CHECK("chdir ..", sys(NR_chdir, ".."), 0);
	CHECK("chdir to a file: ENOTDIR", sys(NR_chdir, "a.txt"), -ENOTDIR);
	CHECK("chdir to nothing: ENOENT", sys(NR_chdir, "nothing"), -ENOENT);
	CHECK("back where it was", strcmp(contents("a.txt"), "hello\n"), 0);
	sys(NR_close, dir);
}

static void root(void)
{
	char buf[256];
	CHECK("getcwd is /", sys(NR_getcwd, buf, sizeof buf), 2);
	CHECK("getcwd text", strcmp(buf, "/"), 0);
	CHECK("getcwd into 1 byte: ERANGE", sys(NR_getcwd, buf, 1), -ERANGE);
	CHECK("absolute paths start at the root", strcmp(contents("/a.txt"), "hello\n"), 0);
	CHECK("an absolute symlink resolves inside the root", strcmp(contents("sub/abs_link"), "hello\n"), 0);
	CHECK("/.. is /", strcmp(contents("/../../../a.txt"), "hello\n"), 0);
	CHECK("../ cannot leave the root", strcmp(contents("../outside.txt"), "error 2"), 0);
	CHECK("nor ../../..", strcmp(contents("../../../outside.txt"), "error 2"), 0);
	CHECK("nor an absolute path", strcmp(contents("/../outside.txt"), "error 2"), 0);
	CHECK("nor a symlink climbing out", strcmp(contents("sub/up_link"), "error 2"), 0);
	CHECK("host files are not there", strcmp(contents("/etc/passwd"), "error 2"), 0);
	CHECK("nor /proc", strcmp(contents("/proc/self/status"), "error 2"), 0);
	CHECK("stat of the outside: ENOENT", mode_of("../outside.txt", 0), -ENOENT);
	CHECK("chdir sub", sys(NR_chdir, "sub"), 0);
	CHECK("getcwd /sub", strcmp((sys(NR_getcwd, buf, sizeof buf), buf), "/sub"), 0);
	CHECK("chdir through the directory link", sys(NR_chdir, "/dir_link"), 0);
	CHECK("getcwd is canonical", strcmp((sys(NR_getcwd, buf, sizeof buf), buf), "/sub"), 0);
	CHECK("chdir ../../..", sys(NR_chdir, "../../.."), 0);
	CHECK("getcwd is / again", strcmp((sys(NR_getcwd, buf, sizeof buf), buf), "/"), 0);
	/* The root is read-only. */
	CHECK("open for writing: EROFS", open_at("a.txt", O_WRONLY), -EROFS);
	CHECK("open for reading and writing: EROFS", open_at("a.txt", O_RDWR), -EROFS);
	CHECK("truncate: EROFS", open_at("a.txt", O_RDONLY | O_TRUNC), -EROFS);
	CHECK("create: EROFS", open_at("new.txt", O_WRONLY | O_CREAT), -EROFS);
	CHECK("a directory for writing: EISDIR", open_at("sub", O_WRONLY), -EISDIR);
	CHECK("access W_OK: EROFS", sys(NR_access, "a.txt", 2), -EROFS);
	CHECK("the file is unchanged", strcmp(contents("a.txt"), "hello\n"), 0);
}

static void none(void)
{
	char buf[64];
	CHECK("without --root nothing opens: ENOENT", open_at("a.txt", O_RDONLY), -ENOENT);
	CHECK("not even /", open_at("/", O_RDONLY), -ENOENT);
	CHECK("nor a host file", open_at("/etc/passwd", O_RDONLY), -ENOENT);
	CHECK("stat fails too", mode_of("/", 0), -ENOENT);
	CHECK_TRUE("but /proc/self/exe reads", sys(NR_readlink, "/proc/self/exe", buf, sizeof buf) > 0);
	CHECK("the standard streams work", sys(NR_write, 1, "", 0), 0);
}

int main(int argc, char **argv)
{
	const char *part = argc > 1 ? argv[1] : "common";
	ut_init(argc - 1, argv + 1);
	if (!strcmp(part, "root")) root();
	else if (!strcmp(part, "none")) none();
	else common();
	return ut_done();
}
