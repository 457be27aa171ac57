/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of mm/shrinker/: the instance layer and the provider
 * interface.  Nothing here is visible outside mm/shrinker/, so it can
 * change without rebuilding every user of <linux/shrinker.h>.
 */
#ifndef _MM_SHRINKER_INTERNAL_H
#define _MM_SHRINKER_INTERNAL_H

#include <linux/cgroup.h>
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/memcontrol.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/shrinker.h>
#include <linux/shrinker_provider.h>
#include <linux/spinlock.h>
#include <linux/swap.h>
#include <linux/vmstat.h>

#include "state.h"

struct mem_cgroup;
struct seq_file;
struct shrinker_instance;

extern const struct shrinker_provider shrinker_legacy_provider;

/* What a shrinker carries privately: providers, own instances, override. */
struct shrinker_core {
	const struct shrinker_provider *provider;
	/* unique per shrinker_alloc(): tells a reused id's old instances */
	unsigned long gen;
	spinlock_t wm_lock;		/* protects wm_override */
	struct shrinker_wmarks wm_override;
	/* on shrinker_unpin_list: see shrinker_set_unpins_pages() */
	bool unpins_pages;
	struct shrinker *shrinker;
	struct list_head unpin;
	/*
	 * Its instances in memcg tables, so shrinker_free() frees them all
	 * in O(instances); once @dead is set none is added.
	 */
	spinlock_t inst_lock;
	struct list_head instances;
	bool dead;
	/* instances for the root memcg and non-memcg-aware use, per node */
	int nr_own;
	struct shrinker_instance *own[];
};

/* Lifetime counters of an instance, in objects (backoffs: times). */
struct shrinker_counters {
	unsigned long scanned;
	unsigned long freed;
	unsigned long backoffs;
	unsigned long enqueued;
	unsigned long drained;
};

/*
 * The contexts a pass is made from, each with a backoff of its own.  A
 * provider may refuse a caller short of GFP_KERNEL and serve GFP_KERNEL
 * (nfs's access cache, sunrpc's auth cache: anything short of it; gfs2,
 * the superblock: no __GFP_FS), so what one context cannot do says
 * little of another.  Reclaim's contexts run from the freest:
 * GFP_KERNEL; SHORT, with __GFP_FS and __GFP_IO but a reclaim bit
 * missing (a THP fault's GFP_TRANSHUGE has no __GFP_KSWAPD_RECLAIM);
 * NOFS; NOIO (__GFP_FS without __GFP_IO counts here, a rough fit for a
 * mask nothing uses).  What fails in a freer one fails in a more
 * restricted one too, never the other way, for the refusals above.
 * The drain worker's GFP_KERNEL slices, which do queued work and trims
 * and which OOM waits on, are a context apart: a reclaimer's refusal or
 * a failed trylock does not stop them, and a trim that only rotates a
 * list does not stop reclaim.  So are memcg reclaim's passes over a
 * global instance that unpins memcg pages (shrinker_set_unpins_pages()),
 * all memcgs' together: a journal whose checkpoint list frees nothing
 * to global reclaim may still hold the buffers a memcg at its limit
 * needs unpinned, and memcg reclaim failing there must not stop global
 * reclaim.  A refusal of a restricted context is the provider's word on
 * that context, whoever asked, and is booked there.
 */
enum shrinker_ctx {
	SHRINKER_CTX_FULL,
	SHRINKER_CTX_SHORT,
	SHRINKER_CTX_NOFS,
	SHRINKER_CTX_NOIO,
	SHRINKER_CTX_DRAIN,
	SHRINKER_CTX_UNPIN,
	SHRINKER_CTX_NR,
};

static inline enum shrinker_ctx shrinker_ctx_of(gfp_t gfp)
{
	if (!(gfp & __GFP_IO))
		return SHRINKER_CTX_NOIO;
	if (!(gfp & __GFP_FS))
		return SHRINKER_CTX_NOFS;
	if ((gfp & GFP_KERNEL) != GFP_KERNEL)
		return SHRINKER_CTX_SHORT;
	return SHRINKER_CTX_FULL;
}

/*
 * One reclaim object: a (shrinker, node, memcg).  @lock serialises its
 * state; no path holds two instance locks except reparenting, which
 * nests the parent's inside the child's.
 */
struct shrinker_instance {
	spinlock_t lock;		/* protects the state below */
	int id;				/* shrinker id, -1 for own instances */
	int nid;
	unsigned long gen;		/* shrinker_core::gen of its shrinker */
	struct shrinker *shrinker;	/* valid while the instance is */
	struct mem_cgroup *memcg;	/* owner; NULL for own instances */

