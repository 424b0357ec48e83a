/* SPDX-License-Identifier: MIT */
/*
 * fork.c - fork(2)'s copy of an address space: dup_mmap(), its error path
 * undo_dup_mmap(), and the allocation-failure seam declared in fork.h.
 *
 * Coding conventions in this file (Linux's names):
 *  @mm		the child's address space, being built
 *  @oldmm	the parent's, only read
 *  @mpnt	the parent's VMA being copied (found in the child's tree)
 *  @tmp	the child's copy of @mpnt
 *  @mas	a position in the child's tree
 *
 * DOC: How dup_mmap() builds the child
 *
 * The child's tree is not built by inserting VMAs one by one.  __mt_dup()
 * copies the parent's tree node by node, in the same shape, and the copy's
 * leaves still point at the *parent's* VMAs.  One pass over the copy then
 * replaces each entry in place::
 *
 *	parent      [ A ][ B:DONTCOPY ][ C:WIPEONFORK ][ D ]
 *	__mt_dup    [ A ][ B          ][ C            ][ D ]   parent's pointers
 *	pass        [ A']              [ C'           ][ D']   child's copies
 *
 * - a VM_DONTCOPY VMA is erased from the child's tree (a NULL store that
 *   may have to rebalance, so it allocates and can fail) and its pages are
 *   taken off the child's counters, which started as the parent's;
 * - any other VMA is copied (vm_area_dup()) and the copy is stored over
 *   exactly the same range.  With RCU mode off that is an exact-fit store,
 *   which needs no node, so it cannot fail.
 *
 * The copy loses VM_LOCKED/VM_LOCKONFAULT (the child's locked_vm is 0) and
 * the userfaultfd flag.  VM_WIPEONFORK memory reaches the child without an
 * anon_vma: it reads as zeroes.  Otherwise a VMA with pages gets an
 * anon_vma of its own, as anon_vma_fork() gives it: a new anon_vma chained
 * under the parent's, so its anon_vma_chain has two entries and
 * vma_is_fork_child() is true in Linux.  The model marks that with
 * anon_vma_forked on the child's copy only; the parent's chain stays
 * singular and its VMA is unchanged.  Two consequences for merges in the
 * child (merge.c, vmg_mergeable_anon()):
 *
 * - a new anonymous mapping next to an inherited VMA with pages does not
 *   merge with it (it would in the parent); next to an inherited VMA
 *   without pages it does;
 * - inherited VMAs that shared one anon_vma in the parent (pieces of one
 *   mapping split by mprotect, say) have different anon_vmas in the child,
 *   so they never merge back there.
 *
 * (Linux's anon_vma_clone() may reuse an anon_vma of the chain that no VMA
 * uses any more instead of allocating one; that needs the parent to have
 * unmapped the range it inherited itself, and the model, which keeps no
 * chains, leaves it out.)
 *
 * DOC: Failure part-way: 6.18's XA_ZERO_ENTRY marker versus undo_dup_mmap()
 *
 * When dup_mmap() fails in the pass, the child's tree is half converted:
 * below the failing VMA every entry is the child's copy (or a hole where a
 * VM_DONTCOPY VMA was), from it on every entry is still a parent's VMA.
 * Freeing the whole tree as if it were the child's would free the
 * parent's VMAs.
 *
 * Linux 6.18 stores XA_ZERO_ENTRY over the failing VMA's range (an
 * exact-fit store again), sets MMF_OOM_SKIP and MMF_UNSTABLE and returns
 * the error with the tree as it is.  The dying child is torn down later by
 * exit_mmap(), which removes VMAs only up to the first zero entry and then
 * frees the nodes with __mt_destroy(), leaving the parent's VMAs beyond
 * the marker alone.  Until then the half-built tree exists, and everything
 * that could walk it (the OOM reaper, exit_mmap(), readers of an mm marked
 * unstable) must know to stop at the marker.
 *
 * This file does what Peng Zhang's 2023 series proposed instead, and what
 * the post-6.18 rework ("Remove XA_ZERO from error recovery of
 * dup_mmap()") does again: undo_dup_mmap() removes the copies below the
 * failure point, destroys the tree and zeroes the counters before the
 * locks are dropped.  The child's tree then never holds a pointer it does
 * not own, and exit_mmap() needs no marker.
 *
 * For a user both are the same: fork() fails with -ENOMEM, the child never
 * runs, every VMA, anon_vma and file reference taken for it is released,
 * and the parent's address space is exactly as before.  Only the moment
 * of the teardown differs (before dup_mmap() returns, not at the child's
 * final mmput()), which nothing outside the kernel can observe.
 */
#include "vma_internal.h"
#include "fork.h"

/*
 * def_flags a child inherits (Linux's VM_INIT_DEF_MASK, applied by
 * mm_init() in kernel/fork.c): not VM_LOCKED, so mlockall(MCL_FUTURE)
 * does not survive fork.
 */
