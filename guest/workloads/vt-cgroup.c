// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-cgroup: a cgroup whose memory.max is below its working set. A child
 * in a new cgroup under /sys/fs/cgroup sweeps SIZE of anonymous memory
 * with memory.max = LIMIT; it must finish with every byte intact, without
 * an OOM kill, having stayed within its limit.
 *
 *   vt-cgroup -s 96M -x 32M -m rand -l 2
 *
 * With -G (virtual swap), the memory backing the virtual space's maps
 * (debugfs vswap/stat map_bytes) must follow the entries down: once the
 * child has exited, within GIVEBACK_WAIT seconds it must be no more than
 * before the child (one step of slack) and below what it was while the
 * child's pages were swapped out.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/mman.h>

#include "vt.h"

#define PEAK_SLACK (256UL << 10)
/*
 * A step of the virtual space's maps: 4096 slots, a page of swap_map,
 * two of swap_cgroup and a bit of a zeromap page.
 */
#define GIVEBACK_STEP (4 * 4096LL)
#define GIVEBACK_WAIT 30

static size_t limit = 32 << 20;
static bool giveback;

static int opt_limit(int opt, const char *arg)
{
	if (opt == 'G') {
		giveback = true;
		return 0;
	}
	if (opt != 'x')
		return -1;
	limit = vt_parse_size(arg);
	return limit ? 0 : -1;
}

/* -G: wait for map_bytes to come down; check it against before and peak. */
static void check_giveback(long long before, long long peak)
{
	long long now = vt_vswap_stat("map_bytes");
	int s;

	for (s = 0; s < GIVEBACK_WAIT && now > before + GIVEBACK_STEP; s++) {
		sleep(1);
		now = vt_vswap_stat("map_bytes");
	}
	vt_diag("map_bytes %lld before, %lld with the pages swapped, %lld after %d s",
		before, peak, now, s);
	vt_ok(peak > before + GIVEBACK_STEP,
	      "the swapped pages' entries took more of the maps (%lld KiB)",
	      (peak - before) >> 10);
	vt_ok(now <= before + GIVEBACK_STEP && now < peak,
	      "the maps were given back once they were freed (%lld KiB left of %lld)",
	      (now - before) >> 10, (peak - before) >> 10);
}

static long long event(const char *cg, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/memory.events", cg);
	return vt_read_field(path, name);
}

static long long cg_file(const char *cg, const char *file)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	return vt_read_ll(path);
}

int main(int argc, char **argv)
{
	struct vt_opts o = { .size = 96 << 20, .procs = 1, .passes = 2, .seed = 31 };
	char cg[128], path[192], val[32];
	long long peak, swpeak, maps = -1, *maps_peak = NULL;
	size_t len;
	pid_t pid;

	vt_parse_common(&o, argc, argv, "x:G", opt_limit,
			"  -x LIMIT  memory.max of the cgroup (default 32M)\n"
			"  -G        the virtual space's maps must be given back\n");
	len = o.size / VT_PAGE * VT_PAGE;
	if (giveback) {
		maps = vt_vswap_stat("map_bytes");
		if (maps <= 0)
			vt_bail("-G: no map_bytes in /sys/kernel/debug/vswap/stat");
		/* Touched here: charged to this cgroup, not the child's. */
		maps_peak = vt_map_shared(sizeof(*maps_peak));
		*maps_peak = 0;
	}
	vt_plan(giveback ? 6 : 4);
	snprintf(cg, sizeof(cg), "/sys/fs/cgroup/vt-cgroup-%d", getpid());
	if (mkdir(cg, 0755))
		vt_bail("mkdir %s: %s", cg, strerror(errno));
	snprintf(path, sizeof(path), "%s/memory.max", cg);
	snprintf(val, sizeof(val), "%zu", limit);
	if (vt_write_str(path, val))
		vt_bail("write %s: %s", path, strerror(errno));
	vt_diag("%zu MiB working set, memory.max %zu MiB", len >> 20, limit >> 20);

	pid = vt_fork();
	if (pid == 0) {
		char *buf;
		size_t bad = 0;
		int p;

		snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
		if (vt_write_str(path, "0"))
			_exit(3);
		buf = vt_map_anon(len);
		vt_sweep(buf, len, o.seed, o.data, false, false);
		for (p = 0; p < o.passes; p++)
			bad += vt_sweep(buf, len, o.seed, o.data, o.random, true);
		if (maps_peak)
			*maps_peak = vt_vswap_stat("map_bytes");
		_exit(bad ? 1 : 0);
	}
	vt_ok(vt_wait_ok(pid, "cgroup member"),
	      "working set %zu MiB over memory.max %zu MiB: every byte intact",
	      len >> 20, limit >> 20);
	vt_ok(event(cg, "oom_kill") == 0, "no OOM kill (memory.events oom_kill %lld)",
	      event(cg, "oom_kill"));
	/*
	 * Some charges may pass memory.max by design (try_charge() forces
	 * __GFP_NOFAIL ones, page tables among them): allow a few pages.
	 */
	peak = cg_file(cg, "memory.peak");
	vt_ok(peak > 0 && peak <= (long long)(limit + PEAK_SLACK),
	      "memory.peak %lld KiB <= memory.max + %lu KiB", peak >> 10,
	      PEAK_SLACK >> 10);
	swpeak = cg_file(cg, "memory.swap.peak");
	vt_ok(swpeak * 2 >= (long long)(len - limit),
	      "memory.swap.peak %lld KiB covers the excess (zswap included)",
	      swpeak >> 10);
	if (giveback)
		check_giveback(maps, *maps_peak);
	if (rmdir(cg))
		vt_diag("rmdir %s: %s", cg, strerror(errno));
	return vt_exit_status();
}
