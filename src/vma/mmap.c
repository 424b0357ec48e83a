/* SPDX-License-Identifier: MIT */
/*
 * mmap.c - mmap(2): choosing the address (get_unmapped_area and its
 * top-down, bottom-up and THP-aligned searches on the tree's gaps),
 * do_mmap()'s checks and flags, and mmap_region(), which merges the new
 * range with a neighbour or inserts a new VMA, over existing mappings if
 * MAP_FIXED says so.  x86-64 Linux 6.18 behaviour.
 *
 * DOC: Address selection
 *
 * Top-down (the default): a hint is taken if [hint, hint + len) is free up
 * to the guard-extended start of the next VMA; otherwise the highest gap of
 * the length below mmap_base (mas_empty_area_rev on [max(PAGE_SIZE,
 * mmap_min_addr), mmap_base - 1]), retried lower if a growsdown VMA's guard
 * gap reaches into it, and bottom-up from TASK_UNMAPPED_BASE if nothing
 * fits.  Private anonymous mappings without a hint whose length is a
 * multiple of 2 MiB are placed 2 MiB-aligned: search for len + 2 MiB, then
 * take the aligned start (the top of the padded gap if its start is
 * already aligned).
 */
#include "madvise.h"
#include "vma_internal.h"

struct vm_unmapped_area_info {
	bool topdown;
	unsigned long length;
	unsigned long low_limit;
	unsigned long high_limit;	/* exclusive */
	unsigned long align_mask;
	unsigned long align_offset;
	unsigned long start_gap;
};

static unsigned long unmapped_area(struct mm_struct *mm,
				   struct vm_unmapped_area_info *info)
{
	unsigned long length = info->length + info->align_mask + info->start_gap;
	unsigned long low_limit = info->low_limit, gap;
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *tmp;

	if (length < info->length)
		return -ENOMEM;
	if (low_limit < mm->limits.mmap_min_addr)
		low_limit = mm->limits.mmap_min_addr;
retry:
	if (low_limit >= info->high_limit ||
	    mas_empty_area(&vmi.mas, low_limit, info->high_limit - 1, length))
		return -ENOMEM;
	gap = vmi.mas.index + info->start_gap;
	gap += (info->align_offset - gap) & info->align_mask;
	tmp = vma_next(&vmi);
	if (tmp && (tmp->vm_flags & VM_STARTGAP_FLAGS)) {
		if (vm_start_gap(tmp) < gap + length - 1) {
			low_limit = tmp->vm_end;
			vma_iter_set(&vmi, 0);
			goto retry;
		}
	} else {
		tmp = vma_prev(&vmi);
		if (tmp && vm_end_gap(tmp) > gap) {
			low_limit = vm_end_gap(tmp);
			vma_iter_set(&vmi, 0);
			goto retry;
		}
	}
	return gap;
}

static unsigned long unmapped_area_topdown(struct mm_struct *mm,
					   struct vm_unmapped_area_info *info)
{
	unsigned long length = info->length + info->align_mask + info->start_gap;
	unsigned long low_limit = info->low_limit, high_limit = info->high_limit;
	unsigned long gap, gap_end;
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *tmp;

	if (length < info->length)
		return -ENOMEM;
	if (low_limit < mm->limits.mmap_min_addr)
		low_limit = mm->limits.mmap_min_addr;
retry:
	if (low_limit >= high_limit ||
	    mas_empty_area_rev(&vmi.mas, low_limit, high_limit - 1, length))
		return -ENOMEM;
	gap_end = vmi.mas.last + 1;
	gap = gap_end - info->length;
	gap -= (gap - info->align_offset) & info->align_mask;
	tmp = vma_next(&vmi);
	if (tmp && (tmp->vm_flags & VM_STARTGAP_FLAGS)) {
		if (vm_start_gap(tmp) < gap_end) {
			high_limit = vm_start_gap(tmp);
			if (high_limit < low_limit)
				return -ENOMEM;
			vma_iter_set(&vmi, 0);
			goto retry;
		}
	} else {
		tmp = vma_prev(&vmi);
		if (tmp && vm_end_gap(tmp) > gap) {
			high_limit = tmp->vm_start;
			vma_iter_set(&vmi, 0);
			goto retry;
		}
	}
	return gap;
}

static bool mmap_address_hint_valid(unsigned long addr, unsigned long len)
{
	if (TASK_SIZE - len < addr)
		return false;
	return (addr > DEFAULT_MAP_WINDOW) == (addr + len > DEFAULT_MAP_WINDOW);
}

