/* SPDX-License-Identifier: MIT */
/*
 * process.c - the simulated system of <vmasim/mm.h>: the process table
 * (pid -> task, a sorted array), counted address spaces, and the process
 * syscalls: clone/fork/vfork (kernel/fork.c:copy_process, copy_mm,
 * copy_files), execve (fs/exec.c: exec_mmap, de_thread, unshare_files,
 * do_close_on_exec) and exit/exit_group (exit_mm, exit_files).  Also the
 * allocation wrapper of src/mm with its failure-injection seam.
 *
 * DOC: Sharing and tear-down
 *
 * A task points at a struct sim_mm (an mm_struct and its user count) and
 * at a descriptor table (with its own count).  clone() with CLONE_VM or
 * CLONE_FILES adds a user; without, the child gets a copy: dup_mmap() of
 * the address space, dup_fd() of the table.  execve() gives the task a
 * fresh address space and drops the old one; exit() drops both.  The last
 * user of an address space tears it down with exit_mmap() and frees it;
 * the last user of a table closes its descriptors.
 *
 * Every call either completes or, on an allocation failure, returns
 * -ENOMEM with the system as it was: what can fail is allocated first
 * (the table slot for a child, the child, its table and address space; a
 * new address space and unshared table for execve) and only then is
 * anything already visible changed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mm_internal.h"

int vmasim_fail_sim_alloc_nth;
unsigned long vmasim_sim_alloc_attempts;

/* ---- allocation --------------------------------------------------------- */

/* Count an attempt; true if the failure-injection rule says to fail it. */
static bool sim_alloc_should_fail(void)
{
	vmasim_sim_alloc_attempts++;
	if (vmasim_fail_sim_alloc_nth > 0 && --vmasim_fail_sim_alloc_nth == 0)
		return true;
	return false;
}

/**
 * sim_alloc - zeroed memory for src/mm, subject to failure injection.
 * @size: bytes
 *
 * Context: allocates.
 * Return: the memory (free() it), or NULL.
 */
void *sim_alloc(size_t size)
{
	if (sim_alloc_should_fail())
		return NULL;
	return calloc(1, size);
}

/**
 * sim_realloc_array - realloc() of an array, checked for overflow and
 * subject to failure injection.
 * @ptr: the array, or NULL
 * @nmemb: new number of elements (> 0)
 * @size: element size
 *
 * Context: allocates.
 * Return: the array (the new elements are not initialised), or NULL with
 * @ptr untouched.
 */
void *sim_realloc_array(void *ptr, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		return NULL;
	if (sim_alloc_should_fail())
		return NULL;
	return realloc(ptr, nmemb * size);
}

/* ---- address spaces ----------------------------------------------------- */

/* A new, empty, counted address space with one user. */
static struct sim_mm *sim_mm_new(unsigned long mmap_base, bool legacy,
				 const struct mm_limits *limits)
{
	struct sim_mm *smm = sim_alloc(sizeof(*smm));

	if (!smm)
		return NULL;
	mm_init(&smm->mm, mmap_base, legacy, limits);
	smm->users = 1;
	return smm;
}

/* Drop a user; the last one tears the address space down (Linux's mmput). */
static void mmput(struct sim_mm *smm)
{
	if (--smm->users)
		return;
	exit_mmap(&smm->mm);
	free(smm);
}

/* ---- the process table -------------------------------------------------- */

