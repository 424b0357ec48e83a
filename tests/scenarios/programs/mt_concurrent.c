// SPDX-License-Identifier: MIT
/*
 * mt_concurrent.c - four threads changing one address space at the same
 * time, for the corpus: each maps a private region of its own size (at a
 * hint in a window of its own, 16 MiB from the others'), writes it,
 * splits it with mprotect and unmaps it, 100 times.  Unlike mt_arenas the
 * threads run together, so their calls interleave in the tree; the
 * recorder keeps the log in the kernel's order of changes.
 *
 * The windows keep each thread's regions away from the others': two
 * threads' fresh regions side by side would merge or not depending on
 * whether their first writes had happened yet, which no log shows (see
 * docs/fidelity.md), and the test would be flaky.
 */
#include <pthread.h>
#include <sys/mman.h>

#define NR_THREADS	4
#define ROUNDS		100
#define PAGE		4096UL
#define WINDOW		0x500000000000UL
#define SLOT		0x1000000UL

static void *worker(void *arg)
{
	size_t len = 16 * PAGE + (size_t)arg * PAGE;
	void *hint = (void *)(WINDOW + (size_t)arg * SLOT);
	char *p;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		p = mmap(hint, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return (void *)1;
		p[0] = 1;
		if (mprotect(p + PAGE, PAGE, PROT_READ) || munmap(p, len))
			return (void *)1;
	}
	return NULL;
}

int main(void)
{
	pthread_t t[NR_THREADS];
	void *ret;
	long i;
	int bad = 0;

	for (i = 0; i < NR_THREADS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i))
			return 1;
	for (i = 0; i < NR_THREADS; i++)
		if (pthread_join(t[i], &ret) || ret)
			bad = 1;
	return bad;
}
