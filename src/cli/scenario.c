/* SPDX-License-Identifier: MIT */
/*
 * scenario.c - the `vmasim scenario` command: runs scenario files on the
 * simulator (a fresh vm_sim with one task per file) or, with --kernel, on
 * the live kernel (a child process per file, scenario_live.c), checking
 * every stated result and expected layout.  scenario_parse.c reads the
 * files.
 *
 * DOC: Scenario files
 *
 * A scenario file (FILE.scn) is read line by line.  '#' starts a comment
 * (at the start of a line or after a blank, outside a "string"); blanks
 * around a line are ignored.  Each line is one of:
 *
 *   [$x =] NAME(ARGS) [= RESULT]   a call, as strace prints it
 *   $x = EXPR                      bind $x to a value
 *   window ADDR LEN                the address range expect blocks cover
 *   window none                    expect blocks cover their own lines
 *   file $f SIZE                   a new temporary file of SIZE bytes,
 *                                  opened O_RDWR; $f is its descriptor
 *   touch ADDR LEN                 write one byte to each page of
 *                                  [ADDR, ADDR+LEN): faults them in
 *   expect:                        a layout: the maps lines that follow,
 *                                  up to a blank line or a line that is
 *                                  not a maps line
 *
 * Calls: mmap, munmap, mremap, mprotect, pkey_mprotect, brk, madvise,
 * mlock, mlock2, munlock, mlockall, munlockall, mseal, open, openat,
 * creat, close, dup, dup2, dup3, fcntl and memfd_create.  Arguments are
 * written as strace prints them: numbers, NULL, flag sets
 * (PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, MADV_DONTFORK, ...),
 * "strings"; any argument may also be an expression (below), and the
 * string "$f" stands for the path of file variable $f (open("$f", O_RDWR)
 * opens a `file` again).  Descriptors 100 and 101 are reserved.
 *
 * RESULT, when given, is checked: "= 0", "= 0x500000000000", an
 * expression ("= $a+0x1000"), "= -1 ENOMEM" (the call must fail with that
 * errno; "(Cannot allocate memory)" may follow), "= -1" (it must fail,
 * with any errno) or "= ?" (not checked).  "= $x" with $x not bound yet
 * binds it, as "$x = CALL" does.  Binding a failed call's result is a
 * failure unless the stated result says it fails.  A call without a
 * RESULT passes whatever it returns.
 *
 * Expressions: numbers, $variables, + - * and parentheses, unsigned
 * 64-bit.  In calls and directives numbers are decimal unless 0x-prefixed
 * (8192, 0x2000); in expect lines they are hexadecimal as maps prints
 * them, 0x optional (500000002000, $a+0x2000, $a+2000 are all hex).
 *
 * Variables: "$x = mmap(...)" binds a call's result; "$x = EXPR" a value;
 * "file $f SIZE" and the calls that return a descriptor (open, openat,
 * creat, dup*, fcntl, memfd_create) bind a descriptor that also names its
 * file: "$f" as an expect line's path stands for that file's path.
 *
 * Expect lines are maps lines:
 *
 *   START-END PERMS [OFFSET [DEV INODE]] [PATH]
 *
 * START and END are expressions; the range's separator is the first '-'
 * outside parentheses (write "($a-0x1000)-$a" for a start below $a).
 * PERMS is "rw-p"-style.  OFFSET is compared when given; DEV and INODE
 * are never compared.  PATH is a path, a [name] ([heap]) or a file
 * variable; no PATH means anonymous memory.  A trailing " (deleted)" is
 * ignored on both sides.
 *
 * What an expect block covers: with a window in force (the last `window
 * ADDR LEN` before the block), every VMA that intersects [ADDR, ADDR+LEN)
 * must be listed, in address order, each with its full extent, and
 * nothing else; an empty block says the window is empty.  With no window
 * (or after `window none`), the block covers [lowest listed START,
 * highest listed END): every VMA intersecting that span must be listed.
 * Compared per line: start, end, permissions, path, and offset when the
 * expected line gives one.
 *
 * A window whose ADDR and LEN are constants (numbers, or variables bound
 * to values) must be page aligned: the live child unmaps every such window
 * before the scenario starts, so they start empty in both modes.  A window
 * that depends on a call's result ("window $b 0x100000" after "$b =
 * brk(NULL)") is only a range to compare.  Scenarios with MAP_FIXED
 * addresses should keep to a private window such as 0x500000000000
 * (nothing lives there).
 *
 * touch faults the pages for writing (it gives private writable VMAs
 * their anon_vma, which decides later merges); every page must be mapped
 * writable, or the step fails in both modes (the simulator cannot know
 * about a shared file mapping beyond the end of its file: the kernel
 * then faults with SIGBUS).
 *
 * DOC: The two modes
 *
 * Both modes first start a live child (scenario_live.c): a fresh,
 * ASLR-free execution of vmasim whose layout is the same every time, clear
 * the windows in it and read its /proc/self/maps and brk(0).
 *
 * Simulator (default): that snapshot is loaded with mm_load_maps() into a
 * fresh vm_sim's task (pid 1; mmap_base read off the snapshot, the
 * machine's limits, the library's default fault model) and the child
 * exits; so mmap(NULL, ...) picks the same address the kernel will.
 * Descriptors 0-2 are placeholders, so the first open gets 3 on both
 * sides.  Memory calls go through call_apply(); every call is followed by
 * mm_validate().  If no child can start, the task starts empty, with a
 * note.
 *
 * --kernel: the child runs each call with syscall(2), touches pages for
 * real and reads its own maps for expect blocks.  If the child cannot be
 * made reproducible (ASLR cannot be turned off, ...) the file is skipped
 * (exit status 77 when nothing failed).
 *
 * Output: one line per file, "PASS FILE (N calls, M expects)", "FAIL ..."
 * or "SKIP FILE: why"; a failure is explained above its line with
 * FILE:LINE, and a layout mismatch shows the expected and actual layouts
 * side by side.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* vma.h defines RLIM_INFINITY too (~0UL, the same value as glibc's). */
