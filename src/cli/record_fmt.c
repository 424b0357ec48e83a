/* SPDX-License-Identifier: MIT */
/*
 * record_fmt.c - how `vmasim record` writes each traced call, signal and
 * siginfo, byte for byte as `strace -f -y` 6.1 writes them on x86-64.
 *
 * The rules, learnt from strace 6.1's output (and its documented format):
 *   - addresses are NULL or 0x...; lengths are unsigned decimal; offsets
 *     and other raw values are 0x... with 0 written as "0";
 *   - a flag set lists the names of a table in the table's order, joined
 *     by '|', then any unknown bits as |0x...; a value with no known bit is
 *     written 0x... followed by a comment naming the family (PROT_???);
 *     a set that is zero is written as the table's zero name, or "0";
 *   - a descriptor is its number followed, when /proc/TID/fd/N resolves,
 *     by <path>; in the path '<' and '>' are escaped along with quotes,
 *     backslashes and unprintable bytes, and a path the kernel marked
 *     " (deleted)" is written <path>(deleted);
 *   - strings are quoted C-style with octal escapes (\1, or \001 when a
 *     digit follows); paths are cut at 4095 bytes, other strings at 32,
 *     with "..." after a cut;
 *   - the flag names are those strace 6.1 knows: newer constants (for
 *     example MADV_GUARD_INSTALL, MAP_DROPPABLE, MFD_NOEXEC_SEAL) are
 *     written as unknown bits, as 6.1 writes them.  mseal, unknown to 6.1,
 *     is written the way later strace versions write it.
 * Each decoder mirrors the split between entry and exit that strace uses,
 * so that an interrupted line is cut at the same place.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "record_fmt.h"

#ifndef SYS_mseal
#define SYS_mseal	462
#endif

#define REC_PATH_MAX	4096	/* PATH_MAX of strace's buffers */
#define REC_MFD_NAME	250	/* memfd names: 255 - "memfd:" + 1 */
#define AT_FDCWD_VAL	(-100)

/* ---- growable text ------------------------------------------------- */

/**
 * rec_text_reset - empty a text, keeping its buffer
 * @t: the text
 */
void rec_text_reset(struct rec_text *t)
{
	t->len = 0;
	t->oom = false;
	if (t->s)
		t->s[0] = '\0';
}

/**
 * rec_text_free - release a text's buffer
 * @t: the text
 */
void rec_text_free(struct rec_text *t)
{
	free(t->s);
	t->s = NULL;
	t->len = 0;
	t->cap = 0;
}

static bool text_reserve(struct rec_text *t, size_t more)
{
	size_t need = t->len + more + 1;
	size_t cap;
	char *s;

	if (t->oom)
		return false;
	if (need <= t->cap)
		return true;
	cap = t->cap ? t->cap : 256;
	while (cap < need)
		cap *= 2;
	s = realloc(t->s, cap);
	if (!s) {
		t->oom = true;
		return false;
	}
	t->s = s;
	t->cap = cap;
	return true;
}

/**
 * rec_text_putn - append @n bytes
 * @t: the text
 * @s: the bytes
 * @n: how many
 */
void rec_text_putn(struct rec_text *t, const char *s, size_t n)
{
	if (!text_reserve(t, n))
		return;
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

/**
 * rec_text_puts - append a string
 * @t: the text
 * @s: the string
 */
void rec_text_puts(struct rec_text *t, const char *s)
{
	rec_text_putn(t, s, strlen(s));
}

/**
 * rec_text_printf - append formatted text
 * @t: the text
 * @fmt: printf format
 */
void rec_text_printf(struct rec_text *t, const char *fmt, ...)
{
	char small[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		rec_text_putn(t, small, n);
		return;
	}
	if (!text_reserve(t, n))
		return;
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, n + 1, fmt, ap);
	va_end(ap);
	t->len += n;
}

/* ---- tracee memory ------------------------------------------------- */

static int peek_words(pid_t tid, unsigned long addr, void *buf, size_t len)
{
	unsigned long start = addr & ~(sizeof(long) - 1);
	size_t skip = addr - start;
	char *out = buf;

	while (len) {
		size_t n = sizeof(long) - skip;
		long word;

		errno = 0;
		word = ptrace(PTRACE_PEEKDATA, tid, (void *)start, NULL);
		if (errno)
			return -1;
		if (n > len)
			n = len;
		memcpy(out, (char *)&word + skip, n);
		out += n;
		len -= n;
		start += sizeof(long);
		skip = 0;
	}
	return 0;
}

/**
 * rec_mem_read - copy @len bytes of a tracee's memory
 * @tid: the stopped tracee
 * @addr: address in the tracee
 * @buf: where to copy
 * @len: how many bytes
 *
 * Return: 0 when all @len bytes were read, -1 otherwise.
 */
int rec_mem_read(pid_t tid, unsigned long addr, void *buf, size_t len)
{
	struct iovec local = { .iov_base = buf, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)addr, .iov_len = len };
	ssize_t n;

	if (!len)
		return 0;
	n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return 0;
	if (n < 0 && (errno == ENOSYS || errno == EPERM))
		return peek_words(tid, addr, buf, len);
	return -1;
}

/*
 * Reads the NUL-terminated string at @addr into @buf (@max + 1 bytes).
 * Returns its length when a NUL was seen within @max + 1 bytes, -2 when
 * none was (the first @max bytes are in @buf), -1 when nothing could be
 * read.  Reads stop at page boundaries so that a string ending just
 * before an unmapped page is still read.
 */
static long mem_string(pid_t tid, unsigned long addr, char *buf, size_t max)
{
	size_t done = 0;
	size_t want = max + 1;

	while (done < want) {
		size_t chunk = 4096 - ((addr + done) & 4095);
		char *nul;

		if (chunk > want - done)
			chunk = want - done;
		if (rec_mem_read(tid, addr + done, buf + done, chunk))
			return done ? -2 : -1;
		nul = memchr(buf + done, '\0', chunk);
		if (nul)
			return nul - buf;
		done += chunk;
	}
	return -2;
}

/* ---- quoting ------------------------------------------------------- */

static bool is_printable(unsigned char c)
{
	return c >= ' ' && c < 0x7f;
}

/* \1, \12 or \123; always three digits before a digit. */
static void put_octal(struct rec_text *t, unsigned char c, bool digit_next)
{
	rec_text_printf(t, digit_next ? "\\%03o" : "\\%o", c);
}

static bool quote_special(struct rec_text *t, unsigned char c)
{
	static const char from[] = "\"\\\f\n\r\t\v";
	static const char to[] = "\"\\fnrtv";
	const char *p = c ? strchr(from, c) : NULL;
	char esc[2];

	if (!p)
		return false;
	esc[0] = '\\';
	esc[1] = to[p - from];
	rec_text_putn(t, esc, 2);
	return true;
}

/**
 * rec_quote - append @n bytes quoted as strace quotes strings
 * @t: the text
 * @s: the bytes (NULs are escaped like other unprintable bytes)
 * @n: how many
 * @quotes: surround with double quotes
 * @escape: further printable characters to escape in octal, or NULL
 */
void rec_quote(struct rec_text *t, const char *s, size_t n, bool quotes,
	       const char *escape)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	if (quotes)
		rec_text_putn(t, "\"", 1);
	for (i = 0; i < n; i++) {
		unsigned char c = u[i];
		bool digit_next = i + 1 < n && u[i + 1] >= '0' && u[i + 1] <= '7';

		if (quote_special(t, c))
			continue;
		if (is_printable(c) && !(escape && strchr(escape, c)))
			rec_text_putn(t, (const char *)&c, 1);
		else
			put_octal(t, c, digit_next);
	}
	if (quotes)
		rec_text_putn(t, "\"", 1);
}

/* ---- scalar arguments ---------------------------------------------- */

static void put_addr(struct rec_text *t, unsigned long a)
{
	if (a)
		rec_text_printf(t, "%#lx", a);
	else
		rec_text_puts(t, "NULL");
}

static void put_hex(struct rec_text *t, unsigned long long v)
{
	rec_text_printf(t, "%#llx", v);
}

static void put_sep(struct rec_text *t)
{
	rec_text_putn(t, ", ", 2);
}

static void put_mode(struct rec_text *t, unsigned long mode)
{
	rec_text_printf(t, "%#03ho", (unsigned short)mode);
}

/*
 * A NUL-terminated string of the tracee, cut after @max bytes with "...";
 * NULL, or the address when it cannot be read.
 */
static void put_cstring(struct rec_text *t, pid_t tid, unsigned long addr,
			size_t max)
{
	char *buf;
	long len;

	if (!addr) {
		rec_text_puts(t, "NULL");
		return;
	}
	buf = malloc(max + 1);
	if (!buf) {
		t->oom = true;
		return;
	}
	len = mem_string(tid, addr, buf, max);
	if (len == -1) {
		put_addr(t, addr);
	} else if (len == -2) {
		rec_quote(t, buf, max, true, NULL);
		rec_text_puts(t, "...");
	} else {
		rec_quote(t, buf, len, true, NULL);
	}
	free(buf);
}

static void put_path(struct rec_text *t, pid_t tid, unsigned long addr)
{
	put_cstring(t, tid, addr, REC_PATH_MAX - 1);
}

/* ---- flag tables ---------------------------------------------------- */

