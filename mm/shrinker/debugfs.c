// SPDX-License-Identifier: GPL-2.0
/*
 * <debugfs>/shrinker/<name>-<id>/:
 *   count       objects per memcg and node (shrinker_debugfs.rst)
 *   scan        "<memcg ino> <nid> <nr>" scans (shrinker_debugfs.rst)
 *   instances   one line per instance: state, watermarks, queue, counters
 *   watermarks  "MIN LOW HIGH" override for all instances, or "auto"
 * <debugfs>/shrinker/stats: instances alive, passes made without one.
 *
 * Every handler pins the shrinker: once shrinker_free() has dropped the
 * last pin, they fail with -EBUSY instead of touching freed state.
 */
#include <linux/array_size.h>
#include <linux/debugfs.h>
#include <linux/idr.h>
#include <linux/math64.h>
#include <linux/memcontrol.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "internal.h"

static DEFINE_IDA(shrinker_debugfs_ida);
static struct dentry *shrinker_debugfs_root;

int shrinker_debugfs_name_alloc(struct shrinker *shrinker, const char *fmt,
				va_list ap)
{
	shrinker->name = kvasprintf_const(GFP_KERNEL, fmt, ap);
	return shrinker->name ? 0 : -ENOMEM;
}

void shrinker_debugfs_name_free(struct shrinker *shrinker)
{
	kfree_const(shrinker->name);
	shrinker->name = NULL;
}

static struct mem_cgroup *shrinker_next_memcg(struct shrinker *shrinker,
					      struct mem_cgroup *memcg)
{
	if (!(shrinker->flags & SHRINKER_MEMCG_AWARE)) {
		if (memcg)
			mem_cgroup_iter_break(NULL, memcg);
		return NULL;
	}
	return mem_cgroup_iter(NULL, memcg, NULL);
}

static int shrinker_count_show(struct seq_file *m, void *v)
{
	struct shrinker *shrinker = m->private;
	bool memcg_aware = shrinker->flags & SHRINKER_MEMCG_AWARE;
	unsigned long *per_node, total;
	struct mem_cgroup *memcg;
	int ret = 0, nid;

	if (!shrinker_try_get(shrinker))
		return -EBUSY;
	per_node = kcalloc(nr_node_ids, sizeof(*per_node), GFP_KERNEL);
	if (!per_node) {
		shrinker_put(shrinker);
		return -ENOMEM;
	}

	memcg = mem_cgroup_iter(NULL, NULL, NULL);
	do {
		if (memcg && !mem_cgroup_online(memcg))
			continue;
		total = 0;
		for_each_node(nid) {
			struct shrink_control sc = {
				.gfp_mask = GFP_KERNEL,
				.nid = nid,
				.memcg = memcg_aware ? memcg : NULL,
			};
			unsigned long nr = 0;

			if (nid == 0 || (shrinker->flags & SHRINKER_NUMA_AWARE))
				nr = shrinker_core(shrinker)->provider->count(shrinker, &sc);
			if (nr == SHRINK_EMPTY)
				nr = 0;
			per_node[nid] = nr;
			total += nr;
		}
		if (total) {
			seq_printf(m, "%lu", shrinker_memcg_ino(memcg));
			for_each_node(nid)
				seq_printf(m, " %lu", per_node[nid]);
			seq_putc(m, '\n');
		}
		if (signal_pending(current)) {
			if (memcg_aware)
				mem_cgroup_iter_break(NULL, memcg);
			ret = -EINTR;
			break;
		}
	} while ((memcg = shrinker_next_memcg(shrinker, memcg)) != NULL);

	kfree(per_node);
	shrinker_put(shrinker);
	return ret;
}
DEFINE_SHOW_ATTRIBUTE(shrinker_count);

