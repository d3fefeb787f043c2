#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# "make bench": the series against stock 6.12 on the same workloads, in
# one run. Boots the stock kernel (tag "base" of build/linux) and the
# patched one, built from the same config, under the setups compared,
# ROUNDS times (A B A B ...), and collects every figure the guest's
# vt-bench and vt-redis print into OUTDIR/results.tsv;
# scripts/bench-report.sh turns that into the report.
#
#   bench.sh [-q] [-r ROUNDS] [-o OUTDIR] [-c CONFIGS] [-m CONFIGS] [-w NAMES]
#            [-K debian|guest] [-j JOBS] [-R ROOTIMG]
#
# -K: the kernels. "debian" (the default of a full run): Debian's own
# amd64 config with configs/debian.config (build/obj/deb-stock,
# build/obj/deb-vswap: "make bench-kernels"), as users run them. "guest"
# (the default of -q): configs/guest.config, the debug-heavy test kernels
# (build/obj/stock, build/obj/vswap). -q: QUICK, smaller workloads, one
# pair of setups (stock zswap + disk against patched zswap only), 2
# rounds instead of 5. -c: comma-separated KERNEL/SETUP boots of one
# round, in order (default: every pair of docs/bench.md). -m: the same for
# the metadata boots of round 1 (see below). "none" for either: no such
# boot. -w: run only the workloads named (comma-separated: usemem-seq,
# usemem-rand, memhog, swapin, free, shmem, sort, compile, redis,
# g-usemem-seq, g-compile, g-redis, swapoff), to look at one of them
# between full runs. -j: boots run at once (default 2 on a machine with
# two CPUs or more; each boot under -icount uses one). -R: the Debian root
# (default build/root/debian.img from scripts/build-root.sh) that the
# compile and redis workloads run from; without one they are left out.
#
# Every swap disk is non-rotational (vt.nonrot=1), as SSDs are: stock
# 6.12 swaps large folios whole only to those.
#
# The guests run with QEMU's -icount (shift=0, sleep=off): the guest's
# clock counts executed instructions (1 ns each) and skips idle time, so
# "guest" figures do not move with host load; the host's clock, read when
# the guest's marker lines arrive (vt-boot -M), gives the "host" figures.
set -euo pipefail
# The whole script is one brace group, read before any of it runs:
# editing the file cannot change a run already under way.
{
export LC_ALL=C

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

quick=0 rounds="" out="$top/build/bench" configs="" meta_configs="" only=""
kset="" jobs="" rootimg="$top/build/root/debian.img"
while getopts qr:o:c:m:w:K:j:R: opt; do
	case $opt in
	q) quick=1 ;;
	r) rounds=$OPTARG ;;
	o) out=$OPTARG ;;
	c) configs=$OPTARG ;;
	m) meta_configs=$OPTARG ;;
	w) only=$OPTARG ;;
	K) kset=$OPTARG ;;
	j) jobs=$OPTARG ;;
	R) rootimg=$OPTARG ;;
	*) die "usage: bench.sh [-q] [-r ROUNDS] [-o OUTDIR] [-c KERNEL/SETUP,...] [-m KERNEL/SETUP,...] [-w NAME,...] [-K debian|guest] [-j JOBS] [-R ROOTIMG]" ;;
	esac
done
[ -n "$rounds" ] || rounds=$((quick ? 2 : 5))
[ -n "$kset" ] || kset=$([ $quick -eq 1 ] && echo guest || echo debian)
[ -n "$jobs" ] || jobs=$(( $(nproc) >= 2 ? 2 : 1 ))
[ -f "$rootimg" ] || rootimg=""
if [ -z "$configs" ]; then
	if [ $quick -eq 1 ]; then
		configs=stock/zswap,vswap/v-zswaponly
	else
		configs=stock/zswap,vswap/v-zswaponly,vswap/v-zswap,stock/disk,vswap/v-disk,stock/zram,vswap/v-zram
	fi
fi