	unsigned long count;		/* freeable at the last count */
	unsigned long bytes;		/* bytes at the last count, 0 unknown */
	unsigned long bytes_count;	/* the count @bytes was sized at */
	unsigned long inflight;		/* in flight at the last scan */
	unsigned long inflight_at;	/* jiffies it was reported */
	unsigned long last_progress;	/* jiffies a pass last freed */
	unsigned long drained_at;	/* jiffies the drain freed; 0: never */
	struct shrinker_wss wss;
	struct shrinker_wmarks wmarks;
	struct shrinker_backoff backoff[SHRINKER_CTX_NR];
	struct shrinker_deferred deferred;
	struct shrinker_cost cost;	/* of its scans, per byte freed */

	struct shrinker_counters stats;

	struct list_head drain;		/* on the node's drain list */
	/*
	 * Where reparenting moved this instance's state, under @lock: work
	 * taken before the move goes there (shrinker_instance_lock_live()).
	 */
	struct shrinker_instance *moved;
	/* a memcg instance's slot, and its place on the core's list */
	struct shrinker_info_unit *unit;
	struct list_head link;
	bool trim;			/* queued for trimming to low */
	/* what the trim may still scan: one lap of the list (drain.c) */
	unsigned long trim_left;
	unsigned long trim_end;		/* jiffies the last trim ended, or 0 */
	bool trim_rotated;		/* this trim left objects it scanned */
	struct rcu_head rcu;
};

/*
 * The lowest priority at which min still spares an instance from kswapd:
 * below it 6.12's kswapd writes pages itself (balance_pgdat()), which is
 * pressure enough to reach a cache's working set too, and kswapd never
 * goes below priority 1.  Direct and memcg reclaim reach priority 0,
 * where nothing is spared; letting them below min earlier only delayed
 * a memcg's OOM kill (true_oom: limit to kill 1.161x base, memcg reclaim
 * a round 1.304x, against 0.966x and 1.098x with min sparing them).
 */
#define SHRINKER_MIN_PRIORITY	(DEF_PRIORITY - 2)

/* Is a pass at @priority past what min spares? */
static inline bool shrinker_past_min(int priority)
{
	return !priority ||
	       (current_is_kswapd() && priority < SHRINKER_MIN_PRIORITY);
}

/* Is @inst backed off in @ctx or a freer one, short of GFP_KERNEL? */
static inline bool
shrinker_restricted_backed_off(const struct shrinker_instance *inst,
			       enum shrinker_ctx ctx, unsigned long now)
{
	int i;

	for (i = SHRINKER_CTX_SHORT; i <= ctx && i <= SHRINKER_CTX_NOIO; i++)
		if (shrinker_backed_off(&inst->backoff[i], now))
			return true;
	return false;
}

/* Is @inst backed off for a pass in @ctx?  Read without its lock. */
static inline bool
shrinker_instance_backed_off(const struct shrinker_instance *inst,
			     enum shrinker_ctx ctx, unsigned long now)
{
	if (ctx >= SHRINKER_CTX_DRAIN)
		return shrinker_backed_off(&inst->backoff[ctx], now);
	return shrinker_backed_off(&inst->backoff[SHRINKER_CTX_FULL], now) ||
	       shrinker_restricted_backed_off(inst, ctx, now);
}

#define SHRINKER_UNIT_BITS	BITS_PER_LONG

/*
 * Per memcg and node: which memcg-aware shrinkers hold objects here, and
 * their instances.  Units are never freed before the memcg; the array of
 * units is replaced under RCU when shrinker ids outgrow it.
 */
struct shrinker_info_unit {
	DECLARE_BITMAP(map, SHRINKER_UNIT_BITS);
	/* instances that may hold work an OOM waits for: see oom.c */
	DECLARE_BITMAP(pending, SHRINKER_UNIT_BITS);
	struct shrinker_instance __rcu *inst[SHRINKER_UNIT_BITS];
};

struct shrinker_info {
	struct rcu_head rcu;
	int map_nr_max;
	struct shrinker_info_unit *unit[];
};

extern struct mutex shrinker_mutex;
extern struct list_head shrinker_list;

static inline struct shrinker_core *shrinker_core(struct shrinker *shrinker)
{
	return shrinker->core;
}

/*
 * An instance belongs to @shrinker only if the generations match.  A
 * shrinker's memcg instances go with it (shrinker_instances_release()),
 * but a reader under RCU that found a shrinker by id may still see, in a
 * slot, an instance of the id's previous shrinker not yet freed: such a
 * reader checks, inside its read-side section.
 */
static inline bool shrinker_instance_of(struct shrinker_instance *inst,
					struct shrinker *shrinker)
{
	return READ_ONCE(inst->gen) == shrinker->core->gen;
}

/*
 * The bytes of @nr of an instance's @count objects that take @bytes: in
 * 64 bits throughout, since mult_frac()'s remainder times @bytes wraps
 * once queues near 10^8 objects of a KiB.
 */
