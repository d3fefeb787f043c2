# SPDX-License-Identifier: GPL-2.0-only
#
# Turn the console log of one test boot into TAP lines.
#
#   awk -v prefix=SETUP -v names="a b c" -v n0=N [-v allow=REGEX] -f parse-log.awk LOG
#
# The guest marks each test with "@@VT begin NAME" and "@@VT end NAME RC
# SECONDS".
# A test passes when it ended with RC 0 and the kernel printed no splat
# while it ran. A kselftest that skips as a whole (RC 4) fails: the suite
# lists only tests that run here. One more line, PREFIX/console,
# fails when the kernel printed a splat anywhere in the boot, or when the
# guest never reported its exit status.
#
# A splat is a kernel line (it carries a printk timestamp) with WARNING:,
# BUG:, Oops, a panic, a lockdep report, a stall, KASAN/UBSAN, list
# corruption, or a swap error (bad swap entry, swap device I/O error). "page allocation failure" reports (warn_alloc) are not
# splats: stock 6.12 prints them under heavy zswap pressure.
#
# A kernel line matching ALLOW is expected (the I/O errors of a disk
# made to fail them): it is counted, shown on the console line, and is
# no splat. So is a swap read error after "@@VT exit": "reboot -f" shuts
# the disks down under a task still paging its text back in (the
# initramfs is tmpfs, and swaps); it is counted and shown too.
#
# A test that hung (scripts/vt-boot stopped the guest past its time
# bound) shows what the kernel printed from then on: the SysRq dumps. It
# fails even if it ended in the 30 s before the guest was stopped; a test
# that began after it is reported as cut off, not as hung.
#
# The last line is "@@COUNTS PASSED FAILED".

function splat(line) {
	return line ~ /\[ *[0-9]+\.[0-9]+\] .*(WARNING:|BUG:|Oops|Kernel panic|kernel BUG at|general protection fault|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|blocked for more than|detected stall|KASAN:|UBSAN:|list_add corruption|list_del corruption|unreferenced object|Bad swap file entry|swap offset entry|Unused swap file entry|Read-error on swap-device|Write-error on swap-device)/
}

function report(ok, name, why) {
	n0++
	if (ok) {
		printf "ok %d %s/%s%s\n", n0, prefix, name, why == "" ? "" : " # " why
		passed++
	} else {
		printf "not ok %d %s/%s # %s\n", n0, prefix, name, why
		failed++
	}
}

# Show the last lines a failed test printed, as TAP diagnostics.
function tail_of(name,    i, k) {
	for (i = 0; i < ntail[name] && i < 20; i++) {
		k = (start[name] + i) % 20
		print "#   " tailbuf[name, k]
	}
}

{
	if ($1 == "@@VT" && $2 == "begin") {
		cur = $3
		began[cur] = 1
		if (stalled != "")
			cutoff[cur] = 1
		ntail[cur] = 0
		start[cur] = 0
		next
	}
	if ($1 == "@@VT" && $2 == "end") {
		rc[$3] = $4
		secs[$3] = $5
		cur = ""
		next
	}
	if ($1 == "!!" && $2 == "vt-boot:" && /past its bound/ && stalled == "") {
		stalled = cur
		nstall = 0
	}
	if (stalled != "" && (nstall < 150 || $1 == "!!"))
		stallbuf[nstall++] = $0
	if ($1 == "@@VT" && $2 == "exit")
		exited = 1
	if ($1 == "@@VT" && $2 == "setup")
		setupline = $0
	if (allow != "" && $0 ~ /\[ *[0-9]+\.[0-9]+\] / && $0 ~ allow) {
		nallowed++
	} else if (exited && $0 ~ /\[ *[0-9]+\.[0-9]+\] Read-error on swap-device/) {
		nreboot++
	} else if (splat($0)) {
		nsplat++
		if (firstsplat == "")
			firstsplat = $0
		if (cur != "" && splatline[cur] == "")
			splatline[cur] = $0
	}
	if (cur != "") {
		if (ntail[cur] < 20) {
			tailbuf[cur, ntail[cur]++] = $0
		} else {
			tailbuf[cur, start[cur]] = $0
			start[cur] = (start[cur] + 1) % 20
		}
	}
}

END {
	split(names, list, " ")
	for (i = 1; i in list; i++) {
		name = list[i]
		if (!(name in began)) {
			report(0, name, "not run (" (setupline == "" ? "guest did not come up" : "guest stopped earlier") ")")
		} else if (splatline[name] != "") {
			report(0, name, "kernel splat: " splatline[name])
			tail_of(name)
		} else if (name == stalled) {
			report(0, name, (name in rc ? "ran past its time bound: it ended only after the watchdog fired" : \
					  "hung: the guest was stopped past the test's time bound"))
			for (k = 0; k < nstall; k++)
				print "#   " stallbuf[k]
		} else if (!(name in rc) && (name in cutoff)) {
			report(0, name, "cut off: the guest was stopped for " stalled)
		} else if (!(name in rc)) {
			report(0, name, "did not finish (timeout or kernel panic)")
			tail_of(name)
		} else if (rc[name] == 0) {
			report(1, name, secs[name] == "" ? "" : "time=" secs[name] "s")
		} else if (rc[name] == 4) {
			report(0, name, "the whole kselftest skipped (exit 4)")
			tail_of(name)
		} else {
			report(0, name, "exit status " rc[name] (rc[name] == 143 ? " (timeout)" : ""))
			tail_of(name)
		}
	}
	if (firstsplat != "")
		report(0, "console", nsplat " splat line(s), first: " firstsplat)
	else if (!exited)
		report(0, "console", "guest did not report its exit status")
	else
		report(1, "console", (nallowed ? nallowed " expected line(s) matching: " allow : "") \
		       (nreboot ? (nallowed ? "; " : "") nreboot " swap read error(s) at reboot, after the exit status" : ""))
	printf "@@COUNTS %d %d\n", passed, failed
}
