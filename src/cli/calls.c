/* SPDX-License-Identifier: MIT */
/*
 * calls.c - decoding of the modelled syscalls from strace's text: the
 * table of calls (name, class, arity) and, per call, which argument is a
 * number, a descriptor, a string or a structure member.
 *
 * strace prints most arguments as numbers or as |-separated symbolic
 * flags, which strace_parse_ulong() reads.  The exceptions handled here:
 *  - strings ("/etc/ld.so.cache", memfd names), C-escaped;
 *  - descriptors with a -y path (3</usr/lib/libc.so.6>);
 *  - clone's "flags=" keyword argument and clone3's / openat2's structure
 *    members ({flags=CLONE_VM|..., ...});
 *  - fork() and vfork(), which have no arguments to decode.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "calls.h"

struct call_desc {
	const char *name;
	enum call_class cls;
	unsigned int nargs;	/* arguments a well-formed line has */
};

static const struct call_desc call_table[NR_CALLS] = {
	[CALL_UNKNOWN]		= { "",			CALL_CLASS_NONE,	0 },
	[CALL_MMAP]		= { "mmap",		CALL_CLASS_MEMORY,	6 },
	[CALL_MUNMAP]		= { "munmap",		CALL_CLASS_MEMORY,	2 },
	[CALL_MREMAP]		= { "mremap",		CALL_CLASS_MEMORY,	4 },
	[CALL_MPROTECT]		= { "mprotect",		CALL_CLASS_MEMORY,	3 },
	[CALL_PKEY_MPROTECT]	= { "pkey_mprotect",	CALL_CLASS_MEMORY,	4 },
	[CALL_BRK]		= { "brk",		CALL_CLASS_MEMORY,	1 },
	[CALL_MADVISE]		= { "madvise",		CALL_CLASS_MEMORY,	3 },
	[CALL_MLOCK]		= { "mlock",		CALL_CLASS_MEMORY,	2 },
	[CALL_MLOCK2]		= { "mlock2",		CALL_CLASS_MEMORY,	3 },
	[CALL_MUNLOCK]		= { "munlock",		CALL_CLASS_MEMORY,	2 },
	[CALL_MLOCKALL]		= { "mlockall",		CALL_CLASS_MEMORY,	1 },
	[CALL_MUNLOCKALL]	= { "munlockall",	CALL_CLASS_MEMORY,	0 },
	[CALL_MSEAL]		= { "mseal",		CALL_CLASS_MEMORY,	3 },
	[CALL_SHMAT]		= { "shmat",		CALL_CLASS_MEMORY,	3 },
	[CALL_SHMDT]		= { "shmdt",		CALL_CLASS_MEMORY,	1 },
	[CALL_OPEN]		= { "open",		CALL_CLASS_FILE,	2 },
	[CALL_OPENAT]		= { "openat",		CALL_CLASS_FILE,	3 },
	[CALL_OPENAT2]		= { "openat2",		CALL_CLASS_FILE,	4 },
	[CALL_CREAT]		= { "creat",		CALL_CLASS_FILE,	2 },
	[CALL_CLOSE]		= { "close",		CALL_CLASS_FILE,	1 },
	[CALL_CLOSE_RANGE]	= { "close_range",	CALL_CLASS_FILE,	3 },
	[CALL_DUP]		= { "dup",		CALL_CLASS_FILE,	1 },
	[CALL_DUP2]		= { "dup2",		CALL_CLASS_FILE,	2 },
	[CALL_DUP3]		= { "dup3",		CALL_CLASS_FILE,	3 },
	[CALL_FCNTL]		= { "fcntl",		CALL_CLASS_FILE,	2 },
	[CALL_MEMFD_CREATE]	= { "memfd_create",	CALL_CLASS_FILE,	2 },
	[CALL_CLONE]		= { "clone",		CALL_CLASS_PROCESS,	1 },
	[CALL_CLONE3]		= { "clone3",		CALL_CLASS_PROCESS,	1 },
	[CALL_FORK]		= { "fork",		CALL_CLASS_PROCESS,	0 },
	[CALL_VFORK]		= { "vfork",		CALL_CLASS_PROCESS,	0 },
	[CALL_EXECVE]		= { "execve",		CALL_CLASS_PROCESS,	1 },
	[CALL_EXECVEAT]		= { "execveat",		CALL_CLASS_PROCESS,	2 },
	[CALL_EXIT]		= { "exit",		CALL_CLASS_PROCESS,	1 },
	[CALL_EXIT_GROUP]	= { "exit_group",	CALL_CLASS_PROCESS,	1 },
};

