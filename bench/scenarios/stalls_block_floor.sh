#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The blocking-cache scenario's floor: the same load on a cache that frees
# what it scans at once.  What direct reclaim shows here is what the load
# costs whatever the cache does; report.py sets it beside the gates.
FORCE_MS=0 BLOCKING=0 exec sh /wb/bench/scenarios/stalls_block.sh
