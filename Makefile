# SPDX-License-Identifier: GPL-2.0
# Workbench for the shrinker rewrite: build, boot and measure a patched
# 6.12 kernel next to the unpatched one.  'make help' lists the targets.
#
# Variables: KSRC=/path/to/linux-6.12 (own base tree), FULLCONFIG=1
# (x86_64_defconfig instead of the lean guest config), DEBUG=1 (checker
# kernel) or DEBUG=kcsan (data-race detector), KVM=1 (use KVM instead
# of TCG), MEM=MiB (guest RAM), TESTS="coll:prog ..." (check),
# BENCH=quick|full, SCENARIOS="a b".

SHELL := /bin/bash
export KSRC DEBUG FULLCONFIG KVM MEM TESTS TEST_TIMEOUT APPEND NODES CHECK_NODES2 CHECK_MGLRU MGLRU BENCH BENCH_ENV SCENARIOS KERNELS JOBS

S := scripts

.PHONY: help deps tree kernel kernel-base rootfs check check-base bench series \
	status host-tests checkpatch clean distclean

help:
	@echo 'Shrinker workbench targets:'
	@echo '  make deps         install the Debian packages it needs (idempotent)'
	@echo '  make tree         lay out build/patched/linux: base + patches/series + overlay'
	@echo '  make kernel       build the patched kernel (DEBUG=1: lockdep/KASAN/kmemleak,'
	@echo '                    DEBUG=kcsan: the data-race detector)'
	@echo '  make kernel-base  build the unpatched base kernel from the same fragments'
	@echo '  make rootfs       build the guest userspace (busybox, stress-ng, fio, kselftests)'
	@echo '  make check        tests: host, checkpatch, series, KUnit + kselftests in QEMU'
	@echo '  make check-base   the same guest suite on the unpatched base kernel'
	@echo '  make bench        both kernels, bench scenarios, results/<timestamp>/report.md'
	@echo '  make status       write docs/status.md: every gate from the committed runs'
	@echo '  make series       export series + overlay as a format-patch series'
	@echo '  make host-tests   only the host-side workbench tests (no QEMU)'
	@echo '  make checkpatch   only checkpatch.pl --strict over project files and patches'
	@echo '  make clean        remove build/ except the extracted base and ccache'
	@echo 'Variables: KSRC=/path (own 6.12 tree)  DEBUG=1|kcsan  FULLCONFIG=1  KVM=1  MEM=MiB'
	@echo '           TESTS="cgroup:test_kmem ..."  TEST_TIMEOUT=s  APPEND="kernel args"'
	@echo '           BENCH=quick|full  SCENARIOS="..."  KERNELS="base patched"'
	@echo '           REPEAT=N (runs per kernel)  AA=1 (patched against itself)'

deps:
	@$(S)/deps.sh

tree:
	@$(S)/tree.sh

kernel: tree
	@$(S)/kernel.sh patched

kernel-base: tree
	@$(S)/kernel.sh base

rootfs: tree
	@$(S)/rootfs.sh

check:
	@$(S)/check.sh

check-base:
	@CHECK_KERNEL=base $(S)/check.sh

bench:
	@$(S)/bench.sh

series: tree
	@$(S)/series.sh

# Debian's python3 carries python3-scipy, whatever python3 PATH finds first
status:
	@py=/usr/bin/python3; [ -x $$py ] || py=python3; \
		$$py $(S)/status.py docs/runs docs/status.md && echo 'docs/status.md written'

host-tests:
	@bash tests/host/run.sh

checkpatch: tree
	@mkdir -p build/results && $(S)/checkpatch.sh build/results/checkpatch.tap && \
		! grep -q '^not ok' build/results/checkpatch.tap

clean:
	rm -rf build/patched build/base/obj* build/base/extra* build/base/mod* \
		build/rootfs build/kselftest build/results build/logs

distclean:
	rm -rf build