struct rec_flag {
	unsigned long long val;
	const char *name;
};

#define F(x)		{ x, #x }
#define FV(v, n)	{ v, n }
#define F_END		{ 0, NULL }

static const struct rec_flag prot_flags[] = {
	FV(0x0, "PROT_NONE"), FV(0x1, "PROT_READ"), FV(0x2, "PROT_WRITE"),
	FV(0x4, "PROT_EXEC"), FV(0x8, "PROT_SEM"),
	FV(0x01000000, "PROT_GROWSDOWN"), FV(0x02000000, "PROT_GROWSUP"),
	F_END
};

/* strace 6.1's order; MAP_DROPPABLE and MAP_ABOVE4G are later. */
static const struct rec_flag mmap_flags[] = {
	FV(0x1, "MAP_SHARED"), FV(0x2, "MAP_PRIVATE"),
	FV(0x3, "MAP_SHARED_VALIDATE"), FV(0x10, "MAP_FIXED"),
	FV(0x20, "MAP_ANONYMOUS"), FV(0x40, "MAP_32BIT"),
	FV(0x4000, "MAP_NORESERVE"), FV(0x8000, "MAP_POPULATE"),
	FV(0x10000, "MAP_NONBLOCK"), FV(0x100, "MAP_GROWSDOWN"),
	FV(0x800, "MAP_DENYWRITE"), FV(0x1000, "MAP_EXECUTABLE"),
	FV(0x0, "MAP_FILE"), FV(0x2000, "MAP_LOCKED"),
	FV(0x20000, "MAP_STACK"), FV(0x40000, "MAP_HUGETLB"),
	FV(0x80000, "MAP_SYNC"), FV(0x4000000, "MAP_UNINITIALIZED"),
	FV(0x100000, "MAP_FIXED_NOREPLACE"),
	F_END
};

static const struct rec_flag mremap_flags[] = {
	FV(0x1, "MREMAP_MAYMOVE"), FV(0x2, "MREMAP_FIXED"),
	FV(0x4, "MREMAP_DONTUNMAP"),
	F_END
};

static const struct rec_flag madvise_cmds[] = {
	FV(0, "MADV_NORMAL"), FV(1, "MADV_RANDOM"), FV(2, "MADV_SEQUENTIAL"),
	FV(3, "MADV_WILLNEED"), FV(4, "MADV_DONTNEED"), FV(8, "MADV_FREE"),
	FV(9, "MADV_REMOVE"), FV(10, "MADV_DONTFORK"), FV(11, "MADV_DOFORK"),
	FV(12, "MADV_MERGEABLE"), FV(13, "MADV_UNMERGEABLE"),
	FV(14, "MADV_HUGEPAGE"), FV(15, "MADV_NOHUGEPAGE"),
	FV(16, "MADV_DONTDUMP"), FV(17, "MADV_DODUMP"),
	FV(18, "MADV_WIPEONFORK"), FV(19, "MADV_KEEPONFORK"),
	FV(20, "MADV_COLD"), FV(21, "MADV_PAGEOUT"),
	FV(22, "MADV_POPULATE_READ"), FV(23, "MADV_POPULATE_WRITE"),
	FV(24, "MADV_DONTNEED_LOCKED"), FV(25, "MADV_COLLAPSE"),
	FV(100, "MADV_HWPOISON"), FV(101, "MADV_SOFT_OFFLINE"),
	F_END
};

static const struct rec_flag mlock_flags[] = {
	FV(0x1, "MLOCK_ONFAULT"),
	F_END
};

static const struct rec_flag mlockall_flags[] = {
	FV(0x1, "MCL_CURRENT"), FV(0x2, "MCL_FUTURE"), FV(0x4, "MCL_ONFAULT"),
	F_END
};

static const struct rec_flag shm_flags[] = {
	FV(010000, "SHM_RDONLY"), FV(020000, "SHM_RND"),
	FV(040000, "SHM_REMAP"), FV(0100000, "SHM_EXEC"),
	F_END
};

static const struct rec_flag open_access[] = {
	FV(0, "O_RDONLY"), FV(1, "O_WRONLY"), FV(2, "O_RDWR"),
	FV(3, "O_ACCMODE"),
	F_END
};

static const struct rec_flag open_flags[] = {
	FV(0100, "O_CREAT"), FV(0200, "O_EXCL"), FV(0400, "O_NOCTTY"),
	FV(01000, "O_TRUNC"), FV(02000, "O_APPEND"), FV(04000, "O_NONBLOCK"),
	FV(04010000, "O_SYNC"), FV(04000000, "__O_SYNC"),
	FV(010000, "O_DSYNC"), FV(040000, "O_DIRECT"),
	FV(0100000, "O_LARGEFILE"), FV(0400000, "O_NOFOLLOW"),
	FV(01000000, "O_NOATIME"), FV(02000000, "O_CLOEXEC"),
	FV(010000000, "O_PATH"), FV(020200000, "O_TMPFILE"),
	FV(020000000, "__O_TMPFILE"), FV(0200000, "O_DIRECTORY"),
	FV(020000, "FASYNC"),
	F_END
};

#define O_CREAT_VAL	0100
#define O_TMPFILE_BIT	020000000

static const struct rec_flag resolve_flags[] = {
	FV(0x1, "RESOLVE_NO_XDEV"), FV(0x2, "RESOLVE_NO_MAGICLINKS"),
	FV(0x4, "RESOLVE_NO_SYMLINKS"), FV(0x8, "RESOLVE_BENEATH"),
	FV(0x10, "RESOLVE_IN_ROOT"), FV(0x20, "RESOLVE_CACHED"),
	F_END
};

static const struct rec_flag close_range_flags[] = {
	FV(0x2, "CLOSE_RANGE_UNSHARE"), FV(0x4, "CLOSE_RANGE_CLOEXEC"),
	F_END
};

static const struct rec_flag fd_flags[] = {
	FV(0x1, "FD_CLOEXEC"),
	F_END
};

/* F_SEAL_EXEC (0x20) is later than strace 6.1. */
static const struct rec_flag seal_flags[] = {
	FV(0x1, "F_SEAL_SEAL"), FV(0x2, "F_SEAL_SHRINK"),
	FV(0x4, "F_SEAL_GROW"), FV(0x8, "F_SEAL_WRITE"),
	FV(0x10, "F_SEAL_FUTURE_WRITE"),
	F_END
};

static const struct rec_flag notify_flags[] = {
	FV(0x1, "DN_ACCESS"), FV(0x2, "DN_MODIFY"), FV(0x4, "DN_CREATE"),
	FV(0x8, "DN_DELETE"), FV(0x10, "DN_RENAME"), FV(0x20, "DN_ATTRIB"),
	FV(0x80000000, "DN_MULTISHOT"),
	F_END
};

static const struct rec_flag lock_types[] = {
	FV(0, "F_RDLCK"), FV(1, "F_WRLCK"), FV(2, "F_UNLCK"),
	FV(4, "F_EXLCK"), FV(8, "F_SHLCK"),
	F_END
};

static const struct rec_flag whence_codes[] = {
	FV(0, "SEEK_SET"), FV(1, "SEEK_CUR"), FV(2, "SEEK_END"),
	FV(3, "SEEK_DATA"), FV(4, "SEEK_HOLE"),
	F_END
};

static const struct rec_flag owner_types[] = {
	FV(0, "F_OWNER_TID"), FV(1, "F_OWNER_PID"), FV(2, "F_OWNER_PGRP"),
	F_END
};

/* F_DUPFD_QUERY and F_CREATED_QUERY are later than strace 6.1. */
static const struct rec_flag fcntl_cmds[] = {
	FV(0, "F_DUPFD"), FV(1, "F_GETFD"), FV(2, "F_SETFD"),
	FV(3, "F_GETFL"), FV(4, "F_SETFL"), FV(5, "F_GETLK"),
	FV(6, "F_SETLK"), FV(7, "F_SETLKW"), FV(8, "F_SETOWN"),
	FV(9, "F_GETOWN"), FV(10, "F_SETSIG"), FV(11, "F_GETSIG"),
	FV(12, "F_GETLK64"), FV(13, "F_SETLK64"), FV(14, "F_SETLKW64"),
	FV(15, "F_SETOWN_EX"), FV(16, "F_GETOWN_EX"),
	FV(17, "F_GETOWNER_UIDS"), FV(36, "F_OFD_GETLK"),
	FV(37, "F_OFD_SETLK"), FV(38, "F_OFD_SETLKW"),
	FV(1024, "F_SETLEASE"), FV(1025, "F_GETLEASE"),
	FV(1026, "F_NOTIFY"), FV(1029, "F_CANCELLK"),
	FV(1030, "F_DUPFD_CLOEXEC"), FV(1031, "F_SETPIPE_SZ"),
	FV(1032, "F_GETPIPE_SZ"), FV(1033, "F_ADD_SEALS"),
	FV(1034, "F_GET_SEALS"),
	F_END
};

/* MFD_NOEXEC_SEAL and MFD_EXEC are later than strace 6.1. */
static const struct rec_flag memfd_flags[] = {
	FV(0x1, "MFD_CLOEXEC"), FV(0x2, "MFD_ALLOW_SEALING"),
	FV(0x4, "MFD_HUGETLB"),
	F_END
};

