/* SPDX-License-Identifier: MIT */
/*
 * rec_mem.c - a deterministic single-process workload for test_record.sh:
 * every memory call of the recording format (mmap, munmap, mremap,
 * mprotect, pkey_mprotect, brk, madvise, mlock, mlock2, munlock,
 * mlockall, munlockall, mseal, shmat, shmdt) and every descriptor call
 * (open, openat, openat2, creat, close, close_range, dup, dup2, dup3,
 * fcntl, memfd_create), with failing calls, unknown flag bits and names
 * that need quoting.  Run it in an empty directory.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PG 4096UL

static void memory_calls(void)
{
	char *a, *b;

	a = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(a + PG, PG, PROT_NONE);
	mprotect(a + 2 * PG, PG, PROT_READ | PROT_EXEC);
	madvise(a, PG, MADV_DONTFORK);
	madvise(a, PG, MADV_DONTNEED);
	madvise(a, PG, 102);			/* unknown to strace 6.1 */
	b = mremap(a + 6 * PG, 2 * PG, 4 * PG, MREMAP_MAYMOVE);
	mremap(b, 4 * PG, 2 * PG, 0);
	mremap(a + 4 * PG, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, b + 8 * PG);
	mlock(a, PG);
	munlock(a, PG);
	syscall(SYS_mlock2, a, PG, 1);
	mlockall(MCL_FUTURE);		/* MCL_CURRENT could fail under load */
	munlockall();
	syscall(SYS_pkey_mprotect, a, PG, PROT_READ, -1);
	syscall(462, a + 3 * PG, PG, 0);	/* mseal */
	munmap(a, 3 * PG);
	munmap(b, 2 * PG);
	/* failing calls */
	mmap((void *)0x10000, 1UL << 50, PROT_READ,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	munmap((void *)0x1001, PG);
	mprotect((void *)0x1000, PG, PROT_READ);
	mmap(NULL, PG, PROT_READ | 0x10, MAP_PRIVATE | MAP_ANONYMOUS | 0x80,
	     -1, 0);
	sbrk(PG);
	sbrk(-(long)PG);
}

static void shm_calls(void)
{
	int id = shmget(IPC_PRIVATE, PG, IPC_CREAT | 0600);
	void *p;

	if (id < 0)
		return;
	p = shmat(id, NULL, SHM_RDONLY);
	shmdt(p);
	shmctl(id, IPC_RMID, NULL);
}

static void fd_calls(void)
{
	struct open_how how = { .flags = O_RDWR | O_CREAT, .mode = 0600 };
	int fd, dfd, m;
	char *p;

	fd = open("data file", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, 4 * PG))
		return;
	p = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd, PG);
	munmap(p, 2 * PG);
	dup(fd);
	dup2(fd, 20);
	dup3(fd, 21, O_CLOEXEC);
	fcntl(fd, F_GETFD);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	fcntl(fd, F_GETFD);
	fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK);
	fcntl(fd, F_DUPFD, 30);
	fcntl(fd, F_DUPFD_CLOEXEC, 31);
	close(fd);
	close(99);
	creat("we ird>) = 7 \"x\"\n\x01\x7f\xc3\xa9", 0600);
	dfd = open(".", O_RDONLY | O_DIRECTORY);
	openat(dfd, "data file", O_RDONLY | O_NOFOLLOW);
	syscall(SYS_openat2, dfd, "other", &how, sizeof(how));
	open("missing/file", O_RDONLY);
	m = memfd_create("arena \"x\" <1>", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (m < 0 || ftruncate(m, 2 * PG))
		return;
	fcntl(m, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW);
	fcntl(m, F_GET_SEALS);
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, m, 0);
	munmap(p, PG);
	memfd_create("a name longer than thirty-two bytes", 0);
	syscall(SYS_close_range, 20, 21, 0);
	syscall(SYS_close_range, 30, ~0U, 0);
}

int main(void)
{
	memory_calls();
	shm_calls();
	fd_calls();
	return 3;
}
