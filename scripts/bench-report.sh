#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Turn the figures of a bench run (scripts/bench.sh) into a report:
# for each pair of setups, each figure's median and range over the rounds
# on the stock and the patched kernel, and the ratio patched/stock (ratio
# of the medians; range of the per-round ratios). Draws the ratios with
# gnuplot, and checks the goals of docs/bench.md that the run measured.
#
#   bench-report.sh [-o REPORT.md] BENCHDIR
#
# The chart goes next to the report, named after it (.png).
set -euo pipefail
export LC_ALL=C

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

report=""
while getopts o: opt; do
	case $opt in
	o) report=$OPTARG ;;
	*) die "usage: bench-report.sh [-o REPORT.md] BENCHDIR" ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || die "usage: bench-report.sh [-o REPORT.md] BENCHDIR"
dir=$1
[ -n "$report" ] || report="$dir/report.md"
res="$dir/results.tsv"
[ -s "$res" ] || die "no figures in $res"
command -v gnuplot >/dev/null || die "gnuplot is missing (scripts/install-deps.sh)"
chart="${report%.md}.png"
plotdata="$dir/ratios.dat"

# The pairs compared: stock kernel setup vs patched kernel setup.
pairs="zswap:v-zswaponly zswap:v-zswap disk:v-disk zram:v-zram"

# stats PAIRS: one line per (pair, name, key) present on both kernels:
# pair name key n s_med s_min s_max v_med v_min v_max r_med r_min r_max
stats() {
	awk -F'\t' -v pairs="$pairs" '
	function median(arr, n,    i, j, t, a) {
		for (i = 1; i <= n; i++) a[i] = arr[i]
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	NR > 1 { v[$2, $3, $4, $5, $1] = $6; figs[$4 SUBSEP $5] = 1; rounds[$1] = 1 }
	END {
		np = split(pairs, pp, " ")
		for (p = 1; p <= np; p++) {
			split(pp[p], st, ":")
			for (f in figs) {
				split(f, nk, SUBSEP)
				ns = nv = nr = 0
				delete S; delete V; delete R
				# Rounds measured on both kernels only.
				for (r in rounds) {
					if (!(("stock", st[1], nk[1], nk[2], r) in v) ||
					    !(("vswap", st[2], nk[1], nk[2], r) in v))
						continue
					S[++ns] = v["stock", st[1], nk[1], nk[2], r]
					V[++nv] = v["vswap", st[2], nk[1], nk[2], r]
					if (S[ns] > 0) R[++nr] = V[nv] / S[ns]
				}
				if (!ns || !nv)
					continue
				smin = smax = S[1]; vmin = vmax = V[1]
				for (i = 1; i <= ns; i++) { if (S[i] < smin) smin = S[i]; if (S[i] > smax) smax = S[i] }
				for (i = 1; i <= nv; i++) { if (V[i] < vmin) vmin = V[i]; if (V[i] > vmax) vmax = V[i] }
				rmin = rmax = (nr ? R[1] : 0)
				for (i = 1; i <= nr; i++) { if (R[i] < rmin) rmin = R[i]; if (R[i] > rmax) rmax = R[i] }
				sm = median(S, ns); vm = median(V, nv)
				# A ratio over a zero stock figure is "nan": not measured.
				printf "%s\t%s\t%s\t%d\t%g\t%g\t%g\t%g\t%g\t%g\t%s\t%s\t%s\n",
					pp[p], nk[1], nk[2], ns, sm, smin, smax, vm, vmin, vmax,
					(sm > 0 ? vm / sm : "nan"), (nr ? rmin : "nan"), (nr ? rmax : "nan")
			}
		}
	}' "$res" | LC_ALL=C sort -t$'\t' -k1,1 -k2,2 -k3,3
}

all=$(stats)
[ -n "$all" ] || die "no figure was measured on both kernels of a pair"

# What a key means, and whether more is better.
label() {
	case $1 in
	mibps) echo "throughput, MiB/s (guest clock; more is better)" ;;
	wall_s) echo "time, s (guest clock = icount)" ;;
	host_s) echo "time, s (host clock)" ;;
	sys_s) echo "system time, s (guest clock)" ;;
	user_s) echo "user time, s (guest clock)" ;;
	p50_us) echo "fault latency median, us (guest clock)" ;;
	p99_us) echo "fault latency p99, us (guest clock)" ;;
	swapins) echo "pages swapped in (count)" ;;
	major_faults) echo "faults that waited for a swap-in (count)" ;;
	swapoff_s) echo "swapoff time, s (guest clock)" ;;
	used_mib) echo "swap in use at swapoff, MiB" ;;
	swapped_pages) echo "pages swapped out (SwapTotal - SwapFree)" ;;
	zswap_entry_bytes) echo "slab of zswap_entry, B" ;;
	xarray_bytes) echo "slab of xarray nodes (over the 0% point), B" ;;
	vmalloc_bytes) echo "vmalloc areas of swap code, B" ;;
	vswap_chunk_bytes) echo "vswap backend-word chunks, B" ;;
	slots) echo "slots of all swap areas (virtual included)" ;;
	unlisted_array_bytes) echo "swap_cgroup, zero bitmaps, vswap reverse maps (arithmetic), B" ;;
	total_bytes) echo "swap metadata in all, B" ;;
	bytes_per_page) echo "swap metadata per swapped page, B" ;;
	layer_bytes_per_page) echo "of it the swap layer's (no zswap_entry), B/page" ;;
	out_pages) echo "pages swapped out (pswpout + zswpout + swpout_zero)" ;;
	in_pages) echo "pages swapped in (pswpin + zswpin + swpin_zero)" ;;
	out_in_pages) echo "pages swapped out and in" ;;
	ns_per_page) echo "guest time per page swapped out or in, ns (= instructions)" ;;
	sys_ns_per_page) echo "system time per page swapped out or in, ns (guest clock)" ;;
	munmap_s) echo "time to free (munmap) swapped memory, s (guest clock)" ;;
	exit_s) echo "time to free swapped memory at exit, s (guest clock)" ;;
	swapped_kb) echo "swapped out when freed, kB" ;;
	set_kops) echo "SET throughput, thousand requests/s (more is better)" ;;
	get_kops) echo "GET throughput, thousand requests/s (more is better)" ;;
	set_p99_us) echo "SET latency p99, us (guest clock)" ;;
	get_p50_us) echo "GET latency median, us (guest clock)" ;;
	get_p99_us) echo "GET latency p99, us (guest clock)" ;;
	server_sys_s) echo "redis-server system time, s (guest clock)" ;;
	*) echo "$1" ;;
	esac
}

