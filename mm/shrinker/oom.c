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
 * (VMSCAN_THROTTLE_SHRINKER, 100 ms) and retries reclaim, but begins no
 * wait SHRINKER_OOM_MAX_WAIT after the allocation's first: a bound in
 * time, not in waits, as each wait is followed by a reclaim round of no
 * fixed length.  So an OOM is delayed by at most 3 s, one throttle and
 * one reclaim round, and not at all when no instance reports such work:
 * a true OOM still happens promptly.  Global allocations without
 * __GFP_FS never wait: out_of_memory() kills for them only in a memcg,
 * and the allocator retries them regardless, so a wait would only sleep
 * with filesystem locks held.  A kthread or user worker is not throttled
 * (reclaim_throttle()): it retries reclaim, within the same bound.
 *
 * Each decision looks only at instances that may hold such work: those
 * whose queue or work in flight grew mark their slot in the memcg's
 * table (shrinker_pending_note()), and the walk unmarks the ones with
 * nothing left.  An OOM storm then costs a walk of memcgs and nodes, not
 * of every shrinker slot in each.
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

#define SHRINKER_OOM_TOP	8

/*
 * Queued work counts while the drain is seen freeing it, or while the
 * queue is younger than the window: the drain has not had its first go
 * at it yet.  Not while the drain is backed off from the instance: it
 * leaves it alone until the window closes, so nothing frees it before.
 * A reclaimer's refusal does not stop the drain (enum shrinker_ctx).
 */
