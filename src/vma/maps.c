/* SPDX-License-Identifier: MIT */
/*
 * maps.c - /proc/PID/maps for simulated address spaces: mm_show_maps()
 * prints an mm byte for byte as Linux 6.18 prints /proc/PID/maps
 * (fs/proc/task_mmu.c: show_map_vma(), show_vma_header_prefix(),
 * get_vma_name()), and mm_load_maps() builds an mm from such a snapshot.
 *
 * Coding conventions in this file:
 *  @mm	the address space printed or loaded
 *  @vma	one VMA; vm_start inclusive, vm_end exclusive
 *  @ml	one parsed line of a snapshot (struct maps_line)
 *  @ld	the state of one mm_load_maps() call (struct maps_loader)
 *  @mb	a growable output buffer (struct maps_buf)
 *
 * DOC: Line format (x86-64; checked against the live 6.18 kernel)
 *
 *   55d0faff2000-55d0faff4000 r--p 00000000 fe:00 247134                     /usr/bin/cat
 *   7f1a1e57b000-7f1a1e59d000 rw-p 00000000 00:00 0 
 *   ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]
 *   |<---------------------- pad_until = 72 ------------------------------>| |
 *                                                              seq_pad's ' ' ^ name at 73
 *
 * - The header is "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ": it always
 *   ends with one space after the inode.
 * - A line without a name ends right there: "... 00:00 0 \n".
 * - A line with a name is padded with spaces up to column 72
 *   (seq_setwidth(25 + 6 * sizeof(void *) - 1)), then seq_pad() adds one
 *   more space and the name follows, so names start at column 73.  A
 *   header longer than 72 columns gets no padding, only that one space.
 * - perms: r, w, x from VM_READ, VM_WRITE, VM_EXEC; the fourth is 's' iff
 *   VM_MAYSHARE (not VM_SHARED: a shared mapping of a read-only file has
 *   VM_MAYSHARE only), else 'p'.
 * - offset: vm_pgoff << PAGE_SHIFT for file VMAs, 0 for all others.
 * - device and inode: the file's; 00:00 0 for all others.
 *
 * DOC: Names, in get_vma_name()'s order
 *
 * 1. a file: "[anon_shmem:NAME]" for a named shared anonymous VMA, else
 *    the path as seq_file_path(m, file, "\n") prints it (a newline becomes
 *    the octal escape "\012"; nothing else is escaped), plus " (deleted)"
 *    for an unlinked file.  Shared anonymous memory is a shmem file
 *    "/dev/zero", deleted, device 00:01;
 * 2. a special mapping: its name ("[vdso]", "[vvar]", "[vvar_vclock]");
 * 3. "[heap]" if vm_start < brk && vm_end > start_brk (vma_is_initial_heap():
 *    strict since 6.7, "mm: fix VMA heap bounds checking".  Checked live: a
 *    VMA that ends at start_brk or starts at brk is not the heap, and an
 *    empty heap (brk == start_brk) names nothing);
 * 4. "[stack]" if vm_start <= start_stack <= vm_end (vma_is_initial_stack(),
 *    inclusive at both ends);
 * 5. "[anon:NAME]" for a named anonymous VMA.
 *
 * The [vsyscall] line is x86-64's gate VMA, printed last; it is not in the
 * tree and not counted in map_count.
 *
 * DOC: Loading a snapshot
 *
 * A line shows only part of a VMA's state; mm_load_maps() fills in the rest
 * the way a running process would most likely have it, and the result must
 * print back byte for byte and pass mm_validate():
 *
 * - flags: r/w/x from perms, plus VM_MAYREAD | VM_MAYEXEC, and VM_MAYWRITE
 *   except for a shared mapping of a read-only file; 's' gives VM_MAYSHARE,
 *   and VM_SHARED too when the file is writable (do_mmap() clears VM_SHARED
 *   and VM_MAYWRITE for a MAP_SHARED mapping of a read-only fd).  A file is
 *   taken as opened read-write when one of its lines is "rw-s", or when it is
 *   "/dev/zero" or a memfd on the shmem device 00:01 (always read-write);
 * - VM_ACCOUNT for private writable mappings (accountable_mapping());
 * - "[stack]" is VM_GROWSDOWN and sets start_stack to vm_end - 8 (inside the
 *   VMA, so that its neighbours are not named [stack]); "[heap]" sets
 *   start_brk to the first heap line's start and brk to the last one's end;
 * - "[vdso]", "[vvar]", "[vvar_vclock]" get the flags of their
 *   _install_special_mapping() call (arch/x86/entry/vdso/vma.c,
 *   lib/vdso/datastore.c), plus VM_DONTEXPAND as __install_special_mapping()
 *   adds; VM_SOFTDIRTY and VM_SEALED_SYSMAP are compiled out on the live
 *   kernel (smaps shows "rd ex mr mw me de" and "rd mr pf io de dd");
 * - anonymous VMAs and private writable file VMAs are "faulted": each gets
 *   an anon_vma of its own;
 * - one struct vm_file per (path, device, inode, deleted), with f_count the
 *   number of VMAs that use it.
 *
 * Two neighbours that Linux would have merged cannot both be in a real
 * snapshot, so when the rules above make a line mergeable with the line
 * before it, something the line does not show must differ, and the loader
 * picks the likeliest difference:
 * - a private read-only file VMA is a RELRO segment: mapped writable,
 *   written, then mprotect()ed read-only, which keeps VM_ACCOUNT and the
 *   anon_vma (mprotect_fixup()).  smaps on the live kernel shows "ac" on
 *   exactly these lines of ld.so and libc;
 * - otherwise the two lines were mapped through different opens of the
 *   file: the line gets a new struct vm_file (a new open file description)
 *   with the same path, device and inode.
 *
 * Everything is parsed, checked and built before the first VMA enters the
 * tree, so a bad snapshot leaves the mm as it was: empty.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mtree/rcu.h>

#include "vma_internal.h"

/* seq_setwidth(m, 25 + sizeof(void *) * 6 - 1) on 64-bit. */
#define MAPS_PAD_UNTIL		(25 + 6 * sizeof(void *) - 1)

