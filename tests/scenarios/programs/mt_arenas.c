// SPDX-License-Identifier: MIT
/*
 * mt_arenas.c - a multithreaded program for the corpus: four threads
 * allocate and free blocks of several sizes, so that glibc creates a
 * malloc arena per thread (a 64 MiB-aligned reservation trimmed with
 * munmap, grown with mprotect) and serves large blocks with mmap/munmap.
 * The threads run one after another (each joined before the next starts)
 * so that the order of their calls, and the recording, is deterministic.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NR_THREADS	4

static void *worker(void *arg)
{
	size_t seed = (size_t)arg, i, n = 0;
	void *blocks[64];

	for (i = 0; i < 64; i++) {
		size_t sz = (i % 8 == 7) ? (256 + i) << 10 : 64 + 48 * i * seed;

		blocks[i] = malloc(sz);
		if (!blocks[i])
			return NULL;
		memset(blocks[i], (int)i, sz < 4096 ? sz : 4096);
		n += sz;
	}
	for (i = 0; i < 64; i += 2)
		free(blocks[i]);
	for (i = 1; i < 64; i += 2)
		free(blocks[i]);
	return (void *)n;
}

int main(void)
{
	pthread_t t;
	size_t i;
	void *ret;

	for (i = 0; i < NR_THREADS; i++) {
		if (pthread_create(&t, NULL, worker, (void *)(i + 1)))
			return 1;
		if (pthread_join(t, &ret) || !ret)
			return 1;
	}
	puts("mt_arenas: done");
	return 0;
}