/* The index of @pid in the table, or of where it would go. */
static size_t task_index(const struct vm_sim *sim, int pid)
{
	size_t lo = 0, hi = sim->nr_tasks;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sim->tasks[mid]->pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Make room for one more task.  Return: 0 or -ENOMEM. */
static int task_table_reserve(struct vm_sim *sim)
{
	struct task **tasks;
	size_t max;

	if (sim->nr_tasks < sim->max_tasks)
		return 0;
	max = sim->max_tasks ? sim->max_tasks * 2 : 16;
	tasks = sim_realloc_array(sim->tasks, max, sizeof(*tasks));
	if (!tasks)
		return -ENOMEM;
	sim->tasks = tasks;
	sim->max_tasks = max;
	return 0;
}

/* Insert @t (pid unused) into a table with room for it. */
static void task_table_insert(struct vm_sim *sim, struct task *t)
{
	size_t i = task_index(sim, t->pid);

	memmove(&sim->tasks[i + 1], &sim->tasks[i],
		(sim->nr_tasks - i) * sizeof(*sim->tasks));
	sim->tasks[i] = t;
	sim->nr_tasks++;
}

static void task_table_remove(struct vm_sim *sim, struct task *t)
{
	size_t i = task_index(sim, t->pid);

	memmove(&sim->tasks[i], &sim->tasks[i + 1],
		(sim->nr_tasks - i - 1) * sizeof(*sim->tasks));
	sim->nr_tasks--;
}

/* Take @t out of the table and drop its address space and table. */
static void task_exit(struct task *t)
{
	task_table_remove(t->sim, t);
	mmput(t->mm);
	put_files_struct(t->files);
	free(t);
}

/**
 * vm_sim_new - a new simulated system with no processes.
 * @defaults: limits of new address spaces, or NULL for mm_limits_default()
 *
 * Context: allocates.
 * Return: the system, or NULL without memory.
 */
struct vm_sim *vm_sim_new(const struct mm_limits *defaults)
{
	struct vm_sim *sim = sim_alloc(sizeof(*sim));

	if (!sim)
		return NULL;
	if (defaults)
		sim->defaults = *defaults;
	else
		mm_limits_default(&sim->defaults);
	return sim;
}

/**
 * vm_sim_free - end every task and free the system.
 * @sim: the system, or NULL
 *
 * Context: no other call on @sim may run.
 */
void vm_sim_free(struct vm_sim *sim)
{
	if (!sim)
		return;
	while (sim->nr_tasks)
		task_exit(sim->tasks[sim->nr_tasks - 1]);
	free(sim->tasks);
	free(sim);
}

/**
 * vm_sim_nr_tasks - how many tasks the system holds.
 * @sim: the system
 *
 * Context: any; reads the table.
 * Return: the number of tasks.
 */
size_t vm_sim_nr_tasks(const struct vm_sim *sim)
{
	return sim->nr_tasks;
}

/**
 * vm_sim_task - the @i-th task in pid order.
 * @sim: the system
 * @i: index
 *
 * Context: any.
 * Return: the task, or NULL if @i is out of range.
 */
struct task *vm_sim_task(struct vm_sim *sim, size_t i)
{
	return i < sim->nr_tasks ? sim->tasks[i] : NULL;
}

/**
 * vm_task_find - look a task up by pid.
 * @sim: the system
 * @pid: the pid
 *
 * Context: any; O(log n).
 * Return: the task, or NULL.
 */
struct task *vm_task_find(struct vm_sim *sim, int pid)
{
	size_t i = task_index(sim, pid);

	if (i < sim->nr_tasks && sim->tasks[i]->pid == pid)
		return sim->tasks[i];
	return NULL;
}

/**
 * vm_task_create - a first process with an empty address space and an
 * empty descriptor table.
 * @sim: the system
 * @pid: its pid
 * @mmap_base: where top-down searches start
 * @legacy: bottom-up layout
 *
 * Context: allocates.
 * Return: the task, or NULL (bad or used pid, no memory).
 */
struct task *vm_task_create(struct vm_sim *sim, int pid,
			    unsigned long mmap_base, bool legacy)
{
	struct task *t;

	if (pid <= 0 || vm_task_find(sim, pid))
		return NULL;
	if (task_table_reserve(sim))
		return NULL;
	t = sim_alloc(sizeof(*t));
	if (!t)
		return NULL;
	t->files = files_new();
	if (!t->files)
		goto free_task;
	t->mm = sim_mm_new(mmap_base, legacy, &sim->defaults);
	if (!t->mm)
		goto free_files;
	t->sim = sim;
	t->pid = pid;
	t->tgid = pid;
	t->nofile = VM_NOFILE_DEFAULT;
	task_table_insert(sim, t);
	return t;

free_files:
	put_files_struct(t->files);
free_task:
	free(t);
	return NULL;
}

/**
 * vm_task_pid - a task's pid.
 * @t: the task
 * Context: any.
 * Return: the pid.
 */
int vm_task_pid(const struct task *t)
{
	return t->pid;
}

/**
 * vm_task_tgid - a task's thread group id.
 * @t: the task
 * Context: any.
 * Return: the tgid.
 */
int vm_task_tgid(const struct task *t)
{
	return t->tgid;
}

/**
 * vm_task_vfork_parent - the parent a vfork child holds stopped.
 * @t: the task
 * Context: any.
 * Return: its pid, or 0.
 */
int vm_task_vfork_parent(const struct task *t)
{
	return t->vfork_parent;
}

/**
 * vm_task_mm - a task's address space.
 * @t: the task
 * Context: any.
 * Return: the mm.
 */
struct mm_struct *vm_task_mm(struct task *t)
{
	return &t->mm->mm;
}

/**
 * vm_task_set_nofile - setrlimit(RLIMIT_NOFILE).
 * @t: the task
 * @nofile: the new limit
 *
 * Context: any.
 * Return: 0, or -EPERM above VM_NR_OPEN.
 */
int vm_task_set_nofile(struct task *t, unsigned int nofile)
{
	if (nofile > VM_NR_OPEN)
		return -EPERM;
	t->nofile = nofile;
	return 0;
}

/* ---- clone -------------------------------------------------------------- */

/* Flag combinations copy_process() refuses. */
static bool clone_flags_invalid(unsigned long flags)
{
	if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS))
		return true;
	if ((flags & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS))
		return true;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return true;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return true;
	return false;
}

