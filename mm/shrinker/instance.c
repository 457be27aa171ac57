// SPDX-License-Identifier: GPL-2.0
/*
 * Shrinker instances and the per-memcg, per-node tables that hold them.
 *
 * A memcg-aware shrinker's instance for (memcg, node) sits in the slot of
 * its id in that memcg's shrinker_info for the node, next to the bit that
 * says the shrinker holds objects there.  Slots are filled when the bit is
 * first set (the shrinker's first object there) and emptied only when the
 * memcg is freed or the shrinker goes away, so reclaim, which pins the
 * memcg and the shrinker, can use an instance it found under RCU after
 * leaving the read-side section.
 *
 * Each shrinker keeps a list of its memcg instances, so shrinker_free()
 * empties their slots and frees them at once, without walking every
 * memcg.  shrinker_mutex orders that against the memcg's table being
 * freed; the core's inst_lock orders it against installs, which run
 * without the mutex under a list_lru lock.
 */
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "internal.h"
#include <trace/events/shrinker.h>

static atomic_long_t nr_instances = ATOMIC_LONG_INIT(0);
/*
 * Objects of work still queued on a memcg's instances when the memcg is
 * freed.  Reparenting moves all of it to the parent and routes whatever
 * comes back later there too, so anything counted here was lost: the
 * race stress checks that it stays 0.  Work that passes gave to a parent
 * because the instance was reparented while they held it shows that the
 * stress reached the race.
 */
static atomic_long_t nr_stranded = ATOMIC_LONG_INIT(0);
static atomic_long_t nr_rerouted = ATOMIC_LONG_INIT(0);

/*
 * At about 400 bytes an instance would take a kmalloc-512 object.  The
 * own instances of shrinkers registered before initcalls run (rootfs,
 * proc, sysfs) come from kmalloc; kfree() frees either kind.
 */
static struct kmem_cache *shrinker_instance_cachep __ro_after_init;

void __init shrinker_instance_cache_init(void)
{
	shrinker_instance_cachep = KMEM_CACHE(shrinker_instance, 0);
	if (!shrinker_instance_cachep)
		pr_warn("shrinker: no instance cache, using kmalloc\n");
}

long shrinker_nr_instances(void)
{
	return atomic_long_read(&nr_instances);
}

long shrinker_nr_stranded(void)
{
	return atomic_long_read(&nr_stranded);
}

long shrinker_nr_rerouted(void)
{
	return atomic_long_read(&nr_rerouted);
}

/* @nr objects of work for @inst went to @live, where reparenting moved it */
void shrinker_note_rerouted(const struct shrinker_instance *inst,
			    const struct shrinker_instance *live,
			    unsigned long nr)
{
	if (live != inst && nr)
		atomic_long_add(nr, &nr_rerouted);
}

struct shrinker_instance *shrinker_instance_new(struct shrinker *shrinker,
						int id, int nid,
						struct mem_cgroup *memcg,
						gfp_t gfp)
{
	struct shrinker_instance *inst;

	/*
	 * Reclaim makes instances as it meets new (memcg, node) pairs, under
	 * PF_MEMALLOC: bookkeeping must not take the reserves that let
	 * reclaim itself make progress.  Without one the pass runs
	 * stateless.
	 */
	gfp |= __GFP_NOMEMALLOC;
	if (shrinker_instance_cachep)
		inst = kmem_cache_alloc_node(shrinker_instance_cachep,
					     gfp | __GFP_ZERO, nid);
	else
		inst = kzalloc_node(sizeof(*inst), gfp, nid);
	if (!inst)
		return NULL;
	spin_lock_init(&inst->lock);
	INIT_LIST_HEAD(&inst->drain);
	INIT_LIST_HEAD(&inst->link);
	inst->id = id;
	inst->nid = nid;
	inst->memcg = memcg;
	/* the rest starts zeroed */
	inst->shrinker = shrinker;
	inst->gen = shrinker->core->gen;
	inst->last_progress = jiffies;
	shrinker_wss_init(&inst->wss, 0, inst->last_progress);
	shrinker_wmarks_derive(&inst->wmarks, &inst->wss,
			       SHRINKER_WMARK_NO_CEILING);
	atomic_long_inc(&nr_instances);
	return inst;
}

