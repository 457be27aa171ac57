// SPDX-License-Identifier: GPL-2.0
/*
 * Synthetic shrinker caches for reclaim tests.
 *
 * Each cache registers a real shrinker over a list_lru of kmem-accounted
 * objects, charged to the memcg of the task that writes "alloc", so memcg
 * accounting and memory.max see them as they see dentries.  A cache can
 * be made slow, can refuse work without __GFP_FS, can free what it scans
 * only after a delay (in flight, like inodes under writeback) and can fail
 * the next N scans.  Counters tell a test what reclaim asked of it.
 *
 * <debugfs>/shrinker_test/
 *   create       "NAME [memcg] [numa] [defer_nofs] [unpins] [objsize=BYTES]"
 *                (defer_nofs, unpins: only where the kernel has shrinker
 *                instances; unpins: not with memcg)
 *   destroy      "NAME"
 *   NAME/alloc, alloc_nofs   allocate N objects (alloc_nofs in a NOFS scope)
 *   NAME/free                free N objects outside reclaim
 *   NAME/scan_cost_ns, refuse_nofs, inflight_delay_ms, fail_next,
 *                stall_next_ms (the next scan sleeps that long first)
 *   NAME/blocking  with inflight_delay_ms, objects wait on a shared "log
 *                force", as XFS inodes once did: a scan joins the force
 *                in progress or starts one inflight_delay_ms long.
 *                0: off; 1: the scan waits for the force and frees what
 *                it took itself on a kernel that takes no in-flight
 *                report (all a 6.12 cache can do short of failing
 *                reclaim), else reports it in flight; 2: it always
 *                waits, the control that tells what the core's passes
 *                change apart from the report.  A scan that would wait
 *                refuses a context without __GFP_FS, as the superblock
 *                shrinker does
 *   NAME/touch   "STEP [N]": use every STEP-th of the first N objects
 *                allocated (of all without N), as a lookup uses a
 *                dentry: a scan rotates a used object once, clearing its
 *                bit, before it may free it (freed_touched counts the
 *                objects ever used that a scan freed)
 *   NAME/stats               counters, one "key value" a line
 *   kcsan_canary "MS": two threads race on a plain counter for MS ms
 *                (KCSAN kernels only): make check DEBUG=kcsan's proof
 *                that the detector sees races in its guest at all
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kstrtox.h>
#include <linux/kthread.h>
#include <linux/list_lru.h>
#include <linux/memcontrol.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/workqueue.h>

/* Kernels with shrinker instances take in-flight reports and NOFS deferral. */
#ifdef SHRINKER_DEFER_NOFS
#define ST_HAVE_INSTANCES	1
#include <linux/shrinker_provider.h>
#endif

#define ST_NAME_MAX		31
#define ST_CMD_MAX		128
#define ST_SCAN_COST_MAX	1000000ULL	/* 1 ms an object */
#define ST_DELAY_MAX_MS		600000U
#define ST_OBJSIZE_DEFAULT	256U
#define ST_OBJSIZE_MAX		65536U
#define ST_ALLOC_MAX		BIT(26)
#define ST_FREE_BATCH		1024UL	/* objects a walk outside reclaim takes */

struct st_obj {
	struct list_head lru;
	unsigned long due;	/* jiffies at which in-flight freeing ends */
	unsigned long seq;	/* allocation order, for "touch" */
	bool referenced;	/* used since a scan last passed it */
	bool touched;		/* ever used */
};

enum st_stat {
	ST_ALLOCATED,
	ST_ALLOC_FAILED,
	ST_FREED_DIRECT,
	ST_COUNT_CALLS,
	ST_SCAN_CALLS,
	ST_SCANNED,
	ST_FREED,
	ST_INFLIGHT_DONE,
	ST_SCANS_KSWAPD,
	ST_SCANS_DIRECT,
	ST_SCANS_MEMCG,
	ST_SCANS_NOFS,
	ST_SCANS_OTHER,
	ST_REFUSED_NOFS,
	ST_FAILED_SCANS,
	ST_STALLS,
	ST_FREED_TOUCHED,
	ST_BLOCKED,
	ST_NR_STATS,
};

