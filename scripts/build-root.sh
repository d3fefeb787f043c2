#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the Debian root filesystem the guests of "make bench" run real
# programs from: mmdebstrap (minbase, Debian 12) with the packages of
# guest/root/packages, made into an ext2 image, build/root/debian.img.
# scripts/vt-boot -r attaches it read-only; guest/init mounts it on
# /debian. Rebuilt only when the package list (or this script) changes.
#
# The code base of the bench's compile job is in it too: the guest
# programs' sources as they were when the root was built, in
# /usr/src/vt-guest, with the SHA256SUMS of what the root's own gcc makes
# of them here (built in a chroot), so that the guest can check every
# byte the compile job wrote:
#   cd /usr/src/vt-guest && CFLAGS=-O2 make OUT=DIR && cd DIR && sha256sum -c ...
#
#   build-root.sh [-o IMAGE]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

img="$top/build/root/debian.img"
while getopts o: opt; do
	case $opt in
	o) img=$(realpath -m "$OPTARG") ;;
	*) die "usage: build-root.sh [-o IMAGE]" ;;
	esac
done
list="$top/guest/root/packages"
tar="$(dirname "$img")/base.tar"
stamp="$img.stamp"
# Two stages: the mmdebstrap tarball, redone when the package list
# changes; the image, redone when the tarball or this script changes.
tar_want=$(sha256sum < "$list" | cut -d' ' -f1)
want=$( (echo "$tar_want"; cat "$0") | sha256sum | cut -d' ' -f1)
if [ -f "$img" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
	exit 0
fi
need_root_for "building the Debian root"
mkdir -p "$(dirname "$img")"
start=$(date +%s)
if [ ! -f "$tar" ] || [ "$(cat "$tar.stamp" 2>/dev/null)" != "$tar_want" ]; then
	command -v mmdebstrap >/dev/null || die "mmdebstrap is missing (scripts/install-deps.sh)"
	pkgs=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$list" | tr -s ' \n' ',' | sed 's/,$//')
	info "mmdebstrap: Debian 12 minbase with $pkgs"
	# The apt sources of this machine reach Debian's archive (or a mirror).
	mmdebstrap --quiet --variant=minbase --format=tar --include="$pkgs" \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		bookworm "$tar.tmp" >&2
	mv "$tar.tmp" "$tar"
	echo "$tar_want" > "$tar.stamp"
fi
tmp=$(mktemp -d "$(dirname "$img")/root.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/dir"
tar -C "$tmp/dir" -xf "$tar"
# What the guest expects to find: mount points for the scratch disk.
mkdir -p "$tmp/dir/scratch"
cb="$tmp/dir/usr/src/vt-guest"
mkdir -p "$cb"
cp -r "$top/guest/Makefile" "$top/guest/lib" "$top/guest/workloads" "$top/guest/tools" \
	"$top/guest/bench" "$cb/"
chroot "$tmp/dir" /usr/bin/env -i PATH=/usr/bin:/bin CFLAGS=-O2 \
	make -s -C /usr/src/vt-guest OUT=/tmp/vt-ref -j"$(nproc)" >&2
(cd "$tmp/dir/tmp/vt-ref" && sha256sum -- *) > "$cb/SHA256SUMS"
rm -rf "$tmp/dir/tmp/vt-ref"
# Each package installed, with its version, for the bench report.
# shellcheck disable=SC2016 # dpkg-query's own ${field} syntax
chroot "$tmp/dir" dpkg-query -W -f '${Package} ${Version}\n' > "$img.versions"
used=$(du -sm "$tmp/dir" | cut -f1)
rm -f "$img"
mke2fs -q -t ext2 -L vtroot -d "$tmp/dir" "$img" "$((used * 5 / 4 + 64))M"
echo "$want" > "$stamp"
info "built $img ($((used)) MiB used) in $(( $(date +%s) - start )) s"
