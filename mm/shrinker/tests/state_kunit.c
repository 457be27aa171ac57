// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the per-instance shrinker state: watermark derivation and
 * overrides, the backoff state machine, and the deferred-work queue.
 */
#include <kunit/test.h>
#include <linux/array_size.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/string.h>

#include "../state.h"

/* An arbitrary start, close to a jiffies wrap to catch naive compares. */
#define T0	(ULONG_MAX - 5 * HZ)

static void wss_feed_period(struct shrinker_wss *w, unsigned long lo,
			    unsigned long hi, unsigned long *now)
{
	shrinker_wss_sample(w, hi, *now + 1);
	shrinker_wss_sample(w, lo, *now + 2);
	*now += SHRINKER_WSS_PERIOD;
	shrinker_wss_sample(w, lo, *now);
}

static void wmarks_unknown_until_sampled(struct kunit *test)
{
	struct shrinker_wss w;
	struct shrinker_wmarks wm = {};
	unsigned long now = T0;

	shrinker_wss_init(&w, 5000, now);
	shrinker_wss_sample(&w, 9000, now + HZ);
	shrinker_wmarks_derive(&wm, &w, 0);
	KUNIT_EXPECT_EQ(test, wm.min, 0UL);
	KUNIT_EXPECT_EQ(test, wm.low, ULONG_MAX);
	KUNIT_EXPECT_EQ(test, wm.high, ULONG_MAX);
}

static void wmarks_follow_working_set(struct kunit *test)
{
	struct shrinker_wss w;
	struct shrinker_wmarks wm = {};
	unsigned long now = T0;

	/* Objects swing between 10000 and 30000: a 20000 working set. */
	shrinker_wss_init(&w, 10000, now);
	wss_feed_period(&w, 10000, 30000, &now);
	KUNIT_EXPECT_TRUE(test, w.sampled);
	KUNIT_EXPECT_EQ(test, w.estimate, 20000UL);
	shrinker_wmarks_derive(&wm, &w, 0);
	KUNIT_EXPECT_EQ(test, wm.low, 20000UL);
	KUNIT_EXPECT_EQ(test, wm.high, 40000UL);
	KUNIT_EXPECT_EQ(test, wm.min, 5000UL);

	/* An idle period (no swing) decays the estimate 4:1, as UMA does. */
	wss_feed_period(&w, 10000, 10000, &now);
	KUNIT_EXPECT_EQ(test, w.estimate, 4000UL);
	shrinker_wmarks_derive(&wm, &w, 0);
	KUNIT_EXPECT_EQ(test, wm.low, 4000UL);
	KUNIT_EXPECT_EQ(test, wm.min, 1000UL);
}

static void wmarks_floor(struct kunit *test)
{
	struct shrinker_wss w;
	struct shrinker_wmarks wm = {};
	unsigned long now = T0;

	shrinker_wss_init(&w, 10, now);
	wss_feed_period(&w, 10, 20, &now);
	shrinker_wmarks_derive(&wm, &w, 0);
	KUNIT_EXPECT_EQ(test, wm.low, SHRINKER_WMARK_FLOOR);
	KUNIT_EXPECT_EQ(test, wm.high, 2 * SHRINKER_WMARK_FLOOR);
	KUNIT_EXPECT_EQ(test, wm.min, 2UL);
}

static void wmarks_ceiling(struct kunit *test)
{
	struct shrinker_wss w;
	struct shrinker_wmarks wm = {};
	unsigned long now = T0;

	/* an idle cache: no working set */
	shrinker_wss_init(&w, 50000, now);
	wss_feed_period(&w, 50000, 50000, &now);
	/* unknown object size: never trimmed in the background */
	shrinker_wmarks_derive(&wm, &w, SHRINKER_WMARK_NO_CEILING);
	KUNIT_EXPECT_EQ(test, wm.low, ULONG_MAX);
	KUNIT_EXPECT_EQ(test, wm.high, ULONG_MAX);
	/* 40000 objects fill the node's share: trimmed above it, to half */
	shrinker_wmarks_derive(&wm, &w, 40000);
	KUNIT_EXPECT_EQ(test, wm.high, 40000UL);
	KUNIT_EXPECT_EQ(test, wm.low, 20000UL);
	KUNIT_EXPECT_EQ(test, wm.min, 0UL);
	/* a working set larger than the share wins */
	wss_feed_period(&w, 10000, 60000, &now);
	shrinker_wmarks_derive(&wm, &w, 40000);
	KUNIT_EXPECT_EQ(test, wm.low, 40000UL);
	KUNIT_EXPECT_EQ(test, wm.high, 80000UL);
}

