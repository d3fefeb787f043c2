#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install the Debian 12 packages the harness needs (as root, apt-get).
# Only missing packages are installed.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

pkgs=(
	linux-source-6.12	# the kernel the series applies to
	build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils
	rsync			# headers_install, for the selftests
	ccache git
	qemu-system-x86		# the guest (TCG)
	busybox-static		# the guest's userland
	shellcheck		# "make check"
	gnuplot-nox		# the chart of "make bench"
	mmdebstrap		# the Debian root of "make bench"
	linux-config-6.12	# Debian's kernel configs, for "make bench"
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing+=("$p")
done
[ ${#missing[@]} -gt 0 ] || exit 0
need_root_for "installing ${missing[*]}"
info "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
