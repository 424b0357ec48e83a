/* SPDX-License-Identifier: MIT */
/*
 * mm.c - the life cycle of a simulated address space: mm_init(),
 * exit_mmap(), mmap_lock, open file descriptions, anon_vmas, VMA
 * allocation, page accounting and the "touch" fault model.
 *
 * DOC: What the model keeps that /proc/PID/maps does not show
 *
 * Merges depend on state a log never shows directly: whether a VMA has
 * been written to (its anon_vma), whether that anon_vma came across a fork
 * (anon_vma_forked), which open file description a mapping came from
 * (struct vm_file identity, not the path), and VM_ACCOUNT/VM_NORESERVE.
 * Each is a field here; vma_touch() is the fault model's entry point.
 */
#include <stdio.h>

#include "vma_internal.h"

static unsigned long vm_file_ids;
static unsigned long anon_vma_ids;

/**
 * mm_limits_default - Linux's defaults for the tunables and limits.
 * @limits: filled in
 */
void mm_limits_default(struct mm_limits *limits)
{
	limits->max_map_count = 65530;
	limits->mmap_min_addr = 65536;
	limits->stack_guard_gap = 256UL << PAGE_SHIFT;
	limits->rlimit_data = RLIM_INFINITY;
	limits->rlimit_as = RLIM_INFINITY;
	limits->rlimit_stack = 8UL << 20;
	limits->rlimit_memlock = 8UL << 20;
	limits->overcommit_never = false;
	limits->fault_model = VM_FAULT_NONE;
	limits->pkeys = false;
}

static bool mm_lock_held(const void *lock, bool for_write)
{
	const struct mm_struct *mm = lock;

	return !for_write || mmap_write_locked(mm);
}

/**
 * mm_init - make an empty address space.
 * @mm: the mm
 * @mmap_base: where top-down searches start (the live process's value)
 * @legacy_layout: bottom-up allocation from TASK_UNMAPPED_BASE
 * @limits: tunables and limits, or NULL for mm_limits_default()
 *
 * Return: 0.
 */
int mm_init(struct mm_struct *mm, unsigned long mmap_base, bool legacy_layout,
	    const struct mm_limits *limits)
{
	memset(mm, 0, sizeof(*mm));
	mt_init_flags(&mm->mm_mt, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN |
				  MT_FLAGS_USE_RCU);
	mt_set_external_lock(&mm->mm_mt, mm, mm_lock_held);
	pthread_rwlock_init(&mm->mmap_lock, NULL);
	mm->mmap_base = mmap_base;
	mm->legacy_layout = legacy_layout;
	if (limits)
		mm->limits = *limits;
	else
		mm_limits_default(&mm->limits);
	return 0;
}

/**
 * exit_mmap - tear an address space down: every VMA and the tree.
 * @mm: the mm; not used afterwards except by mm_init()
 */
void exit_mmap(struct mm_struct *mm)
{
	MA_STATE(mas, &mm->mm_mt, 0, 0);
	struct vm_area_struct *vma;

	mmap_write_lock(mm);
	mas_for_each(&mas, vma, ULONG_MAX) {
		if (xa_is_zero(vma))
			continue;
		remove_vma(vma);
	}
	__mt_destroy(&mm->mm_mt);
	mm->map_count = 0;
	mm->total_vm = mm->locked_vm = mm->data_vm = 0;
	mm->exec_vm = mm->stack_vm = mm->committed = 0;
	mmap_write_unlock(mm);
	pthread_rwlock_destroy(&mm->mmap_lock);
}

/* ---- mmap_lock ------------------------------------------------------ */

static unsigned long mm_thread_id(void)
{
	return (unsigned long)pthread_self();
}

/*
 * Taking mmap_lock again in a thread that holds it for writing would
 * deadlock in Linux; glibc instead returns EDEADLK, and the unlock that
 * follows would then release the caller's write lock and corrupt the
 * rwlock.  Such a bug stops the program here with a message instead.
 */
static void mmap_lock_check(int err, const char *what)
{
	if (err) {
		fprintf(stderr, "vmasim: %s: %s (taken recursively?)\n", what,
			strerror(err));
		abort();
	}
}

/** mmap_write_lock - take mmap_lock for writing. @mm: the mm */
void mmap_write_lock(struct mm_struct *mm)
{
	mmap_lock_check(pthread_rwlock_wrlock(&mm->mmap_lock), "mmap_write_lock");
	mm->mmap_lock_writer = mm_thread_id();
}