static void wmarks_override(struct kunit *test)
{
	struct shrinker_wss w;
	struct shrinker_wmarks wm = {};
	unsigned long now = T0;

	KUNIT_EXPECT_EQ(test, shrinker_wmarks_parse("100 200 300\n", &wm), 0);
	KUNIT_EXPECT_TRUE(test, wm.user);
	KUNIT_EXPECT_EQ(test, wm.min, 100UL);
	KUNIT_EXPECT_EQ(test, wm.low, 200UL);
	KUNIT_EXPECT_EQ(test, wm.high, 300UL);
	KUNIT_EXPECT_EQ(test, shrinker_wmarks_parse("  7\t7 7 ", &wm), 0);
	KUNIT_EXPECT_EQ(test, wm.high, 7UL);

	/* An override survives derivation until "auto". */
	shrinker_wss_init(&w, 0, now);
	wss_feed_period(&w, 0, 50000, &now);
	shrinker_wmarks_derive(&wm, &w, 0);
	KUNIT_EXPECT_EQ(test, wm.low, 7UL);
	KUNIT_EXPECT_EQ(test, shrinker_wmarks_parse("auto", &wm), 0);
	shrinker_wmarks_derive(&wm, &w, 0);
	KUNIT_EXPECT_FALSE(test, wm.user);
	KUNIT_EXPECT_EQ(test, wm.low, 50000UL);
}

static void wmarks_override_bad_input(struct kunit *test)
{
	static const char * const bad[] = {
		"", "\n", "1 2", "1 2 3 4", "3 2 1", "1 3 2", "2 1 3",
		"-1 2 3", "1 -2 3", "a b c", "1 2 3x", "0x10 20 30",
		"1,2,3", "99999999999999999999999 1 2", "auto 1 2 3",
		"1 2 18446744073709551616",
	};
	struct shrinker_wmarks wm = { .min = 1, .low = 2, .high = 3 };
	char huge[128];
	int i;

	/* Longer than any valid override: refused, not truncated. */
	memset(huge, ' ', sizeof(huge) - 1);
	huge[0] = '1';
	memcpy(&huge[sizeof(huge) - 4], "2 3", 4);
	KUNIT_EXPECT_EQ(test, shrinker_wmarks_parse(huge, &wm), -EINVAL);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, shrinker_wmarks_parse(bad[i], &wm),
				    -EINVAL, "input \"%s\"", bad[i]);
		KUNIT_EXPECT_EQ(test, wm.min, 1UL);
		KUNIT_EXPECT_EQ(test, wm.low, 2UL);
		KUNIT_EXPECT_EQ(test, wm.high, 3UL);
		KUNIT_EXPECT_FALSE(test, wm.user);
	}
}

static void backoff_grows_and_resets(struct kunit *test)
{
	struct shrinker_backoff b = {};
	unsigned long now = T0;

	KUNIT_EXPECT_FALSE(test, shrinker_backed_off(&b, now));
	shrinker_backoff_failed(&b, now);
	KUNIT_EXPECT_TRUE(test, shrinker_backed_off(&b, now));
	KUNIT_EXPECT_TRUE(test,
			  shrinker_backed_off(&b, now + SHRINKER_BACKOFF_BASE - 1));
	KUNIT_EXPECT_FALSE(test,
			   shrinker_backed_off(&b, now + SHRINKER_BACKOFF_BASE));

	/* The second failure in a row waits twice as long. */
	now += SHRINKER_BACKOFF_BASE;
	shrinker_backoff_failed(&b, now);
	KUNIT_EXPECT_TRUE(test,
			  shrinker_backed_off(&b, now + 2 * SHRINKER_BACKOFF_BASE - 1));
	KUNIT_EXPECT_FALSE(test,
			   shrinker_backed_off(&b, now + 2 * SHRINKER_BACKOFF_BASE));

	shrinker_backoff_progress(&b);
	KUNIT_EXPECT_FALSE(test, shrinker_backed_off(&b, now));
	shrinker_backoff_failed(&b, now);
	KUNIT_EXPECT_FALSE(test,
			   shrinker_backed_off(&b, now + SHRINKER_BACKOFF_BASE));
}

/* Fruitless scans add up to two rounds of the count; progress resets. */
static void backoff_fruitless_after_two_rounds(struct kunit *test)
{
	struct shrinker_backoff b = {};

	KUNIT_EXPECT_FALSE(test, shrinker_backoff_fruitless(&b, 999, 1000));
	KUNIT_EXPECT_FALSE(test, shrinker_backoff_fruitless(&b, 1000, 1000));
	KUNIT_EXPECT_TRUE(test, shrinker_backoff_fruitless(&b, 1, 1000));
	/* the count shrank meanwhile: fewer scans make two rounds */
	shrinker_backoff_progress(&b);
	KUNIT_EXPECT_EQ(test, b.fruitless, 0UL);
	KUNIT_EXPECT_FALSE(test, shrinker_backoff_fruitless(&b, 500, 1000));
	KUNIT_EXPECT_TRUE(test, shrinker_backoff_fruitless(&b, 500, 400));
	/* an empty instance has nothing left to age */
	shrinker_backoff_progress(&b);
	KUNIT_EXPECT_TRUE(test, shrinker_backoff_fruitless(&b, 0, 0));
	/* sums near the top of the range do not wrap to a small count */
	b.fruitless = ULONG_MAX - 1;
	KUNIT_EXPECT_TRUE(test, shrinker_backoff_fruitless(&b, 5, ULONG_MAX / 2));
	KUNIT_EXPECT_EQ(test, b.fruitless, ULONG_MAX);
}

