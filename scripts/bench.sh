#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# "make bench": the series against stock 6.12 on the same workloads, in
# one run. Boots the stock kernel (build/obj/stock: tag "base" of
# build/linux, same config) and the patched one (build/obj/vswap) under
# the setups compared, one after the other, ROUNDS times (A B A B ...),
# and collects every figure the guest's vt-bench prints into
# OUTDIR/results.tsv; scripts/bench-report.sh turns that into the report.
#
#   bench.sh [-q] [-r ROUNDS] [-o OUTDIR] [-c CONFIGS] [-m CONFIGS] [-w NAMES]
#
# -q: QUICK, smaller workloads, one pair of setups (stock zswap + disk
# against patched zswap only), 2 rounds instead of 3. -c: comma-separated
# KERNEL/SETUP boots of one round, in order (default: every pair of
# docs/bench.md). -m: the same for the metadata boots of round 1 (see
# below). "none" for either: no such boot. -w: run only the workloads
# named (comma-separated: usemem-seq, usemem-rand, memhog, swapin, shmem,
# sort, swapoff), to look at one of them between full runs.
#
# The guests run with QEMU's -icount (shift=0, sleep=off): the guest's
# clock counts executed instructions (1 ns each) and skips idle time, so
# "guest" figures do not move with host load; the host's clock, read when
# the guest's marker lines arrive (vt-boot -M), gives the "host" figures.
set -euo pipefail
export LC_ALL=C

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

quick=0 rounds="" out="$top/build/bench" configs="" meta_configs="" only=""
while getopts qr:o:c:m:w: opt; do
	case $opt in
	q) quick=1 ;;
	r) rounds=$OPTARG ;;
	o) out=$OPTARG ;;
	c) configs=$OPTARG ;;
	m) meta_configs=$OPTARG ;;
	w) only=$OPTARG ;;
	*) die "usage: bench.sh [-q] [-r ROUNDS] [-o OUTDIR] [-c KERNEL/SETUP,...] [-m KERNEL/SETUP,...] [-w NAME,...]" ;;
	esac
done
[ -n "$rounds" ] || rounds=$((quick ? 2 : 3))
if [ -z "$configs" ]; then
	if [ $quick -eq 1 ]; then
		configs=stock/zswap,vswap/v-zswaponly
	else
		configs=stock/zswap,vswap/v-zswaponly,vswap/v-zswap,stock/disk,vswap/v-disk,stock/zram,vswap/v-zram
	fi
fi

declare -A kernel=(
	[stock]="$top/build/obj/stock/arch/x86/boot/bzImage"
	[vswap]="$top/build/obj/vswap/arch/x86/boot/bzImage"
)
mem=512M
icount="-icount shift=0,sleep=off"
# Under icount the vCPUs run in turn and the TSC sync check fails; the
# TSC (derived from the instruction count) is in fact one clock for both.
# Without it the kernel falls back to jiffies: 4 ms resolution.
kargs="tsc=reliable"

# Workload sizes, the same in QUICK and full runs. LIMIT is the
# memory.max of the workload's cgroup: the "RAM" the workloads are larger
# than (the guest itself has $mem, so that swapoff can bring everything
# back in). swapoff runs on the setups with a disk and no zswap.
limit=32M usemem=64M memhog=80M swapin=16M shmem=64M sortdata=16M
swapoff=96M swapoff_procs="1 8 64"

mkdir -p "$out/logs"
job=$(mktemp -d "${TMPDIR:-/tmp}/vt-bench.XXXXXX")
trap 'rm -rf "$job"' EXIT
mkdir -p "$job/job"
# The guest's part. Each workload checks what it reads back; "vt-bench
# run" reports its exit status as the figure "rc", and the host keeps the
# figures of a workload only when rc is 0.
cat > "$job/job/run" <<JOB
#!/bin/sh
only=",$only,"
# w NAME: whether NAME is among the workloads to run (all without -w).
w() { [ "\$only" = ",," ] || case "\$only" in *",\$1,"*) ;; *) return 1 ;; esac; }
b() { vt-bench run "\$@" || echo "@@VT bench-fail \$3"; }
if w usemem-seq; then
	b -c $limit usemem-seq $((2 * ${usemem%M}))M -- vt-anon -s $usemem -p 4 -m seq
