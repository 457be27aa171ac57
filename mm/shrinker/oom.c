// SPDX-License-Identifier: GPL-2.0
/*
 * Shrinker work and the OOM killer.
 *
 * Before an OOM kill, the allocator asks whether instances in the OOM
 * domain (a memcg subtree, or everything) have work that will free memory
 * soon: objects their scans reported in flight within the last
 * SHRINKER_PENDING_WINDOW, or queued work of an instance not backed off
 * that the drain worker was seen freeing within it or has yet to try,
 * and at least a reclaim batch's worth of it (SHRINKER_OOM_MIN_BYTES):
 * less could not make a failed reclaim succeed.  If so it throttles
 * (VMSCAN_THROTTLE_SHRINKER, 100 ms) and retries
 * reclaim, at most SHRINKER_OOM_WAITS times per allocation.  So an OOM
 * is delayed by at most 3 s of waiting, and not at all when no instance
 * reports such work: a true OOM still happens promptly.
 *
 * The OOM report lists the instances holding the most bytes.  It runs in
 * OOM context under oom_lock: it allocates nothing and takes no lock but
 * RCU, reading instance state racily, which is good enough for a report.
 */
#include <linux/memcontrol.h>
#include <linux/mmzone.h>
#include <linux/rculist.h>
#include <linux/swap.h>
#include <linux/vmstat.h>

#include "../internal.h"
#include "internal.h"
#include <trace/events/shrinker.h>

#define SHRINKER_OOM_WAITS	30
#define SHRINKER_OOM_TOP	8

struct shrinker_pending {
	unsigned long now;
	unsigned long inflight;
	unsigned long deferred;
	unsigned long bytes;
};

/*
 * Queued work counts while the drain is seen freeing it, or while the
 * queue is younger than the window: the drain has not had its first go
 * at it yet.  Not while the instance is backed off: the drain leaves it
 * alone until the backoff window closes, so nothing frees it before.
 */
bool shrinker_queue_draining(struct shrinker_instance *inst,
			     unsigned long now)
{
	unsigned long drained_at = READ_ONCE(inst->drained_at);

	if (!READ_ONCE(inst->deferred.nr) ||
	    shrinker_backed_off(&inst->backoff, now))
		return false;
	if (drained_at && time_before(now, drained_at + SHRINKER_PENDING_WINDOW))
		return true;
	return time_before(now, READ_ONCE(inst->deferred.since) +
			   SHRINKER_PENDING_WINDOW);
}

/*
 * The bytes of @inst's work an OOM would wait for, its objects in flight
 * in *@inflight and queued in *@queued.
 */
unsigned long shrinker_pending_bytes(struct shrinker_instance *inst,
				     unsigned long now, unsigned long *inflight,
				     unsigned long *queued)
{
	unsigned long count = READ_ONCE(inst->count);
	unsigned long bytes = READ_ONCE(inst->bytes);

	*inflight = READ_ONCE(inst->inflight);
	if (*inflight &&
	    !time_before(now, READ_ONCE(inst->inflight_at) + SHRINKER_PENDING_WINDOW))
		*inflight = 0;
	*queued = shrinker_queue_draining(inst, now) ?
		  READ_ONCE(inst->deferred.nr) : 0;
	/* an object of unknown size counts as a page */
	if (!count || !bytes)
		return (*inflight + *queued) * PAGE_SIZE;
	return shrinker_objs_bytes(*inflight + *queued, bytes, count);
}

static void shrinker_pending_one(struct shrinker *shrinker,
				 struct shrinker_instance *inst,
				 struct shrinker_pending *p)
{
	unsigned long inflight, queued;

	p->bytes += shrinker_pending_bytes(inst, p->now, &inflight, &queued);
	p->inflight += inflight;
	p->deferred += queued;
}

/*
 * The largest instances seen so far, copied: a memcg instance may go once
 * the walk moves on.  Static, as OOM context allocates nothing; each entry
 * pins its shrinker for the name.
 */
static struct shrinker_oom_entry {
	struct shrinker *shrinker;
	unsigned long memcg;
	int nid;
	unsigned long bytes;
	unsigned long count;
	unsigned long deferred;
	unsigned long inflight;
	unsigned int level;
	bool backed_off;
} shrinker_oom_top[SHRINKER_OOM_TOP];

static void shrinker_oom_rank(struct shrinker *shrinker,
			      struct shrinker_instance *inst, int *n)
{
	unsigned long bytes = READ_ONCE(inst->bytes);
	unsigned long count = READ_ONCE(inst->count);
	int i;

	if (!count)
		return;
	/* instances of unknown size rank below every known one, by count */
	for (i = *n; i > 0; i--) {
		struct shrinker_oom_entry *e = &shrinker_oom_top[i - 1];

		if (e->bytes > bytes || (e->bytes == bytes && e->count >= count))
			break;
	}
	if (i >= SHRINKER_OOM_TOP || !shrinker_try_get(shrinker))
		return;
	if (*n == SHRINKER_OOM_TOP)
		shrinker_put(shrinker_oom_top[--(*n)].shrinker);
	memmove(&shrinker_oom_top[i + 1], &shrinker_oom_top[i],
		(*n - i) * sizeof(shrinker_oom_top[0]));
	(*n)++;
	shrinker_oom_top[i] = (struct shrinker_oom_entry){
		.shrinker = shrinker,
		.memcg = shrinker_memcg_ino(READ_ONCE(inst->memcg)),
		.nid = inst->nid,
		.bytes = bytes,
		.count = count,
		.deferred = READ_ONCE(inst->deferred.nr),
		.inflight = READ_ONCE(inst->inflight),
		.level = READ_ONCE(inst->backoff.level),
		.backed_off = shrinker_backed_off(&inst->backoff, jiffies),
	};
}

