// SPDX-License-Identifier: GPL-2.0
/*
 * The deferred-work drain: work a reclaim context could not do (no
 * __GFP_FS, SHRINK_STOP) waits on its instance, and one worker per node
 * does it in process context with GFP_KERNEL, a slice at a time, instead
 * of the next unrelated reclaimer paying for it.  The same worker trims
 * instances that grew above their high watermark back to low, and a sweep
 * counts every instance twice a working-set period, so a cache that grows
 * without any memory pressure is seen too.
 *
 * Queued work is demand: a reclaimer asked for it and may be waiting on
 * it, so its slices run back to back while they free objects, until the
 * queue is empty or the instance backs off.  A reclaimer wakes the worker
 * when its pass brings the queue to a batch, or for urgent work; else the
 * work waits for a tick, since the wake lets the worker preempt the
 * reclaimer inside its reclaim, pass after pass, for a few objects.
 * Trimming has no waiter and is paced, a slice per tick, as is queued
 * work that frees nothing.  Either way a pass takes at most a slice of
 * each instance.
 *
 * An instance is on its node's list while it has work.  Whoever frees an
 * instance takes it off the list first (shrinker_drain_forget()); the
 * worker pins the instance's memcg and shrinker under the list lock before
 * it lets go of the lock, so neither can go away under it.
 */
#include <linux/memcontrol.h>
#include <linux/nodemask.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "../internal.h"
#include "internal.h"
#include <trace/events/shrinker.h>

/* A drain pass takes at most 1/32 of the instance... */
#define SHRINKER_DRAIN_SHIFT	5
/*
 * ...and, with only trimming, backed-off work or less than a batch queued
 * since the last wake left, runs every 100 ms.
 */
#define SHRINKER_DRAIN_TICK	(HZ / 10 ? HZ / 10 : 1)

struct shrinker_drain {
	spinlock_t lock;		/* protects list; process context only */
	struct list_head list;
	struct delayed_work work;
	/* what reclaiming the node's LRUs costs, for shrinker_cost_weight() */
	spinlock_t cost_lock;
	struct shrinker_cost lru_cost;
};

static struct shrinker_drain **drains;
static struct workqueue_struct *shrinker_drain_wq;

static void shrinker_sweep_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(shrinker_sweep, shrinker_sweep_work);

static struct shrinker_drain *drain_of(struct shrinker_instance *inst)
{
	if (!drains)
		return NULL;
	return drains[inst->nid < nr_node_ids ? inst->nid : 0];
}

static void shrinker_drain_add(struct shrinker_instance *inst,
			       unsigned long delay)
{
	struct shrinker_drain *d = drain_of(inst);

	if (!d)
		return;
	spin_lock(&d->lock);
	/*
	 * A reparented instance has nothing to drain or trim; the merge
	 * sets moved before reparenting takes this lock to drop it.
	 */
	if (READ_ONCE(inst->moved)) {
		spin_unlock(&d->lock);
		return;
	}
	if (list_empty(&inst->drain))
		list_add_tail(&inst->drain, &d->list);
	spin_unlock(&d->lock);
	/* demand cuts short a tick the worker waits out for trimming */
	if (!delay)
		mod_delayed_work(shrinker_drain_wq, &d->work, 0);
	else
		queue_delayed_work(shrinker_drain_wq, &d->work, delay);
}

/* @inst has work queued: make sure its node's worker does it soon. */
void shrinker_drain_queue(struct shrinker_instance *inst)
{
	shrinker_drain_add(inst, 0);
}

/*
 * @inst has work queued that is not worth a wake of its own: the worker
 * comes within SHRINKER_DRAIN_TICK, sooner if already due.
 */
void shrinker_drain_later(struct shrinker_instance *inst)
{
	shrinker_drain_add(inst, SHRINKER_DRAIN_TICK);
}

/*
 * Add what reclaiming @bytes from the LRUs of node @nid took, @ns, and
 * read back the node's LRU cost into @cost.
 */
void shrinker_node_lru_cost(int nid, u64 ns, unsigned long bytes,
			    struct shrinker_cost *cost)
{
	struct shrinker_drain *d;