#define VM_INIT_DEF_MASK	VM_NOHUGEPAGE

/* Userfaultfd flags dropped by dup_userfaultfd() (only one is modelled). */
#define VM_UFFD_FLAGS		VM_UFFD_MISSING

int vmasim_fail_vma_dup_nth;
unsigned long vmasim_vma_dup_attempts;

/* The seam of fork.h: should this VMA-side allocation fail on purpose? */
static bool fork_fail_injected(void)
{
	vmasim_vma_dup_attempts++;
	if (vmasim_fail_vma_dup_nth <= 0)
		return false;
	return --vmasim_fail_vma_dup_nth == 0;
}

/*
 * Linux's anon_vma_fork(): give @tmp, a fresh copy still holding a
 * reference on the parent's anon_vma, an anon_vma of its own.  The model
 * keeps no anon_vma_chain; anon_vma_forked records that the chain would
 * not be singular.  Returns 0 or -ENOMEM (@tmp unchanged).
 */
static int fork_anon_vma(struct vm_area_struct *tmp)
{
	struct anon_vma *av;

	if (!tmp->anon_vma)
		return 0;
	if (fork_fail_injected())
		return -ENOMEM;
	av = anon_vma_alloc();
	if (!av)
		return -ENOMEM;
	anon_vma_put(tmp->anon_vma);
	tmp->anon_vma = av;
	tmp->anon_vma_forked = true;
	return 0;
}

/*
 * The child's copy of @mpnt, owned by @mm, with the changes fork makes
 * (see the DOC comment above).  Returns NULL if an allocation failed, with
 * nothing left allocated.
 */
static struct vm_area_struct *fork_vma_dup(struct mm_struct *mm,
					   struct vm_area_struct *mpnt)
{
	struct vm_area_struct *tmp;

	if (fork_fail_injected())
		return NULL;
	tmp = vm_area_dup(mpnt);
	if (!tmp)
		return NULL;
	tmp->vm_mm = mm;
	/* Fork never merges: copies may sit next to compatible ones. */
	tmp->merge_exempt = true;
	/*
	 * dup_userfaultfd(): without UFFD_FEATURE_EVENT_FORK, which the model
	 * does not know about, the child's VMA leaves the context.
	 */
	tmp->vm_flags &= ~VM_UFFD_FLAGS;
	if (tmp->vm_flags & VM_WIPEONFORK) {
		vma_unlink_anon_vma(tmp);
	} else if (fork_anon_vma(tmp)) {
		remove_vma(tmp);
		return NULL;
	}
	tmp->vm_flags &= ~VM_LOCKED_MASK;
	return tmp;
}

/* What the child takes from the parent before any VMA: layout and limits. */
static void dup_mm_fields(struct mm_struct *mm, const struct mm_struct *oldmm)
{
	mm->mmap_base = oldmm->mmap_base;
	mm->legacy_layout = oldmm->legacy_layout;
	mm->start_code = oldmm->start_code;
	mm->end_code = oldmm->end_code;
	mm->start_data = oldmm->start_data;
	mm->end_data = oldmm->end_data;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	mm->def_flags = oldmm->def_flags & VM_INIT_DEF_MASK;
	mm->limits = oldmm->limits;

	/* Copied whole, then VM_DONTCOPY VMAs are taken off (dup_mmap). */
	mm->total_vm = oldmm->total_vm;
	mm->data_vm = oldmm->data_vm;
	mm->exec_vm = oldmm->exec_vm;
	mm->stack_vm = oldmm->stack_vm;
	/* Nothing is locked in the child; commitments come VMA by VMA. */
	mm->locked_vm = 0;
	mm->committed = 0;
	mm->map_count = 0;
}

static void dup_mm_zero_counters(struct mm_struct *mm)
{
	mm->map_count = 0;
	mm->total_vm = mm->data_vm = mm->exec_vm = mm->stack_vm = 0;
	mm->locked_vm = mm->committed = 0;
}

/**
 * undo_dup_mmap - tear down a half-built child after dup_mmap() failed.
 * @mm: the child
 * @vma_end: the first VMA of the tree not yet handled, a *parent's* VMA
 *	still linked in the child's tree; NULL if every entry was handled
 *
 * Removes every VMA below @vma_end->vm_start: those are the child's copies.
 * The entries from @vma_end on are the parent's and are only forgotten,
 * when __mt_destroy() frees the nodes.  The child is then left empty, with
 * zero counters and its tree back in RCU mode, as mm_init() left it.
 *
 * Context: both mms write-locked; RCU mode off on @mm's tree.
 */
