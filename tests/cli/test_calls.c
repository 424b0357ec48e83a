/* SPDX-License-Identifier: MIT */
/*
 * test_calls.c - decoding strace's text into calls (src/cli/calls.c) and
 * running them on a simulated task (src/cli/apply.c): every argument form
 * strace prints, the calls that follow the log (descriptors, clone), and
 * the errors a malformed argument gives.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vmasim/mm.h>

#include "apply.h"
#include "calls.h"
#include "strace.h"

/*
 * The parser of the last decoded line: a call's fdpath[] points into it,
 * so it lives until the next decode() (or the end of the test).
 */
static struct strace_parser parser;
static FILE *parser_in;

static void parser_drop(void)
{
	if (!parser_in)
		return;
	strace_parser_release(&parser);
	fclose(parser_in);
	parser_in = NULL;
}

/* Decode one log line; returns call_decode()'s result. */
static int decode(const char *line, struct sim_call *c, char *err, size_t n)
{
	struct strace_event ev;

	parser_drop();
	parser_in = fmemopen((void *)line, strlen(line), "r");
	assert_non_null(parser_in);
	strace_parser_init(&parser, parser_in, "t", 1);
	assert_int_equal(strace_next(&parser, &ev), 1);
	return call_decode(&ev, c, err, n);
}

static int drop_parser(void **state)
{
	(void)state;
	parser_drop();
	return 0;
}

static void decode_ok(const char *line, struct sim_call *c)
{
	char err[256] = "";

	if (decode(line, c, err, sizeof(err)))
		fail_msg("'%s': %s", line, err);
}

static void test_memory_forms(void **state)
{
	struct sim_call c;

	(void)state;
	decode_ok("mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000", &c);
	assert_int_equal(c.nr, CALL_MMAP);
	assert_int_equal(c.arg[1], 8192);
	assert_int_equal(c.arg[2], PROT_READ | PROT_WRITE);
	assert_int_equal(c.arg[3], MAP_PRIVATE | MAP_ANONYMOUS);
	assert_int_equal((long)c.arg[4], -1);

	/* -y descriptor, hex offset */
	decode_ok("mmap(0x7f11a14b5000, 1400832, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3</usr/lib/libc.so.6>, 0x26000) = 0x7f11a14b5000", &c);
	assert_int_equal(c.arg[0], 0x7f11a14b5000UL);
	assert_int_equal(c.arg[4], 3);
	assert_string_equal(c.fdpath[4], "/usr/lib/libc.so.6");
	assert_int_equal(c.arg[5], 0x26000);

	/* -X verbose and -e raw= */
	decode_ok("mprotect(0x1000, 4096, 0x3 /* PROT_READ|PROT_WRITE */) = 0", &c);
	assert_int_equal(c.arg[2], 3);
	decode_ok("mmap(0, 0x1000, 0x1, 0x22, 0xffffffff, 0) = 0x7f0000000000", &c);
	assert_int_equal(c.arg[3], MAP_PRIVATE | MAP_ANONYMOUS);
	assert_int_equal((long)c.arg[4], -1);

	/* a huge page size as strace spells it */
	decode_ok("mmap(NULL, 2097152, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT, -1, 0) = -1 ENOMEM (Cannot allocate memory)", &c);
	assert_int_equal(c.arg[3], MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
			 (21UL << 26));

	/* mremap with and without the fifth argument */
	decode_ok("mremap(0x1000, 4096, 8192, MREMAP_MAYMOVE) = 0x5000", &c);
	assert_int_equal(c.arg[3], MREMAP_MAYMOVE);
	assert_int_equal(c.arg[4], 0);
	decode_ok("mremap(0x1000, 4096, 4096, MREMAP_MAYMOVE|MREMAP_FIXED, 0x9000) = 0x9000", &c);
	assert_int_equal(c.arg[4], 0x9000);

	/* strace 6.1 prints mseal as an unknown syscall */
	decode_ok("syscall_0x1ce(0x7f0000000000, 0x2000, 0, 0, 0, 0x616d) = 0", &c);
	assert_int_equal(c.nr, CALL_MSEAL);
	assert_int_equal(c.arg[1], 0x2000);

	/* and a call vmasim does not model */
	decode_ok("read(3</etc/passwd>, \"root\"..., 832) = 832", &c);
	assert_int_equal(c.nr, CALL_UNKNOWN);
}

