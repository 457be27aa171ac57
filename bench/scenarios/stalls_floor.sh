#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The stalls scenario's floor: the same page-cache and anon load and the
# same 150 MB cache, whose objects cost nothing to scan.  What PSI and
# direct reclaim show here is the LRU reclaim the load needs whatever
# the shrinkers do.  No gate reads it since stalls' direct-reclaim gates
# were retired for stalls_block's (whose floor is stalls_block_floor);
# it stays in the report as information.
SLOW_SCAN_COST_NS=0 exec sh /wb/bench/scenarios/stalls.sh
