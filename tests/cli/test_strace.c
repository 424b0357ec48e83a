/* SPDX-License-Identifier: MIT */
/*
 * test_strace.c - tests of the strace log parser (src/cli/strace.c): the
 * fixtures recorded with the real strace parse without error, event counts
 * match the text, chosen events decode exactly, malformed lines give
 * "NAME:LINE:" errors, random input never crashes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "strace.h"

static const char *const fixtures[] = {
	"plain", "tt_T", "ttt", "comm", "xverbose", "rel", "texec",
	"ff_12732", "ff_12733",
};

static FILE *open_fixture(const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.strace", CLI_FIXTURE_DIR, name);
	f = fopen(path, "r");
	assert_non_null(f);
	return f;
}

static unsigned int ff_pid(const char *name)
{
	if (!strncmp(name, "ff_", 3))
		return (unsigned int)strtoul(name + 3, NULL, 10);
	return 0;
}

/* Count completed calls of @sc in the text: whole lines plus resumed lines. */
static unsigned int text_count(const char *fixture, const char *sc)
{
	char needle[64], resumed[64], *line = NULL;
	static const char unf[] = "<unfinished ...>";
	unsigned int n = 0;
	size_t cap = 0, len;
	ssize_t got;
	FILE *f = open_fixture(fixture);
	char *hit;

	snprintf(needle, sizeof(needle), "%s(", sc);
	snprintf(resumed, sizeof(resumed), "<... %s resumed>", sc);
	while ((got = getline(&line, &cap, f)) >= 0) {
		len = (size_t)got;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (strstr(line, resumed)) {
			n++;
			continue;
		}
		hit = strstr(line, needle);
		if (!hit || (hit != line && hit[-1] != ' '))
			continue;
		if (len >= sizeof(unf) - 1 &&
		    !strcmp(line + len - (sizeof(unf) - 1), unf))
			continue;
		n++;
	}
	free(line);
	fclose(f);
	return n;
}

static void test_fixtures_parse(void **state)
{
	static const char *const names[] = {
		"mmap", "munmap", "mprotect", "mremap", "madvise", "brk",
		"openat", "close", "dup", "memfd_create", "clone", "clone3",
		"execve", "exit_group",
	};
	unsigned int counts[sizeof(names) / sizeof(names[0])];
	struct strace_parser p;
	struct strace_event ev;
	size_t i, k;
	int ret;

	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		FILE *f = open_fixture(fixtures[i]);
		unsigned int events = 0;

		memset(counts, 0, sizeof(counts));
		strace_parser_init(&p, f, fixtures[i], ff_pid(fixtures[i]));
		while ((ret = strace_next(&p, &ev)) == 1) {
			events++;
			if (ev.kind == STRACE_INCOMPLETE)
				fail_msg("%s: incomplete %s at line %lu",
					 fixtures[i], ev.name, ev.line);
			if (ev.kind != STRACE_SYSCALL)
				continue;
			for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
				if (!strcmp(ev.name, names[k]))
					counts[k]++;
		}
		if (ret)
			fail_msg("%s", p.error);
		assert_true(events > 10);
		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (counts[k] != text_count(fixtures[i], names[k]))
				fail_msg("%s: %s: parsed %u, text %u", fixtures[i],
					 names[k], counts[k],
					 text_count(fixtures[i], names[k]));
		strace_parser_release(&p);
		fclose(f);
	}
}

/* Read @fixture up to the event completed at @line. */
static void event_at(struct strace_parser *p, FILE **f, const char *fixture,
		     unsigned long line, struct strace_event *ev)
{
	*f = open_fixture(fixture);
	strace_parser_init(p, *f, fixture, ff_pid(fixture));
	for (;;) {
		assert_int_equal(strace_next(p, ev), 1);
		if (ev->line == line)
			return;
	}
}

static void done(struct strace_parser *p, FILE *f)
{
	strace_parser_release(p);
	fclose(f);
}

