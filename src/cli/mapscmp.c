/* SPDX-License-Identifier: MIT */
/*
 * mapscmp.c - layouts as the recording format compares them.
 *
 * Two maps lines agree when start, end and permissions agree and so do
 * their names: the path of a file mapping (with its offset), a special
 * name such as [heap] or [stack], or nothing for anonymous memory.  Device
 * and inode are not compared, nor is a trailing " (deleted)": whether a
 * file still has a name is outside what a log can tell.
 *
 * The diff is a longest-common-subsequence diff of lines under that
 * equality, printed as unified-diff hunks with three lines of context.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapscmp.h"

#define DIFF_CONTEXT	3
#define DIFF_MAX_CELLS	(64UL << 20)	/* LCS table bound (entries) */

static const char deleted_suffix[] = " (deleted)";

/* Split one NUL-terminated line into @ml; false if it is not a maps line. */
static bool parse_line(char *text, struct maps_line *ml)
{
	char *p = text, *end;
	size_t n, d = sizeof(deleted_suffix) - 1;
	int field;

	ml->text = text;
	ml->start = strtoul(p, &end, 16);
	if (end == p || *end != '-')
		return false;
	p = end + 1;
	ml->end = strtoul(p, &end, 16);
	if (end == p || *end != ' ' || strlen(end + 1) < 5 || end[5] != ' ')
		return false;
	memcpy(ml->perms, end + 1, 4);
	ml->perms[4] = '\0';
	p = end + 6;
	ml->offset = strtoul(p, &end, 16);
	if (end == p)
		return false;
	p = end;
	/* device and inode */
	for (field = 0; field < 2; field++) {
		while (*p == ' ')
			p++;
		if (!*p)
			return false;
		while (*p && *p != ' ')
			p++;
	}
	while (*p == ' ')
		p++;
	ml->path = p;
	n = strlen(p);
	if (n >= d && !strcmp(p + n - d, deleted_suffix))
		p[n - d] = '\0';	/* text keeps it: path is a copy below */
	return true;
}

/**
 * maps_layout_parse() - read a layout from /proc/PID/maps text.
 * @l: the layout; release with maps_layout_release()
 * @text: the text (need not be NUL-terminated)
 * @len: its length
 *
 * Return: 0; -EINVAL for a line that is not a maps line (@l is empty);
 * -ENOMEM.
 */
int maps_layout_parse(struct maps_layout *l, const char *text, size_t len)
{
	size_t i, off, n, cap = 0, nlines = 0;
	char *p, *nl;

	memset(l, 0, sizeof(*l));
	/* two copies: one for the printed text, one cut into fields */
	l->buf = malloc(2 * len + 2);
	if (!l->buf)
		return -ENOMEM;
	memcpy(l->buf, text, len);
	l->buf[len] = '\0';
	memcpy(l->buf + len + 1, text, len);
	l->buf[2 * len + 1] = '\0';
	for (i = 0; i < len; i++)
		if (text[i] == '\n')
			cap++;
	l->lines = calloc(cap + 1, sizeof(*l->lines));
	if (!l->lines) {
		maps_layout_release(l);
		return -ENOMEM;
	}
	for (off = 0; off < len; off += n + 1) {
		p = l->buf + len + 1 + off;
		nl = memchr(p, '\n', len - off);
		n = nl ? (size_t)(nl - p) : len - off;
		p[n] = '\0';
		l->buf[off + n] = '\0';
		if (!n)
			continue;
		if (!parse_line(p, &l->lines[nlines])) {
			maps_layout_release(l);
			return -EINVAL;
		}
		l->lines[nlines++].text = l->buf + off;
	}
	l->nr = nlines;
	return 0;
}

/**
 * maps_layout_release() - free what maps_layout_parse() allocated.
 * @l: the layout
 */
void maps_layout_release(struct maps_layout *l)
{
	free(l->lines);
	free(l->buf);
	memset(l, 0, sizeof(*l));
}

/**
 * maps_line_equal() - whether two lines agree under the comparison rules.
 * @a: a line
 * @b: another
 *
 * Return: true when start, end, permissions and name agree, and the
 * offset too for file mappings.
 */
bool maps_line_equal(const struct maps_line *a, const struct maps_line *b)
{
	if (a->start != b->start || a->end != b->end ||
	    strcmp(a->perms, b->perms) || strcmp(a->path, b->path))
		return false;
	if (a->path[0] && a->path[0] != '[')
		return a->offset == b->offset;
	return true;
}

/**
 * maps_layout_first_difference() - where two layouts stop agreeing.
 * @a: a layout
 * @b: another
 *
 * Return: the index of the first line that differs (or is missing from
 * the shorter layout); the common length when they are equal.
 */
size_t maps_layout_first_difference(const struct maps_layout *a,
				    const struct maps_layout *b)
{
	size_t i;

	for (i = 0; i < a->nr && i < b->nr; i++)
		if (!maps_line_equal(&a->lines[i], &b->lines[i]))
			break;
	return i;
}

/**
 * maps_layout_equal() - whether two layouts agree line by line.
 * @a: a layout
 * @b: another
 *
 * Return: true if they have as many lines and every pair agrees.
 */
bool maps_layout_equal(const struct maps_layout *a,
		       const struct maps_layout *b)
{
	return a->nr == b->nr && maps_layout_first_difference(a, b) == a->nr;
}

