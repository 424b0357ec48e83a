/* SPDX-License-Identifier: MIT */
/*
 * mm.h - the syscall API of vmasim: simulated processes (struct task) in a
 * simulated system (struct vm_sim), their descriptor tables, and one
 * function per memory, descriptor and process syscall, taking the
 * kernel's arguments and returning what x86-64 Linux 6.18 returns: an
 * address, a descriptor, 0, or -errno.
 *
 * Owned by src/mm: process.c (the process table, fork/clone, execve,
 * exit), files.c (descriptor tables and the descriptor syscalls) and
 * syscalls.c (the memory syscalls).
 *
 * DOC: Model
 *
 * A task is one schedulable entity (a process or a thread) with a pid, a
 * thread group id, an address space and a descriptor table.  Address
 * spaces are shared by CLONE_VM (threads, vfork children) and counted: the
 * last task to leave one (exit, or execve's fresh address space) tears it
 * down with exit_mmap().  Descriptor tables are shared by CLONE_FILES and
 * counted the same way; a table holds one reference to each open file
 * description (struct vm_file) per descriptor, so fork shares descriptions
 * with the parent (the same struct vm_file, as dup() does) while every
 * open() makes a new one.  A mapping's file identity is its description:
 * two open() of one path never merge, a dup()ed descriptor does.
 *
 * Every memory syscall takes the address space's mmap_lock for writing
 * around the VMA-layer call.  A vm_sim is not otherwise thread-safe: the
 * caller serialises calls on one vm_sim and its tasks.  Allocation failure
 * anywhere (tree nodes, VMAs, tasks, tables) makes the call return -ENOMEM
 * with the system as it was before the call, except where Linux itself
 * keeps partial work (documented per call).
 *
 * The constants below are the kernel's (x86-64) values; each is defined
 * only if no system header did it first.
 */
#ifndef VMASIM_MM_H
#define VMASIM_MM_H

#include <stdbool.h>
#include <stddef.h>

#include <vmasim/vma.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- constants (include/uapi, x86-64) ----------------------------------- */

/* mmap(2), mprotect(2) prot. */
#ifndef PROT_NONE
#define PROT_NONE	0x0
#endif
#ifndef PROT_READ
#define PROT_READ	0x1
#endif
#ifndef PROT_WRITE
#define PROT_WRITE	0x2
#endif
#ifndef PROT_EXEC
#define PROT_EXEC	0x4
#endif
#ifndef PROT_SEM
#define PROT_SEM	0x8
#endif
#ifndef PROT_GROWSDOWN
#define PROT_GROWSDOWN	0x01000000
#endif
#ifndef PROT_GROWSUP
#define PROT_GROWSUP	0x02000000
#endif

/* mmap(2) flags. */
#ifndef MAP_SHARED
#define MAP_SHARED		0x01
#endif
#ifndef MAP_PRIVATE
#define MAP_PRIVATE		0x02
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE	0x03
#endif
#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE		0x08
#endif
#ifndef MAP_TYPE
#define MAP_TYPE		0x0f
#endif
#ifndef MAP_FIXED
#define MAP_FIXED		0x10
#endif
#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS		0x20
#endif
#ifndef MAP_32BIT
#define MAP_32BIT		0x40
#endif
#ifndef MAP_GROWSDOWN
#define MAP_GROWSDOWN		0x0100
#endif
#ifndef MAP_DENYWRITE
#define MAP_DENYWRITE		0x0800
#endif
#ifndef MAP_EXECUTABLE
#define MAP_EXECUTABLE		0x1000
#endif
#ifndef MAP_LOCKED
#define MAP_LOCKED		0x2000
#endif
#ifndef MAP_NORESERVE
#define MAP_NORESERVE		0x4000
#endif
#ifndef MAP_POPULATE
#define MAP_POPULATE		0x8000
#endif
#ifndef MAP_NONBLOCK
#define MAP_NONBLOCK		0x10000
#endif
#ifndef MAP_STACK
#define MAP_STACK		0x20000
#endif
#ifndef MAP_HUGETLB
#define MAP_HUGETLB		0x40000
#endif
#ifndef MAP_SYNC
#define MAP_SYNC		0x80000
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif
#ifndef MAP_UNINITIALIZED
#define MAP_UNINITIALIZED	0x4000000
#endif