static void backoff_window_is_capped(struct kunit *test)
{
	unsigned long cap = SHRINKER_BACKOFF_BASE << SHRINKER_BACKOFF_MAX_LEVEL;
	struct shrinker_backoff b = {};
	unsigned long now = T0;
	int i;

	for (i = 0; i < 100; i++)
		shrinker_backoff_failed(&b, now);
	KUNIT_EXPECT_EQ(test, b.level, (unsigned int)SHRINKER_BACKOFF_MAX_LEVEL);
	KUNIT_EXPECT_TRUE(test, shrinker_backed_off(&b, now + cap - 1));
	KUNIT_EXPECT_FALSE(test, shrinker_backed_off(&b, now + cap));
}

static void defer_capped_at_freeable(struct kunit *test)
{
	struct shrinker_deferred q = {}, none = {};
	unsigned long now = T0;

	KUNIT_EXPECT_EQ(test, shrinker_defer_add(&q, 600, 1000, now, false), 600UL);
	KUNIT_EXPECT_EQ(test, shrinker_defer_add(&q, 600, 1000, now, false), 400UL);
	KUNIT_EXPECT_EQ(test, q.nr, 1000UL);
	KUNIT_EXPECT_EQ(test, shrinker_defer_add(&q, 1, 1000, now, false), 0UL);
	/* The cache shrank: the queue shrinks with it, counted as aged. */
	KUNIT_EXPECT_EQ(test, shrinker_defer_add(&q, 10, 300, now, false), 0UL);
	KUNIT_EXPECT_EQ(test, q.nr, 300UL);
	KUNIT_EXPECT_EQ(test, q.aged, 700UL);
	shrinker_defer_return(&q, &none, now, 100);
	KUNIT_EXPECT_EQ(test, q.nr, 100UL);
	KUNIT_EXPECT_EQ(test, q.aged, 900UL);
}

static void defer_drain_and_age(struct kunit *test)
{
	struct shrinker_deferred q = {}, t;
	unsigned long now = T0;

	shrinker_defer_add(&q, 500, 1000, now, false);
	KUNIT_EXPECT_EQ(test, shrinker_defer_take(&q, 128, now + HZ, &t), 128UL);
	KUNIT_EXPECT_EQ(test, q.nr, 372UL);
	/* Newer work does not make older work younger. */
	shrinker_defer_add(&q, 100, 1000, now + SHRINKER_DEFER_EPOCH, false);
	KUNIT_EXPECT_EQ(test, shrinker_defer_since(&q), now);
	/* each ages out with its own epoch */
	shrinker_defer_take(&q, 0, now + SHRINKER_DEFER_MAX_AGE, &t);
	KUNIT_EXPECT_EQ(test, q.nr, 100UL);
	KUNIT_EXPECT_EQ(test, q.aged, 372UL);
	KUNIT_EXPECT_EQ(test,
			shrinker_defer_take(&q, 1000,
					    now + 3 * SHRINKER_DEFER_EPOCH, &t),
			0UL);
	KUNIT_EXPECT_EQ(test, q.nr, 0UL);
	KUNIT_EXPECT_EQ(test, q.aged, 472UL);
	KUNIT_EXPECT_EQ(test, shrinker_defer_take(&q, 10, now, &t), 0UL);

	/* Work queued after the queue emptied gets a fresh age. */
	now += 2 * SHRINKER_DEFER_MAX_AGE;
	shrinker_defer_add(&q, 50, 1000, now, false);
	KUNIT_EXPECT_EQ(test, shrinker_defer_take(&q, 1000, now + HZ, &t), 50UL);
}

static void defer_urgent_survives_min(struct kunit *test)
{
	struct shrinker_deferred q = {}, child = {}, t;
	unsigned long now = T0 - T0 % SHRINKER_DEFER_EPOCH;

	shrinker_defer_add(&q, 300, 1000, now, false);
	shrinker_defer_add(&q, 200, 1000, now, true);
	KUNIT_EXPECT_EQ(test, q.nr, 500UL);
	KUNIT_EXPECT_EQ(test, q.urgent, 200UL);
	/* at min only the urgent work stays */
	KUNIT_EXPECT_EQ(test, shrinker_defer_drop(&q), 300UL);
	KUNIT_EXPECT_EQ(test, q.nr, 200UL);
	KUNIT_EXPECT_EQ(test, q.aged, 300UL);
	/* taken first, and never more urgent than queued */
	KUNIT_EXPECT_EQ(test, shrinker_defer_take(&q, 150, now + 1, &t), 150UL);
	KUNIT_EXPECT_EQ(test, q.urgent, 50UL);
	shrinker_defer_add(&q, 100, 1000, now, false);
	KUNIT_EXPECT_EQ(test, shrinker_defer_take(&q, 100, now + 1, &t), 100UL);
	KUNIT_EXPECT_EQ(test, q.urgent, 0UL);
	KUNIT_EXPECT_EQ(test, q.nr, 50UL);
	/* the cache shrank below the queue: urgent shrinks with it */
	shrinker_defer_add(&q, 40, 1000, now, true);
	shrinker_defer_add(&q, 0, 60, now, false);
	KUNIT_EXPECT_EQ(test, q.nr, 60UL);
	KUNIT_EXPECT_LE(test, q.urgent, q.nr);
	/* reparenting keeps it urgent; aging drops it like any work */
	shrinker_defer_add(&child, 30, 1000, now, true);
	shrinker_defer_merge(&q, &child, now, 1000);
	KUNIT_EXPECT_EQ(test, q.nr, 90UL);
	KUNIT_EXPECT_EQ(test, q.urgent, 70UL);
	KUNIT_EXPECT_EQ(test, child.urgent, 0UL);
	shrinker_defer_take(&q, 1, now + SHRINKER_DEFER_MAX_AGE, &t);
	KUNIT_EXPECT_EQ(test, q.nr, 0UL);
	KUNIT_EXPECT_EQ(test, q.urgent, 0UL);
}