/* x86's arch_get_unmapped_area (bottom-up). */
static unsigned long arch_get_unmapped_area(struct mm_struct *mm, unsigned long addr,
					    unsigned long len, unsigned long pgoff,
					    unsigned long flags)
{
	struct vm_unmapped_area_info info = {
		.length = len,
		.low_limit = TASK_UNMAPPED_BASE,
		.high_limit = TASK_SIZE,
		.align_offset = pgoff << PAGE_SHIFT,
	};
	struct vm_area_struct *vma;

	if (flags & MAP_FIXED)
		return addr;
	/* x86's find_start_end: MAP_32BIT maps in [1 GiB, 2 GiB). */
	if (flags & MAP_32BIT) {
		info.low_limit = 0x40000000UL;
		info.high_limit = 0x80000000UL;
	}
	if (len > info.high_limit)
		return -ENOMEM;
	if (addr) {
		addr = PAGE_ALIGN(addr);
		vma = find_vma(mm, addr);
		if (info.high_limit - len >= addr &&
		    (!vma || addr + len <= vm_start_gap(vma)))
			return addr;
	}
	return unmapped_area(mm, &info);
}

/* x86's arch_get_unmapped_area_topdown. */
static unsigned long arch_get_unmapped_area_topdown(struct mm_struct *mm,
						    unsigned long addr0,
						    unsigned long len,
						    unsigned long pgoff,
						    unsigned long flags)
{
	struct vm_unmapped_area_info info = {
		.topdown = true,
		.length = len,
		.low_limit = PAGE_SIZE,
		.high_limit = mm->mmap_base,
		.align_offset = pgoff << PAGE_SHIFT,
	};
	unsigned long addr = addr0;
	struct vm_area_struct *vma;

	if (len > TASK_SIZE)
		return -ENOMEM;
	if (flags & MAP_FIXED)
		return addr;
	if (flags & MAP_32BIT)
		return arch_get_unmapped_area(mm, addr0, len, pgoff, flags);
	if (addr) {
		addr &= PAGE_MASK;
		if (mmap_address_hint_valid(addr, len)) {
			vma = find_vma(mm, addr);
			if (!vma || addr + len <= vm_start_gap(vma))
				return addr;
		}
	}
	addr = unmapped_area_topdown(mm, &info);
	if (PAGE_ALIGNED(addr))
		return addr;
	return arch_get_unmapped_area(mm, addr0, len, pgoff, flags);
}

static unsigned long mm_get_unmapped_area(struct mm_struct *mm, unsigned long addr,
					  unsigned long len, unsigned long pgoff,
					  unsigned long flags)
{
	if (mm->legacy_layout)
		return arch_get_unmapped_area(mm, addr, len, pgoff, flags);
	return arch_get_unmapped_area_topdown(mm, addr, len, pgoff, flags);
}

/*
 * mm/huge_memory.c's __thp_get_unmapped_area: anonymous memory of a
 * multiple of 2 MiB without a hint, and every mapping of a file whose file
 * system uses thp_get_unmapped_area() (a hint is tried with the padded
 * length, and kept only if that fits).
 */
static unsigned long thp_get_unmapped_area(struct mm_struct *mm, unsigned long addr,
					   unsigned long len, unsigned long pgoff,
					   unsigned long flags)
{
	unsigned long off = pgoff << PAGE_SHIFT, size = PMD_SIZE;
	unsigned long off_end = off + len, off_align = (off + size - 1) & ~(size - 1);
	unsigned long len_pad = len + size, ret, off_sub;

	if (off_end <= off_align || off_end - off_align < size ||
	    len_pad < len || off + len_pad < off)
		goto fallback;
	ret = mm_get_unmapped_area(mm, addr, len_pad, pgoff, flags);
	if (IS_ERR_VALUE(ret))
		goto fallback;
	if (ret == addr)
		return addr;
	off_sub = (off - ret) & (size - 1);
	if (!mm->legacy_layout && !off_sub)
		return ret + size;
	return ret + off_sub;
fallback:
	return mm_get_unmapped_area(mm, addr, len, pgoff, flags);
}

/**
 * get_unmapped_area - choose the address of a new mapping.
 * @mm: the mm (locked)
 * @file: the file, or NULL for anonymous memory
 * @addr: the hint, or the address with MAP_FIXED
 * @len: the length (page aligned)
 * @pgoff: the file offset in pages
 * @flags: mmap flags
 * @vm_flags: the mapping's flags (unused on x86 without shadow stacks)
 *
 * Return: the address, or -ENOMEM (no room), -EINVAL (unaligned MAP_FIXED).
 */
