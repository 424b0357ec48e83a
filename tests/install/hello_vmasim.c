/* SPDX-License-Identifier: MIT */
/*
 * hello_vmasim.c - the smallest user of an installed libvmasim, built by
 * test_install_vmasim.sh through pkg-config and through find_package():
 * one process, two adjacent anonymous read-write mappings (the second
 * placed with MAP_FIXED right after the first), which must merge into a
 * single VMA, as they do on Linux.
 */
#define _POSIX_C_SOURCE 200809L	/* open_memstream() */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vmasim/mm.h>
#include <vmasim/vma.h>

#define LEN	0x2000UL

static int fail(const char *what)
{
	fprintf(stderr, "hello_vmasim: %s\n", what);
	return 1;
}

int main(void)
{
	struct vm_sim *sim;
	struct task *t;
	struct mm_struct *mm;
	unsigned long start = 0, end = 0, vmas;
	char *maps = NULL, *line;
	size_t size = 0;
	FILE *out;
	long a, b;
	int lines = 0, ret = 1;

	sim = vm_sim_new(NULL);
	if (!sim)
		return fail("vm_sim_new");
	t = vm_task_create(sim, 1, 0x7ffff7fff000UL, false);
	if (!t) {
		vm_sim_free(sim);
		return fail("vm_task_create");
	}
	mm = vm_task_mm(t);

	a = sys_mmap(t, 0, LEN, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a < 0) {
		fail("first mmap");
		goto out;
	}
	b = sys_mmap(t, (unsigned long)a + LEN, LEN, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (b != a + (long)LEN) {
		fail("second mmap");
		goto out;
	}

	/* The layout as /proc/PID/maps would show it, [vsyscall] aside. */
	out = open_memstream(&maps, &size);
	if (!out) {
		fail("open_memstream");
		goto out;
	}
	mmap_read_lock(mm);
	vmas = mm->map_count;
	if (mm_show_maps(mm, out))
		fail("mm_show_maps");
	mmap_read_unlock(mm);
	if (fclose(out)) {
		fail("fclose");
		goto out;
	}
	for (line = strtok(maps, "\n"); line; line = strtok(NULL, "\n")) {
		if (strstr(line, "[vsyscall]"))
			continue;
		if (lines++ == 0 && sscanf(line, "%lx-%lx", &start, &end) != 2)
			break;
		printf("%s\n", line);
	}

	if (vmas != 1 || lines != 1)
		fprintf(stderr, "hello_vmasim: %lu VMAs, %d maps lines: not merged\n",
			vmas, lines);
	else if (start != (unsigned long)a || end != (unsigned long)a + 2 * LEN)
		fprintf(stderr, "hello_vmasim: VMA %lx-%lx, expected %lx-%lx\n",
			start, end, (unsigned long)a, (unsigned long)a + 2 * LEN);
	else if (mm_validate(mm))
		fprintf(stderr, "hello_vmasim: mm_validate failed\n");
	else
		ret = 0;
out:
	free(maps);
	vm_sim_free(sim);
	if (!ret)
		printf("hello_vmasim: two mappings, one VMA\n");
	return ret;
}