declare -A objs
case $kset in
guest) objs=([stock]="$top/build/obj/stock" [vswap]="$top/build/obj/vswap") ;;
debian) objs=([stock]="$top/build/obj/deb-stock" [vswap]="$top/build/obj/deb-vswap") ;;
*) die "-K: debian or guest, not '$kset'" ;;
esac
declare -A kernel=(
	[stock]="${objs[stock]}/arch/x86/boot/bzImage"
	[vswap]="${objs[vswap]}/arch/x86/boot/bzImage"
)
mem=512M
icount="-icount shift=0,sleep=off"
# Under icount the vCPUs run in turn and the TSC sync check fails; the
# TSC (derived from the instruction count) is in fact one clock for both.
# Without it the kernel falls back to jiffies: 4 ms resolution.
kargs="tsc=reliable vt.nonrot=1"

# Workload sizes, the same in QUICK and full runs. LIMIT is the
# memory.max of the workload's cgroup: the "RAM" the workloads are larger
# than (the guest itself has $mem, so that swapoff can bring everything
# back in). The g- workloads run with no cgroup limit under global
# pressure instead: "vt-bench squeeze" locks all but SQUEEZE of the
# guest's available memory. swapoff runs on the setups with a disk and
# no zswap. The data is the harness's mixed pages (compressible,
# incompressible and zero pages), as real memory is; every workload
# checks every byte it reads back (compile: the SHA256SUMS of what it
# built; redis: every value). A quarter of mixed data is incompressible,
# which a zswap-only setup can only keep in RAM: each workload's data
# leaves room for that and the zswap pool within its limit (memhog at
# 80M did not; GUSEMEM within what SQUEEZE leaves).
limit=32M usemem=64M memhog=60M swapin=16M shmem=64M sortdata=16M free=32M
gusemem=96M cc_limit=48M cc_jobs=2 cc_progs="vt-anon vt-fork vt-shmem vt-bench" redis_limit=32M redis_keys=12288 squeeze=64M
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
b() {
	[ "\$1" = -c ] && n=\$3 || n=\$1
	vt-bench run "\$@" || echo "@@VT bench-fail \$n"
}
# Workloads of the Debian root, when the guest has it.
[ -x /debian/bin/sh ] && root=1 || root=0
# compile NAME [LIMIT]: build programs of the root's copy of the guest
# programs ($cc_progs) with the root's gcc and make, and check every byte
# of them against its SHA256SUMS.
compile() {
	rm -rf /scratch/cc
	b \${2:+-c \$2} \$1 0 -- vt-debian sh -c \\
		'CFLAGS=-O2 make -s -C /usr/src/vt-guest OUT=/scratch/cc -j$cc_jobs \\
			$(for p in $cc_progs; do printf '/scratch/cc/%s ' "$p"; done)&&
		cd /scratch/cc && [ \$(ls | wc -l) -eq $(wc -w <<<"$cc_progs") ] &&
		grep -E " ($(tr ' ' '|' <<<"$cc_progs"))\$" /usr/src/vt-guest/SHA256SUMS |
			sha256sum -c --quiet'
}
# redis NAME [LIMIT]: redis-server of the root in a cgroup of its own
# (memory.max LIMIT if given), loaded and read back by vt-redis.
redis() {
	cg=/sys/fs/cgroup/vt-redis
	mkdir -p \$cg
	echo \${2:-max} > \$cg/memory.max
	/job/redis-server \$cg > /tmp/redis.log 2>&1 &
	echo "@@VT bench-start \$1"
	vt-redis -N \$1 -n $redis_keys -g \$cg || echo "@@VT bench-fail \$1"
	vt-debian redis-cli shutdown nosave >/dev/null 2>&1
	wait
	rmdir \$cg
}
if w usemem-seq; then
	b -c $limit usemem-seq $((2 * ${usemem%M}))M -- vt-anon -s $usemem -p 4 -m seq -d mixed
fi
if w usemem-rand; then
	b -c $limit usemem-rand $((2 * ${usemem%M}))M -- vt-anon -s $usemem -p 4 -m rand -d mixed
