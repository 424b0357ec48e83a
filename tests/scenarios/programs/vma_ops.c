// SPDX-License-Identifier: MIT
/*
 * vma_ops.c - every family of VMA operation once, for the corpus: file
 * mappings at adjacent and non-adjacent offsets, anonymous merges, an
 * mprotect split and re-merge, munmap across VMAs, MAP_FIXED over a
 * mapping, mremap in place, moved, fixed and with MREMAP_DONTUNMAP, brk
 * up and down, mlock, madvise, mseal and errors (EINVAL, ENOMEM, EEXIST,
 * EPERM).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE	4096UL

static char *map(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	char *p = mmap(addr, len, prot, flags, fd, off);

	return p == MAP_FAILED ? NULL : p;
}

int main(void)
{
	char path[] = "/tmp/vmasim-vma-ops-XXXXXX";
	char *a, *b, *c, *f, *brk0;
	int fd, i;

	fd = mkstemp(path);
	if (fd < 0 || ftruncate(fd, 16 * PAGE))
		return 1;
	unlink(path);

	/* file: adjacent offsets merge, a gap in offsets does not */
	f = map(NULL, 8 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (!f || munmap(f + 2 * PAGE, 2 * PAGE) ||
	    !map(f + 2 * PAGE, 2 * PAGE, PROT_READ, MAP_SHARED | MAP_FIXED, fd,
		 2 * PAGE) ||
	    !map(f + 4 * PAGE, 2 * PAGE, PROT_READ, MAP_SHARED | MAP_FIXED, fd,
		 10 * PAGE))
		return 1;

	/* anonymous: three maps filling a hole merge into one */
	a = map(NULL, 6 * PAGE, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!a || munmap(a + 2 * PAGE, 2 * PAGE) ||
	    !map(a + 2 * PAGE, 2 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0))
		return 1;
	for (i = 0; i < 6; i++)
		a[i * PAGE] = 1;

	/* mprotect the middle and back */
	if (mprotect(a + 2 * PAGE, PAGE, PROT_READ) ||
	    mprotect(a + 2 * PAGE, PAGE, PROT_READ | PROT_WRITE))
		return 1;

	/* munmap across several VMAs, MAP_FIXED over a mapping */
	b = map(NULL, 8 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!b || mprotect(b + 2 * PAGE, 2 * PAGE, PROT_NONE) ||
	    munmap(b + PAGE, 4 * PAGE) ||
	    !map(b + 5 * PAGE, 2 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0))
		return 1;

	/* mremap: grow in place, move, fixed, dontunmap, shrink */
	c = map(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!c)
		return 1;
	c[0] = 1;
	c = mremap(c, 2 * PAGE, 64 * PAGE, MREMAP_MAYMOVE);
	if (c == MAP_FAILED)
		return 1;
	/* the destination of MREMAP_FIXED: a reservation, replaced */
	f = map(NULL, 64 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!f)
		return 1;
	c = mremap(c, 64 * PAGE, 64 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, f);
	if (c == MAP_FAILED)
		return 1;
	c = mremap(c, 4 * PAGE, 4 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
		   NULL);
	if (c == MAP_FAILED || mremap(c, 4 * PAGE, PAGE, 0) == MAP_FAILED)
		return 1;

	/* brk throb */
	brk0 = sbrk(0);
	for (i = 0; i < 4; i++) {
		if (sbrk(64 * PAGE) == (void *)-1 || sbrk(-32 * PAGE) == (void *)-1)
			return 1;
	}
	if (brk(brk0))
		return 1;

	/* mlock, madvise, mseal */
	if (mlock(a + PAGE, PAGE) || munlock(a + PAGE, PAGE) ||
	    madvise(a, 2 * PAGE, MADV_DONTDUMP) ||
	    madvise(a, 6 * PAGE, MADV_DODUMP))
		return 1;
	if (syscall(462 /* mseal */, b + 5 * PAGE, 2 * PAGE, 0))
		return 1;

	/* errors: each must fail for real, and be recorded as failing */
	errno = 0;
	if (munmap(b + 5 * PAGE, PAGE) == 0 || errno != EPERM)
		return 2;
	if (mprotect(a + 1, PAGE, PROT_READ) == 0 || errno != EINVAL)
		return 3;
	c = map(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!c || munmap(c, PAGE) ||
	    mprotect(c, PAGE, PROT_READ) == 0 || errno != ENOMEM)
		return 4;
	if (map(a, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
		MAP_FIXED_NOREPLACE, -1, 0) || errno != EEXIST)
		return 5;
	close(fd);
	return 0;
}