static void test_file_and_process_forms(void **state)
{
	struct sim_call c;
	unsigned long flags;

	(void)state;
	/* the -y path of the result wins over the argument */
	decode_ok("openat(AT_FDCWD</tmp>, \"lib/x.so\", O_RDONLY|O_CLOEXEC) = 3</usr/lib/x.so.1.2>", &c);
	assert_int_equal(c.nr, CALL_OPENAT);
	assert_int_equal((long)c.arg[0], -100);
	assert_int_equal(c.arg[2], O_RDONLY | O_CLOEXEC);
	assert_string_equal(c.path, "/usr/lib/x.so.1.2");
	/* without -y, the argument, unescaped */
	decode_ok("open(\"/tmp/a\\\"b\\\\c\\n\", O_RDWR) = 4", &c);
	assert_string_equal(c.path, "/tmp/a\"b\\c\n");
	decode_ok("openat2(AT_FDCWD, \"/x\", {flags=O_RDWR|O_CLOEXEC, resolve=0}, 24) = 5", &c);
	assert_int_equal(c.arg[2], O_RDWR | O_CLOEXEC);
	decode_ok("memfd_create(\"arena \\\"x\\\"\", MFD_CLOEXEC) = 4</memfd:arena \\\"x\\\">(deleted)", &c);
	assert_string_equal(c.path, "arena \"x\"");
	assert_int_equal(c.arg[1], MFD_CLOEXEC);
	decode_ok("fcntl(3</x>, F_DUPFD_CLOEXEC, 10) = 10</x>", &c);
	assert_int_equal(c.arg[1], F_DUPFD_CLOEXEC);
	assert_int_equal(c.arg[2], 10);
	decode_ok("close_range(3, 4294967295, CLOSE_RANGE_CLOEXEC) = 0", &c);
	assert_int_equal(c.arg[1], 0xffffffffUL);
	assert_int_equal(c.arg[2], 4);

	decode_ok("clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0) = 77", &c);
	assert_int_equal(c.arg[0], 0x200000UL | 0x1000000UL | 17);	/* CHILD_CLEARTID|CHILD_SETTID */
	decode_ok("clone3({flags=CLONE_VM|CLONE_THREAD|CLONE_SIGHAND, child_tid=0x7f, exit_signal=0} => {parent_tid=[78]}, 88) = 78", &c);
	assert_int_equal(c.arg[0], CLONE_VM | CLONE_THREAD | CLONE_SIGHAND);
	assert_int_equal(call_clone_flags("vfork", "", &flags), 0);
	assert_int_equal(flags, CLONE_VM | CLONE_VFORK);
	assert_int_equal(call_clone_flags("clone3", "{flags=CLONE_VM, stack=0x1", &flags), 0);
	assert_int_equal(flags, CLONE_VM);
	assert_int_equal(call_clone_flags("mmap", "", &flags), -EINVAL);

	assert_int_equal(call_errno("ENOMEM"), ENOMEM);
	assert_int_equal(call_errno("ERESTARTNOHAND"), 514);
	assert_int_equal(call_errno("EBOGUS"), 0);
}

static void test_errors(void **state)
{
	static const struct {
		const char *line, *err;
	} bad[] = {
		{ "mmap(NULL, 4096, PROT_BOGUS, MAP_PRIVATE, -1, 0) = 0x1000",
		  "mmap: argument 3 'PROT_BOGUS' is not a number" },
		{ "munmap(0x1000) = 0", "munmap: argument 2 is missing" },
		{ "mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0) = 0x1000",
		  "mmap: argument 5 'fd' is not a descriptor" },
		{ "openat(AT_FDCWD, notastring, O_RDONLY) = 3",
		  "openat: argument 2 'notastring' is not a string" },
		{ "clone3({stack=0x1} => {parent_tid=[5]}, 88) = 5",
		  "clone3: no readable flags= in" },
	};
	struct sim_call c;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(decode(bad[i].line, &c, err, sizeof(err)),
				 -EINVAL);
		if (strncmp(err, bad[i].err, strlen(bad[i].err)))
			fail_msg("'%s': '%s', not '%s'", bad[i].line, err,
				 bad[i].err);
	}
}

static void test_apply_follows_the_log(void **state)
{
	struct apply_opts opts = { .lenient = true };
	struct vm_sim *sim = vm_sim_new(NULL);
	struct task *t;
	struct sim_call c;

	(void)state;
	assert_non_null(sim);
	t = vm_task_create(sim, 10, 0x7ffff7fff000UL, false);
	assert_non_null(t);

	/* open() installs its description where the log says */
	decode_ok("openat(AT_FDCWD, \"/lib/a.so\", O_RDONLY) = 7</usr/lib/a.so>", &c);
	assert_int_equal(call_apply(t, &c, 7, &opts), 7);
	assert_non_null(vm_fd_get(t, 7));
	/* a descriptor the simulator never saw opened becomes a placeholder */
	decode_ok("dup(5</dev/pts/0>) = 8</dev/pts/0>", &c);
	assert_int_equal(call_apply(t, &c, 8, &opts), 8);
	assert_int_equal(opts.placeholder_files, 1);
	assert_non_null(vm_fd_get(t, 5));
	/* a failed open is not run */
	decode_ok("openat(AT_FDCWD, \"/nope\", O_RDONLY) = -1 ENOENT (No such file or directory)", &c);
	assert_int_equal(call_apply(t, &c, -ENOENT, &opts), -ENOENT);
	/* memfd_create lands on the logged descriptor */
	decode_ok("memfd_create(\"m\", 0) = 12</memfd:m>(deleted)", &c);
	assert_int_equal(call_apply(t, &c, 12, &opts), 12);
	/* a clone makes the logged pid */
	decode_ok("clone(child_stack=NULL, flags=SIGCHLD) = 11", &c);
	assert_int_equal(call_apply(t, &c, 11, &opts), 11);
	assert_non_null(vm_task_find(sim, 11));
	/* memory calls are the simulator's own answer */
	decode_ok("mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 7</usr/lib/a.so>, 0) = 0x7ffff7ffe000", &c);
	assert_int_equal(call_apply(t, &c, 0, &opts), 0x7ffff7ffe000L);
	decode_ok("shmat(5, NULL, 0) = 0x7f0000000000", &c);
	assert_int_equal(call_apply(t, &c, 0, &opts), -ENOSYS);
	vm_sim_free(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_memory_forms, drop_parser),
		cmocka_unit_test_teardown(test_file_and_process_forms, drop_parser),
		cmocka_unit_test_teardown(test_errors, drop_parser),
		cmocka_unit_test_teardown(test_apply_follows_the_log, drop_parser),
	};

	return cmocka_run_group_tests(tests, NULL, drop_parser);
}