# Goals read from the figures: "name key pair max_ratio what".
goal() {
	local pair=$1 name=$2 key=$3 max=$4 what=$5 line r
	line=$(printf '%s\n' "$all" | awk -F'\t' -v p="$pair" -v n="$name" -v k="$key" \
		'$1 == p && $2 == n && $3 == k')
	if [ -z "$line" ]; then
		echo "| $what | not measured in this run | - |"
		return
	fi
	r=$(cut -f11 <<<"$line")
	if [ "$r" = nan ]; then
		echo "| $what | stock figure is zero | not measured |"
		return
	fi
	if awk -v r="$r" -v m="$max" 'BEGIN { exit !(r <= m) }'; then
		echo "| $what | ratio $(printf '%.3f' "$r") (<= $max) | met |"
	else
		echo "| $what | ratio $(printf '%.3f' "$r") (> $max) | not met |"
	fi
}

# meta_goal: the metadata goals, read from the vswap kernel's figures of
# "vt-bench meta" (per swapped page with the swap full: the swap layer's
# bytes, zswap_entry left out as both kernels pay it; and the bytes held
# with nothing swapped, against stock's).
meta_goal() {
	local pair line v s
	for pair in zswap:v-zswaponly zswap:v-zswap disk:v-disk; do
		line=$(printf '%s\n' "$all" | awk -F'\t' -v p="$pair" \
			'$1 == p && $2 == "meta-100" && $3 == "layer_bytes_per_page"')
		if [ -z "$line" ]; then
			echo "| metadata, ${pair#*:}: at most 16 B per swapped page | not measured in this run | - |"
		else
			v=$(cut -f8 <<<"$line") s=$(cut -f5 <<<"$line")
			printf '| metadata, %s: at most 16 B per swapped page (swap full) | %.1f B (stock %s: %.1f B) | %s |\n' \
				"${pair#*:}" "$v" "${pair%%:*}" "$s" \
				"$(awk -v v="$v" 'BEGIN { print (v <= 16 ? "met" : "not met") }')"
		fi
		line=$(printf '%s\n' "$all" | awk -F'\t' -v p="$pair" \
			'$1 == p && $2 == "meta-0" && $3 == "total_bytes"')
		[ -n "$line" ] || continue
		v=$(cut -f8 <<<"$line") s=$(cut -f5 <<<"$line")
		printf '| metadata, %s: nothing for unused space | %.0f B held with nothing swapped (stock %s: %.0f B) | %s |\n' \
			"${pair#*:}" "$v" "${pair%%:*}" "$s" \
			"$(awk -v v="$v" -v s="$s" 'BEGIN { print (v <= s ? "met" : "not met") }')"
	done
}