#define GATE_START		0xffffffffff600000UL
#define GATE_END		0xffffffffff601000UL

#define SHMEM_DEV_MAJOR		0
#define SHMEM_DEV_MINOR		1

/* ---- output buffer -------------------------------------------------- */

/**
 * struct maps_buf - a growable byte buffer for one line.
 * @s: the bytes (not NUL-terminated unless maps_buf_str() was called)
 * @len: bytes used
 * @cap: bytes allocated
 * @nomem: an allocation failed; later writes are dropped
 */
struct maps_buf {
	char *s;
	size_t len;
	size_t cap;
	bool nomem;
};

static bool maps_buf_reserve(struct maps_buf *mb, size_t more)
{
	size_t cap;
	char *s;

	if (mb->nomem)
		return false;
	if (mb->len + more + 1 <= mb->cap)
		return true;
	cap = mb->cap ? mb->cap : 128;
	while (cap < mb->len + more + 1)
		cap *= 2;
	s = realloc(mb->s, cap);
	if (!s) {
		mb->nomem = true;
		return false;
	}
	mb->s = s;
	mb->cap = cap;
	return true;
}

static void maps_buf_putn(struct maps_buf *mb, const char *s, size_t n)
{
	if (!n || !maps_buf_reserve(mb, n))
		return;
	memcpy(mb->s + mb->len, s, n);
	mb->len += n;
}

static void maps_buf_puts(struct maps_buf *mb, const char *s)
{
	maps_buf_putn(mb, s, strlen(s));
}

static void maps_buf_putc(struct maps_buf *mb, char c)
{
	maps_buf_putn(mb, &c, 1);
}

static void maps_buf_vprintf(struct maps_buf *mb, const char *fmt,
			     va_list args)
{
	va_list copy;
	int n;

	va_copy(copy, args);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0 || !maps_buf_reserve(mb, (size_t)n))
		return;
	vsnprintf(mb->s + mb->len, (size_t)n + 1, fmt, args);
	mb->len += (size_t)n;
}

static void __attribute__((format(printf, 2, 3)))
maps_buf_printf(struct maps_buf *mb, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	maps_buf_vprintf(mb, fmt, args);
	va_end(args);
}

/* NUL-terminate and return the contents ("" when empty). */
static const char *maps_buf_str(struct maps_buf *mb)
{
	if (!maps_buf_reserve(mb, 0))
		return "";
	mb->s[mb->len] = '\0';
	return mb->s;
}

/* ---- printing ------------------------------------------------------- */

/*
 * The path as seq_file_path(m, file, "\n") prints it: mangle_path() writes
 * each character of the escape set as a backslash and three octal digits.
 */
static void maps_put_path(struct maps_buf *mb, const char *path)
{
	const char *p;

	for (p = path; *p; p++) {
		if (*p == '\n')
			maps_buf_puts(mb, "\\012");
		else
			maps_buf_putc(mb, *p);
	}
}

static bool maps_is_initial_heap(const struct mm_struct *mm,
				 const struct vm_area_struct *vma)
{
	return vma->vm_start < mm->brk && vma->vm_end > mm->start_brk;
}

static bool maps_is_initial_stack(const struct mm_struct *mm,
				  const struct vm_area_struct *vma)
{
	return vma->vm_start <= mm->start_stack &&
	       vma->vm_end >= mm->start_stack;
}

/*
 * Append the name /proc/PID/maps shows for @vma (get_vma_name()).
 * Return: false if the line has no name (nothing appended).
 */
static bool maps_put_name(struct maps_buf *mb, const struct mm_struct *mm,
			  const struct vm_area_struct *vma)
{
	const struct vm_file *file = vma->vm_file;

	if (file) {
		if (vma->anon_name) {
			maps_buf_printf(mb, "[anon_shmem:%s]", vma->anon_name);
			return true;
		}
		maps_put_path(mb, file->path ? file->path : "");
		if (file->deleted)
			maps_buf_puts(mb, " (deleted)");
		return true;
	}
	if (vma->vm_special && vma->vm_special->name) {
		maps_buf_puts(mb, vma->vm_special->name);
		return true;
	}
	if (maps_is_initial_heap(mm, vma)) {
		maps_buf_puts(mb, "[heap]");
		return true;
	}
	if (maps_is_initial_stack(mm, vma)) {
		maps_buf_puts(mb, "[stack]");
		return true;
	}
	if (vma->anon_name) {
		maps_buf_printf(mb, "[anon:%s]", vma->anon_name);
		return true;
	}
	return false;
}

/*
 * Append one whole line: the header (show_vma_header_prefix()), then, if
 * @name is not NULL, padding to MAPS_PAD_UNTIL, one space and @name[0..n).
 */
static void maps_put_line(struct maps_buf *mb, unsigned long start,
			  unsigned long end, vm_flags_t flags,
			  unsigned long long offset, unsigned int major,
			  unsigned int minor, unsigned long ino,
			  const char *name, size_t name_len)
{
	size_t line_start = mb->len;

	maps_buf_printf(mb, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ",
			start, end,
			flags & VM_READ ? 'r' : '-',
			flags & VM_WRITE ? 'w' : '-',
			flags & VM_EXEC ? 'x' : '-',
			flags & VM_MAYSHARE ? 's' : 'p',
			offset, major, minor, ino);
	if (name) {
		size_t used = mb->len - line_start;

		while (used < MAPS_PAD_UNTIL) {
			maps_buf_putc(mb, ' ');
			used++;
		}
		maps_buf_putc(mb, ' ');
		maps_buf_putn(mb, name, name_len);
	}
	maps_buf_putc(mb, '\n');
}

