# SPDX-License-Identifier: GPL-2.0-only
#
# vswap: build, boot, test and measure the series in patches/.
#
#   make run      build what is missing, boot, run the demo, print a report
#   make test     build what is missing, run every suite (TAP)
#   make bench    the series against stock 6.12, A B A B, on kernels built
#                 from Debian's own config, report in docs/
#                 (QUICK=1: a short run on the test kernels, report in
#                 build/bench-quick/)
#   make stress   30 minutes of vt-stress under fault injection
#                 (MINUTES=N, SETUP=name to change them)
#   make test-debug  the suites on a debug kernel (KASAN, kmemleak,
#                 lockdep, DEBUG_VM, DEBUG_LIST); hours, not in CI
#
# See README.md. Set SETUPS=zswap,disk to run the suites of some setups only.

SHELL := /bin/bash
TOP := $(CURDIR)
B := $(TOP)/build
SRC := $(B)/linux
OBJ := $(B)/obj/vswap
BZIMAGE := $(OBJ)/arch/x86/boot/bzImage
INITRAMFS := $(B)/initramfs.cpio.gz
SELFTESTS := $(B)/selftests/.stamp
DEPS := $(B)/.deps-installed

GUEST_SRC := $(wildcard guest/*/*.c guest/*/*.h) guest/init guest/vt-job-lib guest/vt-debian \
	guest/vt-kunit guest/vt-stats guest/vt-kmemleak guest/Makefile

.PHONY: all run test test-debug debug stress bench bench-kernels root deps kernel stock initramfs selftests source export check clean distclean FORCE

all: kernel initramfs

deps: $(DEPS)
$(DEPS): scripts/install-deps.sh
	scripts/install-deps.sh
	@mkdir -p $(B) && touch $@

source: $(SRC)/.git/HEAD
$(SRC)/.git/HEAD: | $(DEPS)
	scripts/prepare-source.sh

# The kernel's own make decides what is out of date.
kernel: source
	scripts/build-kernel.sh

stress: kernel initramfs
	scripts/stress.sh $(if $(MINUTES),-t $(MINUTES)) $(if $(SETUP),-s $(SETUP))

# The debug kernel of "make test-debug": the same config plus the checkers.
DEBUG_OBJ := $(B)/obj/debug
debug: source
	scripts/build-kernel.sh -o $(DEBUG_OBJ) configs/guest.config configs/debug.config

# The stock kernel of "make bench": tag "base" in a worktree, same config.
stock: source
	scripts/build-stock.sh

# The kernels of "make bench": Debian's own config (linux-config-6.12)
# plus configs/debian.config, stock and patched; bzImage only.
DEBIAN_CONFIG := /usr/src/linux-config-6.12/config.amd64_none_amd64.xz
bench-kernels: source
	scripts/build-kernel.sh -o $(B)/obj/deb-vswap -b $(DEBIAN_CONFIG) configs/debian.config
	scripts/build-stock.sh -o $(B)/obj/deb-stock -b $(DEBIAN_CONFIG) configs/debian.config

# The Debian root of the bench's real programs (mmdebstrap).
root: | $(DEPS)
	scripts/build-root.sh

# build-selftests.sh rebuilds (and touches the stamp) only when the
# tree's HEAD moved; the initramfs follows the stamp.
selftests: $(SELFTESTS)
$(SELFTESTS): FORCE $(SRC)/.git/HEAD | $(DEPS)
	scripts/build-selftests.sh

initramfs: $(INITRAMFS)
$(INITRAMFS): $(GUEST_SRC) $(SELFTESTS) scripts/build-initramfs.sh | $(DEPS)
	scripts/build-initramfs.sh

run: kernel initramfs
	scripts/demo.sh

test: kernel stock initramfs
	scripts/run-tests.sh $(if $(SETUPS),-s $(SETUPS))

# Every suite but the bench smoke run (which compares two kernels), each
# boot ending with a kmemleak scan.
DEBUG_SETUPS := none,zswap,disk,zram,twodisks,zswaponly,faultydisk,v-zswap,v-disk,v-zram,v-twodisks,v-zswaponly,v-faultydisk,kunit,harness,bootargs
test-debug: debug initramfs
	scripts/run-tests.sh -d -k $(DEBUG_OBJ)/arch/x86/boot/bzImage \
		-o $(B)/test-debug-logs -s $(if $(SETUPS),$(SETUPS),$(DEBUG_SETUPS))

ifeq ($(QUICK),1)
bench: kernel stock initramfs
	scripts/bench.sh -q -o $(B)/bench-quick
	scripts/bench-report.sh -o $(B)/bench-quick/report.md $(B)/bench-quick
else
bench: bench-kernels root initramfs
	scripts/bench.sh -o $(B)/bench
	scripts/bench-report.sh -o $(TOP)/docs/bench-results.md $(B)/bench
endif

# Export the commits after "base" in build/linux to patches/.
export:
	scripts/export-patches.sh

# Static checks of the harness itself.
check:
	shellcheck -x scripts/*.sh scripts/vt-boot scripts/vt-run guest/init \
		guest/vt-job-lib guest/vt-kunit guest/vt-stats guest/vt-kmemleak guest/vt-debian .ci/run
	$(MAKE) -C guest OUT=$(B)/guest-check

clean:
	rm -rf $(B)/obj $(B)/guest $(B)/initramfs* $(B)/selftests $(B)/test-logs \
		$(B)/bench $(B)/bench-quick

distclean:
	rm -rf $(B)

FORCE:
