/* SPDX-License-Identifier: MIT */
/*
 * helpers.c - test helpers for cmocka tests of the VMA layer (see
 * helpers.h): mm set-up and tear-down, layout comparison against
 * mm_show_maps(), invariant assertions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mtree/rcu.h>
#include <vmasim/vma.h>

#include "helpers.h"

/* Width of the "expected" column of a side-by-side report. */
#define REPORT_COLUMN	64

/**
 * struct layout_line - the compared fields of one maps line.
 * @start, @end, @offset: the numbers
 * @perms: the permission characters, NUL-terminated
 * @name: the name, "" if none
 * @text: the line as written (trimmed), for reports
 * @ok: the line could be parsed
 */
struct layout_line {
	unsigned long start;
	unsigned long end;
	unsigned long offset;
	char perms[8];
	char *name;
	char *text;
	bool ok;
};

struct layout {
	struct layout_line *lines;
	size_t nr;
};

struct mm_struct *test_mm_new(void)
{
	struct mm_struct *mm = calloc(1, sizeof(*mm));
	struct mm_limits limits;

	assert_non_null(mm);
	mm_limits_default(&limits);
	assert_int_equal(mm_init(mm, TEST_MMAP_BASE, false, &limits), 0);
	return mm;
}

void test_mm_free(struct mm_struct *mm)
{
	if (!mm)
		return;
	exit_mmap(mm);
	free(mm);
	/* Let nodes freed after a grace period go before leak checks. */
	mt_rcu_barrier();
}

struct mm_struct *test_mm_load(const char *maps)
{
	struct mm_struct *mm = test_mm_new();
	char *err = NULL;
	FILE *in;
	int ret;

	in = fmemopen((void *)maps, strlen(maps), "r");
	assert_non_null(in);
	ret = mm_load_maps(mm, in, "snapshot", &err);
	fclose(in);
	if (ret) {
		print_error("mm_load_maps: %d: %s\n", ret, err ? err : "?");
		free(err);
		test_mm_free(mm);
		fail();
	}
	return mm;
}

char *test_show_maps(struct mm_struct *mm)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *out;
	int ret;

	out = open_memstream(&buf, &size);
	assert_non_null(out);
	mmap_read_lock(mm);
	ret = mm_show_maps(mm, out);
	mmap_read_unlock(mm);
	assert_int_equal(fclose(out), 0);
	assert_int_equal(ret, 0);
	return buf;
}

/* Copy of [s, e) with leading and trailing blanks removed. */
static char *trimmed(const char *s, const char *e)
{
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	return strndup(s, (size_t)(e - s));
}

static bool parse_hex(const char **pp, unsigned long *val)
{
	char *end;

	if (!isxdigit((unsigned char)**pp))
		return false;
	*val = strtoul(*pp, &end, 16);
	*pp = end;
	return true;
}

static void skip_blanks(const char **pp)
{
	while (**pp == ' ' || **pp == '\t')
		(*pp)++;
}

/* Skip a field made of non-blank characters; false if there is none. */
static bool skip_field(const char **pp)
{
	const char *p = *pp;

	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (p == *pp)
		return false;
	*pp = p;
	return true;
}

/*
 * Parse "START-END PERMS OFFSET [DEV INODE] [NAME]": @full says the line
 * comes from mm_show_maps() and has the device and inode fields.
 */
static void parse_layout_line(struct layout_line *ll, bool full)
{
	const char *p = ll->text;
	size_t n;

	ll->ok = false;
	if (!parse_hex(&p, &ll->start) || *p++ != '-' ||
	    !parse_hex(&p, &ll->end))
		return;
	skip_blanks(&p);
	n = 0;
	while (p[n] && p[n] != ' ' && p[n] != '\t')
		n++;
	if (n == 0 || n >= sizeof(ll->perms))
		return;
	memcpy(ll->perms, p, n);
	ll->perms[n] = '\0';
	p += n;
	skip_blanks(&p);
	if (!parse_hex(&p, &ll->offset))
		return;
	if (full) {
		skip_blanks(&p);
		if (!skip_field(&p))	/* device */
			return;
		skip_blanks(&p);
		if (!skip_field(&p))	/* inode */
			return;
	}
	if (*p && *p != ' ' && *p != '\t')
		return;
	skip_blanks(&p);
	ll->name = strdup(p);
	ll->ok = ll->name != NULL;
}

