/* SPDX-License-Identifier: MIT */
/*
 * files.c - descriptor tables (Linux's files_struct: fs/file.c) and the
 * descriptor syscalls of <vmasim/mm.h>: open and its variants, close,
 * close_range, dup, dup2, dup3, fcntl(F_DUPFD*, F_GETFD, F_SETFD),
 * memfd_create, and the table side of fork and execve (dup_fd(),
 * do_close_on_exec()).
 *
 * DOC: Descriptors and descriptions
 *
 * A table is a growing array of slots, each holding one reference to an
 * open file description (struct vm_file) and the descriptor's flags
 * (close-on-exec; O_PATH, which refuses mmap).  open() and memfd_create()
 * make a new description; dup(), dup2(), dup3(), F_DUPFD and fork() add
 * references to an existing one, so mappings made through any of those
 * descriptors belong to one description and may merge, while mappings of
 * two open()s of one path never do.  A VMA holds its own reference:
 * closing the descriptor leaves the mapping alone.
 *
 * New descriptors are the lowest free ones below the task's
 * RLIMIT_NOFILE, as Linux gives them; vm_open() and vm_fd_install() also
 * accept the exact descriptor the real kernel returned, so that a replay
 * stays in step with descriptors the log never shows being opened.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm_internal.h"

/* Longest memfd name: NAME_MAX minus "memfd:". */
#define MFD_NAME_MAX_LEN	249
#define MFD_NAME_PREFIX		"/memfd:"
#define MFD_ALL_FLAGS		(MFD_CLOEXEC | MFD_ALLOW_SEALING | \
				 MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC)
/* Huge page size encoding allowed in memfd flags with MFD_HUGETLB. */
#define MFD_HUGE_SHIFT		26
#define MFD_HUGE_MASK		0x3fU

/* Smallest table allocated, in slots. */
#define FD_TABLE_MIN		64U

/* ---- the table ---------------------------------------------------------- */

/**
 * files_new - an empty descriptor table with one user.
 *
 * Context: allocates.
 * Return: the table, or NULL without memory.
 */
struct files_struct *files_new(void)
{
	struct files_struct *files = sim_alloc(sizeof(*files));

	if (files)
		files->count = 1;
	return files;
}

/*
 * Make room for descriptor @nr (Linux's expand_files()).
 * Return: 0, -EMFILE if @nr is at or above fs.nr_open, or -ENOMEM.
 */
static int expand_files(struct files_struct *files, unsigned int nr)
{
	unsigned int size = FD_TABLE_MIN;
	struct fd_entry *fd;

	if (nr < files->max_fds)
		return 0;
	if (nr >= VM_NR_OPEN)
		return -EMFILE;
	while (size <= nr)
		size *= 2;
	if (size > VM_NR_OPEN)
		size = VM_NR_OPEN;
	fd = sim_realloc_array(files->fd, size, sizeof(*fd));
	if (!fd)
		return -ENOMEM;
	memset(fd + files->max_fds, 0,
	       (size - files->max_fds) * sizeof(*fd));
	files->fd = fd;
	files->max_fds = size;
	return 0;
}

/**
 * dup_fd - a copy of a descriptor table for a new user (fork without
 * CLONE_FILES, or unsharing): the same descriptions, one more reference
 * each, and the same descriptor flags.
 * @old: the table
 *
 * Context: allocates.
 * Return: the copy with one user, or NULL without memory (nothing taken).
 */
struct files_struct *dup_fd(const struct files_struct *old)
{
	struct files_struct *files = files_new();
	unsigned int fd;

	if (!files)
		return NULL;
	if (old->max_fds) {
		files->fd = sim_realloc_array(NULL, old->max_fds,
					      sizeof(*files->fd));
		if (!files->fd) {
			free(files);
			return NULL;
		}
		memcpy(files->fd, old->fd, old->max_fds * sizeof(*files->fd));
		files->max_fds = old->max_fds;
	}
	files->next_fd = old->next_fd;
	for (fd = 0; fd < files->max_fds; fd++)
		if (files->fd[fd].file)
			get_file(files->fd[fd].file);
	return files;
}