/* For the tracepoints, which see an instance only through this. */
void shrinker_trace_inst(const struct shrinker_instance *i,
			 struct shrinker_trace_inst *t)
{
	int c;

	t->nid = i->nid;
	t->memcg = shrinker_memcg_ino(i->memcg);
	t->count = READ_ONCE(i->count);
	t->min = READ_ONCE(i->wmarks.min);
	t->queued = READ_ONCE(i->deferred.nr);
	t->inflight = READ_ONCE(i->inflight);
	t->backoff_until = 0;
	t->backoff_level = 0;
	/* the context backed off the longest, as one window */
	for (c = SHRINKER_CTX_FULL; c < SHRINKER_CTX_NR; c++) {
		unsigned long until = READ_ONCE(i->backoff[c].until);
		unsigned int level = READ_ONCE(i->backoff[c].level);

		if (level && (!t->backoff_level ||
			      time_after(until, t->backoff_until))) {
			t->backoff_until = until;
			t->backoff_level = level;
		}
	}
}

/* The caller has made @inst unreachable for new lookups. */
void shrinker_instance_free(struct shrinker_instance *inst)
{
	if (!inst)
		return;
	shrinker_drain_forget(inst);
	atomic_long_dec(&nr_instances);
	kfree_rcu(inst, rcu);
}

/*
 * Move @src's pending state into @dst in one step: queued work, the backoff
 * with the longer window, the reclaim cost, and the lifetime counters.
 * @src keeps nothing, so no work is counted twice, and points at @dst:
 * a pass that took work from @src before the merge gives it back there.
 */
void shrinker_instance_merge(struct shrinker_instance *dst,
			     struct shrinker_instance *src)
{
	unsigned long fruitless;
	int c;

	spin_lock(&src->lock);
	spin_lock_nested(&dst->lock, SINGLE_DEPTH_NESTING);
	dst->count += src->count;
	/*
	 * The child's objects arriving are no use of the parent's cache:
	 * the period's range starts over at the parent's next count.  Not
	 * at dst->count: list_lru moved them a moment ago, and a pass in
	 * between may have counted them already.
	 */
	dst->wss.restart = true;
	dst->bytes += src->bytes;
	dst->inflight += src->inflight;
	/*
	 * Not capped by the counts: list_lru moved the child's objects a
	 * moment ago, and a pass in between may have sampled 0 on either
	 * side.  The parent's next counted pass fits its queue.
	 */
	shrinker_defer_merge(&dst->deferred, &src->deferred, jiffies,
			     ULONG_MAX);
	for (c = SHRINKER_CTX_FULL; c < SHRINKER_CTX_NR; c++) {
		struct shrinker_backoff *d = &dst->backoff[c];
		struct shrinker_backoff *s = &src->backoff[c];

		fruitless = size_add(d->fruitless, s->fruitless);
		if (s->level > d->level ||
		    (s->level && time_after(s->until, d->until)))
			*d = *s;
		/* the child's fruitless scans were of objects the parent holds */
		d->fruitless = fruitless;
	}
	shrinker_cost_add(&dst->cost, src->cost.ns, src->cost.bytes);
	dst->stats.scanned += src->stats.scanned;
	dst->stats.freed += src->stats.freed;
	dst->stats.backoffs += src->stats.backoffs;
	dst->stats.enqueued += src->stats.enqueued;
	dst->stats.drained += src->stats.drained;
	memset(&src->stats, 0, sizeof(src->stats));
	src->count = 0;
	src->bytes = 0;
	src->inflight = 0;
	memset(&src->backoff, 0, sizeof(src->backoff));
	memset(&src->cost, 0, sizeof(src->cost));
	/* nothing left to trim: the parent's instance trims for both */
	WRITE_ONCE(src->trim, false);
	WRITE_ONCE(src->moved, dst);
	shrinker_pending_note(dst);
	spin_unlock(&dst->lock);
	spin_unlock(&src->lock);
}

