// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-nowhere: pages that have nowhere to go stay mapped. A child in a new
 * cgroup whose memory.zswap.max is 0 (and, with -W, whose
 * memory.zswap.writeback is 0, which keeps its pages off the swap
 * devices) fills SIZE of anonymous memory and pages it out. Neither zswap
 * nor a device may take its pages, so none may be unmapped to a swap
 * entry (VmSwap stays 0, memory.swap.current stays 0), each refusal is
 * counted in memory.swap.events "fail", and every byte reads back intact.
 *
 *   vt-nowhere -s 16M [-W]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "vt.h"

static bool no_writeback;

static void cg_write(const char *cg, const char *file, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	if (vt_write_str(path, val))
		vt_bail("write %s to %s: %s", val, path, strerror(errno));
}

static long long cg_read(const char *cg, const char *file, const char *field)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	return field ? vt_read_field(path, field) : vt_read_ll(path);
}

/* Shared with the parent: what the child saw with its pages paged out. */
struct seen {
	long long vmswap_kb;
	long long swap_current;
	long long bad;
};

int main(int argc, char **argv)
{
	struct vt_opts o = { .size = 16 << 20, .procs = 1, .passes = 1,
			     .seed = 41, .data = VT_MIXED };
	struct seen *seen;
	long long fails;
	char cg[128];
	size_t len;
	pid_t pid;

	vt_parse_flag(&o, argc, argv, 'W', &no_writeback);
	len = o.size / VT_PAGE * VT_PAGE;
	vt_plan(5);
	snprintf(cg, sizeof(cg), "/sys/fs/cgroup/vt-nowhere-%d", getpid());
	if (mkdir(cg, 0755))
		vt_bail("mkdir %s: %s", cg, strerror(errno));
	cg_write(cg, "memory.zswap.max", "0");
	if (no_writeback)
		cg_write(cg, "memory.zswap.writeback", "0");
	seen = vt_map_shared(sizeof(*seen));
	vt_diag("%zu MiB, memory.zswap.max 0%s", len >> 20,
		no_writeback ? ", memory.zswap.writeback 0" : "");

	pid = vt_fork();
	if (pid == 0) {
		char *buf;
		int p;

		cg_write(cg, "cgroup.procs", "0");
		buf = vt_map_anon(len);
		vt_sweep(buf, len, o.seed, o.data, false, false);
		for (p = 0; p < 2; p++)
			vt_pageout(buf, len);
		seen->vmswap_kb = vt_status_kb("VmSwap");
		seen->swap_current = cg_read(cg, "memory.swap.current", NULL);
		seen->bad = vt_sweep(buf, len, o.seed, o.data, o.random, true);
		_exit(0);
	}
	vt_ok(vt_wait_ok(pid, "cgroup member"), "the cgroup's task ran");
	vt_ok(seen->bad == 0, "every byte intact (%lld bad pages)", seen->bad);
	vt_ok(seen->vmswap_kb == 0,
	      "no page unmapped to a swap entry it could not be stored under (VmSwap %lld kB)",
	      seen->vmswap_kb);
	vt_ok(seen->swap_current == 0,
	      "no swap charged to the cgroup (memory.swap.current %lld)",
	      seen->swap_current);
	fails = cg_read(cg, "memory.swap.events", "fail");
	vt_ok(fails >= (long long)(len / VT_PAGE / 2),
	      "the refusals are counted (memory.swap.events fail %lld for %zu pages)",
	      fails, len / VT_PAGE);
	if (rmdir(cg))
		vt_diag("rmdir %s: %s", cg, strerror(errno));
	return vt_exit_status();
}