#undef RLIM_INFINITY
#include <vmasim/mm.h>

#include "apply.h"
#include "scenario.h"
#include "scenario_int.h"

/* mseal(2) is newer than this libc's headers; 462 on every architecture. */
#ifndef SYS_mseal
#define SYS_mseal	462
#endif

#define SCN_SKIP_STATUS		77
#define SCN_STACK_RLIMIT	(8UL << 20)
#define SCN_SIM_PID		1

enum outcome {
	OUTCOME_PASS,
	OUTCOME_FAIL,
	OUTCOME_SKIP,
};

/**
 * struct scn_run - one scenario file being run.
 * @sf: the parsed file
 * @kernel: on the live kernel (--kernel)
 * @verbose: print every step
 * @vars: the variables bound so far
 * @window: a window is in force: [@win_start, @win_end)
 * @sim: the simulator (simulator mode)
 * @task: its one task
 * @lp: the live child
 * @tmp: paths of the temporary files made by `file`, to unlink
 * @nr_tmp: how many
 * @calls: calls run so far
 * @expects: expect blocks checked so far
 * @skip: why the file is skipped
 */
struct scn_run {
	const struct scn_file *sf;
	bool kernel;
	bool verbose;
	struct scn_vars vars;
	bool window;
	unsigned long win_start, win_end;
	struct vm_sim *sim;
	struct task *task;
	struct live_proc lp;
	char **tmp;
	size_t nr_tmp;
	unsigned long calls;
	unsigned long expects;
	char skip[320];
};

/* The machine's tunables and limits, as the live child has them. */
static struct mm_limits machine;
static bool machine_legacy;

/* ---- reporting ------------------------------------------------------------ */