struct shrinker_walk {
	bool report;
	int n;				/* report: entries ranked */
	struct shrinker_pending p;	/* defer: work found */
};

static void shrinker_visit(struct shrinker *shrinker,
			   struct shrinker_instance *inst,
			   struct shrinker_walk *w)
{
	/* reparented: what it had is counted on the instance it went to */
	if (READ_ONCE(inst->moved))
		return;
	if (w->report)
		shrinker_oom_rank(shrinker, inst, &w->n);
	else
		shrinker_pending_one(shrinker, inst, &w->p);
}

/*
 * Visit every live instance in @root's subtree, or every one when @root
 * is NULL, under RCU: visiting must not sleep.
 */
static void shrinker_walk_instances(struct mem_cgroup *root,
				    struct shrinker_walk *w)
{
	struct shrinker *shrinker;
	struct mem_cgroup *memcg __maybe_unused;
	int i, nid __maybe_unused;

	rcu_read_lock();
	if (!root || mem_cgroup_is_root(root)) {
		list_for_each_entry_rcu(shrinker, &shrinker_list, list) {
			struct shrinker_core *core = shrinker_core(shrinker);

			for (i = 0; i < core->nr_own; i++)
				shrinker_visit(shrinker, core->own[i], w);
		}
	}
	rcu_read_unlock();

#ifdef CONFIG_MEMCG
	if (mem_cgroup_disabled())
		return;
	memcg = mem_cgroup_iter(root, NULL, NULL);
	do {
		if (mem_cgroup_is_root(memcg))
			continue;
		rcu_read_lock();
		for_each_node(nid) {
			struct shrinker_info *info;
			int id;

			info = rcu_dereference(memcg->nodeinfo[nid]->shrinker_info);
			for (id = 0; info && id < info->map_nr_max; id++) {
				struct shrinker_instance *inst;

				inst = shrinker_info_lookup(info, id);
				if (!inst)
					continue;
				shrinker = shrinker_find_id(id);
				if (shrinker && shrinker_instance_of(inst, shrinker))
					shrinker_visit(shrinker, inst, w);
			}
		}
		rcu_read_unlock();
	} while ((memcg = mem_cgroup_iter(root, memcg, NULL)) != NULL);
#endif
}

/**
 * shrinker_oom_defer - wait for shrinker work instead of an OOM kill?
 * @memcg: the memcg over its limit, or NULL for the whole system
 * @gfp_mask: the allocation's context
 * @waits: the caller's count of waits for this allocation, from 0
 *
 * Return: true after throttling if instances in the domain have work in
 * flight or a queue that is draining and the caller has waited fewer than
 * SHRINKER_OOM_WAITS times; the caller retries reclaim.  False: go ahead.
 */
bool shrinker_oom_defer(struct mem_cgroup *memcg, gfp_t gfp_mask, int *waits)
{
	struct shrinker_walk w = { .p.now = jiffies };
	struct shrinker_pending *p = &w.p;
	bool defer = false;

	if (*waits < SHRINKER_OOM_WAITS) {
		shrinker_walk_instances(memcg, &w);
		defer = p->bytes >= SHRINKER_OOM_MIN_BYTES;
	}
	trace_shrinker_oom_decision(shrinker_memcg_ino(memcg), gfp_mask,
				    *waits, p->inflight, p->deferred, p->bytes,
				    defer);
	if (!defer)
		return false;
	if (!*waits) {
		count_vm_event(SHRINKER_OOM_DEFERRED);
		if (memcg)
			count_memcg_events(memcg, SHRINKER_OOM_DEFERRED, 1);
	}
	(*waits)++;
	if (p->deferred)
		shrinker_drain_kick();
	reclaim_throttle(NODE_DATA(numa_node_id()), VMSCAN_THROTTLE_SHRINKER);
	return true;
}

/**
 * shrinker_oom_report - print the instances holding the most memory
 * @memcg: the OOMing memcg, or NULL for a system OOM
 *
 * Called from the OOM killer's report, under oom_lock.
 */
void shrinker_oom_report(struct mem_cgroup *memcg)
{
	struct shrinker_walk w = { .report = true };
	int i, n;

	shrinker_walk_instances(memcg, &w);
	n = w.n;
	if (!n)
		return;
	pr_info("Shrinker instances (largest %d, by bytes, else objects):\n", n);
	for (i = 0; i < n; i++) {
		struct shrinker_oom_entry *e = &shrinker_oom_top[i];
		const char *name = "-";

#ifdef CONFIG_SHRINKER_DEBUG
		if (e->shrinker->name)
			name = e->shrinker->name;
#endif
		pr_info("  %s %ps memcg=%lu nid=%d count=%lu bytes=%lu deferred=%lu inflight=%lu backoff=%u%s\n",
			name, e->shrinker->scan_objects, e->memcg, e->nid, e->count,
			e->bytes, e->deferred, e->inflight, e->level,
			e->backed_off ? " (backed off)" : "");
		shrinker_put(e->shrinker);
	}
	memset(shrinker_oom_top, 0, sizeof(shrinker_oom_top));
}
