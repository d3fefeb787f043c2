// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-swapcharge: swapoff gives back the swap charge of what it brings
 * back. A child in a new cgroup pages out SIZE of incompressible data (it
 * goes to the swap areas, zswap or not), then turns every swap area off:
 * the data is in memory, so the cgroup's memory.swap.current must fall to
 * (about) 0, as with 6.12, where swapoff frees the entries, and stay
 * there while the data is read back. With the areas on again, paging the
 * data out charges it again. Every byte is checked each time.
 *
 *   vt-swapcharge -s 32M
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/swap.h>

#include "swaps.h"
#include "vt.h"

/* Entries freed but not given back yet: 64 per CPU in vswap's batches. */
#define CHARGE_SLACK (512LL << 10)

struct seen {
	long long out, off, read, again;
	long long bad;
	int swapoff_err;
};

static long long swap_current(const char *cg)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/memory.swap.current", cg);
	return vt_read_ll(path);
}

static void child(const char *cg, size_t len, const struct vt_opts *o,
		  struct seen *seen)
{
	struct vt_swap sw[VT_MAX_SWAPS];
	char path[256], *buf;
	int n, i;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	if (vt_write_str(path, "0"))
		_exit(3);
	buf = vt_map_anon(len);
	vt_sweep(buf, len, o->seed, o->data, false, false);
	vt_pageout(buf, len);
	vt_evict_swapcache_in(cg, len);
	seen->out = swap_current(cg);

	n = vt_read_swaps(sw);
	for (i = 0; i < n; i++)
		if (swapoff(sw[i].path))
			seen->swapoff_err = errno;
	seen->off = swap_current(cg);
	seen->bad = vt_sweep(buf, len, o->seed, o->data, o->random, true);
	seen->read = swap_current(cg);

	for (i = 0; i < n; i++)
		if (vt_swapon(sw[i].path, sw[i].prio))
			seen->swapoff_err = errno;
	vt_pageout(buf, len);
	vt_evict_swapcache_in(cg, len);
	seen->again = swap_current(cg);
	seen->bad += vt_sweep(buf, len, o->seed, o->data, !o->random, true);
	_exit(0);
}

int main(int argc, char **argv)
{
	struct vt_opts o = { .size = 32 << 20, .procs = 1, .passes = 1,
			     .seed = 43, .data = VT_RAND };
	struct seen *seen;
	char cg[128];
	size_t len;
	pid_t pid;

	vt_parse_common(&o, argc, argv, NULL, NULL, NULL);
	if (!vt_have_swap())
		vt_bail("no swap");
	len = o.size / VT_PAGE * VT_PAGE;
	vt_plan(6);
	snprintf(cg, sizeof(cg), "/sys/fs/cgroup/vt-swapcharge-%d", getpid());
	if (mkdir(cg, 0755))
		vt_bail("mkdir %s: %s", cg, strerror(errno));
	seen = vt_map_shared(sizeof(*seen));
	pid = vt_fork();
	if (pid == 0)
		child(cg, len, &o, seen);
	vt_ok(vt_wait_ok(pid, "cgroup member") && !seen->swapoff_err,
	      "swapoff and swapon of every area (%s)",
	      seen->swapoff_err ? strerror(seen->swapoff_err) : "done");
	vt_ok(seen->out >= (long long)len / 2,
	      "paged out: memory.swap.current %lld KiB for %zu KiB", seen->out >> 10,
	      len >> 10);
	vt_ok(seen->off <= CHARGE_SLACK,
	      "after swapoff: memory.swap.current %lld KiB (at most %lld)",
	      seen->off >> 10, CHARGE_SLACK >> 10);
	vt_ok(seen->read <= CHARGE_SLACK,
	      "after the data was read back: memory.swap.current %lld KiB", seen->read >> 10);
	vt_ok(seen->again >= (long long)len / 2,
	      "paged out again after swapon: memory.swap.current %lld KiB", seen->again >> 10);
	vt_ok(seen->bad == 0, "every byte intact, twice (%lld bad pages)", seen->bad);
	if (rmdir(cg))
		vt_diag("rmdir %s: %s", cg, strerror(errno));
	return vt_exit_status();
}
