#!/bin/sh
cd /kselftest/shrinker || exit 1
mount -t debugfs none /sys/kernel/debug 2>/dev/null
uname -v
sh /wbx/plan-wb-held.sh
./test_churn_wbpin.sh 2>&1 | sed 's/^/[wbpin] /' | grep -v "^\[wbpin\] # \["
./test_providers.sh 2>&1 | sed 's/^/[prov] /'
( while :; do date >>/root/w.log; sleep 0.3; done ) &
W=$!
i=0
while [ $i -lt 3 ]; do
	i=$((i + 1))
	./test_churn.sh 2>&1 | sed "s/^/[$i] /" | grep -v "^\[$i\] # \["
done
kill $W
echo "plan done"