/* mremap(2) flags. */
#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE		1
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED		2
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP	4
#endif

/* madvise(2) advice. */
#ifndef MADV_NORMAL
#define MADV_NORMAL		0
#endif
#ifndef MADV_RANDOM
#define MADV_RANDOM		1
#endif
#ifndef MADV_SEQUENTIAL
#define MADV_SEQUENTIAL		2
#endif
#ifndef MADV_WILLNEED
#define MADV_WILLNEED		3
#endif
#ifndef MADV_DONTNEED
#define MADV_DONTNEED		4
#endif
#ifndef MADV_FREE
#define MADV_FREE		8
#endif
#ifndef MADV_REMOVE
#define MADV_REMOVE		9
#endif
#ifndef MADV_DONTFORK
#define MADV_DONTFORK		10
#endif
#ifndef MADV_DOFORK
#define MADV_DOFORK		11
#endif
#ifndef MADV_MERGEABLE
#define MADV_MERGEABLE		12
#endif
#ifndef MADV_UNMERGEABLE
#define MADV_UNMERGEABLE	13
#endif
#ifndef MADV_HUGEPAGE
#define MADV_HUGEPAGE		14
#endif
#ifndef MADV_NOHUGEPAGE
#define MADV_NOHUGEPAGE		15
#endif
#ifndef MADV_DONTDUMP
#define MADV_DONTDUMP		16
#endif
#ifndef MADV_DODUMP
#define MADV_DODUMP		17
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK		18
#endif
#ifndef MADV_KEEPONFORK
#define MADV_KEEPONFORK		19
#endif
#ifndef MADV_COLD
#define MADV_COLD		20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT		21
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ	22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23
#endif
#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED	24
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE		25
#endif
#ifndef MADV_HWPOISON
#define MADV_HWPOISON		100
#endif
#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE	101
#endif
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL	102
#endif
#ifndef MADV_GUARD_REMOVE
#define MADV_GUARD_REMOVE	103
#endif

/* mlock2(2) and mlockall(2) flags. */
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT		0x01
#endif
#ifndef MCL_CURRENT
#define MCL_CURRENT		1
#endif
#ifndef MCL_FUTURE
#define MCL_FUTURE		2
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT		4
#endif

/* open(2) flags that matter here (octal, as in the uapi headers). */
#ifndef O_ACCMODE
#define O_ACCMODE	00000003
#endif
#ifndef O_RDONLY
#define O_RDONLY	00000000
#endif
#ifndef O_WRONLY
#define O_WRONLY	00000001
#endif
#ifndef O_RDWR
#define O_RDWR		00000002
#endif
#ifndef O_CREAT
#define O_CREAT		00000100
#endif
#ifndef O_TRUNC
#define O_TRUNC		00001000
#endif
#ifndef O_CLOEXEC
#define O_CLOEXEC	02000000
#endif
#ifndef O_PATH
#define O_PATH		010000000
#endif

/* fcntl(2) commands and descriptor flags. */
#ifndef F_DUPFD
#define F_DUPFD		0
#endif
#ifndef F_GETFD
#define F_GETFD		1
#endif
#ifndef F_SETFD
#define F_SETFD		2
#endif
#ifndef F_DUPFD_CLOEXEC
#define F_DUPFD_CLOEXEC	1030
#endif
#ifndef FD_CLOEXEC
#define FD_CLOEXEC	1
#endif

/* close_range(2) flags. */
#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE	(1U << 1)
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC	(1U << 2)
#endif

/* memfd_create(2) flags. */
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC		0x0001U
#endif
#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING	0x0002U
#endif
#ifndef MFD_HUGETLB
#define MFD_HUGETLB		0x0004U
#endif
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL		0x0008U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC		0x0010U
#endif

