#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Helpers shared by the host scripts. Sourced, not run.

top=${top:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

info() { printf '>> %s\n' "$*" >&2; }
warn() { printf '!! %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

need_root_for() {
	[ "$(id -u)" -eq 0 ] || die "$1 needs root"
}

# apply_series TREE: git am every patch named in patches/series, in order.
apply_series() {
	local tree=$1 p n=0
	[ -f "$top/patches/series" ] || return 0
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		git -C "$tree" am -q --keep-cr "$top/patches/$p" ||
			die "patch $p does not apply; see 'git -C $tree am --show-current-patch'"
		n=$((n + 1))
	done < "$top/patches/series"
	info "applied $n patch(es) from patches/series"
}

# setup_params SETUP: print "DISKS ZSWAP VSWAP" for a swap setup of
# guest/init. A "v-" prefix (v-zswaponly) boots the same setup with virtual
# swap on (vswap=on), an "a-" prefix with a virtual entry for every page
# (vswap=all); VSWAP is "on", "all" or "off".
setup_params() {
	local vswap=off
	case "$1" in
	v-*) vswap=on ;;
	a-*) vswap=all ;;
	esac
	printf '%s %s\n' "$(setup_base_params "$(setup_base "$1")")" "$vswap"
}

# setup_base SETUP: the setup without its vswap prefix.
setup_base() {
	case "$1" in
	v-* | a-*) echo "${1#?-}" ;;
	*) echo "$1" ;;
	esac
}

setup_base_params() {
	case "$1" in
	none) echo "0 0" ;;
	zswap) echo "1 1" ;;
	disk | faultydisk | ssd) echo "1 0" ;;
	zram) echo "0 0" ;;
	twodisks) echo "2 0" ;;
	zswaponly) echo "0 1" ;;
	*) die "unknown setup '$1' (none zswap disk ssd faultydisk zram twodisks zswaponly, each also with a v- prefix)" ;;
	esac
}

# blkdebug_rules: the QEMU blkdebug configuration of the "faultydisk"
# setup's swap disk. Slot N of a swap area is 4 KiB at sector 8N: the
# writes of slots 2001, 4049, ... (every 2048th from 2001) and the reads
# of slots 1001, 3049, ... fail with EIO, every time, up to slot 32768
# (128 MiB). The two sets are disjoint: a page written to a read-error
# slot is written fine and fails when it is read back.
blkdebug_rules() {
	local k
	for ((k = 0; k < 16; k++)); do
		printf '[inject-error]\nevent = "write_aio"\niotype = "write"\nerrno = "5"\nsector = "%d"\n\n' \
			$(((2001 + 2048 * k) * 8))
		printf '[inject-error]\nevent = "read_aio"\niotype = "read"\nerrno = "5"\nsector = "%d"\n\n' \
			$(((1001 + 2048 * k) * 8))
	done
}

# swap_text BZIMAGE: "START,END", the text of the swap code of the kernel
# built with BZIMAGE, in bytes relative to swap_writepage (KASLR moves
# them together): from the first byte of mm/page_io.o to the last of the
# last swap object linked (vswap_kunit.o, vswap.o or zswap.o), which the
# kernel links one after the other (mm/Makefile). For guest/tools/vt-fault,
# on the command line as vt.swaptext=. Prints nothing when the build
# directory (System.map, mm/*.o) is not next to BZIMAGE. (Cold parts of
# functions, in .text.unlikely, are elsewhere: a frame there does not
# count, but their callers' frames do.)
swap_text() {
	local obj map o last="" anchor start end
	obj=$(cd "$(dirname "$1")/../../.." && pwd) map=$obj/System.map
	[ -f "$map" ] && [ -f "$obj/mm/page_io.o" ] || return 0
	for o in zswap vswap vswap_kunit; do
		[ -n "$(text_start "$obj" "$o")" ] && last=$o
	done
	[ -n "$last" ] || return 0
	anchor=$(awk '$3 == "swap_writepage" { print $1; exit }' "$map")
	start=$(text_start "$obj" page_io)
	[ -n "$anchor" ] && [ -n "$start" ] || return 0
	start=$((start - 0x$anchor))
	end=$(($(text_start "$obj" "$last") + $(size -A "$obj/mm/$last.o" |
		awk '$1 == ".text" { print $2 }') - 0x$anchor))
	echo "$start,$end"
}

# text_start OBJDIR NAME: where the .text of mm/NAME.o begins in the
# kernel of OBJDIR, found through a function of its .text whose name is
# unique in System.map; nothing when the object is not linked in.
text_start() {
	local off sym addr
	[ -f "$1/mm/$2.o" ] || return 0
	while read -r off sym; do
		addr=$(awk -v s="$sym" '$3 == s { n++; a = $1 } END { if (n == 1) print a }' \
			"$1/System.map")
		if [ -n "$addr" ]; then
			echo $((0x$addr - 0x$off))
			return 0
		fi
	done < <(objdump -t "$1/mm/$2.o" | awk 'NF >= 6 && $(NF - 2) == ".text" && $(NF - 3) == "F" { print $1, $NF }')
}

# shell_quote WORD: WORD single-quoted for a POSIX shell.
shell_quote() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}
