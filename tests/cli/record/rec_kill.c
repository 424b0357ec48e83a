/* SPDX-License-Identifier: MIT */
/*
 * rec_kill.c - a program killed by a signal, for test_record.sh: it maps
 * memory, then sends itself SIGTERM.  The recorder must exit 128 + 15.
 */
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	kill(getpid(), SIGTERM);
	pause();
	return 0;
}
