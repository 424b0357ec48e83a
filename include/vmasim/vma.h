/* SPDX-License-Identifier: MIT */
/*
 * vma.h - simulated address spaces: struct mm_struct, struct
 * vm_area_struct, the VMA iterator and the VMA operations of Linux 6.18
 * (mm/vma.c, mm/mmap.c, mm/mprotect.c), on libmtree.
 *
 * Conventions: vm_start is inclusive and vm_end exclusive; a VMA occupies
 * the tree range [vm_start, vm_end - 1].  Functions return 0 or an address
 * on success and -errno on failure, like the kernel.  Every mutator expects
 * the caller to hold mmap_lock for writing (mmap_write_lock()); debug
 * builds assert it.
 */
#ifndef VMASIM_VMA_H
#define VMASIM_VMA_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include <mtree/maple_tree.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x)	(((x) + PAGE_SIZE - 1) & PAGE_MASK)
#define PAGE_ALIGNED(x)	(((x) & (PAGE_SIZE - 1)) == 0)
#define PMD_SIZE	(1UL << 21)

/* x86-64 with 4-level paging. */
#define TASK_SIZE		((1UL << 47) - PAGE_SIZE)
#define DEFAULT_MAP_WINDOW	TASK_SIZE
#define TASK_UNMAPPED_BASE	PAGE_ALIGN(TASK_SIZE / 3)

typedef unsigned long vm_flags_t;

/* vm_flags bits, with the kernel's values (include/linux/mm.h, x86-64). */
#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL
#define VM_GROWSDOWN	0x00000100UL
#define VM_UFFD_MISSING	0x00000200UL
#define VM_PFNMAP	0x00000400UL
#define VM_LOCKED	0x00002000UL
#define VM_IO		0x00004000UL
#define VM_SEQ_READ	0x00008000UL
#define VM_RAND_READ	0x00010000UL
#define VM_DONTCOPY	0x00020000UL
#define VM_DONTEXPAND	0x00040000UL
#define VM_LOCKONFAULT	0x00080000UL
#define VM_ACCOUNT	0x00100000UL
#define VM_NORESERVE	0x00200000UL
#define VM_HUGETLB	0x00400000UL
#define VM_SYNC		0x00800000UL
#define VM_WIPEONFORK	0x02000000UL
#define VM_DONTDUMP	0x04000000UL
#define VM_SOFTDIRTY	0x08000000UL
#define VM_MIXEDMAP	0x10000000UL
#define VM_HUGEPAGE	0x20000000UL
#define VM_NOHUGEPAGE	0x40000000UL
#define VM_MERGEABLE	0x80000000UL
#define VM_SEALED	(1UL << 42)
#define VM_DROPPABLE	(1UL << 40)

#define VM_ACCESS_FLAGS	(VM_READ | VM_WRITE | VM_EXEC)
#define VM_SPECIAL	(VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)
#define VM_LOCKED_MASK	(VM_LOCKED | VM_LOCKONFAULT)
#define VM_STACK	VM_GROWSDOWN
#define VM_STARTGAP_FLAGS VM_GROWSDOWN
#define VM_DATA_DEFAULT_FLAGS (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)

/**
 * struct vm_file - a simulated open file description (struct file).
 * @f_count: references: descriptors and VMAs that hold it.
 * @f_id: unique per description: two open() of one path differ, dup()
 *	shares.  VMAs merge only with the same description.
 * @path: the path as /proc/PID/maps prints it, without " (deleted)".
 * @dev_major, @dev_minor, @ino: device and inode (printed, not compared).
 * @readable, @writable: the open mode (FMODE_READ / FMODE_WRITE).
 * @deleted: the file was unlinked: maps prints " (deleted)".
 * @shmem: backed by shmem (memfd, /dev/zero shared anonymous memory).
 * @thp_get_area: its file system places mappings through
 *	thp_get_unmapped_area() (ext4, xfs): a mapping of 2 MiB or more goes
 *	where its file offset and address agree modulo 2 MiB.
 */