static const char * const st_stat_names[ST_NR_STATS] = {
	[ST_ALLOCATED]		= "allocated",
	[ST_ALLOC_FAILED]	= "alloc_failed",
	[ST_FREED_DIRECT]	= "freed_direct",
	[ST_COUNT_CALLS]	= "count_calls",
	[ST_SCAN_CALLS]		= "scan_calls",
	[ST_SCANNED]		= "scanned",
	[ST_FREED]		= "freed",
	[ST_INFLIGHT_DONE]	= "inflight_freed",
	[ST_SCANS_KSWAPD]	= "scans_kswapd",
	[ST_SCANS_DIRECT]	= "scans_direct",
	[ST_SCANS_MEMCG]	= "scans_memcg",
	[ST_SCANS_NOFS]		= "scans_nofs",
	[ST_SCANS_OTHER]	= "scans_other",
	[ST_REFUSED_NOFS]	= "refused_nofs",
	[ST_FAILED_SCANS]	= "failed_scans",
	[ST_STALLS]		= "stalls",
	[ST_FREED_TOUCHED]	= "freed_touched",
	[ST_BLOCKED]		= "blocked_scans",
};

struct st_cache {
	struct list_head node;
	char name[ST_NAME_MAX + 1];
	char kc_name[ST_NAME_MAX + 16];
	bool memcg_aware;
	bool numa_aware;
	unsigned int objsize;
	struct kmem_cache *kc;
	struct list_lru lru;
	struct shrinker *shrinker;
	struct dentry *dir;

	/* Behaviour, set through debugfs. */
	u64 scan_cost_ns;
	u32 inflight_delay_ms;
	bool refuse_nofs;
	atomic_t fail_next;
	unsigned int stall_next_ms;
	unsigned int blocking;

	/* Scanned objects whose freeing is still in flight, oldest first. */
	spinlock_t inflight_lock;
	struct list_head inflight;
	struct delayed_work inflight_work;
	unsigned long force_due;	/* the end of the force in progress */

	atomic_long_t objects;		/* live: on the LRU or in flight */
	atomic_long_t seq;		/* objects ever allocated */
	atomic_long_t nr_inflight;
	atomic_long_t pass_scanned;	/* scanned since the last count */
	atomic_long_t max_pass;		/* most scanned between two counts */
	atomic_long_t max_nr_to_scan;	/* largest single scan request */
	atomic_long_t stat[ST_NR_STATS];
};

static DEFINE_MUTEX(st_lock);
static LIST_HEAD(st_caches);
static struct dentry *st_root;
/*
 * Memory reclaim waits for the in-flight work to come back: it must not
 * wait for a worker that reclaim has to make first.
 */
static struct workqueue_struct *st_wq;

static void st_max(atomic_long_t *v, long x)
{
	long cur = atomic_long_read(v);

	while (x > cur && !atomic_long_try_cmpxchg(v, &cur, x))
		;
}

/*
 * The in-flight list may hold most of a cache, and under KASAN a free costs
 * a stack walk: outside reclaim, reschedule between objects, as the
 * icache's dispose_list() does, or a big list holds the CPU for seconds.
 * Not in a scan: reclaim reschedules between batches, and times the scan
 * as the cache's cost, which a wait here would inflate.
 */
static void st_free_list(struct st_cache *c, struct list_head *list,
			 bool resched)
{
	struct st_obj *obj, *tmp;

	list_for_each_entry_safe(obj, tmp, list, lru) {
		list_del(&obj->lru);
		kmem_cache_free(c->kc, obj);
		atomic_long_dec(&c->objects);
		if (resched)
			cond_resched();
	}
}

static void st_inflight_workfn(struct work_struct *work)
{
	struct st_cache *c = container_of(to_delayed_work(work),
					  struct st_cache, inflight_work);
	unsigned long next = 0, now = jiffies;
	struct st_obj *obj, *tmp;
	long n = 0;
	LIST_HEAD(done);

	spin_lock(&c->inflight_lock);
	list_for_each_entry_safe(obj, tmp, &c->inflight, lru) {
		if (time_before(now, obj->due)) {
			next = obj->due;
			break;
		}
		list_move_tail(&obj->lru, &done);
		n++;
	}
	spin_unlock(&c->inflight_lock);

	st_free_list(c, &done, true);
	atomic_long_sub(n, &c->nr_inflight);
	atomic_long_add(n, &c->stat[ST_INFLIGHT_DONE]);
	if (next)
		queue_delayed_work(st_wq, &c->inflight_work,
				   max(1L, (long)(next - jiffies)));
}

/*
 * list_lru files objects by page node, and reclaim asks a memcg-aware
 * shrinker about each node whose bit list_lru set, NUMA aware or not.
 * A memcg-aware cache counts and walks the node asked, as nfs42xattr's,
 * the in-tree memcg-aware shrinkers that are not NUMA aware, do; only a
 * cache of neither kind counts and walks every node, as binder's does.
 */
static bool st_per_node(const struct st_cache *c)
{
	return c->numa_aware || c->memcg_aware;
}