static ssize_t shrinker_scan_write(struct file *file, const char __user *buf,
				   size_t size, loff_t *pos)
{
	struct shrinker *shrinker = file->private_data;
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL };
	unsigned long nr_to_scan, ino, freed, v[3];
	struct shrinker_instance *inst;
	struct mem_cgroup *memcg = NULL;
	char kbuf[72];
	int nid;

	/* As for watermarks: one whole command in one write, no NUL in it. */
	if (*pos != 0 || size >= sizeof(kbuf))
		return -EINVAL;
	if (copy_from_user(kbuf, buf, size))
		return -EFAULT;
	kbuf[size] = '\0';
	if (strlen(kbuf) != size)
		return -EINVAL;
	if (shrinker_parse_ulongs(strim(kbuf), v, ARRAY_SIZE(v)))
		return -EINVAL;
	ino = v[0];
	nr_to_scan = v[2];
	if (v[1] >= nr_node_ids || !node_possible(v[1]))
		return -EINVAL;
	nid = v[1];
	if (nr_to_scan == 0)
		return size;

	if (shrinker->flags & SHRINKER_MEMCG_AWARE) {
		memcg = mem_cgroup_get_from_ino(ino);
		if (IS_ERR_OR_NULL(memcg))
			return -ENOENT;
		if (!mem_cgroup_online(memcg)) {
			mem_cgroup_put(memcg);
			return -ENOENT;
		}
	} else if (ino != 0) {
		return -EINVAL;
	}
	if (!shrinker_try_get(shrinker)) {
		mem_cgroup_put(memcg);
		return -EBUSY;
	}

	sc.nid = nid;
	sc.memcg = memcg;
	sc.nr_to_scan = nr_to_scan;
	sc.nr_scanned = nr_to_scan;
	freed = shrinker_core(shrinker)->provider->scan(shrinker, &sc);

	rcu_read_lock();
	inst = shrinker_memcg_instance(shrinker, memcg, nid);
	if (inst && !shrinker_instance_of(inst, shrinker))
		inst = NULL;
	rcu_read_unlock();
	/* we pin the memcg and the shrinker: the instance stays */
	if (inst && freed != SHRINK_STOP) {
		/* the memcg may have gone offline during the scan */
		inst = shrinker_instance_lock_live(inst);
		inst->stats.scanned += sc.nr_scanned;
		inst->stats.freed += freed;
		spin_unlock(&inst->lock);
	}

	shrinker_put(shrinker);
	mem_cgroup_put(memcg);
	return size;
}

static const struct file_operations shrinker_scan_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= shrinker_scan_write,
	.llseek	= noop_llseek,
};

static void shrinker_seq_ulong(struct seq_file *m, unsigned long v)
{
	if (v == ULONG_MAX)
		seq_puts(m, " max");
	else
		seq_printf(m, " %lu", v);
}

/* what is left of a backoff window, in ms; 0 when not backed off */
static unsigned int shrinker_backoff_ms(const struct shrinker_backoff *b,
					unsigned long now)
{
	return shrinker_backed_off(b, now) ? jiffies_to_msecs(b->until - now) : 0;
}

/* One line: live count and bytes, the rest as the instance last saw it. */
static void shrinker_instance_show(struct seq_file *m,
				   struct shrinker *shrinker,
				   struct shrinker_instance *inst,
				   struct mem_cgroup *memcg)
{
	const struct shrinker_provider *prov = shrinker_core(shrinker)->provider;
	struct shrink_control sc = {
		.gfp_mask = GFP_KERNEL,
		.nid = inst->nid,
		.memcg = memcg,
	};
	unsigned long count, bytes, inflight, now;
	struct shrinker_deferred q, none;
	unsigned int age;
	struct shrinker_counters c;
	struct shrinker_wmarks wm;
	struct shrinker_backoff bo[SHRINKER_CTX_NR];
	struct shrinker_cost cost;
	int i;

	count = prov->count(shrinker, &sc);
	if (count == SHRINK_EMPTY)
		count = 0;
	bytes = prov->bytes ? prov->bytes(shrinker, &sc, count) : 0;

	shrinker_instance_wmarks(shrinker, inst);
	spin_lock(&inst->lock);
	/* not before the lock: work queued under it may be newer */
	now = jiffies;
	wm = inst->wmarks;
	memcpy(bo, inst->backoff, sizeof(bo));
	q = inst->deferred;
	inflight = inst->inflight;
	c = inst->stats;
	cost = inst->cost;
	spin_unlock(&inst->lock);
	/* queues age when next used: show this one as of now */
	shrinker_defer_take(&q, 0, now, &none);
	age = q.nr ? jiffies_to_msecs(now - shrinker_defer_since(&q)) : 0;

	seq_printf(m, "%lu %d %lu %lu", shrinker_memcg_ino(memcg), inst->nid,
		   count, bytes);
	shrinker_seq_ulong(m, wm.min);
	shrinker_seq_ulong(m, wm.low);
	shrinker_seq_ulong(m, wm.high);
	seq_printf(m, " %s %u %u %lu %u %lu %lu %lu %lu %lu %lu %lu",
		   wm.user ? "user" : "auto", bo[SHRINKER_CTX_FULL].level,
		   shrinker_backoff_ms(&bo[SHRINKER_CTX_FULL], now),
		   q.nr, age, q.aged,
		   inflight, c.scanned, c.freed, c.backoffs, c.enqueued,
		   c.drained);
	/* reclaim cost, ns per KiB freed; "-" until bytes were freed */
	if (cost.bytes)
		seq_printf(m, " %llu",
			   div64_u64(cost.ns, max_t(u64, cost.bytes >> 10, 1)));
	else
		seq_puts(m, " -");
	/* each context's window apart (enum shrinker_ctx) */
	for (i = SHRINKER_CTX_SHORT; i < SHRINKER_CTX_NR; i++)
		seq_printf(m, " %u", shrinker_backoff_ms(&bo[i], now));
	seq_putc(m, '\n');
}