/* clone's flags, in strace's order; clone3 takes a few more after them. */
#define CLONE_FLAG_NAMES						\
	FV(0x100, "CLONE_VM"), FV(0x200, "CLONE_FS"),			\
	FV(0x400, "CLONE_FILES"), FV(0x800, "CLONE_SIGHAND"),		\
	FV(0x1000, "CLONE_PIDFD"), FV(0x2000, "CLONE_PTRACE"),		\
	FV(0x4000, "CLONE_VFORK"), FV(0x8000, "CLONE_PARENT"),		\
	FV(0x10000, "CLONE_THREAD"), FV(0x20000, "CLONE_NEWNS"),	\
	FV(0x40000, "CLONE_SYSVSEM"), FV(0x80000, "CLONE_SETTLS"),	\
	FV(0x100000, "CLONE_PARENT_SETTID"),				\
	FV(0x200000, "CLONE_CHILD_CLEARTID"),				\
	FV(0x800000, "CLONE_UNTRACED"), FV(0x1000000, "CLONE_CHILD_SETTID"), \
	FV(0x2000000, "CLONE_NEWCGROUP"), FV(0x4000000, "CLONE_NEWUTS"), \
	FV(0x8000000, "CLONE_NEWIPC"), FV(0x10000000, "CLONE_NEWUSER"),	\
	FV(0x20000000, "CLONE_NEWPID"), FV(0x40000000, "CLONE_NEWNET"),	\
	FV(0x80000000ULL, "CLONE_IO")

static const struct rec_flag clone_flags[] = {
	CLONE_FLAG_NAMES,
	F_END
};

static const struct rec_flag clone3_flags[] = {
	CLONE_FLAG_NAMES,
	FV(0x80, "CLONE_NEWTIME"),
	FV(0x100000000ULL, "CLONE_CLEAR_SIGHAND"),
	FV(0x200000000ULL, "CLONE_INTO_CGROUP"),
	F_END
};

#define CLONE_VFORK_BIT		0x4000ULL
#define CLONE_PIDFD_BIT		0x1000ULL
#define CLONE_SETTLS_BIT	0x80000ULL
#define CLONE_PARENT_SETTID_BIT	0x100000ULL
#define CLONE_CHILD_CLEARTID_BIT 0x200000ULL
#define CLONE_CHILD_SETTID_BIT	0x1000000ULL
#define CLONE_INTO_CGROUP_BIT	0x200000000ULL

static const struct rec_flag execveat_flags[] = {
	FV(0x100, "AT_SYMLINK_NOFOLLOW"), FV(0x1000, "AT_EMPTY_PATH"),
	F_END
};

static const char *flag_lookup(const struct rec_flag *tab,
			       unsigned long long val)
{
	for (; tab->name; tab++)
		if (tab->val == val)
			return tab->name;
	return NULL;
}

/*
 * A flag set: the names of @tab's entries whose bits are all set, in
 * table order, then the unknown bits; see the top of the file.  @dflt is
 * the family comment for a value without any known bit; NULL writes the
 * bare number.  Returns the number of names written.
 */
static unsigned int put_flags(struct rec_text *t, const struct rec_flag *tab,
			      unsigned long long flags, const char *dflt)
{
	unsigned int n = 0;

	for (; tab->name && (flags || !n); tab++) {
		unsigned long long v = tab->val;

		if (flags == v || (v && (flags & v) == v)) {
			if (n++)
				rec_text_putn(t, "|", 1);
			rec_text_puts(t, tab->name);
			flags &= ~v;
		}
		if (!flags)
			break;
	}
	if (n) {
		if (flags) {
			rec_text_putn(t, "|", 1);
			put_hex(t, flags);
		}
	} else if (flags) {
		put_hex(t, flags);
		if (dflt)
			rec_text_printf(t, " /* %s */", dflt);
	} else if (dflt) {
		rec_text_putn(t, "0", 1);
	}
	return n;
}

/* One value of @tab, or 0x... with the family comment. */
static void put_xval(struct rec_text *t, const struct rec_flag *tab,
		     unsigned long long val, const char *dflt)
{
	const char *name = flag_lookup(tab, val);

	if (name) {
		rec_text_puts(t, name);
		return;
	}
	put_hex(t, val);
	if (dflt)
		rec_text_printf(t, " /* %s */", dflt);
}

/*
 * The flag names of a result, for the "(flags ...)" after it: @prefix,
 * then the names joined by '|' and any unknown bits.  Empty when @flags
 * has no bit at all.
 */
static void aux_flags(char *buf, size_t size, const char *prefix,
		      const struct rec_flag *tab, unsigned long long flags)
{
	struct rec_text t = { 0 };
	bool found = false;

	rec_text_puts(&t, prefix);
	for (; tab->name; tab++) {
		if (tab->val && (flags & tab->val) == tab->val) {
			if (found)
				rec_text_putn(&t, "|", 1);
			rec_text_puts(&t, tab->name);
			flags &= ~tab->val;
			found = true;
		}
	}
	if (flags) {
		if (found)
			rec_text_putn(&t, "|", 1);
		put_hex(&t, flags);
	}
	buf[0] = '\0';
	if ((found || flags) && t.s && !t.oom)
		snprintf(buf, size, "%s", t.s);
	rec_text_free(&t);
}

/* open(2) flags: the access mode, then the other flags. */
static void open_modes(struct rec_text *t, unsigned int flags)
{
	const struct rec_flag *tab;
	unsigned int rest = flags & ~3u;

	rec_text_puts(t, flag_lookup(open_access, flags & 3));
	for (tab = open_flags; tab->name && rest; tab++) {
		if ((rest & tab->val) == tab->val) {
			rec_text_putn(t, "|", 1);
			rec_text_puts(t, tab->name);
			rest &= ~tab->val;
		}
	}
	if (rest) {
		rec_text_putn(t, "|", 1);
		put_hex(t, rest);
	}
}

/* ---- names ---------------------------------------------------------- */

#define E(x)	[x] = #x

static const char *const errno_names[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(ENOTBLK), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV),
	E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY),
	E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK),
	E(EPIPE), E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG),
	E(ENOLCK), E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(ENOMSG), E(EIDRM),
	E(ECHRNG), E(EL2NSYNC), E(EL3HLT), E(EL3RST), E(ELNRNG), E(EUNATCH),
	E(ENOCSI), E(EL2HLT), E(EBADE), E(EBADR), E(EXFULL), E(ENOANO),
	E(EBADRQC), E(EBADSLT), E(EBFONT), E(ENOSTR), E(ENODATA), E(ETIME),
	E(ENOSR), E(ENONET), E(ENOPKG), E(EREMOTE), E(ENOLINK), E(EADV),
	E(ESRMNT), E(ECOMM), E(EPROTO), E(EMULTIHOP), E(EDOTDOT),
	E(EBADMSG), E(EOVERFLOW), E(ENOTUNIQ), E(EBADFD), E(EREMCHG),
	E(ELIBACC), E(ELIBBAD), E(ELIBSCN), E(ELIBMAX), E(ELIBEXEC),
	E(EILSEQ), E(ERESTART), E(ESTRPIPE), E(EUSERS), E(ENOTSOCK),
	E(EDESTADDRREQ), E(EMSGSIZE), E(EPROTOTYPE), E(ENOPROTOOPT),
	E(EPROTONOSUPPORT), E(ESOCKTNOSUPPORT), E(EOPNOTSUPP),
	E(EPFNOSUPPORT), E(EAFNOSUPPORT), E(EADDRINUSE), E(EADDRNOTAVAIL),
	E(ENETDOWN), E(ENETUNREACH), E(ENETRESET), E(ECONNABORTED),
	E(ECONNRESET), E(ENOBUFS), E(EISCONN), E(ENOTCONN), E(ESHUTDOWN),
	E(ETOOMANYREFS), E(ETIMEDOUT), E(ECONNREFUSED), E(EHOSTDOWN),
	E(EHOSTUNREACH), E(EALREADY), E(EINPROGRESS), E(ESTALE),
	E(EUCLEAN), E(ENOTNAM), E(ENAVAIL), E(EISNAM), E(EREMOTEIO),
	E(EDQUOT), E(ENOMEDIUM), E(EMEDIUMTYPE), E(ECANCELED), E(ENOKEY),
	E(EKEYEXPIRED), E(EKEYREVOKED), E(EKEYREJECTED), E(EOWNERDEAD),
	E(ENOTRECOVERABLE), E(ERFKILL), E(EHWPOISON),
};

/* The kernel's internal codes, 512 and up, as strace names them. */
static const char *const kernel_errno_names[] = {
	"ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD",
	"ERESTART_RESTARTBLOCK", "EPROBE_DEFER", "EOPENSTALE", "ENOPARAM",
	NULL, "EBADHANDLE", "ENOTSYNC", "EBADCOOKIE", "ENOTSUPP", "ETOOSMALL",
	"ESERVERFAULT", "EBADTYPE", "EJUKEBOX", "EIOCBQUEUED",
	"ERECALLCONFLICT", "ENOGRACE",
};

static const char *errno_name(int err)
{
	size_t n = sizeof(errno_names) / sizeof(errno_names[0]);
	size_t k = sizeof(kernel_errno_names) / sizeof(kernel_errno_names[0]);

	if (err > 0 && (size_t)err < n)
		return errno_names[err];
	if (err >= 512 && (size_t)(err - 512) < k)
		return kernel_errno_names[err - 512];
	return NULL;
}

