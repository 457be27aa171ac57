// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the instance layer with fake shrinkers: instances made on
 * the first object and found under RCU, reparented in one step, freed
 * with their table; and reclaim passes over an instance: no windup, the
 * 2x bound, backoff, watermarks, NOFS deferral and the drain.
 *
 * The fake shrinkers are allocated but never registered: reclaim and the
 * drain worker cannot pin them, so only the test drives them.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/rcupdate.h>
#include <linux/shrinker.h>
#include <linux/swap.h>

#include "../../internal.h"
#include "../internal.h"

struct fake_cache {
	unsigned long objects;
	unsigned long scans;
	unsigned long nofs_refused;
	unsigned long inflight_per_scan;
	/* objects a scan rotates once before it can free them */
	unsigned long referenced;
	bool pinned;			/* scans free nothing, silently */
	bool refuse_nofs;
	/* refuse anything short of GFP_KERNEL, as nfs's access cache does */
	bool refuse_short;
	bool refuse_all;
	struct mem_cgroup *memcg;	/* sc->memcg of the last scan */
	/* this scan and every later one refuses (counted from 1); 0: none */
	unsigned long refuse_from;
	unsigned int sleep_ms;		/* each scan, before it answers */
	/* reparenting that happens while the first scan runs */
	struct shrinker_instance *merge_into, *merge_from;
	/* ...after passes on both sides sampled the moved lists as empty */
	bool merge_stale;
};

static unsigned long fake_count(struct shrinker *s, struct shrink_control *sc)
{
	struct fake_cache *c = s->private_data;

	return c->objects ? c->objects : SHRINK_EMPTY;
}

static unsigned long fake_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct fake_cache *c = s->private_data;
	unsigned long nr;

	c->scans++;
	c->memcg = sc->memcg;
	if (c->sleep_ms)
		msleep(c->sleep_ms);
	/* refused or not, the provider may report work it left in flight */
	sc->nr_inflight = c->inflight_per_scan;
	if (c->merge_into) {
		if (c->merge_stale) {
			c->merge_from->count = 0;
			c->merge_into->count = 0;
		}
		shrinker_instance_merge(c->merge_into, c->merge_from);
		c->merge_into = NULL;
	}
	if (c->refuse_all || (c->refuse_from && c->scans >= c->refuse_from))
		return SHRINK_STOP;
	if ((c->refuse_nofs && !(sc->gfp_mask & __GFP_FS)) ||
	    (c->refuse_short && (sc->gfp_mask & GFP_KERNEL) != GFP_KERNEL)) {
		c->nofs_refused++;
		return SHRINK_STOP;
	}
	if (c->inflight_per_scan || c->pinned)
		return 0;
	if (c->referenced) {
		nr = min(sc->nr_to_scan, c->referenced);
		c->referenced -= nr;
		return 0;
	}
	nr = min(sc->nr_to_scan, c->objects);
	c->objects -= nr;
	return nr;
}

static struct shrinker *fake_shrinker(struct kunit *test, struct fake_cache *c,
				      unsigned int flags)
{
	struct shrinker *s = shrinker_alloc(flags, "kunit-fake");

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->count_objects = fake_count;
	s->scan_objects = fake_scan;
	s->private_data = c;
	return s;
}

static unsigned long pass(struct shrinker *s, gfp_t gfp, int priority,
			  struct shrinker_pass *p)
{
	struct shrink_control sc = { .gfp_mask = gfp, .nid = 0 };
	struct shrinker_pressure press = { .priority = priority };

	return shrinker_scan_instance(s, shrinker_own_instance(s, 0), &sc,
				      &press, p);
}

/*
 * Keep the node's real drain worker off @inst for 10 s, as if backed
 * off: a test that checks what a pass queued must not race it.  The
 * tests' own shrinker_drain_instance() calls do not look.
 */
static void hold_drain(struct shrinker_instance *inst)
{
	inst->backoff[SHRINKER_CTX_DRAIN] = (struct shrinker_backoff){
		.level = 1, .until = jiffies + 10 * HZ,
	};
}

/*
 * Run the next passes as kswapd (current_is_kswapd()), which min spares
 * only down to SHRINKER_MIN_PRIORITY; nothing in them allocates.
 */
static void as_kswapd(bool on)
{
	if (on)
		current->flags |= PF_KSWAPD;
	else
		current->flags &= ~PF_KSWAPD;
}

/* what shrinker_sweep_instances() does to one instance */
static void sweep(struct shrinker *s, struct shrinker_pass *p)
{
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL, .nid = 0 };
	struct shrinker_pressure press = {
		.priority = DEF_PRIORITY, .sweep = true,
	};

	shrinker_scan_instance(s, shrinker_own_instance(s, 0), &sc, &press, p);
}

static void instance_made_once_found_under_rcu(struct kunit *test)
{
	struct fake_cache c = { .objects = 100 };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	long base = shrinker_nr_instances();
	struct shrinker_instance *a, *b, *found;
	struct shrinker_info *info;

	info = shrinker_info_alloc(2 * SHRINKER_UNIT_BITS, 0);
	KUNIT_ASSERT_NOT_NULL(test, info);
	rcu_read_lock();
	found = shrinker_info_lookup(info, 70);
	rcu_read_unlock();
	KUNIT_EXPECT_NULL(test, found);

	a = shrinker_info_install(info, s, 70, 0, NULL, GFP_KERNEL, false);
	KUNIT_ASSERT_NOT_NULL(test, a);
	b = shrinker_info_install(info, s, 70, 0, NULL, GFP_KERNEL, false);
	KUNIT_EXPECT_PTR_EQ(test, a, b);
	KUNIT_EXPECT_EQ(test, shrinker_nr_instances(), base + 1);

	rcu_read_lock();
	found = shrinker_info_lookup(info, 70);
	rcu_read_unlock();
	KUNIT_EXPECT_PTR_EQ(test, found, a);
	KUNIT_EXPECT_NULL(test, shrinker_info_install(info, s, 128, 0, NULL,
						      GFP_KERNEL, false));

	/* freed with its table, as with the memcg */
	shrinker_info_free(info);
	KUNIT_EXPECT_EQ(test, shrinker_nr_instances(), base);
	shrinker_free(s);
}

struct free_race {
	struct shrinker *s;
	bool done;
};

static int free_race_fn(void *data)
{
	struct free_race *r = data;

	shrinker_free(r->s);
	/* orders the free before the reader's look at the core */
	smp_store_release(&r->done, true);
	return 0;
}

/*
 * One try: free a shrinker on another CPU while this one holds it under
 * RCU, and give back the core the reader saw.  Returns false when the
 * free did not finish within a second: a stop_machine() at boot (the
 * clocksource switch) waits for this CPU's spin and holds the other CPU
 * meanwhile.
 */
static bool free_under_reader(struct kunit *test, struct shrinker_core **core)
{
	struct fake_cache c = { .objects = 100 };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	unsigned long want = shrinker_core(s)->gen, deadline;
	struct free_race r = { .s = s };
	unsigned long gen = 0;
	struct task_struct *t;
	bool freed;

	t = kthread_create(free_race_fn, &r, "kunit-shrinker-free");
	if (IS_ERR(t)) {
		shrinker_free(s);
		KUNIT_FAIL(test, "no kthread: %ld", PTR_ERR(t));
		return true;
	}
	/* the freeing thread must not wait behind this CPU's spin */
	migrate_disable();
	kthread_bind(t, cpumask_any_but(cpu_online_mask, smp_processor_id()));
	/* a reader that found the shrinker, as set_shrinker_bit() does */
	rcu_read_lock();
	wake_up_process(t);
	deadline = jiffies + HZ;
	/* pairs with the release in free_race_fn(): the free is seen done */
	while (!smp_load_acquire(&r.done) && time_before(jiffies, deadline))
		cpu_relax();
	/* likewise, for the look at the core below */
	freed = smp_load_acquire(&r.done);
	if (freed) {
		*core = READ_ONCE(s->core);
		if (*core)
			gen = READ_ONCE((*core)->gen);
	}
	rcu_read_unlock();
	migrate_enable();
	/* shrinker_free() does not wait for a grace period */
	while (!smp_load_acquire(&r.done))
		msleep(20);
	if (freed && *core)
		KUNIT_EXPECT_EQ(test, gen, want);
	return freed;
}

/*
 * set_shrinker_bit() and the OOM walk find a shrinker under RCU, without
 * a pin, and read its core.  shrinker_free() on another CPU must leave
 * the core readable until such a reader is done.
 */
static void core_stays_for_rcu_readers(struct kunit *test)
{
	struct shrinker_core *core = NULL;
	int tries;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs a second CPU to free the shrinker on");
	for (tries = 0; tries < 10; tries++)
		if (free_under_reader(test, &core))
			break;
	KUNIT_ASSERT_LT_MSG(test, tries, 10, "the free never finished");
	KUNIT_EXPECT_NOT_NULL(test, core);
}

/*
 * A shrinker's memcg instances and their bits go with it, not when the
 * memcg goes or the id is reused, and none can be installed after.
 */
static void instances_go_with_their_shrinker(struct kunit *test)
{
	long base = shrinker_nr_instances();
	struct fake_cache c = { .objects = 100 };
	struct shrinker_instance *inst;
	struct shrinker_info *info;
	struct shrinker *s, *late;

	s = fake_shrinker(test, &c, 0);
	info = shrinker_info_alloc(SHRINKER_UNIT_BITS, 0);
	KUNIT_ASSERT_NOT_NULL(test, info);
	inst = shrinker_info_install(info, s, 5, 0, NULL, GFP_KERNEL, false);
	KUNIT_ASSERT_NOT_NULL(test, inst);
	set_bit(5, info->unit[0]->map);
	shrinker_defer_add(&inst->deferred, 50, 100, jiffies, false);
	/* its own instance and the memcg one */
	KUNIT_EXPECT_EQ(test, shrinker_nr_instances(), base + 2);
	shrinker_free(s);

	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, shrinker_info_lookup(info, 5));
	rcu_read_unlock();
	KUNIT_EXPECT_FALSE(test, test_bit(5, info->unit[0]->map));
	KUNIT_EXPECT_EQ(test, shrinker_nr_instances(), base);

	/* what set_shrinker_bit() may do after the release: refused */
	late = fake_shrinker(test, &c, 0);
	mutex_lock(&shrinker_mutex);
	shrinker_instances_release(late);
	mutex_unlock(&shrinker_mutex);
	KUNIT_EXPECT_NULL(test, shrinker_info_install(info, late, 5, 0, NULL,
						      GFP_KERNEL, false));
	KUNIT_EXPECT_EQ(test, shrinker_nr_instances(), base + 1);
	shrinker_free(late);
	KUNIT_EXPECT_EQ(test, shrinker_nr_instances(), base);
	mutex_lock(&shrinker_mutex);
	shrinker_info_free(info);
	mutex_unlock(&shrinker_mutex);
}

