/* SPDX-License-Identifier: MIT */
/*
 * rec_check.c - check that a recording written by `vmasim record` is
 * well-formed: `rec_check OUT/NAME` exits 0 and prints a summary, or
 * prints what is wrong and exits 1.
 *
 *   - NAME.strace parses to its end with the project's strace parser;
 *   - NAME.meta has root_pid, command, kernel, recorder and
 *     snapshot_every;
 *   - every NAME.index line is "PID SEQ KIND LINE" with KIND one of exec,
 *     fork, periodic, exit, LINE within the log, SEQ counting each PID's
 *     snapshots from 0, and NAME.maps/PID.SEQ.maps a non-empty file of
 *     /proc/PID/maps lines; no other file is in NAME.maps;
 *   - creation comes first: every task but the command itself is created
 *     by a fork, vfork, clone or clone3 of the log, and neither its first
 *     line nor its snapshots come before the line of that call (for vfork,
 *     the caller's "<unfinished ...>" line; for the others, the complete
 *     line with the new pid).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "strace.h"

#define MAX_TASKS	65536

struct task {
	unsigned int pid;
	unsigned long first_line;	/* first line with its prefix */
	unsigned int creator;
	unsigned long created;		/* line from which it may appear */
	bool vfork;
	unsigned int next_seq;
	unsigned int snapshots;
};

struct check {
	const char *prefix;
	char **lines;			/* the log, lines[1..nlines] */
	unsigned long nlines;
	struct task *tasks;
	size_t ntasks;
	unsigned int root_pid;
	unsigned int errors;
	unsigned int kinds[4];
};

static const char *const kinds[] = { "exec", "fork", "periodic", "exit" };

