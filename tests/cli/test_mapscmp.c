/* SPDX-License-Identifier: MIT */
/*
 * test_mapscmp.c - the comparison rules of the recording format
 * (src/cli/mapscmp.c): what two maps lines must agree on and what they
 * need not, malformed input, and the unified diff `vmasim check` prints.
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

#include "mapscmp.h"

static bool equal(const char *a, const char *b)
{
	struct maps_layout la, lb;
	bool eq;

	assert_int_equal(maps_layout_parse(&la, a, strlen(a)), 0);
	assert_int_equal(maps_layout_parse(&lb, b, strlen(b)), 0);
	eq = maps_layout_equal(&la, &lb);
	maps_layout_release(&la);
	maps_layout_release(&lb);
	return eq;
}

static void test_rules(void **state)
{
	const char *file = "7f0000000000-7f0000002000 r--p 00002000 fe:00 42"
			   "                         /usr/lib/libc.so.6\n";

	(void)state;
	/* device and inode, and the padding, are not compared */
	assert_true(equal(file, "7f0000000000-7f0000002000 r--p 00002000 00:00 0 "
			  "/usr/lib/libc.so.6\n"));
	/* offset, path, permissions and range are */
	assert_false(equal(file, "7f0000000000-7f0000002000 r--p 00003000 fe:00 42 "
			   "/usr/lib/libc.so.6\n"));
	assert_false(equal(file, "7f0000000000-7f0000002000 r--p 00002000 fe:00 42 "
			   "/usr/lib/libm.so.6\n"));
	assert_false(equal(file, "7f0000000000-7f0000002000 r--s 00002000 fe:00 42 "
			   "/usr/lib/libc.so.6\n"));
	assert_false(equal(file, "7f0000000000-7f0000003000 r--p 00002000 fe:00 42 "
			   "/usr/lib/libc.so.6\n"));
	/* " (deleted)" is not */
	assert_true(equal("1000-2000 rw-s 00000000 00:01 4 /memfd:x (deleted)\n",
			  "1000-2000 rw-s 00000000 00:00 0 /memfd:x\n"));
	/* anonymous memory: the offset (its pgoff) is not compared */
	assert_true(equal("1000-2000 rw-p 00000001 00:00 0 \n",
			  "1000-2000 rw-p 00000000 00:00 0\n"));
	/* special names are, against each other and against nothing */
	assert_false(equal("1000-2000 rw-p 00000000 00:00 0 [heap]\n",
			   "1000-2000 rw-p 00000000 00:00 0 \n"));
	assert_false(equal("1000-2000 r--p 00000000 00:00 0 [vvar]\n",
			   "1000-2000 r--p 00000000 00:00 0 [vdso]\n"));
	/* a missing line is a difference; blank lines are not lines */
	assert_false(equal("1000-2000 rw-p 00000000 00:00 0\n", ""));
	assert_true(equal("1000-2000 rw-p 00000000 00:00 0\n\n",
			  "1000-2000 rw-p 00000000 00:00 0"));
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"1000 rw-p 00000000 00:00 0\n",		/* no end */
		"1000-2000 rw 00000000 00:00 0\n",	/* short perms */
		"1000-2000 rw-p\n",			/* no offset */
		"1000-2000 rw-p 0 00:00\n",		/* no inode */
		"zz-2000 rw-p 0 00:00 0\n",
	};
	struct maps_layout l;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(maps_layout_parse(&l, bad[i], strlen(bad[i])),
				 -EINVAL);
		assert_null(l.lines);
	}
}

static void test_stack_only(void **state)
{
	const char *rec = "1000-2000 rw-p 00000000 00:00 0\n"
			  "7ffffffd8000-7ffffffff000 rw-p 00000000 00:00 0 [stack]\n";
	const char *sim = "1000-2000 rw-p 00000000 00:00 0\n"
			  "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 [stack]\n";
	const char *other = "1000-3000 rw-p 00000000 00:00 0\n"
			    "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 [stack]\n";
	struct maps_layout a, b, c;

	(void)state;
	assert_int_equal(maps_layout_parse(&a, rec, strlen(rec)), 0);
	assert_int_equal(maps_layout_parse(&b, sim, strlen(sim)), 0);
	assert_int_equal(maps_layout_parse(&c, other, strlen(other)), 0);
	assert_false(maps_layout_equal(&a, &b));
	assert_true(maps_layout_equal_but_stack(&a, &b));
	assert_false(maps_layout_equal_but_stack(&a, &c));
	maps_layout_release(&a);
	maps_layout_release(&b);
	maps_layout_release(&c);
}

static void test_diff(void **state)
{
	const char *want = "1000-2000 rw-p 00000000 00:00 0\n"
			   "3000-4000 r--p 00000000 00:00 0\n"
			   "5000-6000 rw-p 00000000 00:00 0\n"
			   "7000-8000 rw-p 00000000 00:00 0\n";
	const char *got = "1000-2000 rw-p 00000000 00:00 0\n"
			  "3000-5000 r--p 00000000 00:00 0\n"
			  "5000-6000 rw-p 00000000 00:00 0\n"
			  "7000-8000 rw-p 00000000 00:00 0\n";
	struct maps_layout a, b;
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	(void)state;
	assert_int_equal(maps_layout_parse(&a, want, strlen(want)), 0);
	assert_int_equal(maps_layout_parse(&b, got, strlen(got)), 0);
	assert_int_equal(maps_layout_first_difference(&a, &b), 1);
	out = open_memstream(&text, &len);
	assert_non_null(out);
	maps_layout_diff(out, &a, "recorded", &b, "simulated");
	fclose(out);
	assert_string_equal(text,
			    "--- recorded\n"
			    "+++ simulated\n"
			    "@@ -1,4 +1,4 @@\n"
			    " 1000-2000 rw-p 00000000 00:00 0\n"
			    "-3000-4000 r--p 00000000 00:00 0\n"
			    "+3000-5000 r--p 00000000 00:00 0\n"
			    " 5000-6000 rw-p 00000000 00:00 0\n"
			    " 7000-8000 rw-p 00000000 00:00 0\n");
	free(text);
	maps_layout_release(&a);
	maps_layout_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_stack_only),
		cmocka_unit_test(test_diff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