static void reparent_merges_in_one_step(struct kunit *test)
{
	struct fake_cache c = { .objects = 100 };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_instance *child, *parent;
	unsigned long now = jiffies;

	child = shrinker_instance_new(s, 1, 0, NULL, GFP_KERNEL);
	parent = shrinker_instance_new(s, 1, 0, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, child);
	KUNIT_ASSERT_NOT_NULL(test, parent);

	child->count = 1000;
	shrinker_defer_add(&child->deferred, 600, 1000, now, false);
	child->stats.scanned = 40;
	child->stats.freed = 30;
	shrinker_backoff_failed(&child->backoff[SHRINKER_CTX_FULL], now);
	child->backoff[SHRINKER_CTX_FULL].fruitless = 300;
	parent->count = 200;
	parent->backoff[SHRINKER_CTX_FULL].fruitless = 20;
	shrinker_defer_add(&parent->deferred, 100, 200, now, false);
	parent->stats.scanned = 2;

	shrinker_instance_merge(parent, child);
	/* the parent now holds both sets of objects and all their work */
	KUNIT_EXPECT_EQ(test, parent->count, 1200UL);
	KUNIT_EXPECT_EQ(test, parent->deferred.nr, 700UL);
	KUNIT_EXPECT_EQ(test, parent->stats.scanned, 42UL);
	KUNIT_EXPECT_EQ(test, parent->stats.freed, 30UL);
	KUNIT_EXPECT_EQ(test, parent->backoff[SHRINKER_CTX_FULL].level, 1U);
	KUNIT_EXPECT_EQ(test, parent->backoff[SHRINKER_CTX_FULL].fruitless, 320UL);
	/* and the child keeps nothing that could be counted twice */
	KUNIT_EXPECT_EQ(test, child->count, 0UL);
	KUNIT_EXPECT_EQ(test, child->deferred.nr, 0UL);
	KUNIT_EXPECT_EQ(test, child->stats.scanned, 0UL);
	KUNIT_EXPECT_EQ(test, child->backoff[SHRINKER_CTX_FULL].level, 0U);

	shrinker_instance_free(child);
	shrinker_instance_free(parent);
	shrinker_free(s);
}

/*
 * The child is reparented while a pass, then the drain, holds work taken
 * from its queue: what they give back or queue lands on the parent,
 * within what the parent holds, and the dying child, which reclaim no
 * longer visits, keeps no work, no trimming and no place on a drain list.
 * The child's pass says nothing of the parent's in-flight work or
 * backoff, and a later pass over the child does not call the provider.
 * Counts sampled as 0 around the move (list_lru moved the objects just
 * before) cut neither queue.
 */
static void reparent_during_pass_routes_to_parent(struct kunit *test)
{
	struct fake_cache c = { .objects = 10000, .refuse_all = true };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL, .nid = 0 };
	struct shrinker_pressure press = { .priority = 0 };
	struct shrinker_instance *child, *parent;
	static const char * const what[] = {
		"the pass", "the drain", "the pass (stale counts)",
		"the drain (stale counts)",
	};
	unsigned long now = jiffies, scans, rerouted;
	struct shrinker_pass p;
	int i;

	for (i = 0; i < 4; i++) {
		/* id -1: the drain worker cannot pin the fake shrinker */
		child = shrinker_instance_new(s, -1, 0, NULL, GFP_KERNEL);
		parent = shrinker_instance_new(s, -1, 0, NULL, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, child);
		KUNIT_ASSERT_NOT_NULL(test, parent);
		child->count = 10000;
		shrinker_defer_add(&child->deferred, 500, 10000, now, false);
		child->trim = true;
		parent->count = 50000;
		shrinker_defer_add(&parent->deferred, 2000, 50000, now, false);
		parent->inflight = 7;
		parent->inflight_at = now;
		c.merge_into = parent;
		c.merge_from = child;
		c.merge_stale = i >= 2;
		rerouted = shrinker_nr_rerouted();
		if (!(i % 2))
			shrinker_scan_instance(s, child, &sc, &press, &p);
		else
			shrinker_drain_instance(s, child, NULL);
		/* counted as rerouted: what the pass put on the parent */
		rerouted = shrinker_nr_rerouted() - rerouted;
		KUNIT_EXPECT_GT_MSG(test, rerouted, 0UL, "%s", what[i]);
		KUNIT_EXPECT_LE_MSG(test, rerouted, parent->deferred.nr - 2000,
				    "%s", what[i]);
		KUNIT_EXPECT_EQ_MSG(test, child->deferred.nr, 0UL,
				    "%s left work on the dying child", what[i]);
		KUNIT_EXPECT_GE_MSG(test, parent->deferred.nr, 2500UL,
				    "%s lost the parent's work", what[i]);
		KUNIT_EXPECT_EQ(test, parent->inflight, 7UL);
		KUNIT_EXPECT_EQ(test, parent->backoff[SHRINKER_CTX_FULL].level, 0U);
		/* the drain drops a moved child from its list for good */
		shrinker_drain_instance(s, child, NULL);
		KUNIT_EXPECT_FALSE(test, child->trim);
		scans = c.scans;
		shrinker_scan_instance(s, child, &sc, &press, &p);
		KUNIT_EXPECT_EQ_MSG(test, c.scans, scans,
				    "a pass over the moved child scanned");
		KUNIT_EXPECT_EQ(test, child->deferred.nr, 0UL);
		parent->deferred = (struct shrinker_deferred){ };
		shrinker_instance_free(child);
		shrinker_instance_free(parent);
	}
	shrinker_free(s);
}

/* Refused NOFS passes queue work, capped; a later pass pays at most 2x. */
static void nofs_refusals_do_not_wind_up(struct kunit *test)
{
	struct fake_cache c = { .objects = 10000, .refuse_nofs = true };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	struct shrinker_pass p;
	int i;

	hold_drain(inst);

	for (i = 0; i < 2000; i++) {
		/* each refusal backs off; model passes spread over time */
		memset(inst->backoff, 0, sizeof(inst->backoff));
		hold_drain(inst);
		pass(s, GFP_NOFS, 4, &p);
	}
	KUNIT_EXPECT_GT(test, c.nofs_refused, 0UL);
	KUNIT_EXPECT_LE(test, inst->deferred.nr, 10000UL);
	KUNIT_EXPECT_GT(test, inst->deferred.nr, 0UL);

	memset(inst->backoff, 0, sizeof(inst->backoff));
	hold_drain(inst);
	c.refuse_nofs = false;
	pass(s, GFP_KERNEL, 6, &p);
	KUNIT_EXPECT_FALSE(test, p.skipped);
	KUNIT_EXPECT_GT(test, p.delta, 0UL);
	KUNIT_EXPECT_LE(test, p.total, 2 * p.delta);
	KUNIT_EXPECT_LE(test, p.scanned, 2 * p.delta);
	shrinker_free(s);
}

static void defer_nofs_queues_without_scanning(struct kunit *test)
{
	struct fake_cache c = { .objects = 10000 };
	struct shrinker *s = fake_shrinker(test, &c, SHRINKER_DEFER_NOFS);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	struct shrinker_pass p;

	pass(s, GFP_NOFS, 4, &p);
	KUNIT_EXPECT_EQ(test, c.scans, 0UL);
	KUNIT_EXPECT_EQ(test, inst->deferred.nr, p.delta);
	KUNIT_EXPECT_EQ(test, inst->stats.enqueued, p.delta);
	/* nothing was tried, so nothing failed */
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_FULL].level, 0U);

	/* the drain does it with GFP_KERNEL, a slice at a time */
	KUNIT_EXPECT_GT(test, shrinker_drain_instance(s, inst, NULL), 0UL);
	KUNIT_EXPECT_GT(test, inst->stats.drained, 0UL);
	KUNIT_EXPECT_LT(test, c.objects, 10000UL);
	KUNIT_EXPECT_GE(test, c.objects, 10000UL - p.delta);
	shrinker_free(s);
}

/*
 * Queued work a pass took but did not scan, a remainder below a batch or
 * a pass too small to scan at all, goes back to the queue as old as it was.
 */
static void pass_gives_back_what_it_did_not_scan(struct kunit *test)
{
	struct fake_cache c = { .objects = 10000 };
	struct shrinker *s = fake_shrinker(test, &c, SHRINKER_DEFER_NOFS);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	unsigned long queued, since;
	struct shrinker_pass p;

	pass(s, GFP_NOFS, 4, &p);
	queued = inst->deferred.nr;
	since = shrinker_defer_since(&inst->deferred);
	KUNIT_ASSERT_GT(test, queued, 0UL);

	pass(s, GFP_KERNEL, DEF_PRIORITY, &p);
	KUNIT_ASSERT_LT(test, p.total, (unsigned long)SHRINK_BATCH);
	KUNIT_EXPECT_EQ(test, c.scans, 0UL);
	KUNIT_EXPECT_EQ(test, inst->deferred.nr, queued);
	KUNIT_EXPECT_EQ(test, shrinker_defer_since(&inst->deferred), since);

	pass(s, GFP_KERNEL, 4, &p);
	KUNIT_EXPECT_GT(test, p.scanned, 0UL);
	KUNIT_ASSERT_GT(test, p.total, p.scanned);
	KUNIT_EXPECT_EQ(test, inst->deferred.nr, p.total - p.scanned);
	KUNIT_EXPECT_EQ(test, shrinker_defer_since(&inst->deferred), since);
	shrinker_free(s);
}

/*
 * Work a pass queues is as old as the moment it is queued, not the
 * pass's start: the provider may sleep past the end of an epoch, and
 * the work would age out early.
 */
static void pass_queues_work_as_of_the_queueing(struct kunit *test)
{
	struct fake_cache c = { .objects = 10000, .refuse_all = true,
				.sleep_ms = 50 };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	struct shrinker_pass p;
	unsigned long start = jiffies;

	pass(s, GFP_KERNEL, 4, &p);
	KUNIT_ASSERT_GT(test, inst->deferred.nr, 0UL);
	KUNIT_EXPECT_TRUE_MSG(test,
			      time_after_eq(shrinker_defer_since(&inst->deferred),
					    start + msecs_to_jiffies(50)),
			      "queued at %lu, the pass began at %lu",
			      shrinker_defer_since(&inst->deferred), start);
	shrinker_free(s);
}

