// SPDX-License-Identifier: GPL-2.0
/*
 * Shrinkers as reclaim objects: registration, the memcg tables of
 * instances, and the reclaim pass over one instance.
 *
 * Locking:
 * - shrinker_mutex serialises registration, id allocation, growth of the
 *   memcg tables and reparenting.  Reclaim never takes it.
 * - Reclaim finds shrinkers under RCU (shrinker_list, shrinker_idr) and
 *   pins them with shrinker_try_get(); shrinker_free() waits for the pins
 *   to go before it frees any instance.
 * - A shrinker's core lives as long as the shrinker: a reader under RCU
 *   may read core->gen without a pin, and both go in one RCU callback.
 * - Reclaim finds memcg instances under RCU in the memcg's shrinker_info
 *   and may sleep with one as long as it pins both the memcg and the
 *   shrinker: instances go only with the memcg or the shrinker.
 * - An instance's state is under its spinlock, never held across a
 *   provider callback.
 */
#include <linux/idr.h>
#include <linux/memcontrol.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/vmstat.h>
#include <trace/events/vmscan.h>

#include "../internal.h"
#include "internal.h"
#include <trace/events/shrinker.h>

LIST_HEAD(shrinker_list);
/* the shrinker_core of each registered shrinker_set_unpins_pages() one */
static LIST_HEAD(shrinker_unpin_list);
/* registration, ids, memcg table growth and reparenting; see above */
DEFINE_MUTEX(shrinker_mutex);

/* Passes made without an instance because none could be allocated. */
static atomic_long_t shrinker_stateless_passes = ATOMIC_LONG_INIT(0);

long shrinker_nr_stateless_passes(void)
{
	return atomic_long_read(&shrinker_stateless_passes);
}

struct shrinker_instance *shrinker_own_instance(struct shrinker *shrinker,
						int nid)
{
	struct shrinker_core *core = shrinker_core(shrinker);

	if (!(shrinker->flags & SHRINKER_NUMA_AWARE) || nid >= core->nr_own)
		nid = 0;
	return core->own[nid];
}

/*
 * The objects that fill 1/SHRINKER_CEILING_SHARE of the instance's node:
 * above that, an idle instance is trimmed in the background.  Unknown
 * without the size of an object.
 */
#define SHRINKER_CEILING_SHARE	16

static unsigned long shrinker_instance_ceiling(struct shrinker_instance *inst)
{
	unsigned long pages, obj;

	if (!inst->bytes || !inst->count)
		return SHRINKER_WMARK_NO_CEILING;
	obj = max(inst->bytes / inst->count, 1UL);
	pages = node_present_pages(inst->nid) / SHRINKER_CEILING_SHARE;
	return mult_frac(pages, PAGE_SIZE, obj);
}

static void shrinker_instance_wmarks_locked(struct shrinker *shrinker,
					    struct shrinker_instance *inst)
{
	struct shrinker_core *core = shrinker_core(shrinker);

	/*
	 * Every reclaim pass gets here: take the shrinker-wide lock only when
	 * an override is set, not for each instance of every shrinker.
	 */
	inst->wmarks.user = false;
	if (READ_ONCE(core->wm_override.user)) {
		spin_lock(&core->wm_lock);
		if (core->wm_override.user)
			inst->wmarks = core->wm_override;
		spin_unlock(&core->wm_lock);
	}
	shrinker_wmarks_derive(&inst->wmarks, &inst->wss,
			       shrinker_instance_ceiling(inst));
}

void shrinker_instance_wmarks(struct shrinker *shrinker,
			      struct shrinker_instance *inst)
{
	spin_lock(&inst->lock);
	shrinker_instance_wmarks_locked(shrinker, inst);
	spin_unlock(&inst->lock);
}

/**
 * shrinker_scan_batches - scan up to @left objects, a batch at a time
 * @shrinker: whose provider scans
 * @sc: the context; nr_to_scan, nr_scanned and nr_inflight are set here
 * @left: objects still to scan; what the provider scanned is taken off
 * @last: a final batch smaller than the shrinker's batch is scanned only
 *	  when at least this many objects are left (reclaim passes the
 *	  freeable count, as 6.12 did: small remainders wait for more)
 * @r: adds what was scanned, freed and left in flight, the bytes freed
 *	 where the provider's scan_bytes() says, the time the provider
 *	 took, and SHRINK_STOP
 */
void shrinker_scan_batches(struct shrinker *shrinker, struct shrink_control *sc,
			   long *left, long last, struct shrinker_scan *r)
{
	const struct shrinker_provider *prov = shrinker_core(shrinker)->provider;
	long batch = shrinker_batch(shrinker);

	while (!r->stop && *left > 0 && (*left >= batch || *left >= last)) {
		unsigned long ret, bytes = 0;
		u64 start;

		sc->nr_to_scan = min(batch, *left);
		sc->nr_scanned = sc->nr_to_scan;
		sc->nr_inflight = 0;
		/* the provider's time only: not the waits in cond_resched() */
		start = ktime_get_ns();
		if (prov->scan_bytes)
			ret = prov->scan_bytes(shrinker, sc, &bytes);
		else
			ret = prov->scan(shrinker, sc);
		r->ns += ktime_get_ns() - start;
		/*
		 * A refused batch is queued or dropped, not scanned: what it
		 * reported in flight would be counted twice by the OOM check.
		 * No in-tree provider reports work in flight with SHRINK_STOP.
		 */
		if (ret == SHRINK_STOP) {
			r->stop = true;
			break;
		}
		r->freed += ret;
		r->freed_bytes += bytes;
		r->inflight += sc->nr_inflight;
		count_vm_events(SLABS_SCANNED, sc->nr_scanned);
		*left -= sc->nr_scanned;
		r->scanned += sc->nr_scanned;
		cond_resched();
	}
}

/*
 * Book a scan on @inst, under its lock: counters, work in flight, and
 * backoff, reset by progress or entered when @failed and nothing was freed
 * (not by a drop that only freed nothing).
 * @why: who asked (enum shrinker_book); @ctx: the pass's context, whose
 * backoff a failure enters (enum shrinker_ctx).  Progress ends the
 * backoffs of @ctx, of the freer contexts, of the drain's and of memcg
 * reclaim's unpinning passes: what one context freed, a freer one can
 * (GFP_KERNEL's is the only one freer than the drain's or the unpinning
 * passes').  Returns true if the instance backed off.
 */