static unsigned long st_count(struct shrinker *s, struct shrink_control *sc)
{
	struct st_cache *c = s->private_data;

	unsigned long n = 0;
	int nid;

	atomic_long_inc(&c->stat[ST_COUNT_CALLS]);
	/* A count starts a new reclaim pass over this cache. */
	st_max(&c->max_pass, atomic_long_xchg(&c->pass_scanned, 0));
	if (st_per_node(c))
		return list_lru_shrink_count(&c->lru, sc);
	for_each_node_state(nid, N_NORMAL_MEMORY)
		n += list_lru_count_one(&c->lru, nid, sc->memcg);
	return n;
}

struct st_walk {
	struct st_cache *c;
	bool reclaim;		/* pay the scan cost */
	struct list_head dispose;
};

static void st_busy(u64 ns)
{
	if (ns >= NSEC_PER_USEC)
		udelay(div_u64(ns, NSEC_PER_USEC));
	else
		ndelay(ns);
}

static enum lru_status st_isolate(struct list_head *item,
				  struct list_lru_one *list,
				  spinlock_t *lock, void *arg)
{
	struct st_walk *w = arg;
	u64 cost = w->reclaim ? READ_ONCE(w->c->scan_cost_ns) : 0;

	struct st_obj *obj = container_of(item, struct st_obj, lru);

	/* A slow cache pays under the list lock, as dcache and icache do. */
	if (cost)
		st_busy(cost);
	/* reclaim gives a second chance, as dentry_lru_isolate() does */
	if (w->reclaim && obj->referenced) {
		obj->referenced = false;
		return LRU_ROTATE;
	}
	if (w->reclaim && obj->touched)
		atomic_long_inc(&w->c->stat[ST_FREED_TOUCHED]);
	list_lru_isolate_move(list, item, &w->dispose);
	return LRU_REMOVED;
}

struct st_touch {
	unsigned long step, first;
};

static enum lru_status st_touch_one(struct list_head *item,
				    struct list_lru_one *list,
				    spinlock_t *lock, void *arg)
{
	struct st_obj *obj = container_of(item, struct st_obj, lru);
	struct st_touch *t = arg;

	if (obj->seq % t->step == 0 && obj->seq <= t->first) {
		obj->referenced = true;
		obj->touched = true;
	}
	return LRU_SKIP;
}

static void st_account_context(struct st_cache *c, struct shrink_control *sc)
{
	bool counted = false;

	if (current_is_kswapd()) {
		atomic_long_inc(&c->stat[ST_SCANS_KSWAPD]);
		counted = true;
	} else if (current->flags & PF_MEMALLOC) {
		atomic_long_inc(&c->stat[ST_SCANS_DIRECT]);
		counted = true;
	}
	/* root_mem_cgroup is not exported; the root css has no parent. */
	if (sc->memcg && sc->memcg->css.parent) {
		atomic_long_inc(&c->stat[ST_SCANS_MEMCG]);
		counted = true;
	}
	if (!(sc->gfp_mask & __GFP_FS)) {
		atomic_long_inc(&c->stat[ST_SCANS_NOFS]);
		counted = true;
	}
	if (!counted)
		atomic_long_inc(&c->stat[ST_SCANS_OTHER]);
}

/*
 * The end of the log force objects scanned now wait on: the one in
 * progress, unless it ends later than a force started now would (the
 * delay was lowered), else a new one.  Under inflight_lock.
 */
static unsigned long st_force_due(struct st_cache *c, unsigned int delay)
{
	unsigned long due = jiffies + msecs_to_jiffies(delay);

	if (!READ_ONCE(c->blocking))
		return due;
	if (time_before(jiffies, c->force_due) &&
	    !time_after(c->force_due, due))
		return c->force_due;
	c->force_due = due;
	return due;
}

static void st_dispose(struct st_cache *c, struct list_head *dispose,
		       unsigned long n, unsigned int delay)
{
	unsigned long due;
	struct st_obj *obj;

	atomic_long_add(n, &c->nr_inflight);
	spin_lock(&c->inflight_lock);
	due = st_force_due(c, delay);
	list_for_each_entry(obj, dispose, lru)
		obj->due = due;
	list_splice_tail_init(dispose, &c->inflight);
	spin_unlock(&c->inflight_lock);
	queue_delayed_work(st_wq, &c->inflight_work,
			   max(1L, (long)(due - jiffies)));
}

/*
 * A scan that must wait for the force: as XFS's reclaim once did, it
 * sleeps until the force ends, then frees what it took itself, so the
 * pages come back to the reclaimer that waited for them.
 */