__attribute__((format(printf, 2, 3)))
static void error(struct check *c, const char *fmt, ...)
{
	va_list ap;

	if (c->errors++ >= 20)
		return;
	fputs("rec_check: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static char *path_of(const char *prefix, const char *suffix)
{
	char *s;

	if (asprintf(&s, "%s%s", prefix, suffix) < 0)
		exit(2);
	return s;
}

static struct task *task(struct check *c, unsigned int pid)
{
	size_t i;

	for (i = 0; i < c->ntasks; i++)
		if (c->tasks[i].pid == pid)
			return &c->tasks[i];
	if (c->ntasks == MAX_TASKS)
		exit(2);
	c->tasks[c->ntasks] = (struct task){ .pid = pid };
	return &c->tasks[c->ntasks++];
}

/* Keep the log's lines and note each tid's first line. */
static int read_log(struct check *c)
{
	char *name = path_of(c->prefix, ".strace");
	FILE *f = fopen(name, "r");
	size_t cap = 0, cap_lines = 1024;
	char *line = NULL;
	ssize_t n;

	free(name);
	if (!f)
		return -1;
	c->lines = calloc(cap_lines, sizeof(char *));
	while ((n = getline(&line, &cap, f)) >= 0) {
		unsigned int pid;

		if (++c->nlines >= cap_lines) {
			cap_lines *= 2;
			c->lines = realloc(c->lines, cap_lines * sizeof(char *));
		}
		if (n && line[n - 1] == '\n')
			line[n - 1] = '\0';
		c->lines[c->nlines] = strdup(line);
		if (sscanf(line, "%u ", &pid) == 1 && !task(c, pid)->first_line)
			task(c, pid)->first_line = c->nlines;
	}
	free(line);
	fclose(f);
	return 0;
}

/*
 * The line from which a vfork child may appear: its caller's last line
 * before @done, which must be the open "vfork(" or "clone...(" line.
 */
static unsigned long vfork_start(struct check *c, unsigned int caller,
				 unsigned long done)
{
	unsigned long i;
	unsigned int pid;

	for (i = done - 1; i >= 1; i--) {
		if (sscanf(c->lines[i], "%u ", &pid) != 1 || pid != caller)
			continue;
		if (strstr(c->lines[i], " <unfinished ...>"))
			return i;
		break;
	}
	return done;
}

static void note_creation(struct check *c, const struct strace_event *ev)
{
	bool vfork = !strcmp(ev->name, "vfork") ||
		     (ev->args && strstr(ev->args, "CLONE_VFORK"));
	struct task *t;

	if (ev->ret <= 0 || ev->ret_unknown)
		return;
	t = task(c, ev->ret);
	t->creator = ev->pid;
	t->vfork = vfork;
	t->created = vfork ? vfork_start(c, ev->pid, ev->line) : ev->line;
}

static void parse_log(struct check *c)
{
	char *name = path_of(c->prefix, ".strace");
	FILE *f = fopen(name, "r");
	struct strace_parser p;
	struct strace_event ev;
	int ret;

	if (!f) {
		error(c, "cannot open %s", name);
		free(name);
		return;
	}
	strace_parser_init(&p, f, name, 0);
	while ((ret = strace_next(&p, &ev)) > 0) {
		if (ev.kind != STRACE_SYSCALL)
			continue;
		if (!strcmp(ev.name, "clone") || !strcmp(ev.name, "clone3") ||
		    !strcmp(ev.name, "fork") || !strcmp(ev.name, "vfork"))
			note_creation(c, &ev);
	}
	if (ret < 0)
		error(c, "log does not parse: %s", p.error);
	strace_parser_release(&p);
	fclose(f);
	free(name);
}

static void check_meta(struct check *c)
{
	static const char *const keys[] = {
		"root_pid=", "command=", "kernel=", "recorder=vmasim ",
		"snapshot_every=",
	};
	char *name = path_of(c->prefix, ".meta");
	FILE *f = fopen(name, "r");
	char line[4096];
	unsigned int seen = 0, i;

	if (!f) {
		error(c, "no %s", name);
		free(name);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (!strchr(line, '='))
			error(c, "meta line without '=': %s", line);
		for (i = 0; i < 5; i++)
			if (!strncmp(line, keys[i], strlen(keys[i])))
				seen |= 1u << i;
		sscanf(line, "root_pid=%u", &c->root_pid);
	}
	fclose(f);
	free(name);
	for (i = 0; i < 5; i++)
		if (!(seen & (1u << i)))
			error(c, "meta has no %s", keys[i]);
	if (!c->root_pid)
		error(c, "meta: bad root_pid");
}

/* A snapshot file: non-empty, every line a /proc/PID/maps line. */
static void check_maps(struct check *c, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[8192], perms[8];
	unsigned long start, end, off, ino, n = 0;
	unsigned int maj, min;

	if (!f) {
		error(c, "missing snapshot %s", path);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		n++;
		if (sscanf(line, "%lx-%lx %7s %lx %x:%x %lu", &start, &end,
			   perms, &off, &maj, &min, &ino) != 7 ||
		    start >= end || strlen(perms) != 4) {
			error(c, "%s:%lu: not a maps line", path, n);
			break;
		}
	}
	fclose(f);
	if (!n)
		error(c, "empty snapshot %s", path);
}

static int kind_index(const char *kind)
{
	int i;

	for (i = 0; i < 4; i++)
		if (!strcmp(kind, kinds[i]))
			return i;
	return -1;
}

static void check_snapshot(struct check *c, unsigned int pid,
			   unsigned int seq, int kind, unsigned long line)
{
	struct task *t = task(c, pid);
	char *path;

	if (seq != t->next_seq)
		error(c, "pid %u: snapshot %u, expected %u", pid, seq,
		      t->next_seq);
	t->next_seq = seq + 1;
	t->snapshots++;
	c->kinds[kind]++;
	if (line > c->nlines)
		error(c, "pid %u.%u: line %lu after the end (%lu)", pid, seq,
		      line, c->nlines);
	if (pid != c->root_pid && line < t->created)
		error(c, "pid %u.%u: at line %lu, before its creation at %lu",
		      pid, seq, line, t->created);
	if (asprintf(&path, "%s.maps/%u.%u.maps", c->prefix, pid, seq) < 0)
		exit(2);
	check_maps(c, path);
	free(path);
}

static void check_index(struct check *c)
{
	char *name = path_of(c->prefix, ".index");
	FILE *f = fopen(name, "r");
	char line[256], kind[32], again[256];
	unsigned long lineno = 0, at;
	unsigned int pid, seq;

	if (!f) {
		error(c, "no %s", name);
		free(name);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (sscanf(line, "%u %u %31s %lu", &pid, &seq, kind, &at) != 4 ||
		    kind_index(kind) < 0) {
			error(c, "index line %lu malformed: %s", lineno, line);
			continue;
		}
		snprintf(again, sizeof(again), "%u %u %s %lu\n", pid, seq, kind,
			 at);
		if (strcmp(again, line))
			error(c, "index line %lu not canonical: %s", lineno, line);
		check_snapshot(c, pid, seq, kind_index(kind), at);
	}
	fclose(f);
	free(name);
}

/* Only PID.SEQ.maps files that the index names. */
static void check_maps_dir(struct check *c)
{
	char *name = path_of(c->prefix, ".maps");
	DIR *d = opendir(name);
	struct dirent *e;
	unsigned long files = 0, indexed = 0;
	size_t i;

	if (!d) {
		error(c, "no directory %s", name);
		free(name);
		return;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			files++;
	closedir(d);
	for (i = 0; i < c->ntasks; i++)
		indexed += c->tasks[i].snapshots;
	if (files != indexed)
		error(c, "%s holds %lu files, the index %lu", name, files,
		      indexed);
	free(name);
}

static void check_creation(struct check *c)
{
	size_t i;

	for (i = 0; i < c->ntasks; i++) {
		struct task *t = &c->tasks[i];

		if (t->pid == c->root_pid || !t->first_line)
			continue;
		if (!t->creator) {
			error(c, "tid %u (line %lu) has no creating call",
			      t->pid, t->first_line);
			continue;
		}
		if (t->first_line <= t->created)
			error(c, "tid %u appears at line %lu, before its "
			      "creation at line %lu", t->pid, t->first_line,
			      t->created);
	}
	if (c->lines && c->nlines && !strstr(c->lines[1], " execve("))
		error(c, "line 1 is not the command's execve");
}

static void free_check(struct check *c)
{
	unsigned long i;

	for (i = 1; c->lines && i <= c->nlines; i++)
		free(c->lines[i]);
	free(c->lines);
	free(c->tasks);
}

int main(int argc, char **argv)
{
	struct check c = { 0 };
	int ret = 0;

	if (argc != 2) {
		fputs("usage: rec_check OUT/NAME\n", stderr);
		return 2;
	}
	c.prefix = argv[1];
	c.tasks = calloc(MAX_TASKS, sizeof(*c.tasks));
	if (!c.tasks || read_log(&c)) {
		printf("rec_check: cannot read %s.strace\n", c.prefix);
		free_check(&c);
		return 1;
	}
	parse_log(&c);
	check_meta(&c);
	check_index(&c);
	check_maps_dir(&c);
	check_creation(&c);
	if (c.errors) {
		printf("rec_check: %s: %u errors\n", c.prefix, c.errors);
		ret = 1;
	} else {
		printf("ok %s: %lu lines, %zu tasks, snapshots exec %u fork %u "
		       "periodic %u exit %u\n", c.prefix, c.nlines, c.ntasks,
		       c.kinds[0], c.kinds[1], c.kinds[2], c.kinds[3]);
	}
	free_check(&c);
	return ret;
}
