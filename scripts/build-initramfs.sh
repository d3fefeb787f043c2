#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the base initramfs of the guest: Debian's static busybox, guest/init,
# the project's guest programs, and the kernel selftests from
# build/selftests when they have been built (scripts/build-selftests.sh).
#
#   build-initramfs.sh [OUTPUT]     (default build/initramfs.cpio.gz)
#
# A run adds its job (/job/run and programs) as a second archive; see
# scripts/vt-boot.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

out=${1:-$top/build/initramfs.cpio.gz}
busybox=/bin/busybox
if [ ! -x "$busybox" ] || ! dpkg-query -W busybox-static >/dev/null 2>&1; then
	need_root_for "installing busybox-static"
	apt-get install -y -q busybox-static >&2
fi

make -s -C "$top/guest" OUT="$top/build/guest"

root="$top/build/initramfs-root"
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,root,etc,mnt}
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
cp "$top/guest/init" "$root/init"
cp "$top/guest/vt-job-lib" "$top/guest/vt-kunit" "$top/guest/vt-stats" "$top/guest/vt-kmemleak" \
	"$top/guest/vt-swapfile" "$top/guest/vt-debian" "$root/bin/"
cp "$top"/build/guest/vt-* "$root/bin/"
if [ -d "$top/build/selftests" ]; then
	cp -r "$top/build/selftests" "$root/selftests"
fi
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
echo "root:x:0:" > "$root/etc/group"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$root/etc/hosts"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) |
	gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
info "initramfs: $out ($(du -h "$out" | cut -f1))"