/* Linux's copy_mm(): share with CLONE_VM, else a dup_mmap() copy. */
static int copy_mm(struct task *child, struct task *parent,
		   unsigned long flags)
{
	struct mm_struct *oldmm = &parent->mm->mm;
	struct sim_mm *smm;
	int err;

	if (flags & CLONE_VM) {
		parent->mm->users++;
		child->mm = parent->mm;
		return 0;
	}
	smm = sim_mm_new(oldmm->mmap_base, oldmm->legacy_layout,
			 &oldmm->limits);
	if (!smm)
		return -ENOMEM;
	/* dup_mmap() takes both mmap_locks; on failure @smm is left empty. */
	err = dup_mmap(&smm->mm, oldmm);
	if (err) {
		mmput(smm);
		return err;
	}
	child->mm = smm;
	return 0;
}

/* Linux's copy_files(): share with CLONE_FILES, else dup_fd(). */
static int copy_files(struct task *child, struct task *parent,
		      unsigned long flags)
{
	if (flags & CLONE_FILES) {
		parent->files->count++;
		child->files = parent->files;
		return 0;
	}
	child->files = dup_fd(parent->files);
	return child->files ? 0 : -ENOMEM;
}

/**
 * sys_clone - clone(2) / clone3(2) / vfork(2).
 * @parent: the calling task
 * @child_pid: the child's pid
 * @flags: CLONE_* flags
 *
 * Context: allocates; takes the mmap_locks of @parent and of the copy.
 * Return: @child_pid; -EINVAL, -EEXIST, or -ENOMEM with nothing created.
 */
