/* SPDX-License-Identifier: GPL-2.0 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM shrinker

#if !defined(_TRACE_SHRINKER_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_SHRINKER_H

#include <linux/jiffies.h>
#include <linux/shrinker.h>
#include <linux/tracepoint.h>
#include <trace/events/mmflags.h>

struct shrinker_instance;

#ifndef _TRACE_SHRINKER_INST
#define _TRACE_SHRINKER_INST
/*
 * What the events record of an instance, read by mm/shrinker/ itself
 * (shrinker_trace_inst()): the instance's layout stays internal, and
 * this header builds alone.
 */
struct shrinker_trace_inst {
	int nid;
	unsigned long memcg;		/* cgroup inode, 0 for none */
	unsigned long count;
	unsigned long min;
	unsigned long queued;
	unsigned long inflight;
	unsigned long backoff_until;
	unsigned int backoff_level;
};

void shrinker_trace_inst(const struct shrinker_instance *i,
			 struct shrinker_trace_inst *t);
#endif

/*
 * Every event names its instance by scan callback, node and memcg inode;
 * the mm/shrinker/ internals stay out of the event format.
 */
TRACE_EVENT(shrinker_instance_scan,
	    TP_PROTO(struct shrinker *s, struct shrinker_instance *i, gfp_t gfp,
		     int priority, unsigned long freeable, unsigned long delta,
		     unsigned int weight, unsigned long deferred,
		     unsigned long scanned, unsigned long freed,
		     unsigned long inflight),
	    TP_ARGS(s, i, gfp, priority, freeable, delta, weight, deferred,
		    scanned, freed, inflight),
	    TP_STRUCT__entry(__field(void *, shrink)
			     __field(int, nid)
			     __field(unsigned long, memcg)
			     __field(unsigned long, gfp)
			     __field(int, priority)
			     __field(unsigned long, freeable)
			     __field(unsigned long, delta)
			     __field(unsigned int, weight)
			     __field(unsigned long, deferred)
			     __field(unsigned long, scanned)
			     __field(unsigned long, freed)
			     __field(unsigned long, inflight)
	    ),
	    TP_fast_assign(struct shrinker_trace_inst t;

			   shrinker_trace_inst(i, &t);
			   __entry->shrink = s->scan_objects;
			   __entry->nid = t.nid;
			   __entry->memcg = t.memcg;
			   __entry->gfp = (__force unsigned long)gfp;
			   __entry->priority = priority;
			   __entry->freeable = freeable;
			   __entry->delta = delta;
			   __entry->weight = weight;
			   __entry->deferred = deferred;
			   __entry->scanned = scanned;
			   __entry->freed = freed;
			   __entry->inflight = inflight;
	    ),
	    TP_printk("%pS nid=%d memcg=%lu gfp=%s priority=%d freeable=%lu delta=%lu weight=%u deferred=%lu scanned=%lu freed=%lu inflight=%lu",
		      __entry->shrink, __entry->nid, __entry->memcg,
		      show_gfp_flags(__entry->gfp), __entry->priority,
		      __entry->freeable, __entry->delta, __entry->weight,
		      __entry->deferred, __entry->scanned, __entry->freed,
		      __entry->inflight)
);

TRACE_EVENT(shrinker_instance_skip,
	    TP_PROTO(struct shrinker *s, struct shrinker_instance *i,
		     unsigned long freeable, unsigned long queued),
	    TP_ARGS(s, i, freeable, queued),
	    TP_STRUCT__entry(__field(void *, shrink)
			     __field(int, nid)
			     __field(unsigned long, memcg)
			     __field(unsigned long, freeable)
			     __field(unsigned long, queued)
			     __field(unsigned long, min)
			     __field(unsigned int, level)
	    ),
	    TP_fast_assign(struct shrinker_trace_inst t;

			   shrinker_trace_inst(i, &t);
			   __entry->shrink = s->scan_objects;
			   __entry->nid = t.nid;
			   __entry->memcg = t.memcg;
			   __entry->freeable = freeable;
			   __entry->queued = queued;
			   __entry->min = t.min;
			   __entry->level = t.backoff_level;
	    ),
	    TP_printk("%pS nid=%d memcg=%lu freeable=%lu queued=%lu min=%lu backoff_level=%u",
		      __entry->shrink, __entry->nid, __entry->memcg,
		      __entry->freeable, __entry->queued, __entry->min,
		      __entry->level)
);

TRACE_EVENT(shrinker_backoff,
	    TP_PROTO(struct shrinker *s, struct shrinker_instance *i, bool stop,
		     unsigned long inflight),
	    TP_ARGS(s, i, stop, inflight),
	    TP_STRUCT__entry(__field(void *, shrink)
			     __field(int, nid)
			     __field(unsigned long, memcg)
			     __field(unsigned int, level)
			     __field(unsigned int, window_ms)
			     __field(bool, stop)
			     __field(unsigned long, inflight)
	    ),
	    TP_fast_assign(struct shrinker_trace_inst t;

			   shrinker_trace_inst(i, &t);
			   __entry->shrink = s->scan_objects;
			   __entry->nid = t.nid;
			   __entry->memcg = t.memcg;
			   __entry->level = t.backoff_level;
			   __entry->window_ms = jiffies_to_msecs(t.backoff_until -
								 jiffies);
			   __entry->stop = stop;
			   __entry->inflight = inflight;
	    ),
	    TP_printk("%pS nid=%d memcg=%lu level=%u window_ms=%u reason=%s inflight=%lu",
		      __entry->shrink, __entry->nid, __entry->memcg,
		      __entry->level, __entry->window_ms,
		      __entry->stop ? "stop" :
		      __entry->inflight ? "inflight" : "no_progress",
		      __entry->inflight)
);

