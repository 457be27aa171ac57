// SPDX-License-Identifier: GPL-2.0
/*
 * Per-instance reclaim state of a shrinker: the working-set estimate and
 * the watermarks derived from it, backoff, and the deferred-work queue.
 *
 * Watermarks follow FreeBSD UMA's trim rule.  UMA samples how far the
 * number of cached free items moves within each 20 s interval: items below
 * the interval's minimum were never needed, the range (max - min) is the
 * working set, and the estimate is a 4:1 moving average of the ranges.  A
 * shrinker's count is its freeable objects, so the same rule applies:
 *
 *   low  = max(wss, SHRINKER_WMARK_FLOOR, ceiling / 2)
 *   high = max(2 * low, ceiling)            hysteresis before trimming
 *   min  = wss / 4                          spared light reclaim
 *
 * The count is sampled as if nothing a shrinker pass freed this interval
 * had gone (shrinker_wss_cut()): the working set is the cache's own use,
 * and a cut by reclaim is no swing of it.
 * Unlike UMA's free items, a shrinker's objects are cached data that may
 * be in use without leaving its LRU, so a flat count is no proof that
 * nobody needs them.  @ceiling, the objects that fill a set share of the
 * node's memory, keeps background trimming to caches that are large as
 * well as idle; without an object size it is SHRINKER_WMARK_NO_CEILING
 * and low and high stay unbounded.
 *
 * Until one full interval has been seen nothing is derived: min is 0 and
 * low and high are unbounded, which leaves the instance to reclaim as it
 * is today.
 */
#include <linux/array_size.h>
#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/math.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/string.h>

#include "state.h"

void shrinker_wss_init(struct shrinker_wss *w, unsigned long count,
		       unsigned long now)
{
	w->period_start = now;
	w->period_min = count;
	w->period_max = count;
	w->period_cut = 0;
	w->estimate = 0;
	w->sampled = false;
	w->restart = false;
}

void shrinker_wss_sample(struct shrinker_wss *w, unsigned long count,
			 unsigned long now)
{
	/* as if this period's reclaim had freed nothing */
	unsigned long seen = size_add(count, w->period_cut);
	unsigned long range;

	if (w->restart) {
		w->restart = false;
		w->period_min = seen;
		w->period_max = seen;
	}
	w->period_min = min(w->period_min, seen);
	w->period_max = max(w->period_max, seen);
	if (time_before(now, w->period_start + SHRINKER_WSS_PERIOD))
		return;

	range = w->period_max - w->period_min;
	if (w->sampled)
		w->estimate = mult_frac(range, 4, 5) + w->estimate / 5;
	else
		w->estimate = range;
	w->sampled = true;
	w->period_start = now;
	w->period_min = count;
	w->period_max = count;
	w->period_cut = 0;
}

/*
 * @freed objects went to a shrinker pass: reclaim's cut, not the cache's
 * own use.  Left in, each cut from N to M would raise min by about
 * (N - M) / 5, and reclaim would build its own protection.
 */
void shrinker_wss_cut(struct shrinker_wss *w, unsigned long freed)
{
	w->period_cut = size_add(w->period_cut, freed);
}

void shrinker_wmarks_derive(struct shrinker_wmarks *wm,
			    const struct shrinker_wss *w,
			    unsigned long ceiling)
{
	unsigned long low;

	if (wm->user)
		return;
	wm->min = w->sampled ? w->estimate / 4 : 0;
	if (!w->sampled || ceiling == SHRINKER_WMARK_NO_CEILING) {
		wm->low = ULONG_MAX;
		wm->high = ULONG_MAX;
		return;
	}
	low = max3(w->estimate, SHRINKER_WMARK_FLOOR, ceiling / 2);
	wm->low = low;
	wm->high = max(shrinker_twice(low), ceiling);
}

/*
 * Exactly @n unsigned decimals separated by spaces or tabs in @s, which is
 * cut up, into @v.  kstrtoul() refuses what would overflow, where sscanf()
 * would wrap.
 */