struct vm_file {
	unsigned long f_count;
	unsigned long f_id;
	char *path;
	unsigned int dev_major;
	unsigned int dev_minor;
	unsigned long ino;
	bool readable;
	bool writable;
	bool deleted;
	bool shmem;
	bool thp_get_area;
};

/**
 * struct anon_vma - the reverse-map root of anonymous pages (a model).
 * @refcount: VMAs linked to it.
 * @id: unique, for dumps.
 */
struct anon_vma {
	unsigned long refcount;
	unsigned long id;
};

/**
 * struct vm_special_mapping - what the kernel keeps in vm_ops for special
 * mappings: a name ("[vdso]", "[vvar]", "[vvar_vclock]") and whether it can
 * be split or merged (never, for these).
 */
struct vm_special_mapping {
	const char *name;
};

/**
 * struct vm_area_struct - one VMA.
 * @vm_start: first address (inclusive).
 * @vm_end: end address (exclusive).
 * @vm_pgoff: offset in pages within the file; for private anonymous
 *	memory vm_start >> PAGE_SHIFT when created (needed for merging).
 * @vm_flags: VM_* flags.
 * @vm_mm: the owning address space.
 * @vm_file: the open file description, or NULL for anonymous memory.
 * @anon_vma: set once the VMA has been written to ("faulted"), or NULL.
 * @anon_vma_forked: the anon_vma chain is not singular: inherited across
 *	fork with pages (Linux's vma_is_fork_child), which limits merging.
 * @vm_special: special mapping, or NULL.
 * @anon_name: name of a named anonymous VMA ("[anon:NAME]"), or NULL.
 * @merge_exempt: made by a path on which Linux never tries to merge (a
 *	fork copy, a new brk VMA, a VMA loaded from a snapshot, the pieces of
 *	a split kept after a failed munmap): mm_validate() does not require it
 *	to differ from its neighbours.
 */
struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	unsigned long vm_pgoff;
	vm_flags_t vm_flags;
	struct mm_struct *vm_mm;
	struct vm_file *vm_file;
	struct anon_vma *anon_vma;
	bool anon_vma_forked;
	const struct vm_special_mapping *vm_special;
	char *anon_name;
	bool merge_exempt;
};

/**
 * enum vm_fault_model - when the simulator considers pages written to.
 * @VM_FAULT_NONE: only when told (vma_touch(), a scenario's "touch") or
 *	when Linux itself faults them in (mlock, MAP_POPULATE, ...).
 * @VM_FAULT_ON_WRITE: also as soon as private writable memory is mapped,
 *	grown or made writable, as if the program wrote to it at once.
 *
 * Being written to gives a private VMA its anon_vma, which decides later
 * merges; a syscall log has no page faults, so it is a modelling choice.
 * docs/vma.md says which model matches the live kernel more often.
 */
enum vm_fault_model {
	VM_FAULT_NONE,
	VM_FAULT_ON_WRITE,
};

/**
 * struct mm_limits - the tunables and resource limits an mm obeys.
 * @max_map_count: vm.max_map_count (65530).
 * @mmap_min_addr: vm.mmap_min_addr (65536 by default; 4096 on the
 *	machines this was written on).
 * @stack_guard_gap: bytes kept free below a VM_GROWSDOWN VMA (1 MiB).
 * @rlimit_data, @rlimit_as, @rlimit_stack, @rlimit_memlock: soft limits
 *	in bytes (RLIM_INFINITY = ~0UL).
 * @overcommit_never: vm.overcommit_memory == 2 (MAP_NORESERVE ignored).
 * @fault_model: see enum vm_fault_model.
 * @pkeys: the CPU has memory protection keys (x86 OSPKE), so key 0 is
 *	allocated in every mm; without them (these machines) pkey_mprotect()
 *	with any key but -1 fails with -EINVAL.
 */