fi
if w memhog; then
	b -c $limit memhog $((2 * ${memhog%M}))M -- vt-anon -s $memhog -p 1 -m seq -d mixed
fi
if w swapin; then
	vt-bench swapin -s $swapin -d mixed || echo "@@VT bench-fail swapin"
fi
if w free; then
	vt-bench free -s $free -d mixed || echo "@@VT bench-fail free"
fi
if w shmem; then
	b -c $limit shmem $((2 * ${shmem%M}))M -- vt-shmem -s $shmem -d mixed -f /mnt/tmpfs/bench
	rm -f /mnt/tmpfs/bench
fi
if w sort; then
	vt-bench lines /mnt/tmpfs/lines $sortdata
	b -c $limit sort $sortdata -- sort -o /scratch/sorted /mnt/tmpfs/lines
	vt-bench sorted $sortdata /scratch/sorted || echo "@@VT bench-fail sort"
	rm -f /mnt/tmpfs/lines /scratch/sorted
fi
if [ \$root -eq 1 ] && w compile; then
	compile compile $cc_limit
fi
if [ \$root -eq 1 ] && w redis; then
	redis redis $redis_limit
fi
# Global pressure: no cgroup limit, all but $squeeze of the memory locked.
if w g-usemem-seq || { [ \$root -eq 1 ] && { w g-compile || w g-redis; }; }; then
	sq=\$(vt-bench squeeze -s $squeeze) || echo "@@VT bench-fail squeeze"
	if [ -n "\$sq" ]; then
		if w g-usemem-seq; then
			b g-usemem-seq $((2 * ${gusemem%M}))M -- vt-anon -s $gusemem -p 4 -m seq -d mixed
		fi
		if [ \$root -eq 1 ] && w g-compile; then
			compile g-compile
		fi
		if [ \$root -eq 1 ] && w g-redis; then
			redis g-redis
		fi
		kill \$sq
	fi
fi
if w swapoff && grep -q '^/dev/vd' /proc/swaps && ! grep -q zswap.enabled=1 /proc/cmdline; then
	for p in $swapoff_procs; do
		vt-bench swapoff -s $swapoff -p \$p || echo "@@VT bench-fail swapoff-p\$p"
	done
fi
JOB
# redis-server CGROUP: the server, in CGROUP, in the foreground; no
# persistence (the data set lives in memory only).
cat > "$job/job/redis-server" <<'SERVER'
#!/bin/sh
echo $$ > "$1/cgroup.procs" || exit 1
exec vt-debian redis-server --port 6379 --bind 127.0.0.1 --save "" --appendonly no \
	--protected-mode no
SERVER
chmod +x "$job/job/run" "$job/job/redis-server"

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

# boot PART R KERNEL SETUP NAME JOBROOT QEMU_ARGS KERNEL_ARGS: one boot of
# the run; its kept figures go to PART.tsv, and PART.failed marks a boot
# that failed. Boots run in the background, $jobs at a time (launch).
boot() {
	local part=$1 r=$2 k=$3 s=$4 name=$5 jobroot=$6 qargs=$7 args=$8 log marks rc splats bad figs kept
	log="$out/logs/r$r-$k-$name.log" marks="$out/logs/r$r-$k-$name.marks"
	info "round $r/$rounds: $k kernel, setup $s${name#"$s"} ($(($(date +%s) - start)) s so far)"
	rm -f "$log" "$marks"
	: > "$part.tsv"
	rc=0
	"$top/scripts/vt-boot" -q -k "${kernel[$k]}" -j "$jobroot" -s "$s" -m "$mem" \
		-t 2400 -l "$log" -M "$marks" -Q "$qargs" -a "$args" ${rootimg:+-r "$rootimg"} || rc=$?
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
		touch "$part.failed"
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
	[ -z "$figs" ] || printf '%s\n' "$figs" >> "$part.tsv"
	# Host time of each kept workload with a start marker: from the
	# marker to its first figure (its time).
	kept=$(printf '%s\n' "$figs" | cut -f4 | sort -u | tr '\n' ' ')
	awk -v r="$r" -v k="$k" -v s="$s" -v kept="$kept" '
		BEGIN { n = split(kept, a, " "); for (i = 1; i <= n; i++) ok[a[i]] = 1 }
		$2 == "@@VT" && $3 == "bench-start" { t0[$4] = $1 }
		$2 == "@@VT" && $3 == "bench" && ($4 in t0) && ($4 in ok) {
			printf "%s\t%s\t%s\t%s\thost_s\t%.3f\n", r, k, s, $4, $1 - t0[$4]
			delete t0[$4]
		}' "$marks" >> "$part.tsv"
}