static inline unsigned long shrinker_objs_bytes(unsigned long nr,
						unsigned long bytes,
						unsigned long count)
{
	u64 q, hi, lo;

	if (!count)
		return 0;
	/*
	 * count and bytes are read apart, and a provider may report more
	 * in flight than it holds: saturate rather than let x86's divq
	 * fault on a quotient wider than 64 bits.  The remainder's share
	 * is below @bytes, so it always fits.
	 */
	q = nr / count;
	if (q && bytes > U64_MAX / q)
		return ULONG_MAX;
	hi = q * bytes;
	lo = mul_u64_u64_div_u64(nr % count, bytes, count);
	if (hi + lo < hi)
		return ULONG_MAX;
	return min_t(u64, hi + lo, ULONG_MAX);
}

/* The memcg as userspace names it (its cgroup inode), 0 for none. */
static inline unsigned long shrinker_memcg_ino(struct mem_cgroup *memcg)
{
#ifdef CONFIG_MEMCG
	if (memcg)
		return cgroup_ino(memcg->css.cgroup);
#endif
	return 0;
}

/* instance.c */
struct shrinker_instance *shrinker_instance_new(struct shrinker *shrinker,
						int id, int nid,
						struct mem_cgroup *memcg,
						gfp_t gfp);
void shrinker_instance_free(struct shrinker_instance *inst);
long shrinker_nr_instances(void);
long shrinker_nr_stranded(void);
long shrinker_nr_rerouted(void);
void shrinker_note_rerouted(const struct shrinker_instance *inst,
			    const struct shrinker_instance *live,
			    unsigned long nr);
void __init shrinker_instance_cache_init(void);
struct shrinker_info *shrinker_info_alloc(int nr_max, int nid);
void shrinker_info_free(struct shrinker_info *info);
struct shrinker_instance *shrinker_info_lookup(struct shrinker_info *info,
					       int id);
struct shrinker_instance *shrinker_info_install(struct shrinker_info *info,
						struct shrinker *shrinker,
						int id, int nid,
						struct mem_cgroup *memcg,
						gfp_t gfp, bool parent);
struct shrinker_instance *shrinker_unit_install(struct shrinker_info_unit *unit,
						int off,
						struct shrinker *shrinker,
						int id, int nid,
						struct mem_cgroup *memcg,
						gfp_t gfp, bool parent);
void shrinker_instance_merge(struct shrinker_instance *dst,
			     struct shrinker_instance *src);
void shrinker_instances_release(struct shrinker *shrinker);
struct shrinker_instance *
shrinker_instance_lock_live(struct shrinker_instance *inst);

/* core.c */
void shrinker_sweep_instances(int nid, struct mem_cgroup *memcg);

#define SHRINK_BATCH	128

static inline long shrinker_batch(struct shrinker *shrinker)
{
	return shrinker->batch ? shrinker->batch : SHRINK_BATCH;
}

/* What a run of scan batches did. */
struct shrinker_scan {
	unsigned long scanned;
	unsigned long freed;
	unsigned long freed_bytes;	/* from the provider's scan_bytes */
	unsigned long inflight;
	u64 ns;				/* time the provider took */
	bool stop;			/* the provider said SHRINK_STOP */
};

/* Who asked for a pass, which decides what its outcome teaches. */
enum shrinker_book {
	/*
	 * The drain's trim, nobody's demand: a refusal that left queued
	 * work undone backs off at once (one of the trim alone backs off
	 * nothing: shrinker_drain_instance() ends the trim)
	 */
	SHRINKER_BOOK_TRIM,
	/* reclaim, or queued work drained: ageing gets a second look */
	SHRINKER_BOOK_DEMAND,
	/* drop_caches: counters and progress, neither cost nor backoff */
	SHRINKER_BOOK_DROP,
};

void shrinker_scan_batches(struct shrinker *shrinker, struct shrink_control *sc,
			   long *left, long last, struct shrinker_scan *r);
bool shrinker_instance_book(struct shrinker_instance *inst,
			    const struct shrinker_scan *r, bool failed,
			    enum shrinker_book why, enum shrinker_ctx ctx,
			    unsigned long now);
unsigned long shrinker_defer_give_back(struct shrinker_instance *inst,
				       struct shrinker_instance *live,
				       const struct shrinker_deferred *w,
				       unsigned long now, unsigned long freeable);
void shrinker_instance_book_moved(struct shrinker_instance *live,
				  const struct shrinker_scan *r);

struct shrinker_pass {
	unsigned long freed_bytes;	/* of freed, where the provider knows */
	unsigned long freeable;
	unsigned long delta;
	unsigned long total;
	unsigned long scanned;
	unsigned long freed;
	unsigned long inflight;
	unsigned int weight;		/* cost weight the pass was sized by */
	bool skipped;
};

