// SPDX-License-Identifier: GPL-2.0
/*
 * The objcg slab provider: what the slab controller knows of a memcg's
 * reclaimable slab, for providers whose objects live there.
 *
 * objcg charges every SLAB_RECLAIM_ACCOUNT object to its memcg and node as
 * it is allocated and freed, in bytes; memory.stat shows the sum as
 * slab_reclaimable.  Reading those figures costs the slab hot path
 * nothing it does not pay already.  A provider counts its objects, but
 * one object can pin others (a dentry its inode), so its own figure is an
 * estimate; the charged bytes bound it from above.
 *
 * When a memcg goes offline, memcg_reparent_objcgs() hands its charges to
 * the parent and reparent_shrinker_deferred() its instances, in the same
 * offline step; neither holds a reference to the memcg afterwards.
 */
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/shrinker_provider.h>
#include <linux/vmstat.h>

#include "../slab.h"

/**
 * shrinker_slab_bytes - reclaimable slab bytes charged to a memcg on a node
 * @memcg: the memcg, with its descendants; NULL or the root for the node
 * @nid: the node
 *
 * Reads the memcg's statistics without flushing them, so the figure lags
 * the charges made since the last flush, nominally 2 s old but deferrable
 * and skipped while few updates are pending: shrinker_slab_cap() flushes
 * when the figure is below what is known to be charged.  Descendants are
 * included: objects of a removed child are reparented to its parent's
 * lists, while their charges stay in the dead child's local figures.
 *
 * Return: bytes, what memory.stat and memory.numa_stat call slab_reclaimable.
 */
unsigned long shrinker_slab_bytes(struct mem_cgroup *memcg, int nid)
{
	pg_data_t *pgdat = NODE_DATA(nid);

	if (!memcg || mem_cgroup_disabled() || mem_cgroup_is_root(memcg))
		return node_page_state_pages(pgdat, NR_SLAB_RECLAIMABLE_B) <<
		       PAGE_SHIFT;
	return lruvec_page_state(mem_cgroup_lruvec(memcg, pgdat),
				 NR_SLAB_RECLAIMABLE_B);
}
EXPORT_SYMBOL_GPL(shrinker_slab_bytes);

/*
 * Flushes for a figure that cuts an estimate, which it may do rightly,
 * are one every SHRINKER_SLAB_FLUSH_GAP at most, system-wide: reclaim
 * sizes an instance on every pass.
 */
#define SHRINKER_SLAB_FLUSH_GAP	(HZ / 10)

static unsigned long shrinker_slab_flushed;

static bool shrinker_slab_flush_due(void)
{
	unsigned long last = READ_ONCE(shrinker_slab_flushed);
	unsigned long now = jiffies;

	if (time_before(now, last + SHRINKER_SLAB_FLUSH_GAP))
		return false;
	return cmpxchg(&shrinker_slab_flushed, last, now) == last;
}

/**
 * shrinker_slab_cap - bound an estimate by a memcg's charged reclaimable slab
 * @memcg: as for shrinker_slab_bytes()
 * @nid: the node
 * @bytes: a provider's estimate of its objects' bytes
 * @floor: bytes the provider knows are charged there, 0 if none
 *
 * A memcg's statistics are flushed by a periodic worker, nominally every
 * 2 s, and a memcg filled since the last flush reads as what it held
 * then: capped by that, a full instance would be sized at a few pages,
 * and an OOM decision would find none of its queued work worth waiting
 * for.  So a figure that cuts @bytes is flushed and read again: always
 * when it is below @floor, as it is stale then, otherwise at most once
 * every SHRINKER_SLAB_FLUSH_GAP system-wide, as a flush takes the global
 * rstat lock and an estimate above the charged slab (objects priced with
 * others they may not pin) is common.  mem_cgroup_flush_stats() flushes
 * only once about 64 pages a CPU of updates are pending, so on a machine
 * of many CPUs a small memcg may still read low; the cap is never below
 * @floor.  May sleep.
 *
 * Return: @bytes, or the charged bytes if fewer, but not less than @floor.
 */
unsigned long shrinker_slab_cap(struct mem_cgroup *memcg, int nid,
				unsigned long bytes, unsigned long floor)
{
	unsigned long slab;

	might_sleep();
	slab = shrinker_slab_bytes(memcg, nid);
	/* the root's figure is the node's vmstat: nothing to flush */
	if (slab < bytes && memcg && !mem_cgroup_disabled() &&
	    !mem_cgroup_is_root(memcg) &&
	    (slab < floor || shrinker_slab_flush_due())) {
		mem_cgroup_flush_stats(memcg);
		slab = shrinker_slab_bytes(memcg, nid);
	}
	return min(bytes, max(slab, floor));
}
EXPORT_SYMBOL_GPL(shrinker_slab_cap);

/**
 * shrinker_slab_obj_size - the bytes a slab object is charged for
 * @obj: an object from a kmem_cache
 *
 * Return: its cache's object size with its objcg pointer where kmem
 * accounting is on, as objcg charges it; 0 if @obj is not a slab object.
 */
unsigned int shrinker_slab_obj_size(const void *obj)
{
	struct slab *slab;

	if (!obj || !virt_addr_valid(obj))
		return 0;
	slab = virt_to_slab(obj);
	if (!slab)
		return 0;
	return slab->slab_cache->size +
	       (memcg_kmem_online() ? sizeof(struct obj_cgroup *) : 0);
}
EXPORT_SYMBOL_GPL(shrinker_slab_obj_size);

/**
 * shrinker_slab_obj_in - is a slab object charged inside a memcg's subtree?
 * @memcg: the memcg reclaim is for; NULL or the root for all memory
 * @obj: a slab object the caller keeps from being freed
 *
 * For a provider whose scan walks more than @memcg's objects, as a
 * filesystem's walk of its whole mount does: only objects charged inside
 * @memcg's subtree give @memcg memory back when freed.  Charges of a
 * removed memcg move to its parent, so its objects count for the parent.
 *
 * Return: true for NULL or the root, and for an object charged inside the
 * subtree; false for one charged elsewhere or not at all.
 */
bool shrinker_slab_obj_in(struct mem_cgroup *memcg, void *obj)
{
	struct mem_cgroup *owner;
	bool ret;

	if (!memcg || mem_cgroup_disabled() || mem_cgroup_is_root(memcg))
		return true;
	rcu_read_lock();
	owner = mem_cgroup_from_slab_obj(obj);
	ret = owner && mem_cgroup_is_descendant(owner, memcg);
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(shrinker_slab_obj_in);
