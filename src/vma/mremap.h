/* SPDX-License-Identifier: MIT */
/*
 * mremap.h - the flag values of mremap(2) (include/uapi/linux/mman.h,
 * the same on every architecture), for do_mremap() in mremap.c, which
 * owns this header, and for its callers and tests.
 */
#ifndef VMASIM_MREMAP_H
#define VMASIM_MREMAP_H

#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE		1	/* may move the mapping to grow it */
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED		2	/* move to new_addr, unmapping what is there */
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP	4	/* move the pages, keep the old mapping */
#endif

#endif /* VMASIM_MREMAP_H */
