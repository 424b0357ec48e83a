/* SPDX-License-Identifier: MIT */
/*
 * vma_internal.h - what the files of src/vma share and users do not see:
 * the merge and munmap state structures, accounting helpers and the
 * mmap(2) flag values.
 *
 * Which file owns what:
 *   mm.c        mm_struct life cycle, mmap_lock, files, anon_vmas,
 *               VMA allocation, accounting, vma_touch
 *   iter.c      the VMA iterator and lookups
 *   merge.c     vma_merge_new_range, vma_merge_existing_range,
 *               vma_expand, vma_shrink, __split_vma/split_vma, vma_modify_flags,
 *               and the merge rules themselves (vma_is_mergeable)
 *   mmap.c      get_unmapped_area, do_mmap, mmap_region
 *   munmap.c    do_vmi_munmap and the count-indexed side tree
 *   mprotect.c  do_mprotect_pkey, mprotect_fixup
 *   brk.c       brk(2)
 *   madvise.c   madvise(2); madvise.h: MADV_/MLOCK_/MCL_ values, populate
 *   mlock.c     mlock(2), mlock2(2), munlock(2), mlockall(2), munlockall(2)
 *   mseal.c     mseal(2)
 *   mremap.c    mremap(2)
 *   fork.c      dup_mmap and undo_dup_mmap (fork.h: the test seam)
 *   maps.c      /proc/PID/maps output and input
 *   validate.c  mm_validate
 *
 * Coding conventions: @mm the address space, @vmi a VMA iterator, @vmg a
 * merge state, @vms a munmap state, @prev/@middle/@next the VMAs before,
 * at and after the range being changed.
 */
#ifndef VMASIM_VMA_INTERNAL_H
#define VMASIM_VMA_INTERNAL_H

#include <assert.h>
#include <stddef.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <vmasim/vma.h>

/* mmap(2) prot and flags (x86-64 values). */
#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define PROT_SEM	0x8
#define PROT_GROWSDOWN	0x01000000
#define PROT_GROWSUP	0x02000000

#define MAP_SHARED		0x01
#define MAP_PRIVATE		0x02
#define MAP_SHARED_VALIDATE	0x03
#define MAP_DROPPABLE		0x08
#define MAP_TYPE		0x0f
#define MAP_FIXED		0x10
#define MAP_ANONYMOUS		0x20
#define MAP_32BIT		0x40
#define MAP_GROWSDOWN		0x0100
#define MAP_DENYWRITE		0x0800
#define MAP_EXECUTABLE		0x1000
#define MAP_LOCKED		0x2000
#define MAP_NORESERVE		0x4000
#define MAP_POPULATE		0x8000
#define MAP_NONBLOCK		0x10000
#define MAP_STACK		0x20000
#define MAP_HUGETLB		0x40000
#define MAP_SYNC		0x80000
#define MAP_FIXED_NOREPLACE	0x100000
#define MAP_UNINITIALIZED	0x4000000

/* Flags MAP_SHARED_VALIDATE accepts (Linux's LEGACY_MAP_MASK + MAP_SYNC). */
#define LEGACY_MAP_MASK	(MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | \
			 MAP_DENYWRITE | MAP_EXECUTABLE | MAP_UNINITIALIZED | \
			 MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | \
			 MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB)

/* Kernel-style error values in pointers and addresses. */
#define MAX_ERRNO_VALUE	4095
#define IS_ERR_VALUE(x)	((unsigned long)(x) >= (unsigned long)-MAX_ERRNO_VALUE)
#define ERR_VMA(err)	((struct vm_area_struct *)(long)(err))
#define IS_ERR_VMA(p)	IS_ERR_VALUE((unsigned long)(p))
#define PTR_ERR_VMA(p)	((int)(long)(p))

#ifdef VMASIM_DEBUG
#define mmap_assert_write_locked(mm)	assert(mmap_write_locked(mm))
#else
#define mmap_assert_write_locked(mm)	((void)(mm))
#endif

static inline bool is_exec_mapping(vm_flags_t flags)
{
	return (flags & (VM_EXEC | VM_WRITE | VM_STACK)) == VM_EXEC;
}

static inline bool is_stack_mapping(vm_flags_t flags)
{
	return (flags & VM_STACK) == VM_STACK;
}

