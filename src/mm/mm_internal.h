/* SPDX-License-Identifier: MIT */
/*
 * mm_internal.h - what the files of src/mm share and users of
 * <vmasim/mm.h> do not see: the layout of struct vm_sim and struct task,
 * the counted address space and descriptor table, and the allocation
 * wrapper with its failure-injection seam.
 *
 * Which file owns what:
 *   process.c   the process table, address-space reference counts,
 *               fork/clone, execve, exit, the allocation wrapper
 *   files.c     descriptor tables and the descriptor syscalls
 *   syscalls.c  the memory syscalls
 */
#ifndef VMASIM_MM_INTERNAL_H
#define VMASIM_MM_INTERNAL_H

#include <stddef.h>

#include <vmasim/mm.h>
#include <vmasim/vma.h>

/**
 * struct sim_mm - an address space and the number of tasks using it
 * (Linux's mm_users).
 * @mm: the address space; first, so a struct mm_struct * of a task
 *	converts back
 * @users: tasks whose ->mm this is
 */
struct sim_mm {
	struct mm_struct mm;
	unsigned long users;
};

/* Flags of one descriptor slot. */
#define FDE_CLOEXEC	0x1u	/* close on execve (FD_CLOEXEC) */
#define FDE_PATH	0x2u	/* opened with O_PATH: no mmap */

/**
 * struct fd_entry - one descriptor slot.
 * @file: the open file description (one reference), NULL if free
 * @flags: FDE_* flags
 */
struct fd_entry {
	struct vm_file *file;
	unsigned int flags;
};

/**
 * struct files_struct - a descriptor table (Linux's files_struct).
 * @count: tasks sharing it (CLONE_FILES)
 * @max_fds: slots allocated in @fd
 * @next_fd: no descriptor below it is free (a search hint)
 * @fd: the slots
 */
struct files_struct {
	unsigned long count;
	unsigned int max_fds;
	unsigned int next_fd;
	struct fd_entry *fd;
};

/**
 * struct task - one simulated task (process or thread).
 * @sim: the system it belongs to
 * @pid: its pid
 * @tgid: its thread group (process) id
 * @vfork_parent: pid of the parent a vfork child holds stopped, or 0
 * @nofile: RLIMIT_NOFILE
 * @mm: its address space (counted)
 * @files: its descriptor table (counted)
 */
struct task {
	struct vm_sim *sim;
	int pid;
	int tgid;
	int vfork_parent;
	unsigned int nofile;
	struct sim_mm *mm;
	struct files_struct *files;
};

/**
 * struct vm_sim - the simulated system.
 * @defaults: limits of address spaces made by vm_task_create()
 * @tasks: the tasks, sorted by pid
 * @nr_tasks: entries used in @tasks
 * @max_tasks: entries allocated in @tasks
 * @shmem_ino: last inode number given to a memfd
 */
struct vm_sim {
	struct mm_limits defaults;
	struct task **tasks;
	size_t nr_tasks;
	size_t max_tasks;
	unsigned long shmem_ino;
};

static inline struct sim_mm *to_sim_mm(struct mm_struct *mm)
{
	return (struct sim_mm *)((char *)mm - offsetof(struct sim_mm, mm));
}

/*
 * Failure injection for the allocations of src/mm (tasks, tables, address
 * space structures), the counterpart of fork.h's for dup_mmap():
 * vmasim_fail_sim_alloc_nth = n fails the nth sim_alloc()/sim_realloc()
 * from now on (1: the next one), once; 0 disables it.
 * vmasim_sim_alloc_attempts counts every attempt, so a test can count the
 * allocations of a call and then fail each in turn.  Not thread-safe.
 */
extern int vmasim_fail_sim_alloc_nth;
extern unsigned long vmasim_sim_alloc_attempts;

/* process.c: zeroed allocation and array reallocation, both injectable. */
void *sim_alloc(size_t size);
void *sim_realloc_array(void *ptr, size_t nmemb, size_t size);

/* files.c */
struct files_struct *files_new(void);
struct files_struct *dup_fd(const struct files_struct *old);
void put_files_struct(struct files_struct *files);
void do_close_on_exec(struct files_struct *files);

#endif /* VMASIM_MM_INTERNAL_H */