/*
 * A refusal of the caller's context (nfs's access cache refuses anything
 * short of GFP_KERNEL) backs off that context and the more restricted
 * one, never GFP_KERNEL reclaim, nor the drain that does the refused
 * work and that OOM waits on.  While backed off, the refused context
 * still queues its work for the drain, without asking the provider.
 */
static void nofs_refusal_spares_freer_contexts(struct kunit *test)
{
	struct fake_cache c = { .objects = 10000, .refuse_short = true };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	struct shrinker_pass p;
	unsigned long left, now, queued, scans;

	pass(s, GFP_NOFS, 4, &p);
	KUNIT_ASSERT_EQ(test, c.nofs_refused, 1UL);
	KUNIT_ASSERT_GT(test, inst->deferred.nr, 0UL);
	KUNIT_EXPECT_TRUE(test, shrinker_queue_draining(inst, jiffies));

	left = c.objects;
	pass(s, GFP_KERNEL, 4, &p);
	KUNIT_EXPECT_FALSE(test, p.skipped);
	KUNIT_EXPECT_LT(test, c.objects, left);
	KUNIT_EXPECT_EQ(test, c.nofs_refused, 1UL);

	/* GFP_KERNEL's progress says nothing of NOFS: it stays backed off */
	now = inst->backoff[SHRINKER_CTX_NOFS].until - 1;
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_FULL].level, 0U);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_NOFS].level, 1U);
	KUNIT_EXPECT_FALSE(test, shrinker_instance_backed_off(inst,
							      SHRINKER_CTX_FULL,
							      now));
	KUNIT_EXPECT_TRUE(test, shrinker_instance_backed_off(inst,
							     SHRINKER_CTX_NOFS,
							     now));
	KUNIT_EXPECT_TRUE(test, shrinker_instance_backed_off(inst,
							     SHRINKER_CTX_NOIO,
							     now));

	/* inside the window NOFS queues its share, asking nobody */
	inst->backoff[SHRINKER_CTX_NOFS].until = jiffies + 10 * HZ;
	queued = inst->deferred.nr;
	scans = c.scans;
	pass(s, GFP_NOFS, 4, &p);
	KUNIT_EXPECT_FALSE(test, p.skipped);
	KUNIT_EXPECT_EQ(test, c.scans, scans);
	KUNIT_EXPECT_GT(test, inst->deferred.nr, queued);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_NOFS].level, 1U);

	/*
	 * A THP fault (no __GFP_KSWAPD_RECLAIM) is short of GFP_KERNEL but
	 * has __GFP_FS: a NOFS refusal says nothing of it.
	 */
	KUNIT_EXPECT_EQ(test, shrinker_ctx_of(GFP_TRANSHUGE),
			SHRINKER_CTX_SHORT);
	KUNIT_EXPECT_EQ(test, shrinker_ctx_of(GFP_NOFS), SHRINKER_CTX_NOFS);
	KUNIT_EXPECT_FALSE(test, shrinker_instance_backed_off(inst,
							      SHRINKER_CTX_SHORT,
							      now));
	KUNIT_EXPECT_EQ(test, shrinker_ctx_of(GFP_NOIO), SHRINKER_CTX_NOIO);
	KUNIT_EXPECT_EQ(test, shrinker_ctx_of(GFP_KERNEL), SHRINKER_CTX_FULL);

	/* what GFP_KERNEL cannot free, NOFS cannot either */
	now = jiffies;
	memset(inst->backoff, 0, sizeof(inst->backoff));
	shrinker_backoff_failed(&inst->backoff[SHRINKER_CTX_FULL], now);
	KUNIT_EXPECT_TRUE(test, shrinker_instance_backed_off(inst,
							     SHRINKER_CTX_NOFS,
							     now));
	/* ...but a reclaimer's failure, a failed trylock, spares the drain */
	KUNIT_EXPECT_FALSE(test, shrinker_instance_backed_off(inst,
							      SHRINKER_CTX_DRAIN,
							      now));
	KUNIT_EXPECT_TRUE(test, shrinker_queue_draining(inst, now));

	/* NOFS progress ends its own, GFP_KERNEL's and the drain's */
	shrinker_backoff_failed(&inst->backoff[SHRINKER_CTX_NOIO], now);
	shrinker_backoff_failed(&inst->backoff[SHRINKER_CTX_DRAIN], now);
	c.refuse_short = false;
	pass(s, GFP_NOFS, 0, &p);
	KUNIT_EXPECT_GT(test, p.freed, 0UL);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_FULL].level, 0U);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_NOFS].level, 0U);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_DRAIN].level, 0U);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_NOIO].level, 1U);
	shrinker_free(s);
}

/*
 * A trim booked as failed backs off the drain alone: reclaim, asked for
 * work, is refused in its own context or not at all.  The booking only:
 * which refused slices the drain books as failed is
 * refused_trim_rests_and_leaves_the_drain's.
 */
static void trim_failure_backs_off_only_the_drain(struct kunit *test)
{
	struct fake_cache c = { .objects = 10000 };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	struct shrinker_scan r = { .stop = true };
	unsigned long now = jiffies;
	bool backed;

	inst->count = 10000;
	spin_lock(&inst->lock);
	backed = shrinker_instance_book(inst, &r, true, SHRINKER_BOOK_TRIM,
					SHRINKER_CTX_DRAIN, now);
	spin_unlock(&inst->lock);
	KUNIT_EXPECT_TRUE(test, backed);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_DRAIN].level, 1U);
	KUNIT_EXPECT_FALSE(test, shrinker_instance_backed_off(inst,
							      SHRINKER_CTX_FULL,
							      now));
	KUNIT_EXPECT_FALSE(test, shrinker_instance_backed_off(inst,
							      SHRINKER_CTX_NOFS,
							      now));
	shrinker_free(s);
}

/* What the last pass before OOM takes and cannot do is owed: urgent. */
static void last_pass_gives_back_taken_work_as_urgent(struct kunit *test)
{
	/* enough that a pass at SHRINKER_MIN_PRIORITY scans a batch */
	struct fake_cache c = { .objects = 1 << 20, .refuse_nofs = true };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	struct shrinker_pass p;

	hold_drain(inst);

	pass(s, GFP_NOFS, SHRINKER_MIN_PRIORITY, &p);
	KUNIT_ASSERT_GT(test, inst->deferred.nr, 0UL);
	KUNIT_EXPECT_EQ(test, inst->deferred.urgent, 0UL);

	memset(inst->backoff, 0, sizeof(inst->backoff));
	hold_drain(inst);
	pass(s, GFP_NOFS, 0, &p);
	KUNIT_ASSERT_GT(test, inst->deferred.nr, 0UL);
	KUNIT_EXPECT_EQ(test, inst->deferred.urgent, inst->deferred.nr);
	shrinker_free(s);
}

/* Queued work below min is dropped, not kept on the drain list. */
static void drain_drops_work_at_min(struct kunit *test)
{
	struct fake_cache c = { .objects = 10000 };
	struct shrinker *s = fake_shrinker(test, &c, SHRINKER_DEFER_NOFS);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	unsigned long queued;
	struct shrinker_pass p;

	hold_drain(inst);

	pass(s, GFP_NOFS, SHRINKER_MIN_PRIORITY, &p);
	queued = inst->deferred.nr;
	KUNIT_ASSERT_GT(test, queued, 0UL);
	shrinker_core(s)->wm_override = (struct shrinker_wmarks){
		.min = 10000, .low = 20000, .high = 40000, .user = true,
	};
	shrinker_instance_wmarks(s, inst);
	KUNIT_EXPECT_EQ(test, shrinker_drain_instance(s, inst, NULL), 0UL);
	KUNIT_EXPECT_EQ(test, c.scans, 0UL);
	KUNIT_EXPECT_EQ(test, inst->deferred.nr, 0UL);
	KUNIT_EXPECT_EQ(test, inst->deferred.aged, queued);
	shrinker_free(s);
}

/*
 * Work a pass below SHRINKER_MIN_PRIORITY queued, the last pass before
 * OOM's among it, is owed below min too: memcg OOM
 * waits on the drain for it.  The squeeze bench lost a creator to the OOM
 * killer when the drain dropped it (a min derived from an unlimited run).
 */
static void drain_does_last_pass_work_below_min(struct kunit *test)
{
	struct fake_cache c = { .objects = 1 << 20, .refuse_nofs = true };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	unsigned long queued;
	struct shrinker_pass p;

	hold_drain(inst);

	shrinker_core(s)->wm_override = (struct shrinker_wmarks){
		.min = 2 << 20, .low = 3 << 20, .high = 4 << 20, .user = true,
	};
	pass(s, GFP_NOFS, SHRINKER_MIN_PRIORITY, &p);
	KUNIT_EXPECT_TRUE(test, p.skipped);
	KUNIT_EXPECT_EQ(test, inst->deferred.nr, 0UL);

	/* kswapd below SHRINKER_MIN_PRIORITY: min spares nothing, nor the drain */
	as_kswapd(true);
	pass(s, GFP_NOFS, SHRINKER_MIN_PRIORITY - 1, &p);
	as_kswapd(false);
	queued = inst->deferred.nr;
	KUNIT_ASSERT_GT(test, queued, 0UL);
	KUNIT_EXPECT_EQ(test, inst->deferred.urgent, queued);

	c.refuse_nofs = false;
	memset(inst->backoff, 0, sizeof(inst->backoff));
	hold_drain(inst);
	KUNIT_EXPECT_GT(test, shrinker_drain_instance(s, inst, NULL), 0UL);
	KUNIT_EXPECT_LT(test, c.objects, 1UL << 20);
	KUNIT_EXPECT_GT(test, inst->stats.drained, 0UL);
	KUNIT_EXPECT_EQ(test, inst->deferred.aged, 0UL);
	KUNIT_EXPECT_GT(test, inst->drained_at, 0UL);
	shrinker_free(s);
}

static void backoff_skips_until_progress(struct kunit *test)
{
	struct fake_cache c = { .objects = 10000, .inflight_per_scan = 64 };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	struct shrinker_pass p;
	unsigned long scans;

	/* all in flight, nothing freed: back off */
	pass(s, GFP_KERNEL, 2, &p);
	KUNIT_EXPECT_EQ(test, p.freed, 0UL);
	KUNIT_EXPECT_GT(test, p.inflight, 0UL);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_FULL].level, 1U);
	KUNIT_EXPECT_EQ(test, inst->inflight, p.inflight);

	scans = c.scans;
	pass(s, GFP_KERNEL, 2, &p);
	KUNIT_EXPECT_TRUE(test, p.skipped);
	KUNIT_EXPECT_EQ(test, c.scans, scans);

	/* priority 0, the last pass before OOM, is never skipped */
	c.inflight_per_scan = 0;
	pass(s, GFP_KERNEL, 0, &p);
	KUNIT_EXPECT_FALSE(test, p.skipped);
	KUNIT_EXPECT_GT(test, p.freed, 0UL);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_FULL].level, 0U);
	shrinker_free(s);
}