/**
 * maps_layout_equal_but_stack() - whether two layouts agree but for where
 * their [stack] starts: the stack grows on page faults, which no log shows.
 * @a: a layout
 * @b: another
 *
 * Return: true if they agree line by line, a [stack] line on both sides
 * counting as equal when only the starts differ.
 */
bool maps_layout_equal_but_stack(const struct maps_layout *a,
				 const struct maps_layout *b)
{
	const struct maps_line *x, *y;
	size_t i;

	if (a->nr != b->nr)
		return false;
	for (i = 0; i < a->nr; i++) {
		x = &a->lines[i];
		y = &b->lines[i];
		if (maps_line_equal(x, y))
			continue;
		if (strcmp(x->path, "[stack]") || strcmp(y->path, "[stack]") ||
		    x->end != y->end || strcmp(x->perms, y->perms))
			return false;
	}
	return true;
}

/* One step of the edit script: ' ' both, '-' only in a, '+' only in b. */
struct edit {
	char op;
	size_t ai, bi;
};

/* The edit script from an LCS table of suffix lengths. */
static struct edit *lcs_script(const struct maps_layout *a,
			       const struct maps_layout *b, size_t *nr)
{
	size_t n = a->nr, m = b->nr, i, j, k = 0;
	uint32_t *t;
	struct edit *e;

	if ((n + 1) * (m + 1) > DIFF_MAX_CELLS)
		return NULL;
	t = calloc((n + 1) * (m + 1), sizeof(*t));
	e = malloc((n + m + 1) * sizeof(*e));
	if (!t || !e) {
		free(t);
		free(e);
		return NULL;
	}
#define T(i, j) t[(i) * (m + 1) + (j)]
	for (i = n; i-- > 0;)
		for (j = m; j-- > 0;)
			T(i, j) = maps_line_equal(&a->lines[i], &b->lines[j]) ?
				T(i + 1, j + 1) + 1 :
				(T(i + 1, j) > T(i, j + 1) ? T(i + 1, j) :
							     T(i, j + 1));
	for (i = 0, j = 0; i < n || j < m;) {
		if (i < n && j < m &&
		    maps_line_equal(&a->lines[i], &b->lines[j])) {
			e[k++] = (struct edit){ ' ', i++, j++ };
		} else if (i < n && (j == m || T(i + 1, j) >= T(i, j + 1))) {
			e[k++] = (struct edit){ '-', i++, j };	/* removals first */
		} else {
			e[k++] = (struct edit){ '+', i, j++ };
		}
	}
#undef T
	free(t);
	*nr = k;
	return e;
}

static void print_edit(FILE *out, const struct edit *e,
		       const struct maps_layout *a,
		       const struct maps_layout *b)
{
	const struct maps_line *ml = e->op == '+' ? &b->lines[e->bi] :
						    &a->lines[e->ai];

	fprintf(out, "%c%s\n", e->op, ml->text);
}

/* One hunk: edits [lo, hi) with their line numbers in a and b. */
static void print_hunk(FILE *out, const struct edit *e, size_t lo, size_t hi,
		       const struct maps_layout *a,
		       const struct maps_layout *b)
{
	size_t k, na = 0, nb = 0;

	for (k = lo; k < hi; k++) {
		na += e[k].op != '+';
		nb += e[k].op != '-';
	}
	fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", e[lo].ai + !!na, na,
		e[lo].bi + !!nb, nb);
	for (k = lo; k < hi; k++)
		print_edit(out, &e[k], a, b);
}

/**
 * maps_layout_diff() - print how @b differs from @a as a unified diff.
 * @out: the stream
 * @a: the expected layout
 * @a_name: its name for the "---" header
 * @b: the actual layout
 * @b_name: its name for the "+++" header
 *
 * Very large layouts (beyond the LCS table's bound) are printed whole,
 * each line marked, from the first difference on.
 */
void maps_layout_diff(FILE *out, const struct maps_layout *a,
		      const char *a_name, const struct maps_layout *b,
		      const char *b_name)
{
	size_t nr, k, lo, hi, last;
	struct edit *e;

	fprintf(out, "--- %s\n+++ %s\n", a_name, b_name);
	e = lcs_script(a, b, &nr);
	if (!e) {
		k = maps_layout_first_difference(a, b);
		for (lo = k; lo < a->nr; lo++)
			fprintf(out, "-%s\n", a->lines[lo].text);
		for (lo = k; lo < b->nr; lo++)
			fprintf(out, "+%s\n", b->lines[lo].text);
		return;
	}
	for (k = 0; k < nr;) {
		if (e[k].op == ' ') {
			k++;
			continue;
		}
		lo = k > DIFF_CONTEXT ? k - DIFF_CONTEXT : 0;
		/* extend while the next change is within 2 * context */
		for (last = k, hi = k + 1; hi < nr; hi++) {
			if (e[hi].op != ' ')
				last = hi;
			else if (hi - last > 2 * DIFF_CONTEXT)
				break;
		}
		hi = last + 1 + DIFF_CONTEXT < nr ? last + 1 + DIFF_CONTEXT : nr;
		print_hunk(out, e, lo, hi, a, b);
		k = hi;
	}
	free(e);
}