static void defer_return_keeps_age(struct kunit *test)
{
	unsigned long base = T0 - T0 % SHRINKER_DEFER_EPOCH, now, d;
	struct shrinker_deferred q, t, w = {};

	/* taken in its epoch or the next, given back: as old as it was */
	for (d = HZ; d <= SHRINKER_DEFER_EPOCH; d += SHRINKER_DEFER_EPOCH - HZ) {
		now = base + HZ / 2;
		q = (struct shrinker_deferred){ };
		shrinker_defer_add(&q, 100, 1000, now, true);
		shrinker_defer_add(&q, 100, 1000, now, false);
		KUNIT_EXPECT_EQ(test, shrinker_defer_take(&q, 1000, now + d, &t),
				200UL);
		KUNIT_EXPECT_EQ(test, t.urgent, 100UL);
		shrinker_defer_unscanned(&t, 150, false);
		shrinker_defer_return(&q, &t, now + d, 1000);
		KUNIT_EXPECT_EQ(test, q.nr, 150UL);
		KUNIT_EXPECT_EQ(test, q.urgent, 100UL);
		KUNIT_EXPECT_EQ(test, shrinker_defer_since(&q), now);
		/* so it still ages out on time, as its second epoch ends */
		shrinker_defer_take(&q, 0, base + SHRINKER_DEFER_MAX_AGE - 1, &t);
		KUNIT_EXPECT_EQ(test, q.nr, 150UL);
		KUNIT_EXPECT_EQ(test,
				shrinker_defer_take(&q, 10,
						    base + SHRINKER_DEFER_MAX_AGE,
						    &t),
				0UL);
		KUNIT_EXPECT_EQ(test, q.aged, 150UL);
	}

	/* older work makes the queue as old; what does not fit is aged */
	q = (struct shrinker_deferred){};
	shrinker_defer_add(&q, 50, 1000, now + HZ, false);
	shrinker_defer_add(&w, 100, 100, now, false);
	shrinker_defer_return(&q, &w, now + HZ, 120);
	KUNIT_EXPECT_EQ(test, q.nr, 120UL);
	KUNIT_EXPECT_EQ(test, q.urgent, 0UL);
	KUNIT_EXPECT_EQ(test, q.aged, 30UL);
	KUNIT_EXPECT_EQ(test, shrinker_defer_since(&q), now);
}

static void defer_merge_on_reparent(struct kunit *test)
{
	struct shrinker_deferred parent = {}, child = {};
	unsigned long now = T0;

	shrinker_defer_add(&parent, 100, 1000, now + HZ, false);
	shrinker_defer_add(&child, 300, 500, now, false);
	child.aged = 7;
	shrinker_defer_merge(&parent, &child, now + HZ, 1500);
	KUNIT_EXPECT_EQ(test, parent.nr, 400UL);
	KUNIT_EXPECT_EQ(test, shrinker_defer_since(&parent), now);
	KUNIT_EXPECT_EQ(test, parent.aged, 7UL);
	KUNIT_EXPECT_EQ(test, child.nr, 0UL);
	KUNIT_EXPECT_EQ(test, child.aged, 0UL);

	/* Capped at what the parent now has freeable. */
	shrinker_defer_add(&child, 900, 1000, now, false);
	shrinker_defer_merge(&parent, &child, now + HZ, 1000);
	KUNIT_EXPECT_EQ(test, parent.nr, 1000UL);
	/* and what did not fit is not lost uncounted */
	KUNIT_EXPECT_EQ(test, parent.aged, 7UL + 300UL);

	/* An empty child changes nothing but its own counters. */
	shrinker_defer_merge(&parent, &child, now + HZ, 1000);
	KUNIT_EXPECT_EQ(test, parent.nr, 1000UL);
	KUNIT_EXPECT_EQ(test, shrinker_defer_since(&parent), now);
}

/*
 * Ten objects a second for 13 s, each take ageing the queue: all the
 * work younger than an epoch stays, none older than two is kept.  With
 * one queue time for all its work, the lot went once the first object
 * aged out.
 */