bool shrinker_queue_draining(struct shrinker_instance *inst,
			     unsigned long now)
{
	unsigned long drained_at = READ_ONCE(inst->drained_at);

	if (!READ_ONCE(inst->deferred.nr) ||
	    shrinker_instance_backed_off(inst, SHRINKER_CTX_DRAIN, now))
		return false;
	if (drained_at && time_before(now, drained_at + SHRINKER_PENDING_WINDOW))
		return true;
	return time_before(now, shrinker_defer_since(&inst->deferred) +
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

static void shrinker_pending_one(struct shrinker_instance *inst,
				 struct shrinker_pending *p)
{
	unsigned long inflight, queued;

	p->visited++;
	/* reparented: what it had is counted on the instance it went to */
	if (READ_ONCE(inst->moved))
		return;
	p->bytes += shrinker_pending_bytes(inst, p->now, &inflight, &queued);
	p->inflight += inflight;
	p->deferred += queued;
}

/*
 * Nothing an OOM could wait for now or later without a new report or
 * queueing, which marks the instance again: no work queued, and what it
 * reported in flight, if anything, is older than the window.
 */
static bool shrinker_pending_none(struct shrinker_instance *inst,
				  unsigned long now)
{
	if (READ_ONCE(inst->moved))
		return true;
	if (READ_ONCE(inst->deferred.nr))
		return false;
	return !READ_ONCE(inst->inflight) ||
	       !time_before(now, READ_ONCE(inst->inflight_at) +
			    SHRINKER_PENDING_WINDOW);
}

/**
 * shrinker_pending_note - mark a memcg instance for the OOM walk
 * @inst: the instance, locked, whose queue or work in flight may have grown
 *
 * Own instances are not marked: the walk looks at all of them, one per
 * shrinker and node.
 */
void shrinker_pending_note(struct shrinker_instance *inst)
{
	struct shrinker_info_unit *unit = inst->unit;
	int off = inst->id % SHRINKER_UNIT_BITS;

	lockdep_assert_held(&inst->lock);
	if (!unit || (!inst->deferred.nr && !inst->inflight))
		return;
	/*
	 * Pairs with the barrier in shrinker_pending_unit(): either the
	 * walk that unmarks the slot sees the work, or this sees the mark
	 * gone and sets it again.
	 */
	smp_mb();
	/* every pass with work gets here: leave a shared line clean */
	if (!test_bit(off, unit->pending))
		set_bit(off, unit->pending);
}

static void shrinker_pending_slot(struct shrinker_info_unit *unit, int off,
				  int id, struct shrinker_pending *p)
{
	struct shrinker_instance *inst = rcu_dereference(unit->inst[off]);
	struct shrinker *shrinker;

	if (!inst)
		return;
	shrinker = shrinker_find_id(id);
	if (shrinker && shrinker_instance_of(inst, shrinker))
		shrinker_pending_one(inst, p);
}

/* The instance in slot @off of @unit may hold work an OOM waits for. */
static bool shrinker_pending_live(struct shrinker_info_unit *unit, int off,
				  unsigned long now)
{
	struct shrinker_instance *inst = rcu_dereference(unit->inst[off]);

	return inst && !shrinker_pending_none(inst, now);
}

/*
 * The marked slots of @unit, ids from @base.  A slot whose instance has
 * nothing left is unmarked, then looked at once more: work noted in
 * between is not missed (shrinker_pending_note()).
 */
static void shrinker_pending_unit(struct shrinker_info_unit *unit, int base,
				  struct shrinker_pending *p)
{
	int off;

	for_each_set_bit(off, unit->pending, SHRINKER_UNIT_BITS) {
		if (!shrinker_pending_live(unit, off, p->now)) {
			clear_bit(off, unit->pending);
			/* pairs with the barrier in shrinker_pending_note() */
			smp_mb__after_atomic();
			if (!shrinker_pending_live(unit, off, p->now))
				continue;
			set_bit(off, unit->pending);
		}
		shrinker_pending_slot(unit, off, base + off, p);
	}
}

/**
 * shrinker_pending_info - the work an OOM would wait for in one table
 * @info: a memcg's shrinker table for one node
 * @p: where the work found is added; @p->now set by the caller
 *
 * The caller holds the RCU read lock.
 */
void shrinker_pending_info(struct shrinker_info *info,
			   struct shrinker_pending *p)
{
	int u, nr = DIV_ROUND_UP(info->map_nr_max, SHRINKER_UNIT_BITS);

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "OOM walk outside RCU");

	for (u = 0; u < nr; u++)
		shrinker_pending_unit(info->unit[u], u * SHRINKER_UNIT_BITS, p);
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
	unsigned int level;		/* GFP_KERNEL reclaim's backoff */
	unsigned int drain_level;	/* the drain's, which OOM waits on */
	bool backed_off;		/* the drain's */
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
		.level = READ_ONCE(inst->backoff[SHRINKER_CTX_FULL].level),
		/* the drain's: whether the queued work OOM waits on moves */
		.drain_level = READ_ONCE(inst->backoff[SHRINKER_CTX_DRAIN].level),
		.backed_off = shrinker_instance_backed_off(inst,
							   SHRINKER_CTX_DRAIN,
							   jiffies),
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
	if (!w->report)
		shrinker_pending_one(inst, &w->p);
	/* reparented: what it had is counted on the instance it went to */
	else if (!READ_ONCE(inst->moved))
		shrinker_oom_rank(shrinker, inst, &w->n);
}

/*
 * Visit the live instances in @root's subtree, or everywhere when @root
 * is NULL, under RCU: visiting must not sleep.  The report visits every
 * one; the OOM decision only memcg instances that may hold work.
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
			if (info && !w->report) {
				shrinker_pending_info(info, &w->p);
				continue;
			}
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
 * @wait: the caller's record of waits for this allocation, zeroed at first
 *
 * Return: true after throttling if instances in the domain have work in
 * flight or a queue that is draining, and less than SHRINKER_OOM_MAX_WAIT
 * passed since the allocation's first wait; the caller retries reclaim.
 * False: go ahead.
 */
bool shrinker_oom_defer(struct mem_cgroup *memcg, gfp_t gfp_mask,
			struct shrinker_oom_wait *wait)
{
	struct shrinker_walk w = { .p.now = jiffies };
	struct shrinker_pending *p = &w.p;
	unsigned long waited = wait->waits ? p->now - wait->start : 0;
	bool defer = false;

	if ((memcg || (gfp_mask & __GFP_FS)) &&
	    (!wait->waits || waited < SHRINKER_OOM_MAX_WAIT)) {
		shrinker_walk_instances(memcg, &w);
		defer = p->bytes >= SHRINKER_OOM_MIN_BYTES;
	}
	trace_shrinker_oom_decision(shrinker_memcg_ino(memcg), gfp_mask,
				    wait->waits, jiffies_to_msecs(waited),
				    p->visited, p->inflight, p->deferred,
				    p->bytes, defer);
	if (!defer)
		return false;
	if (!wait->waits) {
		wait->start = p->now;
		count_vm_event(SHRINKER_OOM_DEFERRED);
		if (memcg)
			count_memcg_events(memcg, SHRINKER_OOM_DEFERRED, 1);
	}
	wait->waits++;
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
		pr_info("  %s %ps memcg=%lu nid=%d count=%lu bytes=%lu deferred=%lu inflight=%lu backoff=%u drain_backoff=%u%s\n",
			name, e->shrinker->scan_objects, e->memcg, e->nid, e->count,
			e->bytes, e->deferred, e->inflight, e->level,
			e->drain_level,
			e->backed_off ? " (drain backed off)" : "");
		shrinker_put(e->shrinker);
	}
	memset(shrinker_oom_top, 0, sizeof(shrinker_oom_top));
}