/**
 * put_files_struct - drop a user of a descriptor table; the last one
 * closes every descriptor and frees the table.
 * @files: the table, or NULL
 *
 * Context: may free descriptions (their last references).
 */
void put_files_struct(struct files_struct *files)
{
	unsigned int fd;

	if (!files || --files->count)
		return;
	for (fd = 0; fd < files->max_fds; fd++)
		fput(files->fd[fd].file);
	free(files->fd);
	free(files);
}

/* The slot of open descriptor @fd, or NULL. */
static struct fd_entry *fd_lookup(struct files_struct *files, int fd)
{
	if (fd < 0 || (unsigned int)fd >= files->max_fds ||
	    !files->fd[fd].file)
		return NULL;
	return &files->fd[fd];
}

/*
 * The lowest free descriptor in [start, end), with room made for it
 * (Linux's alloc_fd() without the install).
 * Return: the descriptor, -EMFILE or -ENOMEM.
 */
static int find_free_fd(struct files_struct *files, unsigned int start,
			unsigned int end)
{
	unsigned int fd = start;
	int err;

	if (fd < files->next_fd)
		fd = files->next_fd;
	while (fd < files->max_fds && files->fd[fd].file)
		fd++;
	if (fd >= end)
		return -EMFILE;
	err = expand_files(files, fd);
	if (err)
		return err;
	return (int)fd;
}

/*
 * Put @file (a reference the table takes over) at @fd, room for which
 * exists, closing what was there.
 */
static void fd_install_slot(struct files_struct *files, unsigned int fd,
			    struct vm_file *file, unsigned int flags)
{
	struct vm_file *old = files->fd[fd].file;

	files->fd[fd].file = file;
	files->fd[fd].flags = flags;
	/* Nothing below next_fd is free: it stays true past a filled slot. */
	if (fd == files->next_fd)
		files->next_fd = fd + 1;
	fput(old);
}

/* Close open descriptor @fd. */
static void fd_close_slot(struct files_struct *files, unsigned int fd)
{
	struct vm_file *file = files->fd[fd].file;

	files->fd[fd].file = NULL;
	files->fd[fd].flags = 0;
	if (fd < files->next_fd)
		files->next_fd = fd;
	fput(file);
}

/**
 * do_close_on_exec - close every close-on-exec descriptor (execve).
 * @files: the table (not shared)
 *
 * Context: may free descriptions (their last references).
 */
void do_close_on_exec(struct files_struct *files)
{
	unsigned int fd;

	for (fd = 0; fd < files->max_fds; fd++)
		if (files->fd[fd].file && (files->fd[fd].flags & FDE_CLOEXEC))
			fd_close_slot(files, fd);
}

/* ---- installing descriptions -------------------------------------------- */

/*
 * Install @file with @flags at @fd, or at the lowest free descriptor below
 * the task's RLIMIT_NOFILE if @fd is -1.  The table takes the reference
 * only on success.
 */
static int fd_install_at(struct task *t, int fd, struct vm_file *file,
			 unsigned int flags)
{
	struct files_struct *files = t->files;
	int err;

	if (fd == -1) {
		fd = find_free_fd(files, 0, t->nofile);
		if (fd < 0)
			return fd;
	} else {
		err = expand_files(files, (unsigned int)fd);
		if (err)
			return err;
	}
	fd_install_slot(files, (unsigned int)fd, file, flags);
	return fd;
}

static bool fd_in_range(int fd)
{
	return fd >= -1 && (fd == -1 || (unsigned int)fd < VM_NR_OPEN);
}

/**
 * vm_fd_install - install an open file description at a descriptor.
 * @t: the task
 * @fd: the descriptor, or -1 for the lowest free one
 * @file: the description; the table takes over the caller's reference on
 *	success
 *
 * Context: allocates.
 * Return: the descriptor; -EBADF, -EMFILE or -ENOMEM (the caller keeps
 * its reference).
 */