/* One VMA's line (show_map_vma()); @name is scratch space. */
static void maps_put_vma(struct maps_buf *mb, struct maps_buf *name,
			 const struct mm_struct *mm,
			 const struct vm_area_struct *vma)
{
	const struct vm_file *file = vma->vm_file;
	unsigned long long offset = 0;
	unsigned int major = 0, minor = 0;
	unsigned long ino = 0;
	bool named;

	if (file) {
		offset = (unsigned long long)vma->vm_pgoff << PAGE_SHIFT;
		major = file->dev_major;
		minor = file->dev_minor;
		ino = file->ino;
	}
	name->len = 0;
	named = maps_put_name(name, mm, vma);
	maps_put_line(mb, vma->vm_start, vma->vm_end, vma->vm_flags, offset,
		      major, minor, ino, named ? name->s : NULL, name->len);
}

/**
 * mm_show_maps - print an mm exactly as /proc/PID/maps would.
 * @mm: the address space
 * @out: the stream
 *
 * One line per VMA in address order, then the [vsyscall] gate line, which
 * x86-64 prints last although it is not a VMA of the mm.  The format is
 * described at the top of this file.
 *
 * Context: the caller holds mmap_lock (read or write) or the mm is
 * quiescent; the walk itself runs inside an RCU read-side section.
 * Return: 0, -ENOMEM, or -errno (-EIO if errno is not set) when writing to
 * @out fails.
 */
int mm_show_maps(struct mm_struct *mm, FILE *out)
{
	MA_STATE(mas, &mm->mm_mt, 0, 0);
	struct maps_buf line = { 0 }, name = { 0 };
	struct vm_area_struct *vma;
	int ret = 0;

	mt_rcu_read_lock();
	mas_for_each(&mas, vma, ULONG_MAX) {
		/* Left by a failed fork (__mt_dup) until exit_mmap(). */
		if (xa_is_zero(vma))
			continue;
		line.len = 0;
		maps_put_vma(&line, &name, mm, vma);
		if (line.nomem || name.nomem) {
			ret = -ENOMEM;
			break;
		}
		errno = 0;
		if (fwrite(line.s, 1, line.len, out) != line.len) {
			ret = errno ? -errno : -EIO;
			break;
		}
	}
	mt_rcu_read_unlock();

	if (!ret) {
		line.len = 0;
		maps_put_line(&line, GATE_START, GATE_END, VM_EXEC, 0, 0, 0, 0,
			      "[vsyscall]", strlen("[vsyscall]"));
		errno = 0;
		if (line.nomem)
			ret = -ENOMEM;
		else if (fwrite(line.s, 1, line.len, out) != line.len)
			ret = errno ? -errno : -EIO;
	}
	if (!ret && ferror(out))
		ret = -EIO;
	free(line.s);
	free(name.s);
	return ret;
}

/**
 * mm_maps_text - an mm's /proc/PID/maps text, as mm_show_maps() prints it,
 * in a malloc'd string.
 * @mm: the address space (not locked by the caller: read-locked here)
 * @len: if not NULL, receives the text's length
 *
 * Return: the NUL-terminated text (free() it), or NULL without memory.
 */
char *mm_maps_text(struct mm_struct *mm, size_t *len)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	int ret;

	if (!f)
		return NULL;
	mmap_read_lock(mm);
	ret = mm_show_maps(mm, f);
	mmap_read_unlock(mm);
	if (fclose(f) || ret) {
		free(text);
		return NULL;
	}
	if (len)
		*len = n;
	return text;
}

/* ---- loading: special mappings -------------------------------------- */

static const struct vm_special_mapping maps_vdso_mapping = {
	.name = "[vdso]",
};

static const struct vm_special_mapping maps_vvar_mapping = {
	.name = "[vvar]",
};

static const struct vm_special_mapping maps_vvar_vclock_mapping = {
	.name = "[vvar_vclock]",
};

/*
 * The x86-64 special mappings: the flags of their
 * _install_special_mapping() calls other than VM_READ/WRITE/EXEC, which
 * come from the line, plus the VM_DONTEXPAND that
 * __install_special_mapping() adds.
 */
static const struct {
	const struct vm_special_mapping *mapping;
	vm_flags_t flags;
} maps_specials[] = {
	{ &maps_vdso_mapping,
	  VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_DONTEXPAND },
	{ &maps_vvar_mapping,
	  VM_MAYREAD | VM_IO | VM_DONTDUMP | VM_PFNMAP | VM_DONTEXPAND },
	{ &maps_vvar_vclock_mapping,
	  VM_MAYREAD | VM_IO | VM_DONTDUMP | VM_PFNMAP | VM_DONTEXPAND },
};

/* ---- loading: parsing ----------------------------------------------- */

enum maps_kind {
	MAPS_ANON,		/* no name */
	MAPS_FILE,		/* a path, or [anon_shmem:NAME] */
	MAPS_HEAP,		/* [heap] */
	MAPS_STACK,		/* [stack] */
	MAPS_SPECIAL,		/* [vdso], [vvar], [vvar_vclock] */
	MAPS_ANON_NAMED,	/* [anon:NAME] */
	MAPS_GATE,		/* [vsyscall]: not a VMA of the mm */
};

/**
 * struct maps_line - one parsed line of a snapshot.
 * @lineno: 1-based line number
 * @start, @end: the range ([start, end))
 * @offset: the offset field
 * @dev_major, @dev_minor, @ino: device and inode
 * @perms: the four permission characters
 * @kind: what the name says
 * @text: the name exactly as written (malloc'd), or NULL
 * @path: for MAPS_FILE, the path unescaped and without " (deleted)"
 *	(malloc'd); "/dev/zero" for [anon_shmem:NAME]
 * @deleted: the name ended in " (deleted)"
 * @anon_name: NAME of [anon:NAME] or [anon_shmem:NAME] (malloc'd)
 * @special: for MAPS_SPECIAL, the index in maps_specials[]
 * @group: for MAPS_FILE, the index of its (path, dev, ino, deleted) key
 */
