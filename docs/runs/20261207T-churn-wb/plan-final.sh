#!/bin/sh
cd /kselftest/shrinker || exit 1
mount -t debugfs none /sys/kernel/debug 2>/dev/null
uname -v
./test_providers.sh 2>&1 | sed 's/^/[prov] /'
[ "${WBX:-1}" = 1 ] && sh /wbx/plan-wb-held.sh
./test_churn_wbpin.sh 2>&1 | sed 's/^/[wbpin] /' | grep -v "^\[wbpin\] # \["
echo "plan done"