/*
 * What is in flight is known only from the provider.  A NOFS pass that
 * queues all of its work without asking it (SHRINKER_DEFER_NOFS) has
 * seen nothing of that work and must leave the last report alone, or an
 * OOM decision made after it would find nothing to wait for.
 */
static void nofs_pass_keeps_inflight_report(struct kunit *test)
{
	struct fake_cache c = { .objects = 10000, .inflight_per_scan = 500 };
	struct shrinker *s = fake_shrinker(test, &c, SHRINKER_DEFER_NOFS);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	unsigned long scans, reported;
	struct shrinker_pass p;

	pass(s, GFP_KERNEL, 2, &p);
	reported = inst->inflight;
	KUNIT_ASSERT_GE(test, reported, 500UL);
	KUNIT_EXPECT_EQ(test, reported, p.inflight);

	/* priority 0 is not skipped for the backoff the first pass began */
	scans = c.scans;
	pass(s, GFP_NOFS, 0, &p);
	KUNIT_EXPECT_EQ(test, c.scans, scans);
	KUNIT_EXPECT_GT(test, inst->deferred.nr, 0UL);
	KUNIT_EXPECT_EQ(test, inst->inflight, reported);
	shrinker_free(s);
}

/*
 * A refused batch is queued whole, so what it reports in flight is not
 * counted: the OOM check would count those objects twice.  A refusal
 * leaves the last report as it was.
 */
static void stop_keeps_inflight_report(struct kunit *test)
{
	struct fake_cache c = { .objects = 10000, .inflight_per_scan = 300 };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	unsigned long reported;
	struct shrinker_pass p;

	pass(s, GFP_KERNEL, 2, &p);
	reported = inst->inflight;
	KUNIT_ASSERT_GE(test, reported, 300UL);

	c.refuse_all = true;
	pass(s, GFP_KERNEL, 0, &p);
	KUNIT_EXPECT_EQ(test, p.inflight, 0UL);
	KUNIT_EXPECT_GT(test, inst->deferred.nr, 0UL);
	KUNIT_EXPECT_EQ(test, inst->inflight, reported);
	shrinker_free(s);
}

/*
 * A list that gives referenced objects a second chance frees nothing
 * until it has been scanned around once.  Passes that only aged it are
 * not a blocked cache: no backoff, and no pass skipped, before the frees
 * begin.
 */
static void second_chance_is_not_failure(struct kunit *test)
{
	struct fake_cache c = { .objects = 10000, .referenced = 10000 };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	struct shrinker_pass p;
	int i;

	for (i = 0; i < 64 && c.objects == 10000; i++) {
		pass(s, GFP_KERNEL, 2, &p);
		if (p.skipped || inst->backoff[SHRINKER_CTX_FULL].level)
			break;
	}
	KUNIT_EXPECT_FALSE(test, p.skipped);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_FULL].level, 0U);
	KUNIT_EXPECT_LT(test, c.objects, 10000UL);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_FULL].fruitless, 0UL);
	shrinker_free(s);
}

/* One that frees nothing after two rounds is pinned: back off. */
static void pinned_cache_backs_off_after_two_rounds(struct kunit *test)
{
	struct fake_cache c = { .objects = 10000, .pinned = true };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	struct shrinker_pass p;
	unsigned long scanned = 0;
	int i;

	for (i = 0; i < 64 && !inst->backoff[SHRINKER_CTX_FULL].level; i++) {
		pass(s, GFP_KERNEL, 2, &p);
		scanned += p.scanned;
	}
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_FULL].level, 1U);
	KUNIT_EXPECT_GE(test, scanned, 2 * 10000UL);
	KUNIT_EXPECT_LT(test, scanned - p.scanned, 2 * 10000UL);
	pass(s, GFP_KERNEL, 2, &p);
	KUNIT_EXPECT_TRUE(test, p.skipped);
	shrinker_free(s);
}

static void min_watermark_protects(struct kunit *test)
{
	struct fake_cache c = { .objects = 4000 };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_core *core = shrinker_core(s);
	struct shrinker_pass p;

	core->wm_override = (struct shrinker_wmarks){
		.min = 5000, .low = 6000, .high = 7000, .user = true,
	};
	pass(s, GFP_KERNEL, SHRINKER_MIN_PRIORITY, &p);
	KUNIT_EXPECT_TRUE(test, p.skipped);
	KUNIT_EXPECT_EQ(test, c.objects, 4000UL);
	KUNIT_EXPECT_EQ(test, shrinker_own_instance(s, 0)->wmarks.min, 5000UL);

	/* direct and memcg reclaim are spared down to priority 1 */
	pass(s, GFP_KERNEL, 1, &p);
	KUNIT_EXPECT_TRUE(test, p.skipped);

	/* real pressure on kswapd reaches it: it stops at priority 1 */
	as_kswapd(true);
	pass(s, GFP_KERNEL, 1, &p);
	as_kswapd(false);
	KUNIT_EXPECT_FALSE(test, p.skipped);
	KUNIT_EXPECT_LT(test, c.objects, 4000UL);

	pass(s, GFP_KERNEL, 0, &p);
	KUNIT_EXPECT_FALSE(test, p.skipped);
	shrinker_free(s);
}

static void stateless_pass_without_instance(struct kunit *test)
{
	struct fake_cache c = { .objects = 10000 };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL };
	long before = shrinker_nr_stateless_passes();
	struct shrinker_pressure press = { .priority = 4 };
	struct shrinker_pass p;

	shrinker_scan_instance(s, NULL, &sc, &press, &p);
	KUNIT_EXPECT_EQ(test, p.total, p.delta);
	KUNIT_EXPECT_GT(test, p.freed, 0UL);
	KUNIT_EXPECT_EQ(test, shrinker_nr_stateless_passes(), before + 1);
	shrinker_free(s);
}

/* What vmscan counts as memcg progress: bytes of the objects freed. */
static void freed_bytes_follow_obj_size(struct kunit *test)
{
	struct fake_cache c = { .objects = 10000 };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_pass p;

	pass(s, GFP_KERNEL, 4, &p);
	KUNIT_EXPECT_GT(test, p.freed, 0UL);
	KUNIT_EXPECT_EQ(test, p.freed_bytes, 0UL);

	s->obj_size = 192;
	pass(s, GFP_KERNEL, 4, &p);
	KUNIT_EXPECT_GT(test, p.freed, 0UL);
	KUNIT_EXPECT_EQ(test, p.freed_bytes, p.freed * 192);
	KUNIT_EXPECT_EQ(test, shrinker_own_instance(s, 0)->bytes,
			p.freeable * 192);
	shrinker_free(s);
}

/* each object is sized at 1000 bytes, and gives back 100 when freed */
static unsigned long fake_bytes(struct shrinker *s, struct shrink_control *sc,
				unsigned long count)
{
	return count * 1000;
}

static unsigned long fake_scan_bytes(struct shrinker *s,
				     struct shrink_control *sc,
				     unsigned long *freed_bytes)
{
	unsigned long n = fake_scan(s, sc);

	if (n != SHRINK_STOP)
		*freed_bytes = n * 100;
	return n;
}

static const struct shrinker_provider fake_scan_bytes_provider = {
	.name		= "kunit-scan-bytes",
	.count		= fake_count,
	.scan		= fake_scan,
	.bytes		= fake_bytes,
	.scan_bytes	= fake_scan_bytes,
};

/*
 * Where the provider says what its scans freed, that is the progress
 * memcg reclaim counts, not a share of its size: the superblock's size
 * counts each dentry's inode, which its frees count again (review R-15).
 */
static void freed_bytes_from_the_provider(struct kunit *test)
{
	struct fake_cache c = { .objects = 10000 };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_pass p;

	shrinker_set_provider(s, &fake_scan_bytes_provider);
	pass(s, GFP_KERNEL, 4, &p);
	KUNIT_EXPECT_GT(test, p.freed, 0UL);
	KUNIT_EXPECT_EQ(test, p.freed_bytes, p.freed * 100);
	KUNIT_EXPECT_EQ(test, shrinker_own_instance(s, 0)->bytes,
			p.freeable * 1000);
	shrinker_free(s);
}

/* the LRUs lost 1/8 of their pages, at 1 us a page */
static const struct shrinker_pressure lru_eighth = {
	.scanned = 1000, .eligible = 8000, .priority = 12,
	.lru = { .ns = 1000, .bytes = 4096 },
};

/*
 * A shrinker that does not say what its objects weigh (no obj_size, no
 * provider bytes) has no cost per byte: reclaim asks it 6.12's share
 * however long its scans take, not the floor of a cache whose scans free
 * nothing.
 */
static void unknown_bytes_keep_a_neutral_weight(struct kunit *test)
{
	struct fake_cache c = { .objects = 8000 };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL, .nid = 0 };
	struct shrinker_pass p;

	/* two whole batches a pass: no remainder left unscanned */
	s->batch = 1000;
	shrinker_scan_instance(s, inst, &sc, &lru_eighth, &p);
	KUNIT_EXPECT_EQ(test, p.weight, SHRINKER_WEIGHT_ONE);
	KUNIT_EXPECT_EQ(test, p.freed, 2000UL);
	KUNIT_EXPECT_EQ(test, inst->cost.ns, 0ULL);
	shrinker_scan_instance(s, inst, &sc, &lru_eighth, &p);
	KUNIT_EXPECT_EQ(test, p.weight, SHRINKER_WEIGHT_ONE);
	KUNIT_EXPECT_EQ(test, p.delta, 1500UL);
	shrinker_free(s);
}

/*
 * The LRUs lost 1/8 of their pages: a pass asks 1/8 of the objects (times
 * 4 / seeks), less where a byte of the instance costs more to reclaim.
 */