/* clone(2) flags; the low byte (CSIGNAL) is the exit signal, ignored. */
#ifndef CLONE_VM
#define CLONE_VM	0x00000100
#endif
#ifndef CLONE_FS
#define CLONE_FS	0x00000200
#endif
#ifndef CLONE_FILES
#define CLONE_FILES	0x00000400
#endif
#ifndef CLONE_SIGHAND
#define CLONE_SIGHAND	0x00000800
#endif
#ifndef CLONE_VFORK
#define CLONE_VFORK	0x00004000
#endif
#ifndef CLONE_PARENT
#define CLONE_PARENT	0x00008000
#endif
#ifndef CLONE_THREAD
#define CLONE_THREAD	0x00010000
#endif
#ifndef CLONE_NEWNS
#define CLONE_NEWNS	0x00020000
#endif
#ifndef CLONE_NEWUSER
#define CLONE_NEWUSER	0x10000000
#endif

/* RLIMIT_NOFILE of a new process (INR_OPEN_CUR). */
#define VM_NOFILE_DEFAULT	1024U
/* fs.nr_open: no descriptor is ever at or above this. */
#define VM_NR_OPEN		1048576U

/* ---- the system and its processes --------------------------------------- */

struct vm_sim;
struct task;

/**
 * vm_sim_new - a new simulated system with no processes.
 * @defaults: the tunables and limits of new address spaces, or NULL for
 *	mm_limits_default()
 *
 * Context: allocates.
 * Return: the system, or NULL without memory.
 */
struct vm_sim *vm_sim_new(const struct mm_limits *defaults);

/**
 * vm_sim_free - end every task still running (as sys_exit() would) and
 * free the system.
 * @sim: the system, or NULL
 *
 * Context: no other call on @sim may run.
 */
void vm_sim_free(struct vm_sim *sim);

/**
 * vm_sim_nr_tasks - how many tasks the system holds.
 * @sim: the system
 *
 * Context: any; reads the table.
 * Return: the number of tasks.
 */
size_t vm_sim_nr_tasks(const struct vm_sim *sim);

/**
 * vm_sim_task - the @i-th task in pid order, for walking the table.
 * @sim: the system
 * @i: index, below vm_sim_nr_tasks()
 *
 * Context: any; the order changes when tasks come and go.
 * Return: the task, or NULL if @i is out of range.
 */
struct task *vm_sim_task(struct vm_sim *sim, size_t i);

/**
 * vm_task_create - a first process (no parent): an empty address space
 * with the system's default limits, an empty descriptor table,
 * RLIMIT_NOFILE VM_NOFILE_DEFAULT, thread group of its own.
 * @sim: the system
 * @pid: its pid (> 0, unused)
 * @mmap_base: where top-down address searches start
 * @legacy: bottom-up layout (legacy_layout)
 *
 * The caller typically loads a snapshot into it with mm_load_maps() on
 * vm_task_mm().
 *
 * Context: allocates.
 * Return: the task, or NULL (pid <= 0 or in use, or no memory).
 */
struct task *vm_task_create(struct vm_sim *sim, int pid,
			    unsigned long mmap_base, bool legacy);

/**
 * vm_task_find - look a task up by pid.
 * @sim: the system
 * @pid: the pid
 *
 * Context: any; O(log n).
 * Return: the task, or NULL if there is none.
 */
struct task *vm_task_find(struct vm_sim *sim, int pid);

/**
 * vm_task_pid - a task's pid.
 * @t: the task
 * Context: any.
 * Return: the pid.
 */
int vm_task_pid(const struct task *t);

/**
 * vm_task_tgid - a task's thread group id (the pid of its process).
 * @t: the task
 * Context: any.
 * Return: the tgid.
 */
int vm_task_tgid(const struct task *t);

/**
 * vm_task_vfork_parent - the parent a vfork child (CLONE_VFORK) holds
 * stopped until it execs or exits.
 * @t: the task
 * Context: any.
 * Return: the parent's pid, or 0 if @t is not such a child (any more).
 */
