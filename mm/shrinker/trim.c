// SPDX-License-Identifier: GPL-2.0
/*
 * Whether background trimming may run.
 *
 * The drain worker trims an instance that grew past its high watermark
 * with nobody asking for it: no reclaimer waits and there may be no
 * pressure at all.  It takes only what reclaim would call cold, a lap of
 * the list at a time (shrinker_drain_instance()).  Still,
 * an operator who would rather keep every cache until pressure comes can
 * say so: for the whole system with the shrinker.trim parameter, for a
 * cgroup subtree with memory.shrinker.trim.  Neither touches reclaim,
 * drop_caches or the work reclaim queued for the drain: those were asked
 * for.
 */
#include <linux/cgroup.h>
#include <linux/kstrtox.h>
#include <linux/memcontrol.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/xarray.h>

#include "internal.h"

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "shrinker."

bool shrinker_trim_on __read_mostly = true;
module_param_named(trim, shrinker_trim_on, bool, 0644);
MODULE_PARM_DESC(trim,
		 "trim caches above their high watermark without pressure");

#ifdef CONFIG_MEMCG
/* the ids of the memcgs whose memory.shrinker.trim is 0 */
static DEFINE_XARRAY(shrinker_trim_off);

/*
 * @memcg's subtree is trimmed unless it or an ancestor says 0.  The
 * caller pins @memcg, which pins its ancestors; the root has no file.
 */
bool shrinker_trim_allowed(struct mem_cgroup *memcg)
{
	if (!READ_ONCE(shrinker_trim_on))
		return false;
	if (xa_empty(&shrinker_trim_off) || mem_cgroup_disabled())
		return true;
	for (; memcg && !mem_cgroup_is_root(memcg);
	     memcg = parent_mem_cgroup(memcg))
		if (xa_load(&shrinker_trim_off, mem_cgroup_id(memcg)))
			return false;
	return true;
}

/* @memcg goes offline: its id may be reused, its file is gone */
void shrinker_trim_forget(struct mem_cgroup *memcg)
{
	xa_erase(&shrinker_trim_off, mem_cgroup_id(memcg));
}

static int shrinker_trim_show(struct seq_file *m, void *v)
{
	struct mem_cgroup *memcg = mem_cgroup_from_seq(m);

	seq_printf(m, "%d\n",
		   !xa_load(&shrinker_trim_off, mem_cgroup_id(memcg)));
	return 0;
}

static ssize_t shrinker_trim_write(struct kernfs_open_file *of, char *buf,
				   size_t nbytes, loff_t off)
{
	struct mem_cgroup *memcg = mem_cgroup_from_css(of_css(of));
	int on, ret;

	ret = kstrtoint(strstrip(buf), 10, &on);
	if (ret)
		return ret;
	if (on != 0 && on != 1)
		return -EINVAL;
	if (on)
		xa_erase(&shrinker_trim_off, mem_cgroup_id(memcg));
	else
		ret = xa_err(xa_store(&shrinker_trim_off, mem_cgroup_id(memcg),
				      xa_mk_value(1), GFP_KERNEL));
	return ret ? ret : nbytes;
}

static struct cftype shrinker_trim_files[] = {
	{
		.name = "shrinker.trim",
		.flags = CFTYPE_NOT_ON_ROOT,
		.seq_show = shrinker_trim_show,
		.write = shrinker_trim_write,
	},
	{ }	/* terminate */
};

static int __init shrinker_trim_init(void)
{
	WARN_ON(cgroup_add_dfl_cftypes(&memory_cgrp_subsys, shrinker_trim_files));
	return 0;
}
subsys_initcall(shrinker_trim_init);
#else
bool shrinker_trim_allowed(struct mem_cgroup *memcg)
{
	return READ_ONCE(shrinker_trim_on);
}
#endif