int shrinker_parse_ulongs(char *s, unsigned long *v, int n)
{
	char *tok;
	int i = 0;

	while ((tok = strsep(&s, " \t"))) {
		if (!*tok)
			continue;
		if (i == n || kstrtoul(tok, 10, &v[i]))
			return -EINVAL;
		i++;
	}
	return i == n ? 0 : -EINVAL;
}

/*
 * Parse an override: "MIN LOW HIGH" in objects, or "auto" to go back to
 * derived watermarks.  Anything else, including MIN > LOW or LOW > HIGH,
 * is -EINVAL and leaves @wm unchanged.
 */
int shrinker_wmarks_parse(const char *buf, struct shrinker_wmarks *wm)
{
	unsigned long v[3];
	char tmp[80], *p;

	if (strscpy(tmp, buf, sizeof(tmp)) < 0)
		return -EINVAL;
	p = strim(tmp);
	if (!strcmp(p, "auto")) {
		wm->user = false;
		return 0;
	}
	if (shrinker_parse_ulongs(p, v, ARRAY_SIZE(v)) ||
	    v[0] > v[1] || v[1] > v[2])
		return -EINVAL;
	wm->min = v[0];
	wm->low = v[1];
	wm->high = v[2];
	wm->user = true;
	return 0;
}

/*
 * A pass was refused, freed nothing, or found work in flight.  Read
 * locklessly (shrinker_backed_off()): each field is written once.
 */
void shrinker_backoff_failed(struct shrinker_backoff *b, unsigned long now)
{
	WRITE_ONCE(b->until, now + (SHRINKER_BACKOFF_BASE << b->level));
	if (b->level < SHRINKER_BACKOFF_MAX_LEVEL)
		WRITE_ONCE(b->level, b->level + 1);
}

void shrinker_backoff_progress(struct shrinker_backoff *b)
{
	WRITE_ONCE(b->level, 0);
	WRITE_ONCE(b->until, 0);
	b->fruitless = 0;
}

/*
 * A pass scanned @scanned objects of @count and freed nothing, without
 * refusing or reporting work in flight.  It may only have aged a list that
 * gives referenced objects a second chance, as the dcache, the icache and
 * most list_lru users do: the next visit frees them.  That is not a cache
 * worth backing off from until it has been scanned around twice since it
 * last made progress.  Returns true when it has.
 */
bool shrinker_backoff_fruitless(struct shrinker_backoff *b,
				unsigned long scanned, unsigned long count)
{
	b->fruitless = size_add(b->fruitless, scanned);
	return b->fruitless / 2 >= count;
}

bool shrinker_backed_off(const struct shrinker_backoff *b, unsigned long now)
{
	/* level 0 means never failed since the last progress. */
	return READ_ONCE(b->level) && time_before(now, READ_ONCE(b->until));
}

static void shrinker_defer_sum(struct shrinker_deferred *q)
{
	/* since first: a reader that sees new work sees its time */
	WRITE_ONCE(q->since, q->old.nr ? q->old.since : q->young.since);
	WRITE_ONCE(q->nr, q->old.nr + q->young.nr);
	WRITE_ONCE(q->urgent, q->old.urgent + q->young.urgent);
}

static void shrinker_defer_age(struct shrinker_deferred *q,
			       struct shrinker_defer_epoch *e)
{
	q->aged += e->nr;
	*e = (struct shrinker_defer_epoch){ };
}

/*
 * Bring @q to the epoch @now is in, dropping what has aged out.  An
 * empty queue starts over at @now's epoch: work is queued with the time
 * read under the queue's lock, and work given back carries its own
 * epochs.  A caller's @now may lag another's, by as long as a provider
 * slept: a queue holding work is never moved back.
 */