int vm_fd_install(struct task *t, int fd, struct vm_file *file)
{
	if (!fd_in_range(fd))
		return -EBADF;
	return fd_install_at(t, fd, file, 0);
}

/**
 * vm_fd_get - the open file description behind a descriptor.
 * @t: the task
 * @fd: the descriptor
 *
 * Context: any; takes no reference.
 * Return: the description (borrowed), or NULL if @fd is not open.
 */
struct vm_file *vm_fd_get(struct task *t, int fd)
{
	struct fd_entry *fde = fd_lookup(t->files, fd);

	return fde ? fde->file : NULL;
}

/*
 * Whether a path lives on a file system that places mappings with
 * thp_get_unmapped_area() (ext4, xfs: the root file systems this models).
 * A log gives paths, not file systems, so this is a rule of thumb: the
 * pseudo and memory file systems (/dev, /proc, /sys, /run, /dev/shm,
 * memfd) do not; any other absolute path is taken to be on the root disk.
 */
static bool path_on_thp_fs(const char *path)
{
	static const char *const not_thp[] = {
		"/dev/", "/proc/", "/sys/", "/run/", "/memfd:",
	};
	size_t i;

	if (path[0] != '/')
		return false;
	for (i = 0; i < sizeof(not_thp) / sizeof(not_thp[0]); i++)
		if (!strncmp(path, not_thp[i], strlen(not_thp[i])))
			return false;
	return true;
}

/**
 * vm_open - open a new description of @path and install it.
 * @t: the calling task
 * @fd: the descriptor the real call returned, or -1 for the lowest free
 * @path: the path as maps prints it
 * @flags: O_* flags (access mode, O_PATH, O_CLOEXEC used)
 * @dev_major: device major
 * @dev_minor: device minor
 * @ino: inode number
 *
 * Context: allocates.
 * Return: the descriptor; -EFAULT, -EBADF, -EMFILE or -ENOMEM with
 * nothing changed.
 */
int vm_open(struct task *t, int fd, const char *path, int flags,
	    unsigned int dev_major, unsigned int dev_minor, unsigned long ino)
{
	unsigned int acc = (unsigned int)flags & O_ACCMODE;
	unsigned int fde_flags = 0;
	bool readable, writable;
	struct vm_file *file;
	int err;

	if (!path)
		return -EFAULT;
	if (!fd_in_range(fd))
		return -EBADF;
	readable = acc == O_RDONLY || acc == O_RDWR;
	writable = acc == O_WRONLY || acc == O_RDWR;
	if (flags & O_PATH) {
		readable = writable = false;
		fde_flags |= FDE_PATH;
	}
	if (flags & O_CLOEXEC)
		fde_flags |= FDE_CLOEXEC;

	/* The descriptor first, as Linux: -EMFILE before the file. */
	if (fd == -1) {
		fd = find_free_fd(t->files, 0, t->nofile);
		if (fd < 0)
			return fd;
	} else {
		err = expand_files(t->files, (unsigned int)fd);
		if (err)
			return err;
	}
	file = vm_file_new(path, dev_major, dev_minor, ino, readable, writable);
	if (!file)
		return -ENOMEM;
	file->thp_get_area = path_on_thp_fs(path);
	fd_install_slot(t->files, (unsigned int)fd, file, fde_flags);
	return fd;
}

/**
 * sys_open - open(2) with no device or inode known.
 * @t: the calling task
 * @path: the path
 * @flags: O_* flags
 * @mode: the creation mode (ignored)
 *
 * Context: allocates.
 * Return: the lowest free descriptor, or -errno as vm_open().
 */
long sys_open(struct task *t, const char *path, int flags, unsigned int mode)
{
	return vm_open(t, -1, path, flags, 0, 0, 0);
}

/**
 * sys_memfd_create - memfd_create(2): a shmem file "/memfd:NAME",
 * deleted, on device 00:01, open read-write.
 * @t: the calling task
 * @name: the name
 * @flags: MFD_* flags
 *
 * Context: allocates.
 * Return: the descriptor, or -EFAULT, -EINVAL, -EMFILE, -ENOMEM with
 * nothing changed.
 */