static void step_fail(const struct scn_run *r, unsigned long lineno,
		      const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void step_fail(const struct scn_run *r, unsigned long lineno,
		      const char *fmt, ...)
{
	va_list ap;

	printf("%s:%lu: ", r->sf->name, lineno);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static bool is_error(long v)
{
	return v < 0 && v >= -4095;
}

/* A result as strace prints it. */
static void fmt_result(char *buf, size_t size, long v)
{
	const char *name = is_error(v) ? scn_errno_name(-v) : NULL;

	if (is_error(v))
		snprintf(buf, size, "-1 %s (%s)", name ? name : "E?",
			 strerror((int)-v));
	else if (v >= 0 && v < 4096)
		snprintf(buf, size, "%ld", v);
	else
		snprintf(buf, size, "%#lx", (unsigned long)v);
}

static void fmt_expected(char *buf, size_t size, const struct scn_expected *e)
{
	if (e->any_error)
		snprintf(buf, size, "-1 (any error)");
	else
		fmt_result(buf, size, e->value);
}

/* ---- layouts --------------------------------------------------------------- */

/**
 * struct mline - the compared fields of one maps line.
 * @start: first address
 * @end: end address (exclusive)
 * @perms: "rw-p"
 * @offset: file offset
 * @has_offset: @offset is compared (always for actual lines)
 * @path: path or [name], "" for none, without " (deleted)"; malloc'd
 * @lineno: expected lines: where they are written
 */
struct mline {
	unsigned long start;
	unsigned long end;
	char perms[5];
	unsigned long offset;
	bool has_offset;
	char *path;
	unsigned long lineno;
};

static void mlines_free(struct mline *l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(l[i].path);
	free(l);
}

static char *path_dup(const char *p)
{
	static const char deleted[] = " (deleted)";
	size_t n = strlen(p), d = sizeof(deleted) - 1;

	if (n >= d && !strcmp(p + n - d, deleted))
		n -= d;
	return strndup(p, n);
}

/* The lines of @text that intersect [@lo, @hi); -1 for a bad line. */
static long maps_window(char *text, unsigned long lo, unsigned long hi,
			struct mline **out)
{
	struct mline *l = NULL, *nl;
	size_t n = 0;
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long start, end, off;
		char perms[8], *p;
		int pos = 0;

		if (sscanf(line, "%lx-%lx %7s %lx %*s %*s%n", &start, &end,
			   perms, &off, &pos) != 4 || !pos || strlen(perms) != 4) {
			mlines_free(l, n);
			return -1;
		}
		if (start >= hi || end <= lo)
			continue;
		nl = realloc(l, (n + 1) * sizeof(*l));
		if (!nl) {
			mlines_free(l, n);
			return -1;
		}
		l = nl;
		for (p = line + pos; *p == ' '; p++)
			;
		memset(&l[n], 0, sizeof(l[n]));
		l[n].start = start;
		l[n].end = end;
		memcpy(l[n].perms, perms, 5);
		l[n].offset = off;
		l[n].has_offset = true;
		l[n].path = path_dup(p);
		if (!l[n].path) {
			mlines_free(l, n);
			return -1;
		}
		n++;
	}
	*out = l;
	return (long)n;
}

static bool mline_equal(const struct mline *e, const struct mline *a)
{
	return e->start == a->start && e->end == a->end &&
	       !strcmp(e->perms, a->perms) && !strcmp(e->path, a->path) &&
	       (!e->has_offset || !a->has_offset || e->offset == a->offset);
}

static void mline_fmt(char *buf, size_t size, const struct mline *l)
{
	if (l->has_offset)
		snprintf(buf, size, "%08lx-%08lx %s %08lx%s%s", l->start,
			 l->end, l->perms, l->offset, *l->path ? " " : "",
			 l->path);
	else
		snprintf(buf, size, "%08lx-%08lx %s%s%s", l->start, l->end,
			 l->perms, *l->path ? " " : "", l->path);
}

/* One row of the side-by-side listing: @mark is ' ', '!', '-' or '+'. */
static void print_row(char mark, const struct mline *e, const struct mline *a,
		      int width, const char *name)
{
	char le[600] = "", ri[600] = "";

	if (e)
		mline_fmt(le, sizeof(le), e);
	if (a)
		mline_fmt(ri, sizeof(ri), a);
	printf("  %c %-*s | %s", mark, width, le, ri);
	if (e && mark != ' ')
		printf("   <- %s:%lu", name, e->lineno);
	putchar('\n');
}

/*
 * Expected and actual layouts side by side, aligned on their longest
 * common subsequence; unmatched lines between two matches are paired in
 * order ('!'), the rest shown alone ('-' expected only, '+' actual only).
 */
static void print_side_by_side(const struct mline *e, size_t ne,
			       const struct mline *a, size_t na,
			       const char *name)
{
	unsigned int *lcs = calloc((ne + 1) * (na + 1), sizeof(*lcs));
	char buf[600];
	size_t i = 0, j = 0, k;
	int width = (int)strlen("expected");

#define L(x, y) lcs[(x) * (na + 1) + (y)]
	for (k = 0; k < ne; k++) {
		mline_fmt(buf, sizeof(buf), &e[k]);
		if ((int)strlen(buf) > width)
			width = (int)strlen(buf);
	}
	printf("    %-*s | %s\n", width, "expected", "actual");
	if (!lcs) {
		for (k = 0; k < ne || k < na; k++)
			print_row('?', k < ne ? &e[k] : NULL,
				  k < na ? &a[k] : NULL, width, name);
		return;
	}
	for (i = ne; i-- > 0;)
		for (j = na; j-- > 0;)
			L(i, j) = mline_equal(&e[i], &a[j]) ?
				  L(i + 1, j + 1) + 1 :
				  L(i + 1, j) > L(i, j + 1) ? L(i + 1, j) :
							      L(i, j + 1);
	i = j = 0;
	while (i < ne || j < na) {
		size_t ei = i, aj = j;

		if (i < ne && j < na && mline_equal(&e[i], &a[j])) {
			print_row(' ', &e[i++], &a[j++], width, name);
			continue;
		}
		/* the run of unmatched lines up to the next match */
		while (i < ne || j < na) {
			if (i < ne && j < na && mline_equal(&e[i], &a[j]))
				break;
			if (i < ne && (j == na || L(i + 1, j) >= L(i, j + 1)))
				i++;
			else
				j++;
		}
		for (k = 0; ei + k < i || aj + k < j; k++) {
			const struct mline *x = ei + k < i ? &e[ei + k] : NULL;
			const struct mline *y = aj + k < j ? &a[aj + k] : NULL;

			print_row(x && y ? '!' : x ? '-' : '+', x, y, width, name);
		}
	}
#undef L
	free(lcs);
}

/* ---- the two sides: maps, calls, touch ------------------------------------ */

/* The current layout as maps text (malloc'd, NUL-terminated). */
static char *current_maps(struct scn_run *r)
{
	char *text = NULL;
	size_t len = 0;
	unsigned long brk;

	if (r->kernel) {
		if (live_maps(&r->lp, &text, &len, &brk)) {
			printf("%s: %s\n", r->sf->name, r->lp.why);
			return NULL;
		}
		return text;
	}
	return mm_maps_text(vm_task_mm(r->task), NULL);
}

/* Print the window's layout now (after a failed call, for context). */
static void print_window(struct scn_run *r)
{
	struct mline *a = NULL;
	char *text, buf[600];
	long n, i;

	if (!r->window)
		return;
	text = current_maps(r);
	if (!text)
		return;
	n = maps_window(text, r->win_start, r->win_end, &a);
	if (n >= 0) {
		printf("    the window %lx-%lx now:%s\n", r->win_start, r->win_end,
		       n ? "" : " empty");
		for (i = 0; i < n; i++) {
			mline_fmt(buf, sizeof(buf), &a[i]);
			printf("      %s\n", buf);
		}
		mlines_free(a, (size_t)n);
	}
	free(text);
}

/* mm_validate() after a simulated step: false (and a message) if it fails. */
static bool sim_valid(struct scn_run *r, unsigned long lineno)
{
	struct mm_struct *mm = vm_task_mm(r->task);
	int ret;

	mmap_write_lock(mm);
	ret = mm_validate(mm);
	mmap_write_unlock(mm);
	if (ret)
		step_fail(r, lineno,
			  "the simulator's address space fails mm_validate() after this step (simulator bug; see above)");
	return !ret;
}

/* The path a maps line shows for @path: canonical when it exists. */
static char *canonical(const char *path)
{
	char *real = realpath(path, NULL);

	return real ? real : strdup(path);
}

/* open, openat, creat on the simulator: the file must exist on this host. */
static long sim_open(struct scn_run *r, const struct sim_call *c)
{
	const unsigned long *a = c->arg;
	struct stat st;
	char *path;
	long ret;
	int flags;

	flags = c->nr == CALL_OPEN ? (int)a[1] :
		c->nr == CALL_OPENAT ? (int)a[2] : O_CREAT | O_WRONLY | O_TRUNC;
	if (c->nr == CALL_OPENAT && (int)a[0] != AT_FDCWD && c->path[0] != '/')
		return -EINVAL;	/* refused before: see run_call() */
	memset(&st, 0, sizeof(st));
	if (stat(c->path, &st) && !(errno == ENOENT && (flags & O_CREAT)))
		return -errno;
	path = canonical(c->path);
	if (!path)
		return -ENOMEM;
	ret = vm_open(r->task, -1, path, flags, major(st.st_dev),
		      minor(st.st_dev), st.st_ino);
	free(path);
	return ret;
}

static long sim_call(struct scn_run *r, const struct sim_call *c)
{
	struct apply_opts opts = { .lenient = false };
	const unsigned long *a = c->arg;
	struct task *t = r->task;

	switch (c->nr) {
	case CALL_OPEN:
	case CALL_OPENAT:
	case CALL_CREAT:
		return sim_open(r, c);
	case CALL_CLOSE:
		return sys_close(t, (int)a[0]);
	case CALL_DUP:
		return sys_dup(t, (int)a[0]);
	case CALL_DUP2:
		return sys_dup2(t, (int)a[0], (int)a[1]);
	case CALL_DUP3:
		return sys_dup3(t, (int)a[0], (int)a[1], (int)a[2]);
	case CALL_FCNTL:
		return sys_fcntl(t, (int)a[0], (unsigned int)a[1], a[2]);
	case CALL_MEMFD_CREATE:
		return sys_memfd_create(t, c->path, (unsigned int)a[1]);
	default:
		return call_apply(t, c, 0, &opts);
	}
}

/* The x86-64 system call of a modelled call, and where its path goes. */
static long kernel_nr(const struct sim_call *c, unsigned long a[6],
		      int *path_arg)
{
	*path_arg = -1;
	switch (c->nr) {
	case CALL_MMAP:		return SYS_mmap;
	case CALL_MUNMAP:	return SYS_munmap;
	case CALL_MREMAP:	return SYS_mremap;
	case CALL_MPROTECT:	return SYS_mprotect;
	case CALL_PKEY_MPROTECT: return SYS_pkey_mprotect;
	case CALL_BRK:		return SYS_brk;
	case CALL_MADVISE:	return SYS_madvise;
	case CALL_MLOCK:	return SYS_mlock;
	case CALL_MLOCK2:	return SYS_mlock2;
	case CALL_MUNLOCK:	return SYS_munlock;
	case CALL_MLOCKALL:	return SYS_mlockall;
	case CALL_MUNLOCKALL:	return SYS_munlockall;
	case CALL_MSEAL:	return SYS_mseal;
	case CALL_CLOSE:	return SYS_close;
	case CALL_DUP:		return SYS_dup;
	case CALL_DUP2:		return SYS_dup2;
	case CALL_DUP3:		return SYS_dup3;
	case CALL_FCNTL:	return SYS_fcntl;
	case CALL_OPEN:
		*path_arg = 0;
		a[2] = 0600;
		return SYS_open;
	case CALL_OPENAT:
		*path_arg = 1;
		a[3] = 0600;
		return SYS_openat;
	case CALL_CREAT:
		*path_arg = 0;
		a[1] = 0600;
		return SYS_creat;
	case CALL_MEMFD_CREATE:
		*path_arg = 0;
		return SYS_memfd_create;
	default:
		return -1;
	}
}

/* Does the call use one of the live child's own descriptors? */
static bool uses_reserved_fd(const struct sim_call *c)
{
	int i, n;

	switch (c->nr) {
	case CALL_CLOSE:
	case CALL_DUP:
	case CALL_FCNTL:
		n = 1;
		break;
	case CALL_DUP2:
	case CALL_DUP3:
		n = 2;
		break;
	default:
		return false;
	}
	for (i = 0; i < n; i++)
		if ((int)c->arg[i] == LIVE_REQ_FD || (int)c->arg[i] == LIVE_REP_FD)
			return true;
	return false;
}

/* The path a descriptor call's result stands for, or NULL. */
static char *result_path(struct scn_run *r, const struct sim_call *c, long ret)
{
	const struct scn_var *v;
	char *path;
	size_t i;

	if (is_error(ret))
		return NULL;
	switch (c->nr) {
	case CALL_OPEN:
	case CALL_OPENAT:
	case CALL_CREAT:
		return canonical(c->path);
	case CALL_MEMFD_CREATE:
		if (asprintf(&path, "/memfd:%s", c->path) < 0)
			return NULL;
		return path;
	case CALL_DUP:
	case CALL_DUP2:
	case CALL_DUP3:
	case CALL_FCNTL:
		for (i = r->vars.nr; i-- > 0;) {
			v = &r->vars.v[i];
			if (v->path && v->value == c->arg[0])
				return strdup(v->path);
		}
		return NULL;
	default:
		return NULL;
	}
}

/* ---- steps ------------------------------------------------------------------ */

static bool eval_step(struct scn_run *r, const struct scn_step *st,
		      const char *e, unsigned long *v)
{
	char msg[256];

	if (scn_eval(e, SCN_DECIMAL, &r->vars, false, v, msg, sizeof(msg))) {
		step_fail(r, st->lineno, "%s", msg);
		return false;
	}
	return true;
}

static bool run_call(struct scn_run *r, const struct scn_step *st)
{
	struct sim_call *c = malloc(sizeof(*c));
	struct scn_expected exp;
	char msg[512], got[96], want[96], *path;
	unsigned long a[6];
	long ret = 0, nr;
	int path_arg;
	bool ok = false;

	if (!c) {
		step_fail(r, st->lineno, "out of memory");
		return false;
	}
	if (scn_decode_call(st, &r->vars, c, &exp, msg, sizeof(msg))) {
		step_fail(r, st->lineno, "%s", msg);
		goto out;
	}
	if (uses_reserved_fd(c)) {
		step_fail(r, st->lineno, "descriptors %d and %d are the live child's own",
			  LIVE_REQ_FD, LIVE_REP_FD);
		goto out;
	}
	if (c->nr == CALL_OPENAT && (int)c->arg[0] != AT_FDCWD &&
	    c->path[0] != '/') {
		step_fail(r, st->lineno, "openat: only AT_FDCWD or an absolute path");
		goto out;
	}

	if (r->kernel) {
		memcpy(a, c->arg, sizeof(a));
		nr = kernel_nr(c, a, &path_arg);
		if (live_syscall(&r->lp, nr, a, path_arg,
				 path_arg >= 0 ? c->path : NULL, &ret)) {
			step_fail(r, st->lineno, "%s", r->lp.why);
			goto out;
		}
	} else {
		ret = sim_call(r, c);
		if (!sim_valid(r, st->lineno))
			goto out;
	}
	r->calls++;
	fmt_result(got, sizeof(got), ret);
	if (r->verbose)
		printf("  %lu: %s  => %s\n", st->lineno, st->text, got);

	if (exp.check &&
	    (exp.any_error ? !is_error(ret) : ret != exp.value)) {
		fmt_expected(want, sizeof(want), &exp);
		step_fail(r, st->lineno, "%s\n    returned %s\n    expected %s",
			  st->text, got, want);
		print_window(r);
		goto out;
	}
	if ((st->bind[0] || st->rbind[0]) && is_error(ret) &&
	    !(exp.check && (exp.any_error || is_error(exp.value)))) {
		step_fail(r, st->lineno, "%s\n    returned %s: $%s needs a result",
			  st->text, got, st->bind[0] ? st->bind : st->rbind);
		print_window(r);
		goto out;
	}
	path = result_path(r, c, ret);
	ok = true;
	if (st->bind[0] &&
	    scn_var_set(&r->vars, st->bind, (unsigned long)ret, path,
			path != NULL, true))
		ok = false;
	if (st->rbind[0] &&
	    scn_var_set(&r->vars, st->rbind, (unsigned long)ret, path,
			path != NULL, true))
		ok = false;
	free(path);
	if (!ok)
		step_fail(r, st->lineno, "out of memory");
out:
	free(c);
	return ok;
}

static bool run_touch(struct scn_run *r, const struct scn_step *st)
{
	unsigned long addr, len, end, fault = 0, cur;
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	int ret;

	if (!eval_step(r, st, st->e1, &addr) || !eval_step(r, st, st->e2, &len))
		return false;
	end = addr + len;
	if (!len || end < addr) {
		step_fail(r, st->lineno, "touch: empty or wrapping range");
		return false;
	}
	if (r->kernel) {
		ret = live_touch(&r->lp, addr, end, &fault);
		if (ret < 0) {
			step_fail(r, st->lineno, "%s", r->lp.why);
			return false;
		}
	} else {
		/* a write faults outside a VMA or in one without VM_WRITE */
		mm = vm_task_mm(r->task);
		mmap_write_lock(mm);
		for (cur = addr & PAGE_MASK, ret = 0; cur < end; cur = vma->vm_end) {
			vma = find_vma(mm, cur);
			if (!vma || vma->vm_start > cur || !(vma->vm_flags & VM_WRITE)) {
				fault = cur;
				ret = 1;
				break;
			}
		}
		if (!ret && vma_touch(mm, addr & PAGE_MASK, PAGE_ALIGN(end)))
			ret = -1;
		mmap_write_unlock(mm);
		if (ret < 0) {
			step_fail(r, st->lineno, "touch: vma_touch() failed");
			return false;
		}
		if (!sim_valid(r, st->lineno))
			return false;
	}
	if (r->verbose)
		printf("  %lu: %s\n", st->lineno, st->text);
	if (ret) {
		step_fail(r, st->lineno,
			  "touch: writing to %#lx faults (not mapped writable)",
			  fault);
		print_window(r);
		return false;
	}
	return true;
}

static bool run_file(struct scn_run *r, const struct scn_step *st)
{
	const char *dir = getenv("TMPDIR");
	unsigned long size, a[6] = { 0, O_RDWR };
	char *tmpl = NULL, *path = NULL, **tmp;
	struct stat sb;
	long fd = -1;
	int tfd;
	bool ok = false;

	if (!eval_step(r, st, st->e1, &size))
		return false;
	if (asprintf(&tmpl, "%s/vmasim-scn-XXXXXX", dir && *dir ? dir : "/tmp") < 0) {
		step_fail(r, st->lineno, "out of memory");
		return false;
	}
	tfd = mkstemp(tmpl);
	if (tfd < 0) {
		step_fail(r, st->lineno, "file: cannot create %s: %s", tmpl,
			  strerror(errno));
		free(tmpl);
		return false;
	}
	tmp = realloc(r->tmp, (r->nr_tmp + 1) * sizeof(*tmp));
	if (!tmp) {
		close(tfd);
		unlink(tmpl);
		free(tmpl);
		step_fail(r, st->lineno, "out of memory");
		return false;
	}
	r->tmp = tmp;
	r->tmp[r->nr_tmp++] = tmpl;
	if (ftruncate(tfd, (off_t)size) || fstat(tfd, &sb)) {
		step_fail(r, st->lineno, "file: cannot size %s: %s", tmpl,
			  strerror(errno));
		close(tfd);
		return false;
	}
	close(tfd);
	path = canonical(tmpl);
	if (!path) {
		step_fail(r, st->lineno, "out of memory");
		return false;
	}

	if (r->kernel) {
		if (live_syscall(&r->lp, SYS_open, a, 0, path, &fd)) {
			step_fail(r, st->lineno, "%s", r->lp.why);
			goto out;
		}
	} else {
		fd = vm_open(r->task, -1, path, O_RDWR, major(sb.st_dev),
			     minor(sb.st_dev), sb.st_ino);
	}
	if (fd < 0) {
		step_fail(r, st->lineno, "file: cannot open %s: %s", path,
			  strerror((int)-fd));
		goto out;
	}
	if (r->verbose)
		printf("  %lu: %s  => $%s = %ld (%s)\n", st->lineno, st->text,
		       st->bind, fd, path);
	ok = !scn_var_set(&r->vars, st->bind, (unsigned long)fd, path, true, true);
	if (!ok)
		step_fail(r, st->lineno, "out of memory");
out:
	free(path);
	return ok;
}

/* Evaluate an expect block's lines; false (with a message) if they are bad. */
static bool expected_lines(struct scn_run *r, const struct scn_step *st,
			   struct mline *e)
{
	const struct scn_expect_line *el;
	const struct scn_var *v;
	char msg[256], name[SCN_NAME_LEN], *path;
	size_t i, n;

	for (i = 0; i < st->nr_lines; i++) {
		el = &st->lines[i];
		e[i].lineno = el->lineno;
		memcpy(e[i].perms, el->perms, 5);
		if (scn_eval(el->start, SCN_HEX, &r->vars, false, &e[i].start,
			     msg, sizeof(msg)) ||
		    scn_eval(el->end, SCN_HEX, &r->vars, false, &e[i].end,
			     msg, sizeof(msg)) ||
		    (el->offset &&
		     scn_eval(el->offset, SCN_HEX, &r->vars, false,
			      &e[i].offset, msg, sizeof(msg)))) {
			step_fail(r, el->lineno, "%s", msg);
			return false;
		}
		e[i].has_offset = el->offset != NULL;
		if (el->path[0] == '$') {
			n = strspn(el->path + 1,
				   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
			snprintf(name, sizeof(name), "%.*s", (int)n, el->path + 1);
			v = scn_var_find(&r->vars, name);
			if (!v || !v->path) {
				step_fail(r, el->lineno, "$%s names no file", name);
				return false;
			}
			if (asprintf(&path, "%s%s", v->path, el->path + 1 + n) < 0)
				path = NULL;
			e[i].path = path ? path_dup(path) : NULL;
			free(path);
		} else {
			e[i].path = path_dup(el->path);
		}
		if (!e[i].path) {
			step_fail(r, el->lineno, "out of memory");
			return false;
		}
		if (e[i].start >= e[i].end || (i && e[i].start < e[i - 1].end)) {
			step_fail(r, el->lineno,
				  "expect lines must be non-empty ranges in address order, not overlapping");
			return false;
		}
	}
	return true;
}

static bool run_expect(struct scn_run *r, const struct scn_step *st)
{
	struct mline *e = calloc(st->nr_lines + 1, sizeof(*e)), *a = NULL;
	unsigned long lo, hi;
	char *text = NULL;
	size_t i;
	long na = -1;
	bool ok = false;

	if (!e) {
		step_fail(r, st->lineno, "out of memory");
		return false;
	}
	if (!expected_lines(r, st, e))
		goto out;
	if (r->window) {
		lo = r->win_start;
		hi = r->win_end;
	} else {
		lo = e[0].start;
		hi = e[st->nr_lines - 1].end;
	}
	text = current_maps(r);
	if (text)
		na = maps_window(text, lo, hi, &a);
	if (na < 0) {
		step_fail(r, st->lineno, "cannot read the current layout");
		goto out;
	}
	r->expects++;
	ok = (size_t)na == st->nr_lines;
	for (i = 0; ok && i < st->nr_lines; i++)
		ok = mline_equal(&e[i], &a[i]);
	if (r->verbose || !ok) {
		if (!ok)
			step_fail(r, st->lineno,
				  "the layout of %lx-%lx (%s) is not the expected one:",
				  lo, hi, r->window ? "the window" : "the listed lines");
		else
			printf("  %lu: expect: %lx-%lx as expected\n", st->lineno,
			       lo, hi);
		print_side_by_side(e, st->nr_lines, a, (size_t)na, r->sf->name);
	}
	mlines_free(a, (size_t)na);
out:
	free(text);
	mlines_free(e, st->nr_lines);
	return ok;
}

static bool run_step(struct scn_run *r, const struct scn_step *st)
{
	unsigned long v, len;

	switch (st->kind) {
	case SCN_STEP_CALL:
		return run_call(r, st);
	case SCN_STEP_SET:
		if (!eval_step(r, st, st->e1, &v))
			return false;
		if (scn_var_set(&r->vars, st->bind, v, NULL, false, false)) {
			step_fail(r, st->lineno, "out of memory");
			return false;
		}
		return true;
	case SCN_STEP_WINDOW:
		if (st->none) {
			r->window = false;
			return true;
		}
		if (!eval_step(r, st, st->e1, &v) || !eval_step(r, st, st->e2, &len))
			return false;
		r->window = true;
		r->win_start = v;
		r->win_end = v + len;
		return true;
	case SCN_STEP_TOUCH:
		return run_touch(r, st);
	case SCN_STEP_FILE:
		return run_file(r, st);
	case SCN_STEP_EXPECT:
		return run_expect(r, st);
	}
	return false;
}

/* ---- setting up a run ------------------------------------------------------- */

static unsigned long read_ulong(const char *path, unsigned long dflt)
{
	FILE *f = fopen(path, "r");
	unsigned long v;

	if (!f)
		return dflt;
	if (fscanf(f, "%lu", &v) != 1)
		v = dflt;
	fclose(f);
	return v;
}

static unsigned long rlimit_of(int resource)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl) || rl.rlim_cur == RLIM_INFINITY)
		return ~0UL;
	return rl.rlim_cur;
}