	*cost = (struct shrinker_cost){ };
	if (!drains || nid < 0 || nid >= nr_node_ids || !drains[nid])
		return;
	d = drains[nid];
	spin_lock(&d->cost_lock);
	if (ns)
		shrinker_cost_add(&d->lru_cost, ns, bytes);
	*cost = d->lru_cost;
	spin_unlock(&d->cost_lock);
}

void shrinker_drain_forget(struct shrinker_instance *inst)
{
	struct shrinker_drain *d = drain_of(inst);

	if (!d)
		return;
	spin_lock(&d->lock);
	list_del_init(&inst->drain);
	spin_unlock(&d->lock);
}

/*
 * Under @inst's lock: the trim is over.  The next rests first if @rest:
 * this one rotated anything, or the cache refused it; a lap of cold
 * objects left nothing to protect.
 */
static void shrinker_trim_end(struct shrinker_instance *inst,
			      unsigned long now, bool rest)
{
	WRITE_ONCE(inst->trim, false);
	inst->trim_end = rest ? (now ? now : 1) : 0;
}

/*
 * The bytes @memcg may lose to a trim, which no reclaimer asked for: what
 * it holds above its effective protection, or U64_MAX where it has none.
 * Global reclaim passes by a memcg within its protection
 * (shrink_node_memcgs()); a trim must not take what it would not.  The
 * effective protection is worked out here as global reclaim works it
 * out (and writes it), against the root, parents first: cgroup v2's
 * rules, memory_recursiveprot shares included, none of it stale.  A
 * memory.min that its ancestors do not grant protects nothing from
 * global reclaim, nor from a trim.
 */
static u64 shrinker_memcg_room(struct mem_cgroup *memcg)
{
	u64 room = U64_MAX;
#ifdef CONFIG_MEMCG
	struct cgroup *cg;
	int i;

	if (!memcg || mem_cgroup_disabled() || mem_cgroup_is_root(memcg))
		return room;
	cg = memcg->css.cgroup;
	rcu_read_lock();
	for (i = 1; i <= cg->level; i++) {
		struct cgroup_subsys_state *css;
		struct mem_cgroup *m;
		unsigned long usage, prot;

		css = rcu_dereference(cg->ancestors[i]->subsys[memory_cgrp_id]);
		m = mem_cgroup_from_css(css);
		if (!m)
			continue;
		mem_cgroup_calculate_protection(NULL, m);
		/* the ancestors' only feed the memcg's own, as in reclaim */
		if (i < cg->level)
			continue;
		usage = page_counter_read(&m->memory);
		prot = max(READ_ONCE(m->memory.emin),
			   READ_ONCE(m->memory.elow));
		if (prot)
			room = usage > prot ? (u64)(usage - prot) << PAGE_SHIFT : 0;
	}
	rcu_read_unlock();
#endif
	return room;
}

/* @room bytes in @inst's objects, by the count its size was taken at */
static unsigned long shrinker_room_objs(const struct shrinker_instance *inst,
					u64 room)
{
	if (room == U64_MAX)
		return ULONG_MAX;
	if (!room)
		return 0;
	/* there is room, of unknown size in objects: protection is not met */
	if (!inst->bytes || !inst->bytes_count)
		return ULONG_MAX;
	/* room * count / bytes, in 128 bits, and saturated */
	if (div64_u64(room, inst->bytes) >= div64_u64(ULONG_MAX,
						      inst->bytes_count))
		return ULONG_MAX;
	return mul_u64_u64_div_u64(room, inst->bytes_count, inst->bytes);
}

/*
 * One slice of @inst's queued work, or of its excess over high, in this
 * safe context.  Returns the objects freed; what is left stays queued.
 * A trim takes nothing memcg protection covers; queued work is what
 * reclaim asked for, having weighed protection itself.
 */