static unsigned long st_wait_force(struct st_cache *c,
				   struct list_head *dispose, unsigned long n,
				   unsigned int delay)
{
	unsigned long due;

	spin_lock(&c->inflight_lock);
	due = st_force_due(c, delay);
	spin_unlock(&c->inflight_lock);
	atomic_long_inc(&c->stat[ST_BLOCKED]);
	if (time_before(jiffies, due))
		schedule_timeout_uninterruptible(due - jiffies);
	st_free_list(c, dispose, false);
	atomic_long_add(n, &c->stat[ST_FREED]);
	return n;
}

/*
 * Whether a scan waits for the force: a cache that can tell reclaim its
 * memory is coming back need not; one that cannot must wait, or reclaim
 * sees nothing freed.
 */
static bool st_waits(struct st_cache *c)
{
	unsigned int mode = READ_ONCE(c->blocking);

#ifdef ST_HAVE_INSTANCES
	return mode == 2;
#else
	return mode != 0;
#endif
}

static unsigned long st_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct st_cache *c = s->private_data;
	unsigned long want = sc->nr_to_scan, scanned, n;
	struct st_walk w = {
		.c = c, .reclaim = true, .dispose = LIST_HEAD_INIT(w.dispose),
	};
	unsigned int ms, delay;

	atomic_long_inc(&c->stat[ST_SCAN_CALLS]);
	st_account_context(c, sc);
	st_max(&c->max_nr_to_scan, want);

	/*
	 * A pass asleep in the provider, for as long as a test needs to
	 * change the world under it (rmdir of the memcg it scans).
	 */
	ms = xchg(&c->stall_next_ms, 0);
	if (ms) {
		atomic_long_inc(&c->stat[ST_STALLS]);
		msleep(ms);
	}
	if (atomic_dec_if_positive(&c->fail_next) >= 0) {
		atomic_long_inc(&c->stat[ST_FAILED_SCANS]);
		return SHRINK_STOP;
	}
	if (READ_ONCE(c->refuse_nofs) && !(sc->gfp_mask & __GFP_FS)) {
		atomic_long_inc(&c->stat[ST_REFUSED_NOFS]);
		return SHRINK_STOP;
	}
	/*
	 * A filesystem's reclaim waits on its log only where it may enter
	 * the filesystem: the superblock shrinker refuses the rest.
	 */
	if (READ_ONCE(c->inflight_delay_ms) && st_waits(c) &&
	    !(sc->gfp_mask & __GFP_FS)) {
		atomic_long_inc(&c->stat[ST_REFUSED_NOFS]);
		return SHRINK_STOP;
	}

	if (st_per_node(c)) {
		n = list_lru_walk_one(&c->lru, sc->nid, sc->memcg, st_isolate,
				      &w, &sc->nr_to_scan);
	} else {
		int nid;

		n = 0;
		for_each_node_state(nid, N_NORMAL_MEMORY) {
			n += list_lru_walk_one(&c->lru, nid, sc->memcg,
					       st_isolate, &w, &sc->nr_to_scan);
			if (!sc->nr_to_scan)
				break;
		}
	}
	scanned = want - sc->nr_to_scan;
	atomic_long_add(scanned, &c->stat[ST_SCANNED]);
	atomic_long_add(scanned, &c->pass_scanned);
	if (!n)
		return 0;

	delay = READ_ONCE(c->inflight_delay_ms);
	if (delay && st_waits(c))
		return st_wait_force(c, &w.dispose, n, delay);
	if (delay) {
		/* Nothing is free yet: the memory comes back later. */
		st_dispose(c, &w.dispose, n, delay);
#ifdef ST_HAVE_INSTANCES
		sc->nr_inflight = n;
#endif
		return 0;
	}
	st_free_list(c, &w.dispose, false);
	atomic_long_add(n, &c->stat[ST_FREED]);
	return n;
}