int vm_task_vfork_parent(const struct task *t);

/**
 * vm_task_mm - a task's address space, for mm_show_maps(), mm_load_maps()
 * and mm_validate().  Shared by every task cloned with CLONE_VM from it.
 * @t: the task
 *
 * Context: any; lock the mm (mmap_lock) to read or change it.
 * Return: the mm; valid until the last task using it execs or exits.
 */
struct mm_struct *vm_task_mm(struct task *t);

/**
 * vm_task_set_nofile - setrlimit(RLIMIT_NOFILE) for a task: the bound on
 * descriptors open(), dup(), dup2() and fcntl(F_DUPFD) may give out.
 * Inherited by clone and kept across execve.
 * @t: the task
 * @nofile: the new limit, at most VM_NR_OPEN
 *
 * Context: any.
 * Return: 0, or -EPERM if @nofile exceeds VM_NR_OPEN.
 */
int vm_task_set_nofile(struct task *t, unsigned int nofile);

/* ---- process syscalls (process.c) --------------------------------------- */

/**
 * sys_fork - fork(2): sys_clone() with no flags.
 * @parent: the calling task
 * @child_pid: the pid the child gets
 *
 * Context: takes @parent's mmap_lock and the child's for the copy.
 * Return: @child_pid, or -errno as sys_clone().
 */
long sys_fork(struct task *parent, int child_pid);

/**
 * sys_clone - clone(2) / clone3(2) / vfork(2): a new task @child_pid.
 * @parent: the calling task
 * @child_pid: the pid the child gets (the real call's return value)
 * @flags: CLONE_* flags; the exit signal in the low byte is ignored
 *
 * CLONE_VM: the child uses @parent's address space (threads, vfork);
 * otherwise it gets a copy made by dup_mmap() (fork).  CLONE_VFORK: the
 * child records @parent as its vfork parent until it execs or exits.
 * CLONE_FILES: the child shares @parent's descriptor table; otherwise it
 * gets a copy holding the same descriptions (close-on-exec flags
 * included).  CLONE_THREAD: the child joins @parent's thread group.
 *
 * Context: takes @parent's mmap_lock and the child's while copying.
 * Return: @child_pid; -EINVAL for flag combinations Linux refuses
 * (CLONE_THREAD without CLONE_SIGHAND, CLONE_SIGHAND without CLONE_VM,
 * CLONE_FS with CLONE_NEWNS or CLONE_NEWUSER) or @child_pid <= 0;
 * -EEXIST if @child_pid is in use; -ENOMEM, with nothing created and
 * @parent untouched.
 */
long sys_clone(struct task *parent, int child_pid, unsigned long flags);

/**
 * sys_execve - the address-space and descriptor side of a successful
 * execve(2): the task gets a fresh, empty address space with the old
 * one's mmap_base, layout and limits (mlockall(MCL_FUTURE) is not kept);
 * the other threads of its group exit, and if @t was not the group leader
 * it takes the leader's pid; a shared descriptor table is unshared; the
 * close-on-exec descriptors are closed; a vfork parent is released.
 * @t: the task
 *
 * The caller then loads the new image, e.g. the exec snapshot with
 * mm_load_maps() on vm_task_mm().  The old address space is torn down if
 * no task uses it any more.
 *
 * Context: allocates; the other threads' handles are freed.
 * Return: 0, or -ENOMEM with nothing changed.
 */
long sys_execve(struct task *t);

/**
 * sys_exit - exit(2) of one task: it leaves the table; its address space
 * is torn down with exit_mmap() and its descriptor table closed if it was
 * their last user.  A vfork parent is released.
 * @t: the task; freed
 *
 * Context: may tear down an address space (takes its mmap_lock).
 */
void sys_exit(struct task *t);

/**
 * sys_exit_group - exit_group(2): sys_exit() for every task of @t's
 * thread group.
 * @t: any task of the group; freed, with the others
 *
 * Context: may tear down address spaces (takes their mmap_locks).
 */