static void shrinker_defer_advance(struct shrinker_deferred *q,
				   unsigned long now)
{
	unsigned long n;

	if (!q->nr) {
		q->old = (struct shrinker_defer_epoch){ };
		q->young = q->old;
		q->start = now & ~(SHRINKER_DEFER_EPOCH - 1);
		return;
	}
	if (time_before(now, q->start + SHRINKER_DEFER_EPOCH))
		return;
	n = (now - q->start) / SHRINKER_DEFER_EPOCH;
	shrinker_defer_age(q, &q->old);
	if (n == 1) {
		q->old = q->young;
		q->young = (struct shrinker_defer_epoch){ };
	} else {
		shrinker_defer_age(q, &q->young);
	}
	q->start += n * SHRINKER_DEFER_EPOCH;
	shrinker_defer_sum(q);
}

/*
 * Cut @q by @cut objects: the work not urgent first, as only urgent work
 * is owed below min and an OOM waits on it, and within each the oldest
 * first.
 */
static void shrinker_defer_cut(struct shrinker_deferred *q, unsigned long cut)
{
	struct shrinker_defer_epoch *e[] = { &q->old, &q->young };
	unsigned long c;
	int i;

	for (i = 0; i < 2; i++) {
		c = min(cut, e[i]->nr - e[i]->urgent);
		e[i]->nr -= c;
		cut -= c;
	}
	for (i = 0; i < 2; i++) {
		c = min(cut, e[i]->urgent);
		e[i]->nr -= c;
		e[i]->urgent -= c;
		cut -= c;
	}
	shrinker_defer_sum(q);
}

/* The instance shrank below its queue: what it no longer holds is aged. */
static void shrinker_defer_fit(struct shrinker_deferred *q,
			       unsigned long freeable)
{
	if (q->nr <= freeable)
		return;
	q->aged += q->nr - freeable;
	shrinker_defer_cut(q, q->nr - freeable);
}

/*
 * Queue @nr objects of work a context could not do.  The queue never holds
 * more than the instance has freeable: more work than objects is windup.
 * Work an @urgent pass queued, one min no longer spared the instance from
 * (the last pass before OOM among them), is owed even below the min
 * watermark, where other queued work is dropped.  Returns what was
 * queued.
 */
unsigned long shrinker_defer_add(struct shrinker_deferred *q,
				 unsigned long nr, unsigned long freeable,
				 unsigned long now, bool urgent)
{
	unsigned long add;

	shrinker_defer_advance(q, now);
	shrinker_defer_fit(q, freeable);
	add = min(nr, freeable - q->nr);
	if (!add)
		return 0;
	if (!q->young.nr)
		q->young.since = now;
	q->young.nr += add;
	if (urgent)
		q->young.urgent += add;
	shrinker_defer_sum(q);
	return add;
}

static unsigned long shrinker_defer_take_epoch(struct shrinker_defer_epoch *e,
					       struct shrinker_defer_epoch *t,
					       unsigned long max)
{
	t->nr = min(max, e->nr);
	t->urgent = min(e->urgent, t->nr);
	t->since = e->since;
	e->nr -= t->nr;
	e->urgent -= t->urgent;
	return t->nr;
}

/*
 * Take up to @max objects of queued work for a drain, the oldest epoch
 * first and urgent work first within it, into @taken: a queue of the
 * same epochs, which shrinker_defer_return() or shrinker_defer_give()
 * puts back where it came from.  Work not drained within its two epochs
 * was dropped first: by then the pressure that queued it is history.
 */
unsigned long shrinker_defer_take(struct shrinker_deferred *q,
				  unsigned long max, unsigned long now,
				  struct shrinker_deferred *taken)
{
	*taken = (struct shrinker_deferred){ };
	shrinker_defer_advance(q, now);
	taken->start = q->start;
	max -= shrinker_defer_take_epoch(&q->old, &taken->old, max);
	shrinker_defer_take_epoch(&q->young, &taken->young, max);
	shrinker_defer_sum(q);
	shrinker_defer_sum(taken);
	return taken->nr;
}

/*
 * Of the work in @taken, keep the @nr objects a pass left unscanned.
 * Which ones it scanned is unknown: count the urgent as left, as owed
 * work must not be lost, and the young, as it is kept longer.
 * Unscanned work a pass min no longer spared took is owed from now on:
 * @urgent.
 */
