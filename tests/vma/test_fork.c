/* SPDX-License-Identifier: MIT */
/*
 * test_fork.c - dup_mmap() (src/vma/fork.c) against Linux 6.18's fork:
 * VM_DONTCOPY left out, VM_WIPEONFORK without anon_vma, VM_LOCKED and
 * VM_LOCKONFAULT cleared, counters and layout fields, the merge rules for
 * fork children, and the error path: an allocation failure injected at
 * every maple node allocation and at every VMA-side allocation of the fork
 * of a process with thousands of VMAs must leave the child empty, the
 * parent intact and nothing leaked.
 *
 * The tests set VM_DONTCOPY, VM_WIPEONFORK and VM_LOCKONFAULT on the VMA
 * directly instead of calling madvise()/mlock2(), to depend on nothing but
 * the core, and only on VMAs whose neighbours differ anyway, so that no
 * merge is missed.  Neighbours of a VM_LOCKED VMA are kept apart by a gap:
 * the child, where the lock is gone, would otherwise hold two neighbours
 * that Linux leaves unmerged and mm_validate() rejects.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <mtree/alloc.h>
#include <mtree/rcu.h>
#include <vmasim/vma.h>

#include "helpers.h"
#include "vma_internal.h"
#include "fork.h"

#define BASE	0x7ffff7fff000UL
#define PG	PAGE_SIZE
#define RW	(PROT_READ | PROT_WRITE)
#define R	PROT_READ
#define RX	(PROT_READ | PROT_EXEC)

/* ---- helpers ----------------------------------------------------------- */

static struct mm_struct *fork_mm_new(void)
{
	struct mm_struct *mm = malloc(sizeof(*mm));

	assert_non_null(mm);
	mm_init(mm, BASE, false, NULL);
	return mm;
}

/* An empty child ready for dup_mmap(), as the fork path makes it. */
static struct mm_struct *fork_child_new(struct mm_struct *parent)
{
	struct mm_struct *mm = malloc(sizeof(*mm));

	assert_non_null(mm);
	mm_init(mm, parent->mmap_base, parent->legacy_layout, &parent->limits);
	return mm;
}

static void fork_mm_free(struct mm_struct *mm)
{
	exit_mmap(mm);
	free(mm);
}

static unsigned long map_anon(struct mm_struct *mm, unsigned long addr,
			      unsigned long len, unsigned long prot,
			      unsigned long flags)
{
	return do_mmap(mm, NULL, addr, len, prot,
		       flags | MAP_ANONYMOUS | MAP_PRIVATE | MAP_FIXED, 0);
}

/* Add @flags to the VMA at @addr (stands in for madvise). */
static struct vm_area_struct *vma_add_flags(struct mm_struct *mm,
					    unsigned long addr, vm_flags_t flags)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);

	assert_non_null(vma);
	vma->vm_flags |= flags;
	return vma;
}

static void check_valid(struct mm_struct *mm)
{
	int ret;

	mmap_write_lock(mm);
	ret = mm_validate(mm);
	mmap_write_unlock(mm);
	assert_int_equal(ret, 0);
}

static void expect_layout(struct mm_struct *mm, const char *expected)
{
	const char *got;

	mmap_write_lock(mm);
	got = test_layout(mm);
	mmap_write_unlock(mm);
	if (strcmp(got, expected)) {
		fprintf(stderr, "expected:\n%sgot:\n%s", expected, got);
		fail();
	}
}

/* ---- snapshots of a parent ------------------------------------------- */

struct vma_snap {
	const struct vm_area_struct *vma;
	unsigned long start, end, pgoff;
	vm_flags_t flags;
	const struct vm_file *file;
	unsigned long f_count;
	const struct anon_vma *anon_vma;
	unsigned long av_refcount;
	bool forked;
	const char *anon_name;
};

struct mm_snap {
	struct vma_snap *vmas;
	unsigned long nr;
	unsigned long map_count;
	unsigned long total_vm, locked_vm, data_vm, exec_vm, stack_vm;
	unsigned long committed;
	vm_flags_t def_flags;
	unsigned long nodes;
};

