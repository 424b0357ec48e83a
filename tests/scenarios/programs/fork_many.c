// SPDX-License-Identifier: MIT
/*
 * fork_many.c - fork of a process with thousands of VMAs, for the corpus:
 * 3000 single-page mappings with alternating protections (so none merge),
 * some marked MADV_DONTFORK and MADV_WIPEONFORK, then fork; the child
 * unmaps every third page and exits, the parent waits.  The fork snapshot
 * and the child's exit snapshot test dup_mmap on a deep tree.
 */
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define NR_PAGES	3000
#define PAGE		4096UL

int main(void)
{
	char *base;
	size_t i;
	pid_t pid;
	int status;

	base = mmap(NULL, NR_PAGES * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return 1;
	for (i = 0; i < NR_PAGES; i++) {
		base[i * PAGE] = 1;
		if (i % 2 && mprotect(base + i * PAGE, PAGE, PROT_READ))
			return 1;
	}
	if (madvise(base + 100 * PAGE, 10 * PAGE, MADV_DONTFORK) ||
	    madvise(base + 200 * PAGE, 10 * PAGE, MADV_WIPEONFORK))
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (!pid) {
		for (i = 0; i < NR_PAGES; i += 3)
			munmap(base + i * PAGE, PAGE);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 1;
	return WEXITSTATUS(status);
}