unsigned long shrinker_drain_instance(struct shrinker *shrinker,
				      struct shrinker_instance *inst,
				      struct mem_cgroup *memcg)
{
	const struct shrinker_provider *prov = shrinker_core(shrinker)->provider;
	long batch = shrinker_batch(shrinker);
	struct shrink_control sc = {
		.gfp_mask = GFP_KERNEL,
		.nid = inst->nid,
		.memcg = memcg,
	};
	unsigned long freeable, slice, owed, take, trim = 0, aged, now = jiffies;
	unsigned long room;
	u64 room_bytes = U64_MAX;
	struct shrinker_deferred took = { };
	struct shrinker_instance *live;
	bool backed, last_slice = false, seen, may_trim, trim_refused;
	enum shrinker_book why;
	struct shrinker_scan r = { };
	long left;

	/* reparented: the parent's instance has the work now */
	if (READ_ONCE(inst->moved)) {
		WRITE_ONCE(inst->trim, false);
		return 0;
	}
	freeable = prov->count(shrinker, &sc);
	if (freeable == SHRINK_EMPTY)
		freeable = 0;
	slice = max_t(unsigned long, freeable >> SHRINKER_DRAIN_SHIFT, batch);
	/* both walk the memcg's ancestors: only for a trim */
	seen = READ_ONCE(inst->trim);
	may_trim = seen && shrinker_trim_allowed(memcg);
	if (may_trim)
		room_bytes = shrinker_memcg_room(memcg);

	spin_lock(&inst->lock);
	/* reparented: the parent's instance has the work now */
	if (inst->moved) {
		WRITE_ONCE(inst->trim, false);
		spin_unlock(&inst->lock);
		return 0;
	}
	inst->count = freeable;
	shrinker_wss_sample(&inst->wss, freeable, now);
	aged = inst->deferred.aged;
	/*
	 * At min nothing more is owed: drop the queue rather than keep it,
	 * and the instance on this list, until the work ages out.  Work a
	 * pass below SHRINKER_MIN_PRIORITY queued is owed all the same: min
	 * did not spare the instance from it, and for the last pass before
	 * OOM, OOM waits on this drain to do what it could not.
	 */
	room = shrinker_room_objs(inst, room_bytes);
	owed = freeable > inst->wmarks.min ? freeable - inst->wmarks.min : 0;
	if (!owed)
		shrinker_defer_drop(&inst->deferred);
	owed = max(owed, inst->deferred.urgent);
	take = shrinker_defer_take(&inst->deferred, min(slice, owed), now,
				   &took);
	/*
	 * Trimming goes on, a slice at a time, until low is reached, or
	 * protection, or the end of its lap (below): the sweep requeues it
	 * every 10 s while the cache stays above high.
	 */
	if (inst->trim && may_trim && freeable > inst->wmarks.low && room &&
	    inst->trim_left) {
		trim = min3(freeable - inst->wmarks.low, slice, room);
		trim = min(trim, inst->trim_left);
		last_slice = trim == freeable - inst->wmarks.low;
	} else if (seen) {
		/* not one the sweep set since this slice looked */
		shrinker_trim_end(inst, now, inst->trim_rotated);
	}
	aged = inst->deferred.aged - aged;
	spin_unlock(&inst->lock);

	left = max(take, trim);
	shrinker_scan_batches(shrinker, &sc, &left, 1, &r);