{
	echo "<!-- SPDX-License-Identifier: GPL-2.0-only -->"
	echo "<!-- Written by scripts/bench-report.sh from $(basename "$dir")/results.tsv; do not edit. -->"
	echo
	echo "## Run"
	echo
	echo '```'
	cat "$dir/run.txt" 2>/dev/null || echo "(no run.txt)"
	echo '```'
	echo
	echo "## Goals measured by this run"
	echo
	echo "Ratios are patched/stock of the medians, on the guest clock (icount):"
	echo "for times, below 1 is faster."
	echo
	echo "| goal | figure | verdict |"
	echo "|---|---|---|"
	works="usemem-seq usemem-rand memhog shmem sort compile redis g-usemem-seq g-compile g-redis"
	for n in $works; do
		goal zswap:v-zswaponly "$n" wall_s 1.0 "zswap path, $n: patched zswap-only no slower than stock zswap + disk"
	done
	goal zswap:v-zswaponly redis get_p99_us 1.0 "zswap path, redis: GET p99 latency no worse"
	for pair in disk:v-disk zram:v-zram; do
		for n in $works; do
			goal "$pair" "$n" wall_s 1.01 "${pair%%:*}-only path, $n: patched within 1% of stock"
			goal "$pair" "$n" sys_ns_per_page 1.01 "${pair%%:*}-only path, $n: system time per swapped page within 1%"
		done
	done
	for pair in zswap:v-zswaponly zswap:v-zswap disk:v-disk zram:v-zram; do
		goal "$pair" free munmap_s 1.05 "time to free swapped memory, ${pair#*:}: munmap within 5% of stock ${pair%%:*}"
		goal "$pair" free exit_s 1.05 "time to free swapped memory, ${pair#*:}: exit within 5% of stock ${pair%%:*}"
	done
	for p in 1 8 64; do
		goal disk:v-disk "swapoff-p$p" swapoff_s 0.1 "swapoff of a disk, $p process(es): ten times faster"
		goal disk:v-disk "swapoff-p$p" host_s 0.1 "swapoff of a disk, $p process(es), host clock"
	done
	meta_goal
	echo
	for pair in $pairs; do
		rows=$(printf '%s\n' "$all" | awk -F'\t' -v p="$pair" '$1 == p')
		[ -n "$rows" ] || continue
		echo "## stock ${pair%%:*} vs patched ${pair#*:}"
		echo
		echo "| workload | figure | rounds | stock median [min, max] | patched median [min, max] | patched/stock [min, max] |"
		echo "|---|---|---|---|---|---|"
		while IFS=$'\t' read -r _ n k cnt sm smin smax vm vmin vmax rm rmin rmax; do
			if [ "$rm" = nan ] || [ "$rmin" = nan ]; then
				ratio="n/a"
			else
				ratio=$(printf '%.3f [%.3f, %.3f]' "$rm" "$rmin" "$rmax")
			fi
			printf '| %s | %s | %s | %.4g [%.4g, %.4g] | %.4g [%.4g, %.4g] | %s |\n' \
				"$n" "$(label "$k")" "$cnt" "$sm" "$smin" "$smax" "$vm" "$vmin" "$vmax" \
				"$ratio"
		done <<<"$rows"
		echo
	done
	echo "![patched/stock time ratios]($(basename "$chart"))"
} > "$report"

# The chart: guest-clock time ratio per workload, one bar group per pair.
printf '%s\n' "$all" | awk -F'\t' '
	($3 == "wall_s" || $3 == "swapoff_s" || $3 == "p99_us" || $3 == "munmap_s" ||
	 $3 == "exit_s") && $11 != "nan" {
		sub(/^[^:]*:/, "", $1)
		n = $3 == "wall_s" || $3 == "swapoff_s" ? $2 : $2 "(" $3 ")"
		printf "%s\t%s\t%g\t%g\t%g\n", $1, n, $11, $12, $13
	}' > "$plotdata"
ymax=$(awk -F'\t' 'BEGIN { m = 1.2 } $5 * 1.1 > m { m = $5 * 1.1 } END { print m }' "$plotdata")
gnuplot <<GP
set terminal png size 1600,700
set output "$chart"
set title "patched / stock of the stock setup paired with each patched one (x: patched setup/workload)\nguest time (icount; swapin: p99 fault latency; free: munmap and exit): median, bars = range over rounds"
set datafile separator "\t"
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.6 border -1
set ylabel "ratio (below 1: patched faster)"
set xtics rotate by -35
set grid ytics
set key top left
set yrange [0:$ymax]
plot "$plotdata" using 3:4:5:xtic(stringcolumn(1) . "/" . stringcolumn(2)) title "patched/stock", \
	1 with lines lt 0 title "parity"
GP
info "report: $report, chart: $chart"