static int st_alloc(struct st_cache *c, unsigned long n, bool nofs)
{
	unsigned int flags = 0;
	unsigned long i;
	int ret = 0;

	/* A NOFS scope makes every reclaim this charge triggers GFP_NOFS. */
	if (nofs)
		flags = memalloc_nofs_save();
	for (i = 0; i < n; i++) {
		struct st_obj *obj;

		obj = kmem_cache_alloc_lru(c->kc, &c->lru, GFP_KERNEL_ACCOUNT);
		if (!obj) {
			atomic_long_inc(&c->stat[ST_ALLOC_FAILED]);
			ret = -ENOMEM;
			break;
		}
		INIT_LIST_HEAD(&obj->lru);
		obj->seq = atomic_long_inc_return(&c->seq);
		obj->referenced = false;
		obj->touched = false;
		atomic_long_inc(&c->objects);
		atomic_long_inc(&c->stat[ST_ALLOCATED]);
		list_lru_add_obj(&c->lru, &obj->lru);
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	if (nofs)
		memalloc_nofs_restore(flags);
	return ret;
}

/*
 * Free up to @n objects from every node and memcg, outside reclaim.  A
 * batch at a time: a walk holds the list's lock, and a destroy frees the
 * whole cache.
 */
static unsigned long st_free_n(struct st_cache *c, unsigned long n)
{
	struct st_walk w = { .c = c, .dispose = LIST_HEAD_INIT(w.dispose) };
	unsigned long left = n, got = 0, batch, took;
	int nid;

	for_each_node(nid) {
		do {
			batch = min(left, ST_FREE_BATCH);
			left -= batch;
			/* outside reclaim every object walked is taken */
			took = list_lru_walk_node(&c->lru, nid, st_isolate, &w,
						  &batch);
			left += batch;
			got += took;
			st_free_list(c, &w.dispose, true);
		} while (took && left);
		if (!left)
			break;
	}
	atomic_long_add(got, &c->stat[ST_FREED_DIRECT]);
	return got;
}

static void st_destroy(struct st_cache *c)
{
	debugfs_remove_recursive(c->dir);
	/* Waits for scans in progress; none starts after it. */
	shrinker_free(c->shrinker);
	cancel_delayed_work_sync(&c->inflight_work);
	st_free_list(c, &c->inflight, true);
	atomic_long_set(&c->nr_inflight, 0);
	st_free_n(c, ULONG_MAX);
	WARN_ONCE(atomic_long_read(&c->objects), "%s: %ld objects leaked\n",
		  c->name, atomic_long_read(&c->objects));
	list_lru_destroy(&c->lru);
	kmem_cache_destroy(c->kc);
	list_del(&c->node);
	kfree(c);
}

/* Control writes are whole, short, and parsed before anything changes. */
static ssize_t st_read_cmd(const char __user *ubuf, size_t len, loff_t *ppos,
			   char *buf)
{
	if (*ppos || !len || len > ST_CMD_MAX)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	return 0;
}

static int st_parse_count(const char __user *ubuf, size_t len, loff_t *ppos,
			  unsigned long *n)
{
	char buf[ST_CMD_MAX + 1];
	int ret;

	ret = st_read_cmd(ubuf, len, ppos, buf);
	if (ret)
		return ret;
	ret = kstrtoul(strim(buf), 0, n);
	if (ret)
		return -EINVAL;
	if (!*n || *n > ST_ALLOC_MAX)
		return -EINVAL;
	return 0;
}

static ssize_t st_alloc_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos, bool nofs)
{
	struct st_cache *c = file->private_data;
	unsigned long n;
	int ret;

	ret = st_parse_count(ubuf, len, ppos, &n);
	if (ret)
		return ret;
	ret = st_alloc(c, n, nofs);
	return ret ? ret : len;
}

static ssize_t st_alloc_kernel_write(struct file *file, const char __user *ubuf,
				     size_t len, loff_t *ppos)
{
	return st_alloc_write(file, ubuf, len, ppos, false);
}

static ssize_t st_alloc_nofs_write(struct file *file, const char __user *ubuf,
				   size_t len, loff_t *ppos)
{
	return st_alloc_write(file, ubuf, len, ppos, true);
}

static ssize_t st_free_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	struct st_cache *c = file->private_data;
	unsigned long n;
	int ret;

	ret = st_parse_count(ubuf, len, ppos, &n);
	if (ret)
		return ret;
	st_free_n(c, n);
	return len;
}

static ssize_t st_touch_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	struct st_cache *c = file->private_data;
	struct st_touch t = { .first = ULONG_MAX };
	char buf[ST_CMD_MAX + 1], *p, *tok;
	unsigned long left;
	int ret, nid;

	ret = st_read_cmd(ubuf, len, ppos, buf);
	if (ret)
		return ret;
	p = strim(buf);
	tok = strsep(&p, " \t");
	if (kstrtoul(tok, 0, &t.step) || !t.step)
		return -EINVAL;
	if (p && *p && (kstrtoul(strim(p), 0, &t.first) || !t.first))
		return -EINVAL;
	for_each_node(nid) {
		left = ULONG_MAX;
		list_lru_walk_node(&c->lru, nid, st_touch_one, &t, &left);
	}
	return len;
}

static const struct file_operations st_touch_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = st_touch_write,
	.llseek = noop_llseek,
};

static const struct file_operations st_alloc_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = st_alloc_kernel_write,
	.llseek = noop_llseek,
};