static void snap_take(struct mm_struct *mm, struct mm_snap *s)
{
	MA_STATE(mas, &mm->mm_mt, 0, 0);
	struct vm_area_struct *vma;
	unsigned long i = 0;

	mmap_write_lock(mm);
	s->vmas = calloc(mm->map_count + 1, sizeof(*s->vmas));
	assert_non_null(s->vmas);
	mas_for_each(&mas, vma, ULONG_MAX) {
		struct vma_snap *v = &s->vmas[i++];

		assert_true(i <= mm->map_count);
		v->vma = vma;
		v->start = vma->vm_start;
		v->end = vma->vm_end;
		v->pgoff = vma->vm_pgoff;
		v->flags = vma->vm_flags;
		v->file = vma->vm_file;
		v->f_count = vma->vm_file ? vma->vm_file->f_count : 0;
		v->anon_vma = vma->anon_vma;
		v->av_refcount = vma->anon_vma ? vma->anon_vma->refcount : 0;
		v->forked = vma->anon_vma_forked;
		v->anon_name = vma->anon_name;
	}
	s->nr = i;
	s->map_count = mm->map_count;
	s->total_vm = mm->total_vm;
	s->locked_vm = mm->locked_vm;
	s->data_vm = mm->data_vm;
	s->exec_vm = mm->exec_vm;
	s->stack_vm = mm->stack_vm;
	s->committed = mm->committed;
	s->def_flags = mm->def_flags;
	s->nodes = mt_nr_nodes(&mm->mm_mt);
	mmap_write_unlock(mm);
}

/*
 * The mm is exactly as when @s was taken: same VMA objects, same state.
 * While a child lives, its VMAs hold references on the parent's files:
 * @child_alive leaves f_count out.
 */
static void snap_check(struct mm_struct *mm, const struct mm_snap *s,
		       bool child_alive)
{
	struct mm_snap now;
	unsigned long i;

	snap_take(mm, &now);
	if (child_alive) {
		for (i = 0; i < now.nr && i < s->nr; i++)
			now.vmas[i].f_count = s->vmas[i].f_count;
	}
	assert_int_equal(now.nr, s->nr);
	assert_int_equal(now.map_count, s->map_count);
	assert_int_equal(now.total_vm, s->total_vm);
	assert_int_equal(now.locked_vm, s->locked_vm);
	assert_int_equal(now.data_vm, s->data_vm);
	assert_int_equal(now.exec_vm, s->exec_vm);
	assert_int_equal(now.stack_vm, s->stack_vm);
	assert_int_equal(now.committed, s->committed);
	assert_int_equal(now.def_flags, s->def_flags);
	assert_int_equal(now.nodes, s->nodes);
	for (i = 0; i < s->nr; i++) {
		const struct vma_snap *a = &s->vmas[i], *b = &now.vmas[i];

		if (!memcmp(a, b, sizeof(*a)))
			continue;
		fprintf(stderr, "parent VMA %lu changed: %lx-%lx flags %#lx -> "
			"%lx-%lx flags %#lx (file refs %lu -> %lu, anon_vma refs "
			"%lu -> %lu)\n", i, a->start, a->end, a->flags, b->start,
			b->end, b->flags, a->f_count, b->f_count, a->av_refcount,
			b->av_refcount);
		fail();
	}
	free(now.vmas);
}

/* ---- what a child must look like ------------------------------------- */

