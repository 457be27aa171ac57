/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-instance reclaim state of a shrinker: watermarks, backoff and the
 * deferred-work queue.  Internal to mm/shrinker/; the caller serialises
 * updates of one instance (its lock), and these helpers never sleep or
 * allocate, so they serve reclaim, kswapd and OOM context alike.
 */
#ifndef _MM_SHRINKER_STATE_H
#define _MM_SHRINKER_STATE_H

#include <linux/jiffies.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/time64.h>
#include <linux/types.h>

/* Working-set sampling period, as FreeBSD UMA's trim interval. */
#define SHRINKER_WSS_PERIOD	(20 * HZ)
/* Below this many objects an instance is left alone: not worth a pass. */
#define SHRINKER_WMARK_FLOOR	256UL

/* Backoff windows: 20 ms doubling up to 2.56 s. */
#define SHRINKER_BACKOFF_BASE	(HZ / 50 ? HZ / 50 : 1)
#define SHRINKER_BACKOFF_MAX_LEVEL	7

/*
 * Deferred work ages by epochs: it is kept through the epoch it was
 * queued in and the next, and dropped when the one after begins, so
 * between one and two epochs after it was queued.  However steadily a
 * queue is refilled, no work younger than an epoch is dropped.  Epochs
 * begin on multiples of SHRINKER_DEFER_EPOCH, a power of two (4-8 s),
 * so that every queue shares them, on either side of a jiffies wrap
 * too, and work moved between queues keeps its own.
 */
#define SHRINKER_DEFER_EPOCH	roundup_pow_of_two(4 * HZ)
#define SHRINKER_DEFER_MAX_AGE	(2 * SHRINKER_DEFER_EPOCH)

struct shrinker_wmarks {
	unsigned long min;	/* not scanned below, unless OOM is imminent */
	unsigned long low;	/* background trimming stops here */
	unsigned long high;	/* background trimming starts above this */
	bool user;		/* set by an override, not derived */
};

/*
 * Working-set estimate from the range a count spans in each period, the
 * count taken as if nothing reclaim freed had gone: @period_cut adds back
 * this period's frees by shrinker passes, so reclaim's cuts are no swing.
 */
struct shrinker_wss {
	unsigned long period_start;
	unsigned long period_min;
	unsigned long period_max;
	unsigned long period_cut;
	unsigned long estimate;
	bool sampled;		/* one full period seen */
	bool restart;		/* the range starts over at the next sample */
};

struct shrinker_backoff {
	unsigned long until;	/* jiffies; skipped before this */
	unsigned int level;	/* window is BASE << level */
	/*
	 * Objects scanned since the last progress, none of them freed.  An
	 * instance keeps one, in its GFP_KERNEL context's backoff, which all
	 * progress resets: whether a list only rotates is the list's doing,
	 * whoever scans it.
	 */
	unsigned long fruitless;
};

/* The work queued in one epoch. */
struct shrinker_defer_epoch {
	unsigned long nr;
	unsigned long urgent;	/* of nr */
	unsigned long since;	/* jiffies its oldest work was queued */
};

/*
 * @nr, @urgent and @since sum up the two epochs for lockless readers.
 * Work taken from a queue is handed out as a queue of its own, so that
 * what is given back returns to the epochs it came from.
 */
struct shrinker_deferred {
	unsigned long nr;	/* objects of work queued */
	unsigned long urgent;	/* of nr: owed below min (SHRINKER_MIN_PRIORITY) */
	unsigned long since;	/* jiffies the oldest queued work was queued */
	unsigned long aged;	/* lifetime: work dropped, aged out or at min */
	unsigned long start;	/* jiffies @young's epoch began */
	struct shrinker_defer_epoch young;
	struct shrinker_defer_epoch old;	/* the epoch before @young's */
};

void shrinker_wss_init(struct shrinker_wss *w, unsigned long count,
		       unsigned long now);
void shrinker_wss_sample(struct shrinker_wss *w, unsigned long count,
			 unsigned long now);