fi
if w usemem-rand; then
	b -c $limit usemem-rand $((2 * ${usemem%M}))M -- vt-anon -s $usemem -p 4 -m rand
fi
if w memhog; then
	b -c $limit memhog $((2 * ${memhog%M}))M -- vt-anon -s $memhog -p 1 -m seq
fi
if w swapin; then
	vt-bench swapin -s $swapin || echo "@@VT bench-fail swapin"
fi
if w shmem; then
	b -c $limit shmem $((2 * ${shmem%M}))M -- vt-shmem -s $shmem -f /mnt/tmpfs/bench
	rm -f /mnt/tmpfs/bench
fi
if w sort; then
	vt-bench lines /mnt/tmpfs/lines $sortdata
	b -c $limit sort $sortdata -- sort -o /scratch/sorted /mnt/tmpfs/lines
	vt-bench sorted $sortdata /scratch/sorted || echo "@@VT bench-fail sort"
	rm -f /mnt/tmpfs/lines /scratch/sorted
fi
if w swapoff && grep -q '^/dev/vd' /proc/swaps && ! grep -q zswap.enabled=1 /proc/cmdline; then
	for p in $swapoff_procs; do
		vt-bench swapoff -s $swapoff -p \$p || echo "@@VT bench-fail swapoff-p\$p"
	done
fi
JOB
chmod +x "$job/job/run"

# The metadata boots: "vt-bench meta" on a 256 MiB swap disk (full means
# 240 MiB of it swapped), once per kernel and setup in the first round: a
# count, not a time (no -icount), and slab_nomerge so that zswap_entry has
# its own line in /proc/slabinfo.
meta_size=240M meta_disk=256M
if [ -n "$meta_configs" ]; then
	:
elif [ $quick -eq 1 ]; then
	meta_configs=stock/zswap,vswap/v-zswap
else
	meta_configs=stock/zswap,vswap/v-zswap,vswap/v-zswaponly,stock/disk,vswap/v-disk
fi
[ "$configs" != none ] || configs=""
[ "$meta_configs" != none ] || meta_configs=""
mkdir -p "$job/meta/job"
printf '#!/bin/sh\nvt-bench meta -s %s || echo "@@VT bench-fail meta"\n' "$meta_size" \
	> "$job/meta/job/run"
chmod +x "$job/meta/job/run"