bool shrinker_instance_book(struct shrinker_instance *inst,
			    const struct shrinker_scan *r, bool failed,
			    enum shrinker_book why, enum shrinker_ctx ctx,
			    unsigned long now)
{
	struct shrinker_backoff *bo = &inst->backoff[ctx];
	bool demand = why == SHRINKER_BOOK_DEMAND;
	bool aging = false;
	int i, last;

	lockdep_assert_held(&inst->lock);
	/*
	 * drop_caches asks everything at a neutral weight, whatever reclaim
	 * learnt: its time per byte is no sample of what reclaim should ask
	 * (below), and a cache it scanned around twice without a free is no
	 * cache reclaim failed on.  A refusal or work in flight is the
	 * provider's own word, and backs off as it does for reclaim.
	 */
	if (why == SHRINKER_BOOK_DROP && !r->stop && !r->inflight)
		failed = false;
	/*
	 * A pass asked for work that scanned, freed nothing and said nothing
	 * may only have aged a list that gives referenced objects a second
	 * chance, as the dcache, the icache and most list_lru users do: the
	 * next visit frees them.  Neither a backoff nor a cost sample until
	 * the instance has been scanned around twice since its last progress
	 * (shrinker_backoff_fruitless()), whoever scanned it.  A trim is
	 * nobody's demand: one that only rotated did not fail, and one
	 * refused with queued work left undone backs off the drain at
	 * once, and no reclaimer (the drain ends a trim refused alone).
	 */
	if (failed && demand && !r->freed && !r->stop && !r->inflight)
		aging = !shrinker_backoff_fruitless(&inst->backoff[SHRINKER_CTX_FULL],
						    r->scanned, inst->count);
	/*
	 * Objects put in flight are freed too, only later.  A trim slice
	 * that only rotated a warm list tells nothing of what reclaim pays
	 * for a byte.  Without a size
	 * (no obj_size, no provider bytes) the cost per byte is unknown, not
	 * infinite: sampling time against 0 bytes would give every such
	 * shrinker the floor weight for good.
	 */
	if (r->scanned && inst->count && inst->bytes && !aging &&
	    why != SHRINKER_BOOK_DROP &&
	    (why != SHRINKER_BOOK_TRIM || r->freed || r->inflight))
		shrinker_cost_add(&inst->cost, r->ns,
				  shrinker_objs_bytes(r->freed + r->inflight,
						      inst->bytes, inst->count));
	inst->stats.scanned += r->scanned;
	inst->stats.freed += r->freed;
	/*
	 * Not what it put in flight: those objects are still counted, and a
	 * provider reports the same ones again pass after pass.
	 */
	shrinker_wss_cut(&inst->wss, r->freed);
	/*
	 * Only the provider knows what is in flight.  A pass that scanned
	 * nothing and heard of nothing in flight, too small to scan, queued
	 * whole for NOFS, or refused at once, keeps the last report, which
	 * ages out by itself (shrinker_pending_bytes()).
	 */
	if (r->scanned || r->inflight)
		inst->inflight = r->inflight;
	if (r->inflight)
		inst->inflight_at = now;
	if (r->freed) {
		/*
		 * The drain's slices are GFP_KERNEL.  Whoever freed, the
		 * list holds what memcg reclaim's unpinning passes look for.
		 */
		last = ctx >= SHRINKER_CTX_DRAIN ? SHRINKER_CTX_FULL : ctx;
		for (i = SHRINKER_CTX_FULL; i <= last; i++)
			shrinker_backoff_progress(&inst->backoff[i]);
		shrinker_backoff_progress(&inst->backoff[SHRINKER_CTX_DRAIN]);
		shrinker_backoff_progress(&inst->backoff[SHRINKER_CTX_UNPIN]);
		inst->last_progress = now;
		return false;
	}
	if (!failed || aging)
		return false;
	shrinker_backoff_failed(bo, now);
	inst->stats.backoffs++;
	return true;
}

/*
 * Give back @nr objects of work a pass over @inst took, to @live, which
 * holds @inst's state now, under @live's lock.  On @inst itself the
 * queue is fitted to @freeable as ever.  Where reparenting moved it,
 * @freeable objects are among @live's now and @live's count is a sample
 * from before: nothing @live holds is cut (shrinker_defer_give()).
 * Returns the objects that went to @live in place of @inst, or 0.
 */
unsigned long shrinker_defer_give_back(struct shrinker_instance *inst,
				       struct shrinker_instance *live,
				       const struct shrinker_deferred *w,
				       unsigned long now, unsigned long freeable)
{
	lockdep_assert_held(&live->lock);
	if (live == inst) {
		shrinker_defer_return(&inst->deferred, w, now, freeable);
		return 0;
	}
	return shrinker_defer_give(&live->deferred, w, now,
				   max(live->count, freeable));
}

/*
 * Book a pass made over a child that was reparented meanwhile on the
 * instance its state went to, under that one's lock: the lifetime
 * counters only.  The pass saw the child's lists, not the parent's, so
 * it says nothing of the parent's work in flight, backoff or cost.
 */
void shrinker_instance_book_moved(struct shrinker_instance *live,
				  const struct shrinker_scan *r)
{
	lockdep_assert_held(&live->lock);
	live->stats.scanned += r->scanned;
	live->stats.freed += r->freed;
	shrinker_wss_cut(&live->wss, r->freed);
}

/*
 * drop_caches (@press->drop) asks what 6.12 asked at priority 0: its delta
 * at a neutral weight, and queued work up to twice @freeable in all, as
 * 6.12 added nr_deferred.  Except of a seeks 0 cache: 6.12 asked half of
 * it and carried the rest to its next call by windup, which instances do
 * not have, so each halving cost drop_slab() another round over every
 * memcg.  A drop asks all of it once, no more, and scans its last partial
 * batch.
 */
static unsigned long shrinker_delta(struct shrinker *shrinker,
				    unsigned long freeable,
				    const struct shrinker_pressure *press,
				    unsigned int weight)
{
	if (press->sweep)
		return 0;
	if (press->drop && !shrinker->seeks)
		return freeable;
	return shrinker_pressure_delta(freeable, press, weight,
				       shrinker->seeks);
}

/* Queued work a pass may take on top of its @delta */
static unsigned long shrinker_take_limit(struct shrinker *shrinker,
					 const struct shrinker_pressure *press,
					 unsigned long freeable,
					 unsigned long delta)
{
	unsigned long cap;

	if (!press->drop)
		return delta;
	cap = shrinker->seeks ? shrinker_twice(freeable) : freeable;
	return delta < cap ? cap - delta : 0;
}

/*
 * The rest of shrinker_scan_instance(), for an instance with @freeable
 * objects.  Apart, and not inlined, so that the many passes whose count
 * is 0 open none of its frame: its stack canary and its zeroed locals.
 */