static void undo_dup_mmap(struct mm_struct *mm, struct vm_area_struct *vma_end)
{
	unsigned long tree_end = vma_end ? vma_end->vm_start : ULONG_MAX;
	MA_STATE(mas, &mm->mm_mt, 0, 0);
	struct vm_area_struct *vma;
	unsigned long count = 0;

	mmap_assert_write_locked(mm);
	if (tree_end) {
		/* tree_end - 1 is the last index the copies may occupy. */
		mas_for_each(&mas, vma, vma_end ? tree_end - 1 : ULONG_MAX) {
			assert(vma->vm_mm == mm);
			remove_vma(vma);
			count++;
		}
	}
	assert(count == mm->map_count);
	(void)count;

	__mt_destroy(&mm->mm_mt);
	mt_set_in_rcu(&mm->mm_mt);
	dup_mm_zero_counters(mm);
}

/**
 * dup_mmap - fork(2)'s copy of an address space (Linux 6.18's dup_mmap()
 * on __mt_dup(), with undo_dup_mmap() as its error path).
 * @mm: the child: fresh from mm_init(), empty, with the same tree flags
 *	as @oldmm
 * @oldmm: the parent
 *
 * Copies the parent's layout (mmap_base, code/data/brk/stack bounds),
 * limits and page counters into @mm; def_flags only keep VM_NOHUGEPAGE
 * (Linux's VM_INIT_DEF_MASK: mlockall(MCL_FUTURE) is not inherited).
 * Then duplicates the VMA tree with __mt_dup() and replaces every entry by
 * the child's copy of the VMA, as described at the top of this file:
 * VM_DONTCOPY VMAs left out (and off the counters), VM_WIPEONFORK ones
 * without anon_vma, VM_LOCKED and VM_LOCKONFAULT cleared (locked_vm 0),
 * VMAs with pages given an anon_vma of their own marked anon_vma_forked.
 * The child's committed counts the VM_ACCOUNT pages it received.  Adjacent
 * copies are not merged, even where VM_LOCKED was all that kept them
 * apart: Linux does not merge at fork either.
 *
 * On failure the child is torn down before the locks are dropped
 * (undo_dup_mmap()): @mm is left empty with zero counters, nothing is
 * leaked and @oldmm is untouched.  mm->def_flags and the layout fields
 * stay copied.
 *
 * Context: takes @oldmm's mmap_lock for writing, then @mm's, and releases
 * both; the caller holds neither.  Allocates (maple nodes, VMAs,
 * anon_vmas).
 * Return: 0; -ENOMEM if an allocation failed; -EINVAL if @mm is @oldmm or
 * not empty (nothing done).
 */
int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
	MA_STATE(mas, &mm->mm_mt, 0, 0);
	struct vm_area_struct *mpnt, *tmp;
	int retval;

	if (mm == oldmm)
		return -EINVAL;

	mmap_write_lock(oldmm);
	mmap_write_lock(mm);
	if (!mtree_empty(&mm->mm_mt) || mm->map_count) {
		retval = -EINVAL;
		goto out;
	}
	dup_mm_fields(mm, oldmm);

	/* An identical tree, whose entries are still the parent's VMAs. */
	retval = __mt_dup(&oldmm->mm_mt, &mm->mm_mt, GFP_KERNEL);
	if (retval) {
		/* __mt_dup() freed what it built: the tree is still empty. */
		dup_mm_zero_counters(mm);
		goto out;
	}
	/* Only we can see the new tree: no need to keep old nodes for readers. */
	mt_clear_in_rcu(&mm->mm_mt);

	mas_for_each(&mas, mpnt, ULONG_MAX) {
		if (mpnt->vm_flags & VM_DONTCOPY) {
			__mas_set_range(&mas, mpnt->vm_start, mpnt->vm_end - 1);
			retval = mas_store_gfp(&mas, NULL, GFP_KERNEL);
			if (retval)
				goto undo;
			vm_stat_account(mm, mpnt->vm_flags,
					-(long)vma_pages(mpnt));
			/* The erase may have rebalanced: walk again from here. */
			mas_set(&mas, mpnt->vm_end);
			continue;
		}

		tmp = fork_vma_dup(mm, mpnt);
		if (!tmp) {
			retval = -ENOMEM;
			goto undo;
		}
		/* Exact fit, RCU off: no allocation, cannot fail. */
		__mas_set_range(&mas, mpnt->vm_start, mpnt->vm_end - 1);
		mas_store(&mas, tmp);
		if (mas_is_err(&mas)) {
			/* Not reachable unless the tree broke its contract. */
			assert(!"exact-fit store failed in dup_mmap");
			remove_vma(tmp);
			retval = -ENOMEM;
			goto undo;
		}
		mm->map_count++;
		if (tmp->vm_flags & VM_ACCOUNT)
			mm->committed += vma_pages(tmp);
	}

	mt_set_in_rcu(&mm->mm_mt);
	goto out;

undo:
	/* @mpnt is the parent's VMA at which the pass stopped. */
	undo_dup_mmap(mm, mpnt);
out:
	mmap_write_unlock(mm);
	mmap_write_unlock(oldmm);
	return retval;
}
