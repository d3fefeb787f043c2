#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the test suites of tests/suite.list in the guest, one boot per swap
# setup, plus KUnit and the harness's own negative control; print one TAP
# line per test, then "N passed, N failed" alone on the last line. Exits
# non-zero when anything failed.
#
#   run-tests.sh [-k BZIMAGE] [-s SETUP[,SETUP...]] [-o LOGDIR] [-l LIST] [-d]
#
# Console logs are kept in LOGDIR (default build/test-logs). LIST replaces
# tests/suite.list (same format); "kunit", "harness", "bootargs", "initfail" and
# "bench" in -s select the KUnit boot, the WARNING negative control, the
# boots with malformed boot parameters, the boot whose vswap set-up fails,
# and the smoke run of "make bench"
# (one round of QUICK, stock kernel against the series). -d (for the
# debug kernel of "make test-debug") multiplies every time bound by
# VT_SLOW (default 4), boots the guests whose RAM the suite does not set
# with VT_DEBUG_MEM (default 448M: KASAN's shadow, its quarantine and
# kmemleak's objects and pool take about half of a 256M guest), boots zswaponly
# setups with zswap.max_pool_percent=VT_DEBUG_POOL (default 40) and ends
# each boot of the suite with a kmemleak scan, the test "kmemleak"
# (suspects from before the tests are cleared).
set -euo pipefail
# The whole script is one brace group, read before any of it runs:
# editing the file cannot change a run already under way.
{

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

kernel="$top/build/obj/vswap/arch/x86/boot/bzImage"
only="" logdir="$top/build/test-logs" list="$top/tests/suite.list" debug=0 slow=1
while getopts k:s:o:l:d opt; do
	case $opt in
	k) kernel=$OPTARG ;;
	s) only=",$OPTARG," ;;
	o) logdir=$OPTARG ;;
	l) list=$OPTARG ;;
	d) debug=1 slow=${VT_SLOW:-4} ;;
	*) die "usage: run-tests.sh [-k BZIMAGE] [-s SETUPS] [-o LOGDIR] [-l LIST] [-d]" ;;
	esac
done
mkdir -p "$logdir"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vt-tests.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

swap_setups="zswap disk zram twodisks"
vswap_setups="v-zswap v-disk v-zram v-twodisks"
n=0 passed=0 failed=0
declare -A tests budget mem setupof
setups=()

wanted() { [ -z "$only" ] || [[ $only == *",$1,"* ]]; }

# Read the suite: per setup, the lines of its job script and its names.
while read -r sets name tmo cmd; do
	case "$sets" in '' | '#'*) continue ;; esac
	expanded=""
	for s in ${sets//,/ }; do
		case "$s" in
		swap) expanded+=" $swap_setups" ;;
		vswap) expanded+=" $vswap_setups" ;;
		*) expanded+=" $s" ;;
		esac
	done
	# The debug kernel is several times slower: so are its time bounds.
	[ "$tmo" = - ] || tmo=$((tmo * slow))
	for s in $expanded; do
		# SETUP:MEM boots SETUP with MEM of RAM, as the boot "SETUP-MEM".
		b=${s/:/-}
		[[ $s == *:* ]] && mem[$b]=${s#*:}
		wanted "${s%%:*}" || continue
		if [ -z "${tests[$b]+x}" ]; then
			setups+=("$b")
			setupof[$b]=${s%%:*}
			tests[$b]=""
			budget[$b]=$((120 * slow))
			printf '#!/bin/sh\n. /bin/vt-job-lib\n' > "$tmp/run.$b"
			# Debug kernel: what kmemleak suspects from boot is not
			# the tests' (the final scan reports what came after).
			[ $debug -eq 0 ] || echo "vt-kmemleak clear" >> "$tmp/run.$b"
		fi
		tests[$b]+="$name "
		# KUnit suites run at boot: the list only names them.
		[ "$b" = kunit ] && continue
		budget[$b]=$((budget[$b] + tmo))
		echo "t $name $tmo $cmd" >> "$tmp/run.$b"
	done
done < "$list"

# expected_lines SETUP: the kernel lines the setup makes on purpose.
expected_lines() {
	case "$(setup_base "$1")" in
	faultydisk) echo 'Write-error on swap-device|Read-error on swap-device' ;;
	esac
}