void shrinker_defer_unscanned(struct shrinker_deferred *taken,
			      unsigned long nr, bool urgent)
{
	shrinker_defer_cut(taken, taken->nr - min(nr, taken->nr));
	if (urgent) {
		taken->old.urgent = taken->old.nr;
		taken->young.urgent = taken->young.nr;
	}
	shrinker_defer_sum(taken);
}

/*
 * Put the urgent work of @e, or the rest, @e being the work of the epoch
 * that began at @start, into that epoch of @q, within *@room objects:
 * never a younger one, or an older one while @q lags it.  Work whose
 * epoch has passed both of @q's has aged out.
 */
static unsigned long shrinker_defer_place(struct shrinker_deferred *q,
					  const struct shrinker_defer_epoch *e,
					  unsigned long start, bool urgent,
					  unsigned long *room)
{
	unsigned long nr = urgent ? e->urgent : e->nr - e->urgent;
	struct shrinker_defer_epoch *to;
	unsigned long add;

	if (!nr)
		return 0;
	if (time_after(start + SHRINKER_DEFER_EPOCH, q->start))
		to = &q->young;
	else if (time_after(start + SHRINKER_DEFER_MAX_AGE, q->start))
		to = &q->old;
	else
		to = NULL;
	add = to ? min(nr, *room) : 0;
	q->aged += nr - add;
	if (!add)
		return 0;
	if (!to->nr || time_before(e->since, to->since))
		to->since = e->since;
	to->nr += add;
	if (urgent)
		to->urgent += add;
	*room -= add;
	return add;
}

/*
 * Give work @w to a queue that did not hand it out: the instance
 * reparenting moved the giver's state to.  Its count is a sample from
 * before the move, so nothing @q holds is cut; the work fits the room
 * @freeable leaves, the urgent first and then the youngest, and the
 * rest is counted as aged.  Returns what was added.
 */
unsigned long shrinker_defer_give(struct shrinker_deferred *q,
				  const struct shrinker_deferred *w,
				  unsigned long now, unsigned long freeable)
{
	unsigned long old = w->start - SHRINKER_DEFER_EPOCH, room, add;

	if (!w->nr)
		return 0;
	shrinker_defer_advance(q, now);
	/* @now may lag the clock @w was taken by */
	if (time_after(w->start, q->start))
		shrinker_defer_advance(q, w->start);
	room = freeable > q->nr ? freeable - q->nr : 0;
	add = shrinker_defer_place(q, &w->old, old, true, &room);
	add += shrinker_defer_place(q, &w->young, w->start, true, &room);
	add += shrinker_defer_place(q, &w->young, w->start, false, &room);
	add += shrinker_defer_place(q, &w->old, old, false, &room);
	shrinker_defer_sum(q);
	return add;
}

/*
 * Give back work @w taken from @q and not scanned.  It returns to the
 * epochs it was taken from, if they have not ended: work taken and given
 * back again and again still ages out.  What no longer fits under
 * @freeable is dropped and counted as aged.
 */
void shrinker_defer_return(struct shrinker_deferred *q,
			   const struct shrinker_deferred *w,
			   unsigned long now, unsigned long freeable)
{
	/* all in, then fitted: urgent work given back outranks the rest */
	shrinker_defer_give(q, w, now, ULONG_MAX);
	shrinker_defer_fit(q, freeable);
}

/*
 * The instance reached its min watermark, below which no reclaim is owed:
 * drop what is queued, except what passes min no longer spared queued.
 * Counted with the aged-out work.  Returns what was dropped.
 */
unsigned long shrinker_defer_drop(struct shrinker_deferred *q)
{
	unsigned long nr = q->nr - q->urgent;

	q->aged += nr;
	shrinker_defer_cut(q, nr);
	return nr;
}

/*
 * Reparenting: @src's queued work moves to @dst in one step, as
 * shrinker_defer_return() gives work back: into the epochs it was queued
 * in, capped at what @dst now has freeable (its own objects and those it
 * inherited), and what does not fit counted as aged.
 */
