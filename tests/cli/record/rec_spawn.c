/* SPDX-License-Identifier: MIT */
/*
 * rec_spawn.c - vfork-style children among busy threads, for
 * test_record.sh: three threads each posix_spawn /bin/true (glibc uses
 * clone3 with CLONE_VM|CLONE_VFORK) and wait for it, ten times, while a
 * fourth maps and unmaps memory, so that a child's snapshot is often
 * taken while another thread's line is open.  Only the recording's
 * well-formedness is checked.
 */
#include <pthread.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>

extern char **environ;

static void *spawner(void *arg)
{
	char *argv[] = { "true", NULL };
	int i, status;
	pid_t pid;

	(void)arg;
	for (i = 0; i < 10; i++)
		if (!posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ))
			waitpid(pid, &status, 0);
	return NULL;
}

static void *mapper(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < 300; i++) {
		void *p = mmap(NULL, 8192, PROT_READ,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		munmap(p, 8192);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[4];
	int i;

	for (i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, spawner, NULL);
	pthread_create(&t[3], NULL, mapper, NULL);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	return 0;
}