# boot R KERNEL SETUP NAME JOBROOT QEMU_ARGS KERNEL_ARGS: one boot of the
# run; its kept figures go to results.tsv.
boot() {
	local r=$1 k=$2 s=$3 name=$4 jobroot=$5 qargs=$6 args=$7 log marks rc splats bad figs kept
	[ -f "${kernel[$k]:-}" ] || die "no $k kernel at ${kernel[$k]:-?}"
	log="$out/logs/r$r-$k-$name.log" marks="$out/logs/r$r-$k-$name.marks"
	info "round $r/$rounds: $k kernel, setup $s${name#"$s"} ($(($(date +%s) - start)) s so far)"
	rm -f "$log" "$marks"
	rc=0
	"$top/scripts/vt-boot" -q -k "${kernel[$k]}" -j "$jobroot" -s "$s" -m "$mem" \
		-t 1800 -l "$log" -M "$marks" -Q "$qargs" -a "$args" || rc=$?
	# The marks come through a pipe that may lag behind qemu's exit.
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		grep -q '@@VT exit' "$marks" 2>/dev/null && break
		sleep 0.5
	done
	touch "$log" "$marks"
	splats=$(awk -v prefix=bench -v names="" -v n0=0 -f "$top/scripts/parse-log.awk" \
		"$log" | grep -c '^not ok' || true)
	bad=$(grep -c '^@@VT bench-fail' "$log" || true)
	if [ "$rc" -ne 0 ] || [ "$splats" -ne 0 ] || [ "$bad" -ne 0 ]; then
		warn "$k/$name round $r: exit $rc, $splats console problem(s), $bad failed workload(s); see $log"
		failed=$((failed + 1))
	fi
	# A boot that crashed, timed out or splatted gives no figure.
	if [ "$rc" -ge 124 ] || [ "$splats" -ne 0 ]; then
		return 0
	fi
	# Guest figures. A workload is dropped whole when it failed, or
	# when its rc is missing (a console line mangled by a kernel
	# message), and so is any malformed figure line.
	figs=$(awk -v r="$r" -v k="$k" -v s="$s" '
		$1 == "@@VT" && $2 == "bench" && NF == 5 && $5 ~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/ {
			v[$3, $4] = $5; keys[$3] = keys[$3] " " $4
		}
		$1 == "@@VT" && $2 == "bench-fail" { bad[$3] = 1 }
		END {
			for (n in keys) {
				# The meta-P figures stand or fall with "meta".
				w = n ~ /^meta-/ ? "meta" : n
				if (bad[w] || !((w, "rc") in v) || v[w, "rc"] != 0)
					continue
				split(substr(keys[n], 2), ks, " ")
				for (i in ks)
					if (ks[i] != "rc")
						printf "%s\t%s\t%s\t%s\t%s\t%s\n", r, k, s, n, ks[i], v[n, ks[i]]
			}
		}' "$log")
	[ -z "$figs" ] || printf '%s\n' "$figs" >> "$out/results.tsv"
	# Host time of each kept workload with a start marker: from the
	# marker to its first figure (its time).
	kept=$(printf '%s\n' "$figs" | cut -f4 | sort -u | tr '\n' ' ')
	awk -v r="$r" -v k="$k" -v s="$s" -v kept="$kept" '
		BEGIN { n = split(kept, a, " "); for (i = 1; i <= n; i++) ok[a[i]] = 1 }
		$2 == "@@VT" && $3 == "bench-start" { t0[$4] = $1 }
		$2 == "@@VT" && $3 == "bench" && ($4 in t0) && ($4 in ok) {
			printf "%s\t%s\t%s\t%s\thost_s\t%.3f\n", r, k, s, $4, $1 - t0[$4]
			delete t0[$4]
		}' "$marks" >> "$out/results.tsv"
}

printf 'round\tkernel\tsetup\tname\tkey\tvalue\n' > "$out/results.tsv"
IFS=, read -ra boots <<<"$configs"
IFS=, read -ra metas <<<"$meta_configs"
failed=0 start=$(date +%s)
# The trees' revisions now: the kernels were built from them just before.
stock_rev=$(git -C "$top/build/linux" describe --tags --always base 2>/dev/null)
vswap_rev=$(git -C "$top/build/linux" describe --tags --always HEAD 2>/dev/null)
for ((r = 1; r <= rounds; r++)); do
	# A B in odd rounds, B A in even ones: a drift of the host over the
	# run weighs on both kernels alike.
	order=("${boots[@]}")
	if [ $((r % 2)) -eq 0 ]; then
		order=()
		for ((i = ${#boots[@]} - 1; i >= 0; i--)); do order+=("${boots[i]}"); done
	fi
	for b in "${order[@]}"; do
		boot "$r" "${b%%/*}" "${b#*/}" "${b#*/}" "$job" "$icount" "$kargs"
	done
	[ "$r" -eq 1 ] || continue
	for b in "${metas[@]}"; do
		VT_SWAP_SIZE=$meta_disk boot 1 "${b%%/*}" "${b#*/}" "${b#*/}-meta" "$job/meta" "" slab_nomerge
	done
done
{
	echo "command: scripts/bench.sh $*"
	echo "quick: $quick rounds: $rounds configs: $configs workloads: ${only:-all}"
	echo "guest RAM $mem, workload cgroup memory.max $limit, qemu $icount, kernel $kargs"
	echo "metadata: vt-bench meta -s $meta_size on a $meta_disk disk, round 1: $meta_configs"
	echo "stock: $stock_rev, vswap: $vswap_rev"
	echo "host: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)," \
		"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
	echo "qemu: $(qemu-system-x86_64 --version | head -n 1)"
	echo "elapsed: $(( $(date +%s) - start )) s, failed boots: $failed"
} > "$out/run.txt"
info "bench: $(($(wc -l < "$out/results.tsv") - 1)) figures in $out/results.tsv ($(( $(date +%s) - start )) s)"
[ $failed -eq 0 ] || die "$failed boot(s) failed; their figures are incomplete"
