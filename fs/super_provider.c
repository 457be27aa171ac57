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
 * bounded by what the slab controller knows.  What freeing gives back,
 * which memcg reclaim counts as progress, is each object at its own size.
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

/*
 * @pinned: count each LRU dentry's inode with it, as its size; not as what
 * freeing it gives back: a dentry freed puts its inode, when it held the
 * last reference and the inode is still linked, on the inode LRU, where
 * the icache frees it and counts it apart.
 */
static unsigned long super_cache_size(struct shrinker *shrink,
				      struct shrink_control *sc, bool pinned)
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

	bytes = dentries * (dsize + (pinned ? isize : 0)) +
		(inodes + fs_objects) * isize;
	return min(bytes, shrinker_slab_bytes(sc->memcg, sc->nid));
}

static unsigned long super_cache_bytes(struct shrinker *shrink,
				       struct shrink_control *sc,
				       unsigned long count)
{
	return super_cache_size(shrink, sc, true);
}

static unsigned long super_cache_freed_size(struct shrinker *shrink,
					    struct shrink_control *sc,
					    unsigned long count)
{
	return super_cache_size(shrink, sc, false);
}

static const struct shrinker_provider super_provider = {
	.name	= "super",
	.count	= super_cache_count,
	.scan	= super_cache_scan,
	.bytes	= super_cache_bytes,
	.freed_size = super_cache_freed_size,
};

void super_shrinker_set_provider(struct shrinker *shrink)
{
	shrinker_set_provider(shrink, &super_provider);
}
