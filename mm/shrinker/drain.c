// SPDX-License-Identifier: GPL-2.0
/*
 * The deferred-work drain: work a reclaim context could not do (no
 * __GFP_FS, SHRINK_STOP) waits on its instance, and one worker per node
 * does it in process context with GFP_KERNEL, a slice at a time, instead
 * of the next unrelated reclaimer paying for it.  The same worker trims
 * instances that grew above their high watermark back to low.
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

#include "internal.h"
#include <trace/events/shrinker.h>

/* A drain pass takes at most 1/32 of the instance per tick... */
#define SHRINKER_DRAIN_SHIFT	5
/* ...and runs at most every 100 ms. */
#define SHRINKER_DRAIN_TICK	(HZ / 10 ? HZ / 10 : 1)

struct shrinker_drain {
	spinlock_t lock;		/* protects list */
	struct list_head list;
	struct delayed_work work;
	int nid;
};

static struct shrinker_drain **drains;
static struct workqueue_struct *shrinker_drain_wq;

static struct shrinker_drain *drain_of(struct shrinker_instance *inst)
{
	if (!drains)
		return NULL;
	return drains[inst->nid < nr_node_ids ? inst->nid : 0];
}

/* @inst has work queued: make sure its node's worker will see it. */
void shrinker_drain_queue(struct shrinker_instance *inst)
{
	struct shrinker_drain *d = drain_of(inst);
	unsigned long flags;

	if (!d)
		return;
	spin_lock_irqsave(&d->lock, flags);
	if (list_empty(&inst->drain))
		list_add_tail(&inst->drain, &d->list);
	spin_unlock_irqrestore(&d->lock, flags);
	queue_delayed_work(shrinker_drain_wq, &d->work, SHRINKER_DRAIN_TICK);
}

void shrinker_drain_forget(struct shrinker_instance *inst)
{
	struct shrinker_drain *d = drain_of(inst);
	unsigned long flags;

	if (!d)
		return;
	spin_lock_irqsave(&d->lock, flags);
	list_del_init(&inst->drain);
	spin_unlock_irqrestore(&d->lock, flags);
}

/*
 * One slice of @inst's queued work, or of its excess over high, in this
 * safe context.  Returns the objects freed; what is left stays queued.
 */
unsigned long shrinker_drain_instance(struct shrinker *shrinker,
				      struct shrinker_instance *inst,
				      struct mem_cgroup *memcg)
{
	const struct shrinker_provider *prov = shrinker_core(shrinker)->provider;
	long batch = shrinker->batch ? shrinker->batch : 128;
	struct shrink_control sc = {
		.gfp_mask = GFP_KERNEL,
		.nid = inst->nid,
		.memcg = memcg,
	};
	unsigned long freeable, slice, take, trim = 0, aged;
	unsigned long scanned = 0, freed = 0, inflight = 0, now = jiffies;
	bool stop = false;
	long left;

	freeable = prov->count(shrinker, &sc);
	if (freeable == SHRINK_EMPTY)
		freeable = 0;
	slice = max_t(unsigned long, freeable >> SHRINKER_DRAIN_SHIFT, batch);

	spin_lock(&inst->lock);
	inst->count = freeable;
	shrinker_wss_sample(&inst->wss, freeable, now);
	aged = inst->deferred.aged;
	if (freeable <= inst->wmarks.min)
		take = 0;
	else
		take = shrinker_defer_take(&inst->deferred,
					   min(slice, freeable - inst->wmarks.min),
					   now);
	if (inst->trim && freeable > inst->wmarks.low &&
	    inst->wmarks.low != ULONG_MAX)
		trim = min(freeable - inst->wmarks.low, slice);
	inst->trim = false;
	aged = inst->deferred.aged - aged;
	spin_unlock(&inst->lock);

	left = max(take, trim);
	while (left > 0 && !stop) {
		unsigned long ret;

		sc.nr_to_scan = min(batch, left);
		sc.nr_scanned = sc.nr_to_scan;
		sc.nr_inflight = 0;
		ret = prov->scan(shrinker, &sc);
		if (ret == SHRINK_STOP) {
			stop = true;
			break;
		}
		freed += ret;
		inflight += sc.nr_inflight;
		count_vm_events(SLABS_SCANNED, sc.nr_scanned);
		left -= sc.nr_scanned;
		scanned += sc.nr_scanned;
		cond_resched();
	}

	spin_lock(&inst->lock);
	inst->stats.scanned += scanned;
	inst->stats.freed += freed;
	inst->stats.drained += min(scanned, take);
	inst->inflight = inflight;
	/* refused even here: keep the rest queued, retry after a backoff */
	if (stop && take > scanned)
		shrinker_defer_add(&inst->deferred, take - scanned, freeable,
				   now);
	if (freed) {
		shrinker_backoff_progress(&inst->backoff);
		inst->last_progress = now;
	} else if (stop || scanned) {
		shrinker_backoff_failed(&inst->backoff, now);
		inst->stats.backoffs++;
	}
	spin_unlock(&inst->lock);
	trace_shrinker_defer_drain(shrinker, inst, take, trim, scanned, freed,
				   aged);
	return freed;
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

static void shrinker_drain_work(struct work_struct *work)
{
	struct shrinker_drain *d = container_of(to_delayed_work(work),
						struct shrinker_drain, work);
	unsigned long now = jiffies, flags;
	bool more = false;
	LIST_HEAD(later);

	spin_lock_irqsave(&d->lock, flags);
	while (!list_empty(&d->list)) {
		struct shrinker_instance *inst;
		struct shrinker *shrinker;
		struct mem_cgroup *memcg;

		inst = list_first_entry(&d->list, struct shrinker_instance,
					drain);
		list_del_init(&inst->drain);
		shrinker = shrinker_drain_pin(inst, &memcg);
		if (!shrinker)
			continue;
		/* backed off: come back when the window closes */
		if (shrinker_backed_off(&inst->backoff, now)) {
			list_add_tail(&inst->drain, &later);
			shrinker_put(shrinker);
			if (memcg)
				css_put(&memcg->css);
			continue;
		}
		spin_unlock_irqrestore(&d->lock, flags);

		shrinker_drain_instance(shrinker, inst, memcg);

		spin_lock_irqsave(&d->lock, flags);
		if (READ_ONCE(inst->deferred.nr) && list_empty(&inst->drain))
			list_add_tail(&inst->drain, &later);
		shrinker_put(shrinker);
		if (memcg)
			css_put(&memcg->css);
	}
	if (!list_empty(&later)) {
		list_splice_tail(&later, &d->list);
		more = true;
	}
	spin_unlock_irqrestore(&d->lock, flags);
	if (more)
		queue_delayed_work(shrinker_drain_wq, &d->work,
				   SHRINKER_DRAIN_TICK);
}

/* Run every node's pending drain now and wait for it (tests, debugfs). */
void shrinker_drain_flush(void)
{
	int nid;

	if (!drains)
		return;
	for_each_node(nid) {
		if (!drains[nid])
			continue;
		mod_delayed_work(shrinker_drain_wq, &drains[nid]->work, 0);
		flush_delayed_work(&drains[nid]->work);
	}
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
		INIT_LIST_HEAD(&d->list);
		INIT_DELAYED_WORK(&d->work, shrinker_drain_work);
		d->nid = nid;
		drains[nid] = d;
	}
	return 0;
}