/** mmap_write_unlock - release mmap_lock held for writing. @mm: the mm */
void mmap_write_unlock(struct mm_struct *mm)
{
	mm->mmap_lock_writer = 0;
	mmap_lock_check(pthread_rwlock_unlock(&mm->mmap_lock), "mmap_write_unlock");
}

/** mmap_read_lock - take mmap_lock for reading. @mm: the mm */
void mmap_read_lock(struct mm_struct *mm)
{
	mmap_lock_check(pthread_rwlock_rdlock(&mm->mmap_lock), "mmap_read_lock");
}

/** mmap_read_unlock - release mmap_lock held for reading. @mm: the mm */
void mmap_read_unlock(struct mm_struct *mm)
{
	mmap_lock_check(pthread_rwlock_unlock(&mm->mmap_lock), "mmap_read_unlock");
}

/**
 * mmap_write_locked - does the calling thread hold mmap_lock for writing?
 * @mm: the mm
 * Return: true if so.
 */
bool mmap_write_locked(const struct mm_struct *mm)
{
	return mm->mmap_lock_writer == mm_thread_id();
}

/* ---- open file descriptions ----------------------------------------- */

/**
 * vm_file_new - a new open file description (one open(2)).
 * @path: the path as maps prints it
 * @dev_major: device major
 * @dev_minor: device minor
 * @ino: inode number
 * @readable: opened for reading
 * @writable: opened for writing
 *
 * Return: the description with one reference, or NULL without memory.
 */
struct vm_file *vm_file_new(const char *path, unsigned int dev_major,
			    unsigned int dev_minor, unsigned long ino,
			    bool readable, bool writable)
{
	struct vm_file *file = calloc(1, sizeof(*file));

	if (!file)
		return NULL;
	file->path = strdup(path);
	if (!file->path) {
		free(file);
		return NULL;
	}
	file->f_count = 1;
	file->f_id = __atomic_add_fetch(&vm_file_ids, 1, __ATOMIC_RELAXED);
	file->dev_major = dev_major;
	file->dev_minor = dev_minor;
	file->ino = ino;
	file->readable = readable;
	file->writable = writable;
	return file;
}

/**
 * get_file - take a reference on an open file description.
 * @file: the description
 * Return: @file.
 */
struct vm_file *get_file(struct vm_file *file)
{
	file->f_count++;
	return file;
}

/**
 * fput - drop a reference; the last one frees the description.
 * @file: the description, or NULL
 */
void fput(struct vm_file *file)
{
	if (!file || --file->f_count)
		return;
	free(file->path);
	free(file);
}

/* ---- anon_vma -------------------------------------------------------- */

struct anon_vma *anon_vma_alloc(void)
{
	struct anon_vma *av = calloc(1, sizeof(*av));

	if (av) {
		av->refcount = 1;
		av->id = __atomic_add_fetch(&anon_vma_ids, 1, __ATOMIC_RELAXED);
	}
	return av;
}

void anon_vma_get(struct anon_vma *av)
{
	av->refcount++;
}

void anon_vma_put(struct anon_vma *av)
{
	if (av && !--av->refcount)
		free(av);
}

/* Link @vma to @av (Linux's anon_vma_clone for one chain). */
void vma_set_anon_vma(struct vm_area_struct *vma, struct anon_vma *av)
{
	if (av)
		anon_vma_get(av);
	vma->anon_vma = av;
}

void vma_unlink_anon_vma(struct vm_area_struct *vma)
{
	anon_vma_put(vma->anon_vma);
	vma->anon_vma = NULL;
	vma->anon_vma_forked = false;
}

/* ---- VMAs ------------------------------------------------------------- */

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = calloc(1, sizeof(*vma));

	if (vma)
		vma->vm_mm = mm;
	return vma;
}

/* A copy of @orig holding its own references (file, anon_vma, name). */
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig)
{
	struct vm_area_struct *vma = malloc(sizeof(*vma));

	if (!vma)
		return NULL;
	*vma = *orig;
	if (orig->anon_name) {
		vma->anon_name = strdup(orig->anon_name);
		if (!vma->anon_name) {
			free(vma);
			return NULL;
		}
	}
	if (vma->vm_file)
		get_file(vma->vm_file);
	if (vma->anon_vma)
		anon_vma_get(vma->anon_vma);
	return vma;
}

void vm_area_free(struct vm_area_struct *vma)
{
	free(vma->anon_name);
	free(vma);
}

/* Drop a VMA that is no longer in any tree: its file, anon_vma, itself. */
void remove_vma(struct vm_area_struct *vma)
{
	fput(vma->vm_file);
	anon_vma_put(vma->anon_vma);
	vm_area_free(vma);
}