# boot_job NAME SETUP JOBSCRIPT BUDGET [KERNEL ARGS]: boot once and write
# the TAP lines of the tests the job ran, under NAME/, to $tmp/NAME.tap.
boot_job() {
	local name=$1 setup=$2 script=$3 tmo=$4 args=${5:-} names m=${mem[$1]:-}
	[ -n "$m" ] || [ $debug -eq 0 ] || m=${VT_DEBUG_MEM:-448M}
	# With no device, zswap's pool is all the swap there is. The debug
	# kernel's MemTotal is a third smaller and its slab three times
	# larger: a 20% pool cannot hold the share of a tmpfs file larger
	# than RAM that the normal kernel's does (docs/reliability.md). Not
	# for the boots with malformed parameters, which check the defaults.
	case $name:$setup in
	badargs-*) ;;
	*zswaponly) [ $debug -eq 0 ] || args="$args zswap.max_pool_percent=${VT_DEBUG_POOL:-40}" ;;
	esac
	# QEMU's "max" CPU has 5-level paging. While early boot identifies
	# the CPU, its feature bits are cleared for a moment and KASAN takes
	# a direct-map address for a wild one if an interrupt comes then
	# ("BUG: KASAN: wild-memory-access in rcu_is_watching", seen at
	# 0.096 s with the host's CPUs busy). A 448M guest needs 4 levels.
	# loglevel=7: an OOM report's task list and its table of slab
	# caches are KERN_INFO, and an OOM on the debug kernel is to be
	# explained (docs/reliability.md).
	[ $debug -eq 0 ] || args="$args no5lvl loglevel=7"
	rm -rf "$tmp/job" && mkdir -p "$tmp/job/job"
	cp "$script" "$tmp/job/job/run"
	chmod +x "$tmp/job/job/run"
	info "booting $name (setup $setup, ${m:-default} RAM, up to $tmo s)"
	"$top/scripts/vt-boot" -q -k "$kernel" -j "$tmp/job" -s "$setup" ${m:+-m "$m"} \
		-t "$tmo" -l "$logdir/$name.log" -a "$args" || true
	names=${tests[$name]-$(sed -n 's/^@@VT begin \([^ ]*\)$/\1/p' "$logdir/$name.log" | tr '\n' ' ')}
	awk -v prefix="$name" -v names="$names" -v n0="$n" -v allow="$(expected_lines "$setup")" \
		-f "$top/scripts/parse-log.awk" "$logdir/$name.log" > "$tmp/$name.tap"
}

# report NAME: print the TAP lines of a boot and add up its counts.
report() {
	local p f
	grep -v '^@@COUNTS' "$tmp/$1.tap" || true
	read -r p f <<<"$(sed -n 's/^@@COUNTS //p' "$tmp/$1.tap")"
	n=$((n + p + f))
	passed=$((passed + p)) failed=$((failed + f))
}

echo "TAP version 13"
for s in "${setups[@]}"; do
	[ "$s" = kunit ] && continue
	if [ $debug -eq 1 ]; then
		echo "t kmemleak $((120 * slow)) vt-kmemleak" >> "$tmp/run.$s"
		tests[$s]+="kmemleak "
		budget[$s]=$((budget[$s] + 120 * slow))
	fi
	echo "exit 0" >> "$tmp/run.$s"
	boot_job "$s" "${setupof[$s]}" "$tmp/run.$s" "${budget[$s]}"
	report "$s"
done

if wanted kunit; then
	# With vswap on, so that the vswap suite's layer cases run too.
	printf '#!/bin/sh\nexec vt-kunit\n' > "$tmp/run.kunit"
	boot_job kunit v-none "$tmp/run.kunit" 300 "kunit.enable=1"
	report kunit
fi

# The harness's own negative control: a kernel WARNING in the guest must
# be reported as a failure by the console check above.
if wanted harness; then
	printf '#!/bin/sh\necho WARNING > /sys/kernel/debug/provoke-crash/DIRECT\nexit 0\n' \
		> "$tmp/run.warn"
	tests[warn]=""
	boot_job warn none "$tmp/run.warn" 120
	n=$((n + 1))
	if grep -q '^not ok .*warn/console # .*splat.*WARNING:' "$tmp/warn.tap"; then
		echo "ok $n harness/warning-detected"
		passed=$((passed + 1))
	else
		echo "not ok $n harness/warning-detected # a guest WARNING went unnoticed"
		sed 's/^/#   /' "$tmp/warn.tap"
		failed=$((failed + 1))
	fi
