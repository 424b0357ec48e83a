/* SPDX-License-Identifier: MIT */
/*
 * strace.c - streaming parser of strace logs: line prefixes, timestamps,
 * unfinished/resumed pairing per tid, exit marks, argument splitting and
 * the decoding of numbers and symbolic flag sets (x86-64 values).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "strace.h"

#define MAX_DEPTH 64

struct flag_name {
	const char *name;
	unsigned long val;
};

static const struct flag_name flag_names[] = {
	{ "PROT_NONE", 0x0 }, { "PROT_READ", 0x1 }, { "PROT_WRITE", 0x2 },
	{ "PROT_EXEC", 0x4 }, { "PROT_SEM", 0x8 },
	{ "PROT_GROWSDOWN", 0x01000000 }, { "PROT_GROWSUP", 0x02000000 },

	{ "MAP_FILE", 0x0 }, { "MAP_SHARED", 0x1 }, { "MAP_PRIVATE", 0x2 },
	{ "MAP_SHARED_VALIDATE", 0x3 }, { "MAP_DROPPABLE", 0x8 },
	{ "MAP_FIXED", 0x10 }, { "MAP_ANONYMOUS", 0x20 }, { "MAP_ANON", 0x20 },
	{ "MAP_32BIT", 0x40 }, { "MAP_GROWSDOWN", 0x100 },
	{ "MAP_DENYWRITE", 0x800 }, { "MAP_EXECUTABLE", 0x1000 },
	{ "MAP_LOCKED", 0x2000 }, { "MAP_NORESERVE", 0x4000 },
	{ "MAP_POPULATE", 0x8000 }, { "MAP_NONBLOCK", 0x10000 },
	{ "MAP_STACK", 0x20000 }, { "MAP_HUGETLB", 0x40000 },
	{ "MAP_SYNC", 0x80000 }, { "MAP_FIXED_NOREPLACE", 0x100000 },
	{ "MAP_UNINITIALIZED", 0x4000000 },

	{ "MREMAP_MAYMOVE", 0x1 }, { "MREMAP_FIXED", 0x2 },
	{ "MREMAP_DONTUNMAP", 0x4 },

	{ "MADV_NORMAL", 0 }, { "MADV_RANDOM", 1 }, { "MADV_SEQUENTIAL", 2 },
	{ "MADV_WILLNEED", 3 }, { "MADV_DONTNEED", 4 }, { "MADV_FREE", 8 },
	{ "MADV_REMOVE", 9 }, { "MADV_DONTFORK", 10 }, { "MADV_DOFORK", 11 },
	{ "MADV_MERGEABLE", 12 }, { "MADV_UNMERGEABLE", 13 },
	{ "MADV_HUGEPAGE", 14 }, { "MADV_NOHUGEPAGE", 15 },
	{ "MADV_DONTDUMP", 16 }, { "MADV_DODUMP", 17 },
	{ "MADV_WIPEONFORK", 18 }, { "MADV_KEEPONFORK", 19 },
	{ "MADV_COLD", 20 }, { "MADV_PAGEOUT", 21 },
	{ "MADV_POPULATE_READ", 22 }, { "MADV_POPULATE_WRITE", 23 },
	{ "MADV_DONTNEED_LOCKED", 24 }, { "MADV_COLLAPSE", 25 },
	{ "MADV_HWPOISON", 100 }, { "MADV_SOFT_OFFLINE", 101 },
	{ "MADV_GUARD_INSTALL", 102 }, { "MADV_GUARD_REMOVE", 103 },

	{ "MLOCK_ONFAULT", 0x1 },
	{ "MCL_CURRENT", 0x1 }, { "MCL_FUTURE", 0x2 }, { "MCL_ONFAULT", 0x4 },

	{ "O_RDONLY", 00 }, { "O_WRONLY", 01 }, { "O_RDWR", 02 },
	{ "O_CREAT", 0100 }, { "O_EXCL", 0200 }, { "O_NOCTTY", 0400 },
	{ "O_TRUNC", 01000 }, { "O_APPEND", 02000 }, { "O_NONBLOCK", 04000 },
	{ "O_DSYNC", 010000 }, { "O_ASYNC", 020000 }, { "O_DIRECT", 040000 },
	{ "O_LARGEFILE", 0100000 }, { "O_DIRECTORY", 0200000 },
	{ "O_NOFOLLOW", 0400000 }, { "O_NOATIME", 01000000 },
	{ "O_CLOEXEC", 02000000 }, { "O_SYNC", 04010000 },
	{ "O_PATH", 010000000 }, { "O_TMPFILE", 020200000 },

	{ "CLONE_VM", 0x100 }, { "CLONE_FS", 0x200 }, { "CLONE_FILES", 0x400 },
	{ "CLONE_SIGHAND", 0x800 }, { "CLONE_PIDFD", 0x1000 },
	{ "CLONE_PTRACE", 0x2000 }, { "CLONE_VFORK", 0x4000 },
	{ "CLONE_PARENT", 0x8000 }, { "CLONE_THREAD", 0x10000 },
	{ "CLONE_NEWNS", 0x20000 }, { "CLONE_SYSVSEM", 0x40000 },
	{ "CLONE_SETTLS", 0x80000 }, { "CLONE_PARENT_SETTID", 0x100000 },
	{ "CLONE_CHILD_CLEARTID", 0x200000 }, { "CLONE_DETACHED", 0x400000 },
	{ "CLONE_UNTRACED", 0x800000 }, { "CLONE_CHILD_SETTID", 0x1000000 },
	{ "CLONE_NEWCGROUP", 0x2000000 }, { "CLONE_NEWUTS", 0x4000000 },
	{ "CLONE_NEWIPC", 0x8000000 }, { "CLONE_NEWUSER", 0x10000000 },
	{ "CLONE_NEWPID", 0x20000000 }, { "CLONE_NEWNET", 0x40000000 },
	{ "CLONE_IO", 0x80000000UL }, { "CLONE_CLEAR_SIGHAND", 0x100000000UL },
	{ "CLONE_INTO_CGROUP", 0x200000000UL },
	/* the exit signal shares clone()'s flags word */
	{ "SIGHUP", 1 }, { "SIGINT", 2 }, { "SIGQUIT", 3 }, { "SIGILL", 4 },
	{ "SIGTRAP", 5 }, { "SIGABRT", 6 }, { "SIGBUS", 7 }, { "SIGFPE", 8 },
	{ "SIGKILL", 9 }, { "SIGUSR1", 10 }, { "SIGSEGV", 11 },
	{ "SIGUSR2", 12 }, { "SIGPIPE", 13 }, { "SIGALRM", 14 },
	{ "SIGTERM", 15 }, { "SIGSTKFLT", 16 }, { "SIGCHLD", 17 },
	{ "SIGCONT", 18 }, { "SIGSTOP", 19 }, { "SIGTSTP", 20 },
	{ "SIGTTIN", 21 }, { "SIGTTOU", 22 }, { "SIGURG", 23 },
	{ "SIGXCPU", 24 }, { "SIGXFSZ", 25 }, { "SIGVTALRM", 26 },
	{ "SIGPROF", 27 }, { "SIGWINCH", 28 }, { "SIGIO", 29 },
	{ "SIGPWR", 30 }, { "SIGSYS", 31 },

	{ "MAP_HUGE_64KB", 16UL << 26 }, { "MAP_HUGE_2MB", 21UL << 26 },
	{ "MAP_HUGE_1GB", 30UL << 26 },

	{ "CLOSE_RANGE_UNSHARE", 0x2 }, { "CLOSE_RANGE_CLOEXEC", 0x4 },

	{ "SHM_RDONLY", 010000 }, { "SHM_RND", 020000 },
	{ "SHM_REMAP", 040000 }, { "SHM_EXEC", 0100000 },

	{ "MFD_CLOEXEC", 0x1 }, { "MFD_ALLOW_SEALING", 0x2 },
	{ "MFD_HUGETLB", 0x4 }, { "MFD_NOEXEC_SEAL", 0x8 }, { "MFD_EXEC", 0x10 },

	{ "F_DUPFD", 0 }, { "F_GETFD", 1 }, { "F_SETFD", 2 }, { "F_GETFL", 3 },
	{ "F_SETFL", 4 }, { "F_DUPFD_CLOEXEC", 1030 }, { "FD_CLOEXEC", 1 },

	{ "AT_FDCWD", (unsigned long)-100L },
};