unsigned long get_unmapped_area(struct mm_struct *mm, struct vm_file *file,
				unsigned long addr, unsigned long len,
				unsigned long pgoff, unsigned long flags,
				vm_flags_t vm_flags)
{
	(void)vm_flags;
	if (len > TASK_SIZE)
		return -ENOMEM;
	if (!file)
		pgoff = 0;
	if (file && file->thp_get_area)
		addr = thp_get_unmapped_area(mm, addr, len, pgoff, flags);
	else if (!file && !(flags & MAP_SHARED) && !addr &&
		 !(len & (PMD_SIZE - 1)))
		addr = thp_get_unmapped_area(mm, addr, len, pgoff, flags);
	else
		addr = mm_get_unmapped_area(mm, addr, len, pgoff, flags);
	if (IS_ERR_VALUE(addr))
		return addr;
	if (addr > TASK_SIZE - len)
		return -ENOMEM;
	if (!PAGE_ALIGNED(addr))
		return -EINVAL;
	return addr;
}

static bool accountable_mapping(vm_flags_t vm_flags)
{
	return (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE;
}

/* A shared anonymous mapping is backed by its own shmem file. */
static struct vm_file *shmem_zero_file(void)
{
	static unsigned long shmem_ino = 1;
	struct vm_file *file = vm_file_new("/dev/zero", 0, 1,
					   __atomic_add_fetch(&shmem_ino, 1, __ATOMIC_RELAXED),
					   true, true);

	if (file) {
		file->deleted = true;
		file->shmem = true;
	}
	return file;
}

/**
 * mmap_region - map [addr, addr + len) with @vm_flags: merge with a
 * neighbour, or insert a new VMA; mappings already there are gathered into
 * the side tree first and freed only once the new VMA is in.
 * @mm: the mm (write-locked)
 * @file: the file or NULL
 * @addr: the address (chosen already)
 * @len: the length
 * @vm_flags: the flags
 * @pgoff: the offset in pages
 *
 * Return: @addr, or -ENOMEM with the old mappings intact.
 */
static unsigned long mmap_region(struct mm_struct *mm, struct vm_file *file,
				 unsigned long addr, unsigned long len,
				 vm_flags_t vm_flags, unsigned long pgoff)
{
	unsigned long end = addr + len, pglen = len >> PAGE_SHIFT, charged = 0;
	VMA_ITERATOR(vmi, mm, addr);
	struct vma_munmap_struct vms;
	struct vm_area_struct *vma, *prev, *next;
	bool gathered = false;
	int error;

	vma = vma_find(&vmi, end);
	init_vma_munmap(&vms, &vmi, vma, addr, end);
	if (vma) {
		error = vms_gather_munmap_vmas(&vms);
		if (error)
			return error;
		gathered = true;
		prev = vms.prev;
		next = vms.next;
	} else {
		vma_iter_set(&vmi, addr);
		prev = vma_prev(&vmi);
		vma_iter_set(&vmi, end);
		next = vma_find(&vmi, ULONG_MAX);
	}

	error = -ENOMEM;
	if (!may_expand_vm(mm, vm_flags, pglen - vms.nr_pages))
		goto abort;
	if (accountable_mapping(vm_flags)) {
		charged = pglen - vms.nr_accounted;
		vms.nr_accounted = 0;
		vm_flags |= VM_ACCOUNT;
	}

	vma = NULL;
	vma_iter_set(&vmi, addr);
	if (prev || next) {
		struct vma_merge_struct vmg = {
			.mm = mm, .vmi = &vmi, .prev = prev, .next = next,
			.start = addr, .end = end, .pgoff = pgoff,
			.vm_flags = vm_flags, .file = file,
		};

		vma = vma_merge_new_range(&vmg);
		if (!vma && vmg.nomem)
			goto abort;
	}
	if (!vma) {
		vma = vm_area_alloc(mm);
		if (!vma)
			goto abort;
		vma->vm_start = addr;
		vma->vm_end = end;
		vma->vm_pgoff = pgoff;
		vma->vm_flags = vm_flags;
		if (file) {
			vma->vm_file = get_file(file);
		} else if (vm_flags & VM_SHARED) {
			vma->vm_file = shmem_zero_file();
			if (!vma->vm_file) {
				vm_area_free(vma);
				goto abort;
			}
		}
		vma_iter_config(&vmi, addr, end);
		if (vma_iter_prealloc(&vmi, vma)) {
			remove_vma(vma);
			goto abort;
		}
		vma_iter_store_new(&vmi, vma);
		mm->map_count++;
	}

	if (gathered)
		vms_complete_munmap_vmas(mm, &vms);
	mm->committed += charged;
	vm_stat_account(mm, vma->vm_flags, pglen);
	if (vm_flags & VM_LOCKED) {
		if (vm_flags & VM_SPECIAL)
			vma->vm_flags &= ~VM_LOCKED_MASK;
		else
			mm->locked_vm += pglen;
	}
	return addr;

abort:
	if (gathered)
		vms_abort_munmap_vmas(&vms);
	return error;
}

/**
 * do_mmap - mmap(2) on an mm.
 * @mm: the mm (write-locked)
 * @file: the open file description, or NULL with MAP_ANONYMOUS
 * @addr: hint or fixed address
 * @len: length
 * @prot: PROT_* bits
 * @flags: MAP_* flags
 * @pgoff: offset in pages
 *
 * Return: the address, or -errno as Linux 6.18 returns it.
 */
unsigned long do_mmap(struct mm_struct *mm, struct vm_file *file,
		      unsigned long addr, unsigned long len, unsigned long prot,
		      unsigned long flags, unsigned long pgoff)
{
	vm_flags_t vm_flags;

	mmap_assert_write_locked(mm);
	if (!len)
		return -EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED)) {
		addr &= PAGE_MASK;
		if (addr && addr < mm->limits.mmap_min_addr)
			addr = PAGE_ALIGN(mm->limits.mmap_min_addr);
	}
	len = PAGE_ALIGN(len);
	if (!len)
		return -ENOMEM;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (mm->map_count > mm->limits.max_map_count)
		return -ENOMEM;

	vm_flags = calc_vm_prot_bits(prot) | mm->def_flags | VM_MAYREAD |
		   VM_MAYWRITE | VM_MAYEXEC;
	if (flags & MAP_GROWSDOWN)
		vm_flags |= VM_GROWSDOWN;
	if (flags & MAP_LOCKED)
		vm_flags |= VM_LOCKED;
	if (flags & MAP_SYNC)
		vm_flags |= VM_SYNC;
	if (flags & MAP_STACK)
		vm_flags |= VM_NOHUGEPAGE;

	/* Address before type checks, as Linux orders them. */
	addr = get_unmapped_area(mm, file, addr, len, pgoff, flags, vm_flags);
	if (IS_ERR_VALUE(addr))
		return addr;
	if (flags & MAP_FIXED_NOREPLACE) {
		VMA_ITERATOR(vmi, mm, addr);

		if (vma_find(&vmi, addr + len))
			return -EEXIST;
	}

	if (file) {
		switch (flags & MAP_TYPE) {
		case MAP_SHARED:
		case MAP_SHARED_VALIDATE:
			if ((flags & MAP_TYPE) == MAP_SHARED_VALIDATE &&
			    (flags & ~(LEGACY_MAP_MASK | MAP_SYNC | MAP_FIXED_NOREPLACE)))
				return -EOPNOTSUPP;
			if ((prot & PROT_WRITE) && !file->writable)
				return -EACCES;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			if (!file->writable)
				vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
			/* fall through */
		case MAP_PRIVATE:
			if (!file->readable)
				return -EACCES;
			if (vm_flags & VM_GROWSDOWN)
				return -EINVAL;
			break;
		default:
			return -EINVAL;
		}
	} else {
		/* MAP_SHARED_VALIDATE is for files only: -EINVAL here (live). */
		switch (flags & MAP_TYPE) {
		case MAP_SHARED:
			if (vm_flags & VM_GROWSDOWN)
				return -EINVAL;
			pgoff = 0;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			break;
		case MAP_DROPPABLE:
			/* Locked or stack memory cannot be droppable. */
			if ((flags & MAP_LOCKED) || (vm_flags & VM_GROWSDOWN))
				return -EINVAL;
			/* Droppable pages are neither reserved, inherited
			 * across fork, nor dumped. */
			vm_flags |= VM_DROPPABLE | VM_NORESERVE | VM_WIPEONFORK |
				    VM_DONTDUMP;
			/* fall through */
		case MAP_PRIVATE:
			pgoff = addr >> PAGE_SHIFT;
			break;
		default:
			return -EINVAL;
		}
	}
	if ((flags & MAP_NORESERVE) && !mm->limits.overcommit_never)
		vm_flags |= VM_NORESERVE;

	addr = mmap_region(mm, file, addr, len, vm_flags, pgoff);
	/* Locked or MAP_POPULATE mappings are faulted in at once: private
	 * writable ones get their anon_vma, which changes later merges. */
	if (!IS_ERR_VALUE(addr) &&
	    ((vm_flags & VM_LOCKED) || (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE))
		mm_populate(mm, addr, len);
	/*
	 * Memory mapped writable with no swap reservation is meant to be
	 * touched sparsely and late (sanitizer shadows): a recording of an
	 * ASan program showed Linux merging such a fresh mapping with its
	 * neighbours, which it does only while it has no anon_vma.  Memory
	 * reserved that way and made writable later with mprotect() (malloc
	 * arenas, V8's heap) is written at once, as node showed.
	 */
	if (!IS_ERR_VALUE(addr) && !(vm_flags & VM_NORESERVE))
		vma_fault_model_write(mm, addr, addr + len);
	return addr;
}