	/*
	 * Reparenting may have moved the state while the provider ran: the
	 * work not done goes where it went, and only the counters with it
	 * (shrinker_instance_book_moved()).
	 */
	live = shrinker_instance_lock_live(inst);
	live->stats.drained += min(r.scanned, take);
	/*
	 * Refused even here: keep the rest queued, as urgent and as old as
	 * it was, and retry after a backoff.
	 */
	if (r.stop && take > r.scanned) {
		shrinker_defer_unscanned(&took, take - r.scanned, false);
		shrinker_note_rerouted(inst, live,
				       shrinker_defer_give_back(inst, live, &took,
								now, freeable));
	}
	backed = false;
	if (live == inst) {
		/*
		 * A trim takes only what reclaim would call cold: the lists
		 * it scans give an object used since a scan last passed it
		 * a second chance (the dcache, the icache and most list_lru
		 * users rotate it and clear its bit).  A trim that went on
		 * past one lap would meet what it rotated a tick ago and
		 * free it, however warm.  So a trim scans one lap, the
		 * count the sweep saw, and the next one starts a sweep
		 * period after it ended, if it left anything it scanned:
		 * what it rotated has had that long to be used again.  One
		 * lap about: objects others free or scan meanwhile, and a
		 * superblock's split of each batch between its dentries and
		 * inodes, move its end.  A slice that only rotated is no
		 * failure: the drain neither backs off for it nor makes the
		 * instance's queued work wait.  Nor does it end the trim:
		 * cold objects behind a warm run would wait for it a sweep
		 * period a slice.
		 *
		 * A refusal that left none of the queued work undone was
		 * the trim's alone.  A trim the cache refused with nothing
		 * freed ends and rests a sweep period, and backs nothing
		 * off: nobody asked for it, and a drain backed off for it
		 * would leave NOFS work queued meanwhile undone, and OOM
		 * no longer waiting for that work (shrinker_queue_draining()).
		 */
		trim_refused = trim && r.stop && take <= r.scanned &&
			       !r.freed;
		if (trim) {
			if (r.freed < r.scanned)
				inst->trim_rotated = true;
			inst->trim_left -= min(inst->trim_left, r.scanned);
			if (inst->trim &&
			    (!inst->trim_left || trim_refused ||
			     (last_slice && r.freed >= trim)))
				shrinker_trim_end(inst, now,
						  inst->trim_rotated ||
						  trim_refused);
		}
		/* mostly a trim: nobody's demand (shrinker_instance_book()) */
		why = (take && 2 * take >= trim) ? SHRINKER_BOOK_DEMAND :
						   SHRINKER_BOOK_TRIM;
		backed = shrinker_instance_book(inst, &r,
						(r.stop && take > r.scanned) ||
						(r.scanned &&
						 why == SHRINKER_BOOK_DEMAND),
						why, SHRINKER_CTX_DRAIN, now);
		if (r.freed && take)
			inst->drained_at = now ? now : 1;
	} else {
		shrinker_instance_book_moved(live, &r);
	}
	shrinker_pending_note(live);
	spin_unlock(&live->lock);
	if (live != inst && READ_ONCE(live->deferred.nr))
		shrinker_drain_queue(live);
	shrinker_count_event(inst, SHRINKER_FREED, r.freed);
	shrinker_count_event(inst, SHRINKER_BACKOFF, backed);
	shrinker_count_event(inst, SHRINKER_DEFER_DRAIN, min(r.scanned, take));
	trace_shrinker_defer_drain(shrinker, inst, take, trim, r.scanned,
				   r.freed, aged, r.stop);
	return r.freed;
}

/* Pin what the instance needs; called under the drain lock. */
static struct shrinker *shrinker_drain_pin(struct shrinker_instance *inst,
					   struct mem_cgroup **memcg)
{
	struct shrinker *shrinker;

	*memcg = inst->memcg;
	if (*memcg && !css_tryget(&(*memcg)->css))
		return NULL;
	rcu_read_lock();
	shrinker = inst->id < 0 ? inst->shrinker : shrinker_find_id(inst->id);
	if (shrinker && !shrinker_try_get(shrinker))
		shrinker = NULL;
	rcu_read_unlock();
	if (shrinker && !shrinker_instance_of(inst, shrinker)) {
		shrinker_put(shrinker);
		shrinker = NULL;
	}
	if (!shrinker && *memcg)
		css_put(&(*memcg)->css);
	return shrinker;
}

/*
 * One pass over @d's list: a slice of work for each instance.  Returns the
 * objects freed and whether work is left for a later pass: *@more, and
 * *@queued if some of it is queued work on an instance whose slice just
 * freed objects.
 */