struct mm_limits {
	unsigned long max_map_count;
	unsigned long mmap_min_addr;
	unsigned long stack_guard_gap;
	unsigned long rlimit_data;
	unsigned long rlimit_as;
	unsigned long rlimit_stack;
	unsigned long rlimit_memlock;
	bool overcommit_never;
	enum vm_fault_model fault_model;
	bool pkeys;
};

#ifndef RLIM_INFINITY
#define RLIM_INFINITY	(~0UL)
#endif

/**
 * struct mm_struct - one simulated address space.
 * @mm_mt: the VMA tree (MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN |
 *	MT_FLAGS_USE_RCU), protected by @mmap_lock.
 * @mmap_lock: the address space's read-write lock.
 * @map_count: number of VMAs.
 * @mmap_base: where top-down searches start (from the recording).
 * @legacy_layout: bottom-up allocation from TASK_UNMAPPED_BASE.
 * @start_brk, @brk: the heap; @start_stack: the initial stack pointer.
 * @total_vm, @locked_vm, @data_vm, @exec_vm, @stack_vm: page counters as in
 *	/proc/PID/status.
 * @committed: pages charged for VM_ACCOUNT mappings.
 * @def_flags: flags added to new mappings (VM_LOCKED after mlockall
 *	MCL_FUTURE).
 * @limits: see struct mm_limits.
 */
struct mm_struct {
	struct maple_tree mm_mt;
	pthread_rwlock_t mmap_lock;
	unsigned long mmap_lock_writer;
	unsigned long map_count;
	unsigned long mmap_base;
	bool legacy_layout;
	unsigned long start_code, end_code, start_data, end_data;
	unsigned long start_brk, brk, start_stack;
	unsigned long total_vm, locked_vm, data_vm, exec_vm, stack_vm;
	unsigned long committed;
	vm_flags_t def_flags;
	struct mm_limits limits;
};

/* ---- the address space -------------------------------------------- */

void mm_limits_default(struct mm_limits *limits);
int mm_init(struct mm_struct *mm, unsigned long mmap_base, bool legacy_layout,
	    const struct mm_limits *limits);
void exit_mmap(struct mm_struct *mm);

void mmap_write_lock(struct mm_struct *mm);
void mmap_write_unlock(struct mm_struct *mm);
void mmap_read_lock(struct mm_struct *mm);
void mmap_read_unlock(struct mm_struct *mm);
bool mmap_write_locked(const struct mm_struct *mm);

struct vm_file *vm_file_new(const char *path, unsigned int dev_major,
			    unsigned int dev_minor, unsigned long ino,
			    bool readable, bool writable);
struct vm_file *get_file(struct vm_file *file);
void fput(struct vm_file *file);

/* ---- the VMA iterator ----------------------------------------------- */

/**
 * struct vma_iterator - a position in an mm's VMA tree (a ma_state).
 */
struct vma_iterator {
	struct ma_state mas;
};

#define VMA_ITERATOR(name, __mm, __addr)				\
	struct vma_iterator name = {					\
		.mas = MA_STATE_INIT(&(__mm)->mm_mt, (__addr), (__addr)),	\
	}

struct vm_area_struct *vma_next(struct vma_iterator *vmi);
struct vm_area_struct *vma_prev(struct vma_iterator *vmi);
struct vm_area_struct *vma_find(struct vma_iterator *vmi, unsigned long max);
void vma_iter_set(struct vma_iterator *vmi, unsigned long addr);
void vma_iter_config(struct vma_iterator *vmi, unsigned long index,
		     unsigned long last_excl);
int vma_iter_prealloc(struct vma_iterator *vmi, struct vm_area_struct *vma);
void vma_iter_store_new(struct vma_iterator *vmi, struct vm_area_struct *vma);
int vma_iter_store_gfp(struct vma_iterator *vmi, struct vm_area_struct *vma,
		       gfp_t gfp);
