#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build a guest kernel out of tree.
#
#   build-kernel.sh [-s SRC] [-o OBJ] [-b BASE] [FRAGMENT...]
#
# SRC defaults to build/linux, OBJ to build/obj/vswap, and the fragments to
# configs/guest.config. The config is "make tinyconfig" plus the fragments,
# or with -b the config file BASE (xz-compressed or not) plus the
# fragments; every option a fragment names is checked to have taken the
# value asked, and with -b the difference from BASE is written to
# OBJ/base-config.diff. The result is OBJ/arch/x86/boot/bzImage (and
# OBJ/vmlinux for gdb).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

src="$top/build/linux"
obj="$top/build/obj/vswap"
base=""
while getopts s:o:b: opt; do
	case $opt in
	s) src=$(realpath "$OPTARG") ;;
	o) obj=$(realpath -m "$OPTARG") ;;
	b) base=$(realpath "$OPTARG") ;;
	*) die "usage: $0 [-s SRC] [-o OBJ] [-b BASE] [FRAGMENT...]" ;;
	esac
done
shift $((OPTIND - 1))
frags=("$@")
[ ${#frags[@]} -gt 0 ] || frags=("$top/configs/guest.config")

mkdir -p "$obj"
jobs=$(nproc)
cc=gcc
if command -v ccache >/dev/null; then
	cc="ccache gcc"
	# Paths below the project are hashed relative to it, so that another
	# clone (CI's) hits the same cache entries.
	export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$top}
fi
kmake() { make -s -C "$src" O="$obj" CC="$cc" -j"$jobs" "$@"; }

# Regenerate the config only when a fragment or the tree's Kconfig files
# changed, so that an incremental build stays incremental.
stamp="$obj/.fragments"
want=$( (cat "${frags[@]}" ${base:+"$base"}; find "$src" -name 'Kconfig*' -type f | LC_ALL=C sort |
	xargs cat) | sha256sum | cut -d' ' -f1)
if [ ! -f "$obj/.config" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	info "configuring $obj from ${frags[*]}"
	if [ -n "$base" ]; then
		case "$base" in
		*.xz) xz -dc "$base" ;;
		*) cat "$base" ;;
		esac > "$obj/.config.base"
		cp "$obj/.config.base" "$obj/.config"
	else
		kmake tinyconfig >/dev/null
	fi
	"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
		"${frags[@]}" >/dev/null
	kmake olddefconfig >/dev/null
	bad=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=n)
			opt=${line%%=*}
			if grep -q "^$opt=" "$obj/.config"; then
				warn "$opt is set, the fragment wants it off"
				bad=1
			fi ;;
		CONFIG_*=*)
			opt=${line%%=*}
			if ! grep -rqE --include='Kconfig*' "^\s*(menu)?config ${opt#CONFIG_}\s*$" "$src"; then
				# Options of the series, absent from the stock tree.
				info "$opt is not defined in this tree; ignored"
			elif ! grep -qxF "$line" "$obj/.config"; then
				warn "$line did not stick (dependency missing?)"
				bad=1
			fi ;;
		esac
	done < <(cat "${frags[@]}")
	[ $bad -eq 0 ] || die "config check failed for $obj"
	if [ -n "$base" ]; then
		"$src/scripts/diffconfig" "$obj/.config.base" "$obj/.config" \
			> "$obj/base-config.diff"
		info "$(wc -l < "$obj/base-config.diff") option(s) differ from $base ($obj/base-config.diff)"
	fi
	echo "$want" > "$stamp"
fi

info "building $obj ($(git -C "$src" describe --always --tags 2>/dev/null))"
start=$(date +%s)
kmake bzImage
info "built in $(( $(date +%s) - start )) s: $obj/arch/x86/boot/bzImage"