struct maps_line {
	unsigned long lineno;
	unsigned long start;
	unsigned long end;
	unsigned long offset;
	unsigned int dev_major;
	unsigned int dev_minor;
	unsigned long ino;
	char perms[4];
	enum maps_kind kind;
	char *text;
	char *path;
	bool deleted;
	char *anon_name;
	unsigned int special;
	size_t group;
};

/**
 * struct maps_group - the lines of one file key.
 * @file: the open file description lines of the key use now, or NULL
 *	before the first one is made
 * @writable: the file is taken to be open for writing
 * @shmem: on the shmem device 00:01
 */
struct maps_group {
	struct vm_file *file;
	bool writable;
	bool shmem;
};

/**
 * struct maps_loader - the state of one mm_load_maps() call.
 * @mm: the address space being filled
 * @name: the snapshot's name, for messages
 * @err: where the message goes, or NULL
 * @ret: the first error (0 while none)
 * @lines, @nr_lines, @cap_lines: the parsed lines
 * @groups, @nr_groups: the file keys
 * @files, @nr_files, @cap_files: every struct vm_file made
 * @vmas: one VMA per line
 */
struct maps_loader {
	struct mm_struct *mm;
	const char *name;
	char **err;
	int ret;
	struct maps_line *lines;
	size_t nr_lines;
	size_t cap_lines;
	struct maps_group *groups;
	size_t nr_groups;
	struct vm_file **files;
	size_t nr_files;
	size_t cap_files;
	struct vm_area_struct **vmas;
};

/* Record the first error as "NAME:LINE: message" (LINE 0: "NAME: ..."). */
static int __attribute__((format(printf, 3, 4)))
maps_error(struct maps_loader *ld, unsigned long lineno, const char *fmt, ...)
{
	struct maps_buf mb = { 0 };
	va_list args;

	if (ld->ret)
		return ld->ret;
	ld->ret = -EINVAL;
	if (!ld->err)
		return ld->ret;
	if (lineno)
		maps_buf_printf(&mb, "%s:%lu: ", ld->name, lineno);
	else
		maps_buf_printf(&mb, "%s: ", ld->name);
	va_start(args, fmt);
	maps_buf_vprintf(&mb, fmt, args);
	va_end(args);
	maps_buf_str(&mb);
	if (mb.nomem)
		free(mb.s);
	else
		*ld->err = mb.s;
	return ld->ret;
}

static int maps_nomem(struct maps_loader *ld)
{
	if (!ld->ret) {
		ld->ret = -ENOMEM;
		if (ld->err)
			*ld->err = strdup("out of memory");
	}
	return ld->ret;
}

static int maps_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parse hex digits at *@pp into @val; false if none or on overflow. */
static bool maps_parse_hex(const char **pp, unsigned long *val)
{
	const char *p = *pp;
	unsigned long v = 0;
	int d;

	if (maps_hexval(*p) < 0)
		return false;
	while ((d = maps_hexval(*p)) >= 0) {
		if (v > (ULONG_MAX >> 4))
			return false;
		v = (v << 4) | (unsigned long)d;
		p++;
	}
	*pp = p;
	*val = v;
	return true;
}

/* Parse decimal digits at *@pp into @val; false if none or on overflow. */
static bool maps_parse_dec(const char **pp, unsigned long *val)
{
	const char *p = *pp;
	unsigned long v = 0;

	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9') {
		unsigned long d = (unsigned long)(*p - '0');

		if (v > (ULONG_MAX - d) / 10)
			return false;
		v = v * 10 + d;
		p++;
	}
	*pp = p;
	*val = v;
	return true;
}

