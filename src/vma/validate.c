/* SPDX-License-Identifier: MIT */
/*
 * validate.c - the whole-mm consistency check, mm_validate(), and the
 * merge-compatibility rule it and the merge code share,
 * vma_is_mergeable().
 *
 * Coding conventions in this file:
 *  @mm	the address space checked
 *  @a, @b	two neighbouring VMAs, @a on the left: a->vm_end == b->vm_start
 *  @prev, @vma	the previous and the current VMA of a walk
 *
 * DOC: What mm_validate() checks, in order
 *
 * 1. the maple tree itself (mt_validate());
 * 2. for each entry, in address order: it is a VMA (not the
 *    XA_ZERO_ENTRY a failed fork leaves for exit_mmap()); the tree range
 *    is exactly [vm_start, vm_end - 1]; vm_start < vm_end, both page
 *    aligned and below TASK_SIZE; vm_mm is @mm; VM_SHARED implies
 *    VM_MAYSHARE; a special mapping has no file; the file and anon_vma
 *    have references;
 * 3. for each pair of neighbours: no overlap, and not mergeable
 *    (vma_is_mergeable()) unless one of them is merge_exempt: Linux 6.18
 *    leaves mergeable neighbours behind only on paths that never try to
 *    merge (fork, brk's new VMA, a failed munmap's kept split), and those
 *    mark what they make;
 * 4. map_count equals the number of entries;
 * 5. total_vm, data_vm, exec_vm, stack_vm (vm_stat_account()'s split),
 *    locked_vm (VM_LOCKED) and committed (VM_ACCOUNT) equal the sums of
 *    vma_pages() over the VMAs.
 *
 * The first violation is printed to stderr with the VMAs involved.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <mtree/rcu.h>

#include "vma_internal.h"

/* Print one VMA's state on a line of its own, for a report. */
static void validate_print_vma(const char *label,
			       const struct vm_area_struct *vma)
{
	const struct vm_file *file = vma->vm_file;

	fprintf(stderr,
		"  %s %lx-%lx flags %#lx pgoff %#lx file %s%s%s (id %lu) anon_vma %lu%s%s%s%s\n",
		label, vma->vm_start, vma->vm_end, vma->vm_flags,
		vma->vm_pgoff,
		file ? "\"" : "", file && file->path ? file->path : "none",
		file ? "\"" : "", file ? file->f_id : 0,
		vma->anon_vma ? vma->anon_vma->id : 0,
		vma->anon_vma_forked ? " (forked)" : "",
		vma->vm_special ? " special " : "",
		vma->vm_special && vma->vm_special->name ?
			vma->vm_special->name : "",
		vma->anon_name ? " anon_name" : "");
}

/* Report the first violation: "mm_validate: mm PTR: message", then VMAs. */
static int __attribute__((format(printf, 4, 5)))
validate_fail(const struct mm_struct *mm, const struct vm_area_struct *prev,
	      const struct vm_area_struct *vma, const char *fmt, ...)
{
	va_list args;

	fprintf(stderr, "mm_validate: mm %p: ", (const void *)mm);
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fputc('\n', stderr);
	if (prev)
		validate_print_vma("prev", prev);
	if (vma)
		validate_print_vma("vma ", vma);
	return -EINVAL;
}

/**
 * struct validate_sums - what the counters of an mm should be.
 */
struct validate_sums {
	unsigned long count;
	unsigned long total_vm;
	unsigned long data_vm;
	unsigned long exec_vm;
	unsigned long stack_vm;
	unsigned long locked_vm;
	unsigned long committed;
};

/* vm_stat_account() with mm/vma.h's is_exec/stack/data_mapping(). */
static void validate_account(struct validate_sums *sums,
			     const struct vm_area_struct *vma)
{
	vm_flags_t flags = vma->vm_flags;
	unsigned long pages = vma_pages(vma);

	sums->count++;
	sums->total_vm += pages;
	if (is_exec_mapping(flags))
		sums->exec_vm += pages;
	else if (is_stack_mapping(flags))
		sums->stack_vm += pages;
	else if (is_data_mapping(flags))
		sums->data_vm += pages;
	if (flags & VM_LOCKED)
		sums->locked_vm += pages;
	if (flags & VM_ACCOUNT)
		sums->committed += pages;
}