static const struct file_operations st_alloc_nofs_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = st_alloc_nofs_write,
	.llseek = noop_llseek,
};

static const struct file_operations st_free_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = st_free_write,
	.llseek = noop_llseek,
};

static int st_stats_show(struct seq_file *m, void *v)
{
	struct st_cache *c = m->private;
	int i;

	seq_printf(m, "name %s\n", c->name);
	seq_printf(m, "memcg_aware %d\nnuma_aware %d\nobjsize %u\n",
		   c->memcg_aware, c->numa_aware, c->objsize);
	seq_printf(m, "objects %ld\n", atomic_long_read(&c->objects));
	seq_printf(m, "lru_objects %lu\n", list_lru_count(&c->lru));
	seq_printf(m, "inflight %ld\n", atomic_long_read(&c->nr_inflight));
	for (i = 0; i < ST_NR_STATS; i++)
		seq_printf(m, "%s %ld\n", st_stat_names[i],
			   atomic_long_read(&c->stat[i]));
	seq_printf(m, "max_nr_to_scan %ld\n",
		   atomic_long_read(&c->max_nr_to_scan));
	seq_printf(m, "max_pass_scanned %ld\n",
		   max(atomic_long_read(&c->max_pass),
		       atomic_long_read(&c->pass_scanned)));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(st_stats);

static int st_scan_cost_get(void *data, u64 *val)
{
	*val = READ_ONCE(((struct st_cache *)data)->scan_cost_ns);
	return 0;
}

static int st_scan_cost_set(void *data, u64 val)
{
	if (val > ST_SCAN_COST_MAX)
		return -EINVAL;
	WRITE_ONCE(((struct st_cache *)data)->scan_cost_ns, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(st_scan_cost_fops, st_scan_cost_get,
			 st_scan_cost_set, "%llu\n");

static int st_delay_get(void *data, u64 *val)
{
	*val = READ_ONCE(((struct st_cache *)data)->inflight_delay_ms);
	return 0;
}

static int st_delay_set(void *data, u64 val)
{
	if (val > ST_DELAY_MAX_MS)
		return -EINVAL;
	WRITE_ONCE(((struct st_cache *)data)->inflight_delay_ms, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(st_delay_fops, st_delay_get, st_delay_set, "%llu\n");

static int st_blocking_get(void *data, u64 *val)
{
	*val = READ_ONCE(((struct st_cache *)data)->blocking);
	return 0;
}

static int st_blocking_set(void *data, u64 val)
{
	if (val > 2)
		return -EINVAL;
	WRITE_ONCE(((struct st_cache *)data)->blocking, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(st_blocking_fops, st_blocking_get, st_blocking_set,
			 "%llu\n");

static int st_refuse_get(void *data, u64 *val)
{
	*val = READ_ONCE(((struct st_cache *)data)->refuse_nofs);
	return 0;
}

static int st_refuse_set(void *data, u64 val)
{
	if (val > 1)
		return -EINVAL;
	WRITE_ONCE(((struct st_cache *)data)->refuse_nofs, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(st_refuse_fops, st_refuse_get, st_refuse_set, "%llu\n");

static int st_fail_get(void *data, u64 *val)
{
	*val = atomic_read(&((struct st_cache *)data)->fail_next);
	return 0;
}

static int st_fail_set(void *data, u64 val)
{
	if (val > INT_MAX)
		return -EINVAL;
	atomic_set(&((struct st_cache *)data)->fail_next, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(st_fail_fops, st_fail_get, st_fail_set, "%llu\n");

static int st_stall_get(void *data, u64 *val)
{
	*val = READ_ONCE(((struct st_cache *)data)->stall_next_ms);
	return 0;
}

static int st_stall_set(void *data, u64 val)
{
	if (val > ST_DELAY_MAX_MS)
		return -EINVAL;
	WRITE_ONCE(((struct st_cache *)data)->stall_next_ms, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(st_stall_fops, st_stall_get, st_stall_set, "%llu\n");

static struct st_cache *st_find(const char *name)
{
	struct st_cache *c;

	list_for_each_entry(c, &st_caches, node)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static bool st_valid_name(const char *name)
{
	size_t len = strlen(name);
	size_t i;

	if (!len || len > ST_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && name[i] != '_' && name[i] != '-')
			return false;
	return true;
}

static int st_create(const char *name, bool memcg, bool numa,
		     bool defer_nofs, bool unpins, unsigned int objsize)
{
	unsigned int flags = (memcg ? SHRINKER_MEMCG_AWARE : 0) |
			     (numa ? SHRINKER_NUMA_AWARE : 0);
	struct st_cache *c;
	int ret = -ENOMEM;

	if (st_find(name))
		return -EEXIST;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	strscpy(c->name, name, sizeof(c->name));
	c->memcg_aware = memcg;
	c->numa_aware = numa;
	c->objsize = objsize;
	spin_lock_init(&c->inflight_lock);
	INIT_LIST_HEAD(&c->inflight);
	INIT_DELAYED_WORK(&c->inflight_work, st_inflight_workfn);
	c->force_due = jiffies;

	/* Prefixed so it cannot collide with a real cache in /sys/kernel/slab. */
	snprintf(c->kc_name, sizeof(c->kc_name), "shrinker_test_%s", name);
	c->kc = kmem_cache_create(c->kc_name, objsize, 0,
				  SLAB_ACCOUNT | SLAB_RECLAIM_ACCOUNT, NULL);
	if (!c->kc)
		goto free_c;
#ifdef ST_HAVE_INSTANCES
	if (defer_nofs)
		flags |= SHRINKER_DEFER_NOFS;
#endif
	c->shrinker = shrinker_alloc(flags, "shrinker_test-%s", name);
	if (!c->shrinker)
		goto free_kc;
#ifdef ST_HAVE_INSTANCES
	c->shrinker->obj_size = kmem_cache_size(c->kc);
	if (unpins)
		shrinker_set_unpins_pages(c->shrinker);
#endif
	ret = memcg ? list_lru_init_memcg(&c->lru, c->shrinker) :
		      list_lru_init(&c->lru);
	if (ret)
		goto free_shrinker;
	c->dir = debugfs_create_dir(name, st_root);
	debugfs_create_file("alloc", 0200, c->dir, c, &st_alloc_fops);
	debugfs_create_file("alloc_nofs", 0200, c->dir, c, &st_alloc_nofs_fops);
	debugfs_create_file("free", 0200, c->dir, c, &st_free_fops);
	debugfs_create_file("touch", 0200, c->dir, c, &st_touch_fops);
	debugfs_create_file("stats", 0400, c->dir, c, &st_stats_fops);
	debugfs_create_file_unsafe("scan_cost_ns", 0600, c->dir, c,
				   &st_scan_cost_fops);
	debugfs_create_file_unsafe("inflight_delay_ms", 0600, c->dir, c,
				   &st_delay_fops);
	debugfs_create_file_unsafe("blocking", 0600, c->dir, c,
				   &st_blocking_fops);
	debugfs_create_file_unsafe("refuse_nofs", 0600, c->dir, c,
				   &st_refuse_fops);
	debugfs_create_file_unsafe("fail_next", 0600, c->dir, c, &st_fail_fops);
	debugfs_create_file_unsafe("stall_next_ms", 0600, c->dir, c,
				   &st_stall_fops);

	c->shrinker->count_objects = st_count;
	c->shrinker->scan_objects = st_scan;
	c->shrinker->seeks = DEFAULT_SEEKS;
	c->shrinker->private_data = c;
	list_add_tail(&c->node, &st_caches);
	shrinker_register(c->shrinker);
	return 0;

free_shrinker:
	shrinker_free(c->shrinker);
free_kc:
	kmem_cache_destroy(c->kc);
free_c:
	kfree(c);
	return ret;
}

static ssize_t st_create_write(struct file *file, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	char buf[ST_CMD_MAX + 1], *p, *tok, *name;
	unsigned int objsize = ST_OBJSIZE_DEFAULT;
	bool memcg = false, numa = false, defer_nofs = false, unpins = false;
	int ret;

	ret = st_read_cmd(ubuf, len, ppos, buf);
	if (ret)
		return ret;
	p = strim(buf);
	name = strsep(&p, " \t");
	if (!st_valid_name(name))
		return -EINVAL;
	while ((tok = strsep(&p, " \t"))) {
		if (!*tok)
			continue;
		if (!strcmp(tok, "memcg")) {
			memcg = true;
		} else if (!strcmp(tok, "numa")) {
			numa = true;
		} else if (!strcmp(tok, "defer_nofs")) {
#ifdef ST_HAVE_INSTANCES
			defer_nofs = true;
#else
			/* this kernel cannot queue NOFS work */
			return -EOPNOTSUPP;
#endif
		} else if (!strcmp(tok, "unpins")) {
#ifdef ST_HAVE_INSTANCES
			unpins = true;
#else
			return -EOPNOTSUPP;
#endif
		} else if (!strncmp(tok, "objsize=", 8)) {
			if (kstrtouint(tok + 8, 0, &objsize))
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}
	if (objsize < sizeof(struct st_obj) || objsize > ST_OBJSIZE_MAX)
		return -EINVAL;
	/* a memcg-aware cache is scanned in memcg reclaim anyway */
	if (unpins && memcg)
		return -EINVAL;

	mutex_lock(&st_lock);
	ret = st_create(name, memcg, numa, defer_nofs, unpins, objsize);
	mutex_unlock(&st_lock);
	return ret ? ret : len;
}

static ssize_t st_destroy_write(struct file *file, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	char buf[ST_CMD_MAX + 1];
	struct st_cache *c;
	int ret;

	ret = st_read_cmd(ubuf, len, ppos, buf);
	if (ret)
		return ret;
	mutex_lock(&st_lock);
	c = st_find(strim(buf));
	if (c)
		st_destroy(c);
	mutex_unlock(&st_lock);
	return c ? len : -ENOENT;
}

static const struct file_operations st_create_fops = {
	.owner = THIS_MODULE,
	.write = st_create_write,
	.llseek = noop_llseek,
};

static const struct file_operations st_destroy_fops = {
	.owner = THIS_MODULE,
	.write = st_destroy_write,
	.llseek = noop_llseek,
};

/*
 * A known data race, so that a KCSAN run that reports nothing can tell
 * "no race" from "no detection": each thread increments a plain shared
 * counter, and KCSAN must report st_race_canary() racing itself.
 */
#define ST_CANARY_MAX_MS	10000U

static unsigned long st_canary_counter;

/* not "kcsan_" in its name: KCSAN drops such frames as its own */
static int st_race_canary(void *arg)
{
	unsigned long end = (unsigned long)arg;

	while (!kthread_should_stop() && time_before(jiffies, end)) {
		st_canary_counter++;
		cond_resched();
	}
	return 0;
}

static ssize_t st_canary_write(struct file *file, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	struct task_struct *t[2];
	unsigned long n, end;
	int ret = 0, i, started = 0;

	ret = st_parse_count(ubuf, len, ppos, &n);
	if (ret)
		return ret;
	if (n > ST_CANARY_MAX_MS)
		return -EINVAL;
	end = jiffies + msecs_to_jiffies(n);
	/* the CPUs bound to stay online until the threads run */
	cpus_read_lock();
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		t[i] = kthread_create(st_race_canary, (void *)end,
				      "st_canary/%d", i);
		if (IS_ERR(t[i])) {
			ret = PTR_ERR(t[i]);
			break;
		}
		/* each on a CPU of its own where there are two, to overlap */
		if (num_online_cpus() > 1)
			kthread_bind(t[i], cpumask_nth(i, cpu_online_mask));
		/* held, so that one that returned already can still be stopped */
		get_task_struct(t[i]);
		wake_up_process(t[i]);
		started++;
	}
	cpus_read_unlock();
	if (started)
		msleep(n);
	/* no thread runs module code once the write returns */
	for (i = 0; i < started; i++)
		kthread_stop_put(t[i]);
	return ret ? ret : len;
}

static const struct file_operations st_canary_fops = {
	.owner = THIS_MODULE,
	.write = st_canary_write,
	.llseek = noop_llseek,
};

static struct dentry *st_create_file, *st_destroy_file;

static int __init st_init(void)
{
	st_wq = alloc_workqueue("shrinker_test", WQ_UNBOUND | WQ_MEM_RECLAIM,
				0);
	if (!st_wq)
		return -ENOMEM;
	st_root = debugfs_create_dir("shrinker_test", NULL);
	if (IS_ERR(st_root)) {
		destroy_workqueue(st_wq);
		return PTR_ERR(st_root);
	}
	st_create_file = debugfs_create_file("create", 0200, st_root, NULL,
					     &st_create_fops);
	st_destroy_file = debugfs_create_file("destroy", 0200, st_root, NULL,
					      &st_destroy_fops);
	if (IS_ENABLED(CONFIG_KCSAN))
		debugfs_create_file("kcsan_canary", 0200, st_root, NULL,
				    &st_canary_fops);
	return 0;
}

static void __exit st_exit(void)
{
	struct st_cache *c, *tmp;

	/* No create or destroy may run once the caches are being torn down. */
	debugfs_remove(st_create_file);
	debugfs_remove(st_destroy_file);
	mutex_lock(&st_lock);
	list_for_each_entry_safe(c, tmp, &st_caches, node)
		st_destroy(c);
	mutex_unlock(&st_lock);
	debugfs_remove(st_root);
	destroy_workqueue(st_wq);
}

module_init(st_init);
module_exit(st_exit);
MODULE_DESCRIPTION("Synthetic shrinker caches for reclaim tests");
MODULE_LICENSE("GPL");