/* ---- accounting -------------------------------------------------------- */

/**
 * vm_stat_account - charge (or, negative, uncharge) @npages of a mapping
 * with @flags to the mm's counters, as Linux's vm_stat_account().
 * @mm: the mm
 * @flags: the mapping's flags
 * @npages: pages, negative to uncharge
 */
void vm_stat_account(struct mm_struct *mm, vm_flags_t flags, long npages)
{
	mm->total_vm += npages;
	if (is_exec_mapping(flags))
		mm->exec_vm += npages;
	else if (is_stack_mapping(flags))
		mm->stack_vm += npages;
	else if (is_data_mapping(flags))
		mm->data_vm += npages;
}

/**
 * may_expand_vm - may the mm map @npages more pages with @flags?
 * @mm: the mm
 * @flags: the new pages' flags
 * @npages: the number of pages
 *
 * RLIMIT_AS on the total, RLIMIT_DATA on data mappings.
 * Return: true if allowed.
 */
bool may_expand_vm(struct mm_struct *mm, vm_flags_t flags, unsigned long npages)
{
	if (mm->limits.rlimit_as != RLIM_INFINITY &&
	    mm->total_vm + npages > mm->limits.rlimit_as >> PAGE_SHIFT)
		return false;
	if (is_data_mapping(flags) && mm->limits.rlimit_data != RLIM_INFINITY &&
	    mm->data_vm + npages > mm->limits.rlimit_data >> PAGE_SHIFT)
		return false;
	return true;
}

/*
 * Give the private VMAs of [start, end) an anon_vma, shared with a
 * mergeable neighbour's if it has one (Linux's find_mergeable_anon_vma),
 * else a new one: for a write fault (@write_fault: writable VMAs only) or
 * for anon_vma_prepare() (anonymous VMAs whatever their permissions).
 * vma_touch() is documented in <vmasim/vma.h>.
 */
static int vma_give_anon_vma(struct mm_struct *mm, unsigned long start,
			     unsigned long end, bool write_fault)
{
	VMA_ITERATOR(vmi, mm, start);
	struct vm_area_struct *vma, *prev;
	unsigned long addr = start;

	mmap_assert_write_locked(mm);
	for_each_vma_range(vmi, vma, end) {
		if (vma->vm_start > addr)
			return -EFAULT;
		addr = vma->vm_end;
		if (vma->anon_vma || (vma->vm_flags & VM_SHARED) || vma->vm_special)
			continue;
		/* A write fault needs write permission; anon_vma_prepare not. */
		if (write_fault ? !(vma->vm_flags & VM_WRITE) : !vma_is_anonymous(vma))
			continue;
		/* Reuse a compatible neighbour's anon_vma, as Linux does. */
		find_vma_prev(mm, vma->vm_start, &prev);
		if (prev && prev->vm_end == vma->vm_start && prev->anon_vma &&
		    !prev->anon_vma_forked && vma_is_mergeable(prev, vma)) {
			vma_set_anon_vma(vma, prev->anon_vma);
			continue;
		}
		vma->anon_vma = anon_vma_alloc();
		if (!vma->anon_vma)
			return -ENOMEM;
	}
	return addr >= end ? 0 : -EFAULT;
}

int vma_touch(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	return vma_give_anon_vma(mm, start, end, true);
}

/**
 * vma_anon_prepare - Linux's anon_vma_prepare() over [start, end): every
 * anonymous VMA of the range gets an anon_vma whatever its permissions
 * (MADV_GUARD_INSTALL does this).
 * @mm: the mm (write-locked)
 * @start: first address
 * @end: end address (exclusive)
 * Return: 0, or -EFAULT if part of the range is not mapped.
 */
int vma_anon_prepare(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	return vma_give_anon_vma(mm, start, end, false);
}

/**
 * vma_fault_model_write - what the fault model says happens after private
 * memory [start, end) became writable (mapped, grown, mprotected): under
 * VM_FAULT_ON_WRITE it is written to at once.
 * @mm: the mm (write-locked)
 * @start: first address
 * @end: end address (exclusive)
 *
 * The caller decides what counts: do_mmap() leaves out MAP_NORESERVE
 * mappings (see there); mprotect(), brk() and mremap() growth always
 * count.
 */
void vma_fault_model_write(struct mm_struct *mm, unsigned long start,
			   unsigned long end)
{
	if (mm->limits.fault_model == VM_FAULT_ON_WRITE && start < end)
		(void)vma_touch(mm, start, end);
}