long sys_memfd_create(struct task *t, const char *name, unsigned int flags)
{
	char path[sizeof(MFD_NAME_PREFIX) + MFD_NAME_MAX_LEN];
	unsigned int allowed = MFD_ALL_FLAGS;
	struct vm_file *file;
	size_t len;
	int fd;

	if (flags & MFD_HUGETLB)
		allowed |= MFD_HUGE_MASK << MFD_HUGE_SHIFT;
	if (flags & ~allowed)
		return -EINVAL;
	if ((flags & MFD_EXEC) && (flags & MFD_NOEXEC_SEAL))
		return -EINVAL;
	if (!name)
		return -EFAULT;
	len = strnlen(name, MFD_NAME_MAX_LEN + 1);
	if (len > MFD_NAME_MAX_LEN)
		return -EINVAL;

	fd = find_free_fd(t->files, 0, t->nofile);
	if (fd < 0)
		return fd;
	memcpy(path, MFD_NAME_PREFIX, strlen(MFD_NAME_PREFIX));
	memcpy(path + strlen(MFD_NAME_PREFIX), name, len);
	path[strlen(MFD_NAME_PREFIX) + len] = '\0';
	file = vm_file_new(path, 0, 1, ++t->sim->shmem_ino, true, true);
	if (!file)
		return -ENOMEM;
	file->deleted = true;
	file->shmem = true;
	fd_install_slot(t->files, (unsigned int)fd, file,
			(flags & MFD_CLOEXEC) ? FDE_CLOEXEC : 0);
	return fd;
}

/* ---- closing ------------------------------------------------------------ */

/**
 * sys_close - close(2).
 * @t: the calling task
 * @fd: the descriptor
 *
 * Context: may free the description (its last reference).
 * Return: 0, or -EBADF if @fd is not open.
 */
long sys_close(struct task *t, int fd)
{
	if (!fd_lookup(t->files, fd))
		return -EBADF;
	fd_close_slot(t->files, (unsigned int)fd);
	return 0;
}

/**
 * sys_close_range - close_range(2).
 * @t: the calling task
 * @first: first descriptor
 * @last: last descriptor (inclusive)
 * @flags: CLOSE_RANGE_UNSHARE, CLOSE_RANGE_CLOEXEC
 *
 * Context: allocates for CLOSE_RANGE_UNSHARE of a shared table.
 * Return: 0, -EINVAL or -ENOMEM (nothing changed).
 */
long sys_close_range(struct task *t, unsigned int first, unsigned int last,
		     unsigned int flags)
{
	struct files_struct *files = t->files;
	unsigned int fd, end;

	if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (first > last)
		return -EINVAL;
	if ((flags & CLOSE_RANGE_UNSHARE) && files->count > 1) {
		files = dup_fd(t->files);
		if (!files)
			return -ENOMEM;
		put_files_struct(t->files);
		t->files = files;
	}

	end = last < files->max_fds ? last + 1 : files->max_fds;
	for (fd = first; fd < end; fd++) {
		if (!files->fd[fd].file)
			continue;
		if (flags & CLOSE_RANGE_CLOEXEC)
			files->fd[fd].flags |= FDE_CLOEXEC;
		else
			fd_close_slot(files, fd);
	}
	return 0;
}

/* ---- duplicating -------------------------------------------------------- */

/**
 * sys_dup - dup(2).
 * @t: the calling task
 * @oldfd: the descriptor
 *
 * Context: allocates.
 * Return: the new descriptor; -EBADF, -EMFILE or -ENOMEM.
 */
long sys_dup(struct task *t, int oldfd)
{
	return sys_fcntl_dupfd(t, oldfd, 0, false);
}