static void pass_follows_lru_pressure_and_cost(struct kunit *test)
{
	struct fake_cache c = { .objects = 1 << 20 };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL, .nid = 0 };
	struct shrinker_pass p;

	s->obj_size = 1024;
	shrinker_scan_instance(s, inst, &sc, &lru_eighth, &p);
	KUNIT_EXPECT_EQ(test, p.weight, SHRINKER_WEIGHT_ONE);
	KUNIT_EXPECT_EQ(test, p.delta, (1UL << 20) / 4);

	/* the fake frees at no cost: from now on, cheaper than the LRUs */
	KUNIT_EXPECT_GT(test, inst->cost.bytes, 0ULL);

	/* 20 us per 1 KiB object against 1 us per page */
	c.objects = 1 << 20;
	inst->cost = (struct shrinker_cost){ .ns = 20000, .bytes = 1024 };
	shrinker_scan_instance(s, inst, &sc, &lru_eighth, &p);
	KUNIT_EXPECT_EQ(test, p.weight, SHRINKER_WEIGHT_MIN);
	KUNIT_EXPECT_EQ(test, p.delta, (1UL << 20) / 64);
	shrinker_free(s);
}

/*
 * The last pass before OOM reaches instances smaller than a batch whatever
 * their seeks and cost: earlier passes ask too little of them to scan.
 */
static void last_pass_reaches_small_instances(struct kunit *test)
{
	struct fake_cache c = { .objects = 45 };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL, .nid = 0 };
	struct shrinker_pressure press = {
		.priority = 0, .lru = { .ns = 1000, .bytes = 4096 },
	};
	struct shrinker_pass p;

	/* seeks 0, as proc and kernfs: half asked, less than all of it */
	s->seeks = 0;
	pass(s, GFP_KERNEL, 1, &p);
	KUNIT_EXPECT_EQ(test, p.delta, 22UL);
	KUNIT_EXPECT_EQ(test, c.scans, 0UL);
	pass(s, GFP_KERNEL, 0, &p);
	KUNIT_EXPECT_EQ(test, p.scanned, 45UL);
	KUNIT_EXPECT_EQ(test, c.objects, 0UL);

	/* 20 us per 1 KiB object against 1 us per page: the lightest weight */
	s->seeks = DEFAULT_SEEKS;
	s->obj_size = 1024;
	c.objects = 5;
	inst->cost = (struct shrinker_cost){ .ns = 20000, .bytes = 1024 };
	shrinker_scan_instance(s, inst, &sc, &press, &p);
	KUNIT_EXPECT_EQ(test, p.weight, SHRINKER_WEIGHT_MIN);
	KUNIT_EXPECT_EQ(test, p.scanned, 5UL);
	KUNIT_EXPECT_EQ(test, c.objects, 0UL);
	shrinker_free(s);
}

/*
 * drop_caches asks what 6.12's priority 0 asked, whatever the cost weight,
 * and queued work up to twice freeable in all.  A seeks 0 cache, which
 * 6.12 halved once per call and reached with windup, is asked all of
 * itself once.  What a drop leaves queued is not owed as the last pass
 * before OOM's is.
 */
static void drop_asks_what_6_12_asked(struct kunit *test)
{
	struct fake_cache c = { .objects = 3000 }, n = { .objects = 10000 };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL, .nid = 0 };
	struct shrinker_pressure drop = {
		.priority = 0, .drop = true, .lru = { .ns = 1000, .bytes = 4096 },
	};
	struct shrinker_pressure last = {
		.priority = 0, .lru = { .ns = 1000, .bytes = 4096 },
	};
	struct shrinker_pass p;
	unsigned long queued;
	int i;

	hold_drain(inst);

	/* seeks 0, as proc and kernfs: reclaim asks half */
	s->seeks = 0;
	shrinker_scan_instance(s, inst, &sc, &last, &p);
	KUNIT_EXPECT_EQ(test, p.delta, 1500UL);
	KUNIT_EXPECT_GT(test, c.objects, 0UL);
	c.objects = 3000;
	shrinker_scan_instance(s, inst, &sc, &drop, &p);
	KUNIT_EXPECT_EQ(test, p.delta, 3000UL);
	KUNIT_EXPECT_EQ(test, p.scanned, 3000UL);
	KUNIT_EXPECT_EQ(test, c.objects, 0UL);

	/* 20 us per 1 KiB object against 1 us per page: reclaim's lightest */
	s->seeks = DEFAULT_SEEKS;
	s->obj_size = 1024;
	c.objects = 1 << 20;
	inst->cost = (struct shrinker_cost){ .ns = 20000, .bytes = 1024 };
	shrinker_scan_instance(s, inst, &sc, &last, &p);
	KUNIT_EXPECT_EQ(test, p.weight, SHRINKER_WEIGHT_MIN);
	c.objects = 1 << 20;
	inst->cost = (struct shrinker_cost){ .ns = 20000, .bytes = 1024 };
	shrinker_scan_instance(s, inst, &sc, &drop, &p);
	KUNIT_EXPECT_EQ(test, p.weight, SHRINKER_WEIGHT_ONE);
	KUNIT_EXPECT_EQ(test, p.delta, 2UL << 20);
	KUNIT_EXPECT_EQ(test, c.objects, 0UL);

	/* queued work does not take a seeks 0 drop past all of it */
	shrinker_free(s);
	s = fake_shrinker(test, &c, SHRINKER_DEFER_NOFS);
	inst = shrinker_own_instance(s, 0);
	hold_drain(inst);
	s->seeks = 0;
	c.objects = 3000;
	pass(s, GFP_NOFS, SHRINKER_MIN_PRIORITY, &p);
	KUNIT_ASSERT_GT(test, inst->deferred.nr, 0UL);
	shrinker_scan_instance(s, inst, &sc, &drop, &p);
	KUNIT_EXPECT_EQ(test, p.total, 3000UL);
	KUNIT_EXPECT_EQ(test, p.scanned, 3000UL);
	KUNIT_EXPECT_EQ(test, c.objects, 0UL);

	/* a refused drop queues what it asked, capped, and not as owed */
	c.objects = 3000;
	c.refuse_all = true;
	shrinker_scan_instance(s, inst, &sc, &drop, &p);
	KUNIT_EXPECT_EQ(test, inst->deferred.nr, 3000UL);
	KUNIT_EXPECT_EQ(test, inst->deferred.urgent, 0UL);
	shrinker_free(s);

	/* queued NOFS work on a dear cache: 6.12's nr_deferred + delta */
	s = fake_shrinker(test, &n, SHRINKER_DEFER_NOFS);
	inst = shrinker_own_instance(s, 0);
	hold_drain(inst);
	s->seeks = DEFAULT_SEEKS * 10;
	for (i = 0; i < 20; i++)
		pass(s, GFP_NOFS, 4, &p);
	queued = inst->deferred.nr;
	shrinker_scan_instance(s, inst, &sc, &drop, &p);
	KUNIT_EXPECT_EQ(test, p.delta, 2000UL);
	KUNIT_ASSERT_GT(test, queued, p.delta);
	KUNIT_EXPECT_EQ(test, p.total, p.delta + queued);

	/* a default cache: twice freeable already, the queue stays */
	s->seeks = DEFAULT_SEEKS;
	n.objects = 10000;
	pass(s, GFP_NOFS, 4, &p);
	queued = inst->deferred.nr;
	KUNIT_ASSERT_GT(test, queued, 0UL);
	shrinker_scan_instance(s, inst, &sc, &drop, &p);
	KUNIT_EXPECT_EQ(test, p.total, 20000UL);
	KUNIT_EXPECT_EQ(test, n.objects, 0UL);
	KUNIT_EXPECT_EQ(test, inst->deferred.nr, queued);
	shrinker_free(s);
}

/*
 * A drop over a pinned cache leaves reclaim's weight and backoff as it
 * found them: 6.12 had neither, and its drop_caches changed nothing for
 * the reclaim after it but nr_deferred.  The time a drop spent and the
 * nothing it freed may not floor the weight or back the instance off.
 * A refusal is the provider's word: it backs off, as for reclaim.
 */
static void drop_leaves_no_weight_or_backoff(struct kunit *test)
{
	/* a whole number of batches: the drop scans twice around */
	struct fake_cache c = { .objects = 1024, .pinned = true };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL, .nid = 0 };
	struct shrinker_pressure drop = { .priority = 0, .drop = true };
	struct shrinker_pressure reclaim = {
		.priority = DEF_PRIORITY, .lru = { .ns = 1000, .bytes = 4096 },
	};
	struct shrinker_pass p;

	s->obj_size = 1024;
	shrinker_scan_instance(s, inst, &sc, &drop, &p);
	KUNIT_ASSERT_EQ(test, p.scanned, 2048UL);
	KUNIT_ASSERT_NE(test, inst->bytes, 0UL);
	KUNIT_EXPECT_EQ(test, inst->stats.scanned, 2048UL);
	KUNIT_EXPECT_EQ(test, inst->cost.ns, 0ULL);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_FULL].level, 0U);
	KUNIT_EXPECT_EQ(test, inst->stats.backoffs, 0UL);
	KUNIT_EXPECT_FALSE(test, inst->trim);

	/* at once, inside any backoff window the drop could have opened */
	shrinker_scan_instance(s, inst, &sc, &reclaim, &p);
	KUNIT_EXPECT_FALSE(test, p.skipped);
	KUNIT_EXPECT_EQ(test, p.weight, SHRINKER_WEIGHT_ONE);

	/* a refused drop backs off, books no cost, and queues the rest */
	c.refuse_all = true;
	inst->cost = (struct shrinker_cost){ };
	shrinker_scan_instance(s, inst, &sc, &drop, &p);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_FULL].level, 1U);
	KUNIT_EXPECT_EQ(test, inst->cost.ns, 0ULL);
	KUNIT_EXPECT_GT(test, inst->deferred.nr, 0UL);

	/* what a drop frees ends a backoff (this part guards progress) */
	c.refuse_all = false;
	c.pinned = false;
	shrinker_scan_instance(s, inst, &sc, &drop, &p);
	KUNIT_EXPECT_GT(test, p.freed, 0UL);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_FULL].level, 0U);
	shrinker_free(s);
}

/*
 * The working set, and min with it, is learnt from the cache's own use:
 * what reclaim cut is no swing of the count.  Regrowth after the cut is
 * use.  And min spares an instance from kswapd's light pressure only:
 * from DEF_PRIORITY - 3 down, where kswapd starts writing pages itself,
 * its passes reach it (it never goes below priority 1); direct and memcg
 * reclaim are spared down to priority 1.
 */
