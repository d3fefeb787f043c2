// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-anon: anonymous memory, possibly larger than RAM, in several
 * processes. Each process fills its share and waits until all have (so
 * the whole working set is in use at once), then checks every byte of it
 * in sequential or random page order, rewriting it with a new pattern
 * between passes. The part of the working set above MemTotal must have
 * been swapped out.
 *
 *   vt-anon -s 150% -p 3 -m rand -d comp -l 2
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "vt.h"

/* Shared by the workers: how many filled their share; whether one died. */
static volatile struct {
	int filled;
	int failed;
} *shared;

static int worker(const struct vt_opts *o, size_t len, int id)
{
	char *buf = vt_map_anon(len);
	uint64_t seed = o->seed + (uint64_t)id * 1000;
	size_t bad = 0;
	int pass;

	vt_sweep(buf, len, seed, o->data, o->random, false);
	/* All shares are resident or swapped at once before any check. */
	__sync_fetch_and_add(&shared->filled, 1);
	while (shared->filled < o->procs) {
		if (shared->failed) {
			vt_diag("process %d: a sibling died before the check", id);
			return 1;
		}
		usleep(10000);
	}
	for (pass = 1; pass <= o->passes; pass++) {
		bad += vt_sweep(buf, len, seed, o->data, o->random, true);
		if (pass < o->passes) {
			seed++;
			vt_sweep(buf, len, seed, o->data, !o->random, false);
		}
	}
	munmap(buf, len);
	if (bad)
		vt_diag("process %d: %zu bad pages", id, bad);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct vt_opts o = { .size = 64 << 20, .procs = 1, .passes = 1, .seed = 1 };
	/* Zero pages are stored as such, not written: swpout_zero. */
	long long out0 = vt_vmstat("pswpout") + vt_vmstat("zswpout") +
			 vt_vmstat("swpout_zero");
	long long mem = vt_meminfo_kb("MemTotal") * 1024;
	pid_t *pids;
	size_t len;
	int i, done;

	vt_parse_common(&o, argc, argv, NULL, NULL, NULL);
	len = o.size / o.procs / VT_PAGE * VT_PAGE;
	vt_plan(o.procs + 1);
	vt_diag("%d process(es) x %zu MiB, %s order, %d pass(es), MemTotal %lld MiB",
		o.procs, len >> 20, o.random ? "random" : "sequential", o.passes,
		mem >> 20);
	pids = calloc(o.procs, sizeof(*pids));
	shared = vt_map_shared(sizeof(*shared));
	if (!pids)
		vt_bail("allocating the workers' state");
	for (i = 0; i < o.procs; i++) {
		pids[i] = vt_fork();
		if (pids[i] == 0)
			_exit(worker(&o, len, i));
	}
	for (done = 0; done < o.procs; done++) {
		siginfo_t si = { 0 };
		bool ok;

		/* The first to end, reaped by vt_wait_ok(): a dead one stops the rest. */
		if (waitid(P_ALL, 0, &si, WEXITED | WNOWAIT))
			vt_bail("waitid");
		for (i = 0; i < o.procs && pids[i] != si.si_pid; i++)
			;
		if (i == o.procs)
			vt_bail("waitid: unknown child %d", (int)si.si_pid);
		ok = vt_wait_ok(pids[i], "worker");

		/* Do not leave the others waiting for a dead one. */
		if (!ok)
			shared->failed = 1;
		vt_ok(ok, "process %d: %zu MiB written and every byte verified %d time(s)",
		      i, len >> 20, o.passes);
	}
	out0 = vt_vmstat("pswpout") + vt_vmstat("zswpout") +
	       vt_vmstat("swpout_zero") - out0;
	if ((long long)o.size > mem)
		vt_ok(out0 * (long long)VT_PAGE >= (long long)o.size - mem,
		      "the part of the working set above RAM was swapped out (%lld MiB)",
		      out0 * (long long)VT_PAGE >> 20);
	else
		vt_ok(true, "working set within RAM (%lld pages swapped out)", out0);
	return vt_exit_status();
}