void sys_exit_group(struct task *t);

/* ---- descriptors (files.c) ---------------------------------------------- */

/**
 * vm_open - open(2), openat(2), openat2(2), creat(2) with what the log
 * knows: a new open file description, installed at @fd.
 * @t: the calling task
 * @fd: the descriptor to install it at (the one the real call returned;
 *	a description already there is closed first, as dup2() would), or -1
 *	for the lowest free one
 * @path: the path as /proc/PID/maps would print it
 * @flags: O_* flags: the access mode (O_RDONLY, O_WRONLY, O_RDWR),
 *	O_PATH and O_CLOEXEC are used, the rest ignored
 * @dev_major: device major, 0 if unknown
 * @dev_minor: device minor, 0 if unknown
 * @ino: inode number, 0 if unknown
 *
 * An explicit @fd is not bound by RLIMIT_NOFILE: the real kernel gave it.
 *
 * Context: allocates.
 * Return: the descriptor; -EFAULT if @path is NULL; -EBADF if @fd is
 * below -1 or not below VM_NR_OPEN; -EMFILE if no descriptor is free
 * below the task's RLIMIT_NOFILE; -ENOMEM.
 */
int vm_open(struct task *t, int fd, const char *path, int flags,
	    unsigned int dev_major, unsigned int dev_minor, unsigned long ino);

/**
 * sys_open - open(2) of a file whose device and inode are not known:
 * vm_open() at the lowest free descriptor.
 * @t: the calling task
 * @path: the path
 * @flags: O_* flags
 * @mode: the creation mode (ignored)
 *
 * Context: allocates.
 * Return: the descriptor, or -errno as vm_open().
 */
long sys_open(struct task *t, const char *path, int flags, unsigned int mode);

/**
 * vm_fd_install - install an open file description at a descriptor,
 * closing what was there.
 * @t: the task
 * @fd: the descriptor, or -1 for the lowest free one
 * @file: the description; the table takes over the caller's reference on
 *	success (on failure the caller keeps it)
 *
 * Context: allocates.
 * Return: the descriptor; -EBADF (@fd below -1 or not below VM_NR_OPEN);
 * -EMFILE; -ENOMEM.
 */
int vm_fd_install(struct task *t, int fd, struct vm_file *file);

/**
 * vm_fd_get - the open file description behind a descriptor.
 * @t: the task
 * @fd: the descriptor
 *
 * Context: any; takes no reference.
 * Return: the description (borrowed: valid until the descriptor is
 * closed), or NULL if @fd is not open.
 */
struct vm_file *vm_fd_get(struct task *t, int fd);

/**
 * sys_close - close(2).
 * @t: the calling task
 * @fd: the descriptor
 *
 * Mappings of the description stay: they hold their own references.
 * Context: may free the description (its last reference).
 * Return: 0, or -EBADF if @fd is not open.
 */
long sys_close(struct task *t, int fd);

/**
 * sys_close_range - close_range(2): close (or with CLOSE_RANGE_CLOEXEC mark
 * close-on-exec) every open descriptor in [@first, @last].
 * @t: the calling task
 * @first: first descriptor
 * @last: last descriptor (inclusive)
 * @flags: CLOSE_RANGE_UNSHARE (unshare a shared table first),
 *	CLOSE_RANGE_CLOEXEC
 *
 * Context: allocates for CLOSE_RANGE_UNSHARE.
 * Return: 0; -EINVAL for unknown flags or @first > @last; -ENOMEM.
 */
long sys_close_range(struct task *t, unsigned int first, unsigned int last,
		     unsigned int flags);

/**
 * sys_dup - dup(2): the lowest free descriptor, sharing @oldfd's
 * description, without close-on-exec.
 * @t: the calling task
 * @oldfd: the descriptor
 *
 * Context: allocates.
 * Return: the new descriptor; -EBADF; -EMFILE; -ENOMEM.
 */