static void min_is_learnt_from_use_not_cuts(struct kunit *test)
{
	struct fake_cache c = { .objects = 10000 };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	struct shrinker_pass p;
	unsigned long cut;

	/* a cache flat at 10000 for a period: no working set to speak of */
	shrinker_wss_init(&inst->wss, 10000, jiffies);
	inst->wss.sampled = true;
	sweep(s, &p);
	pass(s, GFP_KERNEL, 2, &p);
	cut = c.objects;
	KUNIT_ASSERT_LT(test, cut, 6000UL);
	inst->wss.period_start = jiffies - SHRINKER_WSS_PERIOD - 1;
	sweep(s, &p);
	KUNIT_EXPECT_EQ(test, inst->wss.estimate, 0UL);
	KUNIT_EXPECT_EQ(test, inst->wmarks.min, 0UL);

	/* it grows back by 4000 in the next period: that is use */
	c.objects = cut + 4000;
	sweep(s, &p);
	inst->wss.period_start = jiffies - SHRINKER_WSS_PERIOD - 1;
	sweep(s, &p);
	KUNIT_EXPECT_EQ(test, inst->wss.estimate, 3200UL);
	KUNIT_EXPECT_EQ(test, inst->wmarks.min, 800UL);

	/*
	 * At min: kswapd is spared at DEF_PRIORITY - 2 and reaches it
	 * below; direct and memcg reclaim are spared down to priority 1.
	 */
	c.objects = 800;
	as_kswapd(true);
	pass(s, GFP_KERNEL, DEF_PRIORITY - 2, &p);
	KUNIT_EXPECT_TRUE(test, p.skipped);
	pass(s, GFP_KERNEL, DEF_PRIORITY - 3, &p);
	as_kswapd(false);
	KUNIT_EXPECT_FALSE(test, p.skipped);
	pass(s, GFP_KERNEL, 1, &p);
	KUNIT_EXPECT_TRUE(test, p.skipped);
	shrinker_free(s);
}

/* A sweep only counts; above high it queues a trim, done by the drain. */
static void sweep_counts_and_trims_above_high(struct kunit *test)
{
	struct fake_cache c = { .objects = 1000 };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	struct shrinker_pass p;
	int i;

	sweep(s, &p);
	KUNIT_EXPECT_EQ(test, c.scans, 0UL);
	KUNIT_EXPECT_EQ(test, inst->count, 1000UL);
	KUNIT_EXPECT_FALSE(test, inst->trim);

	shrinker_core(s)->wm_override = (struct shrinker_wmarks){
		.min = 0, .low = 100, .high = 200, .user = true,
	};
	sweep(s, &p);
	KUNIT_EXPECT_EQ(test, c.scans, 0UL);
	KUNIT_EXPECT_TRUE(test, inst->trim);

	/* a slice at a time, max(freeable / 32, batch), down to low exactly */
	shrinker_drain_instance(s, inst, NULL);
	KUNIT_EXPECT_EQ(test, c.objects, 1000UL - 128);
	KUNIT_EXPECT_TRUE(test, inst->trim);
	for (i = 0; i < 20 && inst->trim; i++)
		shrinker_drain_instance(s, inst, NULL);
	KUNIT_EXPECT_EQ(test, c.objects, 100UL);
	KUNIT_EXPECT_FALSE(test, inst->trim);
	shrinker_free(s);
}

/* A cache of @c with low 100 and high 200, the real drain held off. */
static struct shrinker *trim_shrinker(struct kunit *test,
				      struct fake_cache *c,
				      struct shrinker_instance **inst)
{
	struct shrinker *s = fake_shrinker(test, c, 0);

	/* sized, so that a slice can teach the cost weight */
	s->obj_size = 1024;
	*inst = shrinker_own_instance(s, 0);
	hold_drain(*inst);
	shrinker_core(s)->wm_override = (struct shrinker_wmarks){
		.min = 0, .low = 100, .high = 200, .user = true,
	};
	return s;
}

/*
 * A sweep a sweep period after the last trim ended, if any, off the
 * drain list: the real worker, which a trim queues, leaves the fake
 * cache to the test.
 */
static void trim_sweep(struct shrinker *s, struct shrinker_instance *inst,
		       bool rested)
{
	struct shrinker_pass p;

	if (rested)
		inst->trim_end = 0;
	sweep(s, &p);
	shrinker_drain_forget(inst);
}

/*
 * An idle trim takes only what went a sweep period unused (review II-3):
 * a cache walked between every two sweeps, whose objects are referenced
 * again each time, is never trimmed, however many slices the drain runs;
 * once the walks stop, the next sweeps trim it to low.
 */
static void trim_keeps_what_was_used_since_the_sweep(struct kunit *test)
{
	struct fake_cache c = { .objects = 1000 };
	struct shrinker_instance *inst;
	struct shrinker *s = trim_shrinker(test, &c, &inst);
	int round, i;

	for (round = 0; round < 3; round++) {
		/* the walk: every object referenced since the last sweep */
		c.referenced = c.objects;
		trim_sweep(s, inst, true);
		KUNIT_EXPECT_TRUE(test, inst->trim);
		for (i = 0; i < 20; i++)
			shrinker_drain_instance(s, inst, NULL);
		KUNIT_EXPECT_EQ(test, c.objects, 1000UL);
		KUNIT_EXPECT_FALSE(test, inst->trim);
	}
	/* each trim lapped the list once, and rotating failed nothing */
	KUNIT_EXPECT_EQ(test, c.scans, 3 * 8UL);
	KUNIT_EXPECT_EQ(test, inst->stats.backoffs, 0UL);

	/* the next trim waits a sweep period after the last one ended */
	trim_sweep(s, inst, false);
	KUNIT_EXPECT_FALSE(test, inst->trim);
	inst->trim_end = jiffies - SHRINKER_SWEEP_PERIOD;
	trim_sweep(s, inst, false);
	KUNIT_EXPECT_TRUE(test, inst->trim);
	KUNIT_EXPECT_EQ(test, inst->trim_end, 0UL);
	/* nor did rotating teach reclaim that a byte costs anything */
	KUNIT_EXPECT_EQ(test, inst->cost.ns, 0ULL);
	shrinker_drain_forget(inst);
	for (i = 0; i < 20 && inst->trim; i++)
		shrinker_drain_instance(s, inst, NULL);

	/* no walk since: what the last sweep's slice rotated is cold now */
	c.referenced = 0;
	for (round = 0; round < 3 && c.objects > 100; round++) {
		trim_sweep(s, inst, true);
		for (i = 0; i < 20 && inst->trim; i++)
			shrinker_drain_instance(s, inst, NULL);
	}
	KUNIT_EXPECT_EQ(test, c.objects, 100UL);
	shrinker_free(s);
}

/*
 * Reclaim starts no trim: it scans what it needs itself, and a trim it
 * restarted would evict, a tick later, what the last one just rotated.
 */
static void only_the_sweep_starts_a_trim(struct kunit *test)
{
	struct fake_cache c = { .objects = 1000 };
	struct shrinker_instance *inst;
	struct shrinker *s = trim_shrinker(test, &c, &inst);
	struct shrinker_pass p;

	pass(s, GFP_KERNEL, DEF_PRIORITY, &p);
	KUNIT_EXPECT_FALSE(test, inst->trim);
	trim_sweep(s, inst, false);
	KUNIT_EXPECT_TRUE(test, inst->trim);
	shrinker_free(s);
}

/*
 * A trim that freed all it scanned rotated nothing, and the next needs
 * no rest: negative dentries regrow between two sweeps.
 */
static void a_cold_trim_needs_no_rest(struct kunit *test)
{
	struct fake_cache c = { .objects = 1000 };
	struct shrinker_instance *inst;
	struct shrinker *s = trim_shrinker(test, &c, &inst);

	trim_sweep(s, inst, false);
	KUNIT_ASSERT_TRUE(test, inst->trim);
	/* a lap cut short, as by objects others freed meanwhile */
	inst->trim_left = 256;
	shrinker_drain_instance(s, inst, NULL);
	shrinker_drain_instance(s, inst, NULL);
	KUNIT_EXPECT_EQ(test, c.objects, 1000UL - 256);
	KUNIT_EXPECT_FALSE(test, inst->trim);
	trim_sweep(s, inst, false);
	KUNIT_EXPECT_TRUE(test, inst->trim);
	shrinker_free(s);
}

/*
 * Start a trim and run one drain slice of it, the drain's backoff that
 * trim_shrinker() set cleared, so that the slice alone decides it.
 */
static void trim_one_slice(struct kunit *test, struct shrinker *s,
			   struct shrinker_instance *inst)
{
	trim_sweep(s, inst, false);
	KUNIT_ASSERT_TRUE(test, inst->trim);
	inst->backoff[SHRINKER_CTX_DRAIN] = (struct shrinker_backoff){ };
	shrinker_drain_instance(s, inst, NULL);
}

/*
 * A trim the cache refuses ends and rests a sweep period, and leaves the
 * drain alone: backed off for nobody's demand, it would leave NOFS work
 * queued meanwhile undone, and an OOM would no longer wait for that work.
 * A refusal that leaves queued work undone still backs the drain off,
 * and a trim that freed before the cache refused goes on.
 */
static void refused_trim_rests_and_leaves_the_drain(struct kunit *test)
{
	struct fake_cache c = { .objects = 1000, .refuse_all = true };
	struct shrinker_instance *inst;
	struct shrinker *s = trim_shrinker(test, &c, &inst);

	trim_one_slice(test, s, inst);
	KUNIT_EXPECT_EQ(test, c.scans, 1UL);
	KUNIT_EXPECT_FALSE(test, inst->trim);
	KUNIT_EXPECT_NE(test, inst->trim_end, 0UL);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_DRAIN].level, 0U);
	KUNIT_EXPECT_EQ(test, inst->stats.backoffs, 0UL);
	/* NOFS work queued now is drained, and an OOM waits for it */
	spin_lock(&inst->lock);
	shrinker_defer_add(&inst->deferred, 64, 1000, jiffies, false);
	spin_unlock(&inst->lock);
	KUNIT_EXPECT_TRUE(test, shrinker_queue_draining(inst, jiffies));
	/* the next sweep within the rest starts none */
	trim_sweep(s, inst, false);
	KUNIT_EXPECT_FALSE(test, inst->trim);

	/* refused with that queued work in the slice: the drain backs off */
	inst->trim_end = 0;
	trim_sweep(s, inst, false);
	KUNIT_ASSERT_TRUE(test, inst->trim);
	shrinker_drain_instance(s, inst, NULL);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_DRAIN].level, 1U);
	KUNIT_EXPECT_TRUE(test, inst->trim);
	shrinker_free(s);
}