/**
 * call_lookup() - the call a syscall name stands for.
 * @name: the name strace printed
 *
 * Return: the call, or CALL_UNKNOWN for calls vmasim does not model.
 */
enum call_nr call_lookup(const char *name)
{
	unsigned int i;

	for (i = 1; i < NR_CALLS; i++)
		if (!strcmp(call_table[i].name, name))
			return (enum call_nr)i;
	/* strace 6.1 predates mseal (x86-64 syscall 462) */
	if (!strcmp(name, "syscall_0x1ce"))
		return CALL_MSEAL;
	return CALL_UNKNOWN;
}

/**
 * call_name() - the syscall name of a call.
 * @nr: the call
 *
 * Return: the name, "" for CALL_UNKNOWN.
 */
const char *call_name(enum call_nr nr)
{
	return nr < NR_CALLS ? call_table[nr].name : "";
}

/**
 * call_class() - whether a call is about memory, descriptors or processes.
 * @nr: the call
 *
 * Return: its class, CALL_CLASS_NONE for CALL_UNKNOWN.
 */
enum call_class call_class(enum call_nr nr)
{
	return nr < NR_CALLS ? call_table[nr].cls : CALL_CLASS_NONE;
}

static int bad(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int octal_digit(char c)
{
	return c >= '0' && c <= '7' ? c - '0' : -1;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One escape sequence after the backslash at *@s; advances *@s. */
static int unescape_one(const char **s)
{
	const char *p = *s;
	int v = 0, d, i;

	switch (*p) {
	case 'n': *s = p + 1; return '\n';
	case 't': *s = p + 1; return '\t';
	case 'r': *s = p + 1; return '\r';
	case 'v': *s = p + 1; return '\v';
	case 'f': *s = p + 1; return '\f';
	case 'a': *s = p + 1; return '\a';
	case 'b': *s = p + 1; return '\b';
	case '\\': case '"': case '\'': case '?':
		*s = p + 1;
		return *p;
	case 'x':
		for (i = 1; i <= 2 && (d = hex_digit(p[i])) >= 0; i++)
			v = v * 16 + d;
		if (i == 1)
			return -1;
		*s = p + i;
		return v;
	default:
		for (i = 0; i < 3 && (d = octal_digit(p[i])) >= 0; i++)
			v = v * 8 + d;
		if (!i || v > 255)
			return -1;
		*s = p + i;
		return v;
	}
}

/**
 * call_unescape() - the bytes of a C string literal as strace prints it.
 * @s: the argument: "..." with C escapes, maybe followed by "..." when
 *	strace truncated it (the truncated text is what is returned)
 * @out: the unescaped string, NUL-terminated
 * @outlen: size of @out
 *
 * Return: 0; -EINVAL if @s is not a string literal or has a NUL byte;
 * -ENAMETOOLONG if it does not fit.
 */
int call_unescape(const char *s, char *out, size_t outlen)
{
	size_t n = 0;
	int c;

	while (*s == ' ')
		s++;
	if (*s++ != '"')
		return -EINVAL;
	for (; *s && *s != '"'; n++) {
		if (*s == '\\') {
			s++;
			c = unescape_one(&s);
			if (c <= 0)
				return -EINVAL;
		} else {
			c = (unsigned char)*s++;
		}
		if (n + 1 >= outlen)
			return -ENAMETOOLONG;
		out[n] = (char)c;
	}
	if (*s != '"')
		return -EINVAL;
	for (s++; *s == '.'; s++)
		;
	while (*s == ' ')
		s++;
	if (*s)
		return -EINVAL;
	out[n] = '\0';
	return 0;
}

/*
 * The value of "key=VALUE" inside argument text such as clone3's
 * "{flags=CLONE_VM|..., child_tid=...} => {...}": the text of VALUE up to
 * the next ',' or '}', decoded.  Only the first structure (before "=>")
 * is searched.
 */
static int member_ulong(const char *arg, const char *key, unsigned long *val)
{
	const char *p = arg, *end = strstr(arg, "=>");
	size_t klen = strlen(key), n;
	char buf[512];

	while ((p = strstr(p, key)) != NULL && (!end || p < end)) {
		bool at_start = p == arg || p[-1] == '{' || p[-1] == ' ';

		if (at_start && p[klen] == '=') {
			p += klen + 1;
			n = strcspn(p, ",}");
			if (n >= sizeof(buf))
				return -EINVAL;
			memcpy(buf, p, n);
			buf[n] = '\0';
			return strace_parse_ulong(buf, val);
		}
		p += klen;
	}
	return -ENOENT;
}

/* Argument @i as a number, or an error naming it. */
static int num(const struct strace_event *ev, unsigned int i,
	       unsigned long *val, char *err, size_t errlen)
{
	if (i >= ev->nargs)
		return bad(err, errlen, "%s: argument %u is missing",
			   ev->name, i + 1);
	if (strace_parse_ulong(ev->argv[i], val))
		return bad(err, errlen, "%s: argument %u '%s' is not a number",
			   ev->name, i + 1, ev->argv[i]);
	return 0;
}

/* Argument @i as a descriptor (AT_FDCWD and -1 included). */
static int fd(const struct strace_event *ev, unsigned int i,
	      struct sim_call *c, char *err, size_t errlen)
{
	const char *path;
	int v;

	if (i >= ev->nargs)
		return bad(err, errlen, "%s: argument %u is missing",
			   ev->name, i + 1);
	if (strace_arg_fd(ev, i, &v, &path))
		return bad(err, errlen,
			   "%s: argument %u '%s' is not a descriptor",
			   ev->name, i + 1, ev->argv[i]);
	c->arg[i] = (unsigned long)(long)v;
	c->fdpath[i] = path;
	return 0;
}

/* Argument @i as a string into @c->path. */
static int str(const struct strace_event *ev, unsigned int i,
	       struct sim_call *c, char *err, size_t errlen)
{
	int ret;

	if (i >= ev->nargs)
		return bad(err, errlen, "%s: argument %u is missing",
			   ev->name, i + 1);
	ret = call_unescape(ev->argv[i], c->path, sizeof(c->path));
	if (ret == -ENAMETOOLONG)
		return bad(err, errlen, "%s: argument %u is too long",
			   ev->name, i + 1);
	if (ret)
		return bad(err, errlen,
			   "%s: argument %u '%s' is not a string",
			   ev->name, i + 1, ev->argv[i]);
	return 0;
}

/* open family: prefer the path -y printed after the returned descriptor. */
static void prefer_returned_path(const struct strace_event *ev,
				 struct sim_call *c)
{
	size_t n;

	if (!ev->ret_path)
		return;
	n = strlen(ev->ret_path);
	if (n < sizeof(c->path))
		memcpy(c->path, ev->ret_path, n + 1);
}

static int decode_clone(const struct strace_event *ev, struct sim_call *c,
			char *err, size_t errlen)
{
	unsigned int i;
	int ret;

	if (c->nr == CALL_FORK)
		return 0;
	if (c->nr == CALL_VFORK)
		return 0;
	if (!ev->nargs)
		return bad(err, errlen, "%s: no arguments", ev->name);
	if (c->nr == CALL_CLONE3) {
		ret = member_ulong(ev->argv[0], "flags", &c->arg[0]);
		if (ret)
			return bad(err, errlen,
				   "clone3: no readable flags= in '%s'",
				   ev->argv[0]);
		return 0;
	}
	/* clone(child_stack=..., flags=..., ...): find flags= */
	for (i = 0; i < ev->nargs; i++) {
		if (!strncmp(ev->argv[i], "flags=", 6)) {
			if (strace_parse_ulong(ev->argv[i], &c->arg[0]))
				return bad(err, errlen,
					   "clone: unreadable '%s'",
					   ev->argv[i]);
			return 0;
		}
	}
	/* -e raw=clone, or a bare argument list: flags come first on x86-64 */
	return num(ev, 0, &c->arg[0], err, errlen);
}

static int decode_file(const struct strace_event *ev, struct sim_call *c,
		       char *err, size_t errlen)
{
	int ret;

	switch (c->nr) {
	case CALL_OPEN:
	case CALL_CREAT:
		ret = str(ev, 0, c, err, errlen);
		if (!ret && c->nr == CALL_OPEN)
			ret = num(ev, 1, &c->arg[1], err, errlen);
		if (!ret && c->nr == CALL_CREAT)
			c->arg[1] = 0101 | 01000;	/* O_CREAT|O_WRONLY|O_TRUNC */
		break;
	case CALL_OPENAT:
		ret = fd(ev, 0, c, err, errlen);
		if (!ret)
			ret = str(ev, 1, c, err, errlen);
		if (!ret)
			ret = num(ev, 2, &c->arg[2], err, errlen);
		break;
	case CALL_OPENAT2:
		ret = fd(ev, 0, c, err, errlen);
		if (!ret)
			ret = str(ev, 1, c, err, errlen);
		if (!ret && ev->nargs > 2 &&
		    member_ulong(ev->argv[2], "flags", &c->arg[2]))
			ret = bad(err, errlen,
				  "openat2: no readable flags= in '%s'",
				  ev->argv[2]);
		break;
	case CALL_CLOSE:
	case CALL_DUP:
		ret = fd(ev, 0, c, err, errlen);
		break;
	case CALL_DUP2:
		ret = fd(ev, 0, c, err, errlen);
		if (!ret)
			ret = fd(ev, 1, c, err, errlen);
		break;
	case CALL_DUP3:
		ret = fd(ev, 0, c, err, errlen);
		if (!ret)
			ret = fd(ev, 1, c, err, errlen);
		if (!ret)
			ret = num(ev, 2, &c->arg[2], err, errlen);
		break;
	case CALL_CLOSE_RANGE:
		ret = fd(ev, 0, c, err, errlen);
		if (!ret)
			ret = num(ev, 1, &c->arg[1], err, errlen);
		if (!ret)
			ret = num(ev, 2, &c->arg[2], err, errlen);
		c->arg[0] &= 0xffffffffUL;
		c->arg[1] &= 0xffffffffUL;
		break;
	case CALL_FCNTL:
		ret = fd(ev, 0, c, err, errlen);
		if (!ret)
			ret = num(ev, 1, &c->arg[1], err, errlen);
		/* F_GETFD and friends have no third argument */
		if (!ret && ev->nargs > 2)
			ret = num(ev, 2, &c->arg[2], err, errlen);
		break;
	case CALL_MEMFD_CREATE:
		ret = str(ev, 0, c, err, errlen);
		if (!ret)
			ret = num(ev, 1, &c->arg[1], err, errlen);
		break;
	default:
		ret = bad(err, errlen, "%s: not a descriptor call", ev->name);
	}
	if (!ret && (c->nr == CALL_OPEN || c->nr == CALL_OPENAT ||
		     c->nr == CALL_OPENAT2 || c->nr == CALL_CREAT))
		prefer_returned_path(ev, c);
	return ret;
}

/* mmap's descriptor, then every numeric argument of a memory call. */
static int decode_memory(const struct strace_event *ev, struct sim_call *c,
			 char *err, size_t errlen)
{
	unsigned int i, n = call_table[c->nr].nargs;
	int ret;

	for (i = 0; i < n; i++) {
		if (c->nr == CALL_MMAP && i == 4)
			ret = fd(ev, i, c, err, errlen);
		else
			ret = num(ev, i, &c->arg[i], err, errlen);
		if (ret)
			return ret;
	}
	/* mremap's fifth argument exists with MREMAP_FIXED/DONTUNMAP only */
	if (c->nr == CALL_MREMAP && ev->nargs > 4)
		return num(ev, 4, &c->arg[4], err, errlen);
	return 0;
}

/**
 * call_decode() - the call an event of a log stands for, with its
 * arguments as numbers.
 * @ev: a SYSCALL (or INCOMPLETE) event
 * @c: the decoded call; @c->nr is CALL_UNKNOWN for unmodelled calls
 * @err: where a description of what is wrong goes (without FILE:LINE)
 * @errlen: size of @err
 *
 * Return: 0 (unmodelled calls included); -EINVAL when a modelled call's
 * arguments cannot be read.
 */
int call_decode(const struct strace_event *ev, struct sim_call *c,
		char *err, size_t errlen)
{
	memset(c->arg, 0, sizeof(c->arg));
	memset(c->fdpath, 0, sizeof(c->fdpath));
	c->path[0] = '\0';
	c->nr = call_lookup(ev->name);

	switch (call_class(c->nr)) {
	case CALL_CLASS_MEMORY:
		return decode_memory(ev, c, err, errlen);
	case CALL_CLASS_FILE:
		return decode_file(ev, c, err, errlen);
	case CALL_CLASS_PROCESS:
		break;
	case CALL_CLASS_NONE:
		return 0;
	}
	switch (c->nr) {
	case CALL_EXECVE:
		return str(ev, 0, c, err, errlen);
	case CALL_EXECVEAT:
		if (fd(ev, 0, c, err, errlen))
			return -EINVAL;
		return str(ev, 1, c, err, errlen);
	case CALL_EXIT:
	case CALL_EXIT_GROUP:
		return num(ev, 0, &c->arg[0], err, errlen);
	default:
		return decode_clone(ev, c, err, errlen);
	}
}

#define ERRNO_NAME(e)	{ #e, e }

static const struct {
	const char *name;
	int value;
} errno_names[] = {
	ERRNO_NAME(EPERM), ERRNO_NAME(ENOENT), ERRNO_NAME(ESRCH),
	ERRNO_NAME(EINTR), ERRNO_NAME(EIO), ERRNO_NAME(ENXIO),
	ERRNO_NAME(E2BIG), ERRNO_NAME(ENOEXEC), ERRNO_NAME(EBADF),
	ERRNO_NAME(ECHILD), ERRNO_NAME(EAGAIN), ERRNO_NAME(ENOMEM),
	ERRNO_NAME(EACCES), ERRNO_NAME(EFAULT), ERRNO_NAME(EBUSY),
	ERRNO_NAME(EEXIST), ERRNO_NAME(EXDEV), ERRNO_NAME(ENODEV),
	ERRNO_NAME(ENOTDIR), ERRNO_NAME(EISDIR), ERRNO_NAME(EINVAL),
	ERRNO_NAME(ENFILE), ERRNO_NAME(EMFILE), ERRNO_NAME(ENOTTY),
	ERRNO_NAME(ETXTBSY), ERRNO_NAME(EFBIG), ERRNO_NAME(ENOSPC),
	ERRNO_NAME(ESPIPE), ERRNO_NAME(EROFS), ERRNO_NAME(EMLINK),
	ERRNO_NAME(EPIPE), ERRNO_NAME(ERANGE), ERRNO_NAME(ENAMETOOLONG),
	ERRNO_NAME(ENOSYS), ERRNO_NAME(ELOOP), ERRNO_NAME(EOVERFLOW),
	ERRNO_NAME(EOPNOTSUPP), ERRNO_NAME(EIDRM), ERRNO_NAME(ENOTSUP),
	ERRNO_NAME(EDQUOT), ERRNO_NAME(ESTALE), ERRNO_NAME(EHWPOISON),
	/* the kernel-internal restart codes strace shows for interrupted calls */
	{ "ERESTARTSYS", 512 }, { "ERESTARTNOINTR", 513 },
	{ "ERESTARTNOHAND", 514 }, { "ERESTART_RESTARTBLOCK", 516 },
};

/**
 * call_errno() - the value of an errno name as strace prints it.
 * @name: "ENOMEM"
 *
 * Return: the positive errno value, or 0 if the name is unknown.
 */
int call_errno(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++)
		if (!strcmp(errno_names[i].name, name))
			return errno_names[i].value;
	return 0;
}

/**
 * call_clone_flags() - the CLONE_* flags of a clone-family call from its
 * name and (possibly partial) argument text, as an <unfinished ...> line
 * leaves them.
 * @name: "clone", "clone3", "fork" or "vfork"
 * @args: the argument text printed so far
 * @flags: the flags (fork: 0, vfork: CLONE_VM | CLONE_VFORK)
 *
 * Return: 0, or -EINVAL if @name is not a clone-family call or its flags
 * are not in @args.
 */
int call_clone_flags(const char *name, const char *args, unsigned long *flags)
{
	switch (call_lookup(name)) {
	case CALL_FORK:
		*flags = 0;
		return 0;
	case CALL_VFORK:
		*flags = 0x100 | 0x4000;	/* CLONE_VM | CLONE_VFORK */
		return 0;
	case CALL_CLONE:
	case CALL_CLONE3:
		return member_ulong(args, "flags", flags) ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}