int vma_iter_clear_gfp(struct vma_iterator *vmi, unsigned long start,
		       unsigned long end, gfp_t gfp);
void vma_iter_free(struct vma_iterator *vmi);

#define for_each_vma(__vmi, __vma)					\
	while (((__vma) = vma_next(&(__vmi))) != NULL)

#define for_each_vma_range(__vmi, __vma, __end)				\
	while (((__vma) = vma_find(&(__vmi), (__end))) != NULL)

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev);
struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr);

static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

/* ---- VMA operations (mm/vma.c, mm/mmap.c) --------------------------- */

unsigned long get_unmapped_area(struct mm_struct *mm, struct vm_file *file,
				unsigned long addr, unsigned long len,
				unsigned long pgoff, unsigned long flags,
				vm_flags_t vm_flags);
unsigned long do_mmap(struct mm_struct *mm, struct vm_file *file,
		      unsigned long addr, unsigned long len, unsigned long prot,
		      unsigned long flags, unsigned long pgoff);
int do_vmi_munmap(struct vma_iterator *vmi, struct mm_struct *mm,
		  unsigned long start, unsigned long len);
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len);
int do_mprotect_pkey(struct mm_struct *mm, unsigned long start,
		     unsigned long len, unsigned long prot, int pkey);
unsigned long do_brk_syscall(struct mm_struct *mm, unsigned long brk);

/**
 * do_madvise - madvise(2): the advice that changes vm_flags (DONTFORK,
 * DOFORK, WIPEONFORK, KEEPONFORK, DONTDUMP, DODUMP, NORMAL, SEQUENTIAL,
 * RANDOM, HUGEPAGE, NOHUGEPAGE, MERGEABLE, UNMERGEABLE) splits and merges;
 * other valid advice leaves the layout alone.
 * @mm: the mm (write-locked)
 * @start: first address
 * @len: length
 * @behavior: MADV_* value
 * Return: 0 or -errno as Linux 6.18 (-ENOMEM for unmapped parts, after
 * advising the mapped ones).
 */
int do_madvise(struct mm_struct *mm, unsigned long start, unsigned long len,
	       int behavior);

/**
 * do_mlock - mlock(2) / mlock2(2) (@flags MLOCK_ONFAULT).
 * @mm: the mm (write-locked)
 * @start: first address
 * @len: length
 * @flags: 0 or MLOCK_ONFAULT
 * Return: 0 or -errno.
 */
int do_mlock(struct mm_struct *mm, unsigned long start, unsigned long len,
	     unsigned int flags);
int do_munlock(struct mm_struct *mm, unsigned long start, unsigned long len);
int do_mlockall(struct mm_struct *mm, int flags);
int do_munlockall(struct mm_struct *mm);

/**
 * do_mseal - mseal(2): seal [start, start + len); sealed VMAs refuse
 * munmap, mprotect, mremap and destructive madvise with -EPERM.
 * @mm: the mm (write-locked)
 * @start: first address
 * @len: length
 * @flags: must be 0
 * Return: 0 or -errno.
 */
int do_mseal(struct mm_struct *mm, unsigned long start, unsigned long len,
	     unsigned long flags);

/**
 * do_mremap - mremap(2): shrink, expand in place, move (MREMAP_MAYMOVE),
 * MREMAP_FIXED, MREMAP_DONTUNMAP, multi-VMA moves (6.17+).
 * @mm: the mm (write-locked)
 * @addr: old address
 * @old_len: old length
 * @new_len: new length
 * @flags: MREMAP_* flags
 * @new_addr: new address for MREMAP_FIXED
 * Return: the new address or -errno.
 */
unsigned long do_mremap(struct mm_struct *mm, unsigned long addr,
			unsigned long old_len, unsigned long new_len,
			unsigned long flags, unsigned long new_addr);