static void defer_ages_under_steady_refill(struct kunit *test)
{
	struct shrinker_deferred q = {}, t;
	unsigned long now = T0, i, young, kept;

	for (i = 0; i < 130; i++) {
		now = T0 + i * (HZ / 10);
		shrinker_defer_add(&q, 1, ULONG_MAX, now, false);
		shrinker_defer_take(&q, 0, now, &t);
		/* queued within the last epoch, and within the last two */
		young = min(i + 1, (unsigned long)SHRINKER_DEFER_EPOCH / (HZ / 10));
		kept = min(i + 1, 2UL * SHRINKER_DEFER_EPOCH / (HZ / 10) + 1);
		KUNIT_ASSERT_GE_MSG(test, q.nr, young, "%lu ms in", i * 100);
		KUNIT_ASSERT_LE_MSG(test, q.nr, kept, "%lu ms in", i * 100);
	}
	KUNIT_EXPECT_EQ(test, q.nr + q.aged, 130UL);
}

/*
 * What a pass takes goes back to the epochs it was taken from: old work
 * does not become young, young work does not become old, and what was
 * taken from an epoch that has since ended is not put back at all.
 */
static void defer_given_back_to_its_epochs(struct kunit *test)
{
	struct shrinker_deferred q = {}, p, t;
	unsigned long now = 64 * SHRINKER_DEFER_EPOCH;

	shrinker_defer_add(&q, 100, ULONG_MAX, now, false);
	now += SHRINKER_DEFER_EPOCH;
	shrinker_defer_add(&q, 50, ULONG_MAX, now, false);
	/* a take spanning both epochs, given back whole */
	KUNIT_EXPECT_EQ(test, shrinker_defer_take(&q, 1000, now, &t), 150UL);
	shrinker_defer_unscanned(&t, 150, false);
	shrinker_defer_return(&q, &t, now, ULONG_MAX);
	KUNIT_EXPECT_EQ(test, q.old.nr, 100UL);
	KUNIT_EXPECT_EQ(test, q.young.nr, 50UL);
	/* again, given back after the old epoch ended: the young work stays */
	shrinker_defer_take(&q, 1000, now, &t);
	shrinker_defer_unscanned(&t, 150, false);
	now += SHRINKER_DEFER_EPOCH;
	shrinker_defer_return(&q, &t, now, ULONG_MAX);
	KUNIT_EXPECT_EQ(test, q.nr, 50UL);
	KUNIT_EXPECT_EQ(test, q.old.nr, 50UL);
	KUNIT_EXPECT_EQ(test, q.aged, 100UL);
	/* part scanned: the oldest went first */
	shrinker_defer_add(&q, 30, ULONG_MAX, now, false);
	KUNIT_EXPECT_EQ(test, shrinker_defer_take(&q, 60, now, &t), 60UL);
	shrinker_defer_unscanned(&t, 40, false);
	KUNIT_EXPECT_EQ(test, t.old.nr, 30UL);
	KUNIT_EXPECT_EQ(test, t.young.nr, 10UL);
	/* another caller moved the queue on meanwhile: the old part is gone */
	now += SHRINKER_DEFER_EPOCH;
	shrinker_defer_add(&q, 5, ULONG_MAX, now, false);
	shrinker_defer_return(&q, &t, now, ULONG_MAX);
	KUNIT_EXPECT_EQ(test, q.young.nr, 5UL);
	KUNIT_EXPECT_EQ(test, q.old.nr, 30UL);
	KUNIT_EXPECT_EQ(test, q.aged, 130UL);
	/* a give-back from a take that lagged the clock moves nothing back */
	shrinker_defer_take(&q, 10, now - HZ, &t);
	shrinker_defer_return(&q, &t, now - HZ, ULONG_MAX);
	KUNIT_EXPECT_EQ(test, q.young.nr, 5UL);
	KUNIT_EXPECT_EQ(test, q.old.nr, 30UL);
	/* given to another queue, what aged out there is counted, not placed */
	p = (struct shrinker_deferred){ };
	shrinker_defer_add(&p, 3, ULONG_MAX, now + SHRINKER_DEFER_EPOCH, false);
	KUNIT_EXPECT_EQ(test, shrinker_defer_give(&p, &q, now, ULONG_MAX),
			5UL);
	KUNIT_EXPECT_EQ(test, p.nr, 8UL);
	KUNIT_EXPECT_EQ(test, p.aged, 30UL);
	/* short of room there, the young work goes in first */
	p = (struct shrinker_deferred){ };
	shrinker_defer_add(&p, 1, ULONG_MAX, now, false);
	KUNIT_EXPECT_EQ(test, shrinker_defer_give(&p, &q, now, 11), 10UL);
	KUNIT_EXPECT_EQ(test, p.young.nr, 6UL);
	KUNIT_EXPECT_EQ(test, p.old.nr, 5UL);
	KUNIT_EXPECT_EQ(test, p.aged, 25UL);
	/* given by a caller whose now lags the take: not into an older epoch */
	p = (struct shrinker_deferred){ };
	shrinker_defer_add(&p, 1, ULONG_MAX, now - SHRINKER_DEFER_EPOCH, false);
	shrinker_defer_give(&p, &q, now - SHRINKER_DEFER_EPOCH, ULONG_MAX);
	KUNIT_EXPECT_EQ(test, p.young.nr, 5UL);
	KUNIT_EXPECT_EQ(test, p.old.nr, 31UL);
	/* the time of its oldest work, whichever epoch it is in */
	p = (struct shrinker_deferred){ };
	shrinker_defer_add(&p, 1, ULONG_MAX, now + 1, false);
	shrinker_defer_add(&p, 1, ULONG_MAX, now + 2, false);
	KUNIT_EXPECT_EQ(test, shrinker_defer_since(&p), now + 1);
	shrinker_defer_add(&p, 1, ULONG_MAX, now + SHRINKER_DEFER_EPOCH, false);
	KUNIT_EXPECT_EQ(test, shrinker_defer_since(&p), now + 1);
	/* and younger work given to it does not change that */
	q = (struct shrinker_deferred){ };
	shrinker_defer_add(&q, 1, ULONG_MAX, now + 3, false);
	shrinker_defer_give(&p, &q, now + 3, ULONG_MAX);
	KUNIT_EXPECT_EQ(test, shrinker_defer_since(&p), now + 1);
}