#define S(x)	[x] = #x

static const char *const signal_names[] = {
	S(SIGHUP), S(SIGINT), S(SIGQUIT), S(SIGILL), S(SIGTRAP), S(SIGABRT),
	S(SIGBUS), S(SIGFPE), S(SIGKILL), S(SIGUSR1), S(SIGSEGV), S(SIGUSR2),
	S(SIGPIPE), S(SIGALRM), S(SIGTERM), S(SIGSTKFLT), S(SIGCHLD),
	S(SIGCONT), S(SIGSTOP), S(SIGTSTP), S(SIGTTIN), S(SIGTTOU), S(SIGURG),
	S(SIGXCPU), S(SIGXFSZ), S(SIGVTALRM), S(SIGPROF), S(SIGWINCH),
	S(SIGIO), S(SIGPWR), S(SIGSYS), [32] = "SIGRTMIN",
};

/**
 * rec_signame - a signal's name as strace writes it
 * @sig: the signal number
 * @buf: room for a generated name ("SIGRT_2", or the number)
 * @size: its size
 *
 * Return: "SIGCHLD", "SIGRT_2" for realtime signals after SIGRTMIN, or
 * the decimal number for anything else.
 */
const char *rec_signame(int sig, char *buf, size_t size)
{
	size_t n = sizeof(signal_names) / sizeof(signal_names[0]);

	if (sig > 0 && (size_t)sig < n && signal_names[sig])
		return signal_names[sig];
	if (sig > 32 && sig <= 64)
		snprintf(buf, size, "SIGRT_%d", sig - 32);
	else
		snprintf(buf, size, "%d", sig);
	return buf;
}

static bool signal_known(int sig)
{
	return sig > 0 && sig <= 64;
}

static void put_signal(struct rec_text *t, int sig)
{
	char buf[16];

	rec_text_puts(t, rec_signame(sig, buf, sizeof(buf)));
}

/* ---- descriptors ---------------------------------------------------- */

/*
 * The path /proc/TID/fd/FD points to; a trailing " (deleted)" is cut and
 * reported in @deleted unless a file of that very name is the one open.
 */
static int fd_path(pid_t tid, int fd, char *buf, size_t size, bool *deleted)
{
	static const char sfx[] = " (deleted)";
	size_t sfx_len = sizeof(sfx) - 1;
	char link[64];
	struct stat st_link, st_path;
	ssize_t n;

	*deleted = false;
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", tid, fd);
	n = readlink(link, buf, size - 1);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	if ((size_t)n <= sfx_len + 1 || strcmp(buf + n - sfx_len, sfx))
		return 0;
	if (stat(link, &st_link))
		return 0;
	if (lstat(buf, &st_path) || st_link.st_ino != st_path.st_ino ||
	    st_link.st_dev != st_path.st_dev) {
		buf[n - sfx_len] = '\0';
		*deleted = true;
	}
	return 0;
}

static void put_fd(struct rec_text *t, pid_t tid, int fd)
{
	char *path;
	bool deleted;

	rec_text_printf(t, "%d", fd);
	if (fd < 0)
		return;
	path = malloc(REC_PATH_MAX + 1);
	if (!path) {
		t->oom = true;
		return;
	}
	if (!fd_path(tid, fd, path, REC_PATH_MAX + 1, &deleted)) {
		rec_text_putn(t, "<", 1);
		rec_quote(t, path, strlen(path), false, "<>");
		rec_text_putn(t, ">", 1);
		if (deleted)
			rec_text_puts(t, "(deleted)");
	}
	free(path);
}

/* A directory descriptor of the *at() calls: AT_FDCWD<cwd> or an fd. */
static void put_dirfd(struct rec_text *t, pid_t tid, int fd)
{
	char link[64];
	char *buf;
	ssize_t n;

	if (fd != AT_FDCWD_VAL) {
		put_fd(t, tid, fd);
		return;
	}
	rec_text_puts(t, "AT_FDCWD");
	buf = malloc(REC_PATH_MAX);
	if (!buf) {
		t->oom = true;
		return;
	}
	snprintf(link, sizeof(link), "/proc/%d/cwd", tid);
	n = readlink(link, buf, REC_PATH_MAX);
	if (n >= 0 && n < REC_PATH_MAX) {
		rec_text_putn(t, "<", 1);
		rec_quote(t, buf, n, false, "<>");
		rec_text_putn(t, ">", 1);
	}
	free(buf);
}

/* ---- memory calls --------------------------------------------------- */

#define MAP_TYPE_MASK		0xfULL
#define MAP_HUGE_SHIFT_VAL	26
#define HUGE_MASK		(0x3fULL << 26)

static void put_mmap_flags(struct rec_text *t, unsigned long flags)
{
	/* strace keeps only the low 32 bits besides the type. */
	unsigned long long rest = flags & ~MAP_TYPE_MASK & 0xffffffffULL;
	unsigned long long huge = flags & HUGE_MASK;

	put_xval(t, mmap_flags, flags & MAP_TYPE_MASK, "MAP_???");
	rest &= ~HUGE_MASK;
	if (rest) {
		rec_text_putn(t, "|", 1);
		put_flags(t, mmap_flags, rest, NULL);
	}
	if (huge)
		rec_text_printf(t, "|%llu<<MAP_HUGE_SHIFT",
				huge >> MAP_HUGE_SHIFT_VAL);
}

static void dec_mmap(struct rec_call *c, struct rec_text *t)
{
	put_addr(t, c->arg[0]);
	rec_text_printf(t, ", %lu, ", c->arg[1]);
	put_flags(t, prot_flags, c->arg[2], "PROT_???");
	put_sep(t);
	put_mmap_flags(t, c->arg[3]);
	put_sep(t);
	put_fd(t, c->tid, (int)c->arg[4]);
	put_sep(t);
	put_hex(t, c->arg[5]);
	c->decoded = true;
	c->rv = REC_RV_HEX;
}

/* addr, length: munmap, mlock, munlock */
static void dec_addr_len(struct rec_call *c, struct rec_text *t)
{
	put_addr(t, c->arg[0]);
	rec_text_printf(t, ", %lu", c->arg[1]);
	c->decoded = true;
}

static void dec_mprotect(struct rec_call *c, struct rec_text *t)
{
	dec_addr_len(c, t);
	put_sep(t);
	put_flags(t, prot_flags, c->arg[2], "PROT_???");
}

static void dec_pkey_mprotect(struct rec_call *c, struct rec_text *t)
{
	dec_mprotect(c, t);
	rec_text_printf(t, ", %d", (int)c->arg[3]);
}

static void dec_brk(struct rec_call *c, struct rec_text *t)
{
	put_addr(t, c->arg[0]);
	c->decoded = true;
	c->rv = REC_RV_HEX;
}

static void dec_madvise(struct rec_call *c, struct rec_text *t)
{
	dec_addr_len(c, t);
	put_sep(t);
	put_xval(t, madvise_cmds, (unsigned int)c->arg[2], "MADV_???");
}

static void dec_mremap(struct rec_call *c, struct rec_text *t)
{
	dec_addr_len(c, t);
	rec_text_printf(t, ", %lu, ", c->arg[2]);
	put_flags(t, mremap_flags, c->arg[3], "MREMAP_???");
	if ((c->arg[3] & 3) == 3) {
		put_sep(t);
		put_addr(t, c->arg[4]);
	}
	c->rv = REC_RV_HEX;
}

static void dec_mlock2(struct rec_call *c, struct rec_text *t)
{
	dec_addr_len(c, t);
	put_sep(t);
	put_flags(t, mlock_flags, (unsigned int)c->arg[2], "MLOCK_???");
}

static void dec_mlockall(struct rec_call *c, struct rec_text *t)
{
	put_flags(t, mlockall_flags, (unsigned int)c->arg[0], "MCL_???");
	c->decoded = true;
}

static void dec_none(struct rec_call *c, struct rec_text *t)
{
	c->decoded = true;
}

static void dec_mseal(struct rec_call *c, struct rec_text *t)
{
	dec_addr_len(c, t);
	put_sep(t);
	put_hex(t, c->arg[2]);
}

static void dec_shmat(struct rec_call *c, struct rec_text *t)
{
	rec_text_printf(t, "%d, ", (int)c->arg[0]);
	put_addr(t, c->arg[1]);
	put_sep(t);
	put_flags(t, shm_flags, (unsigned int)c->arg[2], "SHM_???");
}

static void exit_shmat(struct rec_call *c, struct rec_text *t)
{
	if (!c->err)
		c->rv = REC_RV_HEX;
}

static void dec_shmdt(struct rec_call *c, struct rec_text *t)
{
	put_addr(t, c->arg[0]);
	c->decoded = true;
}

/* ---- descriptor calls ----------------------------------------------- */

/* pathname, flags[, mode] starting at argument @i */
static void open_tail(struct rec_call *c, struct rec_text *t, int i)
{
	unsigned int flags = c->arg[i + 1];

	put_path(t, c->tid, c->arg[i]);
	put_sep(t);
	open_modes(t, flags);
	if (flags & (O_CREAT_VAL | O_TMPFILE_BIT)) {
		put_sep(t);
		put_mode(t, c->arg[i + 2]);
	}
	c->decoded = true;
	c->rv = REC_RV_FD;
}

