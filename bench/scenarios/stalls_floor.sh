#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The stalls scenario's floor: the same page-cache and anon load and the
# same 150 MB cache, whose objects cost nothing to scan.  What PSI and
# direct reclaim show here is the LRU reclaim the load needs whatever
# the shrinkers do; report.py sets it beside the stalls gates.
SLOW_SCAN_COST_NS=0 exec sh /wb/bench/scenarios/stalls.sh