static noinline unsigned long
shrinker_scan_counted(struct shrinker *shrinker, struct shrinker_instance *inst,
		      struct shrink_control *sc,
		      const struct shrinker_pressure *press,
		      struct shrinker_pass *pass, unsigned long freeable)
{
	const struct shrinker_provider *prov = shrinker_core(shrinker)->provider;
	struct shrinker_instance *live = inst;
	unsigned long delta, taken = 0, queued = 0, added = 0;
	unsigned long bytes, back = 0, now = jiffies, thr;
	struct shrinker_deferred took = { };
	unsigned int weight = SHRINKER_WEIGHT_ONE;
	int priority = press->priority;
	/*
	 * What a pass that min no longer spares leaves is owed below min
	 * too, the last pass before OOM's included; a drop's is not.
	 */
	bool urgent = shrinker_past_min(priority) && !press->drop;
	enum shrinker_ctx ctx = shrinker_ctx_of(sc->gfp_mask), book_ctx;
	/* memcg reclaim's passes over an unpinning shrinker: see below */
	enum shrinker_ctx skip_ctx = press->unpin ? SHRINKER_CTX_UNPIN :
				     SHRINKER_CTX_FULL;
	bool defer_nofs, backed = false, skip = false, trim = false;
	bool may_trim = false, wake = false;
	struct shrinker_scan r = { };
	long total;

	pass->freeable = freeable;
	defer_nofs = (shrinker->flags & SHRINKER_DEFER_NOFS) &&
		     !(sc->gfp_mask & __GFP_FS);
	/*
	 * Sizing walks the provider's lists again: every reclaim priority of
	 * every memcg gets here, so resize only when the count moved.
	 */
	if (inst && freeable == READ_ONCE(inst->bytes_count))
		bytes = READ_ONCE(inst->bytes);
	else
		bytes = 0;
	if (!bytes && prov->bytes)
		bytes = prov->bytes(shrinker, sc, freeable);
	/*
	 * Only the sweep starts a trim, a lap of the list at most, and a
	 * sweep period after the last one ended (shrinker_drain_instance()).
	 * Reclaim scans what it needs itself.
	 */
	if (inst && press->sweep)
		may_trim = shrinker_trim_allowed(sc->memcg);

	if (inst) {
		spin_lock(&inst->lock);
		if (inst->moved) {
			spin_unlock(&inst->lock);
			return 0;
		}
		shrinker_wss_sample(&inst->wss, freeable, now);
		inst->count = freeable;
		inst->bytes = bytes;
		inst->bytes_count = freeable;
		shrinker_instance_wmarks_locked(shrinker, inst);
		if (!press->drop)
			weight = shrinker_cost_weight(&press->lru,
						      &inst->cost);
		queued = inst->deferred.nr;
		/* a rest over is forgotten, or jiffies would wrap onto it */
		if (inst->trim_end &&
		    time_after_eq(now, inst->trim_end + SHRINKER_SWEEP_PERIOD))
			inst->trim_end = 0;
		/* grown past high: trim back to low in the background */
		if (may_trim && freeable > inst->wmarks.high && !inst->trim &&
		    !inst->trim_end) {
			WRITE_ONCE(inst->trim, true);
			inst->trim_left = freeable;
			inst->trim_rotated = false;
			trim = true;
		}
		delta = shrinker_delta(shrinker, freeable, press, weight);
		/*
		 * Priority 0 is the last pass before OOM: nothing is spared.
		 * Nor is min from kswapd under real pressure, which never
		 * goes below priority 1 (SHRINKER_MIN_PRIORITY).
		 */
		if (priority &&
		    (shrinker_instance_backed_off(inst, skip_ctx, now) ||
		     (freeable <= inst->wmarks.min &&
		      !shrinker_past_min(priority))))
			skip = true;
		/*
		 * Refused in this restricted context lately, not in a freer
		 * one: queue the work for the drain without asking again, as
		 * for SHRINKER_DEFER_NOFS, rather than drop the pressure until
		 * the window closes.  6.12 carried every refusal forward.
		 */
		else if (priority &&
			 shrinker_restricted_backed_off(inst, ctx, now))
			defer_nofs = true;
		/* an empty queue: nothing to take, no epoch to age */
		else if (!defer_nofs && queued) {
			taken = shrinker_defer_take(&inst->deferred,
						    shrinker_take_limit(shrinker,
									press,
									freeable,
									delta),
						    now, &took);
		}
		spin_unlock(&inst->lock);
		if (trim)
			shrinker_trim_queue(inst);
		if (press->sweep)
			return 0;
		if (skip) {
			pass->skipped = true;
			trace_shrinker_instance_skip(shrinker, inst, freeable,
						     queued);
			return 0;
		}
	} else {
		if (press->sweep)
			return 0;
		atomic_long_inc(&shrinker_stateless_passes);
		delta = shrinker_delta(shrinker, freeable, press, weight);
	}

	total = press->drop ? delta + taken : shrinker_pass_target(delta, taken);
	/*
	 * The last pass before OOM reaches every instance: at least a batch,
	 * or all of a smaller one.  Without windup nothing else takes a pass
	 * past a last partial batch, and a cache of seeks 0 is only ever
	 * asked half of itself.
	 */
	if (!priority)
		total = max_t(long, total,
			      min_t(long, freeable, shrinker_batch(shrinker)));
	pass->delta = delta;
	pass->weight = weight;
	pass->total = total;
	trace_mm_shrink_slab_start(shrinker, sc, queued, freeable, delta,
				   total, priority);

	/* SHRINKER_DEFER_NOFS: queue it all, as if the provider had refused */
	r.stop = defer_nofs;
	shrinker_scan_batches(shrinker, sc, &total,
			      press->drop && !shrinker->seeks ? 1 : freeable,
			      &r);