static inline bool is_data_mapping(vm_flags_t flags)
{
	return (flags & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE;
}

static inline bool vma_is_anonymous(const struct vm_area_struct *vma)
{
	return !vma->vm_file && !vma->vm_special;
}

static inline bool vma_is_sealed(const struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_SEALED;
}

/* The guard-extended start of a VMA (stack guard gap below growsdown). */
static inline unsigned long vm_start_gap(const struct vm_area_struct *vma)
{
	unsigned long start = vma->vm_start;

	if (vma->vm_flags & VM_GROWSDOWN) {
		unsigned long gap = vma->vm_mm->limits.stack_guard_gap;

		start = start > gap ? start - gap : 0;
	}
	return start;
}

static inline unsigned long vm_end_gap(const struct vm_area_struct *vma)
{
	return vma->vm_end;
}

static inline vm_flags_t calc_vm_prot_bits(unsigned long prot)
{
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

/*
 * struct vma_merge_struct - a proposed merge (Linux's vmg).
 * @start/@end: the range (end exclusive); @pgoff: its offset;
 * @vm_flags, @file, @anon_vma, @anon_name: what the range would hold;
 * @copied_from: mremap's copy_vma: the VMA whose pages the range gets; a
 *	fork child's pages never merge into a VMA without an anon_vma, and
 *	the VMA that absorbs the range takes its anon_vma.
 * @just_expand: brk mode: only extend @prev, never merge @next.
 * @target: on success the VMA that now covers the range.
 * @nomem: the merge failed for lack of memory.
 */
struct vma_merge_struct {
	struct mm_struct *mm;
	struct vma_iterator *vmi;
	struct vm_area_struct *prev;
	struct vm_area_struct *middle;
	struct vm_area_struct *next;
	struct vm_area_struct *target;
	unsigned long start;
	unsigned long end;
	unsigned long pgoff;
	vm_flags_t vm_flags;
	struct vm_file *file;
	struct anon_vma *anon_vma;
	const char *anon_name;
	struct vm_area_struct *copied_from;
	bool just_expand;
	bool nomem;
};

/*
 * struct vma_munmap_struct - VMAs being unmapped (Linux's vms): gathered
 * into a side tree indexed 0, 1, 2, ... while they stay in the main tree.
 */
struct vma_munmap_struct {
	struct vma_iterator *vmi;
	struct vm_area_struct *vma;	/* first VMA in the range */
	struct vm_area_struct *prev;
	struct vm_area_struct *next;
	unsigned long start;
	unsigned long end;
	unsigned long vma_count;
	unsigned long nr_pages;
	unsigned long locked_vm;
	unsigned long nr_accounted;
	unsigned long exec_vm;
	unsigned long stack_vm;
	unsigned long data_vm;
	struct maple_tree mt_detach;
	struct ma_state mas_detach;
};

/* The mm an iterator walks (its tree is embedded in the mm). */
static inline struct mm_struct *vmi_mm(struct vma_iterator *vmi)
{
	return (struct mm_struct *)((char *)vmi->mas.tree -
				    offsetof(struct mm_struct, mm_mt));
}

/* mm.c */
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig);
void vm_area_free(struct vm_area_struct *vma);
void remove_vma(struct vm_area_struct *vma);
struct anon_vma *anon_vma_alloc(void);
void anon_vma_get(struct anon_vma *av);
void anon_vma_put(struct anon_vma *av);
void vm_stat_account(struct mm_struct *mm, vm_flags_t flags, long npages);
bool may_expand_vm(struct mm_struct *mm, vm_flags_t flags, unsigned long npages);
void vma_set_anon_vma(struct vm_area_struct *vma, struct anon_vma *av);
void vma_unlink_anon_vma(struct vm_area_struct *vma);
void vma_fault_model_write(struct mm_struct *mm, unsigned long start,
			   unsigned long end);
int vma_anon_prepare(struct mm_struct *mm, unsigned long start, unsigned long end);

/* iter.c */
struct vm_area_struct *vma_iter_load(struct vma_iterator *vmi);
struct vm_area_struct *vma_iter_next_range(struct vma_iterator *vmi);
unsigned long vma_iter_end(struct vma_iterator *vmi);

/* merge.c */
struct vm_area_struct *vma_merge_new_range(struct vma_merge_struct *vmg);
int vma_expand(struct vma_merge_struct *vmg);
int vma_shrink(struct vma_iterator *vmi, struct vm_area_struct *vma,
	       unsigned long start, unsigned long end, unsigned long pgoff);
int __split_vma(struct vma_iterator *vmi, struct vm_area_struct *vma,
		unsigned long addr, int new_below);
int split_vma(struct vma_iterator *vmi, struct vm_area_struct *vma,
	      unsigned long addr, int new_below);
struct vm_area_struct *vma_modify_flags(struct vma_iterator *vmi,
					struct vm_area_struct *prev,
					struct vm_area_struct *vma, unsigned long start,
					unsigned long end, vm_flags_t new_flags);
bool vmg_mergeable_anon(const struct vm_area_struct *tgt,
			const struct vm_area_struct *src,
			const struct anon_vma *src_anon,
			const struct vm_area_struct *copied_from);

/* munmap.c */
int vms_gather_munmap_vmas(struct vma_munmap_struct *vms);
void vms_complete_munmap_vmas(struct mm_struct *mm, struct vma_munmap_struct *vms);
void vms_abort_munmap_vmas(struct vma_munmap_struct *vms);
void init_vma_munmap(struct vma_munmap_struct *vms, struct vma_iterator *vmi,
		     struct vm_area_struct *vma, unsigned long start,
		     unsigned long end);
int do_vmi_align_munmap(struct vma_iterator *vmi, struct vm_area_struct *vma,
			struct mm_struct *mm, unsigned long start, unsigned long end);

#endif /* VMASIM_VMA_INTERNAL_H */