/*
 * Queues anchored on either side of a jiffies wrap share their epochs:
 * work moved from one to the other ages out just as it would have.
 */
static void defer_epochs_survive_a_wrap(struct kunit *test)
{
	unsigned long c = 2 * SHRINKER_DEFER_EPOCH + 1, cs;
	struct shrinker_deferred parent = {}, child = {}, t;

	shrinker_defer_add(&parent, 100, ULONG_MAX, T0, false);
	shrinker_defer_add(&parent, 10, ULONG_MAX, c, false);
	shrinker_defer_add(&child, 7, ULONG_MAX, c, true);
	cs = child.start;
	KUNIT_ASSERT_EQ(test, parent.start, cs);
	shrinker_defer_merge(&parent, &child, c, ULONG_MAX);
	KUNIT_EXPECT_EQ(test, parent.young.urgent, 7UL);
	shrinker_defer_take(&parent, 0, cs + SHRINKER_DEFER_MAX_AGE - 1, &t);
	KUNIT_EXPECT_EQ(test, parent.urgent, 7UL);
	shrinker_defer_take(&parent, 0, cs + SHRINKER_DEFER_MAX_AGE, &t);
	KUNIT_EXPECT_EQ(test, parent.urgent, 0UL);
}

/* An epoch's urgent work ages out with it and never passes to another. */
static void defer_urgent_stays_in_its_epoch(struct kunit *test)
{
	struct shrinker_deferred q = {}, child = {}, t;
	unsigned long now = T0 - T0 % SHRINKER_DEFER_EPOCH;

	shrinker_defer_add(&q, 10, ULONG_MAX, now, true);
	shrinker_defer_add(&q, 20, ULONG_MAX, now, false);
	now += SHRINKER_DEFER_EPOCH;
	shrinker_defer_add(&q, 50, ULONG_MAX, now, false);
	KUNIT_EXPECT_EQ(test, q.urgent, 10UL);
	/* at min the urgent old work stays, the rest goes */
	KUNIT_EXPECT_EQ(test, shrinker_defer_drop(&q), 70UL);
	KUNIT_EXPECT_EQ(test, q.old.nr, 10UL);
	shrinker_defer_add(&q, 50, ULONG_MAX, now, false);
	now += SHRINKER_DEFER_EPOCH;
	shrinker_defer_take(&q, 0, now, &t);
	KUNIT_EXPECT_EQ(test, q.nr, 50UL);
	KUNIT_EXPECT_EQ(test, q.urgent, 0UL);
	/* a merged child's urgent work keeps its epoch too */
	shrinker_defer_add(&child, 7, ULONG_MAX, now - SHRINKER_DEFER_EPOCH, true);
	shrinker_defer_merge(&q, &child, now, ULONG_MAX);
	KUNIT_EXPECT_EQ(test, q.old.urgent, 7UL);
	KUNIT_EXPECT_EQ(test, q.young.urgent, 0UL);
	now += SHRINKER_DEFER_EPOCH;
	shrinker_defer_take(&q, 0, now, &t);
	KUNIT_EXPECT_EQ(test, q.urgent, 0UL);
	KUNIT_EXPECT_EQ(test, q.nr, 0UL);
	/* of work from both epochs the urgent is scanned last and cut last */
	shrinker_defer_add(&q, 10, ULONG_MAX, now, true);
	now += SHRINKER_DEFER_EPOCH;
	shrinker_defer_add(&q, 100, ULONG_MAX, now, false);
	shrinker_defer_take(&q, 1000, now, &t);
	shrinker_defer_unscanned(&t, 100, false);
	KUNIT_EXPECT_EQ(test, t.urgent, 10UL);
	shrinker_defer_return(&q, &t, now, ULONG_MAX);
	shrinker_defer_add(&q, 0, 20, now, false);
	KUNIT_EXPECT_EQ(test, q.nr, 20UL);
	KUNIT_EXPECT_EQ(test, q.urgent, 10UL);
	/* and given back to a queue short of room, it outranks the rest */
	shrinker_defer_take(&q, 1000, now, &t);
	shrinker_defer_add(&q, 10, ULONG_MAX, now, false);
	shrinker_defer_unscanned(&t, 20, false);
	shrinker_defer_return(&q, &t, now, 10);
	KUNIT_EXPECT_EQ(test, q.urgent, 10UL);
	KUNIT_EXPECT_EQ(test, q.nr, 10UL);
	shrinker_defer_add(&q, 10, ULONG_MAX, now, false);
	shrinker_defer_take(&q, 1000, now, &t);
	shrinker_defer_unscanned(&t, 20, false);
	child = (struct shrinker_deferred){ };
	shrinker_defer_add(&child, 5, ULONG_MAX, now, false);
	KUNIT_EXPECT_EQ(test, shrinker_defer_give(&child, &t, now, 15), 10UL);
	KUNIT_EXPECT_EQ(test, child.urgent, 10UL);
	/* what the last pass before OOM leaves is owed, in either epoch */
	child = (struct shrinker_deferred){ };
	shrinker_defer_add(&child, 5, ULONG_MAX, now - SHRINKER_DEFER_EPOCH,
			   false);
	shrinker_defer_add(&child, 5, ULONG_MAX, now, false);
	shrinker_defer_take(&child, 1000, now, &t);
	shrinker_defer_unscanned(&t, 10, true);
	KUNIT_EXPECT_EQ(test, t.old.urgent, 5UL);
	KUNIT_EXPECT_EQ(test, t.young.urgent, 5UL);
	/* urgent work of one epoch goes in first where room is short */
	q = (struct shrinker_deferred){ };
	child = (struct shrinker_deferred){ };
	shrinker_defer_add(&child, 5, ULONG_MAX, now, false);
	shrinker_defer_add(&child, 5, ULONG_MAX, now, true);
	KUNIT_EXPECT_EQ(test, shrinker_defer_give(&q, &child, now, 5), 5UL);
	KUNIT_EXPECT_EQ(test, q.urgent, 5UL);
	/* and a cache that shrank below its urgent work cuts that too */
	shrinker_defer_add(&q, 0, 3, now, false);
	KUNIT_EXPECT_EQ(test, q.nr, 3UL);
	KUNIT_EXPECT_EQ(test, q.urgent, 3UL);
}