static void dec_open(struct rec_call *c, struct rec_text *t)
{
	open_tail(c, t, 0);
}

static void dec_openat(struct rec_call *c, struct rec_text *t)
{
	put_dirfd(t, c->tid, (int)c->arg[0]);
	put_sep(t);
	open_tail(c, t, 1);
}

static void dec_creat(struct rec_call *c, struct rec_text *t)
{
	put_path(t, c->tid, c->arg[0]);
	put_sep(t);
	put_mode(t, c->arg[1]);
	c->decoded = true;
	c->rv = REC_RV_FD;
}

struct open_how_abi {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};

static void put_open_how(struct rec_text *t, pid_t tid, unsigned long addr,
			 unsigned long size)
{
	struct open_how_abi how = { 0 };

	if (size < sizeof(how) ||
	    rec_mem_read(tid, addr, &how, sizeof(how))) {
		put_addr(t, addr);
		return;
	}
	rec_text_puts(t, "{flags=");
	open_modes(t, how.flags);
	if ((how.flags & (O_CREAT_VAL | O_TMPFILE_BIT)) || how.mode)
		rec_text_printf(t, ", mode=%#03llo",
				(unsigned long long)how.mode);
	rec_text_puts(t, ", resolve=");
	put_flags(t, resolve_flags, how.resolve, "RESOLVE_???");
	rec_text_putn(t, "}", 1);
}

static void dec_openat2(struct rec_call *c, struct rec_text *t)
{
	put_dirfd(t, c->tid, (int)c->arg[0]);
	put_sep(t);
	put_path(t, c->tid, c->arg[1]);
	put_sep(t);
	put_open_how(t, c->tid, c->arg[2], c->arg[3]);
	rec_text_printf(t, ", %lu", c->arg[3]);
	c->decoded = true;
	c->rv = REC_RV_FD;
}

static void dec_close(struct rec_call *c, struct rec_text *t)
{
	put_fd(t, c->tid, (int)c->arg[0]);
	c->decoded = true;
}

static void dec_close_range(struct rec_call *c, struct rec_text *t)
{
	rec_text_printf(t, "%u, %u, ", (unsigned int)c->arg[0],
			(unsigned int)c->arg[1]);
	put_flags(t, close_range_flags, (unsigned int)c->arg[2],
		  "CLOSE_RANGE_???");
	c->decoded = true;
}

static void dec_dup(struct rec_call *c, struct rec_text *t)
{
	put_fd(t, c->tid, (int)c->arg[0]);
	c->decoded = true;
	c->rv = REC_RV_FD;
}

static void dec_dup2(struct rec_call *c, struct rec_text *t)
{
	dec_dup(c, t);
	put_sep(t);
	put_fd(t, c->tid, (int)c->arg[1]);
}

static void dec_dup3(struct rec_call *c, struct rec_text *t)
{
	dec_dup2(c, t);
	put_sep(t);
	put_flags(t, open_flags, (unsigned int)c->arg[2], "O_???");
}

static void dec_memfd_create(struct rec_call *c, struct rec_text *t)
{
	unsigned int flags = c->arg[1];
	unsigned int huge = flags & HUGE_MASK;

	put_cstring(t, c->tid, c->arg[0], REC_MAX_STRLEN);
	put_sep(t);
	c->decoded = true;
	c->rv = REC_RV_FD;
	if (!flags) {
		rec_text_putn(t, "0", 1);
		return;
	}
	flags &= ~(unsigned int)HUGE_MASK;
	if (flags || !huge)
		put_flags(t, memfd_flags, flags, "MFD_???");
	if (huge)
		rec_text_printf(t, "%s%u<<MFD_HUGE_SHIFT", flags ? "|" : "",
				huge >> MAP_HUGE_SHIFT_VAL);
}

/* ---- fcntl ---------------------------------------------------------- */

#define F_GETLK_CMD		5
#define F_SETLK_CMD		6
#define F_SETLKW_CMD		7
#define F_SETOWN_CMD		8
#define F_GETOWN_CMD		9
#define F_SETSIG_CMD		10
#define F_GETSIG_CMD		11
#define F_SETOWN_EX_CMD		15
#define F_GETOWN_EX_CMD		16
#define F_OFD_GETLK_CMD		36
#define F_OFD_SETLK_CMD		37
#define F_OFD_SETLKW_CMD	38
#define F_SETLEASE_CMD		1024
#define F_GETLEASE_CMD		1025
#define F_NOTIFY_CMD		1026
#define F_DUPFD_CLOEXEC_CMD	1030
#define F_SETPIPE_SZ_CMD	1031
#define F_GETPIPE_SZ_CMD	1032
#define F_ADD_SEALS_CMD		1033
#define F_GET_SEALS_CMD		1034

struct flock_abi {
	int16_t l_type;
	int16_t l_whence;
	int64_t l_start;
	int64_t l_len;
	int32_t l_pid;
};

static void put_flock(struct rec_call *c, struct rec_text *t, bool getlk)
{
	struct flock_abi fl;
	unsigned long addr = c->arg[2];

	put_sep(t);
	if (!addr || (getlk && c->err) ||
	    rec_mem_read(c->tid, addr, &fl, sizeof(fl))) {
		put_addr(t, addr);
		return;
	}
	rec_text_puts(t, "{l_type=");
	put_xval(t, lock_types, (unsigned short)fl.l_type, "F_???");
	rec_text_puts(t, ", l_whence=");
	put_xval(t, whence_codes, (unsigned short)fl.l_whence, "SEEK_???");
	rec_text_printf(t, ", l_start=%lld, l_len=%lld",
			(long long)fl.l_start, (long long)fl.l_len);
	if (getlk)
		rec_text_printf(t, ", l_pid=%d", fl.l_pid);
	rec_text_putn(t, "}", 1);
}

static void put_owner_ex(struct rec_call *c, struct rec_text *t, bool get)
{
	struct { int type, pid; } owner;
	unsigned long addr = c->arg[2];

	put_sep(t);
	if (!addr || (get && c->err) ||
	    rec_mem_read(c->tid, addr, &owner, sizeof(owner))) {
		put_addr(t, addr);
		return;
	}
	rec_text_puts(t, "{type=");
	put_xval(t, owner_types, (unsigned int)owner.type, "F_OWNER_???");
	rec_text_printf(t, ", pid=%d}", owner.pid);
}

/* The commands whose argument is written at entry; false if none. */
static bool fcntl_entry_arg(struct rec_call *c, struct rec_text *t,
			    unsigned int cmd)
{
	unsigned long arg = c->arg[2];

	switch (cmd) {
	case F_SETFD:
		put_sep(t);
		put_flags(t, fd_flags, (unsigned int)arg, "FD_???");
		return true;
	case F_SETOWN_CMD:
		rec_text_printf(t, ", %d", (int)arg);
		return true;
	case F_SETPIPE_SZ_CMD:
		rec_text_printf(t, ", %ld", (long)arg);
		return true;
	case F_SETFL:
		put_sep(t);
		open_modes(t, arg);
		return true;
	case F_SETLK_CMD:
	case F_SETLKW_CMD:
	case F_OFD_SETLK_CMD:
	case F_OFD_SETLKW_CMD:
		put_flock(c, t, false);
		return true;
	case F_SETOWN_EX_CMD:
		put_owner_ex(c, t, false);
		return true;
	case F_NOTIFY_CMD:
		put_sep(t);
		put_flags(t, notify_flags, arg, "DN_???");
		return true;
	case F_SETLEASE_CMD:
		put_sep(t);
		put_xval(t, lock_types, arg, "F_???");
		return true;
	case F_ADD_SEALS_CMD:
		put_sep(t);
		put_flags(t, seal_flags, arg, "F_SEAL_???");
		return true;
	case F_SETSIG_CMD:
		put_sep(t);
		put_signal(t, (int)arg);
		return true;
	}
	return false;
}

static void dec_fcntl(struct rec_call *c, struct rec_text *t)
{
	unsigned int cmd = c->arg[1];

	put_fd(t, c->tid, (int)c->arg[0]);
	put_sep(t);
	put_xval(t, fcntl_cmds, cmd, "F_???");
	c->decoded = true;
	if (fcntl_entry_arg(c, t, cmd))
		return;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC_CMD:
		rec_text_printf(t, ", %ld", (long)c->arg[2]);
		c->rv = REC_RV_FD;
		return;
	case F_GETOWN_CMD:
	case F_GETPIPE_SZ_CMD:
		return;
	case F_GETFD:
	case F_GETFL:
	case F_GETLK_CMD:
	case F_OFD_GETLK_CMD:
	case F_GETOWN_EX_CMD:
	case F_GETLEASE_CMD:
	case F_GET_SEALS_CMD:
	case F_GETSIG_CMD:
		c->decoded = false;
		return;
	}
	put_sep(t);
	put_hex(t, c->arg[2]);
}