void shrinker_defer_merge(struct shrinker_deferred *dst,
			  struct shrinker_deferred *src,
			  unsigned long now, unsigned long freeable)
{
	if (src->nr)
		shrinker_defer_return(dst, src, now, freeable);
	dst->aged += src->aged;
	*src = (struct shrinker_deferred){ };
}

/* jiffies the oldest queued work was queued, read without the lock */
unsigned long shrinker_defer_since(const struct shrinker_deferred *q)
{
	return READ_ONCE(q->since);
}

/*
 * What one reclaim pass scans: its own target plus deferred work, never
 * more than twice its target.  This is what removes windup: however much
 * work was deferred, no single caller pays more than one extra pass.
 */
unsigned long shrinker_pass_target(unsigned long delta, unsigned long deferred)
{
	return delta + min(deferred, delta);
}

void shrinker_cost_add(struct shrinker_cost *c, u64 ns, u64 bytes)
{
	c->ns += ns;
	c->bytes += bytes;
	while (c->ns > SHRINKER_COST_WINDOW_NS) {
		c->ns /= 2;
		c->bytes /= 2;
	}
}

/* Scale a cost down to 26 bits, keeping its ns per byte. */
static void shrinker_cost_reduce(u64 *ns, u64 *bytes)
{
	unsigned int bits = fls64(*ns | *bytes);

	if (bits > 26) {
		*ns >>= bits - 26;
		*bytes >>= bits - 26;
	}
}

/*
 * How much cheaper a byte of @inst is to reclaim than a byte of the LRUs,
 * in 1/SHRINKER_WEIGHT_ONE: LRU ns per byte over the instance's.  Time
 * spent freeing nothing is an infinite cost, and an unknown cost on
 * either side leaves the weight neutral.  Providers report bytes, so no
 * figure is trusted not to overflow: both sides are scaled to 26 bits.
 */
unsigned int shrinker_cost_weight(const struct shrinker_cost *lru,
				  const struct shrinker_cost *inst)
{
	u64 lns = lru->ns, lbytes = lru->bytes;
	u64 ins = inst->ns, ibytes = inst->bytes;

	if (!lns || !ins)
		return SHRINKER_WEIGHT_ONE;
	shrinker_cost_reduce(&lns, &lbytes);
	shrinker_cost_reduce(&ins, &ibytes);
	if (!ibytes || !lns)
		return SHRINKER_WEIGHT_MIN;
	if (!lbytes || !ins)
		return SHRINKER_WEIGHT_MAX;
	/* (lns / lbytes) / (ins / ibytes), each product below 2^52 */
	return clamp_t(u64, div64_u64(lns * ibytes * SHRINKER_WEIGHT_ONE,
				      ins * lbytes),
		       SHRINKER_WEIGHT_MIN, SHRINKER_WEIGHT_MAX);
}

/*
 * The objects one pass asks of an instance with @freeable objects.  It
 * takes the same share of its bytes as the LRUs lost of their pages, and
 * never less than @priority alone implies, so a cache beside small LRUs
 * is not starved.  That share is scaled by the cost @weight and by
 * 4 / @seeks, as 6.12 scaled it: at a neutral weight and no extra LRU
 * pressure the pass is 6.12's.  @seeks 0 (objects free to recreate) is
 * half of them.  Never more than twice @freeable, 6.12's bound too.
 */
unsigned long shrinker_pressure_delta(unsigned long freeable,
				      const struct shrinker_pressure *p,
				      unsigned int weight, unsigned int seeks)
{
	u64 lru = 0, share, cap;

	if (!seeks)
		return freeable / 2;
	cap = shrinker_twice(freeable);
	if (p->eligible && p->scanned)
		lru = mul_u64_u64_div_u64(freeable, min(p->scanned, p->eligible),
					  p->eligible);
	share = max_t(u64, lru, freeable >> p->priority);
	weight = min(weight, SHRINKER_WEIGHT_MAX);
	/* the quotient must fit: at most 16 times a share below 2^60 */
	if (share >= 1ULL << 60)
		return cap;
	return min(mul_u64_u64_div_u64(share, 4ULL * weight,
				       (u64)seeks * SHRINKER_WEIGHT_ONE), cap);
}