/* A trim slice that freed before the cache refused the rest goes on. */
static void trim_that_freed_goes_on_past_a_refusal(struct kunit *test)
{
	struct fake_cache c = { .objects = 100000, .refuse_from = 3 };
	struct shrinker_instance *inst;
	struct shrinker *s = trim_shrinker(test, &c, &inst);

	trim_one_slice(test, s, inst);
	KUNIT_EXPECT_EQ(test, c.scans, 3UL);
	KUNIT_EXPECT_LT(test, c.objects, 100000UL);
	KUNIT_EXPECT_TRUE(test, inst->trim);
	KUNIT_EXPECT_EQ(test, inst->trim_end, 0UL);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_DRAIN].level, 0U);
	shrinker_free(s);
}

/* shrinker.trim=0: the sweep starts no trim and a running one stops. */
static void trim_knob_stops_the_trim(struct kunit *test)
{
	struct fake_cache c = { .objects = 1000 };
	struct shrinker_instance *inst;
	struct shrinker *s = trim_shrinker(test, &c, &inst);

	WRITE_ONCE(shrinker_trim_on, false);
	trim_sweep(s, inst, false);
	KUNIT_EXPECT_FALSE(test, inst->trim);

	WRITE_ONCE(shrinker_trim_on, true);
	trim_sweep(s, inst, false);
	KUNIT_EXPECT_TRUE(test, inst->trim);
	WRITE_ONCE(shrinker_trim_on, false);
	shrinker_drain_instance(s, inst, NULL);
	WRITE_ONCE(shrinker_trim_on, true);
	KUNIT_EXPECT_EQ(test, c.scans, 0UL);
	KUNIT_EXPECT_FALSE(test, inst->trim);
	shrinker_free(s);
}

/*
 * Memcg limit reclaim runs the shrinkers whose objects pin memcg pages,
 * and no other global one, and tells them the memcg it reclaims.
 * Registered, so on the list reclaim walks.
 */
static void unpin_shrinkers_run_in_memcg_reclaim(struct kunit *test)
{
	struct fake_cache pin = { .objects = 1 << 16 };
	struct fake_cache other = { .objects = 1 << 16 };
	struct shrinker *p = fake_shrinker(test, &pin, 0);
	struct shrinker *o = fake_shrinker(test, &other, 0);
	struct shrink_result cycle = {
		.lru_scanned = 1000, .lru_eligible = 8000,
	};
	/*
	 * Not the root, which global reclaim passes: reclaim's target is
	 * handed on, not looked into, so a zeroed one will do.
	 */
#ifdef CONFIG_MEMCG
	struct mem_cgroup *target = kunit_kzalloc(test, sizeof(*target),
						  GFP_KERNEL);
#else
	struct mem_cgroup *target = NULL;
#endif
	unsigned long freed;

	if (IS_ENABLED(CONFIG_MEMCG))
		KUNIT_ASSERT_NOT_NULL(test, target);
	shrinker_set_unpins_pages(p);
	shrinker_register(p);
	shrinker_register(o);
	freed = shrink_slab_unpin(GFP_NOFS, 0, target, 12, &cycle);
	KUNIT_EXPECT_GT(test, pin.scans, 0UL);
	KUNIT_EXPECT_PTR_EQ(test, pin.memcg, target);
	KUNIT_EXPECT_GT(test, freed, 0UL);
	KUNIT_EXPECT_EQ(test, freed, (1UL << 16) - pin.objects);
	KUNIT_EXPECT_EQ(test, other.scans, 0UL);
	shrinker_free(p);
	shrinker_free(o);
}

/* a pass of memcg reclaim's over an unpinning shrinker's own instance */
static unsigned long unpin_pass(struct shrinker *s, int priority,
				struct shrinker_pass *p)
{
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL, .nid = 0 };
	struct shrinker_pressure press = {
		.scanned = 1000, .eligible = 8000, .priority = priority,
		.unpin = true,
	};

	return shrinker_scan_instance(s, shrinker_own_instance(s, 0), &sc,
				      &press, p);
}

/*
 * Memcg reclaim's passes over a global instance that unpins memcg pages
 * back off only those passes, and global reclaim's backoff does not stop
 * them: a journal that frees nothing to global reclaim may still hold
 * what a memcg at its limit needs unpinned.  Progress on either side
 * ends both backoffs.
 */
static void unpin_backoff_is_its_own(struct kunit *test)
{
	struct fake_cache c = { .objects = 10000, .inflight_per_scan = 64 };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	struct shrinker_pass p;
	unsigned long scans;

	shrinker_set_unpins_pages(s);
	hold_drain(inst);
	/* global reclaim finds it all in flight and backs off */
	pass(s, GFP_KERNEL, 2, &p);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_FULL].level, 1U);

	/* a memcg's pass still scans it, and its failure is its own */
	scans = c.scans;
	unpin_pass(s, 2, &p);
	KUNIT_EXPECT_FALSE(test, p.skipped);
	KUNIT_EXPECT_GT(test, c.scans, scans);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_UNPIN].level, 1U);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_FULL].level, 1U);

	/* now both are backed off, each in its own window */
	scans = c.scans;
	unpin_pass(s, 2, &p);
	KUNIT_EXPECT_TRUE(test, p.skipped);
	pass(s, GFP_KERNEL, 2, &p);
	KUNIT_EXPECT_TRUE(test, p.skipped);
	KUNIT_EXPECT_EQ(test, c.scans, scans);

	/* global reclaim's progress ends the memcgs' backoff too */
	c.inflight_per_scan = 0;
	pass(s, GFP_KERNEL, 0, &p);
	KUNIT_EXPECT_GT(test, p.freed, 0UL);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_UNPIN].level, 0U);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_FULL].level, 0U);

	/* and a memcg's failure leaves global reclaim alone */
	c.objects = 10000;
	c.inflight_per_scan = 64;
	unpin_pass(s, 2, &p);
	KUNIT_EXPECT_EQ(test, inst->backoff[SHRINKER_CTX_UNPIN].level, 1U);
	scans = c.scans;
	pass(s, GFP_KERNEL, 2, &p);
	KUNIT_EXPECT_FALSE(test, p.skipped);
	KUNIT_EXPECT_GT(test, c.scans, scans);
	shrinker_free(s);
}

/*
 * OOM waits on queued work only while the drain can do it: not on a
 * backed-off instance, which the drain leaves alone until its window
 * closes, nor on a queue the drain has not freed from within the window.
 * Set by hand: a real queue would race with the drain worker.
 */
static void oom_waits_only_on_a_draining_queue(struct kunit *test)
{
	struct fake_cache c = { .objects = 10000 };
	struct shrinker *s = fake_shrinker(test, &c, SHRINKER_DEFER_NOFS);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	unsigned long now = jiffies;

	KUNIT_EXPECT_FALSE(test, shrinker_queue_draining(inst, now));
	shrinker_defer_add(&inst->deferred, 100, ULONG_MAX, now, false);
	KUNIT_EXPECT_TRUE(test, shrinker_queue_draining(inst, now));

	shrinker_backoff_failed(&inst->backoff[SHRINKER_CTX_DRAIN], now);
	KUNIT_EXPECT_FALSE(test, shrinker_queue_draining(inst, now));
	shrinker_backoff_progress(&inst->backoff[SHRINKER_CTX_DRAIN]);
	KUNIT_EXPECT_TRUE(test, shrinker_queue_draining(inst, now));

	now += SHRINKER_PENDING_WINDOW;
	KUNIT_EXPECT_FALSE(test, shrinker_queue_draining(inst, now));
	inst->drained_at = now - 1;
	KUNIT_EXPECT_TRUE(test, shrinker_queue_draining(inst, now));
	shrinker_defer_drop(&inst->deferred);
	shrinker_free(s);
}

/*
 * Pending work holds an OOM only by the bytes it would free, at least a
 * reclaim batch of them: one queued dentry is not worth 100 ms.
 */
static void oom_waits_only_for_a_batch_of_bytes(struct kunit *test)
{
	struct fake_cache c = { .objects = 1000 };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	unsigned long now = jiffies, inflight, queued, b;

	inst->count = 1000;
	inst->bytes = 1000 * 1024;
	inst->inflight = 10;
	inst->inflight_at = now;
	b = shrinker_pending_bytes(inst, now, &inflight, &queued);
	KUNIT_EXPECT_EQ(test, inflight, 10UL);
	KUNIT_EXPECT_EQ(test, queued, 0UL);
	KUNIT_EXPECT_EQ(test, b, 10UL * 1024);
	KUNIT_EXPECT_LT(test, b, (unsigned long)SHRINKER_OOM_MIN_BYTES);

	shrinker_defer_add(&inst->deferred, 200, ULONG_MAX, now, false);
	b = shrinker_pending_bytes(inst, now, &inflight, &queued);
	KUNIT_EXPECT_EQ(test, queued, 200UL);
	KUNIT_EXPECT_EQ(test, b, 210UL * 1024);
	KUNIT_EXPECT_GE(test, b, (unsigned long)SHRINKER_OOM_MIN_BYTES);

	/* in flight too long ago: no longer expected back */
	b = shrinker_pending_bytes(inst, now + SHRINKER_PENDING_WINDOW,
				   &inflight, &queued);
	KUNIT_EXPECT_EQ(test, inflight, 0UL);

	/* unknown size: a page an object */
	inst->bytes = 0;
	b = shrinker_pending_bytes(inst, now, &inflight, &queued);
	KUNIT_EXPECT_EQ(test, b, 210UL * PAGE_SIZE);
	shrinker_defer_drop(&inst->deferred);
	inst->inflight = 0;
	shrinker_free(s);
}

/* 2*10^8 objects of a KiB, half of them queued: the bytes do not wrap. */
static void pending_bytes_do_not_overflow(struct kunit *test)
{
	struct fake_cache c = { .objects = 1000 };
	unsigned long now = jiffies, inflight, queued, b;
	struct shrinker_instance *inst;
	struct shrinker *s;

	if (BITS_PER_LONG < 64)
		kunit_skip(test, "the sizes need 64-bit longs");
	s = fake_shrinker(test, &c, 0);
	inst = shrinker_own_instance(s, 0);

	inst->count = 200000000UL;
	inst->bytes = 200000000UL * 1024;
	shrinker_defer_add(&inst->deferred, 100000000UL, ULONG_MAX, now, false);
	b = shrinker_pending_bytes(inst, now, &inflight, &queued);
	KUNIT_EXPECT_EQ(test, queued, 100000000UL);
	KUNIT_EXPECT_EQ(test, b, 100000000UL * 1024);
	/* more in flight than the bytes can say: saturated, not a fault */
	inst->bytes = ULONG_MAX / 2;
	inst->count = 1;
	inst->inflight = 1000;
	inst->inflight_at = now;
	b = shrinker_pending_bytes(inst, now, &inflight, &queued);
	KUNIT_EXPECT_EQ(test, b, ULONG_MAX);
	shrinker_defer_drop(&inst->deferred);
	inst->inflight = 0;
	shrinker_free(s);
}