/* Whether this CPU has protection keys: "pku" among /proc/cpuinfo's flags. */
static bool cpu_has_pkeys(void)
{
	char line[8192];
	bool found = false;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5) && strstr(line, " pku"))
			found = strstr(line, " pku ") || strstr(line, " pku\n");
	fclose(f);
	return found;
}

/* The limits the live child runs under (it inherits ours, stack aside). */
static void find_machine(void)
{
	char line[4096], *p;
	unsigned long gap = 256, probe;
	FILE *f;

	memset(&machine, 0, sizeof(machine));
	mm_limits_default(&machine);
	machine.pkeys = cpu_has_pkeys();
	machine.max_map_count = read_ulong("/proc/sys/vm/max_map_count",
					   machine.max_map_count);
	machine.mmap_min_addr = read_ulong("/proc/sys/vm/mmap_min_addr",
					   machine.mmap_min_addr);
	/* the LSM may raise it: a hint below the floor is raised to it */
	probe = (unsigned long)mmap((void *)PAGE_SIZE, PAGE_SIZE, PROT_NONE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (probe != (unsigned long)MAP_FAILED) {
		munmap((void *)probe, PAGE_SIZE);
		if (probe < (1UL << 20) && probe > machine.mmap_min_addr)
			machine.mmap_min_addr = probe;
	}
	f = fopen("/proc/cmdline", "r");
	if (f) {
		if (fgets(line, sizeof(line), f)) {
			p = strstr(line, "stack_guard_gap=");
			if (p && (p == line || p[-1] == ' '))
				gap = strtoul(p + strlen("stack_guard_gap="), NULL, 0);
		}
		fclose(f);
	}
	machine.stack_guard_gap = gap * PAGE_SIZE;
	machine.rlimit_data = rlimit_of(RLIMIT_DATA);
	machine.rlimit_as = rlimit_of(RLIMIT_AS);
	machine.rlimit_memlock = rlimit_of(RLIMIT_MEMLOCK);
	machine.rlimit_stack = SCN_STACK_RLIMIT;
	machine.overcommit_never =
		read_ulong("/proc/sys/vm/overcommit_memory", 0) == 2;
	machine_legacy = read_ulong("/proc/sys/vm/legacy_va_layout", 0) != 0;
}

/*
 * The live child's mmap_base: x86-64's mmap_base() without randomization,
 * PAGE_ALIGN(TASK_SIZE - clamp(rlimit_stack + guard gap, 128 MiB,
 * TASK_SIZE / 6 * 5)) with TASK_SIZE the end of [stack]; checked against
 * the snapshot, where the program interpreter, the first top-down
 * mapping, ends there.  The snapshot wins when they disagree.
 */
static unsigned long snapshot_mmap_base(const char *text)
{
	unsigned long stack_start = 0, stack_end = 0, highest = 0, gap, base;
	const char *p, *eol;
	unsigned long s, e;
	size_t n;

	if (machine_legacy)
		return TASK_UNMAPPED_BASE;
	for (p = text; *p; p = *eol ? eol + 1 : eol) {
		eol = p + strcspn(p, "\n");
		n = (size_t)(eol - p);
		if (sscanf(p, "%lx-%lx", &s, &e) == 2 && n >= 7 &&
		    !strncmp(eol - 7, "[stack]", 7)) {
			stack_start = s;
			stack_end = e;
		}
	}
	if (!stack_end)
		return TASK_SIZE - (128UL << 20);
	for (p = text; *p; p = *eol ? eol + 1 : eol) {
		eol = p + strcspn(p, "\n");
		if (sscanf(p, "%lx-%lx", &s, &e) == 2 &&
		    e <= stack_start - machine.stack_guard_gap && e > highest)
			highest = e;
	}
	gap = SCN_STACK_RLIMIT + machine.stack_guard_gap;
	if (gap < (128UL << 20))
		gap = 128UL << 20;
	else if (gap > stack_end / 6 * 5)
		gap = stack_end / 6 * 5;
	base = PAGE_ALIGN(stack_end - gap);
	return highest && highest != base ? highest : base;
}

/* The simulator, from the live child's snapshot (or empty without one). */
static bool sim_setup(struct scn_run *r, const char *snap, unsigned long brk0)
{
	struct mm_struct *mm;
	char *err = NULL;
	FILE *in;
	int i, ret;

	r->sim = vm_sim_new(&machine);
	if (!r->sim)
		goto nomem;
	r->task = vm_task_create(r->sim, SCN_SIM_PID,
				 snap ? snapshot_mmap_base(snap) :
					TASK_SIZE - (128UL << 20),
				 machine_legacy);
	if (!r->task)
		goto nomem;
	for (i = 0; i < 3; i++)
		if (vm_open(r->task, i, "/dev/null", O_RDWR, 0, 0, 0) != i)
			goto nomem;
	if (!snap)
		return true;
	mm = vm_task_mm(r->task);
	in = fmemopen((void *)snap, strlen(snap), "r");
	if (!in)
		goto nomem;
	ret = mm_load_maps(mm, in, "the live child's layout", &err);
	fclose(in);
	if (ret) {
		printf("%s: cannot load the live child's layout: %s\n",
		       r->sf->name, err ? err : strerror(-ret));
		free(err);
		return false;
	}
	/* brk(0) is not in a snapshot; without a [heap] line it starts there */
	mmap_write_lock(mm);
	if (!mm->start_brk)
		mm->start_brk = brk0;
	mm->brk = brk0;
	ret = mm_validate(mm);
	mmap_write_unlock(mm);
	if (ret) {
		printf("%s: the live child's layout fails mm_validate()\n",
		       r->sf->name);
		return false;
	}
	return true;
nomem:
	printf("%s: out of memory\n", r->sf->name);
	return false;
}

/*
 * Start the live child, clear the windows in it and take its snapshot;
 * the simulator then loads it and lets the child go, --kernel keeps it.
 */
static enum outcome setup(struct scn_run *r)
{
	unsigned long a[6] = { 0 }, brk0 = 0;
	char *snap = NULL;
	size_t i, len;
	long ret;
	int st;
	bool ok;

	st = live_start(&r->lp);
	for (i = 0; !st && i < r->sf->nr_windows; i++) {
		a[0] = r->sf->windows[i][0];
		a[1] = r->sf->windows[i][1] - a[0];
		st = live_syscall(&r->lp, SYS_munmap, a, -1, NULL, &ret);
		if (!st && ret) {
			snprintf(r->lp.why, sizeof(r->lp.why),
				 "cannot clear the window %lx-%lx: %s",
				 r->sf->windows[i][0], r->sf->windows[i][1],
				 strerror((int)-ret));
			st = LIVE_ERROR;
		}
	}
	if (!st)
		st = live_maps(&r->lp, &snap, &len, &brk0);

	if (r->kernel) {
		free(snap);
		if (st == LIVE_CANNOT) {
			snprintf(r->skip, sizeof(r->skip), "%s", r->lp.why);
			return OUTCOME_SKIP;
		}
		if (st) {
			printf("%s: %s\n", r->sf->name, r->lp.why);
			return OUTCOME_FAIL;
		}
		return OUTCOME_PASS;
	}
	live_stop(&r->lp);
	if (st)
		printf("%s: note: no live layout to start from (%s): the simulated task starts empty\n",
		       r->sf->name, r->lp.why);
	ok = sim_setup(r, st ? NULL : snap, brk0);
	free(snap);
	return ok ? OUTCOME_PASS : OUTCOME_FAIL;
}

static void teardown(struct scn_run *r)
{
	size_t i;

	live_stop(&r->lp);
	vm_sim_free(r->sim);
	r->sim = NULL;
	for (i = 0; i < r->nr_tmp; i++) {
		unlink(r->tmp[i]);
		free(r->tmp[i]);
	}
	free(r->tmp);
	scn_vars_release(&r->vars);
}

static enum outcome run_one(const char *name, bool kernel, bool verbose)
{
	struct scn_run r = { .kernel = kernel, .verbose = verbose };
	struct scn_file sf;
	enum outcome o;
	char err[768];
	size_t i;
	FILE *in;

	r.lp.req_fd = r.lp.rep_fd = -1;
	in = fopen(name, "r");
	if (!in) {
		printf("%s: cannot open: %s\n", name, strerror(errno));
		printf("FAIL %s\n", name);
		return OUTCOME_FAIL;
	}
	if (scn_parse(&sf, name, in, err, sizeof(err))) {
		fclose(in);
		fprintf(stderr, "%s\n", err);
		printf("FAIL %s (malformed)\n", name);
		return OUTCOME_FAIL;
	}
	fclose(in);
	r.sf = &sf;

	o = setup(&r);
	for (i = 0; o == OUTCOME_PASS && i < sf.nr_steps; i++)
		if (!run_step(&r, &sf.steps[i]))
			o = OUTCOME_FAIL;
	teardown(&r);

	if (o == OUTCOME_SKIP)
		printf("SKIP %s: %s\n", name, r.skip);
	else
		printf("%s %s (%lu call%s, %lu expect%s%s)\n",
		       o == OUTCOME_PASS ? "PASS" : "FAIL", name, r.calls,
		       r.calls == 1 ? "" : "s", r.expects,
		       r.expects == 1 ? "" : "s", kernel ? "; live kernel" : "");
	scn_file_release(&sf);
	return o;
}

/* ---- the command ----------------------------------------------------------- */

/**
 * scenario_usage - print the usage of `vmasim scenario`.
 * @out: the stream
 *
 * Context: any.
 */
void scenario_usage(FILE *out)
{
	fputs("usage: vmasim scenario [--kernel] [-v] FILE...\n"
	      "\n"
	      "Run scenario files: calls in strace syntax whose stated results are\n"
	      "checked, and expected /proc/PID/maps layouts.  By default on the\n"
	      "simulator, started from the layout of a fresh ASLR-free process; with\n"
	      "--kernel the same calls run for real in such a process.\n"
	      "\n"
	      "Options:\n"
	      "  --kernel       run on the live kernel instead of the simulator\n"
	      "  -v, --verbose  print every step, its result and every layout checked\n"
	      "  -h, --help     show this help and exit\n"
	      "\n"
	      "File format (one per line; '#' starts a comment):\n"
	      "  [$x =] NAME(ARGS) [= RESULT]  a call; RESULT is checked: 0, 0x..., $a+0x1000,\n"
	      "                                -1 ENOMEM, -1 (any error); \"= $x\" binds $x\n"
	      "  $x = EXPR                     a value (numbers, $vars, + - *, parentheses)\n"
	      "  window ADDR LEN | window none the range expect blocks cover (cleared first)\n"
	      "  file $f SIZE                  a temporary file, opened O_RDWR ($f: its fd)\n"
	      "  touch ADDR LEN                write one byte to each page of the range\n"
	      "  expect:                       then maps lines up to a blank line:\n"
	      "    START-END PERMS [OFFSET [DEV INODE]] [PATH]   (numbers in hex; PATH may be $f)\n"
	      "\n"
	      "Exit status: 0 every file passed, 1 one failed or is malformed, 2 usage\n"
	      "error, 77 (--kernel) nothing failed but a file could not run live.\n",
	      out);
}

/**
 * cmd_scenario - run `vmasim scenario [--kernel] [-v] FILE...`.
 * @argc: number of arguments, counting "scenario" itself
 * @argv: the arguments, argv[0] being "scenario"
 *
 * `vmasim scenario --live-child` is the live child (scenario_live.c): it
 * must stay the first thing this function checks, before anything
 * allocates or prints.
 *
 * Context: forks and executes /proc/self/exe; ignores SIGPIPE.
 * Return: the exit status (see scenario.h).
 */
int cmd_scenario(int argc, char **argv)
{
	bool kernel = false, verbose = false, failed = false, skipped = false;
	int i, first;

	if (argc == 2 && !strcmp(argv[1], "--live-child"))
		live_child_main();

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (!strcmp(argv[i], "--kernel")) {
			kernel = true;
		} else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
			verbose = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			scenario_usage(stdout);
			return fflush(stdout) ? 1 : 0;
		} else {
			fprintf(stderr, "vmasim scenario: unknown option '%s'\n",
				argv[i]);
			scenario_usage(stderr);
			return 2;
		}
	}
	first = i;
	if (first == argc) {
		fprintf(stderr, "vmasim scenario: no scenario file\n");
		scenario_usage(stderr);
		return 2;
	}

	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	find_machine();
	for (i = first; i < argc; i++) {
		switch (run_one(argv[i], kernel, verbose)) {
		case OUTCOME_FAIL:
			failed = true;
			break;
		case OUTCOME_SKIP:
			skipped = true;
			break;
		case OUTCOME_PASS:
			break;
		}
	}
	if (fflush(stdout))
		return 1;
	return failed ? 1 : skipped ? SCN_SKIP_STATUS : 0;
}
