/* SPDX-License-Identifier: MIT */
/*
 * fork.h - the test seam of fork.c: failure injection for the allocations
 * dup_mmap() makes outside the maple tree.
 *
 * The maple tree's own fault injection (<mtree/alloc.h>) covers every node
 * dup_mmap() allocates (__mt_dup() and the erase of VM_DONTCOPY ranges).
 * The copies of the VMAs and their anon_vmas come from plain malloc() in
 * mm.c, which has no such hook; these two variables stand in for one, so
 * that a test can make each of those allocations fail in turn.
 *
 * Not thread-safe: meant for single-threaded tests.  Library users never
 * touch them (both stay 0 and cost one test per allocation).
 */
#ifndef VMASIM_FORK_H
#define VMASIM_FORK_H

/**
 * vmasim_fail_vma_dup_nth - fail the nth VMA-side allocation of
 * dup_mmap() from now on.
 *
 * Counts the copy of each VMA (vm_area_dup()) and, for a VMA with pages,
 * the child's anon_vma (anon_vma_fork()), in the order dup_mmap() makes
 * them.  1 fails the very next one; 0 (the default) disables the rule.
 * One-shot, like mt_fault_fail_nth(): it is back to 0 once it has fired.
 */
extern int vmasim_fail_vma_dup_nth;

/**
 * vmasim_vma_dup_attempts - VMA-side allocations dup_mmap() has attempted
 * since the program started (those failed on purpose included).  A test
 * reads it before and after one dup_mmap() to learn how many there are.
 */
extern unsigned long vmasim_vma_dup_attempts;

#endif /* VMASIM_FORK_H */