static int shrinker_instances_show(struct seq_file *m, void *v)
{
	struct shrinker *shrinker = m->private;
	struct mem_cgroup *memcg;
	int i, nid, ret = 0;

	if (!shrinker_try_get(shrinker))
		return -EBUSY;
	seq_puts(m, "memcg nid count bytes min low high wmarks backoff_level backoff_ms deferred deferred_age_ms aged inflight scanned freed backoffs enqueued drained ns_per_kib short_backoff_ms nofs_backoff_ms noio_backoff_ms drain_backoff_ms unpin_backoff_ms\n");
	/* own instances serve the root memcg */
	memcg = shrinker->flags & SHRINKER_MEMCG_AWARE ? root_mem_cgroup : NULL;
	for (i = 0; i < shrinker_core(shrinker)->nr_own; i++)
		shrinker_instance_show(m, shrinker,
				       shrinker_core(shrinker)->own[i], memcg);

	if (!(shrinker->flags & SHRINKER_MEMCG_AWARE))
		goto out;
	memcg = mem_cgroup_iter(NULL, NULL, NULL);
	do {
		/*
		 * Offlining gave a dying memcg's objects and state to its
		 * parent: counting it would count the parent's objects again.
		 */
		if (mem_cgroup_is_root(memcg) || !mem_cgroup_online(memcg))
			continue;
		for_each_node(nid) {
			struct shrinker_instance *inst;

			/* as long as the memcg we hold and the shrinker we pin */
			rcu_read_lock();
			inst = shrinker_memcg_instance(shrinker, memcg, nid);
			if (inst && !shrinker_instance_of(inst, shrinker))
				inst = NULL;
			rcu_read_unlock();
			if (inst)
				shrinker_instance_show(m, shrinker, inst, memcg);
		}
		if (signal_pending(current)) {
			mem_cgroup_iter_break(NULL, memcg);
			ret = -EINTR;
			break;
		}
	} while ((memcg = mem_cgroup_iter(NULL, memcg, NULL)) != NULL);
out:
	shrinker_put(shrinker);
	return ret;
}
DEFINE_SHOW_ATTRIBUTE(shrinker_instances);

static int shrinker_wmarks_show(struct seq_file *m, void *v)
{
	struct shrinker *shrinker = m->private;
	struct shrinker_core *core;
	struct shrinker_wmarks wm;

	if (!shrinker_try_get(shrinker))
		return -EBUSY;
	core = shrinker_core(shrinker);
	spin_lock(&core->wm_lock);
	wm = core->wm_override;
	spin_unlock(&core->wm_lock);
	shrinker_put(shrinker);

	if (wm.user)
		seq_printf(m, "%lu %lu %lu\n", wm.min, wm.low, wm.high);
	else
		seq_puts(m, "auto\n");
	return 0;
}

static int shrinker_wmarks_open(struct inode *inode, struct file *file)
{
	return single_open(file, shrinker_wmarks_show, inode->i_private);
}

/*
 * The whole value in one write from offset 0: a partial or continued
 * write could otherwise apply half a setting.
 */
static ssize_t shrinker_wmarks_write(struct file *file, const char __user *buf,
				     size_t size, loff_t *pos)
{
	struct shrinker *shrinker = file_inode(file)->i_private;
	struct shrinker_wmarks wm = { };
	struct shrinker_core *core;
	char kbuf[80];
	int ret;

	if (*pos != 0 || size == 0 || size >= sizeof(kbuf))
		return -EINVAL;
	if (copy_from_user(kbuf, buf, size))
		return -EFAULT;
	kbuf[size] = '\0';
	if (strlen(kbuf) != size)
		return -EINVAL;
	ret = shrinker_wmarks_parse(kbuf, &wm);
	if (ret)
		return ret;

	if (!shrinker_try_get(shrinker))
		return -EBUSY;
	core = shrinker_core(shrinker);
	spin_lock(&core->wm_lock);
	core->wm_override = wm;
	/* read without the lock on the reclaim path */
	WRITE_ONCE(core->wm_override.user, wm.user);
	spin_unlock(&core->wm_lock);
	shrinker_put(shrinker);
	*pos += size;
	return size;
}

