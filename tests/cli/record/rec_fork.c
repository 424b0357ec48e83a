/* SPDX-License-Identifier: MIT */
/*
 * rec_fork.c - fork and wait, deterministically for test_record.sh: the
 * child waits on a pipe until the parent's fork has returned, maps and
 * unmaps memory, and exits with 3; the parent, blocked in waitpid all that
 * time, gets SIGCHLD (handled), a
 * queued SIGUSR1, forks a second child that is killed, and exits 0.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_signal(int sig)
{
	(void)sig;
}

static void child(int rfd)
{
	char c;
	void *p;

	if (read(rfd, &c, 1) != 1)
		_exit(1);
	p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(p, 4096, PROT_NONE);
	munmap(p, 3 * 4096);
	_exit(3);
}

/* The parent writes nothing to the log between releasing and reaping. */
static int spawn_and_wait(void)
{
	int fds[2], status;
	pid_t pid;

	if (pipe(fds))
		exit(1);
	pid = fork();
	if (!pid)
		child(fds[0]);
	if (write(fds[1], "x", 1) != 1)
		exit(1);
	waitpid(pid, &status, 0);
	close(fds[0]);
	close(fds[1]);
	return status;
}

int main(void)
{
	union sigval v = { .sival_int = 42 };
	int status;
	pid_t pid;

	signal(SIGCHLD, on_signal);
	signal(SIGUSR1, on_signal);
	spawn_and_wait();
	sigqueue(getpid(), SIGUSR1, v);
	pid = fork();
	if (!pid) {
		pause();
		_exit(0);
	}
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) ? 0 : 1;
}
