/* SPDX-License-Identifier: MIT */
/*
 * rec_threads.c - a multithreaded workload for test_record.sh: four
 * threads map, protect and unmap memory concurrently; then a child stops
 * itself and is continued; with "exec", a non-leader thread finally execs
 * /bin/true, which strace logs as "superseded by execve".  The
 * interleaving is the scheduler's, so only the recording's well-formedness
 * is checked.
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void *worker(void *arg)
{
	int i;

	for (i = 0; i < 40; i++) {
		char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		mprotect(p + 4096, 4096, PROT_NONE);
		munmap(p, 4 * 4096);
	}
	if (arg) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[4];
	pid_t pid;
	int i;

	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	pid = fork();
	if (!pid) {
		raise(SIGSTOP);
		_exit(4);
	}
	waitpid(pid, NULL, WUNTRACED);
	kill(pid, SIGCONT);
	waitpid(pid, NULL, 0);
	if (argc > 1 && !strcmp(argv[1], "exec")) {
		pthread_create(&t[0], NULL, worker, (void *)1);
		pause();
	}
	return 0;
}
