/* SPDX-License-Identifier: MIT */
/*
 * gfp.h - allocation-context flags, after the kernel's gfp_t.
 *
 * Only the distinction that matters to the tree is modelled: GFP_KERNEL may
 * "sleep" (the maple tree may drop its internal lock around it and retry),
 * GFP_NOWAIT may not.  Fault injection (<mtree/alloc.h>) can fail each kind
 * separately.
 */
#ifndef MTREE_GFP_H
#define MTREE_GFP_H

typedef unsigned int gfp_t;

#define __GFP_IO		0x040u
#define __GFP_FS		0x080u
#define __GFP_DIRECT_RECLAIM	0x400u
#define __GFP_KSWAPD_RECLAIM	0x800u
#define __GFP_NOWARN		0x2000u
#define __GFP_ZERO		0x100u
/* Internal to libmtree: the allocation must not fail; fault injection does
 * not apply and real exhaustion aborts.  Used only by the prealloc
 * fallback, which the API promises never fails. */
#define __GFP_NOFAIL		0x8000u

#define GFP_NOWAIT	(__GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL	(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM | \
			 __GFP_IO | __GFP_FS)

static inline int gfpflags_allow_blocking(gfp_t gfp)
{
	return (gfp & __GFP_DIRECT_RECLAIM) != 0;
}

#endif /* MTREE_GFP_H */
