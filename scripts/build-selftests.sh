#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build, statically, the kernel selftests that swap pages out, from the
# same tree as the kernel (build/linux), into build/selftests/. Nothing is
# done when build/selftests/.stamp says they were built from the tree's
# HEAD by this very script.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

src="$top/build/linux"
hdr="$top/build/obj/headers"
out="$top/build/selftests"
st="$src/tools/testing/selftests"

want="$(git -C "$src" rev-parse HEAD) $(sha256sum "$0" | cut -d' ' -f1)"
if [ "$(cat "$out/.stamp" 2>/dev/null)" = "$want" ]; then
	exit 0
fi

info "installing kernel headers for the selftests"
make -s -C "$src" O="$hdr" INSTALL_HDR_PATH="$hdr/usr" headers_install

rm -rf "$out"
mkdir -p "$out/cgroup" "$out/mm"
smake() {
	local dir=$1
	shift
	make -s -C "$st/$dir" OUTPUT="$out/$dir" KHDR_INCLUDES="-isystem $hdr/usr/include" \
		LDFLAGS=-static "${@/#/$out/$dir/}"
}
smake cgroup test_zswap test_memcontrol
smake mm cow madv_populate pagemap_ioctl ksm_functional_tests
# The objects the selftest makefiles leave next to the binaries.
find "$out" -name '*.o' -delete
echo "$want" > "$out/.stamp"
info "selftests: $(cd "$out" && find . -type f -perm -u+x | sort | tr '\n' ' ')"