static void exit_fcntl(struct rec_call *c, struct rec_text *t)
{
	unsigned long r = c->rval;
	char buf[16];

	switch ((unsigned int)c->arg[1]) {
	case F_GETLK_CMD:
	case F_OFD_GETLK_CMD:
		put_flock(c, t, true);
		return;
	case F_GETOWN_EX_CMD:
		put_owner_ex(c, t, true);
		return;
	}
	if (c->err)
		return;
	switch ((unsigned int)c->arg[1]) {
	case F_GETFD:
		if (r)
			aux_flags(c->aux, sizeof(c->aux), "flags ", fd_flags, r);
		break;
	case F_GETFL: {
		struct rec_text m = { 0 };

		open_modes(&m, r);
		snprintf(c->aux, sizeof(c->aux), "flags %s", m.s ? m.s : "");
		rec_text_free(&m);
		break;
	}
	case F_GETLEASE_CMD:
		snprintf(c->aux, sizeof(c->aux), "%s",
			 flag_lookup(lock_types, r) ? flag_lookup(lock_types, r)
						    : "");
		break;
	case F_GET_SEALS_CMD:
		if (r)
			aux_flags(c->aux, sizeof(c->aux), "seals ", seal_flags, r);
		break;
	case F_GETSIG_CMD:
		if (r && signal_known((int)r))
			snprintf(c->aux, sizeof(c->aux), "%s",
				 rec_signame((int)r, buf, sizeof(buf)));
		return;
	default:
		return;
	}
	if (r || (unsigned int)c->arg[1] == F_GETFL ||
	    (unsigned int)c->arg[1] == F_GETLEASE_CMD)
		c->rv = REC_RV_HEX;
}

/* ---- process calls -------------------------------------------------- */

/* The int at @addr in brackets, as strace shows returned tids: [1234]. */
static void put_int_at(struct rec_text *t, pid_t tid, unsigned long addr,
		       bool failed)
{
	int v;

	if (!addr || failed || rec_mem_read(tid, addr, &v, sizeof(v)))
		put_addr(t, addr);
	else
		rec_text_printf(t, "[%d]", v);
}

static void put_fd_at(struct rec_text *t, pid_t tid, unsigned long addr,
		      bool failed)
{
	int v;

	if (!addr || failed || rec_mem_read(tid, addr, &v, sizeof(v))) {
		put_addr(t, addr);
		return;
	}
	rec_text_putn(t, "[", 1);
	put_fd(t, tid, v);
	rec_text_putn(t, "]", 1);
}

#define CLONE_RETURN_BITS (CLONE_PARENT_SETTID_BIT | CLONE_PIDFD_BIT | \
			   CLONE_CHILD_SETTID_BIT | CLONE_CHILD_CLEARTID_BIT | \
			   CLONE_SETTLS_BIT)

static void dec_clone(struct rec_call *c, struct rec_text *t)
{
	unsigned long flags = c->arg[0] & ~0xffUL;
	int sig = c->arg[0] & 0xff;

	rec_text_puts(t, "child_stack=");
	put_addr(t, c->arg[1]);
	rec_text_puts(t, ", flags=");
	if (flags) {
		put_flags(t, clone_flags, flags, "CLONE_???");
		if (sig) {
			rec_text_putn(t, "|", 1);
			put_signal(t, sig);
		}
	} else {
		put_signal(t, sig);
	}
	c->rv = REC_RV_PID;
	c->decoded = !(flags & CLONE_RETURN_BITS);
}

static void exit_clone(struct rec_call *c, struct rec_text *t)
{
	unsigned long flags = c->arg[0] & ~0xffUL;

	if (flags & (CLONE_PARENT_SETTID_BIT | CLONE_PIDFD_BIT)) {
		rec_text_puts(t, ", parent_tid=");
		if (flags & CLONE_PARENT_SETTID_BIT)
			put_int_at(t, c->tid, c->arg[2], c->err);
		else
			put_fd_at(t, c->tid, c->arg[2], c->err);
	}
	if (flags & CLONE_SETTLS_BIT) {
		rec_text_puts(t, ", tls=");
		put_addr(t, c->arg[4]);
	}
	if (flags & (CLONE_CHILD_SETTID_BIT | CLONE_CHILD_CLEARTID_BIT)) {
		rec_text_puts(t, ", child_tidptr=");
		put_addr(t, c->arg[3]);
	}
}

struct clone_args_abi {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
	uint64_t set_tid;
	uint64_t set_tid_size;
	uint64_t cgroup;
};

#define CLONE_ARGS_MIN	64	/* up to and including tls */

static size_t clone3_fetch_size(const struct rec_call *c)
{
	return c->arg[1] < sizeof(struct clone_args_abi) ?
	       c->arg[1] : sizeof(struct clone_args_abi);
}

static void put_set_tid(struct rec_text *t, pid_t tid,
			const struct clone_args_abi *a)
{
	uint64_t i;

	rec_text_puts(t, ", set_tid=");
	if (!a->set_tid || !a->set_tid_size || a->set_tid_size > 32) {
		put_addr(t, a->set_tid);
	} else {
		for (i = 0; i < a->set_tid_size; i++) {
			int v;

			if (rec_mem_read(tid, a->set_tid + 4 * i, &v, 4)) {
				if (!i)
					put_addr(t, a->set_tid);
				else
					rec_text_puts(t, ", ...");
				break;
			}
			rec_text_printf(t, "%s%d", i ? ", " : "[", v);
		}
		if (i)
			rec_text_putn(t, "]", 1);
	}
	rec_text_printf(t, ", set_tid_size=%llu",
			(unsigned long long)a->set_tid_size);
}

static void put_clone_args(struct rec_text *t, pid_t tid,
			   const struct clone_args_abi *a, size_t fetched)
{
	rec_text_puts(t, "{flags=");
	put_flags(t, clone3_flags, a->flags, "CLONE_???");
	if (a->flags & CLONE_PIDFD_BIT) {
		rec_text_puts(t, ", pidfd=");
		put_addr(t, a->pidfd);
	}
	if (a->flags & (CLONE_CHILD_SETTID_BIT | CLONE_CHILD_CLEARTID_BIT)) {
		rec_text_puts(t, ", child_tid=");
		put_addr(t, a->child_tid);
	}
	if (a->flags & CLONE_PARENT_SETTID_BIT) {
		rec_text_puts(t, ", parent_tid=");
		put_addr(t, a->parent_tid);
	}
	rec_text_puts(t, ", exit_signal=");
	if (a->exit_signal < INT_MAX)
		put_signal(t, (int)a->exit_signal);
	else
		rec_text_printf(t, "%llu", (unsigned long long)a->exit_signal);
	rec_text_puts(t, ", stack=");
	put_addr(t, a->stack);
	rec_text_puts(t, ", stack_size=");
	put_hex(t, a->stack_size);
	if (a->flags & CLONE_SETTLS_BIT) {
		rec_text_puts(t, ", tls=");
		put_addr(t, a->tls);
	}
	if (a->set_tid || a->set_tid_size)
		put_set_tid(t, tid, a);
	if (fetched > offsetof(struct clone_args_abi, cgroup) &&
	    (a->cgroup || (a->flags & CLONE_INTO_CGROUP_BIT)))
		rec_text_printf(t, ", cgroup=%llu",
				(unsigned long long)a->cgroup);
	rec_text_putn(t, "}", 1);
}

static void dec_clone3(struct rec_call *c, struct rec_text *t)
{
	struct clone_args_abi a = { 0 };
	size_t fetched = clone3_fetch_size(c);

	c->rv = REC_RV_PID;
	c->decoded = true;
	if (fetched < CLONE_ARGS_MIN || rec_mem_read(c->tid, c->arg[0], &a,
						     fetched)) {
		put_addr(t, c->arg[0]);
	} else {
		put_clone_args(t, c->tid, &a, fetched);
		if ((a.flags & (CLONE_PIDFD_BIT | CLONE_PARENT_SETTID_BIT)) ||
		    c->arg[1] > fetched) {
			c->decoded = false;
			return;
		}
	}
	rec_text_printf(t, ", %lu", c->arg[1]);
}

static void exit_clone3(struct rec_call *c, struct rec_text *t)
{
	struct clone_args_abi a = { 0 };
	size_t fetched = clone3_fetch_size(c);
	const char *sep = " => {";

	if (c->err)
		goto out;
	if (rec_mem_read(c->tid, c->arg[0], &a, fetched)) {
		rec_text_puts(t, " => ");
		put_addr(t, c->arg[0]);
		goto out;
	}
	if (a.flags & CLONE_PIDFD_BIT) {
		rec_text_printf(t, "%spidfd=", sep);
		put_fd_at(t, c->tid, a.pidfd, false);
		sep = ", ";
	}
	if (a.flags & CLONE_PARENT_SETTID_BIT) {
		rec_text_printf(t, "%sparent_tid=", sep);
		put_int_at(t, c->tid, a.parent_tid, false);
		sep = ", ";
	}
	if (sep[0] == ',')
		rec_text_putn(t, "}", 1);
out:
	rec_text_printf(t, ", %lu", c->arg[1]);
}

static void dec_fork(struct rec_call *c, struct rec_text *t)
{
	c->decoded = true;
	c->rv = REC_RV_PID;
}

