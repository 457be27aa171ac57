/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shrinker providers: a cache that knows more about its objects than a
 * count plugs in here, and reclaim drives it through its instances like
 * any shrinker.  Kept out of <linux/shrinker.h>, which nearly every file
 * includes; see Documentation/mm/shrinker/providers.rst.
 */
#ifndef _LINUX_SHRINKER_PROVIDER_H
#define _LINUX_SHRINKER_PROVIDER_H

#include <linux/shrinker.h>

struct mem_cgroup;

/**
 * struct shrinker_provider - a source of reclaimable objects
 * @name: shown in debugfs
 * @count: freeable objects of the instance @sc names, or SHRINK_EMPTY
 * @scan: scan sc->nr_to_scan objects; return those freed or SHRINK_STOP,
 *	  put those whose freeing started but has not finished in
 *	  sc->nr_inflight, and set sc->nr_scanned if it differs
 * @bytes: the bytes @count objects of the instance hold, 0 if unknown.
 *	   A provider of slab objects can size them with
 *	   shrinker_slab_obj_size() and bound the figure with
 *	   shrinker_slab_cap(), the memcg's charged reclaimable slab.
 * @scan_bytes: optional, called in place of @scan: the same, and the
 *	   bytes the objects it freed gave back in *@freed_bytes.  Proactive
 *	   memcg reclaim counts those as progress; without it, a share of
 *	   @bytes, which is wrong where @bytes counts objects they pin that
 *	   are freed, and counted, apart.
 *
 * All callbacks may run in reclaim context: they must not enter reclaim,
 * and @count must not sleep.  @bytes may sleep, as shrinker_slab_cap()
 * does to flush memcg statistics, but must not allocate or take a lock
 * reclaim may hold: it is called in process context, outside RCU and with
 * no spinlock held.
 */
struct shrinker_provider {
	const char *name;
	unsigned long (*count)(struct shrinker *shrinker,
			       struct shrink_control *sc);
	unsigned long (*scan)(struct shrinker *shrinker,
			      struct shrink_control *sc);
	unsigned long (*bytes)(struct shrinker *shrinker,
			       struct shrink_control *sc, unsigned long count);
	unsigned long (*scan_bytes)(struct shrinker *shrinker,
				    struct shrink_control *sc,
				    unsigned long *freed_bytes);
};

void shrinker_set_provider(struct shrinker *shrinker,
			   const struct shrinker_provider *prov);
void shrinker_set_unpins_pages(struct shrinker *shrinker);
unsigned long shrinker_slab_bytes(struct mem_cgroup *memcg, int nid);
unsigned long shrinker_slab_cap(struct mem_cgroup *memcg, int nid,
				unsigned long bytes, unsigned long floor);
unsigned int shrinker_slab_obj_size(const void *obj);
bool shrinker_slab_obj_in(struct mem_cgroup *memcg, void *obj);

#endif /* _LINUX_SHRINKER_PROVIDER_H */