	/*
	 * Taken work left unscanned goes back to the queue, as old as it
	 * was; what a pass min no longer spares left is urgent, as below.
	 */
	if (taken && total > 0) {
		back = min_t(unsigned long, total, taken);
		total -= back;
		shrinker_defer_unscanned(&took, back, urgent);
	}
	/*
	 * Reparenting may have moved the instance while the provider ran:
	 * what the pass gives back or queues goes where its state went
	 * (shrinker_instance_lock_live()).  Events and tracepoints stay
	 * with the instance the pass was made for.
	 */
	if (inst && back && !r.scanned && !r.stop) {
		live = shrinker_instance_lock_live(inst);
		shrinker_note_rerouted(inst, live,
				       shrinker_defer_give_back(inst, live, &took,
								now, freeable));
		shrinker_pending_note(live);
		spin_unlock(&live->lock);
	}
	/* a pass too small to scan, and queueing nothing, changed nothing */
	if (inst && (r.scanned || r.stop)) {
		live = shrinker_instance_lock_live(inst);
		if (back)
			shrinker_note_rerouted(inst, live,
					       shrinker_defer_give_back(inst, live,
									&took, now,
									freeable));
		/*
		 * Work is queued as of now, not as of the pass's start: the
		 * provider may have slept past the end of an epoch.
		 */
		if (live == inst) {
			if (r.stop && total > 0)
				added = shrinker_defer_add(&inst->deferred,
							   total, freeable,
							   jiffies, urgent);
			/*
			 * A memcg's unpinning pass that failed backs off only
			 * those passes, unless the provider refused a
			 * restricted context, which is that context's doing
			 * whoever asked.  Progress ends the contexts as ever.
			 */
			book_ctx = ctx;
			if (press->unpin && !r.freed &&
			    !(r.stop && ctx != SHRINKER_CTX_FULL))
				book_ctx = SHRINKER_CTX_UNPIN;
			backed = shrinker_instance_book(inst, &r,
							(r.stop && !defer_nofs) ||
							r.scanned,
							press->drop ?
							SHRINKER_BOOK_DROP :
							SHRINKER_BOOK_DEMAND,
							book_ctx, now);
		} else {
			/* @freeable objects are among @live's now */
			if (r.stop && total > 0) {
				/* @took went back above: reuse it */
				took = (struct shrinker_deferred){ };
				shrinker_defer_add(&took, total, total,
						   jiffies, urgent);
				added = shrinker_defer_give(&live->deferred,
							    &took, jiffies,
							    max(live->count,
								freeable));
			}
			shrinker_instance_book_moved(live, &r);
			shrinker_note_rerouted(inst, live, added);
		}
		live->stats.enqueued += added;
		queued = live->deferred.nr;
		/*
		 * Woken from here, the worker can preempt the reclaimer
		 * inside its stall, pass after pass.  Wake it when this pass
		 * brings the queue to a batch (do_shrink_slab() scanned no
		 * less than min(batch, freeable)), or for work owed below
		 * min, and not while the drain is backed off, as it would
		 * only put the instance back for its tick; else the worker
		 * comes within its tick.
		 */
		thr = min_t(unsigned long, max(live->count, freeable),
			    shrinker_batch(shrinker));
		wake = (urgent || (queued >= thr && queued < thr + added)) &&
		       !shrinker_instance_backed_off(live, SHRINKER_CTX_DRAIN,
						     jiffies);
		shrinker_pending_note(live);
		spin_unlock(&live->lock);
		shrinker_count_event(inst, SHRINKER_INSTANCE_SCAN, 1);
		shrinker_count_event(inst, SHRINKER_FREED, r.freed);
		shrinker_count_event(inst, SHRINKER_BACKOFF, backed);
		shrinker_count_event(inst, SHRINKER_DEFER_ENQUEUE, added);
		if (added) {
			trace_shrinker_defer_enqueue(shrinker, live, added,
						     queued);
			if (wake)
				shrinker_drain_queue(live);
			else
				shrinker_drain_later(live);
		}
		if (backed)
			trace_shrinker_backoff(shrinker, inst, r.stop,
					       r.inflight);
		trace_shrinker_instance_scan(shrinker, inst, sc->gfp_mask,
					     priority, freeable, delta, weight,
					     taken, r.scanned, r.freed,
					     r.inflight);
	}
	trace_mm_shrink_slab_end(shrinker, sc->nid, r.freed, taken, queued,
				 total);
	pass->scanned = r.scanned;
	pass->freed = r.freed;
	pass->inflight = r.inflight;
	if (prov->scan_bytes)
		pass->freed_bytes = r.freed_bytes;
	else if (bytes)
		pass->freed_bytes = shrinker_objs_bytes(r.freed, bytes,
							freeable);
	return r.freed;
}

/*
 * One reclaim pass over one instance.  Its target is its share of the
 * pressure the LRUs took, weighted by what its bytes cost to reclaim
 * against theirs (shrinker_pressure_delta()), plus at most as much again
 * of queued work: no caller pays for more than one pass of someone else's.
 * drop_caches, which asked for all of it, takes up to 6.12's bound
 * instead (shrinker_delta()).
 * Work this context cannot do goes to the instance's queue for the drain
 * worker.  With @inst NULL (no memory for it) the pass is made without
 * state, at a neutral weight.
 */
unsigned long shrinker_scan_instance(struct shrinker *shrinker,
				     struct shrinker_instance *inst,
				     struct shrink_control *sc,
				     const struct shrinker_pressure *press,
				     struct shrinker_pass *pass)
{
	const struct shrinker_provider *prov = shrinker_core(shrinker)->provider;
	unsigned long freeable;

	memset(pass, 0, sizeof(*pass));
	/* reparented: its objects and state are the parent's now */
	if (inst && READ_ONCE(inst->moved))
		return 0;
	/*
	 * Most passes end here: every walk of a memcg counts its shrinkers.
	 * A legacy shrinker's count is one indirect call, not two through
	 * its provider: indirect calls are dear under retpolines.
	 */
	if (prov == &shrinker_legacy_provider)
		freeable = shrinker->count_objects(shrinker, sc);
	else
		freeable = prov->count(shrinker, sc);
	if (freeable == 0 || freeable == SHRINK_EMPTY) {
		if (inst)
			WRITE_ONCE(inst->count, 0);
		return freeable;
	}
	return shrinker_scan_counted(shrinker, inst, sc, press, pass, freeable);
}

#ifdef CONFIG_MEMCG
static DEFINE_IDR(shrinker_idr);
static int shrinker_nr_max;

static struct shrinker_info *shrinker_info_protected(struct mem_cgroup *memcg,
						     int nid)
{
	return rcu_dereference_protected(memcg->nodeinfo[nid]->shrinker_info,
					 lockdep_is_held(&shrinker_mutex));
}

static void __free_shrinker_info(struct mem_cgroup *memcg)
{
	int nid;

	for_each_node(nid) {
		struct mem_cgroup_per_node *pn = memcg->nodeinfo[nid];

		shrinker_info_free(shrinker_info_protected(memcg, nid));
		rcu_assign_pointer(pn->shrinker_info, NULL);
	}
}

/* The memcg is being freed: its instances go with it. */
void free_shrinker_info(struct mem_cgroup *memcg)
{
	mutex_lock(&shrinker_mutex);
	__free_shrinker_info(memcg);
	mutex_unlock(&shrinker_mutex);
}

int alloc_shrinker_info(struct mem_cgroup *memcg)
{
	int nid;

	mutex_lock(&shrinker_mutex);
	for_each_node(nid) {
		struct shrinker_info *info;

		info = shrinker_info_alloc(shrinker_nr_max, nid);
		if (!info) {
			__free_shrinker_info(memcg);
			mutex_unlock(&shrinker_mutex);
			return -ENOMEM;
		}
		rcu_assign_pointer(memcg->nodeinfo[nid]->shrinker_info, info);
	}
	mutex_unlock(&shrinker_mutex);
	return 0;
}