/* argv: ["a", "b", ...], cut after 32 strings */
static void put_argv(struct rec_text *t, pid_t tid, unsigned long addr)
{
	unsigned long prev = 0;
	unsigned int n;

	if (!addr) {
		rec_text_puts(t, "NULL");
		return;
	}
	for (n = 0;; prev = addr, addr += 8, n++) {
		unsigned long word;

		if (addr < prev || rec_mem_read(tid, addr, &word, 8)) {
			if (!n) {
				put_addr(t, addr);
				return;
			}
			rec_text_printf(t, ", ... /* %#lx */", addr);
			break;
		}
		if (!n)
			rec_text_putn(t, "[", 1);
		if (!word)
			break;
		if (n)
			put_sep(t);
		if (n + 1 > REC_MAX_STRLEN) {
			rec_text_puts(t, "...");
			break;
		}
		put_cstring(t, tid, word, REC_MAX_STRLEN);
	}
	rec_text_putn(t, "]", 1);
}

/* envp: its address and the number of strings, 0x7ffc... / * 37 vars * / */
static void put_envp(struct rec_text *t, pid_t tid, unsigned long addr)
{
	unsigned long prev = 0;
	unsigned int n;

	put_addr(t, addr);
	if (!addr)
		return;
	for (n = 0; addr > prev; prev = addr, addr += 8, n++) {
		unsigned long word = 0;

		if (rec_mem_read(tid, addr, &word, 8)) {
			if (!n)
				return;
			addr = 0;
			break;
		}
		if (!word)
			break;
	}
	rec_text_printf(t, " /* %u var%s%s */", n, n == 1 ? "" : "s",
			addr < prev ? ", unterminated" : "");
}

static void execve_tail(struct rec_call *c, struct rec_text *t, int i)
{
	put_path(t, c->tid, c->arg[i]);
	put_sep(t);
	put_argv(t, c->tid, c->arg[i + 1]);
	put_sep(t);
	put_envp(t, c->tid, c->arg[i + 2]);
	c->decoded = true;
}

static void dec_execve(struct rec_call *c, struct rec_text *t)
{
	execve_tail(c, t, 0);
}

static void dec_execveat(struct rec_call *c, struct rec_text *t)
{
	put_dirfd(t, c->tid, (int)c->arg[0]);
	put_sep(t);
	execve_tail(c, t, 1);
	put_sep(t);
	put_flags(t, execveat_flags, (unsigned int)c->arg[4], "AT_???");
}

static void dec_exit_group(struct rec_call *c, struct rec_text *t)
{
	rec_text_printf(t, "%d", (int)c->arg[0]);
	c->decoded = true;
}

/* ---- the table ------------------------------------------------------ */

#define MEM	REC_SC_MEM

static const struct rec_syscall syscalls[] = {
	{ SYS_mmap, "mmap", MEM, dec_mmap, NULL },
	{ SYS_munmap, "munmap", MEM, dec_addr_len, NULL },
	{ SYS_mremap, "mremap", MEM, dec_mremap, NULL },
	{ SYS_mprotect, "mprotect", MEM, dec_mprotect, NULL },
	{ SYS_pkey_mprotect, "pkey_mprotect", MEM, dec_pkey_mprotect, NULL },
	{ SYS_brk, "brk", MEM, dec_brk, NULL },
	{ SYS_madvise, "madvise", MEM, dec_madvise, NULL },
	{ SYS_mlock, "mlock", MEM, dec_addr_len, NULL },
	{ SYS_mlock2, "mlock2", MEM, dec_mlock2, NULL },
	{ SYS_munlock, "munlock", MEM, dec_addr_len, NULL },
	{ SYS_mlockall, "mlockall", MEM, dec_mlockall, NULL },
	{ SYS_munlockall, "munlockall", MEM, dec_none, NULL },
	{ SYS_mseal, "mseal", MEM, dec_mseal, NULL },
	{ SYS_shmat, "shmat", MEM, dec_shmat, exit_shmat },
	{ SYS_shmdt, "shmdt", MEM, dec_shmdt, NULL },
	{ SYS_open, "open", 0, dec_open, NULL },
	{ SYS_openat, "openat", 0, dec_openat, NULL },
	{ SYS_openat2, "openat2", 0, dec_openat2, NULL },
	{ SYS_creat, "creat", 0, dec_creat, NULL },
	{ SYS_close, "close", 0, dec_close, NULL },
	{ SYS_close_range, "close_range", 0, dec_close_range, NULL },
	{ SYS_dup, "dup", 0, dec_dup, NULL },
	{ SYS_dup2, "dup2", 0, dec_dup2, NULL },
	{ SYS_dup3, "dup3", 0, dec_dup3, NULL },
	{ SYS_fcntl, "fcntl", 0, dec_fcntl, exit_fcntl },
	{ SYS_memfd_create, "memfd_create", 0, dec_memfd_create, NULL },
	{ SYS_clone, "clone", REC_SC_CLONE, dec_clone, exit_clone },
	{ SYS_clone3, "clone3", REC_SC_CLONE, dec_clone3, exit_clone3 },
	{ SYS_fork, "fork", REC_SC_CLONE, dec_fork, NULL },
	{ SYS_vfork, "vfork", REC_SC_CLONE, dec_fork, NULL },
	{ SYS_execve, "execve", REC_SC_EXEC, dec_execve, NULL },
	{ SYS_execveat, "execveat", REC_SC_EXEC, dec_execveat, NULL },
	{ SYS_exit_group, "exit_group", REC_SC_EXIT, dec_exit_group, NULL },
};

/**
 * rec_syscall_find - the traced syscall of an x86-64 number
 * @nr: the syscall number
 *
 * Return: its table entry, or NULL when the call is not traced.
 */
const struct rec_syscall *rec_syscall_find(long nr)
{
	size_t i;

	for (i = 0; i < sizeof(syscalls) / sizeof(syscalls[0]); i++)
		if (syscalls[i].nr == nr)
			return &syscalls[i];
	return NULL;
}

/**
 * rec_call_entry - write a call's name and the arguments known at entry
 * @c: the call, with @tid, @nr, @arg and @sc set
 * @t: the text to append to ("mmap(NULL, 8192, ...")
 *
 * Sets @c->decoded and @c->rv.
 */
void rec_call_entry(struct rec_call *c, struct rec_text *t)
{
	c->decoded = false;
	c->rv = REC_RV_DEC;
	c->aux[0] = '\0';
	rec_text_printf(t, "%s(", c->sc->name);
	c->sc->entry(c, t);
}

/**
 * rec_call_exit - write the arguments only known at exit
 * @c: the call, with @rval and @err set
 * @t: the text to append to
 *
 * Writes nothing for a call whose arguments were all written at entry.
 */
void rec_call_exit(struct rec_call *c, struct rec_text *t)
{
	if (!c->decoded && c->sc->exit)
		c->sc->exit(c, t);
}

static const char *restart_text(int err)
{
	switch (err) {
	case 512:
		return "? ERESTARTSYS (To be restarted if SA_RESTART is set)";
	case 513:
		return "? ERESTARTNOINTR (To be restarted)";
	case 514:
		return "? ERESTARTNOHAND (To be restarted if no handler)";
	case 516:
		return "? ERESTART_RESTARTBLOCK (Interrupted by signal)";
	}
	return NULL;
}

/**
 * rec_call_result - write a call's result, what follows "= "
 * @c: the completed call
 * @t: the text to append to: "0x7f...", "3</etc/passwd>",
 *     "-1 ENOMEM (Cannot allocate memory)", "0x1 (flags FD_CLOEXEC)"
 */
void rec_call_result(const struct rec_call *c, struct rec_text *t)
{
	const char *name;

	if (c->err) {
		if (restart_text(c->err)) {
			rec_text_puts(t, restart_text(c->err));
			return;
		}
		name = errno_name(c->err);
		if (name)
			rec_text_printf(t, "-1 %s (%s)", name,
					strerror(c->err));
		else
			rec_text_printf(t, "-1 (errno %d)", c->err);
		return;
	}
	switch (c->rv) {
	case REC_RV_HEX:
		put_hex(t, (unsigned long)c->rval);
		break;
	case REC_RV_FD:
		if ((unsigned long)c->rval <= INT_MAX)
			put_fd(t, c->tid, (int)c->rval);
		else
			rec_text_printf(t, "%ld", c->rval);
		break;
	default:
		rec_text_printf(t, "%ld", c->rval);
		break;
	}
	if (c->aux[0])
		rec_text_printf(t, " (%s)", c->aux);
}

/* ---- siginfo -------------------------------------------------------- */

static const struct rec_flag si_codes[] = {
	FV(0, "SI_USER"), FV(0x80, "SI_KERNEL"), FV(-1, "SI_QUEUE"),
	FV(-2, "SI_TIMER"), FV(-3, "SI_MESGQ"), FV(-4, "SI_ASYNCIO"),
	FV(-5, "SI_SIGIO"), FV(-6, "SI_TKILL"), FV(-7, "SI_DETHREAD"),
	FV(-60, "SI_ASYNCNL"),
	F_END
};

static const struct rec_flag sigchld_codes[] = {
	FV(1, "CLD_EXITED"), FV(2, "CLD_KILLED"), FV(3, "CLD_DUMPED"),
	FV(4, "CLD_TRAPPED"), FV(5, "CLD_STOPPED"), FV(6, "CLD_CONTINUED"),
	F_END
};

static const struct rec_flag sigsegv_codes[] = {
	FV(1, "SEGV_MAPERR"), FV(2, "SEGV_ACCERR"), FV(3, "SEGV_BNDERR"),
	FV(4, "SEGV_PKUERR"), FV(5, "SEGV_ACCADI"), FV(6, "SEGV_ADIDERR"),
	FV(7, "SEGV_ADIPERR"), FV(8, "SEGV_MTEAERR"), FV(9, "SEGV_MTESERR"),
	F_END
};