fi

# Malformed boot parameters, after the valid ones vt-boot gives: each is
# refused with a message, and vswap and zswap keep their settings, with
# vswap off and on. zswap is on at boot (zswaponly): it checks its
# compressor and zpool only when it starts.
if wanted bootargs; then
	bad="vswap= vswap=maybe vswap=onn zswap.enabled=perhaps zswap.shrinker_enabled=2"
	bad+=" zswap.max_pool_percent=-1 zswap.max_pool_percent=abc"
	bad+=" zswap.accept_threshold_percent=4294967296"
	bad+=" zswap.compressor=no-such-algorithm zswap.zpool=no-such-pool"
	for s in zswaponly v-zswaponly; do
		printf '#!/bin/sh\n. /bin/vt-job-lib\nt bootargs 60 vt-badinput bootargs %s\nexit 0\n' \
			"$bad" > "$tmp/run.badargs-$s"
		tests[badargs-$s]="bootargs "
		boot_job "badargs-$s" "$s" "$tmp/run.badargs-$s" 180 "$bad"
		report "badargs-$s"
	done
fi

# vswap whose set-up fails once the virtual device exists (a fault
# injected at boot): vswap is off, said so in the kernel log, and no trace
# of the device is left: /proc/swaps lists the disk only (a device with
# no file there oopsed it), and swap works as without vswap.
if wanted initfail; then
	cat > "$tmp/run.initfail" <<'JOB'
#!/bin/sh
. /bin/vt-job-lib
t initfail @BOUND@ sh -c 'dmesg -s 1048576 | grep "vswap is off" &&
	[ "$(grep -c "^/" /proc/swaps)" = 1 ] && cat /proc/swaps &&
	[ ! -e /sys/kernel/debug/vswap ] && vt-anon -s 110% -p 1'
exit 0
JOB
	sed -i "s/@BOUND@/$((120 * slow))/" "$tmp/run.initfail"
	tests[initfail-zswap]="initfail "
	boot_job initfail-zswap zswap "$tmp/run.initfail" $((300 * slow)) \
		"vswap=on fail_vswap_init=1,100,0,1"
	report initfail-zswap
fi

# The bench harness, smoke run: one QUICK round on both kernels. Every
# workload must have given its figures on both (a workload whose data
# was wrong gives none), and the report must hold each of them.
if wanted bench; then
	n=$((n + 1))
	bdir="$logdir/bench-smoke"
	rm -rf "$bdir"
	if "$top/scripts/bench.sh" -q -r 1 -o "$bdir" >"$logdir/bench-smoke.log" 2>&1 &&
		"$top/scripts/bench-report.sh" "$bdir" >>"$logdir/bench-smoke.log" 2>&1; then
		missing=""
		for w in usemem-seq usemem-rand memhog shmem sort; do
			grep -q "^| $w | time, s (guest clock" "$bdir/report.md" || missing+=" $w"
		done
		grep -q "^| swapin | fault latency p99" "$bdir/report.md" || missing+=" swapin"
		grep -q "^| free | time to free (munmap) swapped memory" "$bdir/report.md" ||
			missing+=" free"
		grep -q "^| g-usemem-seq | time, s (guest clock" "$bdir/report.md" ||
			missing+=" g-usemem-seq"
		grep -q "^| meta-100 | swap metadata per swapped page" "$bdir/report.md" ||
			missing+=" metadata"
		[ -s "$bdir/report.png" ] || missing+=" chart"
		if [ -z "$missing" ]; then
			echo "ok $n bench/smoke # $(($(wc -l < "$bdir/results.tsv") - 1)) figures, report $bdir/report.md"
			passed=$((passed + 1))
		else
			echo "not ok $n bench/smoke # missing from the report:$missing"
			failed=$((failed + 1))
		fi
	else
		echo "not ok $n bench/smoke # bench run failed; see $logdir/bench-smoke.log"
		sed 's/^/#   /' "$logdir/bench-smoke.log" | tail -n 20
		failed=$((failed + 1))
	fi
fi

echo "1..$n"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$n" -gt 0 ]
exit
}