static bool names_equal(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/*
 * @child is a correct fork of @parent: the parent's VMAs minus
 * VM_DONTCOPY, each a copy with the fork changes; counters, layout fields
 * and def_flags as dup_mmap() documents them; mm_validate() clean.
 */
static void check_child(struct mm_struct *parent, struct mm_struct *child)
{
	VMA_ITERATOR(pvmi, parent, 0);
	VMA_ITERATOR(cvmi, child, 0);
	struct vm_area_struct *p, *c;
	unsigned long total = 0, data = 0, exec = 0, stack = 0, committed = 0;
	unsigned long count = 0;

	mmap_write_lock(parent);
	mmap_write_lock(child);
	for_each_vma(pvmi, p) {
		if (p->vm_flags & VM_DONTCOPY)
			continue;
		c = vma_next(&cvmi);
		assert_non_null(c);
		assert_ptr_not_equal(c, p);
		assert_ptr_equal(c->vm_mm, child);
		assert_int_equal(c->vm_start, p->vm_start);
		assert_int_equal(c->vm_end, p->vm_end);
		assert_int_equal(c->vm_pgoff, p->vm_pgoff);
		assert_int_equal(c->vm_flags,
				 p->vm_flags & ~(VM_LOCKED_MASK | VM_UFFD_MISSING));
		assert_ptr_equal(c->vm_file, p->vm_file);
		assert_ptr_equal(c->vm_special, p->vm_special);
		assert_true(names_equal(c->anon_name, p->anon_name));
		if (p->anon_name)
			assert_ptr_not_equal(c->anon_name, p->anon_name);
		if (p->vm_flags & VM_WIPEONFORK) {
			assert_null(c->anon_vma);
			assert_false(c->anon_vma_forked);
		} else if (p->anon_vma) {
			/* anon_vma_fork(): its own, chained under the parent's. */
			assert_non_null(c->anon_vma);
			assert_ptr_not_equal(c->anon_vma, p->anon_vma);
			assert_true(c->anon_vma_forked);
		} else {
			assert_null(c->anon_vma);
			assert_false(c->anon_vma_forked);
		}
		total += vma_pages(p);
		if (is_exec_mapping(p->vm_flags))
			exec += vma_pages(p);
		else if (is_stack_mapping(p->vm_flags))
			stack += vma_pages(p);
		else if (is_data_mapping(p->vm_flags))
			data += vma_pages(p);
		if (p->vm_flags & VM_ACCOUNT)
			committed += vma_pages(p);
		count++;
	}
	assert_null(vma_next(&cvmi));
	assert_int_equal(child->map_count, count);
	assert_int_equal(child->total_vm, total);
	assert_int_equal(child->data_vm, data);
	assert_int_equal(child->exec_vm, exec);
	assert_int_equal(child->stack_vm, stack);
	assert_int_equal(child->locked_vm, 0);
	assert_int_equal(child->committed, committed);
	assert_int_equal(child->def_flags, parent->def_flags & VM_NOHUGEPAGE);
	assert_int_equal(child->mmap_base, parent->mmap_base);
	assert_int_equal(child->legacy_layout, parent->legacy_layout);
	assert_int_equal(child->start_brk, parent->start_brk);
	assert_int_equal(child->brk, parent->brk);
	assert_int_equal(child->start_stack, parent->start_stack);
	assert_int_equal(child->start_code, parent->start_code);
	assert_int_equal(child->end_data, parent->end_data);
	assert_memory_equal(&child->limits, &parent->limits, sizeof(parent->limits));
	assert_true(mt_in_rcu(&child->mm_mt));
	assert_int_equal(mm_validate(child), 0);
	mmap_write_unlock(child);
	mmap_write_unlock(parent);
}

/* After a failed dup_mmap(): nothing in the child, nothing counted. */
static void check_child_empty(struct mm_struct *child)
{
	mmap_write_lock(child);
	assert_true(mtree_empty(&child->mm_mt));
	assert_int_equal(child->map_count, 0);
	assert_int_equal(child->total_vm, 0);
	assert_int_equal(child->data_vm, 0);
	assert_int_equal(child->exec_vm, 0);
	assert_int_equal(child->stack_vm, 0);
	assert_int_equal(child->locked_vm, 0);
	assert_int_equal(child->committed, 0);
	/* Back as mm_init() made it: a later dup_mmap() could succeed. */
	assert_true(mt_in_rcu(&child->mm_mt));
	mmap_write_unlock(child);
}

/* ---- tests --------------------------------------------------------------- */

/*
 * A small process with every kind of VMA fork treats specially: the child
 * is the parent minus VM_DONTCOPY, WIPEONFORK memory comes without pages,
 * locks are gone, counters follow; the parent is untouched.
 */
static void test_fork_layout(void **state)
{
	struct mm_struct *parent = fork_mm_new(), *child;
	struct vm_file *lib = vm_file_new("/usr/lib/libfoo.so", 8, 1, 1234,
					  true, false);
	struct vm_file *plugin = vm_file_new("/usr/lib/plugin.so", 8, 1, 4321,
					     true, false);
	unsigned long a = 0x10000000UL, lib_refs;
	struct vm_area_struct *vma, *wipe;
	struct mm_snap snap;

	(void)state;
	assert_non_null(lib);
	assert_non_null(plugin);
	mmap_write_lock(parent);
	parent->start_brk = parent->brk = 0x5000000UL;
	parent->start_stack = 0x7ffffffde000UL;
	/* A: faulted. */
	assert_int_equal(map_anon(parent, a, 3 * PG, RW, 0), a);
	assert_int_equal(vma_touch(parent, a, a + 3 * PG), 0);
	/* B: faulted, MADV_DONTFORK. */
	assert_int_equal(map_anon(parent, a + 0x4000, 2 * PG, RW, 0), a + 0x4000);
	assert_int_equal(vma_touch(parent, a + 0x4000, a + 0x6000), 0);
	vma_add_flags(parent, a + 0x4000, VM_DONTCOPY);
	/* C: faulted, MADV_WIPEONFORK. */
	assert_int_equal(map_anon(parent, a + 0x8000, 2 * PG, RW, 0), a + 0x8000);
	assert_int_equal(vma_touch(parent, a + 0x8000, a + 0xa000), 0);
	vma_add_flags(parent, a + 0x8000, VM_WIPEONFORK);
	/* D: MAP_LOCKED, and LOCKONFAULT as mlock2(MLOCK_ONFAULT) adds it. */
	assert_int_equal(map_anon(parent, a + 0xc000, 2 * PG, RW, MAP_LOCKED),
			 a + 0xc000);
	vma_add_flags(parent, a + 0xc000, VM_LOCKONFAULT);
	/* E: a library's text. */
	assert_int_equal(do_mmap(parent, lib, a + 0x10000, 2 * PG, RX,
				 MAP_PRIVATE | MAP_FIXED, 0), a + 0x10000);
	/* F: unfaulted, named. */
	assert_int_equal(map_anon(parent, a + 0x14000, PG, RW, 0), a + 0x14000);
	vma = vma_lookup(parent, a + 0x14000);
	vma->anon_name = strdup("buffer");
	assert_non_null(vma->anon_name);
	/* G: text of a library mapped with MADV_DONTFORK. */
	assert_int_equal(do_mmap(parent, plugin, a + 0x18000, 3 * PG, RX,
				 MAP_PRIVATE | MAP_FIXED, 0), a + 0x18000);
	vma_add_flags(parent, a + 0x18000, VM_DONTCOPY);
	/* H: shared anonymous memory. */
	assert_int_equal(do_mmap(parent, NULL, a + 0x20000, 4 * PG, RW,
				 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, 0),
			 a + 0x20000);
	/* I: a stack. */
	assert_int_equal(map_anon(parent, a + 0x400000, 8 * PG, RW, MAP_GROWSDOWN),
			 a + 0x400000);
	assert_int_equal(vma_touch(parent, a + 0x406000, a + 0x408000), 0);
	/* mlockall(MCL_FUTURE) and a VM_NOHUGEPAGE default. */
	parent->def_flags = VM_LOCKED | VM_NOHUGEPAGE;
	assert_int_equal(parent->map_count, 9);
	assert_int_equal(parent->locked_vm, 2);
	assert_int_equal(parent->exec_vm, 5);
	assert_int_equal(parent->stack_vm, 8);
	lib_refs = lib->f_count;
	mmap_write_unlock(parent);
	check_valid(parent);
	snap_take(parent, &snap);

	child = fork_child_new(parent);
	assert_int_equal(dup_mmap(child, parent), 0);
	snap_check(parent, &snap, true);
	check_child(parent, child);
	expect_layout(child, "10000000-10003000 rw-p\n"
			     "10008000-1000a000 rw-p\n"
			     "1000c000-1000e000 rw-p\n"
			     "10010000-10012000 r-xp\n"
			     "10014000-10015000 rw-p\n"
			     "10020000-10024000 rw-s\n"
			     "10400000-10408000 rw-p\n");
	assert_int_equal(child->map_count, 7);
	assert_int_equal(child->locked_vm, 0);
	assert_int_equal(child->total_vm, snap.total_vm - 2 - 3);
	assert_int_equal(child->exec_vm, 2);
	assert_int_equal(child->stack_vm, 8);
	assert_int_equal(child->data_vm, snap.data_vm - 2);
	assert_int_equal(child->committed, snap.committed - 2);
	assert_int_equal(child->def_flags, VM_NOHUGEPAGE);
	/* The library's description is shared: one more reference. */
	assert_int_equal(lib->f_count, lib_refs + 1);

	/* WIPEONFORK memory faults afresh in the child: not a fork child. */
	mmap_write_lock(child);
	wipe = vma_lookup(child, a + 0x8000);
	assert_null(wipe->anon_vma);
	assert_int_equal(vma_touch(child, a + 0x8000, a + 0xa000), 0);
	assert_non_null(wipe->anon_vma);
	assert_false(wipe->anon_vma_forked);
	assert_true(vma_lookup(child, a)->anon_vma_forked);
	assert_false(vma_lookup(parent, a)->anon_vma_forked);
	mmap_write_unlock(child);
	check_valid(child);

	/* A dup_mmap() into an mm that is not empty is refused. */
	assert_int_equal(dup_mmap(child, parent), -EINVAL);
	assert_int_equal(dup_mmap(parent, parent), -EINVAL);
	assert_int_equal(child->map_count, 7);

	fork_mm_free(child);
	assert_int_equal(lib->f_count, lib_refs);
	snap_check(parent, &snap, false);
	free(snap.vmas);
	fork_mm_free(parent);
	fput(lib);
	fput(plugin);
}

/* An empty process forks into an empty child; so does its child. */
static void test_fork_empty(void **state)
{
	struct mm_struct *parent = fork_mm_new(), *child;

	(void)state;
	child = fork_child_new(parent);
	assert_int_equal(dup_mmap(child, parent), 0);
	check_child(parent, child);
	assert_true(mtree_empty(&child->mm_mt));
	fork_mm_free(child);
	fork_mm_free(parent);
}

/*
 * Merges in the child (is_mergeable_anon_vma()): a faulted inherited VMA
 * is a fork child and takes no new neighbour; an unfaulted one does.  The
 * same calls in the parent merge.  Pieces of one faulted mapping have
 * different anon_vmas in the child and do not merge back.
 */
static void test_fork_merge_rules(void **state)
{
	struct mm_struct *parent = fork_mm_new(), *child, *grandchild;
	unsigned long x = 0x20000000UL, y = 0x20010000UL, z = 0x20020000UL;

	(void)state;
	mmap_write_lock(parent);
	assert_int_equal(map_anon(parent, x, 2 * PG, RW, 0), x);
	assert_int_equal(vma_touch(parent, x, x + 2 * PG), 0);
	assert_int_equal(map_anon(parent, y, 2 * PG, RW, 0), y);
	assert_int_equal(map_anon(parent, z, 3 * PG, RW, 0), z);
	assert_int_equal(vma_touch(parent, z, z + 3 * PG), 0);
	assert_int_equal(do_mprotect_pkey(parent, z + PG, PG, R, -1), 0);
	mmap_write_unlock(parent);
	expect_layout(parent, "20000000-20002000 rw-p\n"
			      "20010000-20012000 rw-p\n"
			      "20020000-20021000 rw-p\n"
			      "20021000-20022000 r--p\n"
			      "20022000-20023000 rw-p\n");

	child = fork_child_new(parent);
	assert_int_equal(dup_mmap(child, parent), 0);
	check_child(parent, child);

	mmap_write_lock(child);
	/* Right of the faulted VMA, then left of it: no merge. */
	assert_int_equal(map_anon(child, x + 2 * PG, PG, RW, 0), x + 2 * PG);
	assert_int_equal(map_anon(child, x - PG, PG, RW, 0), x - PG);
	/* Right of the unfaulted one: merges. */
	assert_int_equal(map_anon(child, y + 2 * PG, PG, RW, 0), y + 2 * PG);
	/* The split pieces have an anon_vma each: no merge back. */
	assert_int_equal(do_mprotect_pkey(child, z + PG, PG, RW, -1), 0);
	mmap_write_unlock(child);
	expect_layout(child, "1ffff000-20000000 rw-p\n"
			     "20000000-20002000 rw-p\n"
			     "20002000-20003000 rw-p\n"
			     "20010000-20013000 rw-p\n"
			     "20020000-20021000 rw-p\n"
			     "20021000-20022000 rw-p\n"
			     "20022000-20023000 rw-p\n");
	check_valid(child);

	/* The parent's chains stay singular: everything merges there. */
	mmap_write_lock(parent);
	assert_int_equal(map_anon(parent, x + 2 * PG, PG, RW, 0), x + 2 * PG);
	assert_int_equal(map_anon(parent, x - PG, PG, RW, 0), x - PG);
	assert_int_equal(map_anon(parent, y + 2 * PG, PG, RW, 0), y + 2 * PG);
	assert_int_equal(do_mprotect_pkey(parent, z + PG, PG, RW, -1), 0);
	mmap_write_unlock(parent);
	expect_layout(parent, "1ffff000-20003000 rw-p\n"
			      "20010000-20013000 rw-p\n"
			      "20020000-20023000 rw-p\n");
	check_valid(parent);

	/* A fork of the child: its fork children fork again as fork children. */
	grandchild = fork_child_new(child);
	assert_int_equal(dup_mmap(grandchild, child), 0);
	check_child(child, grandchild);
	mmap_write_lock(grandchild);
	assert_true(vma_lookup(grandchild, x)->anon_vma_forked);
	assert_null(vma_lookup(grandchild, y)->anon_vma);
	mmap_write_unlock(grandchild);

	fork_mm_free(grandchild);
	fork_mm_free(child);
	fork_mm_free(parent);
}

/* ---- thousands of VMAs, and a failure at every allocation ---------------- */

#define BIG_NR		3000
#define BIG_BASE	0x200000000000UL

static bool big_is_file(unsigned long i)
{
	return i % 113 == 5;
}

/*
 * 3000 one-page mappings side by side, alternating rw-/r-- so none
 * merge; some private file mappings; every 7th rw anonymous one faulted;
 * some WIPEONFORK.
 */
static struct mm_struct *big_parent(struct vm_file *file)
{
	struct mm_struct *mm = fork_mm_new();
	unsigned long i;

	mmap_write_lock(mm);
	for (i = 0; i < BIG_NR; i++) {
		unsigned long addr = BIG_BASE + i * PG;
		unsigned long prot = i & 1 ? R : RW;

		if (big_is_file(i))
			assert_int_equal(do_mmap(mm, file, addr, PG, prot,
						 MAP_PRIVATE | MAP_FIXED, i), addr);
		else
			assert_int_equal(map_anon(mm, addr, PG, prot, 0), addr);
	}
	for (i = 0; i < BIG_NR; i += 14)
		if (!big_is_file(i))
			assert_int_equal(vma_touch(mm, BIG_BASE + i * PG,
						   BIG_BASE + (i + 1) * PG), 0);
	for (i = 3; i < BIG_NR; i += 97)
		vma_add_flags(mm, BIG_BASE + i * PG, VM_WIPEONFORK);
	assert_int_equal(mm->map_count, BIG_NR);
	mmap_write_unlock(mm);
	return mm;
}

/* MADV_DONTFORK on every 50th VMA and on a run of 40 in a row. */
static unsigned long big_add_dontcopy(struct mm_struct *mm)
{
	unsigned long i, nr = 0;

	mmap_write_lock(mm);
	for (i = 0; i < BIG_NR; i++) {
		if (i % 50 == 25 || (i >= 1000 && i < 1040)) {
			vma_add_flags(mm, BIG_BASE + i * PG, VM_DONTCOPY);
			nr++;
		}
	}
	mmap_write_unlock(mm);
	return nr;
}

struct fork_cost {
	unsigned long nodes;	/* maple node allocations */
	unsigned long vma_side;	/* VMA copies and anon_vmas */
};

/* One successful fork of @parent, checked, measured and thrown away. */
static struct fork_cost fork_and_measure(struct mm_struct *parent)
{
	struct mm_struct *child = fork_child_new(parent);
	unsigned long attempts, dups;
	struct fork_cost cost;
	long live;

	mt_rcu_barrier();
	live = mt_nodes_live();
	attempts = mt_alloc_attempts();
	dups = vmasim_vma_dup_attempts;
	assert_int_equal(dup_mmap(child, parent), 0);
	cost.nodes = mt_alloc_attempts() - attempts;
	cost.vma_side = vmasim_vma_dup_attempts - dups;
	check_child(parent, child);
	fork_mm_free(child);
	mt_rcu_barrier();
	assert_int_equal(mt_nodes_live(), live);
	return cost;
}

/*
 * No maple node leaked: as many live as @live, counted after an RCU
 * barrier.  Nodes waiting for a grace period only add to the count, so an
 * equal count without the (slow) barrier already proves it.
 */
static void check_nodes_live(long live)
{
	if (mt_nodes_live() == live)
		return;
	mt_rcu_barrier();
	assert_int_equal(mt_nodes_live(), live);
}

/* dup_mmap() of @parent fails and leaves no trace; @snap is the parent's. */
static void fork_must_fail(struct mm_struct *parent, const struct mm_snap *snap,
			   long live)
{
	struct mm_struct *child = fork_child_new(parent);

	assert_int_equal(dup_mmap(child, parent), -ENOMEM);
	check_child_empty(child);
	snap_check(parent, snap, false);
	fork_mm_free(child);
	check_nodes_live(live);
}

static void test_fork_thousands_fail_everywhere(void **state)
{
	struct vm_file *file = vm_file_new("/usr/lib/libbig.so", 8, 1, 77,
					   true, false);
	struct mm_struct *parent;
	unsigned long faulted = 0, wiped = 0, dontcopy, i, injected;
	struct fork_cost plain, cost;
	struct mm_snap snap;
	long live;

	(void)state;
	assert_non_null(file);
	parent = big_parent(file);
	check_valid(parent);
	for (i = 0; i < BIG_NR; i++) {
		struct vm_area_struct *vma = vma_lookup(parent, BIG_BASE + i * PG);

		if (vma->vm_flags & VM_WIPEONFORK)
			wiped++;
		else if (vma->anon_vma)
			faulted++;
	}

	/*
	 * Without VM_DONTCOPY the only node allocations are __mt_dup()'s,
	 * one per node of the parent's tree: the exact-fit stores that put
	 * the copies in allocate nothing.
	 */
	plain = fork_and_measure(parent);
	assert_int_equal(plain.nodes, mt_nr_nodes(&parent->mm_mt));
	assert_int_equal(plain.vma_side, BIG_NR + faulted);
	print_message("fork of %d VMAs: %lu node allocations (tree of %lu nodes), "
		      "%lu VMA copies + %lu anon_vmas (%lu WIPEONFORK)\n", BIG_NR,
		      plain.nodes, mt_nr_nodes(&parent->mm_mt),
		      (unsigned long)BIG_NR, faulted, wiped);

	dontcopy = big_add_dontcopy(parent);
	check_valid(parent);
	cost = fork_and_measure(parent);
	assert_true(cost.nodes >= plain.nodes);
	print_message("with %lu VM_DONTCOPY: %lu node allocations (%lu by the "
		      "erases), %lu VMA-side allocations\n", dontcopy, cost.nodes,
		      cost.nodes - plain.nodes, cost.vma_side);

	snap_take(parent, &snap);
	mt_rcu_barrier();
	live = mt_nodes_live();

	/* Every maple node allocation of the fork, in turn. */
	injected = mt_fault_injected();
	for (i = 1; i <= cost.nodes; i++) {
		mt_fault_fail_nth(MT_FAULT_ANY, i);
		fork_must_fail(parent, &snap, live);
		assert_int_equal(mt_fault_injected(), injected + i);
	}
	mt_fault_clear();

	/* Every VMA copy and anon_vma, in turn. */
	for (i = 1; i <= cost.vma_side; i++) {
		vmasim_fail_vma_dup_nth = (int)i;
		fork_must_fail(parent, &snap, live);
		assert_int_equal(vmasim_fail_vma_dup_nth, 0);
	}

	/* And then it works, with the same cost. */
	assert_int_equal(fork_and_measure(parent).nodes, cost.nodes);
	check_valid(parent);
	snap_check(parent, &snap, false);
	free(snap.vmas);
	fork_mm_free(parent);
	fput(file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fork_layout),
		cmocka_unit_test(test_fork_empty),
		cmocka_unit_test(test_fork_merge_rules),
		cmocka_unit_test(test_fork_thousands_fail_everywhere),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