long sys_dup(struct task *t, int oldfd);

/**
 * sys_dup2 - dup2(2).
 * @t: the calling task
 * @oldfd: the descriptor
 * @newfd: where to put its description (closing what is there)
 *
 * Context: allocates.
 * Return: @newfd; -EBADF (@oldfd not open, @newfd negative or not below
 * RLIMIT_NOFILE); -ENOMEM.  @oldfd == @newfd just checks @oldfd.
 */
long sys_dup2(struct task *t, int oldfd, int newfd);

/**
 * sys_dup3 - dup3(2).
 * @t: the calling task
 * @oldfd: the descriptor
 * @newfd: where to put its description
 * @flags: 0 or O_CLOEXEC
 *
 * Context: allocates.
 * Return: @newfd; -EINVAL (other flags, or @oldfd == @newfd); -EBADF;
 * -ENOMEM.
 */
long sys_dup3(struct task *t, int oldfd, int newfd, int flags);

/**
 * sys_fcntl_dupfd - fcntl(2) F_DUPFD / F_DUPFD_CLOEXEC: the lowest free
 * descriptor at or above @minfd, sharing @fd's description.
 * @t: the calling task
 * @fd: the descriptor
 * @minfd: the lowest acceptable new descriptor
 * @cloexec: F_DUPFD_CLOEXEC
 *
 * Context: allocates.
 * Return: the new descriptor; -EBADF; -EINVAL (@minfd not below
 * RLIMIT_NOFILE); -EMFILE; -ENOMEM.
 */
long sys_fcntl_dupfd(struct task *t, int fd, unsigned long minfd,
		     bool cloexec);

/**
 * sys_fcntl - fcntl(2) for the commands that matter to the simulation:
 * F_DUPFD, F_DUPFD_CLOEXEC (as sys_fcntl_dupfd()), F_GETFD, F_SETFD
 * (FD_CLOEXEC).
 * @t: the calling task
 * @fd: the descriptor
 * @cmd: the command
 * @arg: its argument
 *
 * Context: allocates for F_DUPFD and F_DUPFD_CLOEXEC.
 * Return: as the kernel; -EBADF if @fd is not open; -EINVAL for any other
 * command (not simulated).
 */
long sys_fcntl(struct task *t, int fd, unsigned int cmd, unsigned long arg);

/**
 * sys_memfd_create - memfd_create(2): a new shmem file, open read-write,
 * which maps print as "/memfd:NAME (deleted)" on device 00:01.
 * @t: the calling task
 * @name: the name (at most 249 bytes)
 * @flags: MFD_* flags; MFD_CLOEXEC is used, MFD_HUGETLB files are
 *	modelled as ordinary shmem files
 *
 * Context: allocates.
 * Return: the descriptor; -EFAULT (@name NULL); -EINVAL (unknown flags,
 * MFD_EXEC with MFD_NOEXEC_SEAL, name too long); -EMFILE; -ENOMEM.
 */
long sys_memfd_create(struct task *t, const char *name, unsigned int flags);

/* ---- memory syscalls (syscalls.c) --------------------------------------- */

/**
 * sys_mmap - mmap(2).
 * @t: the calling task
 * @addr: hint, or the address with MAP_FIXED
 * @len: length
 * @prot: PROT_* bits
 * @flags: MAP_* flags
 * @fd: the file's descriptor; ignored with MAP_ANONYMOUS
 * @off: offset in bytes (page aligned)
 *
 * Like Linux, MAP_POPULATE and locked mappings (MAP_LOCKED, or after
 * mlockall(MCL_FUTURE)) are populated, which write-faults private writable
 * memory.  MAP_HUGETLB is not simulated: anonymous huge pages fail with
 * -ENOMEM, as on a machine with none reserved.
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: the address; -EINVAL (@off not page aligned, MAP_HUGETLB on a
 * file, ...); -EBADF (@fd not open, or opened with O_PATH); otherwise
 * as do_mmap().
 */