unsigned long shrinker_scan_instance(struct shrinker *shrinker,
				     struct shrinker_instance *inst,
				     struct shrink_control *sc,
				     const struct shrinker_pressure *press,
				     struct shrinker_pass *pass);
struct shrinker_instance *shrinker_own_instance(struct shrinker *shrinker,
						int nid);
void shrinker_instance_wmarks(struct shrinker *shrinker,
			      struct shrinker_instance *inst);
struct shrinker *shrinker_find_id(int id);
struct shrinker_instance *shrinker_memcg_instance(struct shrinker *shrinker,
						  struct mem_cgroup *memcg,
						  int nid);
long shrinker_nr_stateless_passes(void);

/* drain.c */
void shrinker_drain_queue(struct shrinker_instance *inst);
void shrinker_drain_later(struct shrinker_instance *inst);
void shrinker_drain_forget(struct shrinker_instance *inst);
unsigned long shrinker_drain_instance(struct shrinker *shrinker,
				      struct shrinker_instance *inst,
				      struct mem_cgroup *memcg);
void shrinker_drain_kick(void);
void shrinker_trim_queue(struct shrinker_instance *inst);

/*
 * The sweep counts every instance twice a working-set period.  A trim
 * starts a sweep period after the last one ended, at the soonest, if
 * that one left objects it scanned (what it rotated has had that long to
 * be used) or the cache refused it.
 */
#define SHRINKER_SWEEP_PERIOD	(SHRINKER_WSS_PERIOD / 2)

/* trim.c */
extern bool shrinker_trim_on;
bool shrinker_trim_allowed(struct mem_cgroup *memcg);
#ifdef CONFIG_MEMCG
void shrinker_trim_forget(struct mem_cgroup *memcg);
#endif
/*
 * How long reported work keeps an OOM waiting, how much it must be, and
 * for how long at most an allocation waits: see oom.c.
 */
#define SHRINKER_PENDING_WINDOW	(5 * HZ)
#define SHRINKER_OOM_MIN_BYTES	(SWAP_CLUSTER_MAX << PAGE_SHIFT)
#define SHRINKER_OOM_MAX_WAIT	(3 * HZ)
bool shrinker_queue_draining(struct shrinker_instance *inst,
			     unsigned long now);
unsigned long shrinker_pending_bytes(struct shrinker_instance *inst,
				     unsigned long now, unsigned long *inflight,
				     unsigned long *queued);

/* oom.c: work found by an OOM decision's walk */
struct shrinker_pending {
	unsigned long now;
	unsigned long visited;		/* instances looked at */
	unsigned long inflight;
	unsigned long deferred;
	unsigned long bytes;
};

void shrinker_pending_note(struct shrinker_instance *inst);
void shrinker_pending_info(struct shrinker_info *info,
			   struct shrinker_pending *p);
/* also in mm/internal.h, for vmscan */
int shrinker_drain_init(void);
void shrinker_node_lru_cost(int nid, u64 ns, unsigned long bytes,
			    struct shrinker_cost *cost);

/* Count @item for the instance, globally and in its memcg. */
static inline void shrinker_count_event(struct shrinker_instance *inst,
					enum vm_event_item item,
					unsigned long nr)
{
	if (!nr)
		return;
	count_vm_events(item, nr);
	if (inst->memcg)
		count_memcg_events(inst->memcg, item, nr);
}

/* debugfs.c */
#ifdef CONFIG_SHRINKER_DEBUG
int shrinker_debugfs_name_alloc(struct shrinker *shrinker, const char *fmt,
				va_list ap);
void shrinker_debugfs_name_free(struct shrinker *shrinker);
int shrinker_debugfs_add(struct shrinker *shrinker);
struct dentry *shrinker_debugfs_detach(struct shrinker *shrinker,
				       int *debugfs_id);
void shrinker_debugfs_remove(struct dentry *debugfs_entry, int debugfs_id);
#else
static inline int shrinker_debugfs_name_alloc(struct shrinker *shrinker,
					      const char *fmt, va_list ap)
{
	return 0;
}

static inline void shrinker_debugfs_name_free(struct shrinker *shrinker)
{
}

static inline int shrinker_debugfs_add(struct shrinker *shrinker)
{
	return 0;
}

static inline struct dentry *shrinker_debugfs_detach(struct shrinker *shrinker,
						     int *debugfs_id)
{
	*debugfs_id = -1;
	return NULL;
}

static inline void shrinker_debugfs_remove(struct dentry *debugfs_entry,
					   int debugfs_id)
{
}
#endif

#endif /* _MM_SHRINKER_INTERNAL_H */