/* For reports: runs of blanks (the padding before a name) become one. */
static void squeeze_blanks(char *s)
{
	const char *p;
	char *q = s;

	for (p = s; *p; p++) {
		if (*p == ' ' && q > s && q[-1] == ' ')
			continue;
		*q++ = *p;
	}
	*q = '\0';
}

/*
 * Split @text into lines and parse them; @full as for parse_layout_line(),
 * and then the [vsyscall] line is dropped.
 */
static void parse_layout(struct layout *lo, const char *text, bool full)
{
	const char *s = text;

	lo->lines = NULL;
	lo->nr = 0;
	while (*s) {
		const char *e = strchr(s, '\n');
		struct layout_line *ll;
		char *line;

		if (!e)
			e = s + strlen(s);
		line = trimmed(s, e);
		assert_non_null(line);
		s = *e ? e + 1 : e;
		if (!*line || (full && strstr(line, "[vsyscall]"))) {
			free(line);
			continue;
		}
		lo->lines = realloc(lo->lines, (lo->nr + 1) * sizeof(*ll));
		assert_non_null(lo->lines);
		ll = &lo->lines[lo->nr++];
		memset(ll, 0, sizeof(*ll));
		ll->text = line;
		parse_layout_line(ll, full);
		if (full)
			squeeze_blanks(line);
	}
}

static void free_layout(struct layout *lo)
{
	size_t i;

	for (i = 0; i < lo->nr; i++) {
		free(lo->lines[i].text);
		free(lo->lines[i].name);
	}
	free(lo->lines);
}

static bool layout_lines_equal(const struct layout_line *a,
			       const struct layout_line *b)
{
	return a->ok && b->ok && a->start == b->start && a->end == b->end &&
	       a->offset == b->offset && !strcmp(a->perms, b->perms) &&
	       !strcmp(a->name, b->name);
}

/* Both layouts side by side, "!" marking the lines that differ. */
static void print_side_by_side(const struct layout *exp,
			       const struct layout *act)
{
	size_t i, nr = exp->nr > act->nr ? exp->nr : act->nr;

	print_error("%-2s%-*s %s\n", "", REPORT_COLUMN, "expected", "actual");
	for (i = 0; i < nr; i++) {
		const struct layout_line *e, *a;
		bool same;

		e = i < exp->nr ? &exp->lines[i] : NULL;
		a = i < act->nr ? &act->lines[i] : NULL;
		same = e && a && layout_lines_equal(e, a);

		print_error("%-2s%-*s %s\n", same ? "" : "!", REPORT_COLUMN,
			    e ? e->text : "", a ? a->text : "");
	}
}

void assert_maps_at(struct mm_struct *mm, const char *expected,
		    const char *file, int line)
{
	struct layout exp, act;
	char *shown = test_show_maps(mm);
	bool equal;
	size_t i;

	parse_layout(&exp, expected, false);
	parse_layout(&act, shown, true);
	for (i = 0; i < exp.nr; i++)
		if (!exp.lines[i].ok)
			print_error("%s:%d: bad expected line \"%s\"\n", file,
				    line, exp.lines[i].text);
	equal = exp.nr == act.nr;
	for (i = 0; equal && i < exp.nr; i++)
		equal = layout_lines_equal(&exp.lines[i], &act.lines[i]);
	if (!equal)
		print_side_by_side(&exp, &act);
	free_layout(&exp);
	free_layout(&act);
	free(shown);
	if (!equal)
		_fail(file, line);
}

void assert_mm_valid_at(struct mm_struct *mm, const char *file, int line)
{
	int ret;

	mmap_read_lock(mm);
	ret = mm_validate(mm);
	mmap_read_unlock(mm);
	if (ret) {
		char *shown = test_show_maps(mm);

		print_error("%s:%d: mm_validate: %d; the layout:\n%s", file,
			    line, ret, shown);
		free(shown);
		_fail(file, line);
	}
}

const char *test_layout(struct mm_struct *mm)
{
	static char buf[1 << 16];
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma;
	size_t n = 0;

	buf[0] = 0;
	for_each_vma(vmi, vma)
		n += snprintf(buf + n, sizeof(buf) - n, "%lx-%lx %c%c%c%c\n",
			      vma->vm_start, vma->vm_end,
			      vma->vm_flags & VM_READ ? 'r' : '-',
			      vma->vm_flags & VM_WRITE ? 'w' : '-',
			      vma->vm_flags & VM_EXEC ? 'x' : '-',
			      vma->vm_flags & VM_MAYSHARE ? 's' : 'p');
	return buf;
}
