#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Check that every patch of the series builds on its own, and run
# checkpatch.pl on each. Builds each commit after "base" of build/linux,
# in order, in a separate worktree (build/series) and object directory
# (build/obj/series), with the guest config. The first commit costs a
# full build; the next ones are incremental.
#
#   check-series.sh
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

tree="$top/build/linux"
wt="$top/build/series"
commits=$(git -C "$tree" rev-list --reverse base..HEAD)
[ -n "$commits" ] || die "no commit after base in $tree"

if [ ! -d "$wt" ]; then
	git -C "$tree" worktree add -q --detach "$wt" base
fi
bad=0
for c in $commits; do
	subject=$(git -C "$tree" log -1 --format=%s "$c")
	git -C "$wt" checkout -q --detach "$c"
	info "building $(git -C "$tree" log -1 --format='%h %s' "$c")"
	if "$top/scripts/build-kernel.sh" -s "$wt" -o "$top/build/obj/series" >/dev/null; then
		echo "ok build: $subject"
	else
		echo "not ok build: $subject"
		bad=1
	fi
	remarks=$(git -C "$tree" format-patch --stdout -1 "$c" |
		"$tree/scripts/checkpatch.pl" --no-tree -q - || true)
	if grep -q '^ERROR' <<<"$remarks"; then
		grep '^ERROR' <<<"$remarks"
		echo "not ok checkpatch (errors): $subject"
		bad=1
	else
		echo "ok checkpatch (no errors): $subject"
	fi
done
exit $bad
