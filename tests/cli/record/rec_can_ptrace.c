/* SPDX-License-Identifier: MIT */
/*
 * rec_can_ptrace.c - exit 0 if this process may ptrace its own child
 * (PTRACE_SEIZE), 1 if not: containers without CAP_SYS_PTRACE or with a
 * seccomp filter on ptrace cannot run the recorder.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	pid_t pid = fork();
	int ok, status;

	if (pid < 0)
		return 1;
	if (!pid) {
		pause();
		_exit(0);
	}
	ok = ptrace(PTRACE_SEIZE, pid, NULL, NULL) == 0;
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return ok ? 0 : 1;
}
