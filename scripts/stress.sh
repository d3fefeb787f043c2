#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The long stress run of "make stress": one guest boot in which
# guest/workloads/vt-stress runs its processes for MINUTES (default 30)
# under fault injection (guest/tools/vt-fault: 1% of the allocations of
# the swap paths fail), with the cgroup's memory.zswap.max moving so that
# zswap writes back to the disk meanwhile (-w, for the setups with zswap
# and a disk), then checks every byte and that the entries in use drain.
# Prints the TAP result and the totals; exits non-zero when anything
# failed.
#
#   stress.sh [-t MINUTES] [-s SETUP] [-k BZIMAGE] [-o LOGDIR]
#
# SETUP defaults to v-zswap (zswap and a swap disk, virtual swap on), with
# 512 MiB of RAM; the console log is LOGDIR/SETUP-512M.log (default
# build/stress-logs).
set -euo pipefail
# The whole script is one brace group, read before any of it runs:
# editing the file cannot change a run already under way.
{

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

minutes=30 setup=v-zswap kernel="" logdir="$top/build/stress-logs"
while getopts t:s:k:o: opt; do
	case $opt in
	t) minutes=$OPTARG ;;
	s) setup=$OPTARG ;;
	k) kernel=$OPTARG ;;
	o) logdir=$OPTARG ;;
	*) die "usage: stress.sh [-t MINUTES] [-s SETUP] [-k BZIMAGE] [-o LOGDIR]" ;;
	esac
done
if ! [[ $minutes =~ ^[1-9][0-9]*$ ]]; then
	die "-t wants a number of minutes"
fi

secs=$((minutes * 60))
list=$(mktemp "${TMPDIR:-/tmp}/vt-stress.XXXXXX")
trap 'rm -f "$list"' EXIT
# -w (zswap writes back to a disk, and must have by the end) wants both.
read -r disks zswap _ <<<"$(setup_params "$setup")"
wb=""
[ "$disks" -ge 1 ] && [ "$zswap" -eq 1 ] && wb=" -w"
# The workload's own timeout: the run, its final check, and room.
echo "$setup:512M stress $((secs + 900)) vt-fault -p 1 -n 1000000 --" \
	"vt-stress -t $secs -s 192M -p 16 -x 50 -o 60$wb" > "$list"

info "stress: $minutes min on $setup; console in $logdir/$setup-512M.log"
rc=0
"$top/scripts/run-tests.sh" ${kernel:+-k "$kernel"} -l "$list" -s "$setup" -o "$logdir" || rc=$?
echo "# totals:"
grep -E '^# (totals|  )|^(not )?ok .*(fault|vt-stress|worker|byte|swapped|wrote back|entries|OOM kill)' \
	"$logdir/$setup-512M.log" || true
exit "$rc"
}
