#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Extract Debian's linux-source-6.12 into build/linux as a git repository
# whose first commit (tag "base") is the pristine source, then apply the
# series in patches/ (order from patches/series) with git am.
#
# An existing tree is left alone (it may hold work in progress); pass
# --force to throw it away and start again from the package.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

force=0
[ "${1:-}" = "--force" ] && force=1

tree="$top/build/linux"
tarball=/usr/src/linux-source-6.12.tar.xz
tested=$(cat "$top/patches/TESTED-ON")

if [ -d "$tree/.git" ] && [ $force -eq 0 ]; then
	if ! git -C "$tree" rev-parse -q --verify base >/dev/null; then
		die "$tree exists but has no 'base' tag; rerun with --force"
	fi
	exit 0
fi

if [ ! -f "$tarball" ]; then
	need_root_for "installing linux-source-6.12"
	apt-get install -y -q linux-source-6.12 >&2
fi

have=$(dpkg-query -W -f '${Version}' linux-source-6.12 2>/dev/null || echo unknown)
if [ "$have" != "$tested" ]; then
	warn "linux-source-6.12 is $have; the series was last tested on $tested. Applying anyway."
fi

rm -rf "$tree"
mkdir -p "$top/build"
tmp="$top/build/.extract.$$"
rm -rf "$tmp" && mkdir -p "$tmp"
info "extracting $tarball"
tar -C "$tmp" -xf "$tarball"
mv "$tmp"/linux-source-6.12 "$tree"
rmdir "$tmp"

cd "$tree"
info "creating git repository (base = linux-source-6.12 $have)"
git init -q
git config user.name "vswap harness"
git config user.email "vswap@localhost"
git config core.autocrlf false
# Debian's packaging adds a rule ignoring every top-level path of the
# tree; drop it so that git sees the kernel as upstream does.
sed -i '/^# Debian packaging: ignore everything/,$d' .gitignore
git add -A
git commit -q -m "Linux 6.12 from Debian linux-source-6.12 $have"
git tag base

apply_series "$tree"