/**
 * dup_mmap - fork(2)'s copy of an address space: __mt_dup() of the tree,
 * then each entry replaced by the child's copy of the VMA; VM_DONTCOPY
 * VMAs erased, VM_WIPEONFORK ones without anon_vma, VM_LOCKED cleared.
 * On failure part-way, undo_dup_mmap(): everything copied so far is
 * unmapped, the tree destroyed, nothing leaked, @oldmm untouched.
 * @mm: the child's mm, fresh from mm_init() with @oldmm's layout
 * @oldmm: the parent
 * Return: 0 or -ENOMEM.
 */
int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm);

/**
 * vma_touch - write to the pages of [start, end): gives private writable
 * VMAs in the range their anon_vma, as a write fault would (a log has no
 * page faults; this is the fault model's and the scenarios' hook).
 * @mm: the address space
 * @start: first address
 * @end: end address (exclusive)
 *
 * Return: 0, or -EFAULT if part of the range is not mapped.
 */
int vma_touch(struct mm_struct *mm, unsigned long start, unsigned long end);

/* ---- /proc/PID/maps and validation ---------------------------------- */

/**
 * mm_show_maps - print an mm exactly as /proc/PID/maps would.
 * @mm: the address space (read-locked by the caller or quiescent)
 * @out: the stream
 *
 * Includes the [vsyscall] gate line at the end (not a VMA of the mm), as
 * x86-64 Linux does.
 * Return: 0, or -errno on a write error.
 */
int mm_show_maps(struct mm_struct *mm, FILE *out);

/**
 * mm_maps_text - mm_show_maps() into a malloc'd string.
 * @mm: the address space; read-locked here, not by the caller
 * @len: if not NULL, receives the text's length
 * Return: the NUL-terminated text (to free()), or NULL without memory.
 */
char *mm_maps_text(struct mm_struct *mm, size_t *len);

/**
 * mm_load_maps - populate an empty mm from a /proc/PID/maps snapshot.
 * @mm: an mm just made by mm_init()
 * @in: the snapshot
 * @name: the snapshot's name, for error messages ("NAME:LINE: ...")
 * @err: if not NULL, receives a malloc'd message on failure
 *
 * Each line becomes one VMA (adjacent lines are not merged).  Files are
 * matched by path, device and inode: lines of one file share one
 * struct vm_file, as if mapped through one open file description.
 * "[heap]" sets start_brk/brk, "[stack]" start_stack and VM_GROWSDOWN,
 * "[vdso]"/"[vvar]"/"[vvar_vclock]" become special mappings, "[vsyscall]"
 * is skipped.  Writable private mappings get VM_ACCOUNT; anonymous and
 * file-private writable VMAs are marked faulted (anon_vma) as a running
 * process's would be.
 * Return: 0, or -EINVAL for a malformed line.
 */
int mm_load_maps(struct mm_struct *mm, FILE *in, const char *name, char **err);

/**
 * mm_validate - check an mm's invariants.
 * @mm: the address space
 *
 * VMAs sorted, non-overlapping, page-aligned and non-empty; map_count
 * equals the number of VMAs; the tree is valid (mt_validate); no two
 * neighbours that Linux 6.18 would have merged; total_vm, data_vm,
 * exec_vm, stack_vm, locked_vm and committed equal their sums.
 * Prints the first violation to stderr.
 * Return: 0, or -EINVAL.
 */
int mm_validate(struct mm_struct *mm);

/**
 * vma_is_mergeable - could @a (left) and @b (right, adjacent) be one VMA?
 * Linux 6.18's rules: same flags (VM_SOFTDIRTY aside), same file
 * description with contiguous offsets, compatible anon_vmas, no special
 * flags.  Used by mm_validate() and the merge code.
 */
bool vma_is_mergeable(const struct vm_area_struct *a,
		      const struct vm_area_struct *b);

#ifdef __cplusplus
}
#endif

#endif /* VMASIM_VMA_H */