static int expand_one_shrinker_info(struct mem_cgroup *memcg, int new_nr_max)
{
	int nid;

	for_each_node(nid) {
		struct shrinker_info *old, *new;
		int i, old_units, new_units;

		old = shrinker_info_protected(memcg, nid);
		if (!old)	/* not online yet: allocated at the new size */
			return 0;
		if (new_nr_max <= old->map_nr_max)
			continue;
		old_units = DIV_ROUND_UP(old->map_nr_max, SHRINKER_UNIT_BITS);
		new_units = DIV_ROUND_UP(new_nr_max, SHRINKER_UNIT_BITS);
		new = kvzalloc_node(struct_size(new, unit, new_units),
				    GFP_KERNEL, nid);
		if (!new)
			return -ENOMEM;
		new->map_nr_max = new_nr_max;
		memcpy(new->unit, old->unit, old_units * sizeof(new->unit[0]));
		for (i = old_units; i < new_units; i++) {
			new->unit[i] = kzalloc_node(sizeof(*new->unit[i]),
						    GFP_KERNEL, nid);
			if (!new->unit[i]) {
				while (--i >= old_units)
					kfree(new->unit[i]);
				kvfree(new);
				return -ENOMEM;
			}
		}
		rcu_assign_pointer(memcg->nodeinfo[nid]->shrinker_info, new);
		kvfree_rcu(old, rcu);
	}
	return 0;
}

static int expand_shrinker_info(int new_id)
{
	int new_nr_max = round_up(new_id + 1, SHRINKER_UNIT_BITS);
	struct mem_cgroup *memcg;
	int ret = 0;

	lockdep_assert_held(&shrinker_mutex);
	if (!root_mem_cgroup)
		goto out;
	memcg = mem_cgroup_iter(NULL, NULL, NULL);
	do {
		ret = expand_one_shrinker_info(memcg, new_nr_max);
		if (ret) {
			mem_cgroup_iter_break(NULL, memcg);
			return ret;
		}
	} while ((memcg = mem_cgroup_iter(NULL, memcg, NULL)) != NULL);
out:
	shrinker_nr_max = new_nr_max;
	return 0;
}

static struct shrinker_instance *memcg_instance(struct mem_cgroup *memcg,
						int nid, int id)
{
	struct shrinker_info *info;

	info = rcu_dereference_check(memcg->nodeinfo[nid]->shrinker_info,
				     lockdep_is_held(&shrinker_mutex));
	return shrinker_info_lookup(info, id);
}

/*
 * The shrinker @shrinker_id has its first object in (@memcg, @nid): mark
 * it and create its instance.  Called under the object list's spinlock,
 * so the instance is allocated without sleeping; when that fails, the bit
 * alone keeps the objects reachable and reclaim retries the allocation.
 */
void set_shrinker_bit(struct mem_cgroup *memcg, int nid, int shrinker_id)
{
	struct shrinker_info_unit *unit;
	struct shrinker_instance *inst;
	struct shrinker_info *info;
	struct shrinker *shrinker;

	if (shrinker_id < 0 || !memcg || mem_cgroup_is_root(memcg))
		return;

	rcu_read_lock();
	info = rcu_dereference(memcg->nodeinfo[nid]->shrinker_info);
	if (!WARN_ON_ONCE(shrinker_id >= info->map_nr_max)) {
		unit = info->unit[shrinker_id / SHRINKER_UNIT_BITS];
		inst = rcu_dereference(unit->inst[shrinker_id % SHRINKER_UNIT_BITS]);
		shrinker = idr_find(&shrinker_idr, shrinker_id);
		/*
		 * A slot still holding the id's previous shrinker's instance
		 * is being emptied: reclaim installs ours when it finds it.
		 */
		if (shrinker && !inst)
			shrinker_info_install(info, shrinker, shrinker_id, nid,
					      memcg, GFP_NOWAIT | __GFP_NOWARN,
					      false);
		/* Pairs with the barrier in shrink_slab_memcg() */
		smp_mb__before_atomic();
		set_bit(shrinker_id % SHRINKER_UNIT_BITS, unit->map);
	}
	rcu_read_unlock();
}

/*
 * The memcg goes offline; list_lru has just handed its objects to the
 * parent.  In the same step, move each instance's queued work, backoff and
 * counters into the parent's instance, so nothing pending is lost and
 * nothing needs to come back for it later.
 */
void reparent_shrinker_deferred(struct mem_cgroup *memcg)
{
	struct mem_cgroup *parent = parent_mem_cgroup(memcg);
	int nid, id;

	if (!parent)
		parent = root_mem_cgroup;

	shrinker_trim_forget(memcg);
	mutex_lock(&shrinker_mutex);
	for_each_node(nid) {
		struct shrinker_info *child = shrinker_info_protected(memcg, nid);
		struct shrinker_info *pinfo = shrinker_info_protected(parent, nid);

		for (id = 0; child && id < child->map_nr_max; id++) {
			struct shrinker_instance *src, *dst;
			struct shrinker *shrinker;

			src = shrinker_info_lookup(child, id);
			if (!src)
				continue;
			/*
			 * Under the mutex a slot holds only instances of the
			 * id's registered shrinker: a shrinker leaves the idr
			 * and empties its slots in one hold of it.
			 */
			shrinker = idr_find(&shrinker_idr, id);
			if (WARN_ON_ONCE(!shrinker ||
					 !shrinker_instance_of(src, shrinker)))
				continue;
			if (mem_cgroup_is_root(parent))
				dst = shrinker_own_instance(shrinker, nid);
			else
				dst = shrinker_info_install(pinfo, shrinker, id,
							    nid, parent,
							    GFP_KERNEL, true);
			/* no memory: the work still reaches this node */
			if (!dst)
				dst = shrinker_own_instance(shrinker, nid);
			shrinker_instance_merge(dst, src);
			/* the child has nothing left to drain or trim */
			shrinker_drain_forget(src);
			trace_shrinker_reparent(shrinker, src, dst);
			if (READ_ONCE(dst->deferred.nr))
				shrinker_drain_queue(dst);
		}
	}
	mutex_unlock(&shrinker_mutex);
}

static int shrinker_memcg_alloc(struct shrinker *shrinker)
{
	int id, ret = -ENOMEM;

	if (mem_cgroup_disabled())
		return -EOPNOTSUPP;

	mutex_lock(&shrinker_mutex);
	id = idr_alloc(&shrinker_idr, shrinker, 0, 0, GFP_KERNEL);
	if (id < 0)
		goto unlock;
	if (id >= shrinker_nr_max && expand_shrinker_info(id)) {
		idr_remove(&shrinker_idr, id);
		/* set_shrinker_bit() may have installed meanwhile */
		shrinker_instances_release(shrinker);
		goto unlock;
	}
	shrinker->id = id;
	ret = 0;
unlock:
	mutex_unlock(&shrinker_mutex);
	return ret;
}

/*
 * The shrinker is unpinned and leaving: no new lookup finds it, though a
 * set_shrinker_bit() that found it under RCU may still try to install
 * (shrinker_core::dead refuses it).  Its memcg instances go next, from
 * its own list (shrinker_core_release()), not by walking every memcg.
 */
static void shrinker_memcg_remove(struct shrinker *shrinker)
{
	lockdep_assert_held(&shrinker_mutex);
	idr_remove(&shrinker_idr, shrinker->id);
}