/**
 * shrinker_instance_lock_live - lock the instance that holds @inst's state
 * @inst: an instance a pass or the drain took work from
 *
 * Reparenting may have moved @inst's state to its parent's instance, and
 * that one's to its own parent's, while the pass ran: what it gives back
 * or queues is owed there, not to a dying memcg that reclaim no longer
 * visits.  The caller pins the shrinker and @inst's memcg, and with it
 * every ancestor, so each instance on the way stays.
 *
 * Return: the instance now holding the state, locked.
 */
struct shrinker_instance *
shrinker_instance_lock_live(struct shrinker_instance *inst)
{
	struct shrinker_instance *next;

	spin_lock(&inst->lock);
	while ((next = inst->moved)) {
		spin_unlock(&inst->lock);
		inst = next;
		spin_lock(&inst->lock);
	}
	return inst;
}

static int shrinker_info_units(int nr_max)
{
	return DIV_ROUND_UP(nr_max, SHRINKER_UNIT_BITS);
}

struct shrinker_info *shrinker_info_alloc(int nr_max, int nid)
{
	struct shrinker_info *info;
	int i, nr = shrinker_info_units(nr_max);

	info = kvzalloc_node(struct_size(info, unit, nr), GFP_KERNEL, nid);
	if (!info)
		return NULL;
	info->map_nr_max = nr_max;
	for (i = 0; i < nr; i++) {
		info->unit[i] = kzalloc_node(sizeof(*info->unit[i]),
					     GFP_KERNEL, nid);
		if (!info->unit[i]) {
			shrinker_info_free(info);
			return NULL;
		}
	}
	return info;
}

/*
 * Take a memcg instance off its shrinker's list.  The caller serialises
 * this with the shrinker's release (shrinker_mutex, or a test that owns
 * both), so the shrinker, hence its core, is still there.
 */
static void shrinker_instance_unlist(struct shrinker_instance *inst)
{
	struct shrinker_core *core = shrinker_core(inst->shrinker);

	spin_lock_irq(&core->inst_lock);
	list_del_init(&inst->link);
	spin_unlock_irq(&core->inst_lock);
}

/*
 * Frees the table, its units and every instance in them.  An instance
 * still in a slot belongs to a shrinker that has not been released: that
 * would have emptied the slot under the same mutex.
 */
void shrinker_info_free(struct shrinker_info *info)
{
	struct shrinker_instance *inst;
	int i, off, nr;

	if (!info)
		return;
	nr = shrinker_info_units(info->map_nr_max);
	for (i = 0; i < nr && info->unit[i]; i++) {
		struct shrinker_info_unit *unit = info->unit[i];

		for (off = 0; off < SHRINKER_UNIT_BITS; off++) {
			inst = rcu_replace_pointer(unit->inst[off], NULL, true);
			if (!inst)
				continue;
			if (WARN_ON_ONCE(inst->deferred.nr))
				atomic_long_add(inst->deferred.nr, &nr_stranded);
			shrinker_instance_unlist(inst);
			shrinker_instance_free(inst);
		}
		kfree(unit);
	}
	kvfree(info);
}

/* Called under rcu_read_lock() or with the slot's owner pinned. */
struct shrinker_instance *shrinker_info_lookup(struct shrinker_info *info,
					       int id)
{
	struct shrinker_info_unit *unit;

	if (!info || id < 0 || id >= info->map_nr_max)
		return NULL;
	unit = info->unit[id / SHRINKER_UNIT_BITS];
	return rcu_dereference_check(unit->inst[id % SHRINKER_UNIT_BITS],
				     lockdep_is_held(&shrinker_mutex));
}

/*
 * A memcg on its way out gets no new instance: its state went, or is about
 * to go, to its parent's, and work queued on an instance made after that
 * would be stranded.  CSS_DYING is set a grace period before offlining
 * reparents, so an install that saw it clear in the same RCU read-side
 * section as its cmpxchg is done before the merge and is merged.
 * Reparenting itself installs in a parent that may be dying too (@parent).
 */
static bool shrinker_memcg_dying(struct mem_cgroup *memcg, bool parent)
{
#ifdef CONFIG_MEMCG
	if (memcg && !parent)
		return css_is_dying(&memcg->css);
#endif
	return false;
}

