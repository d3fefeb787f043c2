#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the stock kernel "make bench" compares the series with: tag
# "base" of build/linux (Debian's 6.12, no patch), checked out as a git
# worktree in build/stock, built with the same config fragments into
# build/obj/stock. Options of the series the stock tree lacks are ignored
# (scripts/build-kernel.sh says which).
#
#   build-stock.sh [-o OBJ] [BUILD-KERNEL ARGS...]
#
# -o and the rest of the arguments go to scripts/build-kernel.sh (-b BASE,
# fragments); OBJ defaults to build/obj/stock.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

src="$top/build/linux" stock="$top/build/stock"
base=$(git -C "$src" rev-parse -q --verify 'base^{commit}') ||
	die "$src has no tag 'base' (make source)"
if [ ! -e "$stock/.git" ]; then
	git -C "$src" worktree prune
	git -C "$src" worktree add -q --detach "$stock" "$base"
elif [ "$(git -C "$stock" rev-parse HEAD)" != "$base" ]; then
	git -C "$stock" checkout -q --detach "$base"
fi
obj="$top/build/obj/stock"
if [ "${1:-}" = -o ]; then
	obj=$2
	shift 2
fi
exec "$top/scripts/build-kernel.sh" -s "$stock" -o "$obj" "$@"