struct shrinker *shrinker_find_id(int id)
{
	return idr_find(&shrinker_idr, id);
}

struct shrinker_instance *shrinker_memcg_instance(struct shrinker *shrinker,
						  struct mem_cgroup *memcg,
						  int nid)
{
	if (!memcg || mem_cgroup_is_root(memcg) ||
	    !(shrinker->flags & SHRINKER_MEMCG_AWARE))
		return shrinker_own_instance(shrinker, nid);
	return memcg_instance(memcg, nid, shrinker->id);
}

static void shrink_result_add(struct shrink_result *res, unsigned long ret,
			      const struct shrinker_pass *pass)
{
	if (ret == SHRINK_EMPTY)
		return;
	res->freed += ret;
	res->freed_bytes += pass->freed_bytes;
}

static unsigned long shrink_slab_memcg(gfp_t gfp_mask, int nid,
				       struct mem_cgroup *memcg,
				       const struct shrinker_pressure *press,
				       struct shrink_result *res)
{
	struct shrinker_info_unit *unit;
	unsigned long ret, freed = 0;
	struct shrinker_info *info;
	/*
	 * Out of the loop: with CONFIG_INIT_STACK_ALL_ZERO a local there is
	 * zeroed for every shrinker, and shrinker_scan_instance() zeroes it
	 * again.
	 */
	struct shrinker_pass pass;
	int offset, index = 0;

	if (!mem_cgroup_online(memcg))
		return 0;

	/*
	 * The info array may be replaced while a scan sleeps, so it is looked
	 * up again for every unit; units and the instances in them stay until
	 * the memcg, which the caller pins, is freed.
	 */
again:
	rcu_read_lock();
	info = rcu_dereference(memcg->nodeinfo[nid]->shrinker_info);
	if (unlikely(!info) ||
	    index >= DIV_ROUND_UP(info->map_nr_max, SHRINKER_UNIT_BITS)) {
		rcu_read_unlock();
		return freed;
	}
	unit = info->unit[index];
	rcu_read_unlock();

	for_each_set_bit(offset, unit->map, SHRINKER_UNIT_BITS) {
		struct shrink_control sc = {
			.gfp_mask = gfp_mask,
			.nid = nid,
			.memcg = memcg,
		};
		int id = index * SHRINKER_UNIT_BITS + offset;
		struct shrinker_instance *inst;
		struct shrinker *shrinker;

		rcu_read_lock();
		shrinker = idr_find(&shrinker_idr, id);
		if (unlikely(!shrinker || !shrinker_try_get(shrinker))) {
			clear_bit(offset, unit->map);
			rcu_read_unlock();
			continue;
		}
		/*
		 * The id's previous shrinker's instance may linger in the
		 * slot until a grace period ends: checked here, not after.
		 */
		inst = rcu_dereference(unit->inst[offset]);
		if (inst && unlikely(!shrinker_instance_of(inst, shrinker)))
			inst = NULL;
		rcu_read_unlock();

		/* Call non-slab shrinkers even though kmem is disabled */
		if (!memcg_kmem_online() &&
		    !(shrinker->flags & SHRINKER_NONSLAB)) {
			shrinker_put(shrinker);
			continue;
		}
		if (unlikely(!inst))
			inst = shrinker_unit_install(unit, offset, shrinker, id,
						     nid, memcg,
						     GFP_NOWAIT | __GFP_NOWARN,
						     false);

		ret = shrinker_scan_instance(shrinker, inst, &sc, press,
					     &pass);
		if (ret == SHRINK_EMPTY) {
			clear_bit(offset, unit->map);
			/*
			 * An object may have been added after the count and
			 * before the clear: count again, and restore the bit
			 * if so.  Pairs with the barrier in set_shrinker_bit().
			 */
			smp_mb__after_atomic();
			ret = shrinker_scan_instance(shrinker, inst, &sc,
						     press, &pass);
			if (ret == SHRINK_EMPTY)
				ret = 0;
			else
				set_bit(offset, unit->map);
		}
		shrink_result_add(res, ret, &pass);
		freed += ret;
		shrinker_put(shrinker);
	}
	index++;
	goto again;
}
#else /* !CONFIG_MEMCG */
static int shrinker_memcg_alloc(struct shrinker *shrinker)
{
	return -EOPNOTSUPP;
}

static void shrinker_memcg_remove(struct shrinker *shrinker)
{
}

struct shrinker *shrinker_find_id(int id)
{
	return NULL;
}

struct shrinker_instance *shrinker_memcg_instance(struct shrinker *shrinker,
						  struct mem_cgroup *memcg,
						  int nid)
{
	return shrinker_own_instance(shrinker, nid);
}

static unsigned long shrink_slab_memcg(gfp_t gfp_mask, int nid,
				       struct mem_cgroup *memcg,
				       const struct shrinker_pressure *press,
				       struct shrink_result *res)
{
	return 0;
}
#endif /* CONFIG_MEMCG */

/*
 * Scan @shrinker's own instance on @nid; what it frees is added to @res
 * unless @res is NULL.  Called with @shrinker pinned.
 */
static unsigned long shrinker_scan_own(struct shrinker *shrinker,
				       gfp_t gfp_mask, int nid,
				       struct mem_cgroup *memcg,
				       const struct shrinker_pressure *press,
				       struct shrink_result *res)
{
	struct shrink_control sc = {
		.gfp_mask = gfp_mask,
		.nid = nid,
		.memcg = memcg,
	};
	struct shrinker_pass pass;
	unsigned long ret;

	ret = shrinker_scan_instance(shrinker,
				     shrinker_own_instance(shrinker, nid),
				     &sc, press, &pass);
	if (ret == SHRINK_EMPTY)
		return 0;
	if (res)
		shrink_result_add(res, ret, &pass);
	return ret;
}

/**
 * shrink_slab_unpin - scan the shrinkers whose objects pin memcg pages
 * @gfp_mask: allocation context
 * @nid: node whose instances to target
 * @memcg: the target of the reclaim, passed in sc->memcg
 * @priority: the reclaim priority
 * @res: in, what the LRUs of every memcg the cycle visited went through
 *	 (lru_scanned, lru_eligible); nothing is added to it
 *
 * Memcg reclaim below the root calls this at the end of a walk of the
 * target's subtree on a node that left it short of its goal, once for
 * all the memcgs the walk scanned.  Global reclaim scans these shrinkers
 * in its root pass only.  The passes book their failures in a backoff
 * context of their own (SHRINKER_CTX_UNPIN).  See
 * shrinker_set_unpins_pages().
 *
 * Return: the objects freed, none of them a memcg's own.
 */