static const struct file_operations shrinker_wmarks_fops = {
	.owner		= THIS_MODULE,
	.open		= shrinker_wmarks_open,
	.read		= seq_read,
	.write		= shrinker_wmarks_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

int shrinker_debugfs_add(struct shrinker *shrinker)
{
	struct dentry *entry;
	char buf[128];
	int id;

	lockdep_assert_held(&shrinker_mutex);

	/* before debugfs is up: shrinker_debugfs_init() adds it later */
	if (!shrinker_debugfs_root)
		return 0;

	id = ida_alloc(&shrinker_debugfs_ida, GFP_KERNEL);
	if (id < 0)
		return id;
	shrinker->debugfs_id = id;

	snprintf(buf, sizeof(buf), "%s-%d", shrinker->name, id);
	entry = debugfs_create_dir(buf, shrinker_debugfs_root);
	if (IS_ERR(entry)) {
		ida_free(&shrinker_debugfs_ida, id);
		return PTR_ERR(entry);
	}
	shrinker->debugfs_entry = entry;

	if (shrinker->count_objects)
		debugfs_create_file("count", 0440, entry, shrinker,
				    &shrinker_count_fops);
	if (shrinker->scan_objects)
		debugfs_create_file("scan", 0220, entry, shrinker,
				    &shrinker_scan_fops);
	debugfs_create_file("instances", 0400, entry, shrinker,
			    &shrinker_instances_fops);
	debugfs_create_file("watermarks", 0600, entry, shrinker,
			    &shrinker_wmarks_fops);
	return 0;
}

int shrinker_debugfs_rename(struct shrinker *shrinker, const char *fmt, ...)
{
	const char *new, *old;
	struct dentry *entry;
	char buf[128];
	va_list ap;
	int ret = 0;

	va_start(ap, fmt);
	new = kvasprintf_const(GFP_KERNEL, fmt, ap);
	va_end(ap);
	if (!new)
		return -ENOMEM;

	mutex_lock(&shrinker_mutex);
	old = shrinker->name;
	shrinker->name = new;
	if (shrinker->debugfs_entry) {
		snprintf(buf, sizeof(buf), "%s-%d", shrinker->name,
			 shrinker->debugfs_id);
		entry = debugfs_rename(shrinker_debugfs_root,
				       shrinker->debugfs_entry,
				       shrinker_debugfs_root, buf);
		if (IS_ERR(entry))
			ret = PTR_ERR(entry);
		else
			shrinker->debugfs_entry = entry;
	}
	mutex_unlock(&shrinker_mutex);

	kfree_const(old);
	return ret;
}
EXPORT_SYMBOL(shrinker_debugfs_rename);

struct dentry *shrinker_debugfs_detach(struct shrinker *shrinker,
				       int *debugfs_id)
{
	struct dentry *entry = shrinker->debugfs_entry;

	lockdep_assert_held(&shrinker_mutex);
	*debugfs_id = entry ? shrinker->debugfs_id : -1;
	shrinker->debugfs_entry = NULL;
	return entry;
}

void shrinker_debugfs_remove(struct dentry *debugfs_entry, int debugfs_id)
{
	debugfs_remove_recursive(debugfs_entry);
	ida_free(&shrinker_debugfs_ida, debugfs_id);
}

static int shrinker_stats_show(struct seq_file *m, void *v)
{
	seq_printf(m, "instances %ld\nstateless_passes %ld\nstranded %ld\nrerouted %ld\n",
		   shrinker_nr_instances(), shrinker_nr_stateless_passes(),
		   shrinker_nr_stranded(), shrinker_nr_rerouted());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(shrinker_stats);

static int __init shrinker_debugfs_init(void)
{
	struct shrinker *shrinker;
	struct dentry *dentry;
	int ret = 0;

	dentry = debugfs_create_dir("shrinker", NULL);
	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	shrinker_debugfs_root = dentry;
	debugfs_create_file("stats", 0400, dentry, NULL, &shrinker_stats_fops);

	mutex_lock(&shrinker_mutex);
	list_for_each_entry(shrinker, &shrinker_list, list) {
		if (!shrinker->debugfs_entry) {
			ret = shrinker_debugfs_add(shrinker);
			if (ret)
				break;
		}
	}
	mutex_unlock(&shrinker_mutex);
	return ret;
}
late_initcall(shrinker_debugfs_init);