static bool maps_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool maps_has_suffix(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

/* "[PREFIXNAME]" (NAME not empty): ml->anon_name = NAME. */
static int maps_parse_anon_name(struct maps_loader *ld, struct maps_line *ml,
				const char *prefix)
{
	const char *t = ml->text;
	size_t len = strlen(t), plen = strlen(prefix);

	if (len < plen + 2 || t[len - 1] != ']')
		return maps_error(ld, ml->lineno, "bad anonymous name \"%s\"",
				  t);
	ml->anon_name = strndup(t + plen, len - plen - 1);
	return ml->anon_name ? 0 : maps_nomem(ld);
}

/* Undo seq_file_path()'s escaping: "\012" is a newline. */
static char *maps_unescape_path(const char *s, size_t len)
{
	char *path = malloc(len + 1), *q = path;
	size_t i;

	if (!path)
		return NULL;
	for (i = 0; i < len; i++) {
		if (i + 4 <= len && !memcmp(s + i, "\\012", 4)) {
			*q++ = '\n';
			i += 3;
		} else {
			*q++ = s[i];
		}
	}
	*q = '\0';
	return path;
}

/* Classify a bracketed pseudo-name of a line without a file. */
static int maps_parse_pseudo(struct maps_loader *ld, struct maps_line *ml)
{
	const char *t = ml->text;
	unsigned int i;

	if (!strcmp(t, "[heap]")) {
		ml->kind = MAPS_HEAP;
		return 0;
	}
	if (!strcmp(t, "[stack]")) {
		ml->kind = MAPS_STACK;
		return 0;
	}
	if (!strcmp(t, "[vsyscall]")) {
		ml->kind = MAPS_GATE;
		return 0;
	}
	for (i = 0; i < sizeof(maps_specials) / sizeof(maps_specials[0]); i++) {
		if (!strcmp(t, maps_specials[i].mapping->name)) {
			ml->kind = MAPS_SPECIAL;
			ml->special = i;
			return 0;
		}
	}
	if (maps_has_prefix(t, "[anon:")) {
		ml->kind = MAPS_ANON_NAMED;
		return maps_parse_anon_name(ld, ml, "[anon:");
	}
	return maps_error(ld, ml->lineno, "unknown special name \"%s\"", t);
}

/* Work out what the name of @ml says; @ml->text is set. */
static int maps_parse_name(struct maps_loader *ld, struct maps_line *ml)
{
	const char *t = ml->text;
	size_t len = strlen(t);
	bool no_file = !ml->dev_major && !ml->dev_minor && !ml->ino;

	if (maps_has_prefix(t, "[anon_shmem:")) {
		if (maps_parse_anon_name(ld, ml, "[anon_shmem:"))
			return ld->ret;
		if (ml->perms[3] != 's')
			return maps_error(ld, ml->lineno,
					  "[anon_shmem:...] must be shared");
		ml->kind = MAPS_FILE;
		ml->deleted = true;
		ml->path = strdup("/dev/zero");
		return ml->path ? 0 : maps_nomem(ld);
	}
	if (t[0] == '[') {
		if (!no_file)
			return maps_error(ld, ml->lineno,
					  "\"%s\" with a device or inode", t);
		return maps_parse_pseudo(ld, ml);
	}

	ml->kind = MAPS_FILE;
	if (maps_has_suffix(t, len, " (deleted)")) {
		ml->deleted = true;
		len -= strlen(" (deleted)");
	}
	ml->path = maps_unescape_path(t, len);
	return ml->path ? 0 : maps_nomem(ld);
}

/* Check what a line says against what a VMA of its kind can be. */
static int maps_check_line(struct maps_loader *ld, struct maps_line *ml,
			   const struct maps_line *prev)
{
	if (ml->start >= ml->end)
		return maps_error(ld, ml->lineno,
				  "end %lx is not above start %lx",
				  ml->end, ml->start);
	if (!PAGE_ALIGNED(ml->start) || !PAGE_ALIGNED(ml->end))
		return maps_error(ld, ml->lineno,
				  "range %lx-%lx is not page aligned",
				  ml->start, ml->end);
	if (ml->end > TASK_SIZE)
		return maps_error(ld, ml->lineno,
				  "range %lx-%lx ends above TASK_SIZE",
				  ml->start, ml->end);
	if (prev && ml->start < prev->end)
		return maps_error(ld, ml->lineno,
				  "range %lx-%lx overlaps or precedes line %lu",
				  ml->start, ml->end, prev->lineno);

	if (ml->kind == MAPS_FILE) {
		if (!PAGE_ALIGNED(ml->offset))
			return maps_error(ld, ml->lineno,
					  "offset %lx is not page aligned",
					  ml->offset);
		return 0;
	}

	if (ml->dev_major || ml->dev_minor || ml->ino)
		return maps_error(ld, ml->lineno,
				  "a mapping without a file has device %02x:%02x inode %lu",
				  ml->dev_major, ml->dev_minor, ml->ino);
	if (ml->offset)
		return maps_error(ld, ml->lineno,
				  "a mapping without a file has offset %lx",
				  ml->offset);
	if (ml->perms[3] == 's')
		return maps_error(ld, ml->lineno,
				  "a mapping without a file cannot be shared");
	if (ml->kind == MAPS_SPECIAL) {
		vm_flags_t may = maps_specials[ml->special].flags;

		if ((ml->perms[0] == 'r' && !(may & VM_MAYREAD)) ||
		    (ml->perms[1] == 'w' && !(may & VM_MAYWRITE)) ||
		    (ml->perms[2] == 'x' && !(may & VM_MAYEXEC)))
			return maps_error(ld, ml->lineno,
					  "%s cannot have permissions %.4s",
					  ml->text, ml->perms);
	}
	return 0;
}

/* Parse one line (without its newline) into @ml. */
static int maps_parse_line(struct maps_loader *ld, struct maps_line *ml,
			   const char *s)
{
	const char *p = s;
	unsigned long major, minor;
	int i;

	if (!*p)
		return maps_error(ld, ml->lineno, "empty line");
	if (!maps_parse_hex(&p, &ml->start))
		return maps_error(ld, ml->lineno, "bad start address");
	if (*p++ != '-')
		return maps_error(ld, ml->lineno,
				  "expected '-' after the start address");
	if (!maps_parse_hex(&p, &ml->end))
		return maps_error(ld, ml->lineno, "bad end address");
	if (*p++ != ' ')
		return maps_error(ld, ml->lineno,
				  "expected a space after the end address");

	for (i = 0; i < 4 && p[i]; i++)
		ml->perms[i] = p[i];
	if (i < 4 || (p[0] != 'r' && p[0] != '-') ||
	    (p[1] != 'w' && p[1] != '-') || (p[2] != 'x' && p[2] != '-') ||
	    (p[3] != 'p' && p[3] != 's') || p[4] != ' ')
		return maps_error(ld, ml->lineno, "bad permissions \"%.4s\"",
				  p);
	p += 5;

	if (!maps_parse_hex(&p, &ml->offset) || *p++ != ' ')
		return maps_error(ld, ml->lineno, "bad offset");
	if (!maps_parse_hex(&p, &major) || *p++ != ':' ||
	    !maps_parse_hex(&p, &minor) || *p++ != ' ' ||
	    major > UINT32_MAX || minor > UINT32_MAX)
		return maps_error(ld, ml->lineno, "bad device");
	ml->dev_major = (unsigned int)major;
	ml->dev_minor = (unsigned int)minor;
	if (!maps_parse_dec(&p, &ml->ino))
		return maps_error(ld, ml->lineno, "bad inode");
	if (*p && *p != ' ')
		return maps_error(ld, ml->lineno,
				  "expected a space after the inode");
	while (*p == ' ')
		p++;

	ml->kind = MAPS_ANON;
	if (!*p)
		return 0;
	ml->text = strdup(p);
	if (!ml->text)
		return maps_nomem(ld);
	return maps_parse_name(ld, ml);
}

static void maps_line_free(struct maps_line *ml)
{
	free(ml->text);
	free(ml->path);
	free(ml->anon_name);
}

/* Read and parse every line of @in; stops at the first error. */
static int maps_read(struct maps_loader *ld, FILE *in)
{
	char *buf = NULL;
	size_t bufsize = 0;
	unsigned long lineno = 0;
	bool after_gate = false;
	ssize_t n;

	while ((n = getline(&buf, &bufsize, in)) >= 0) {
		struct maps_line *ml, *prev;

		lineno++;
		if (n > 0 && buf[n - 1] == '\n')
			buf[--n] = '\0';
		if (memchr(buf, '\0', (size_t)n)) {
			maps_error(ld, lineno, "NUL byte in the line");
			break;
		}
		if (after_gate) {
			maps_error(ld, lineno, "line after [vsyscall]");
			break;
		}
		if (ld->nr_lines == ld->cap_lines) {
			size_t cap = ld->cap_lines ? 2 * ld->cap_lines : 64;
			struct maps_line *lines;

			lines = realloc(ld->lines, cap * sizeof(*lines));
			if (!lines) {
				maps_nomem(ld);
				break;
			}
			ld->lines = lines;
			ld->cap_lines = cap;
		}
		ml = &ld->lines[ld->nr_lines];
		memset(ml, 0, sizeof(*ml));
		ml->lineno = lineno;
		if (maps_parse_line(ld, ml, buf)) {
			maps_line_free(ml);
			break;
		}
		if (ml->kind == MAPS_GATE) {
			/* The gate VMA: not part of the mm. */
			if (ml->start != GATE_START || ml->end != GATE_END) {
				maps_error(ld, lineno,
					   "[vsyscall] is not at %lx-%lx",
					   GATE_START, GATE_END);
				maps_line_free(ml);
				break;
			}
			maps_line_free(ml);
			after_gate = true;
			continue;
		}
		prev = ld->nr_lines ? &ld->lines[ld->nr_lines - 1] : NULL;
		ld->nr_lines++;
		if (maps_check_line(ld, ml, prev))
			break;
	}
	if (!ld->ret && ferror(in))
		maps_error(ld, 0, "read error after line %lu", lineno);
	free(buf);
	return ld->ret;
}

/* ---- loading: the mm's brk and stack -------------------------------- */

/*
 * start_brk, brk and start_stack from the [heap] and [stack] lines.  Two
 * [stack] lines are possible only when start_stack is their common
 * boundary (vma_is_initial_stack() is inclusive at both ends).
 */
static int maps_set_brk_stack(struct maps_loader *ld)
{
	struct mm_struct *mm = ld->mm;
	const struct maps_line *stack = NULL;
	unsigned int nr_stack = 0;
	bool heap = false;
	size_t i;

	for (i = 0; i < ld->nr_lines; i++) {
		const struct maps_line *ml = &ld->lines[i];

		if (ml->kind == MAPS_HEAP) {
			if (!heap)
				mm->start_brk = ml->start;
			mm->brk = ml->end;
			heap = true;
		} else if (ml->kind == MAPS_STACK) {
			if (nr_stack == 0) {
				stack = ml;
				mm->start_stack = ml->end - sizeof(long);
			} else if (nr_stack == 1 && stack == ml - 1 &&
				   stack->end == ml->start) {
				mm->start_stack = ml->start;
			} else {
				return maps_error(ld, ml->lineno,
						  "more than one [stack]");
			}
			nr_stack++;
		}
	}
	return 0;
}

/* ---- loading: files ------------------------------------------------- */

static int maps_key_cmp(const struct maps_line *a, const struct maps_line *b)
{
	int c = strcmp(a->path, b->path);

	if (c)
		return c;
	if (a->dev_major != b->dev_major)
		return a->dev_major < b->dev_major ? -1 : 1;
	if (a->dev_minor != b->dev_minor)
		return a->dev_minor < b->dev_minor ? -1 : 1;
	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	return (int)a->deleted - (int)b->deleted;
}

static int maps_key_qsort_cmp(const void *pa, const void *pb)
{
	const struct maps_line *a = *(const struct maps_line *const *)pa;
	const struct maps_line *b = *(const struct maps_line *const *)pb;
	int c = maps_key_cmp(a, b);

	if (c)
		return c;
	return a->lineno < b->lineno ? -1 : a->lineno > b->lineno;
}

/* A shmem file that is always open read-write: shared anonymous, memfd. */
static bool maps_shmem_always_rw(const struct maps_line *ml)
{
	return !strcmp(ml->path, "/dev/zero") ||
	       maps_has_prefix(ml->path, "/memfd:");
}

/* Sort the file lines into groups of one (path, dev, ino, deleted) key. */
static int maps_group_files(struct maps_loader *ld)
{
	struct maps_line **sorted;
	size_t i, n = 0;

	sorted = malloc((ld->nr_lines ? ld->nr_lines : 1) * sizeof(*sorted));
	ld->groups = calloc(ld->nr_lines ? ld->nr_lines : 1,
			    sizeof(*ld->groups));
	if (!sorted || !ld->groups) {
		free(sorted);
		return maps_nomem(ld);
	}
	for (i = 0; i < ld->nr_lines; i++)
		if (ld->lines[i].kind == MAPS_FILE)
			sorted[n++] = &ld->lines[i];
	qsort(sorted, n, sizeof(*sorted), maps_key_qsort_cmp);

	for (i = 0; i < n; i++) {
		struct maps_line *ml = sorted[i];
		struct maps_group *grp;

		if (i == 0 || maps_key_cmp(sorted[i - 1], ml))
			ld->nr_groups++;
		ml->group = ld->nr_groups - 1;
		grp = &ld->groups[ml->group];
		grp->shmem = ml->dev_major == SHMEM_DEV_MAJOR &&
			     ml->dev_minor == SHMEM_DEV_MINOR;
		if ((ml->perms[1] == 'w' && ml->perms[3] == 's') ||
		    (grp->shmem && maps_shmem_always_rw(ml)))
			grp->writable = true;
	}
	free(sorted);
	return 0;
}

/* A new open file description for the key of @ml. */
static struct vm_file *maps_new_file(struct maps_loader *ld,
				     const struct maps_line *ml)
{
	const struct maps_group *grp = &ld->groups[ml->group];
	struct vm_file *file;

	if (ld->nr_files == ld->cap_files) {
		size_t cap = ld->cap_files ? 2 * ld->cap_files : 16;
		struct vm_file **files;

		files = realloc(ld->files, cap * sizeof(*files));
		if (!files)
			return NULL;
		ld->files = files;
		ld->cap_files = cap;
	}
	file = vm_file_new(ml->path, ml->dev_major, ml->dev_minor, ml->ino,
			   true, grp->writable);
	if (!file)
		return NULL;
	file->deleted = ml->deleted;
	file->shmem = grp->shmem;
	/* Counted again once the VMAs are built. */
	file->f_count = 1;
	ld->files[ld->nr_files++] = file;
	return file;
}

/* ---- loading: VMAs -------------------------------------------------- */

static vm_flags_t maps_perm_flags(const struct maps_line *ml)
{
	vm_flags_t flags = 0;

	if (ml->perms[0] == 'r')
		flags |= VM_READ;
	if (ml->perms[1] == 'w')
		flags |= VM_WRITE;
	if (ml->perms[2] == 'x')
		flags |= VM_EXEC;
	return flags;
}

/* Build the VMA of @ml (not yet in the tree). */
static struct vm_area_struct *maps_build_vma(struct maps_loader *ld,
					     const struct maps_line *ml)
{
	struct vm_area_struct *vma = vm_area_alloc(ld->mm);

	/* A snapshot may hold neighbours Linux left unmerged (fork, brk). */
	if (vma)
		vma->merge_exempt = true;
	vm_flags_t flags = maps_perm_flags(ml);
	bool shared = ml->perms[3] == 's';

	if (!vma)
		return NULL;
	vma->vm_start = ml->start;
	vma->vm_end = ml->end;

	switch (ml->kind) {
	case MAPS_FILE: {
		struct maps_group *grp = &ld->groups[ml->group];

		if (!grp->file) {
			grp->file = maps_new_file(ld, ml);
			if (!grp->file)
				goto nomem;
		}
		vma->vm_file = grp->file;
		vma->vm_pgoff = ml->offset >> PAGE_SHIFT;
		flags |= VM_MAYREAD | VM_MAYEXEC;
		if (shared) {
			flags |= VM_MAYSHARE;
			if (grp->writable)
				flags |= VM_SHARED | VM_MAYWRITE;
		} else {
			flags |= VM_MAYWRITE;
		}
		break;
	}
	case MAPS_SPECIAL:
		vma->vm_special = maps_specials[ml->special].mapping;
		flags |= maps_specials[ml->special].flags;
		break;
	case MAPS_STACK:
		flags |= VM_GROWSDOWN;
		/* fall through */
	case MAPS_ANON:
	case MAPS_HEAP:
	case MAPS_ANON_NAMED:
		flags |= VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
		vma->vm_pgoff = ml->start >> PAGE_SHIFT;
		vma->anon_vma = anon_vma_alloc();
		if (!vma->anon_vma)
			goto nomem;
		break;
	case MAPS_GATE:		/* not a VMA: maps_read() drops the line */
		break;
	}

	/* accountable_mapping(): private and writable. */
	if (!shared && (flags & VM_WRITE) && ml->kind != MAPS_SPECIAL)
		flags |= VM_ACCOUNT;
	/* A private writable file mapping of a running process was written. */
	if (ml->kind == MAPS_FILE && !shared && (flags & VM_WRITE)) {
		vma->anon_vma = anon_vma_alloc();
		if (!vma->anon_vma)
			goto nomem;
	}
	if (ml->anon_name) {
		vma->anon_name = strdup(ml->anon_name);
		if (!vma->anon_name)
			goto nomem;
	}
	vma->vm_flags = flags;
	return vma;

nomem:
	anon_vma_put(vma->anon_vma);
	vm_area_free(vma);
	return NULL;
}

/*
 * @vma would merge with @prev, which a real snapshot cannot show: give it
 * what most likely kept them apart (see "Loading a snapshot" above).
 */
static int maps_keep_apart(struct maps_loader *ld, struct vm_area_struct *prev,
			   struct vm_area_struct *vma,
			   const struct maps_line *ml)
{
	if (vma->vm_file && !(vma->vm_flags & (VM_MAYSHARE | VM_WRITE)) &&
	    !vma->anon_vma) {
		/* RELRO: written, then mprotect()ed read-only. */
		vma->vm_flags |= VM_ACCOUNT;
		vma->anon_vma = anon_vma_alloc();
		if (!vma->anon_vma)
			return maps_nomem(ld);
		if (!vma_is_mergeable(prev, vma))
			return 0;
	}
	if (vma->vm_file) {
		struct vm_file *file = maps_new_file(ld, ml);

		if (!file)
			return maps_nomem(ld);
		ld->groups[ml->group].file = file;
		vma->vm_file = file;
		if (!vma_is_mergeable(prev, vma))
			return 0;
	}
	return maps_error(ld, ml->lineno,
			  "cannot tell this line from the one before");
}

static int maps_build_vmas(struct maps_loader *ld)
{
	size_t i, f;

	ld->vmas = calloc(ld->nr_lines ? ld->nr_lines : 1, sizeof(*ld->vmas));
	if (!ld->vmas)
		return maps_nomem(ld);
	for (i = 0; i < ld->nr_lines; i++) {
		struct vm_area_struct *vma;

		vma = maps_build_vma(ld, &ld->lines[i]);
		if (!vma)
			return maps_nomem(ld);
		ld->vmas[i] = vma;
		if (i && vma_is_mergeable(ld->vmas[i - 1], vma) &&
		    maps_keep_apart(ld, ld->vmas[i - 1], vma, &ld->lines[i]))
			return ld->ret;
	}

	/* Each VMA holds one reference to its file. */
	for (f = 0; f < ld->nr_files; f++)
		ld->files[f]->f_count = 0;
	for (i = 0; i < ld->nr_lines; i++)
		if (ld->vmas[i]->vm_file)
			ld->vmas[i]->vm_file->f_count++;
	return 0;
}

/* Every line must print back as it was written. */
static int maps_check_names(struct maps_loader *ld)
{
	struct maps_buf name = { 0 };
	size_t i;

	for (i = 0; i < ld->nr_lines && !ld->ret; i++) {
		const struct maps_line *ml = &ld->lines[i];
		bool named;

		name.len = 0;
		named = maps_put_name(&name, ld->mm, ld->vmas[i]);
		maps_buf_str(&name);
		if (name.nomem) {
			maps_nomem(ld);
		} else if (!named && ml->text) {
			maps_error(ld, ml->lineno,
				   "\"%s\" would be shown without a name",
				   ml->text);
		} else if (named && (!ml->text || strcmp(name.s, ml->text))) {
			maps_error(ld, ml->lineno,
				   "this line would be shown as \"%s\"",
				   name.s);
		}
	}
	free(name.s);
	return ld->ret;
}

/* ---- loading: the tree and the counters ----------------------------- */

static void maps_account(struct mm_struct *mm,
			 const struct vm_area_struct *vma)
{
	unsigned long pages = vma_pages(vma);

	vm_stat_account(mm, vma->vm_flags, (long)pages);
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm += pages;
	if (vma->vm_flags & VM_ACCOUNT)
		mm->committed += pages;
}

/* Store every VMA; on failure the tree is emptied again. */
static int maps_insert(struct maps_loader *ld)
{
	struct mm_struct *mm = ld->mm;
	size_t i;
	int ret;

	mmap_write_lock(mm);
	for (i = 0; i < ld->nr_lines; i++) {
		struct vm_area_struct *vma = ld->vmas[i];
		MA_STATE(mas, &mm->mm_mt, vma->vm_start, vma->vm_end - 1);

		ret = mas_store_gfp(&mas, vma, GFP_KERNEL);
		if (ret) {
			__mt_destroy(&mm->mm_mt);
			mmap_write_unlock(mm);
			return ret == -ENOMEM ? maps_nomem(ld) :
			       maps_error(ld, ld->lines[i].lineno,
					  "cannot store the VMA (%d)", ret);
		}
	}
	for (i = 0; i < ld->nr_lines; i++)
		maps_account(mm, ld->vmas[i]);
	mm->map_count = ld->nr_lines;
	mmap_write_unlock(mm);
	return 0;
}

/* Free what a failed load built. */
static void maps_unbuild(struct maps_loader *ld)
{
	size_t i;

	for (i = 0; ld->vmas && i < ld->nr_lines; i++) {
		struct vm_area_struct *vma = ld->vmas[i];

		if (!vma)
			continue;
		anon_vma_put(vma->anon_vma);
		vm_area_free(vma);
	}
	for (i = 0; i < ld->nr_files; i++) {
		ld->files[i]->f_count = 1;
		fput(ld->files[i]);
	}
}

/**
 * mm_load_maps - populate an empty mm from a /proc/PID/maps snapshot.
 * @mm: an mm just made by mm_init(), with no VMAs
 * @in: the snapshot, in the format mm_show_maps() writes; the padding
 *	before a name may be any number of spaces, hex digits may be of any
 *	case and width, the [vsyscall] line is optional (but last if present)
 *	and the last line need not end with a newline
 * @name: the snapshot's name, for error messages
 * @err: if not NULL, receives a malloc'd message on failure, else NULL
 *
 * Each line becomes one VMA; how the state a line does not show is chosen
 * is described at the top of this file.  The lines are all parsed, checked
 * (syntax, ranges page aligned, ascending and not overlapping, below
 * TASK_SIZE, names that fit the fields) and built before the first VMA is
 * stored, and each must print back as written, so a snapshot that loads
 * prints back byte for byte and passes mm_validate().  start_brk and brk
 * stay 0 when there is no [heap] line, start_stack when there is no
 * [stack] line.
 *
 * Context: takes mmap_lock for writing; the caller must not hold it.
 * Return: 0; -EINVAL for a malformed or impossible line (message
 * "NAME:LINE: what is wrong") or an mm that already has VMAs; -ENOMEM.
 * On failure the mm is left empty.
 */
int mm_load_maps(struct mm_struct *mm, FILE *in, const char *name, char **err)
{
	struct maps_loader ld = {
		.mm = mm,
		.name = name ? name : "(maps)",
		.err = err,
	};
	size_t i;

	if (err)
		*err = NULL;
	if (!mtree_empty(&mm->mm_mt) || mm->map_count)
		return maps_error(&ld, 0, "the mm already has VMAs");

	if (!maps_read(&ld, in) && !maps_set_brk_stack(&ld) &&
	    !maps_group_files(&ld) && !maps_build_vmas(&ld) &&
	    !maps_check_names(&ld))
		maps_insert(&ld);

	if (ld.ret) {
		maps_unbuild(&ld);
		mm->start_brk = 0;
		mm->brk = 0;
		mm->start_stack = 0;
	}
	for (i = 0; i < ld.nr_lines; i++)
		maps_line_free(&ld.lines[i]);
	free(ld.lines);
	free(ld.groups);
	free(ld.files);
	free(ld.vmas);
	return ld.ret;
}