unsigned long shrink_slab_unpin(gfp_t gfp_mask, int nid,
				struct mem_cgroup *memcg, int priority,
				const struct shrink_result *res)
{
	struct shrinker_pressure press = {
		.scanned = res->lru_scanned,
		.eligible = res->lru_eligible,
		.priority = priority,
		.unpin = true,
	};
	struct shrinker_core *core;
	unsigned long freed = 0;

	/* each memcg's pass booked the LRUs' time already: read the cost */
	shrinker_node_lru_cost(nid, 0, 0, &press.lru);
	rcu_read_lock();
	list_for_each_entry_rcu(core, &shrinker_unpin_list, unpin) {
		struct shrinker *shrinker = core->shrinker;

		if (!shrinker_try_get(shrinker))
			continue;
		rcu_read_unlock();
		freed += shrinker_scan_own(shrinker, gfp_mask, nid, memcg,
					   &press, NULL);
		rcu_read_lock();
		shrinker_put(shrinker);
	}
	rcu_read_unlock();
	cond_resched();
	return freed;
}

static unsigned long shrink_slab_press(gfp_t gfp_mask, int nid,
				       struct mem_cgroup *memcg,
				       struct shrinker_pressure *press,
				       struct shrink_result *res)
{
	unsigned long freed = 0;
	struct shrinker *shrinker;

	/*
	 * With cgroup_disable=memory the root memcg exists but is not the
	 * root as mem_cgroup_is_root() sees it; treat it as the root here.
	 */
	if (memcg && !mem_cgroup_disabled() && !mem_cgroup_is_root(memcg))
		return shrink_slab_memcg(gfp_mask, nid, memcg, press, res);

	/*
	 * Walk under RCU, pin each shrinker to scan it outside the read
	 * side, and retake RCU before unpinning so the list walk can go on.
	 */
	rcu_read_lock();
	list_for_each_entry_rcu(shrinker, &shrinker_list, list) {
		if (!shrinker_try_get(shrinker))
			continue;
		rcu_read_unlock();
		freed += shrinker_scan_own(shrinker, gfp_mask, nid, memcg,
					   press, res);
		rcu_read_lock();
		shrinker_put(shrinker);
	}
	rcu_read_unlock();
	cond_resched();
	return freed;
}

/**
 * shrink_slab_result - reclaim from the shrinker instances of a node and memcg
 * @gfp_mask: allocation context
 * @nid: node whose instances to target
 * @memcg: memory cgroup whose instances to target; NULL or the root for
 *	   every shrinker's own instances
 * @priority: the reclaim priority; 0 spares no watermark and no backoff
 * @res: in, what the LRUs of this node and memcg just went through, all
 *	 zero if nothing; adds what was freed, in objects and in bytes
 *
 * Return: the number of objects freed.
 */
unsigned long shrink_slab_result(gfp_t gfp_mask, int nid,
				 struct mem_cgroup *memcg, int priority,
				 struct shrink_result *res)
{
	struct shrinker_pressure press = {
		.scanned = res->lru_scanned,
		.eligible = res->lru_eligible,
		.priority = priority,
	};

	shrinker_node_lru_cost(nid, res->lru_ns,
			       res->lru_reclaimed << PAGE_SHIFT, &press.lru);
	return shrink_slab_press(gfp_mask, nid, memcg, &press, res);
}

/**
 * shrinker_sweep_instances - count the shrinker instances of a node and memcg
 * @nid: node whose instances to count
 * @memcg: memory cgroup whose instances to count; NULL or the root for
 *	   every shrinker's own instances
 *
 * Samples each instance's working set and queues those grown past high
 * for trimming; scans nothing.
 */
void shrinker_sweep_instances(int nid, struct mem_cgroup *memcg)
{
	struct shrinker_pressure press = {
		.priority = DEF_PRIORITY,
		.sweep = true,
	};
	struct shrink_result res = { };

	shrink_slab_press(GFP_KERNEL, nid, memcg, &press, &res);
}

/**
 * shrink_slab - drop what the shrinker instances of a node and memcg free
 * @gfp_mask: allocation context
 * @nid: node whose instances to target
 * @memcg: memory cgroup whose instances to target; NULL or the root for
 *	   every shrinker's own instances
 * @priority: the reclaim priority, 0 for drop_slab()
 *
 * drop_slab()'s entry, and no one else's: reclaim passes its LRUs'
 * figures through shrink_slab_result().  Each instance is asked what 6.12
 * asked it at priority 0, whatever its cost weight, and a seeks 0 one all
 * of itself (shrinker_delta()).
 *
 * Return: the number of objects freed.
 */
unsigned long shrink_slab(gfp_t gfp_mask, int nid, struct mem_cgroup *memcg,
			  int priority)
{
	struct shrinker_pressure press = {
		.priority = priority,
		.drop = true,
	};
	struct shrink_result res = { };

	/* a reclaim caller would get a drop's passes */
	WARN_ON_ONCE(priority);
	return shrink_slab_press(gfp_mask, nid, memcg, &press, &res);
}

static unsigned long shrinker_legacy_count(struct shrinker *shrinker,
					   struct shrink_control *sc)
{
	return shrinker->count_objects(shrinker, sc);
}

static unsigned long shrinker_legacy_scan(struct shrinker *shrinker,
					  struct shrink_control *sc)
{
	return shrinker->scan_objects(shrinker, sc);
}

static unsigned long shrinker_legacy_bytes(struct shrinker *shrinker,
					   struct shrink_control *sc,
					   unsigned long count)
{
	return count * shrinker->obj_size;
}

/* The count_objects/scan_objects callbacks every shrinker has. */
const struct shrinker_provider shrinker_legacy_provider = {
	.name	= "legacy",
	.count	= shrinker_legacy_count,
	.scan	= shrinker_legacy_scan,
	.bytes	= shrinker_legacy_bytes,
};

/**
 * shrinker_set_provider - drive a shrinker through a provider
 * @shrinker: allocated, not yet registered
 * @prov: replaces its count_objects/scan_objects callbacks
 */
void shrinker_set_provider(struct shrinker *shrinker,
			   const struct shrinker_provider *prov)
{
	if (WARN_ON_ONCE(shrinker->flags & SHRINKER_REGISTERED) ||
	    WARN_ON_ONCE(!prov->count || !prov->scan))
		return;
	shrinker_core(shrinker)->provider = prov;
}
EXPORT_SYMBOL_GPL(shrinker_set_provider);

/**
 * shrinker_set_unpins_pages - have memcg reclaim run @shrinker too
 * @shrinker: allocated, not yet registered, not memcg aware
 *
 * For a shrinker whose objects are charged to no memcg but pin page cache
 * folios that are, as jbd2's checkpointed buffers pin the buffer cache: a
 * memcg at its limit cannot reclaim those folios until the objects go, so
 * reclaim that targets a non-root memcg also scans the shrinker's own
 * instance on a node when its walk of the memcgs there took file folios
 * off their LRUs and still fell short (shrink_slab_unpin()).  A shrinker
 * pinning anon folios would never be asked.  What it frees is not the
 * memcg's progress; the folios the LRUs then reclaim are.  There
 * sc->memcg is the memcg reclaimed, not root or NULL as in global
 * reclaim's passes: the shrinker may tell which of its objects pin that
 * memcg's folios.
 */