static void pass_target_at_most_twice(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, shrinker_pass_target(100, 0), 100UL);
	KUNIT_EXPECT_EQ(test, shrinker_pass_target(100, 40), 140UL);
	KUNIT_EXPECT_EQ(test, shrinker_pass_target(100, 1UL << 40), 200UL);
	KUNIT_EXPECT_EQ(test, shrinker_pass_target(0, 1UL << 40), 0UL);
}

static void cost_weight_compares_bytes(struct kunit *test)
{
	struct shrinker_cost lru = { }, inst = { };

	/* unknown on either side: neutral */
	KUNIT_EXPECT_EQ(test, shrinker_cost_weight(&lru, &inst),
			SHRINKER_WEIGHT_ONE);
	shrinker_cost_add(&lru, 1000, 4096);
	KUNIT_EXPECT_EQ(test, shrinker_cost_weight(&lru, &inst),
			SHRINKER_WEIGHT_ONE);
	/* the same ns per byte, whatever the object size */
	shrinker_cost_add(&inst, 250, 1024);
	KUNIT_EXPECT_EQ(test, shrinker_cost_weight(&lru, &inst),
			SHRINKER_WEIGHT_ONE);
	/* twice the cost per byte: half the weight */
	inst = (struct shrinker_cost) { };
	shrinker_cost_add(&inst, 500, 1024);
	KUNIT_EXPECT_EQ(test, shrinker_cost_weight(&lru, &inst),
			SHRINKER_WEIGHT_ONE / 2);
	/* 20 us an object of 1 KiB against 1 us a page: the floor */
	inst = (struct shrinker_cost) { };
	shrinker_cost_add(&inst, 20000, 1024);
	KUNIT_EXPECT_EQ(test, shrinker_cost_weight(&lru, &inst),
			SHRINKER_WEIGHT_MIN);
	/* time that freed nothing is the floor; LRUs freeing nothing the cap */
	inst = (struct shrinker_cost) { .ns = 100 };
	KUNIT_EXPECT_EQ(test, shrinker_cost_weight(&lru, &inst),
			SHRINKER_WEIGHT_MIN);
	inst = (struct shrinker_cost) { .ns = 100, .bytes = 4096 };
	lru = (struct shrinker_cost) { .ns = 100 };
	KUNIT_EXPECT_EQ(test, shrinker_cost_weight(&lru, &inst),
			SHRINKER_WEIGHT_MAX);
	/* a provider's absurd byte count neither overflows nor traps */
	inst = (struct shrinker_cost) { .ns = 1, .bytes = U64_MAX };
	lru = (struct shrinker_cost) { .ns = U64_MAX, .bytes = 1 };
	KUNIT_EXPECT_EQ(test, shrinker_cost_weight(&lru, &inst),
			SHRINKER_WEIGHT_MAX);
	lru = (struct shrinker_cost) { .ns = 1, .bytes = U64_MAX };
	inst = (struct shrinker_cost) { .ns = U64_MAX, .bytes = 1 };
	KUNIT_EXPECT_EQ(test, shrinker_cost_weight(&lru, &inst),
			SHRINKER_WEIGHT_MIN);
}

