// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-swapoff-nomem: when memory cannot take a device's data, swapoff must
 * fail with ENOMEM, leave the device in use, and lose nothing.
 *
 * Children in a memory cgroup limited to -x MEMMAX, out of the OOM
 * killer's reach (oom_score_adj -1000), fill SIZE in total and page it
 * out. Their swapped pages are charged to that cgroup when they come
 * back, so swapoff of every area must fail with ENOMEM and every area
 * stay in /proc/swaps. Then the limit is lifted: swapoff succeeds, the
 * areas are turned on again, and the children check every byte.
 *
 * With virtual swap, a failed swapoff must also give up at its first
 * page that cannot be charged: at most VSWAP_MAX_OOMS memcg OOM events
 * (memory.events "oom": one per failed charge with nothing to kill) per
 * swapoff, where charging a whole run of entries after the first failure
 * made hundreds. The stock kernel's count is only reported: it charges
 * the swap readahead window around each page, a failure each.
 *
 * For setups with one swap area: with two, swapoff of the first one
 * rightly succeeds by moving its data to the second.
 *
 *   vt-swapoff-nomem -s 64M -p 2 -x 16M -d rand
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/wait.h>

#include "vt.h"
#include "swaps.h"

#define CGROUP "/sys/fs/cgroup/vt-nomem"
/* A charge that fails in each of the two batches swapoff has in flight */
#define VSWAP_MAX_OOMS 4

struct shared {
	volatile int ready, check;
};

static const char *memmax = "16M";

static int opt_max(int opt, const char *arg)
{
	if (opt != 'x')
		return -1;
	memmax = arg;
	return 0;
}

static int child(struct shared *sh, const struct vt_opts *o, size_t len, int id)
{
	char self[32];
	char *buf;

	snprintf(self, sizeof(self), "%d", (int)getpid());
	if (vt_write_str("/proc/self/oom_score_adj", "-1000") ||
	    vt_write_str(CGROUP "/cgroup.procs", self)) {
		vt_diag("child %d: joining %s: %s", id, CGROUP, strerror(errno));
		return 3;
	}
	buf = vt_map_anon(len);
	vt_sweep(buf, len, o->seed + id, o->data, false, false);
	vt_pageout(buf, len);
	__sync_fetch_and_add(&sh->ready, 1);
	while (!sh->check)
		usleep(20000);
	return vt_sweep(buf, len, o->seed + id, o->data, o->random, true) ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct vt_opts o = { .size = 64 << 20, .procs = 2, .passes = 1, .seed = 77,
			     .data = VT_RAND };
	struct vt_swap sw[VT_MAX_SWAPS], now[VT_MAX_SWAPS];
	struct shared *sh;
	pid_t pids[64];
	size_t len;
	int i, n, left;
	bool vswap;

	vt_parse_common(&o, argc, argv, "x:", opt_max, "[-x MEMMAX]");
	if (o.procs > 64)
		vt_bail("at most 64 processes");
	n = vt_read_swaps(sw);
	if (n <= 0)
		vt_bail("no swap area in /proc/swaps");
	len = o.size / o.procs / VT_PAGE * VT_PAGE;
	vswap = vt_vswap_stat("in_use") >= 0;
	vt_plan((vswap ? 4 : 3) * n + 1 + o.procs);
	if (mkdir(CGROUP, 0755) && errno != EEXIST)
		vt_bail("mkdir %s: %s", CGROUP, strerror(errno));
	if (vt_write_str(CGROUP "/memory.max", memmax))
		vt_bail("memory.max %s: %s", memmax, strerror(errno));
	sh = vt_map_shared(sizeof(*sh));
	for (i = 0; i < o.procs; i++) {
		pids[i] = vt_fork();
		if (pids[i] == 0)
			_exit(child(sh, &o, len, i));
	}
	vt_wait_ready(&sh->ready, pids, o.procs);
	n = vt_read_swaps(sw);
	vt_diag("%d children hold %zu MiB each in a cgroup limited to %s", o.procs,
		len >> 20, memmax);
	for (i = 0; i < n; i++) {
		long long ooms = vt_read_field(CGROUP "/memory.events", "oom");
		int ret = swapoff(sw[i].path), err = errno;

		ooms = vt_read_field(CGROUP "/memory.events", "oom") - ooms;
		vt_ok(ret == -1 && err == ENOMEM, "swapoff %s (%lld KiB used) fails with ENOMEM%s%s",
		      sw[i].path, sw[i].used_kb, ret ? ": " : ": it succeeded",
		      ret ? strerror(err) : "");
		if (vswap)
			vt_ok(ooms >= 0 && ooms <= VSWAP_MAX_OOMS,
			      "swapoff %s gave up after %lld memcg OOM events (at most %d)",
			      sw[i].path, ooms, VSWAP_MAX_OOMS);
		else
			vt_diag("swapoff %s gave up after %lld memcg OOM events",
				sw[i].path, ooms);
	}
	left = vt_read_swaps(now);
	vt_ok(left == n, "every swap area still in use (%d of %d)", left, n);
	if (vt_write_str(CGROUP "/memory.max", "max"))
		vt_bail("lifting memory.max: %s", strerror(errno));
	for (i = 0; i < left; i++) {
		int ret = swapoff(now[i].path);

		vt_ok(ret == 0, "with the limit lifted, swapoff %s (%lld KiB used)%s%s",
		      now[i].path, now[i].used_kb, ret ? ": " : "", ret ? strerror(errno) : "");
	}
	for (i = 0; i < n; i++)
		vt_ok(vt_swapon(sw[i].path, sw[i].prio) == 0, "swapon %s again", sw[i].path);
	sh->check = 1;
	for (i = 0; i < o.procs; i++)
		vt_ok(vt_wait_ok(pids[i], "child"), "child %d: every byte intact", i);
	if (rmdir(CGROUP))
		vt_diag("rmdir %s: %s", CGROUP, strerror(errno));
	return vt_exit_status();
}