void shrinker_set_unpins_pages(struct shrinker *shrinker)
{
	if (WARN_ON_ONCE(shrinker->flags &
			 (SHRINKER_REGISTERED | SHRINKER_MEMCG_AWARE)))
		return;
	shrinker_core(shrinker)->unpins_pages = true;
}
EXPORT_SYMBOL_GPL(shrinker_set_unpins_pages);

static struct shrinker_core *shrinker_core_alloc(struct shrinker *shrinker)
{
	int i, nr = shrinker->flags & SHRINKER_NUMA_AWARE ? nr_node_ids : 1;
	static atomic_long_t shrinker_gen = ATOMIC_LONG_INIT(0);
	struct shrinker_core *core;

	core = kzalloc(struct_size(core, own, nr), GFP_KERNEL);
	if (!core)
		return NULL;
	shrinker->core = core;
	core->gen = atomic_long_inc_return(&shrinker_gen);
	core->provider = &shrinker_legacy_provider;
	core->shrinker = shrinker;
	INIT_LIST_HEAD(&core->unpin);
	spin_lock_init(&core->wm_lock);
	spin_lock_init(&core->inst_lock);
	INIT_LIST_HEAD(&core->instances);
	core->nr_own = nr;
	for (i = 0; i < nr; i++) {
		core->own[i] = shrinker_instance_new(shrinker, -1, i, NULL,
						     GFP_KERNEL);
		if (!core->own[i])
			goto err;
	}
	return core;
err:
	while (--i >= 0)
		shrinker_instance_free(core->own[i]);
	kfree(core);
	shrinker->core = NULL;
	return NULL;
}

/*
 * The instances, own and memcg, go as soon as nothing pinned can use
 * them.  The core itself stays until the shrinker's RCU callback:
 * set_shrinker_bit() and the OOM walk find the shrinker under RCU,
 * without a pin, and read core->gen and core->own[].
 */
static void shrinker_core_release(struct shrinker_core *core)
{
	int i;

	lockdep_assert_held(&shrinker_mutex);
	shrinker_instances_release(core->shrinker);
	for (i = 0; i < core->nr_own; i++)
		shrinker_instance_free(core->own[i]);
}

static void shrinker_free_rcu_cb(struct rcu_head *head)
{
	struct shrinker *shrinker = container_of(head, struct shrinker, rcu);

	kfree(shrinker->core);
	kfree(shrinker);
}

struct shrinker *shrinker_alloc(unsigned int flags, const char *fmt, ...)
{
	struct shrinker *shrinker;
	va_list ap;
	int err;

	shrinker = kzalloc(sizeof(*shrinker), GFP_KERNEL);
	if (!shrinker)
		return NULL;

	va_start(ap, fmt);
	err = shrinker_debugfs_name_alloc(shrinker, fmt, ap);
	va_end(ap);
	if (err)
		goto err_name;

	shrinker->flags = flags | SHRINKER_ALLOCATED;
	shrinker->seeks = DEFAULT_SEEKS;

	/* before the id: set_shrinker_bit() may find it from then on */
	if (!shrinker_core_alloc(shrinker))
		goto err_core;

	if (flags & SHRINKER_MEMCG_AWARE) {
		err = shrinker_memcg_alloc(shrinker);
		/* without memcg it is an ordinary shrinker */
		if (err == -EOPNOTSUPP)
			shrinker->flags &= ~SHRINKER_MEMCG_AWARE;
		else if (err)
			goto err_memcg;
	}
	return shrinker;

err_memcg:
	/*
	 * The id was in the idr for a moment: readers may hold the shrinker,
	 * and set_shrinker_bit() may have installed an instance.
	 */
	mutex_lock(&shrinker_mutex);
	shrinker_core_release(shrinker->core);
	mutex_unlock(&shrinker_mutex);
	shrinker_debugfs_name_free(shrinker);
	call_rcu(&shrinker->rcu, shrinker_free_rcu_cb);
	return NULL;
err_core:
	shrinker_debugfs_name_free(shrinker);
err_name:
	kfree(shrinker);
	return NULL;
}
EXPORT_SYMBOL_GPL(shrinker_alloc);

void shrinker_register(struct shrinker *shrinker)
{
	if (unlikely(!(shrinker->flags & SHRINKER_ALLOCATED))) {
		pr_warn("Must use shrinker_alloc() to dynamically allocate the shrinker");
		return;
	}

	mutex_lock(&shrinker_mutex);
	list_add_tail_rcu(&shrinker->list, &shrinker_list);
	if (shrinker_core(shrinker)->unpins_pages)
		list_add_tail_rcu(&shrinker_core(shrinker)->unpin,
				  &shrinker_unpin_list);
	shrinker->flags |= SHRINKER_REGISTERED;
	shrinker_debugfs_add(shrinker);
	mutex_unlock(&shrinker_mutex);

	init_completion(&shrinker->done);
	/* Lookups may pin it from now on. */
	refcount_set(&shrinker->refcount, 1);
}
EXPORT_SYMBOL_GPL(shrinker_register);

void shrinker_free(struct shrinker *shrinker)
{
	struct dentry *debugfs_entry = NULL;
	int debugfs_id;

	if (!shrinker)
		return;

	if (shrinker->flags & SHRINKER_REGISTERED) {
		/*
		 * Drop the initial pin and wait for reclaim and the drain
		 * worker to let go: after that nothing runs the callbacks or
		 * touches an instance, and the owner may free its cache.
		 */
		shrinker_put(shrinker);
		wait_for_completion(&shrinker->done);
	}

	mutex_lock(&shrinker_mutex);
	if (shrinker->flags & SHRINKER_REGISTERED) {
		list_del_rcu(&shrinker->list);
		if (shrinker_core(shrinker)->unpins_pages)
			list_del_rcu(&shrinker_core(shrinker)->unpin);
		debugfs_entry = shrinker_debugfs_detach(shrinker, &debugfs_id);
		shrinker->flags &= ~SHRINKER_REGISTERED;
	}
	shrinker_debugfs_name_free(shrinker);
	if (shrinker->flags & SHRINKER_MEMCG_AWARE)
		shrinker_memcg_remove(shrinker);
	shrinker_core_release(shrinker->core);
	mutex_unlock(&shrinker_mutex);

	if (debugfs_entry)
		shrinker_debugfs_remove(debugfs_entry, debugfs_id);

	call_rcu(&shrinker->rcu, shrinker_free_rcu_cb);
}
EXPORT_SYMBOL_GPL(shrinker_free);

static int __init shrinker_core_init(void)
{
	shrinker_instance_cache_init();
	return shrinker_drain_init();
}
early_initcall(shrinker_core_init);