static unsigned long shrinker_drain_node(struct shrinker_drain *d, bool *more,
					 bool *queued)
{
	unsigned long now = jiffies, freed = 0, done;
	struct shrinker_instance *inst;
	LIST_HEAD(later);
	LIST_HEAD(todo);

	*queued = false;
	spin_lock(&d->lock);
	list_splice_init(&d->list, &todo);
	while (!list_empty(&todo)) {
		struct shrinker *shrinker;
		struct mem_cgroup *memcg;

		inst = list_first_entry(&todo, struct shrinker_instance, drain);
		list_del_init(&inst->drain);
		shrinker = shrinker_drain_pin(inst, &memcg);
		if (!shrinker)
			continue;
		/* backed off: come back when the window closes */
		if (shrinker_instance_backed_off(inst, SHRINKER_CTX_DRAIN,
						 now)) {
			list_add_tail(&inst->drain, &later);
			shrinker_put(shrinker);
			if (memcg)
				css_put(&memcg->css);
			continue;
		}
		spin_unlock(&d->lock);

		done = shrinker_drain_instance(shrinker, inst, memcg);
		freed += done;

		spin_lock(&d->lock);
		if (done && READ_ONCE(inst->deferred.nr) &&
		    !shrinker_instance_backed_off(inst, SHRINKER_CTX_DRAIN,
						  jiffies))
			*queued = true;
		if ((READ_ONCE(inst->deferred.nr) || READ_ONCE(inst->trim)) &&
		    list_empty(&inst->drain))
			list_add_tail(&inst->drain, &later);
		shrinker_put(shrinker);
		if (memcg)
			css_put(&memcg->css);
	}
	*more = !list_empty(&later) || !list_empty(&d->list);
	list_splice_tail(&later, &d->list);
	spin_unlock(&d->lock);
	return freed;
}

static void shrinker_drain_work(struct work_struct *work)
{
	struct shrinker_drain *d = container_of(to_delayed_work(work),
						struct shrinker_drain, work);
	bool more, queued;

	shrinker_drain_node(d, &more, &queued);
	if (more)
		queue_delayed_work(shrinker_drain_wq, &d->work,
				   queued ? 0 : SHRINKER_DRAIN_TICK);
}

/*
 * @inst grew above its high watermark: queue it for the worker's trim, a
 * slice a tick.  Not kswapd's: it would keep kswapd awake on a balanced
 * node while a cache regrows as fast as it is trimmed (review II-2).
 */
void shrinker_trim_queue(struct shrinker_instance *inst)
{
	shrinker_drain_later(inst);
}

/* Run every node's drain now, without waiting for it. */
void shrinker_drain_kick(void)
{
	int nid;

	if (!drains)
		return;
	for_each_node(nid) {
		if (drains[nid])
			mod_delayed_work(shrinker_drain_wq, &drains[nid]->work, 0);
	}
}

/* Count every instance: samples the working set, finds growth past high. */
static void shrinker_sweep_work(struct work_struct *work)
{
	struct mem_cgroup *memcg;
	int nid;

	for_each_online_node(nid) {
		memcg = mem_cgroup_iter(NULL, NULL, NULL);
		do {
			shrinker_sweep_instances(nid, memcg);
			cond_resched();
		} while ((memcg = mem_cgroup_iter(NULL, memcg, NULL)) != NULL);
	}
	queue_delayed_work(shrinker_drain_wq, &shrinker_sweep,
			   SHRINKER_SWEEP_PERIOD);
}

int __init shrinker_drain_init(void)
{
	int nid;

	/* WQ_MEM_RECLAIM: the drain must progress under memory pressure */
	shrinker_drain_wq = alloc_workqueue("shrinker_drain",
					    WQ_MEM_RECLAIM | WQ_UNBOUND, 0);
	if (!shrinker_drain_wq)
		return -ENOMEM;
	drains = kcalloc(nr_node_ids, sizeof(*drains), GFP_KERNEL);
	if (!drains)
		return -ENOMEM;
	for_each_node(nid) {
		struct shrinker_drain *d;

		d = kzalloc_node(sizeof(*d), GFP_KERNEL, nid);
		if (!d)
			return -ENOMEM;
		spin_lock_init(&d->lock);
		spin_lock_init(&d->cost_lock);
		INIT_LIST_HEAD(&d->list);
		INIT_DELAYED_WORK(&d->work, shrinker_drain_work);
		drains[nid] = d;
	}
	queue_delayed_work(shrinker_drain_wq, &shrinker_sweep,
			   SHRINKER_SWEEP_PERIOD);
	return 0;
}