static int fail(struct strace_parser *p, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct strace_parser *p, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(p->error, sizeof(p->error), "%s:%lu: ", p->name, line);
	if (n < 0 || (size_t)n >= sizeof(p->error))
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(p->error + n, sizeof(p->error) - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/**
 * strace_parser_init() - start reading a log
 * @p: parser to initialise
 * @in: the log, read line by line
 * @name: name used in error messages
 * @default_pid: pid of lines without a pid prefix (-ff files, one process)
 */
void strace_parser_init(struct strace_parser *p, FILE *in, const char *name,
			unsigned int default_pid)
{
	memset(p, 0, sizeof(*p));
	p->in = in;
	p->name = name;
	p->default_pid = default_pid;
}

/**
 * strace_parser_release() - free what the parser allocated
 * @p: parser; the FILE is not closed
 */
void strace_parser_release(struct strace_parser *p)
{
	unsigned int i;

	for (i = 0; i < p->npending; i++)
		free(p->pending[i].prefix);
	p->npending = 0;
	free(p->line);
	free(p->raw);
	free(p->split);
	free(p->paths);
	p->line = p->raw = p->split = p->paths = NULL;
	p->line_cap = p->raw_cap = p->split_cap = p->paths_cap = 0;
}

static int reserve(char **buf, size_t *cap, size_t need)
{
	char *n;

	if (need <= *cap)
		return 0;
	n = realloc(*buf, need);
	if (!n)
		return -ENOMEM;
	*buf = n;
	*cap = need;
	return 0;
}

/*
 * Skip one argument from @s: stop at a top-level ',' or an unmatched
 * closing bracket, or at the end.  Strings, comments and <...> groups
 * (fd paths, "<... resuming ...>") are opaque.  Returns NULL on an
 * unterminated or mismatched construct.
 */
static const char *skip_arg(const char *s)
{
	char stack[MAX_DEPTH];
	int depth = 0;

	for (; *s; s++) {
		switch (*s) {
		case '"':
			for (s++; *s && *s != '"'; s++)
				if (*s == '\\' && !*++s)
					return NULL;
			if (!*s)
				return NULL;
			break;
		case '/':
			if (s[1] != '*')
				break;
			s = strstr(s + 2, "*/");
			if (!s)
				return NULL;
			s++;
			break;
		case '<':
			if (s[1] == '<') {	/* 21<<MAP_HUGE_SHIFT */
				s++;
				break;
			}
			for (s++; *s && *s != '>'; s++)
				if (*s == '\\' && !*++s)
					return NULL;
			if (!*s)
				return NULL;
			break;
		case '(':
		case '[':
		case '{':
			if (depth == MAX_DEPTH)
				return NULL;
			stack[depth++] = *s == '(' ? ')' : *s == '[' ? ']' : '}';
			break;
		case ')':
		case ']':
		case '}':
			if (!depth)
				return s;
			if (stack[--depth] != *s)
				return NULL;
			break;
		case ',':
			if (!depth)
				return s;
			break;
		}
	}
	return depth ? NULL : s;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/*
 * Unescape the -y path @src (@len bytes, between '<' and '>') into
 * p->paths; returns the copy.
 */
static const char *decode_path(struct strace_parser *p, const char *src,
			       size_t len)
{
	char *out = p->paths + p->paths_used, *d = out;
	const char *e = src + len;
	unsigned int v, k;

	while (src < e) {
		if (*src != '\\' || src + 1 == e) {
			*d++ = *src++;
			continue;
		}
		src++;
		if (*src >= '0' && *src <= '7') {
			for (v = 0, k = 0; k < 3 && src < e &&
			     *src >= '0' && *src <= '7'; k++)
				v = v * 8 + (unsigned int)(*src++ - '0');
			*d++ = (char)v;
			continue;
		}
		switch (*src) {
		case 'n':
			*d++ = '\n';
			break;
		case 't':
			*d++ = '\t';
			break;
		case 'r':
			*d++ = '\r';
			break;
		case 'v':
			*d++ = '\v';
			break;
		case 'f':
			*d++ = '\f';
			break;
		default:
			*d++ = *src;
			break;
		}
		src++;
	}
	*d++ = '\0';
	p->paths_used += (size_t)(d - out);
	return out;
}

/* FD<PATH>[(deleted)]: decode PATH of argument @i. */
static void arg_path(struct strace_parser *p, struct strace_event *ev,
		     unsigned int i)
{
	const char *s = ev->argv[i], *lt, *gt;

	for (lt = s; isalnum((unsigned char)*lt) || *lt == '_' || *lt == '-'; lt++)
		;
	/* -X verbose: a comment between the descriptor and its path */
	if (lt > s && !strncmp(lt, " /*", 3)) {
		lt = strstr(lt + 3, "*/");
		if (!lt)
			return;
		lt += 2;
	}
	if (lt == s || *lt != '<')
		return;
	for (gt = lt + 1; *gt && *gt != '>'; gt++)
		if (*gt == '\\' && !*++gt)
			return;
	if (*gt != '>')
		return;
	if (!strcmp(gt + 1, "(deleted)"))
		ev->fd_deleted |= 1U << i;
	else if (gt[1])
		return;
	ev->fdpath[i] = decode_path(p, lt + 1, (size_t)(gt - lt - 1));
}

/* Split p->raw into ev->argv. */
static int split_args(struct strace_parser *p, struct strace_event *ev,
		      unsigned long line)
{
	size_t len = strlen(p->raw);
	char *s, *end;

	if (reserve(&p->split, &p->split_cap, len + 1))
		return fail(p, line, "out of memory");
	memcpy(p->split, p->raw, len + 1);
	ev->args = p->raw;
	ev->nargs = 0;
	s = p->split;
	if (!*trim(s))
		return 0;
	for (;;) {
		end = (char *)skip_arg(s);
		if (!end)
			return fail(p, line, "unbalanced argument list");
		if (*end && *end != ',')
			return fail(p, line, "unexpected '%c' in arguments", *end);
		if (ev->nargs == STRACE_MAX_ARGS)
			return fail(p, line, "more than %d arguments",
				    STRACE_MAX_ARGS);
		ev->argv[ev->nargs++] = s;
		if (!*end) {
			ev->argv[ev->nargs - 1] = trim(s);
			arg_path(p, ev, ev->nargs - 1);
			return 0;
		}
		*end = '\0';
		ev->argv[ev->nargs - 1] = trim(s);
		arg_path(p, ev, ev->nargs - 1);
		s = end + 1;
		while (*s == ' ')
			s++;
	}
}

static int set_raw(struct strace_parser *p, const char *a, size_t alen,
		   const char *b, size_t blen)
{
	size_t paths = alen + blen + (p->line ? strlen(p->line) : 0) + 2;

	/* Sized once per event: decode_path() never reallocates. */
	p->paths_used = 0;
	if (reserve(&p->raw, &p->raw_cap, alen + blen + 1) ||
	    reserve(&p->paths, &p->paths_cap, paths))
		return -ENOMEM;
	memcpy(p->raw, a, alen);
	memcpy(p->raw + alen, b, blen);
	p->raw[alen + blen] = '\0';
	return 0;
}

static struct strace_pending *find_pending(struct strace_parser *p,
					   unsigned int tid)
{
	unsigned int i;

	for (i = 0; i < p->npending; i++)
		if (p->pending[i].tid == tid)
			return &p->pending[i];
	return NULL;
}

static void drop_pending(struct strace_parser *p, struct strace_pending *pd)
{
	free(pd->prefix);
	*pd = p->pending[--p->npending];
}

/* Report @pd as an INCOMPLETE event and forget it. */
static int emit_incomplete(struct strace_parser *p, struct strace_pending *pd,
			   struct strace_event *ev)
{
	int ret;

	memset(ev, 0, sizeof(*ev));
	ev->kind = STRACE_INCOMPLETE;
	ev->pid = pd->tid;
	ev->line = pd->line;
	ev->ret_unknown = true;
	memcpy(ev->name, pd->name, sizeof(ev->name));
	if (set_raw(p, pd->prefix, strlen(pd->prefix), "", 0)) {
		drop_pending(p, pd);
		return fail(p, ev->line, "out of memory");
	}
	ret = split_args(p, ev, ev->line);
	drop_pending(p, pd);
	return ret ? ret : 1;
}

static bool parse_uint(const char **sp, unsigned long *val)
{
	const char *s = *sp;
	unsigned long v = 0;

	if (!isdigit((unsigned char)*s))
		return false;
	for (; isdigit((unsigned char)*s); s++) {
		if (v > (~0UL - 9) / 10)
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*sp = s;
	*val = v;
	return true;
}

static bool starts(const char **sp, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncmp(*sp, prefix, n))
		return false;
	*sp += n;
	return true;
}

/* Copy an identifier-like word (letters, digits, '_') into @dst. */
static bool take_word(const char **sp, char *dst, size_t cap)
{
	const char *s = *sp;
	size_t n = 0;

	while (isalnum((unsigned char)s[n]) || s[n] == '_')
		n++;
	if (!n || n >= cap)
		return false;
	memcpy(dst, s, n);
	dst[n] = '\0';
	*sp = s + n;
	return true;
}

/* Strip a trailing -T duration " <SECS.USECS>". */
static void strip_duration(char *s)
{
	size_t n = strlen(s);
	char *e = s + n;
	char *q;

	if (n < 4 || e[-1] != '>')
		return;
	q = e - 2;
	while (q > s && (isdigit((unsigned char)*q) || *q == '.'))
		q--;
	if (q > s && *q == '<' && q[-1] == ' ' && q + 1 < e - 1 &&
	    isdigit((unsigned char)q[1]) && memchr(q, '.', (size_t)(e - q))) {
		q--;
		while (q > s && q[-1] == ' ')
			q--;
		*q = '\0';
	}
}

/* Parse "= RET [fdpath] [errinfo]" after the closing parenthesis. */
static int parse_return(struct strace_parser *p, const char *s,
			struct strace_event *ev)
{
	unsigned long v;
	bool neg = false;
	char *end;

	while (*s == ' ')
		s++;
	if (!starts(&s, "= "))
		return fail(p, p->lineno, "expected '= ' after the arguments");
	if (*s == '?') {
		ev->ret_unknown = true;
		s++;
	} else {
		if (*s == '-') {
			neg = true;
			s++;
		}
		if (!isdigit((unsigned char)*s))
			return fail(p, p->lineno, "bad return value");
		errno = 0;
		v = strtoul(s, &end, 0);
		if (errno || end == s)
			return fail(p, p->lineno, "bad return value");
		s = end;
		ev->ret = (long)(neg ? 0UL - v : v);
		if (*s == '<') {
			const char *lt = s;

			for (s++; *s && *s != '>'; s++)
				if (*s == '\\' && !*++s)
					break;
			if (*s != '>')
				return fail(p, p->lineno, "unterminated fd path in return value");
			ev->ret_path = decode_path(p, lt + 1, (size_t)(s - lt - 1));
			s++;
			ev->ret_deleted = starts(&s, "(deleted)");
		}
	}
	while (*s == ' ') {
		while (*s == ' ')
			s++;
		if (isupper((unsigned char)*s)) {
			if (!take_word(&s, ev->errname, sizeof(ev->errname)))
				return fail(p, p->lineno, "bad errno name");
		} else if (*s == '(') {
			const char *e = skip_arg(s + 1);

			while (e && *e == ',')
				e = skip_arg(e + 1);
			if (!e || *e != ')')
				return fail(p, p->lineno, "unbalanced error text");
			s = e + 1;
		} else if (!starts(&s, "<unavailable>") && *s) {
			return fail(p, p->lineno, "unexpected text after the return value");
		}
	}
	if (*s)
		return fail(p, p->lineno, "unexpected text after the return value");
	return 1;
}

static int add_pending(struct strace_parser *p, unsigned int tid,
		       const char *name, const char *text, size_t len,
		       unsigned int changed_to)
{
	struct strace_pending *pd;

	if (find_pending(p, tid))
		return fail(p, p->lineno, "pid %u has an unfinished call already", tid);
	if (p->npending == STRACE_MAX_PENDING)
		return fail(p, p->lineno, "too many unfinished calls");
	pd = &p->pending[p->npending];
	pd->prefix = malloc(len + 1);
	if (!pd->prefix)
		return fail(p, p->lineno, "out of memory");
	memcpy(pd->prefix, text, len);
	pd->prefix[len] = '\0';
	pd->tid = tid;
	pd->changed_to = changed_to;
	pd->line = p->lineno;
	strcpy(pd->name, name);
	p->npending++;
	return 0;
}

/* NAME(args) = ret, or NAME(args <unfinished ...> */
static int parse_call(struct strace_parser *p, const char *s,
		      struct strace_event *ev)
{
	static const char unfinished[] = "<unfinished ...>";
	const char *args, *close, *tail;
	size_t len;
	unsigned long changed = 0;
	int ret;

	if (!take_word(&s, ev->name, sizeof(ev->name)) || *s != '(')
		return fail(p, p->lineno, "expected a syscall name and '('");
	args = ++s;
	len = strlen(args);
	if (len >= sizeof(unfinished) - 1 &&
	    !strcmp(args + len - (sizeof(unfinished) - 1), unfinished)) {
		len -= sizeof(unfinished) - 1;
		while (len && args[len - 1] == ' ')
			len--;
		return add_pending(p, ev->pid, ev->name, args, len, 0);
	}
	tail = strstr(args, "<pid changed to ");
	if (tail && !strcmp(tail + strlen(tail) - 5, " ...>")) {
		const char *q = tail + 16;

		if (!parse_uint(&q, &changed) || strcmp(q, " ...>") ||
		    !changed || changed > INT_MAX)
			return fail(p, p->lineno, "bad <pid changed to N ...>");
		len = (size_t)(tail - args);
		while (len && args[len - 1] == ' ')
			len--;
		return add_pending(p, ev->pid, ev->name, args, len,
				   (unsigned int)changed);
	}
	if (find_pending(p, ev->pid))
		return fail(p, p->lineno, "pid %u has an unfinished call already",
			    ev->pid);
	close = skip_arg(args);
	while (close && *close == ',')
		close = skip_arg(close + 1);
	if (!close || *close != ')')
		return fail(p, p->lineno, "unbalanced argument list");
	if (set_raw(p, args, (size_t)(close - args), "", 0))
		return fail(p, p->lineno, "out of memory");
	ret = parse_return(p, close + 1, ev);
	if (ret < 0)
		return ret;
	ret = split_args(p, ev, p->lineno);
	return ret ? ret : 1;
}

/* <... NAME resumed>args) = ret */
static int parse_resumed(struct strace_parser *p, const char *s,
			 struct strace_event *ev)
{
	struct strace_pending *pd;
	const char *close;
	size_t plen;
	unsigned int i;
	int ret;

	if (!take_word(&s, ev->name, sizeof(ev->name)) ||
	    !starts(&s, " resumed>"))
		return fail(p, p->lineno, "bad <... NAME resumed> marker");
	pd = find_pending(p, ev->pid);
	for (i = 0; !pd && i < p->npending; i++)
		if (p->pending[i].changed_to == ev->pid)
			pd = &p->pending[i];
	if (!pd)
		return fail(p, p->lineno, "%s resumed for pid %u without an unfinished call",
			    ev->name, ev->pid);
	if (strcmp(pd->name, ev->name))
		return fail(p, p->lineno, "%s resumed for pid %u, but %s is unfinished",
			    ev->name, ev->pid, pd->name);
	plen = strlen(pd->prefix);
	if (set_raw(p, pd->prefix, plen, s, strlen(s)))
		return fail(p, p->lineno, "out of memory");
	close = skip_arg(p->raw);
	while (close && *close == ',')
		close = skip_arg(close + 1);
	if (!close || *close != ')' || (size_t)(close - p->raw) < plen)
		return fail(p, p->lineno, "unbalanced argument list");
	/* The return part is in the line: it follows the joined args. */
	ret = parse_return(p, s + (close - p->raw - (long)plen) + 1, ev);
	if (ret < 0)
		return ret;
	p->raw[close - p->raw] = '\0';
	drop_pending(p, pd);
	ret = split_args(p, ev, p->lineno);
	return ret ? ret : 1;
}

static int parse_signal(struct strace_parser *p, const char *s,
			struct strace_event *ev)
{
	size_t n = strlen(s);

	ev->kind = STRACE_SIGNAL;
	if (n < 4 || strcmp(s + n - 4, " ---"))
		return fail(p, p->lineno, "signal line does not end with ' ---'");
	starts(&s, "stopped by ");
	if (!take_word(&s, ev->signame, sizeof(ev->signame)) ||
	    strncmp(ev->signame, "SIG", 3))
		return fail(p, p->lineno, "bad signal name");
	if (*s == ' ' && s[1] == '{') {
		const char *e = skip_arg(s + 2);

		while (e && *e == ',')
			e = skip_arg(e + 1);
		if (!e || *e != '}' || strcmp(e + 1, " ---"))
			return fail(p, p->lineno, "bad siginfo");
	} else if (strcmp(s, " ---")) {
		return fail(p, p->lineno, "bad signal line");
	}
	return 1;
}

static int parse_exit(struct strace_parser *p, const char *s,
		      struct strace_event *ev)
{
	struct strace_pending *pd;
	unsigned long v;
	bool neg;

	if (starts(&s, "exited with ")) {
		ev->kind = STRACE_EXITED;
		neg = starts(&s, "-");
		if (!parse_uint(&s, &v))
			return fail(p, p->lineno, "bad exit status");
		ev->status = (long)(neg ? 0UL - v : v);
	} else if (starts(&s, "killed by ")) {
		ev->kind = STRACE_KILLED;
		if (!take_word(&s, ev->signame, sizeof(ev->signame)))
			return fail(p, p->lineno, "bad signal name");
		ev->core_dumped = starts(&s, " (core dumped)");
	} else if (starts(&s, "superseded by execve in pid ")) {
		ev->kind = STRACE_SUPERSEDED;
		if (!parse_uint(&s, &v) || !v || v > INT_MAX)
			return fail(p, p->lineno, "bad pid");
		ev->status = (long)v;
	} else {
		return fail(p, p->lineno, "unknown +++ line");
	}
	if (strcmp(s, " +++"))
		return fail(p, p->lineno, "exit line does not end with ' +++'");
	/* The tid's own unfinished call never completes: report it first. */
	pd = find_pending(p, ev->pid);
	if (pd) {
		p->replay = true;
		return emit_incomplete(p, pd, ev);
	}
	if (ev->kind == STRACE_SUPERSEDED) {
		/* The execve resumes under the leader's pid. */
		pd = find_pending(p, (unsigned int)ev->status);
		if (pd)
			pd->tid = ev->pid;
	}
	return 1;
}

/*
 * A -t, -tt or -ttt timestamp [@s, @e) in microseconds (of the day, or of
 * the epoch): false if it is not one of those forms.
 */
static bool parse_stamp(const char *s, const char *e, unsigned long long *us)
{
	unsigned long long v = 0, field = 0, frac = 0;
	unsigned int colons = 0, digits = 0;
	bool dot = false;

	for (; s < e; s++) {
		if (*s == ':' && !dot) {
			v = (v + field) * 60;
			field = 0;
			colons++;
		} else if (*s == '.' && !dot) {
			dot = true;
		} else if (isdigit((unsigned char)*s) && !dot) {
			if (field > 1000000000000ULL)
				return false;
			field = field * 10 + (unsigned long long)(*s - '0');
		} else if (isdigit((unsigned char)*s) && digits < 6) {
			frac = frac * 10 + (unsigned long long)(*s - '0');
			digits++;
		} else {
			return false;
		}
	}
	if (colons != 0 && colons != 2)
		return false;
	for (; digits < 6; digits++)
		frac *= 10;
	*us = (v + field) * 1000000ULL + frac;
	return true;
}

/* Parse p->line: 1 with an event, 0 for a line without one, -EINVAL. */
static int parse_line(struct strace_parser *p, struct strace_event *ev)
{
	const char *s = p->line;
	unsigned long pid = p->default_pid;
	const char *q;

	memset(ev, 0, sizeof(*ev));
	ev->line = p->lineno;
	if (!*s || starts(&s, " > ") || !strncmp(s, "strace: ", 8) ||
	    !strcmp(s, "<detached ...>") || !strncmp(s, "[ Process PID=", 14))
		return 0;
	if (starts(&s, "[pid")) {
		while (*s == ' ')
			s++;
		if (!parse_uint(&s, &pid) || !starts(&s, "] "))
			return fail(p, p->lineno, "bad [pid N] prefix");
	} else if (isdigit((unsigned char)*s)) {
		q = s;
		if (parse_uint(&q, &pid) && (*q == ' ' || *q == '<')) {
			s = q;
			if (*s == '<') {
				q = strstr(s, "> ");
				if (!q)
					return fail(p, p->lineno, "bad PID<comm> prefix");
				s = q + 2;
			}
		} else {
			pid = p->default_pid;
		}
	}
	/* pids are ints for the simulator (and at most 2^22 in Linux) */
	if (!pid || pid > INT_MAX)
		return fail(p, p->lineno, "bad pid");
	ev->pid = (unsigned int)pid;
	while (*s == ' ')
		s++;
	if (isdigit((unsigned char)*s)) {
		q = s;
		while (isdigit((unsigned char)*q) || *q == ':' || *q == '.')
			q++;
		if (*q != ' ' || (!memchr(s, ':', (size_t)(q - s)) &&
				  !memchr(s, '.', (size_t)(q - s))))
			return fail(p, p->lineno, "bad timestamp");
		ev->has_stamp = parse_stamp(s, q, &ev->stamp_us);
		s = q;
		while (*s == ' ')
			s++;
	}
	if (starts(&s, "+++ "))
		return parse_exit(p, s, ev);
	if (starts(&s, "--- "))
		return parse_signal(p, s, ev);
	if (!strncmp(s, "strace: ", 8) || !strcmp(s, "<detached ...>"))
		return 0;
	strip_duration(p->line);
	ev->kind = STRACE_SYSCALL;
	if (starts(&s, "<... "))
		return parse_resumed(p, s, ev);
	return parse_call(p, s, ev);
}

/**
 * strace_next() - read the next event
 * @p: parser
 * @ev: filled with the event; its strings live until the next call
 *
 * Return: 1 with an event, 0 at the end of the log, -EINVAL on a malformed
 * line (message in @p->error; the next call goes on with the next line).
 */
int strace_next(struct strace_parser *p, struct strace_event *ev)
{
	ssize_t n;
	int ret;

	for (;;) {
		if (p->replay) {
			p->replay = false;
			ret = parse_line(p, ev);
			if (ret)
				return ret;
			continue;
		}
		if (p->eof) {
			if (p->npending)
				return emit_incomplete(p, &p->pending[0], ev);
			return 0;
		}
		n = getline(&p->line, &p->line_cap, p->in);
		if (n < 0) {
			p->eof = true;
			continue;
		}
		p->lineno++;
		if (n && p->line[n - 1] == '\n')
			p->line[--n] = '\0';
		if (n && p->line[n - 1] == '\r')
			p->line[--n] = '\0';
		if (strlen(p->line) != (size_t)n)
			return fail(p, p->lineno, "NUL byte in line");
		ret = parse_line(p, ev);
		if (ret)
			return ret;
	}
}

static const struct flag_name *lookup(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if (strlen(flag_names[i].name) == n &&
		    !strncmp(flag_names[i].name, s, n))
			return &flag_names[i];
	return NULL;
}

/* One number: decimal, 0x hex, -decimal. */
static bool parse_number(const char *s, size_t n, unsigned long *val)
{
	bool neg = false;
	unsigned long v = 0;
	size_t i = 0;
	int d;

	if (n && s[0] == '-') {
		neg = true;
		i = 1;
	}
	if (n - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		if (n - i - 2 > 16)
			return false;
		for (i += 2; i < n; i++) {
			if (!isxdigit((unsigned char)s[i]))
				return false;
			d = isdigit((unsigned char)s[i]) ? s[i] - '0' :
			    (tolower((unsigned char)s[i]) - 'a' + 10);
			v = v << 4 | (unsigned long)d;
		}
	} else {
		if (i == n)
			return false;
		for (; i < n; i++) {
			if (!isdigit((unsigned char)s[i]) ||
			    v > (~0UL - 9) / 10)
				return false;
			v = v * 10 + (unsigned long)(s[i] - '0');
		}
	}
	*val = neg ? -v : v;
	return true;
}

static int parse_ulong_plain(const char *s, unsigned long *val);

/**
 * strace_parse_ulong() - decode one argument as a number
 * @s: the argument text
 * @val: the value
 *
 * Accepts NULL, decimal (with an optional '-': two's complement), 0x hex,
 * "name=VALUE" (clone's flags=...), "|"-separated sets of known symbolic
 * names and numbers, and the -X verbose form: a number followed by a C
 * comment that spells it out (the comment is ignored).
 *
 * Return: 0, or -EINVAL for anything else (unknown names included).
 */
int strace_parse_ulong(const char *s, unsigned long *val)
{
	const char *c = strstr(s, "/*");
	char buf[256];
	size_t n;

	if (!c)
		return parse_ulong_plain(s, val);
	/*
	 * -X verbose comments, possibly one per |-part of a flag set (a
	 * number, its comment, '|', the exit signal, its comment): drop them
	 * with the blanks before them.
	 */
	for (n = 0; *s && n < sizeof(buf) - 1;) {
		if (s[0] == '/' && s[1] == '*') {
			c = strstr(s + 2, "*/");
			if (!c)
				return -EINVAL;
			while (n && buf[n - 1] == ' ')
				n--;
			s = c + 2;
			continue;
		}
		buf[n++] = *s++;
	}
	if (*s)
		return -EINVAL;
	buf[n] = '\0';
	return parse_ulong_plain(buf, val);
}

/* strace_parse_ulong() without the comments. */
static int parse_ulong_plain(const char *s, unsigned long *val)
{
	const struct flag_name *f;
	unsigned long v = 0, one;
	const char *e, *bar;
	size_t n;

	while (*s == ' ')
		s++;
	e = s;
	while (*e && *e != ' ')
		e++;
	for (bar = e; *bar == ' '; bar++)
		;
	if (*bar)
		return -EINVAL;
	/* name=VALUE */
	for (bar = s; bar < e && (islower((unsigned char)*bar) || *bar == '_'); bar++)
		;
	if (bar > s && bar < e && *bar == '=')
		s = bar + 1;
	if (e == s)
		return -EINVAL;
	if (e - s == 4 && !strncmp(s, "NULL", 4)) {
		*val = 0;
		return 0;
	}
	while (s < e) {
		bar = memchr(s, '|', (size_t)(e - s));
		n = bar ? (size_t)(bar - s) : (size_t)(e - s);
		if (!n)
			return -EINVAL;
		static const char huge[] = "<<MAP_HUGE_SHIFT";
		const size_t hn = sizeof(huge) - 1;

		if (n > hn && !memcmp(s + n - hn, huge, hn)) {
			/* "21<<MAP_HUGE_SHIFT": a huge page size, log2 */
			if (!parse_number(s, n - hn, &one) || one > 63)
				return -EINVAL;
			one <<= 26;
		} else if (isdigit((unsigned char)*s) || *s == '-') {
			if (!parse_number(s, n, &one))
				return -EINVAL;
		} else {
			f = lookup(s, n);
			if (!f)
				return -EINVAL;
			one = f->val;
		}
		v |= one;
		if (!bar)
			break;
		s = bar + 1;
		if (s == e)
			return -EINVAL;
	}
	*val = v;
	return 0;
}

/**
 * strace_arg_ulong() - decode argument @i of @ev as a number
 * @ev: a SYSCALL or INCOMPLETE event
 * @i: argument index
 * @val: the value
 *
 * Return: 0, or -EINVAL if there is no such argument or it is not a number.
 */
int strace_arg_ulong(const struct strace_event *ev, unsigned int i,
		     unsigned long *val)
{
	if (i >= ev->nargs)
		return -EINVAL;
	return strace_parse_ulong(ev->argv[i], val);
}

/**
 * strace_arg_fd() - decode argument @i of @ev as a file descriptor
 * @ev: a SYSCALL or INCOMPLETE event
 * @i: argument index
 * @fd: the descriptor (-1, AT_FDCWD = -100; -e raw's 0xffffffff is -1)
 * @path: the unescaped path -y printed after it (see @ev->fd_deleted),
 *        or NULL when there was none
 *
 * Return: 0, or -EINVAL if the argument is not a descriptor.
 */
int strace_arg_fd(const struct strace_event *ev, unsigned int i, int *fd,
		  const char **path)
{
	const char *s, *lt;
	unsigned long v;
	char buf[32];
	size_t n;

	if (i >= ev->nargs)
		return -EINVAL;
	s = ev->argv[i];
	lt = strchr(s, '<');
	if (lt && !ev->fdpath[i])
		return -EINVAL;
	n = lt ? (size_t)(lt - s) : strlen(s);
	if (!n || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (strace_parse_ulong(buf, &v))
		return -EINVAL;
	if ((long)v < -2147483648L || (long)v > 2147483647L) {
		if (v > 0xffffffffUL && (long)v > 0)
			return -EINVAL;
		v = (unsigned long)(long)(int)(unsigned int)v;
	}
	*fd = (int)(long)v;
	*path = ev->fdpath[i];
	return 0;
}