static void test_decode_mmap_file(void **state)
{
	struct strace_parser p;
	struct strace_event ev;
	unsigned long v;
	const char *path;
	int fd;
	FILE *f;

	event_at(&p, &f, "plain", 20, &ev);
	assert_int_equal(ev.kind, STRACE_SYSCALL);
	assert_int_equal(ev.pid, 12684);
	assert_string_equal(ev.name, "mmap");
	assert_int_equal(ev.nargs, 6);
	assert_int_equal(strace_arg_ulong(&ev, 0, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(strace_arg_ulong(&ev, 1, &v), 0);
	assert_int_equal(v, 8192);
	assert_int_equal(strace_arg_ulong(&ev, 2, &v), 0);
	assert_int_equal(v, 0x1);
	assert_int_equal(strace_arg_ulong(&ev, 3, &v), 0);
	assert_int_equal(v, 0x1);
	assert_int_equal(strace_arg_fd(&ev, 4, &fd, &path), 0);
	assert_int_equal(fd, 3);
	assert_string_equal(path, "/tmp/stp/we ird>) = 7 \"x\"");
	assert_int_equal(ev.fd_deleted, 0);
	assert_int_equal(strace_arg_ulong(&ev, 5, &v), 0);
	assert_int_equal(v, 0x1000);
	assert_false(ev.ret_unknown);
	assert_int_equal(ev.ret, 0x7fa2ea53e000L);
	assert_string_equal(ev.errname, "");
	done(&p, f);

	/* the openat whose returned path contains ") = 7" */
	event_at(&p, &f, "plain", 19, &ev);
	assert_string_equal(ev.name, "openat");
	assert_int_equal(ev.nargs, 4);
	assert_string_equal(ev.argv[1], "\"/tmp/stp/we ird>) = 7 \\\"x\\\"\"");
	assert_int_equal(strace_arg_fd(&ev, 0, &fd, &path), 0);
	assert_int_equal(fd, -100);
	assert_string_equal(path, "/tmp/stp");
	assert_string_equal(ev.ret_path, "/tmp/stp/we ird>) = 7 \"x\"");
	assert_false(ev.ret_deleted);
	assert_int_equal(strace_arg_ulong(&ev, 2, &v), 0);
	assert_int_equal(v, 02 | 0100 | 01000);
	assert_int_equal(ev.ret, 3);
	done(&p, f);

	/* memfd path with "(deleted)" */
	event_at(&p, &f, "plain", 27, &ev);
	assert_string_equal(ev.name, "dup");
	assert_int_equal(strace_arg_fd(&ev, 0, &fd, &path), 0);
	assert_int_equal(fd, 4);
	assert_string_equal(path, "/memfd:arena \"x\"");
	assert_int_equal(ev.fd_deleted, 1);
	assert_int_equal(ev.ret, 5);
	assert_string_equal(ev.ret_path, "/memfd:arena \"x\"");
	assert_true(ev.ret_deleted);
	done(&p, f);
}

static void test_decode_failed_and_flags(void **state)
{
	struct strace_parser p;
	struct strace_event ev;
	unsigned long v;
	FILE *f;

	event_at(&p, &f, "plain", 22, &ev);
	assert_int_equal(ev.ret, -1);
	assert_string_equal(ev.errname, "ENOMEM");
	assert_int_equal(strace_arg_ulong(&ev, 0, &v), 0);
	assert_int_equal(v, 0x100000);
	assert_int_equal(strace_arg_ulong(&ev, 1, &v), 0);
	assert_int_equal(v, 1UL << 50);
	assert_int_equal(strace_arg_ulong(&ev, 3, &v), 0);
	assert_int_equal(v, 0x2 | 0x10 | 0x20);
	done(&p, f);

	event_at(&p, &f, "plain", 25, &ev);
	assert_string_equal(ev.name, "mremap");
	assert_int_equal(strace_arg_ulong(&ev, 3, &v), 0);
	assert_int_equal(v, 1);
	done(&p, f);

	event_at(&p, &f, "plain", 126, &ev);
	assert_string_equal(ev.name, "clone");
	assert_int_equal(strace_arg_ulong(&ev, 1, &v), 0);
	assert_int_equal(v, 0x200000 | 0x1000000 | 17);
	done(&p, f);

	event_at(&p, &f, "plain", 128, &ev);
	assert_string_equal(ev.name, "exit_group");
	assert_true(ev.ret_unknown);
	assert_int_equal(strace_next(&p, &ev), 1);
	assert_int_equal(ev.kind, STRACE_EXITED);
	assert_int_equal(ev.pid, 12688);
	assert_int_equal(ev.status, 3);
	assert_int_equal(strace_next(&p, &ev), 1);
	assert_int_equal(ev.kind, STRACE_SIGNAL);
	assert_string_equal(ev.signame, "SIGCHLD");
	done(&p, f);
}

static void test_resumed_pair(void **state)
{
	struct strace_parser p;
	struct strace_event ev;
	FILE *f;

	event_at(&p, &f, "plain", 56, &ev);
	assert_int_equal(ev.kind, STRACE_SYSCALL);
	assert_string_equal(ev.name, "clone3");
	assert_int_equal(ev.pid, 12684);
	assert_int_equal(ev.nargs, 2);
	assert_non_null(strstr(ev.argv[0], "tls=0x7fa2e9b4e6c0} => {parent_tid=[12686]}"));
	assert_string_equal(ev.argv[1], "88");
	assert_int_equal(ev.ret, 12686);
	done(&p, f);
}

static void test_xverbose(void **state)
{
	struct strace_parser p;
	struct strace_event ev;
	unsigned long v;
	FILE *f = open_fixture("xverbose");
	unsigned int n = 0;

	strace_parser_init(&p, f, "xverbose", 0);
	while (strace_next(&p, &ev) == 1) {
		if (ev.kind != STRACE_SYSCALL || strcmp(ev.name, "mmap"))
			continue;
		assert_int_equal(strace_arg_ulong(&ev, 2, &v), 0);
		assert_true(v <= 7);
		assert_int_equal(strace_arg_ulong(&ev, 3, &v), 0);
		if (strstr(ev.argv[3], "MAP_ANONYMOUS"))
			assert_true(v & 0x20);
		n++;
	}
	assert_true(n > 10);
	done(&p, f);
}

static void test_exec_from_thread(void **state)
{
	struct strace_parser p;
	struct strace_event ev;
	FILE *f;

	event_at(&p, &f, "texec", 35, &ev);
	assert_int_equal(ev.kind, STRACE_SUPERSEDED);
	assert_int_equal(ev.pid, 12740);
	assert_int_equal(ev.status, 12741);
	assert_int_equal(strace_next(&p, &ev), 1);
	assert_int_equal(ev.kind, STRACE_SYSCALL);
	assert_string_equal(ev.name, "execve");
	assert_int_equal(ev.pid, 12740);
	assert_int_equal(ev.line, 36);
	assert_int_equal(ev.nargs, 3);
	assert_string_equal(ev.argv[0], "\"/bin/true\"");
	assert_int_equal(ev.ret, 0);
	done(&p, f);
}

/* Parse a log given as a string; returns the last strace_next() result. */
static int parse_text(const char *text, const char *expect_error,
		      unsigned int want_events)
{
	struct strace_parser p;
	struct strace_event ev;
	unsigned int events = 0;
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	assert_non_null(f);
	strace_parser_init(&p, f, "in", 0);
	while ((ret = strace_next(&p, &ev)) == 1)
		events++;
	if (expect_error) {
		assert_int_equal(ret, -EINVAL);
		if (strncmp(p.error, expect_error, strlen(expect_error)))
			fail_msg("got \"%s\", want \"%s...\"", p.error, expect_error);
	} else {
		if (ret)
			fail_msg("%s", p.error);
		assert_int_equal(events, want_events);
	}
	strace_parser_release(&p);
	fclose(f);
	return ret;
}

static void test_prefixes_and_corners(void **state)
{
	struct strace_parser p;
	struct strace_event ev;
	static const char text[] =
		"[pid  5538] 12:00:01 munmap(0x7f0000000000, 16384) = 0\n"
		"strace: Process 5539 attached\n"
		"5539<a b> 1.5 mmap(NULL, 4096, PROT_READ, MAP_SHARED, 7</a\\76b>(deleted), 0) = 0x1000 <0.000012>\n"
		" > /usr/lib/libc.so.6(mmap64+0x1a) [0x1234]\n"
		"5540  pause( <unfinished ...>\n"
		"5541  execve(\"/bin/true\", [\"x\"], 0x1 /* 3 vars */ <pid changed to 5542 ...>\n"
		"5542  +++ superseded by execve in pid 5541 +++\n"
		"5542  <... execve resumed>) = 0\n"
		"5543  rt_sigreturn({mask=[]}) = ? ERESTARTNOHAND (To be restarted if no handler)\n"
		"5543  --- stopped by SIGSTOP ---\n"
		"5540  +++ killed by SIGKILL (core dumped) +++\n"
		"5544  restart_syscall(<... resuming interrupted clock_nanosleep ...>) = 0\n"
		"5545  mmap(0x1000, 8192, 0x3 /* PROT_READ|PROT_WRITE */, MAP_HUGETLB|21<<MAP_HUGE_SHIFT, -1, 0) = -1 EINVAL (Invalid argument)\n"
		"5546  madvise(0x1000, 4096, MADV_DONTNEED\n";
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
	unsigned long v;

	strace_parser_init(&p, f, "x", 0);
	assert_int_equal(strace_next(&p, &ev), 1);
	assert_int_equal(ev.pid, 5538);
	assert_string_equal(ev.name, "munmap");
	assert_int_equal(strace_next(&p, &ev), 1);
	assert_int_equal(ev.pid, 5539);
	assert_int_equal(ev.line, 3);
	assert_int_equal(ev.ret, 0x1000);
	assert_string_equal(ev.fdpath[4], "/a>b");
	assert_int_equal(ev.fd_deleted, 1U << 4);
	assert_null(ev.fdpath[3]);
	assert_int_equal(strace_next(&p, &ev), 1);
	assert_int_equal(ev.kind, STRACE_SUPERSEDED);
	assert_int_equal(strace_next(&p, &ev), 1);
	assert_string_equal(ev.name, "execve");
	assert_int_equal(ev.pid, 5542);
	assert_int_equal(strace_next(&p, &ev), 1);
	assert_true(ev.ret_unknown);
	assert_string_equal(ev.errname, "ERESTARTNOHAND");
	assert_int_equal(strace_next(&p, &ev), 1);
	assert_int_equal(ev.kind, STRACE_SIGNAL);
	assert_string_equal(ev.signame, "SIGSTOP");
	assert_int_equal(strace_next(&p, &ev), 1);
	assert_int_equal(ev.kind, STRACE_INCOMPLETE);
	assert_string_equal(ev.name, "pause");
	assert_int_equal(ev.line, 5);
	assert_int_equal(strace_next(&p, &ev), 1);
	assert_int_equal(ev.kind, STRACE_KILLED);
	assert_string_equal(ev.signame, "SIGKILL");
	assert_true(ev.core_dumped);
	assert_int_equal(strace_next(&p, &ev), 1);
	assert_string_equal(ev.name, "restart_syscall");
	assert_int_equal(strace_next(&p, &ev), 1);
	assert_string_equal(ev.errname, "EINVAL");
	assert_int_equal(strace_arg_ulong(&ev, 2, &v), 0);
	assert_int_equal(v, 3);
	/* a huge page size: N<<MAP_HUGE_SHIFT */
	assert_int_equal(strace_arg_ulong(&ev, 3, &v), 0);
	assert_int_equal(v, 0x40000UL | 21UL << 26);
	assert_int_equal(strace_next(&p, &ev), -EINVAL);
	assert_string_equal(p.error, "x:14: unbalanced argument list");
	assert_int_equal(strace_next(&p, &ev), 0);
	done(&p, f);

	/* an unfinished call at EOF */
	parse_text("1 mmap(NULL, 4096 <unfinished ...>\n", NULL, 1);
}

static void test_fd_args(void **state)
{
	static const char text[] =
		"1 mmap(NULL, 4096, PROT_READ, MAP_SHARED, 0xffffffff, 0) = -1 EBADF (Bad file descriptor)\n"
		"1 close(3</tmp/weird\\012name\\\\x>) = 0\n"
		"1 dup2(-1, PROT_READ) = 0\n";
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct strace_parser p;
	struct strace_event ev;
	const char *path;
	int fd;

	strace_parser_init(&p, f, "fd", 0);
	assert_int_equal(strace_next(&p, &ev), 1);
	assert_string_equal(ev.errname, "EBADF");
	assert_int_equal(strace_arg_fd(&ev, 4, &fd, &path), 0);
	assert_int_equal(fd, -1);
	assert_null(path);
	assert_int_equal(strace_arg_fd(&ev, 6, &fd, &path), -EINVAL);
	assert_int_equal(strace_next(&p, &ev), 1);
	assert_int_equal(strace_arg_fd(&ev, 0, &fd, &path), 0);
	assert_int_equal(fd, 3);
	assert_string_equal(path, "/tmp/weird\nname\\x");
	assert_int_equal(strace_next(&p, &ev), 1);
	assert_int_equal(strace_arg_fd(&ev, 0, &fd, &path), 0);
	assert_int_equal(fd, -1);
	assert_int_equal(strace_next(&p, &ev), 0);
	done(&p, f);
}

static void test_numbers(void **state)
{
	unsigned long v;

	assert_int_equal(strace_parse_ulong("NULL", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(strace_parse_ulong("0xffffffffffffffff", &v), 0);
	assert_int_equal(v, ~0UL);
	assert_int_equal(strace_parse_ulong("-1", &v), 0);
	assert_int_equal(v, ~0UL);
	assert_int_equal(strace_parse_ulong("PROT_READ|PROT_WRITE|PROT_EXEC", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(strace_parse_ulong("MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED", &v), 0);
	assert_int_equal(v, 0x32);
	assert_int_equal(strace_parse_ulong("MREMAP_MAYMOVE|MREMAP_FIXED", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(strace_parse_ulong("MCL_CURRENT|MCL_FUTURE", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(strace_parse_ulong("MADV_DONTFORK", &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(strace_parse_ulong("O_RDWR|O_CLOEXEC", &v), 0);
	assert_int_equal(v, 02000002);
	assert_int_equal(strace_parse_ulong("0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */", &v), 0);
	assert_int_equal(v, 0x22);
	assert_int_equal(strace_parse_ulong("PROT_READ|0x10", &v), 0);
	assert_int_equal(v, 0x11);
	assert_int_equal(strace_parse_ulong("PROT_BOGUS", &v), -EINVAL);
	assert_int_equal(strace_parse_ulong("PROT_READ|", &v), -EINVAL);
	assert_int_equal(strace_parse_ulong("", &v), -EINVAL);
	assert_int_equal(strace_parse_ulong("12abc", &v), -EINVAL);
	assert_int_equal(strace_parse_ulong("0x3 /* x", &v), -EINVAL);
	assert_int_equal(strace_parse_ulong("0x11111111111111111", &v), -EINVAL);
}

static void test_malformed(void **state)
{
	parse_text("1 mmap(NULL, 4096 = 0\n", "in:1: unbalanced", 0);
	parse_text("1 mmap(NULL) = 0\n2 mmap(\"abc) = 0\n", "in:2: unbalanced", 0);
	parse_text("1 mmap(NULL) 0\n", "in:1: expected '= '", 0);
	parse_text("1 mmap(NULL) = zz\n", "in:1: bad return value", 0);
	parse_text("1 mmap(NULL) = 0 trailing\n", "in:1: unexpected text", 0);
	parse_text("\n1 <... mmap resumed>) = 0\n", "in:2: mmap resumed for pid 1 without", 0);
	parse_text("1 mmap(1 <unfinished ...>\n1 <... munmap resumed>) = 0\n",
		   "in:2: munmap resumed for pid 1, but mmap", 0);
	parse_text("1 mmap(1 <unfinished ...>\n1 mmap(1 <unfinished ...>\n",
		   "in:2: pid 1 has an unfinished call", 0);
	parse_text("1 +++ exited with x +++\n", "in:1: bad exit status", 0);
	parse_text("1 +++ exploded +++\n", "in:1: unknown +++ line", 0);
	parse_text("1 --- SIGSEGV {si_signo=SIGSEGV ---\n", "in:1: bad siginfo", 0);
	parse_text("1 --- SIGSEGV\n", "in:1: signal line", 0);
	parse_text("[pid x] mmap() = 0\n", "in:1: bad [pid N] prefix", 0);
	parse_text("mmap() = 0\n", "in:1: bad pid", 0);
	parse_text("1 12:00 mmap(]) = 0\n", "in:1: unbalanced", 0);
	parse_text("1 mmap(a, b, c, d, e, f, g, h, i) = 0\n", "in:1: more than 8", 0);
	parse_text("1 mmap(3</x) = 0\n", "in:1: unbalanced", 0);
	parse_text("1 mmap() = 3</x\n", "in:1: unterminated fd path", 0);
	parse_text("1 (x) = 0\n", "in:1: expected a syscall name", 0);
	parse_text("1 mmap(/* x) = 0\n", "in:1: unbalanced", 0);
	parse_text("1 a(1 <pid changed to x ...>\n", "in:1: bad <pid changed", 0);
}

static void test_random_bytes(void **state)
{
	static const char alphabet[] = "0123456789 ()[]{}<>\"\\,=?-+|/*.:xmapNULSIGE\n\t";
	struct strace_parser p;
	struct strace_event ev;
	char buf[512];
	unsigned int seed = 12345, it, i, n;
	int ret, guard;

	for (it = 0; it < 5000; it++) {
		n = (seed = seed * 1103515245 + 12345) % sizeof(buf);
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			buf[i] = (it & 1) ? (char)(seed >> 16) :
				 alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		FILE *f = fmemopen(buf, n ? n : 1, "r");

		assert_non_null(f);
		strace_parser_init(&p, f, "rnd", 1);
		for (guard = 0; guard < 10000; guard++) {
			ret = strace_next(&p, &ev);
			if (ret == 0)
				break;
			if (ret < 0)
				assert_int_equal(strncmp(p.error, "rnd:", 4), 0);
		}
		assert_true(guard < 10000);
		strace_parser_release(&p);
		fclose(f);
	}
}

/* Real lines with a few bytes changed: errors are fine, crashes are not. */
static void test_mutated_fixture(void **state)
{
	static const char junk[] = "()[]{}<>\",\\ =?|/*\n";
	struct strace_parser p;
	struct strace_event ev;
	FILE *f = open_fixture("plain");
	unsigned int seed = 777, it, k;
	char *text, *copy;
	long size;
	int ret, guard;

	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size > 0);
	rewind(f);
	text = malloc((size_t)size);
	copy = malloc((size_t)size);
	assert_non_null(text);
	assert_non_null(copy);
	assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	for (it = 0; it < 2000; it++) {
		memcpy(copy, text, (size_t)size);
		for (k = 0; k < 1 + it % 4; k++) {
			seed = seed * 1103515245 + 12345;
			copy[(seed >> 8) % (unsigned long)size] =
				junk[(seed >> 20) % (sizeof(junk) - 1)];
		}
		f = fmemopen(copy, (size_t)size, "r");
		assert_non_null(f);
		strace_parser_init(&p, f, "mut", 0);
		for (guard = 0; guard < 100000; guard++) {
			ret = strace_next(&p, &ev);
			if (!ret)
				break;
			if (ret < 0)
				assert_int_equal(strncmp(p.error, "mut:", 4), 0);
		}
		assert_true(guard < 100000);
		done(&p, f);
	}
	free(text);
	free(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_parse),
		cmocka_unit_test(test_decode_mmap_file),
		cmocka_unit_test(test_decode_failed_and_flags),
		cmocka_unit_test(test_resumed_pair),
		cmocka_unit_test(test_xverbose),
		cmocka_unit_test(test_exec_from_thread),
		cmocka_unit_test(test_prefixes_and_corners),
		cmocka_unit_test(test_fd_args),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_mutated_fixture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
