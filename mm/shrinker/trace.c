// SPDX-License-Identifier: GPL-2.0
/*
 * The shrinker tracepoints, made from their header alone: it must need
 * nothing of mm/shrinker/'s internals, so that it stays out of the event
 * format and any file can include it.
 */
#define CREATE_TRACE_POINTS
#include <trace/events/shrinker.h>
