#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Helpers shared by the host scripts. Sourced, not run.

top=${top:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

info() { printf '>> %s\n' "$*" >&2; }
warn() { printf '!! %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

need_root_for() {
	[ "$(id -u)" -eq 0 ] || die "$1 needs root (apt-get)"
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
# swap on (vswap=on); VSWAP is "on" or "off".
setup_params() {
	local vswap=off
	case "$1" in
	v-*) vswap=on ;;
	esac
	printf '%s %s\n' "$(setup_base_params "${1#v-}")" "$vswap"
}

setup_base_params() {
	case "$1" in
	none) echo "0 0" ;;
	zswap) echo "1 1" ;;
	disk) echo "1 0" ;;
	zram) echo "0 0" ;;
	twodisks) echo "2 0" ;;
	zswaponly) echo "0 1" ;;
	*) die "unknown setup '$1' (none zswap disk zram twodisks zswaponly, each also with a v- prefix)" ;;
	esac
}

# shell_quote WORD: WORD single-quoted for a POSIX shell.
shell_quote() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}