void shrinker_wss_cut(struct shrinker_wss *w, unsigned long freed);
/* No size-based bound on the watermarks: never trim in the background. */
#define SHRINKER_WMARK_NO_CEILING	ULONG_MAX

void shrinker_wmarks_derive(struct shrinker_wmarks *wm,
			    const struct shrinker_wss *w,
			    unsigned long ceiling);
int shrinker_parse_ulongs(char *s, unsigned long *v, int n);
int shrinker_wmarks_parse(const char *buf, struct shrinker_wmarks *wm);

void shrinker_backoff_failed(struct shrinker_backoff *b, unsigned long now);
void shrinker_backoff_progress(struct shrinker_backoff *b);
bool shrinker_backoff_fruitless(struct shrinker_backoff *b,
				unsigned long scanned, unsigned long count);
bool shrinker_backed_off(const struct shrinker_backoff *b, unsigned long now);

unsigned long shrinker_defer_add(struct shrinker_deferred *q,
				 unsigned long nr, unsigned long freeable,
				 unsigned long now, bool urgent);
unsigned long shrinker_defer_take(struct shrinker_deferred *q,
				  unsigned long max, unsigned long now,
				  struct shrinker_deferred *taken);
void shrinker_defer_unscanned(struct shrinker_deferred *taken,
			      unsigned long nr, bool urgent);
void shrinker_defer_return(struct shrinker_deferred *q,
			   const struct shrinker_deferred *w,
			   unsigned long now, unsigned long freeable);
unsigned long shrinker_defer_drop(struct shrinker_deferred *q);
unsigned long shrinker_defer_give(struct shrinker_deferred *q,
				  const struct shrinker_deferred *w,
				  unsigned long now, unsigned long freeable);
unsigned long shrinker_defer_since(const struct shrinker_deferred *q);
void shrinker_defer_merge(struct shrinker_deferred *dst,
			  struct shrinker_deferred *src,
			  unsigned long now, unsigned long freeable);
unsigned long shrinker_pass_target(unsigned long delta,
				   unsigned long deferred);

/*
 * What reclaim costs, as time spent per byte freed: a decaying sum, so
 * the last SHRINKER_COST_WINDOW_NS or so of work weighs most.
 */
#define SHRINKER_COST_WINDOW_NS	(100 * NSEC_PER_MSEC)

struct shrinker_cost {
	u64 ns;
	u64 bytes;
};

/* A cost ratio in 1/SHRINKER_WEIGHT_ONE, bounded either way. */
#define SHRINKER_WEIGHT_ONE	1024U
#define SHRINKER_WEIGHT_MIN	(SHRINKER_WEIGHT_ONE / 16)
#define SHRINKER_WEIGHT_MAX	(SHRINKER_WEIGHT_ONE * 4)

/* The pressure reclaim put on a node's LRUs in one pass. */
/* twice @n, saturating: 6.12's bound on a pass, and high over low */
static inline unsigned long shrinker_twice(unsigned long n)
{
	return n > ULONG_MAX / 2 ? ULONG_MAX : 2 * n;
}

struct shrinker_pressure {
	unsigned long scanned;		/* LRU pages scanned */
	unsigned long eligible;		/* of this many evictable */
	int priority;
	struct shrinker_cost lru;	/* what a byte of the LRUs costs */
	bool sweep;			/* count only: shrinker_sweep_instances() */
	bool drop;			/* drop_caches: shrink_slab() */
	bool unpin;			/* shrink_slab_unpin() */
};

void shrinker_cost_add(struct shrinker_cost *c, u64 ns, u64 bytes);
unsigned int shrinker_cost_weight(const struct shrinker_cost *lru,
				  const struct shrinker_cost *inst);
unsigned long shrinker_pressure_delta(unsigned long freeable,
				      const struct shrinker_pressure *p,
				      unsigned int weight, unsigned int seeks);

#endif /* _MM_SHRINKER_STATE_H */