long sys_clone(struct task *parent, int child_pid, unsigned long flags)
{
	struct vm_sim *sim = parent->sim;
	struct task *child;
	int err;

	if (clone_flags_invalid(flags))
		return -EINVAL;
	if (child_pid <= 0)
		return -EINVAL;
	if (vm_task_find(sim, child_pid))
		return -EEXIST;
	if (task_table_reserve(sim))
		return -ENOMEM;
	child = sim_alloc(sizeof(*child));
	if (!child)
		return -ENOMEM;
	err = copy_files(child, parent, flags);
	if (err)
		goto free_child;
	err = copy_mm(child, parent, flags);
	if (err)
		goto put_files;

	child->sim = sim;
	child->pid = child_pid;
	child->tgid = (flags & CLONE_THREAD) ? parent->tgid : child_pid;
	child->vfork_parent = (flags & CLONE_VFORK) ? parent->pid : 0;
	child->nofile = parent->nofile;
	task_table_insert(sim, child);
	return child_pid;

put_files:
	put_files_struct(child->files);
free_child:
	free(child);
	return err;
}

/**
 * sys_fork - fork(2).
 * @parent: the calling task
 * @child_pid: the child's pid
 *
 * Context: allocates; takes the mmap_locks of @parent and of the copy.
 * Return: @child_pid or -errno as sys_clone().
 */
long sys_fork(struct task *parent, int child_pid)
{
	return sys_clone(parent, child_pid, 0);
}

/* ---- execve and exit ---------------------------------------------------- */

/*
 * Linux's de_thread(): every other task of @t's thread group exits; a
 * non-leader @t takes the leader's pid.
 */
static void de_thread(struct task *t)
{
	struct vm_sim *sim = t->sim;
	size_t i = 0;

	while (i < sim->nr_tasks) {
		struct task *u = sim->tasks[i];

		if (u != t && u->tgid == t->tgid) {
			task_exit(u);
			continue;
		}
		i++;
	}
	if (t->pid != t->tgid && !vm_task_find(sim, t->tgid)) {
		/* Room is left where @t was: the insert cannot fail. */
		task_table_remove(sim, t);
		t->pid = t->tgid;
		task_table_insert(sim, t);
	}
}

/**
 * sys_execve - a successful execve(2): fresh address space, other threads
 * gone, descriptor table unshared, close-on-exec descriptors closed.
 * @t: the task
 *
 * Context: allocates; may free other tasks of the thread group.
 * Return: 0, or -ENOMEM with nothing changed.
 */
long sys_execve(struct task *t)
{
	struct mm_struct *oldmm = &t->mm->mm;
	struct files_struct *files = NULL;
	struct sim_mm *smm;

	smm = sim_mm_new(oldmm->mmap_base, oldmm->legacy_layout,
			 &oldmm->limits);
	if (!smm)
		return -ENOMEM;
	/* Only VM_INIT_DEF_MASK survives: not mlockall(MCL_FUTURE). */
	smm->mm.def_flags = oldmm->def_flags & VM_NOHUGEPAGE;
	if (t->files->count > 1) {
		files = dup_fd(t->files);
		if (!files) {
			mmput(smm);
			return -ENOMEM;
		}
	}

	/* The point of no return. */
	de_thread(t);
	if (files) {
		put_files_struct(t->files);
		t->files = files;
	}
	mmput(t->mm);
	t->mm = smm;
	t->vfork_parent = 0;
	do_close_on_exec(t->files);
	return 0;
}

/**
 * sys_exit - exit(2) of one task.
 * @t: the task; freed
 *
 * Context: may tear down an address space (takes its mmap_lock).
 */
void sys_exit(struct task *t)
{
	task_exit(t);
}

/**
 * sys_exit_group - exit_group(2): every task of @t's thread group exits.
 * @t: any task of the group; freed
 *
 * Context: may tear down address spaces (takes their mmap_locks).
 */
void sys_exit_group(struct task *t)
{
	struct vm_sim *sim = t->sim;
	int tgid = t->tgid;
	size_t i = 0;

	while (i < sim->nr_tasks) {
		if (sim->tasks[i]->tgid == tgid) {
			task_exit(sim->tasks[i]);
			continue;
		}
		i++;
	}
}