static const struct rec_flag sigbus_codes[] = {
	FV(1, "BUS_ADRALN"), FV(2, "BUS_ADRERR"), FV(3, "BUS_OBJERR"),
	FV(4, "BUS_MCEERR_AR"), FV(5, "BUS_MCEERR_AO"),
	F_END
};

static const struct rec_flag sigill_codes[] = {
	FV(1, "ILL_ILLOPC"), FV(2, "ILL_ILLOPN"), FV(3, "ILL_ILLADR"),
	FV(4, "ILL_ILLTRP"), FV(5, "ILL_PRVOPC"), FV(6, "ILL_PRVREG"),
	FV(7, "ILL_COPROC"), FV(8, "ILL_BADSTK"), FV(9, "ILL_BADIADDR"),
	F_END
};

static const struct rec_flag sigfpe_codes[] = {
	FV(1, "FPE_INTDIV"), FV(2, "FPE_INTOVF"), FV(3, "FPE_FLTDIV"),
	FV(4, "FPE_FLTOVF"), FV(5, "FPE_FLTUND"), FV(6, "FPE_FLTRES"),
	FV(7, "FPE_FLTINV"), FV(8, "FPE_FLTSUB"), FV(14, "FPE_FLTUNK"),
	FV(15, "FPE_CONDTRAP"),
	F_END
};

static const struct rec_flag sigtrap_codes[] = {
	FV(1, "TRAP_BRKPT"), FV(2, "TRAP_TRACE"), FV(3, "TRAP_BRANCH"),
	FV(4, "TRAP_HWBKPT"), FV(5, "TRAP_UNK"), FV(6, "TRAP_PERF"),
	F_END
};

static const struct rec_flag sigpoll_codes[] = {
	FV(1, "POLL_IN"), FV(2, "POLL_OUT"), FV(3, "POLL_MSG"),
	FV(4, "POLL_ERR"), FV(5, "POLL_PRI"), FV(6, "POLL_HUP"),
	F_END
};

static const struct rec_flag sigsys_codes[] = {
	FV(1, "SYS_SECCOMP"), FV(2, "SYS_USER_DISPATCH"),
	F_END
};

static const struct rec_flag sigprof_codes[] = {
	FV(1, "PROF_SIG"),
	F_END
};

static const struct rec_flag *signal_codes(int sig)
{
	switch (sig) {
	case SIGCHLD: return sigchld_codes;
	case SIGSEGV: return sigsegv_codes;
	case SIGBUS: return sigbus_codes;
	case SIGILL: return sigill_codes;
	case SIGFPE: return sigfpe_codes;
	case SIGTRAP: return sigtrap_codes;
	case SIGIO: return sigpoll_codes;
	case SIGSYS: return sigsys_codes;
	case SIGPROF: return sigprof_codes;
	}
	return NULL;
}

static void put_si_code(struct rec_text *t, int code, int sig)
{
	const struct rec_flag *tab;
	const char *name = NULL;

	for (tab = si_codes; tab->name; tab++)
		if ((int)tab->val == code)
			name = tab->name;
	if (!name && signal_codes(sig))
		name = flag_lookup(signal_codes(sig), (unsigned int)code);
	if (name)
		rec_text_puts(t, name);
	else
		rec_text_printf(t, "%#x", (unsigned int)code);
}

/* A clock_t of siginfo: ticks, then their length in seconds. */
static void put_clock(struct rec_text *t, unsigned long long ticks)
{
	long hz = sysconf(_SC_CLK_TCK);
	unsigned long long scale = 1;
	int width = 0;

	rec_text_printf(t, "%llu", ticks);
	if (hz <= 0 || !ticks)
		return;
	while (scale * 10 <= (unsigned long long)hz && width < 9) {
		scale *= 10;
		width++;
	}
	rec_text_printf(t, " /* %llu.%0*llu s */", ticks / hz, width,
			(ticks % hz) * scale / hz);
}

static void put_sigsource(struct rec_text *t, const siginfo_t *si)
{
	rec_text_printf(t, ", si_pid=%d, si_uid=%u", si->si_pid, si->si_uid);
}

static void put_sigval(struct rec_text *t, const siginfo_t *si)
{
	rec_text_printf(t, ", si_int=%d, si_ptr=", si->si_int);
	put_addr(t, (unsigned long)si->si_ptr);
}

static void put_si_addr(struct rec_text *t, const siginfo_t *si)
{
	rec_text_puts(t, ", si_addr=");
	put_addr(t, (unsigned long)si->si_addr);
}

static void si_from_user(struct rec_text *t, pid_t tid, const siginfo_t *si)
{
	switch (si->si_code) {
	case SI_USER:
	case SI_TKILL:
		put_sigsource(t, si);
		break;
	case SI_TIMER:
		rec_text_printf(t, ", si_timerid=%#x, si_overrun=%d",
				(unsigned int)si->si_timerid, si->si_overrun);
		put_sigval(t, si);
		break;
	case SI_SIGIO:
		rec_text_printf(t, ", si_band=%ld, si_fd=", (long)si->si_band);
		put_fd(t, tid, si->si_fd);
		break;
	default:
		put_sigsource(t, si);
		if (si->si_ptr)
			put_sigval(t, si);
		break;
	}
}

static void si_sigchld(struct rec_text *t, const siginfo_t *si)
{
	put_sigsource(t, si);
	rec_text_puts(t, ", si_status=");
	if (si->si_code == CLD_EXITED)
		rec_text_printf(t, "%d", si->si_status);
	else
		put_signal(t, si->si_status);
	rec_text_puts(t, ", si_utime=");
	put_clock(t, (unsigned long long)si->si_utime);
	rec_text_puts(t, ", si_stime=");
	put_clock(t, (unsigned long long)si->si_stime);
}

static void si_fault(struct rec_text *t, const siginfo_t *si)
{
	put_si_addr(t, si);
	if (si->si_signo == SIGBUS &&
	    (si->si_code == BUS_MCEERR_AR || si->si_code == BUS_MCEERR_AO))
		rec_text_printf(t, ", si_addr_lsb=%#x",
				(unsigned int)si->si_addr_lsb);
	if (si->si_signo == SIGSEGV && si->si_code == SEGV_BNDERR) {
		rec_text_puts(t, ", si_lower=");
		put_addr(t, (unsigned long)si->si_lower);
		rec_text_puts(t, ", si_upper=");
		put_addr(t, (unsigned long)si->si_upper);
	}
	if (si->si_signo == SIGSEGV && si->si_code == SEGV_PKUERR)
		rec_text_printf(t, ", si_pkey=%u", (unsigned int)si->si_pkey);
}

static void si_from_kernel(struct rec_text *t, pid_t tid, const siginfo_t *si)
{
	switch (si->si_signo) {
	case SIGCHLD:
		si_sigchld(t, si);
		break;
	case SIGILL:
	case SIGFPE:
	case SIGBUS:
	case SIGSEGV:
	case SIGTRAP:
		si_fault(t, si);
		break;
	case SIGIO:
		if (si->si_code == POLL_IN || si->si_code == POLL_OUT ||
		    si->si_code == POLL_MSG) {
			rec_text_printf(t, ", si_band=%ld, si_fd=",
					(long)si->si_band);
			put_fd(t, tid, si->si_fd);
		}
		break;
	case SIGSYS:
		rec_text_puts(t, ", si_call_addr=");
		put_addr(t, (unsigned long)si->si_call_addr);
		rec_text_printf(t, ", si_syscall=%d, si_arch=", si->si_syscall);
		if (si->si_arch == 0xc000003eu)
			rec_text_puts(t, "AUDIT_ARCH_X86_64");
		else if (si->si_arch == 0x40000003u)
			rec_text_puts(t, "AUDIT_ARCH_I386");
		else
			rec_text_printf(t, "%#x /* AUDIT_ARCH_??? */",
					si->si_arch);
		break;
	default:
		if (si->si_pid || si->si_uid)
			put_sigsource(t, si);
		if (si->si_ptr)
			put_sigval(t, si);
		break;
	}
}

/**
 * rec_print_siginfo - write a siginfo as strace does: {si_signo=..., ...}
 * @tid: the thread that received it (for descriptor paths)
 * @si: the siginfo (from PTRACE_GETSIGINFO)
 * @t: the text to append to
 */
void rec_print_siginfo(pid_t tid, const siginfo_t *si, struct rec_text *t)
{
	rec_text_putn(t, "{", 1);
	if (si->si_signo) {
		rec_text_puts(t, "si_signo=");
		put_signal(t, si->si_signo);
		rec_text_puts(t, ", si_code=");
		put_si_code(t, si->si_code, si->si_signo);
		if (si->si_errno) {
			const char *name = errno_name(si->si_errno);

			if (name)
				rec_text_printf(t, ", si_errno=%s", name);
			else
				rec_text_printf(t, ", si_errno=%d",
						si->si_errno);
		}
		if (si->si_code <= 0)
			si_from_user(t, tid, si);
		else
			si_from_kernel(t, tid, si);
	}
	rec_text_putn(t, "}", 1);
}