/*
 * Find or create @shrinker's instance in slot @off of @unit.  Safe
 * against concurrent installs: the loser frees its copy.  Returns NULL
 * when @gfp could not get memory, when @shrinker is released, when
 * @memcg is dying (unless installing for reparenting, @parent), or when
 * the slot still holds an instance of the id's previous shrinker that its
 * release is about to take; the objects stay reachable (see core.c).
 *
 * set_shrinker_bit() calls this under list_lru locks that interrupts may
 * take (the page cache's i_pages, for shadow nodes): inst_lock is taken
 * with interrupts off everywhere.
 */
struct shrinker_instance *shrinker_unit_install(struct shrinker_info_unit *unit,
						int off,
						struct shrinker *shrinker,
						int id, int nid,
						struct mem_cgroup *memcg,
						gfp_t gfp, bool parent)
{
	struct shrinker_instance __rcu **slot = &unit->inst[off];
	struct shrinker_core *core = shrinker_core(shrinker);
	struct shrinker_instance *inst, *old;
	unsigned long flags;
	bool mine;

	/*
	 * An instance of the previous shrinker may be freed at any time
	 * after a grace period: its generation is read under RCU only.
	 * Ours lives as long as the caller's hold on @shrinker.
	 */
	rcu_read_lock();
	inst = rcu_dereference(*slot);
	mine = inst && shrinker_instance_of(inst, shrinker);
	rcu_read_unlock();
	if (inst)
		return mine ? inst : NULL;
	inst = shrinker_instance_new(shrinker, id, nid, memcg, gfp);
	if (!inst)
		return NULL;
	inst->unit = unit;
	/*
	 * set_shrinker_bit() finds the shrinker without a pin: once it is
	 * released, nothing may be installed that its release would miss.
	 */
	rcu_read_lock();
	spin_lock_irqsave(&core->inst_lock, flags);
	old = NULL;
	if (!core->dead && !shrinker_memcg_dying(memcg, parent)) {
		old = unrcu_pointer(cmpxchg(slot, NULL, RCU_INITIALIZER(inst)));
		if (!old) {
			list_add(&inst->link, &core->instances);
			spin_unlock_irqrestore(&core->inst_lock, flags);
			rcu_read_unlock();
			return inst;
		}
		if (!shrinker_instance_of(old, shrinker))
			old = NULL;
	}
	spin_unlock_irqrestore(&core->inst_lock, flags);
	rcu_read_unlock();
	atomic_long_dec(&nr_instances);
	kfree(inst);
	return old;
}

/*
 * @shrinker is going and nothing pins it: empty the slots of its memcg
 * instances, take their bits and free them, so no table, drain list or
 * reused id finds them later.  A set_shrinker_bit() that found the
 * shrinker before it left the idr may still set a bit afterwards; such a
 * bit is cleared lazily, by the next reclaim pass that finds no shrinker
 * or an empty one, as in 6.12.  Called with shrinker_mutex held.
 */
void shrinker_instances_release(struct shrinker *shrinker)
{
	struct shrinker_core *core = shrinker_core(shrinker);
	struct shrinker_instance *inst, *next;
	LIST_HEAD(gone);

	spin_lock_irq(&core->inst_lock);
	core->dead = true;
	list_splice_init(&core->instances, &gone);
	spin_unlock_irq(&core->inst_lock);

	list_for_each_entry_safe(inst, next, &gone, link) {
		int off = inst->id % SHRINKER_UNIT_BITS;

		list_del_init(&inst->link);
		clear_bit(off, inst->unit->map);
		/* only shrinker_info_free() empties slots otherwise, unlisting */
		WARN_ON_ONCE(unrcu_pointer(cmpxchg(&inst->unit->inst[off],
						   RCU_INITIALIZER(inst),
						   NULL)) != inst);
		shrinker_instance_free(inst);
		/* a shrinker of every memcg and node: the mutex is global */
		cond_resched();
	}
}

struct shrinker_instance *shrinker_info_install(struct shrinker_info *info,
						struct shrinker *shrinker,
						int id, int nid,
						struct mem_cgroup *memcg,
						gfp_t gfp, bool parent)
{
	if (!info || id < 0 || id >= info->map_nr_max)
		return NULL;
	return shrinker_unit_install(info->unit[id / SHRINKER_UNIT_BITS],
				     id % SHRINKER_UNIT_BITS, shrinker, id,
				     nid, memcg, gfp, parent);
}