long sys_mmap(struct task *t, unsigned long addr, unsigned long len,
	      unsigned long prot, unsigned long flags, int fd,
	      unsigned long off);

/**
 * sys_munmap - munmap(2).
 * @t: the calling task
 * @addr: start (page aligned)
 * @len: length
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: 0 or -errno as do_munmap().
 */
long sys_munmap(struct task *t, unsigned long addr, unsigned long len);

/**
 * sys_mremap - mremap(2).
 * @t: the calling task
 * @addr: old address
 * @old_len: old length
 * @new_len: new length
 * @flags: MREMAP_* flags
 * @new_addr: destination for MREMAP_FIXED (hint with MREMAP_DONTUNMAP)
 *
 * A locked mapping that grows has its new part populated, as Linux does.
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: the new address or -errno as do_mremap().
 */
long sys_mremap(struct task *t, unsigned long addr, unsigned long old_len,
		unsigned long new_len, unsigned long flags,
		unsigned long new_addr);

/**
 * sys_mprotect - mprotect(2).
 * @t: the calling task
 * @start: start (page aligned)
 * @len: length
 * @prot: PROT_* bits
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: 0 or -errno as do_mprotect_pkey().
 */
long sys_mprotect(struct task *t, unsigned long start, unsigned long len,
		  unsigned long prot);

/**
 * sys_pkey_mprotect - pkey_mprotect(2); only key 0 is allocated.
 * @t: the calling task
 * @start: start (page aligned)
 * @len: length
 * @prot: PROT_* bits
 * @pkey: protection key (-1: as mprotect)
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: 0 or -errno as do_mprotect_pkey().
 */
long sys_pkey_mprotect(struct task *t, unsigned long start, unsigned long len,
		       unsigned long prot, int pkey);

/**
 * sys_brk - brk(2).
 * @t: the calling task
 * @brk: the requested break (0 asks for the current one)
 *
 * A heap that grows after mlockall(MCL_FUTURE) is populated.
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: the new break, or the old one on any failure (never -errno).
 */
long sys_brk(struct task *t, unsigned long brk);

/**
 * sys_madvise - madvise(2).
 * @t: the calling task
 * @start: start (page aligned)
 * @len: length
 * @behavior: MADV_* advice
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: 0 or -errno as do_madvise().
 */
long sys_madvise(struct task *t, unsigned long start, unsigned long len,
		 int behavior);

/**
 * sys_mlock - mlock(2).
 * @t: the calling task
 * @start: start (rounded down to a page)
 * @len: length
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: 0 or -errno as do_mlock().
 */
long sys_mlock(struct task *t, unsigned long start, unsigned long len);

/**
 * sys_mlock2 - mlock2(2).
 * @t: the calling task
 * @start: start (rounded down to a page)
 * @len: length
 * @flags: 0 or MLOCK_ONFAULT
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: 0; -EINVAL for other flags (nothing done); else as do_mlock().
 */
long sys_mlock2(struct task *t, unsigned long start, unsigned long len,
		unsigned int flags);

/**
 * sys_munlock - munlock(2).
 * @t: the calling task
 * @start: start (rounded down to a page)
 * @len: length
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: 0 or -errno as do_munlock().
 */
long sys_munlock(struct task *t, unsigned long start, unsigned long len);

/**
 * sys_mlockall - mlockall(2).
 * @t: the calling task
 * @flags: MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: 0, or -EINVAL for bad flags (nothing done).
 */
long sys_mlockall(struct task *t, int flags);

/**
 * sys_munlockall - munlockall(2).
 * @t: the calling task
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: 0.
 */
long sys_munlockall(struct task *t);

/**
 * sys_mseal - mseal(2).
 * @t: the calling task
 * @start: start (page aligned)
 * @len: length
 * @flags: must be 0
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: 0 or -errno as do_mseal().
 */
long sys_mseal(struct task *t, unsigned long start, unsigned long len,
	       unsigned long flags);

#ifdef __cplusplus
}
#endif

#endif /* VMASIM_MM_H */
