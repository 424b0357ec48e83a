/* SPDX-License-Identifier: MIT */
/*
 * rec_vfork.c - vfork and exec for test_record.sh: the parent vforks a
 * child that execs this program again with "child", which maps memory and
 * exits with 5; the parent waits and exits 0.  Which of "<... vfork
 * resumed>" and "<... execve resumed>" comes first is up to the
 * scheduler, so the test compares this log task by task.
 */
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int status;
	pid_t pid;

	if (argc > 1 && !strcmp(argv[1], "child")) {
		void *p = mmap(NULL, 8192, PROT_READ,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		munmap(p, 8192);
		return 5;
	}
	pid = vfork();
	if (!pid) {
		execl(argv[0], argv[0], "child", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status) == 5 ? 0 : 1;
}
