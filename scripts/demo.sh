#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# "make run": boot the kernel built from the series and run the demo, a
# workload of twice the guest's RAM (compressible data, every byte
# verified) under zswap, then print what was swapped where.
#
#   demo.sh [-k BZIMAGE] [-s SETUP] [-m MEM]
#
# SETUP defaults to $DEMO_SETUP or v-zswaponly: virtual swap on, zswap on,
# and no swap device at all. (DEMO_SETUP=zswaponly shows the same workload
# killed for want of swap with vswap off, as on stock 6.12.)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

kernel="$top/build/obj/vswap/arch/x86/boot/bzImage"
setup=${DEMO_SETUP:-v-zswaponly} mem=${VT_MEM:-256M}
while getopts k:s:m: opt; do
	case $opt in
	k) kernel=$OPTARG ;;
	s) setup=$OPTARG ;;
	m) mem=$OPTARG ;;
	*) die "usage: demo.sh [-k BZIMAGE] [-s SETUP] [-m MEM]" ;;
	esac
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vt-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/job/job" "$top/build/test-logs"
cat > "$tmp/job/job/run" <<'JOB'
#!/bin/sh
vt-stats before
vt-anon -s 200% -p 2 -m seq -l 2 -d high &
pid=$!
while kill -0 $pid 2>/dev/null; do
	vt-stats sample pool
	sleep 1
done
wait $pid
rc=$?
vt-stats after
exit $rc
JOB
chmod +x "$tmp/job/job/run"
log="$top/build/test-logs/demo.log"
info "booting $(basename "$(dirname "$(dirname "$(dirname "$(dirname "$kernel")")")")") kernel, setup $setup, $mem RAM (log: $log)"
rc=0
start=$(date +%s.%N)
"$top/scripts/vt-boot" -k "$kernel" -j "$tmp/job" -s "$setup" -m "$mem" \
	-t 900 -l "$log" || rc=$?
end=$(date +%s.%N)

declare -A st
while read -r _ _ tag key val; do
	st[$tag.$key]=$val
done < <(grep '^@@VT stat [a-z]* [A-Za-z_]* [0-9.]*$' "$log")
# The zswap pool when it held the most pages: "STORED BYTES".
read -r stored pool < <(sed -n 's/^@@VT stat sample pool //p' "$log" | sort -n | tail -n 1) || true
d() { echo $(( ${st[after.$1]:-0} - ${st[before.$1]:-0} )); }
mib() { awk -v p="$1" 'BEGIN { printf "%.1f MiB", p * 4096 / 1048576 }'; }

splats=$(awk -v prefix=demo -v names="" -v n0=0 -f "$top/scripts/parse-log.awk" "$log" |
	grep -c '^not ok' || true)
echo
echo "==== vswap demo report ===="
echo "kernel:       $(sed -n "s/^@@VT setup [^ ]* ok: kernel \([^,]*\),.*/\1/p" "$log")" \
	"($(git -C "$top/build/linux" describe --tags --always 2>/dev/null))"
echo "setup:        $setup, guest RAM $mem, $(sed -n "s/^@@VT setup [^ ]* ok: kernel [^,]*, //p" "$log")"
echo "workload:     vt-anon -s 200% -p 2 -d high (pages compressing ~20:1, written, verified twice)"
echo "swap devices: ${st[after.swap_devices]:-?} (in /proc/swaps);" \
	"SwapTotal $(( ${st[after.SwapTotal]:-0} / 1024 )) MiB"
if [ -n "${st[after.vswap_slots]:-}" ]; then
	echo "vswap:        on; after the workload: ${st[after.vswap_in_use]} entries in use" \
		"(zswap ${st[after.vswap_zswap]}, device ${st[after.vswap_device]}, zero ${st[after.vswap_zero]})," \
		"metadata $(( ${st[after.vswap_metadata_bytes]} / 1024 )) KiB"
else
	echo "vswap:        off"
fi
echo "swapped out:  to zswap $(d zswpout) pages ($(mib "$(d zswpout)")), to disk $(d pswpout) pages ($(mib "$(d pswpout)"))"
echo "swapped in:   from zswap $(d zswpin) pages, from disk $(d pswpin) pages"
echo "zswap:        written back $(d zswpwb) pages; rejected as incompressible $(d zswap_reject_compress_poor)"
stored=${stored:-0} pool=${pool:-0}
echo "zswap pool:   at its largest $stored pages ($(mib "$stored")) in" \
	"$(awk -v b="$pool" 'BEGIN { printf "%.1f MiB", b / 1048576 }'), compression ratio" \
	"$(awk -v s="$stored" -v b="$pool" 'BEGIN { if (b > 0) printf "%.2f", s * 4096 / b; else print "n/a" }')"
guest_s=$(awk -v a="${st[before.uptime]:-0}" -v b="${st[after.uptime]:-0}" 'BEGIN { printf "%.1f", b - a }')
host_s=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
echo "time:         workload ${guest_s} s guest time; boot to power-off ${host_s} s host time"
if [ "$rc" -eq 0 ] && [ "$splats" -eq 0 ]; then
	echo "result:       PASS (every byte verified, console clean)"
else
	echo "result:       FAIL (workload exit $rc, $splats console problem(s); see $log)"
	exit 1
fi