# launch BOOT-ARGS...: boot in the background once fewer than $jobs run.
launch() {
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n || true
	done
	nparts=$((nparts + 1))
	boot "$out/parts/$(printf '%03d' $nparts)" "$@" &
}

printf 'round\tkernel\tsetup\tname\tkey\tvalue\n' > "$out/results.tsv"
IFS=, read -ra boots <<<"$configs"
IFS=, read -ra metas <<<"$meta_configs"
for k in stock vswap; do
	[ -f "${kernel[$k]}" ] || die "no $k kernel at ${kernel[$k]} (make ${kset/guest/kernel stock})"
done
rm -rf "$out/parts"
mkdir -p "$out/parts"
nparts=0 start=$(date +%s)
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
		launch "$r" "${b%%/*}" "${b#*/}" "${b#*/}" "$job" "$icount" "$kargs"
	done
	[ "$r" -eq 1 ] || continue
	for b in "${metas[@]}"; do
		VT_SWAP_SIZE=$meta_disk launch 1 "${b%%/*}" "${b#*/}" "${b#*/}-meta" "$job/meta" "" \
			"slab_nomerge vt.nonrot=1"
	done
done
wait
cat "$out"/parts/*.tsv >> "$out/results.tsv" 2>/dev/null || true
failed=$(find "$out/parts" -name '*.failed' | wc -l)
{
	echo "command: scripts/bench.sh $*"
	echo "quick: $quick rounds: $rounds configs: $configs workloads: ${only:-all}"
	echo "guest RAM $mem, workload cgroup memory.max $limit, qemu $icount, kernel $kargs"
	echo "metadata: vt-bench meta -s $meta_size on a $meta_disk disk, round 1: $meta_configs"
	echo "stock: $stock_rev, vswap: $vswap_rev, $jobs boot(s) at a time"
	for k in stock vswap; do
		if [ -f "${objs[$k]}/base-config.diff" ]; then
			echo "$k kernel: $(strings "${kernel[$k]}" | grep -m1 '^6\.12' | cut -d' ' -f1)," \
				"Debian's config.amd64_none_amd64 ($(dpkg-query -W -f '${Version}' linux-config-6.12 2>/dev/null))" \
				"+ configs/debian.config: $(wc -l < "${objs[$k]}/base-config.diff") options differ" \
				"(${objs[$k]#"$top/"}/base-config.diff)"
		else
			echo "$k kernel: $(strings "${kernel[$k]}" | grep -m1 '^6\.12' | cut -d' ' -f1)," \
				"tinyconfig + configs/guest.config (debug-heavy: lockdep, DEBUG_VM)"
		fi
	done
	if [ -n "$rootimg" ]; then
		echo "Debian root: ${rootimg#"$top/"}: $(grep -E '^(redis-server|gcc-12|libc6|make) ' "$rootimg.versions" 2>/dev/null | tr '\n' ',' | sed 's/,$//')"
	else
		echo "Debian root: none (compile and redis left out)"
	fi
	echo "host: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)," \
		"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
	echo "qemu: $(qemu-system-x86_64 --version | head -n 1)"
	echo "elapsed: $(( $(date +%s) - start )) s, failed boots: $failed"
} > "$out/run.txt"
info "bench: $(($(wc -l < "$out/results.tsv") - 1)) figures in $out/results.tsv ($(( $(date +%s) - start )) s)"
[ "$failed" -eq 0 ] || die "$failed boot(s) failed; their figures are incomplete"
exit
}