/* Checks of one entry of the tree, found at [index, last]. */
static int validate_vma(struct mm_struct *mm, const struct vm_area_struct *vma,
			unsigned long index, unsigned long last)
{
	if (vma->vm_start >= vma->vm_end)
		return validate_fail(mm, NULL, vma, "empty or reversed VMA");
	if (index != vma->vm_start || last != vma->vm_end - 1)
		return validate_fail(mm, NULL, vma,
				     "tree range [%#lx, %#lx] is not [vm_start, vm_end - 1]",
				     index, last);
	if (!PAGE_ALIGNED(vma->vm_start) || !PAGE_ALIGNED(vma->vm_end))
		return validate_fail(mm, NULL, vma, "VMA not page aligned");
	if (vma->vm_end > TASK_SIZE)
		return validate_fail(mm, NULL, vma, "VMA above TASK_SIZE");
	if (vma->vm_mm != mm)
		return validate_fail(mm, NULL, vma, "vm_mm is %p",
				     (void *)vma->vm_mm);
	if ((vma->vm_flags & VM_SHARED) && !(vma->vm_flags & VM_MAYSHARE))
		return validate_fail(mm, NULL, vma,
				     "VM_SHARED without VM_MAYSHARE");
	if (vma->vm_special && vma->vm_file)
		return validate_fail(mm, NULL, vma,
				     "special mapping with a file");
	if (vma->vm_file && !vma->vm_file->f_count)
		return validate_fail(mm, NULL, vma, "file with f_count 0");
	if (vma->anon_vma && !vma->anon_vma->refcount)
		return validate_fail(mm, NULL, vma, "anon_vma with refcount 0");
	return 0;
}

static int validate_counter(struct mm_struct *mm, const char *what,
			    unsigned long have, unsigned long sum)
{
	if (have == sum)
		return 0;
	return validate_fail(mm, NULL, NULL,
			     "%s is %lu, the VMAs add up to %lu", what, have,
			     sum);
}

/**
 * mm_validate - check an mm's invariants.
 * @mm: the address space
 *
 * The checks are listed at the top of this file: the tree (mt_validate()),
 * every VMA against its tree range, neighbours neither overlapping nor
 * mergeable, map_count and the page counters.  The first violation is
 * printed to stderr.
 *
 * Context: the caller holds mmap_lock (mt_validate() reads the tree with
 * plain loads, so no writer may run) or the mm is quiescent.
 * Return: 0, or -EINVAL.
 */
int mm_validate(struct mm_struct *mm)
{
	MA_STATE(mas, &mm->mm_mt, 0, 0);
	struct vm_area_struct *vma, *prev = NULL;
	struct validate_sums sums = { 0 };
	int ret;

	ret = mt_validate(&mm->mm_mt);
	if (ret)
		return validate_fail(mm, NULL, NULL,
				     "the VMA tree is invalid (mt_validate: %d)",
				     ret);

	mt_rcu_read_lock();
	mas_for_each(&mas, vma, ULONG_MAX) {
		if (xa_is_zero(vma)) {
			/* Only a failed fork leaves these, for exit_mmap(). */
			ret = validate_fail(mm, prev, NULL,
					    "XA_ZERO_ENTRY at [%#lx, %#lx]",
					    mas.index, mas.last);
			break;
		}
		ret = validate_vma(mm, vma, mas.index, mas.last);
		if (ret)
			break;
		if (prev && prev->vm_end > vma->vm_start) {
			ret = validate_fail(mm, prev, vma, "VMAs overlap");
			break;
		}
		if (prev && !prev->merge_exempt && !vma->merge_exempt &&
		    vma_is_mergeable(prev, vma)) {
			ret = validate_fail(mm, prev, vma,
					    "mergeable neighbours");
			break;
		}
		validate_account(&sums, vma);
		prev = vma;
	}
	mt_rcu_read_unlock();
	if (ret)
		return ret;

	if (mm->map_count != sums.count)
		return validate_fail(mm, NULL, NULL,
				     "map_count is %lu, the tree has %lu VMAs",
				     mm->map_count, sums.count);
	ret = validate_counter(mm, "total_vm", mm->total_vm, sums.total_vm);
	if (!ret)
		ret = validate_counter(mm, "data_vm", mm->data_vm,
				       sums.data_vm);
	if (!ret)
		ret = validate_counter(mm, "exec_vm", mm->exec_vm,
				       sums.exec_vm);
	if (!ret)
		ret = validate_counter(mm, "stack_vm", mm->stack_vm,
				       sums.stack_vm);
	if (!ret)
		ret = validate_counter(mm, "locked_vm", mm->locked_vm,
				       sums.locked_vm);
	if (!ret)
		ret = validate_counter(mm, "committed", mm->committed,
				       sums.committed);
	return ret;
}
