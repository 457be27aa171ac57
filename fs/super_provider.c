// SPDX-License-Identifier: GPL-2.0
/*
 * The superblock as a shrinker provider: its dcache, icache and
 * filesystem-private caches, counted and scanned as super_cache_count()
 * and super_cache_scan() always did, and sized in bytes.
 *
 * A dentry on the LRU is unused, but unless it is negative it pins its
 * inode, which then is on no LRU.  So an instance is sized as its dentries
 * with an inode each plus its LRU inodes, and capped at the reclaimable
 * slab objcg charged to its memcg on its node: an estimate from above,
 * bounded by what the slab controller knows.  What a scan freed, which
 * memcg reclaim counts as progress, is each object at its own size.
 */
#include <linux/fs.h>
#include <linux/list_lru.h>
#include <linux/minmax.h>
#include <linux/shrinker_provider.h>

#include "internal.h"

/* Every dentry comes from one cache; every inode of a sb from one, mostly. */
static unsigned int dentry_bytes;

static unsigned long super_obj_bytes(struct super_block *sb,
				     struct shrinker *shrink,
				     unsigned int *dsize)
{
	unsigned long isize = READ_ONCE(shrink->obj_size);
	struct inode *inode;

	*dsize = READ_ONCE(dentry_bytes);
	if (!*dsize && sb->s_root) {
		*dsize = shrinker_slab_obj_size(sb->s_root);
		WRITE_ONCE(dentry_bytes, *dsize);
	}
	if (isize)
		return isize;
	spin_lock(&sb->s_inode_list_lock);
	inode = list_first_entry_or_null(&sb->s_inodes, struct inode,
					 i_sb_list);
	if (inode)
		isize = shrinker_slab_obj_size(inode);
	spin_unlock(&sb->s_inode_list_lock);
	WRITE_ONCE(shrink->obj_size, isize);
	return isize;
}

static unsigned long super_cache_bytes(struct shrinker *shrink,
				       struct shrink_control *sc,
				       unsigned long count)
{
	struct super_block *sb = shrink->private_data;
	unsigned long dentries, inodes, fs_objects = 0, isize, bytes;
	unsigned int dsize;

	/* as super_cache_count(): a sb being set up is not looked into */
	if (!(sb->s_flags & SB_BORN))
		return 0;
	/* pairs with the barrier before SB_BORN is set in vfs_get_tree() */
	smp_rmb();

	isize = super_obj_bytes(sb, shrink, &dsize);
	if (!isize || !dsize)
		return 0;
	if (sb->s_op && sb->s_op->nr_cached_objects)
		fs_objects = sb->s_op->nr_cached_objects(sb, sc);
	dentries = list_lru_shrink_count(&sb->s_dentry_lru, sc);
	inodes = list_lru_shrink_count(&sb->s_inode_lru, sc);

	bytes = dentries * (dsize + isize) + (inodes + fs_objects) * isize;
	/*
	 * Only the dentries and inodes on this memcg's lists are surely
	 * charged to it: a dentry may be negative, and the filesystem's
	 * own objects may be the whole mount's.
	 */
	return shrinker_slab_cap(sc->memcg, sc->nid, bytes,
				 dentries * dsize + inodes * isize);
}

/*
 * super_cache_scan() prunes dentries, then inodes, then the filesystem's
 * own objects, and returns the sum of what its walks took off the LRUs,
 * as 6.12 counted it: a dentry or an inode still in use, or an inode with
 * dirty or pinned pages, is taken off and counted though not freed, and
 * what is freed goes back to the slab after an RCU grace period.  A
 * dentry freed releases its inode, if still linked, to the inode LRU,
 * where the same call's prune may take it.  So the dentries are those
 * that left the dentry LRU during the call, at most all it counted, at a
 * dentry's size, and the rest inodes at an inode's.  Another task adding
 * to or taking from the same list meanwhile moves objects between the
 * two sizes.  Not counted: parents a freed dentry's kill frees, inodes
 * evicted at once (unlinked), the page cache an inode's prune drops.
 */
static unsigned long super_cache_scan_bytes(struct shrinker *shrink,
					    struct shrink_control *sc,
					    unsigned long *freed_bytes)
{
	struct super_block *sb = shrink->private_data;
	unsigned long before, after, freed, dentries, isize;
	unsigned int dsize;

	before = list_lru_shrink_count(&sb->s_dentry_lru, sc);
	freed = super_cache_scan(shrink, sc);
	if (freed == SHRINK_STOP || !freed)
		return freed;
	after = list_lru_shrink_count(&sb->s_dentry_lru, sc);
	dentries = before > after ? min(before - after, freed) : 0;
	isize = super_obj_bytes(sb, shrink, &dsize);
	*freed_bytes = dentries * dsize + (freed - dentries) * isize;
	return freed;
}

static const struct shrinker_provider super_provider = {
	.name	= "super",
	.count	= super_cache_count,
	.scan	= super_cache_scan,
	.bytes	= super_cache_bytes,
	.scan_bytes = super_cache_scan_bytes,
};

void super_shrinker_set_provider(struct shrinker *shrink)
{
	shrinker_set_provider(shrink, &super_provider);
}