TRACE_EVENT(shrinker_defer_enqueue,
	    TP_PROTO(struct shrinker *s, struct shrinker_instance *i,
		     unsigned long added, unsigned long queued),
	    TP_ARGS(s, i, added, queued),
	    TP_STRUCT__entry(__field(void *, shrink)
			     __field(int, nid)
			     __field(unsigned long, memcg)
			     __field(unsigned long, added)
			     __field(unsigned long, queued)
	    ),
	    TP_fast_assign(struct shrinker_trace_inst t;

			   shrinker_trace_inst(i, &t);
			   __entry->shrink = s->scan_objects;
			   __entry->nid = t.nid;
			   __entry->memcg = t.memcg;
			   __entry->added = added;
			   __entry->queued = queued;
	    ),
	    TP_printk("%pS nid=%d memcg=%lu added=%lu queued=%lu",
		      __entry->shrink, __entry->nid, __entry->memcg,
		      __entry->added, __entry->queued)
);

TRACE_EVENT(shrinker_defer_drain,
	    TP_PROTO(struct shrinker *s, struct shrinker_instance *i,
		     unsigned long taken, unsigned long trim, unsigned long scanned,
		     unsigned long freed, unsigned long aged, bool stop),
	    TP_ARGS(s, i, taken, trim, scanned, freed, aged, stop),
	    TP_STRUCT__entry(__field(void *, shrink)
			     __field(int, nid)
			     __field(unsigned long, memcg)
			     __field(unsigned long, taken)
			     __field(unsigned long, trim)
			     __field(unsigned long, scanned)
			     __field(unsigned long, freed)
			     __field(unsigned long, aged)
			     __field(unsigned long, queued)
			     __field(unsigned long, inflight)
			     __field(bool, stop)
	    ),
	    TP_fast_assign(struct shrinker_trace_inst t;

			   shrinker_trace_inst(i, &t);
			   __entry->shrink = s->scan_objects;
			   __entry->nid = t.nid;
			   __entry->memcg = t.memcg;
			   __entry->taken = taken;
			   __entry->trim = trim;
			   __entry->scanned = scanned;
			   __entry->freed = freed;
			   __entry->aged = aged;
			   __entry->queued = t.queued;
			   __entry->inflight = t.inflight;
			   __entry->stop = stop;
	    ),
	    TP_printk("%pS nid=%d memcg=%lu taken=%lu trim=%lu scanned=%lu freed=%lu aged=%lu queued=%lu inflight=%lu stop=%d",
		      __entry->shrink, __entry->nid, __entry->memcg,
		      __entry->taken, __entry->trim, __entry->scanned,
		      __entry->freed, __entry->aged, __entry->queued,
		      __entry->inflight, __entry->stop)
);

TRACE_EVENT(shrinker_reparent,
	    TP_PROTO(struct shrinker *s, struct shrinker_instance *child,
		     struct shrinker_instance *parent),
	    TP_ARGS(s, child, parent),
	    TP_STRUCT__entry(__field(void *, shrink)
			     __field(int, nid)
			     __field(unsigned long, memcg)
			     __field(unsigned long, parent)
			     __field(unsigned long, count)
			     __field(unsigned long, queued)
	    ),
	    TP_fast_assign(struct shrinker_trace_inst c, p;

			   shrinker_trace_inst(child, &c);
			   shrinker_trace_inst(parent, &p);
			   __entry->shrink = s->scan_objects;
			   __entry->nid = c.nid;
			   __entry->memcg = c.memcg;
			   __entry->parent = p.memcg;
			   __entry->count = p.count;
			   __entry->queued = p.queued;
	    ),
	    TP_printk("%pS nid=%d memcg=%lu parent=%lu count=%lu queued=%lu",
		      __entry->shrink, __entry->nid, __entry->memcg,
		      __entry->parent, __entry->count, __entry->queued)
);

TRACE_EVENT(shrinker_oom_decision,
	    TP_PROTO(unsigned long memcg, gfp_t gfp, int waits,
		     unsigned int waited_ms, unsigned long visited,
		     unsigned long inflight, unsigned long deferred,
		     unsigned long bytes, bool defer),
	    TP_ARGS(memcg, gfp, waits, waited_ms, visited, inflight, deferred,
		    bytes, defer),
	    TP_STRUCT__entry(__field(unsigned long, memcg)
			     __field(unsigned long, gfp)
			     __field(int, waits)
			     __field(unsigned int, waited_ms)
			     __field(unsigned long, visited)
			     __field(unsigned long, inflight)
			     __field(unsigned long, deferred)
			     __field(unsigned long, bytes)
			     __field(bool, defer)
	    ),
	    TP_fast_assign(__entry->memcg = memcg;
			   __entry->gfp = (__force unsigned long)gfp;
			   __entry->waits = waits;
			   __entry->waited_ms = waited_ms;
			   __entry->visited = visited;
			   __entry->inflight = inflight;
			   __entry->deferred = deferred;
			   __entry->bytes = bytes;
			   __entry->defer = defer;
	    ),
	    TP_printk("memcg=%lu gfp=%s waits=%d waited_ms=%u visited=%lu inflight=%lu deferred=%lu bytes=%lu decision=%s",
		      __entry->memcg, show_gfp_flags(__entry->gfp),
		      __entry->waits, __entry->waited_ms, __entry->visited,
		      __entry->inflight,
		      __entry->deferred, __entry->bytes,
		      __entry->defer ? "throttle" : "oom")
);

#endif /* _TRACE_SHRINKER_H */

#include <trace/define_trace.h>
