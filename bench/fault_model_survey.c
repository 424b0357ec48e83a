/* SPDX-License-Identifier: MIT */
/*
 * fault_model_survey.c - which fault model matches the live kernel more
 * often?  Reads /proc/PID/smaps of every process it may read and, for
 * every private writable VMA (the only kind the two models disagree on),
 * compares each model's prediction with what the kernel shows:
 *
 *   VM_FAULT_NONE      predicts no anon_vma (nothing written);
 *   VM_FAULT_ON_WRITE  predicts an anon_vma (written as soon as mapped or
 *                      made writable), except for memory mmap()ed
 *                      writable with MAP_NORESERVE; smaps cannot tell how
 *                      a VM_NORESERVE VMA became writable, so those are
 *                      counted apart ("nr" in VmFlags) and scored as
 *                      written.
 *
 * The kernel's answer is approximated by "Anonymous: > 0 kB" (pages
 * written since mapping; a VMA whose written pages were all freed again
 * keeps its anon_vma but reads 0, so ON_WRITE's score is a lower bound).
 *
 * Usage: fault_model_survey [--json]
 */
#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct survey {
	unsigned long processes;
	unsigned long vmas;		/* private writable VMAs seen */
	unsigned long written;		/* of which with anonymous pages */
	unsigned long anon_vmas, anon_written;	/* anonymous (no path) */
	unsigned long heap, heap_written;
	unsigned long stack, stack_written;
	unsigned long file, file_written;
	unsigned long noreserve, noreserve_written;	/* VM_NORESERVE */
	unsigned long on_write_match;	/* VM_FAULT_ON_WRITE predicted right */
};

/* Classify one VMA once its "Anonymous:" line is known. */
static void survey_vma(struct survey *s, const char *name, unsigned long anon_kb,
		       bool noreserve)
{
	bool written = anon_kb > 0;

	s->vmas++;
	s->written += written;
	s->noreserve += noreserve;
	s->noreserve_written += noreserve && written;
	s->on_write_match += written;
	if (!*name) {
		s->anon_vmas++;
		s->anon_written += written;
	} else if (!strcmp(name, "[heap]")) {
		s->heap++;
		s->heap_written += written;
	} else if (!strcmp(name, "[stack]")) {
		s->stack++;
		s->stack_written += written;
	} else if (name[0] == '/') {
		s->file++;
		s->file_written += written;
	}
}

static void survey_process(struct survey *s, const char *pid)
{
	char path[64], line[4096], name[4096] = "";
	unsigned long anon_kb = 0;
	bool want = false, have_anon = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/smaps", pid);
	f = fopen(path, "r");
	if (!f)
		return;
	s->processes++;
	while (fgets(line, sizeof(line), f)) {
		unsigned long kb;
		char perms[8];

		/* A header line: "start-end perms offset dev inode  name". */
		if (isxdigit((unsigned char)line[0]) && strchr(line, '-') &&
		    sscanf(line, "%*x-%*x %7s", perms) == 1 && strlen(perms) == 4) {
			int n = 0;

			want = perms[1] == 'w' && perms[3] == 'p';
			name[0] = 0;
			sscanf(line, "%*s %*s %*s %*s %*s %n", &n);
			if (n > 0) {
				snprintf(name, sizeof(name), "%s", line + n);
				name[strcspn(name, "\n")] = 0;
			}
			continue;
		}
		if (want && sscanf(line, "Anonymous: %lu kB", &kb) == 1) {
			anon_kb = kb;
			have_anon = true;
		}
		/* VmFlags comes last: "VmFlags: rd wr mr mw me nr ac" */
		if (want && have_anon && !strncmp(line, "VmFlags:", 8)) {
			line[strcspn(line, "\n")] = ' ';
			survey_vma(s, name, anon_kb, strstr(line, " nr ") != NULL);
			want = have_anon = false;
		}
	}
	fclose(f);
}

static double pct(unsigned long a, unsigned long b)
{
	return b ? 100.0 * a / b : 0.0;
}

int main(int argc, char **argv)
{
	struct survey s = { 0 };
	struct dirent *de;
	DIR *proc = opendir("/proc");
	bool json = argc > 1 && !strcmp(argv[1], "--json");

	if (!proc) {
		perror("/proc");
		return 1;
	}
	while ((de = readdir(proc)))
		if (isdigit((unsigned char)de->d_name[0]))
			survey_process(&s, de->d_name);
	closedir(proc);

	if (json) {
		printf("{\"processes\": %lu, \"private_writable_vmas\": %lu, "
		       "\"written\": %lu, \"noreserve\": %lu, \"match_none\": %.1f, "
		       "\"match_on_write\": %.1f}\n",
		       s.processes, s.vmas, s.written, s.noreserve,
		       pct(s.vmas - s.written, s.vmas), pct(s.on_write_match, s.vmas));
		return 0;
	}
	printf("processes read:                %lu\n", s.processes);
	printf("private writable VMAs:         %lu\n", s.vmas);
	printf("  with written pages:          %lu (%.1f%%)\n", s.written, pct(s.written, s.vmas));
	printf("    anonymous:                 %lu of %lu\n", s.anon_written, s.anon_vmas);
	printf("    [heap]:                    %lu of %lu\n", s.heap_written, s.heap);
	printf("    [stack]:                   %lu of %lu\n", s.stack_written, s.stack);
	printf("    file (data segments):      %lu of %lu\n", s.file_written, s.file);
	printf("    VM_NORESERVE:              %lu of %lu\n", s.noreserve_written,
	       s.noreserve);
	printf("VM_FAULT_NONE matches:         %.1f%%\n", pct(s.vmas - s.written, s.vmas));
	printf("VM_FAULT_ON_WRITE matches:     %.1f%% (lower bound)\n",
	       pct(s.on_write_match, s.vmas));
	return 0;
}
