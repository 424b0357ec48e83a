/* SPDX-License-Identifier: MIT */
/*
 * mapscmp.h - comparing two /proc/PID/maps layouts by the rules of the
 * recording format, and printing how they differ as a unified diff.
 */
#ifndef VMASIM_CLI_MAPSCMP_H
#define VMASIM_CLI_MAPSCMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/**
 * struct maps_line - one line of a layout, split into the compared fields.
 * @text: the line as printed (no newline)
 * @start: first address
 * @end: end address (exclusive)
 * @perms: "rw-p"
 * @offset: file offset
 * @path: path or special name, "" for anonymous memory, without a
 *	trailing " (deleted)"
 */
struct maps_line {
	char *text;
	unsigned long start, end;
	char perms[5];
	unsigned long offset;
	const char *path;
};

/* A whole layout: lines in address order. */
struct maps_layout {
	struct maps_line *lines;
	size_t nr;
	char *buf;
};

int maps_layout_parse(struct maps_layout *l, const char *text, size_t len);
void maps_layout_release(struct maps_layout *l);
bool maps_line_equal(const struct maps_line *a, const struct maps_line *b);
size_t maps_layout_first_difference(const struct maps_layout *a,
				    const struct maps_layout *b);
bool maps_layout_equal(const struct maps_layout *a,
		       const struct maps_layout *b);
bool maps_layout_equal_but_stack(const struct maps_layout *a,
				 const struct maps_layout *b);
void maps_layout_diff(FILE *out, const struct maps_layout *a,
		      const char *a_name, const struct maps_layout *b,
		      const char *b_name);

#endif /* VMASIM_CLI_MAPSCMP_H */