/*
 * A registered shrinker whose own instance on node 0 reports @nr objects
 * of unknown size in flight: what an OOM decision waits for.  It holds no
 * objects, so reclaim elsewhere never scans it; but while it is there
 * every global OOM decision on the machine waits for it, and waits count
 * in shrinker_oom_deferred.  KUnit runs at boot, before any such OOM.
 */
static struct shrinker *inflight_shrinker(struct kunit *test,
					  struct fake_cache *c,
					  unsigned long nr)
{
	struct shrinker *s = fake_shrinker(test, c, 0);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);

	shrinker_register(s);
	spin_lock(&inst->lock);
	inst->inflight = nr;
	inst->inflight_at = jiffies;
	spin_unlock(&inst->lock);
	return s;
}

/*
 * out_of_memory() kills for a global allocation without __GFP_FS only
 * inside a memcg: waiting would only sleep with filesystem locks held.
 */
static void oom_wait_skips_global_nofs(struct kunit *test)
{
	struct fake_cache c = { };
	struct shrinker *s = inflight_shrinker(test, &c, 1000);
	struct shrinker_oom_wait w = { };

	KUNIT_EXPECT_FALSE(test, shrinker_oom_defer(NULL, GFP_NOFS, &w));
	KUNIT_EXPECT_EQ(test, w.waits, 0);
	KUNIT_EXPECT_TRUE(test, shrinker_oom_defer(NULL, GFP_KERNEL, &w));
	KUNIT_EXPECT_EQ(test, w.waits, 1);
	shrinker_free(s);
}

/*
 * Work in flight that never comes back holds an OOM for a bounded time,
 * however long each reclaim round between the waits takes (200 ms here):
 * no wait begins SHRINKER_OOM_MAX_WAIT after the first.
 */
static void oom_wait_is_bounded_in_time(struct kunit *test)
{
	struct fake_cache c = { };
	struct shrinker *s = inflight_shrinker(test, &c, 1000);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	unsigned long first = jiffies, last = first, t;
	struct shrinker_oom_wait w = { };
	int n = 0;

	for (;;) {
		t = jiffies;
		if (!shrinker_oom_defer(NULL, GFP_KERNEL, &w))
			break;
		last = t;
		if (++n > 100)
			break;
		/* the provider keeps reporting it, a reclaim round apart */
		WRITE_ONCE(inst->inflight_at, jiffies);
		msleep(200);
	}
	kunit_info(test, "%d waits, the last begun %u ms after the first\n",
		   n, jiffies_to_msecs(last - first));
	KUNIT_EXPECT_GT(test, n, 1);
	/* the decision reads jiffies after @last: never before it */
	KUNIT_EXPECT_TRUE(test, time_before(last, w.start + SHRINKER_OOM_MAX_WAIT));
	shrinker_free(s);
}

#ifdef CONFIG_MEMCG
#define WALK_SHRINKERS	64

KUNIT_DEFINE_ACTION_WRAPPER(walk_shrinker_free, shrinker_free,
			    struct shrinker *);

static void walk_info_free(void *info)
{
	mutex_lock(&shrinker_mutex);
	shrinker_info_free(info);
	mutex_unlock(&shrinker_mutex);
}

/* what an OOM decision at @now finds in @info */
static struct shrinker_pending walk_table(struct shrinker_info *info,
					  unsigned long now)
{
	struct shrinker_pending p = { .now = now };

	rcu_read_lock();
	shrinker_pending_info(info, &p);
	rcu_read_unlock();
	return p;
}

/*
 * An OOM decision looks only at memcg instances that queued work or
 * reported it in flight, and forgets one once that is over: an OOM storm
 * must not walk every shrinker slot of every memcg.
 */
static void oom_walk_visits_only_marked_instances(struct kunit *test)
{
	struct shrinker_pressure press = { .priority = 2 };
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL };
	struct shrinker_instance **inst;
	struct shrinker_pending p;
	struct shrinker_info *info;
	struct shrinker_pass pass;
	struct fake_cache *c;
	struct shrinker **s;
	int i, max_id = 0;

	c = kunit_kcalloc(test, WALK_SHRINKERS, sizeof(*c), GFP_KERNEL);
	s = kunit_kcalloc(test, WALK_SHRINKERS, sizeof(*s), GFP_KERNEL);
	inst = kunit_kcalloc(test, WALK_SHRINKERS, sizeof(*inst), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, c && s && inst);
	for (i = 0; i < WALK_SHRINKERS; i++) {
		c[i].objects = 1000;
		s[i] = fake_shrinker(test, &c[i], SHRINKER_MEMCG_AWARE);
		max_id = max(max_id, s[i]->id);
	}
	info = shrinker_info_alloc(max_id + 1, 0);
	KUNIT_ASSERT_NOT_NULL(test, info);
	/* freed in reverse: the shrinkers, taking their instances, then it */
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, walk_info_free,
							info), 0);
	for (i = 0; i < WALK_SHRINKERS; i++) {
		int err = kunit_add_action_or_reset(test, walk_shrinker_free,
						    s[i]);

		KUNIT_ASSERT_EQ(test, err, 0);
	}
	for (i = 0; i < WALK_SHRINKERS; i++) {
		inst[i] = shrinker_info_install(info, s[i], s[i]->id, 0, NULL,
						GFP_KERNEL, false);
		KUNIT_ASSERT_NOT_NULL(test, inst[i]);
		/* a pass that frees: nothing pending */
		shrinker_scan_instance(s[i], inst[i], &sc, &press, &pass);
	}
	/* one of them puts its objects in flight */
	c[7].inflight_per_scan = 64;
	shrinker_scan_instance(s[7], inst[7], &sc, &press, &pass);
	KUNIT_ASSERT_GT(test, pass.inflight, 0UL);

	p = walk_table(info, jiffies);
	KUNIT_EXPECT_EQ(test, p.visited, 1UL);
	KUNIT_EXPECT_EQ(test, p.inflight, pass.inflight);

	/* its report ages out: looked at once more, then no longer */
	p = walk_table(info, jiffies + SHRINKER_PENDING_WINDOW);
	KUNIT_EXPECT_EQ(test, p.inflight, 0UL);
	p = walk_table(info, jiffies + SHRINKER_PENDING_WINDOW);
	KUNIT_EXPECT_EQ(test, p.visited, 0UL);

	/* a new report, once its backoff is over, marks it again */
	spin_lock(&inst[7]->lock);
	shrinker_backoff_progress(&inst[7]->backoff[SHRINKER_CTX_FULL]);
	spin_unlock(&inst[7]->lock);
	shrinker_scan_instance(s[7], inst[7], &sc, &press, &pass);
	KUNIT_EXPECT_GT(test, pass.inflight, 0UL);
	p = walk_table(info, jiffies);
	KUNIT_EXPECT_EQ(test, p.visited, 1UL);
}
#endif

static struct kunit_case shrinker_core_cases[] = {
	KUNIT_CASE(instance_made_once_found_under_rcu),
	KUNIT_CASE(instances_go_with_their_shrinker),
	KUNIT_CASE(core_stays_for_rcu_readers),
	KUNIT_CASE(reparent_merges_in_one_step),
	KUNIT_CASE(reparent_during_pass_routes_to_parent),
	KUNIT_CASE(nofs_refusals_do_not_wind_up),
	KUNIT_CASE(defer_nofs_queues_without_scanning),
	KUNIT_CASE(nofs_refusal_spares_freer_contexts),
	KUNIT_CASE(trim_failure_backs_off_only_the_drain),
	KUNIT_CASE(pass_queues_work_as_of_the_queueing),
	KUNIT_CASE(pass_gives_back_what_it_did_not_scan),
	KUNIT_CASE(last_pass_gives_back_taken_work_as_urgent),
	KUNIT_CASE(drain_drops_work_at_min),
	KUNIT_CASE(drain_does_last_pass_work_below_min),
	KUNIT_CASE(backoff_skips_until_progress),
	KUNIT_CASE(nofs_pass_keeps_inflight_report),
	KUNIT_CASE(stop_keeps_inflight_report),
	KUNIT_CASE(second_chance_is_not_failure),
	KUNIT_CASE(pinned_cache_backs_off_after_two_rounds),
	KUNIT_CASE(min_watermark_protects),
	KUNIT_CASE(stateless_pass_without_instance),
	KUNIT_CASE(freed_bytes_follow_obj_size),
	KUNIT_CASE(freed_bytes_from_the_provider),
	KUNIT_CASE(sweep_counts_and_trims_above_high),
	KUNIT_CASE(trim_keeps_what_was_used_since_the_sweep),
	KUNIT_CASE(only_the_sweep_starts_a_trim),
	KUNIT_CASE(a_cold_trim_needs_no_rest),
	KUNIT_CASE(trim_knob_stops_the_trim),
	KUNIT_CASE(refused_trim_rests_and_leaves_the_drain),
	KUNIT_CASE(trim_that_freed_goes_on_past_a_refusal),
	KUNIT_CASE(pass_follows_lru_pressure_and_cost),
	KUNIT_CASE(unknown_bytes_keep_a_neutral_weight),
	KUNIT_CASE(last_pass_reaches_small_instances),
	KUNIT_CASE(drop_asks_what_6_12_asked),
	KUNIT_CASE(drop_leaves_no_weight_or_backoff),
	KUNIT_CASE(min_is_learnt_from_use_not_cuts),
	KUNIT_CASE(unpin_shrinkers_run_in_memcg_reclaim),
	KUNIT_CASE(unpin_backoff_is_its_own),
	KUNIT_CASE(oom_waits_only_on_a_draining_queue),
	KUNIT_CASE(oom_waits_only_for_a_batch_of_bytes),
	KUNIT_CASE(pending_bytes_do_not_overflow),
	KUNIT_CASE(oom_wait_skips_global_nofs),
	KUNIT_CASE_SLOW(oom_wait_is_bounded_in_time),
#ifdef CONFIG_MEMCG
	KUNIT_CASE(oom_walk_visits_only_marked_instances),
#endif
	{}
};

static struct kunit_suite shrinker_core_suite = {
	.name = "shrinker-core",
	.test_cases = shrinker_core_cases,
};

kunit_test_suite(shrinker_core_suite);

MODULE_DESCRIPTION("KUnit tests of shrinker instances and reclaim passes");
MODULE_LICENSE("GPL");