static void cost_decays(struct kunit *test)
{
	const u64 step = SHRINKER_COST_WINDOW_NS / 8;
	struct shrinker_cost c = { };
	u64 per_mib;
	int i;

	shrinker_cost_add(&c, SHRINKER_COST_WINDOW_NS, 0);
	for (i = 0; i < 64; i++)
		shrinker_cost_add(&c, step, 1 << 20);
	/* the window of time that freed nothing has decayed away */
	KUNIT_EXPECT_LE(test, c.ns, SHRINKER_COST_WINDOW_NS);
	KUNIT_ASSERT_GT(test, c.bytes, 0ULL);
	per_mib = div64_u64(c.ns << 20, c.bytes);
	KUNIT_EXPECT_GE(test, per_mib, step - step / 50);
	KUNIT_EXPECT_LE(test, per_mib, step + step / 50);
}

static void pressure_delta_is_proportional(struct kunit *test)
{
	const unsigned int one = SHRINKER_WEIGHT_ONE, lo = SHRINKER_WEIGHT_MIN;
	struct shrinker_pressure p = { .priority = 12 };
	const unsigned long freeable = 1UL << 20;

	/* no LRU pressure, neutral cost: 6.12's (freeable >> prio) * 4 / 2 */
	KUNIT_EXPECT_EQ(test, shrinker_pressure_delta(freeable, &p, one, 2),
			(freeable >> 12) * 2);
	/* the LRUs lost 1/8 of their pages: 1/8 of the objects, times 2 */
	p.scanned = 1000;
	p.eligible = 8000;
	KUNIT_EXPECT_EQ(test, shrinker_pressure_delta(freeable, &p, one, 2),
			freeable / 4);
	/* a byte costing 16 times an LRU byte takes 1/16 of that */
	KUNIT_EXPECT_EQ(test, shrinker_pressure_delta(freeable, &p, lo, 2),
			freeable / 64);
	/* seeks still scale, and 0 keeps meaning half */
	KUNIT_EXPECT_EQ(test, shrinker_pressure_delta(freeable, &p, one, 4),
			freeable / 8);
	KUNIT_EXPECT_EQ(test, shrinker_pressure_delta(freeable, &p, lo, 0),
			freeable / 2);
	/* a priority above the LRU share wins: small LRUs starve nothing */
	p.priority = 1;
	KUNIT_EXPECT_EQ(test, shrinker_pressure_delta(freeable, &p, one, 2),
			freeable);
	/* scanned beyond eligible is capped at all of it */
	p.priority = 12;
	p.scanned = 9000;
	KUNIT_EXPECT_EQ(test, shrinker_pressure_delta(freeable, &p, one, 2),
			freeable * 2);
	/* no overflow at the extremes */
	p.scanned = ULONG_MAX;
	p.eligible = ULONG_MAX;
	KUNIT_EXPECT_EQ(test, shrinker_pressure_delta(ULONG_MAX, &p,
						      SHRINKER_WEIGHT_MAX, 1),
			ULONG_MAX);
}

static struct kunit_case shrinker_state_cases[] = {
	KUNIT_CASE(wmarks_unknown_until_sampled),
	KUNIT_CASE(wmarks_follow_working_set),
	KUNIT_CASE(wmarks_floor),
	KUNIT_CASE(wmarks_ceiling),
	KUNIT_CASE(wmarks_override),
	KUNIT_CASE(wmarks_override_bad_input),
	KUNIT_CASE(backoff_grows_and_resets),
	KUNIT_CASE(backoff_fruitless_after_two_rounds),
	KUNIT_CASE(backoff_window_is_capped),
	KUNIT_CASE(defer_capped_at_freeable),
	KUNIT_CASE(defer_drain_and_age),
	KUNIT_CASE(defer_urgent_survives_min),
	KUNIT_CASE(defer_return_keeps_age),
	KUNIT_CASE(defer_merge_on_reparent),
	KUNIT_CASE(defer_ages_under_steady_refill),
	KUNIT_CASE(defer_given_back_to_its_epochs),
	KUNIT_CASE(defer_urgent_stays_in_its_epoch),
	KUNIT_CASE(defer_epochs_survive_a_wrap),
	KUNIT_CASE(pass_target_at_most_twice),
	KUNIT_CASE(cost_weight_compares_bytes),
	KUNIT_CASE(cost_decays),
	KUNIT_CASE(pressure_delta_is_proportional),
	{}
};

static struct kunit_suite shrinker_state_suite = {
	.name = "shrinker-state",
	.test_cases = shrinker_state_cases,
};

kunit_test_suite(shrinker_state_suite);

MODULE_DESCRIPTION("KUnit tests of shrinker instance state");
MODULE_LICENSE("GPL");