/* dup2()/dup3() once the flags are checked (Linux's ksys_dup3()). */
static long do_dup3(struct task *t, int oldfd, int newfd, unsigned int flags)
{
	struct files_struct *files = t->files;
	struct fd_entry *fde;
	struct vm_file *file;
	unsigned int fde_flags;
	int err;

	if (newfd < 0 || (unsigned int)newfd >= t->nofile)
		return -EBADF;
	err = expand_files(files, (unsigned int)newfd);
	fde = fd_lookup(files, oldfd);
	if (!fde)
		return -EBADF;
	if (err)
		return err == -EMFILE ? -EBADF : err;
	file = fde->file;
	fde_flags = (fde->flags & FDE_PATH) | flags;
	fd_install_slot(files, (unsigned int)newfd, get_file(file), fde_flags);
	return newfd;
}

/**
 * sys_dup2 - dup2(2).
 * @t: the calling task
 * @oldfd: the descriptor
 * @newfd: the target descriptor
 *
 * Context: allocates.
 * Return: @newfd, -EBADF or -ENOMEM.
 */
long sys_dup2(struct task *t, int oldfd, int newfd)
{
	if (oldfd == newfd)
		return fd_lookup(t->files, oldfd) ? newfd : -EBADF;
	return do_dup3(t, oldfd, newfd, 0);
}

/**
 * sys_dup3 - dup3(2).
 * @t: the calling task
 * @oldfd: the descriptor
 * @newfd: the target descriptor
 * @flags: 0 or O_CLOEXEC
 *
 * Context: allocates.
 * Return: @newfd, -EINVAL, -EBADF or -ENOMEM.
 */
long sys_dup3(struct task *t, int oldfd, int newfd, int flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	return do_dup3(t, oldfd, newfd, (flags & O_CLOEXEC) ? FDE_CLOEXEC : 0);
}

/**
 * sys_fcntl_dupfd - fcntl(2) F_DUPFD / F_DUPFD_CLOEXEC.
 * @t: the calling task
 * @fd: the descriptor
 * @minfd: lowest acceptable new descriptor (an int in the kernel)
 * @cloexec: F_DUPFD_CLOEXEC
 *
 * Context: allocates.
 * Return: the new descriptor; -EBADF, -EINVAL, -EMFILE or -ENOMEM.
 */
long sys_fcntl_dupfd(struct task *t, int fd, unsigned long minfd,
		     bool cloexec)
{
	struct files_struct *files = t->files;
	unsigned int from = (unsigned int)minfd;
	struct fd_entry *fde = fd_lookup(files, fd);
	struct vm_file *file;
	unsigned int flags;
	int newfd;

	if (!fde)
		return -EBADF;
	if (from >= t->nofile)
		return -EINVAL;
	/* Read the slot before the table may move. */
	file = fde->file;
	flags = (fde->flags & FDE_PATH) | (cloexec ? FDE_CLOEXEC : 0);
	newfd = find_free_fd(files, from, t->nofile);
	if (newfd < 0)
		return newfd;
	fd_install_slot(files, (unsigned int)newfd, get_file(file), flags);
	return newfd;
}

/**
 * sys_fcntl - fcntl(2): F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD.
 * @t: the calling task
 * @fd: the descriptor
 * @cmd: the command
 * @arg: its argument
 *
 * Context: allocates for F_DUPFD and F_DUPFD_CLOEXEC.
 * Return: as Linux; -EBADF for a descriptor not open; -EINVAL for any
 * other command.
 */
long sys_fcntl(struct task *t, int fd, unsigned int cmd, unsigned long arg)
{
	struct fd_entry *fde = fd_lookup(t->files, fd);

	if (!fde)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
		return sys_fcntl_dupfd(t, fd, arg, false);
	case F_DUPFD_CLOEXEC:
		return sys_fcntl_dupfd(t, fd, arg, true);
	case F_GETFD:
		return (fde->flags & FDE_CLOEXEC) ? FD_CLOEXEC : 0;
	case F_SETFD:
		if (arg & FD_CLOEXEC)
			fde->flags |= FDE_CLOEXEC;
		else
			fde->flags &= ~FDE_CLOEXEC;
		return 0;
	default:
		return -EINVAL;
	}
}
