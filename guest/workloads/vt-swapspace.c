// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-swapspace: what the kernel counts as swap space, checked against the
 * swap areas in /proc/swaps. As in 6.12, only the devices' slots count in
 * the commit limit (overcommit_memory=2) and in the OOM killer's total of
 * memory (/proc/PID/oom_score); with virtual swap, SwapTotal adds zswap's
 * nominal share (twice MemTotal) while zswap is enabled, and nothing else.
 *
 *   vt-swapspace [-z]
 *
 * -z (virtual swap, zswap on, one small device): zswap is filled with more
 * pages than the device has slots, then turned off; the device must still
 * take pages (its free slots do not go negative), and SwapFree must stay
 * within SwapTotal.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "swaps.h"
#include "vt.h"

#define ZSWAP_ENABLED "/sys/module/zswap/parameters/enabled"

static bool zswap_off_test;

/* Sum of the sizes of the swap areas, in kB. */
static long long swaps_kb(void)
{
	struct vt_swap sw[VT_MAX_SWAPS];
	long long kb = 0;
	int n = vt_read_swaps(sw), i;

	if (n < 0)
		vt_bail("cannot read /proc/swaps");
	for (i = 0; i < n; i++)
		kb += sw[i].size_kb;
	return kb;
}

static bool zswap_enabled(void)
{
	char c = 'N';
	FILE *f = fopen(ZSWAP_ENABLED, "r");

	if (f) {
		if (fscanf(f, "%c", &c) != 1)
			c = 'N';
		fclose(f);
	}
	return c == 'Y';
}

static void check_total(const char *when)
{
	long long total = vt_meminfo_kb("SwapTotal"), free = vt_meminfo_kb("SwapFree");
	long long want = swaps_kb();

	if (vt_vswap_stat("in_use") >= 0 && zswap_enabled())
		want += 2 * vt_meminfo_kb("MemTotal");
	vt_ok(total == want && free >= 0 && free <= total,
	      "%s: SwapTotal %lld kB is the swap areas' plus zswap's nominal share (%lld kB), SwapFree %lld kB within it",
	      when, total, want, free);
}

/* CommitLimit: (MemTotal * overcommit_ratio / 100) + the swap areas. */
static void check_commit(void)
{
	long long ratio = vt_read_ll("/proc/sys/vm/overcommit_ratio");
	long long ram = vt_meminfo_kb("MemTotal") / 4, swap = swaps_kb() / 4;
	long long want = (ram * ratio / 100 + swap) * 4;
	long long limit = vt_meminfo_kb("CommitLimit");
	size_t over;
	void *p;

	vt_ok(limit == want, "CommitLimit %lld kB = MemTotal x %lld%% + swap areas (%lld kB)",
	      limit, ratio, want);
	/* Under overcommit_memory=2, a mapping past the limit is refused. */
	if (vt_write_str("/proc/sys/vm/overcommit_memory", "2"))
		vt_bail("overcommit_memory: %s", strerror(errno));
	over = (size_t)(want - vt_meminfo_kb("Committed_AS") + (64 << 10)) << 10;
	p = mmap(NULL, over, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	vt_ok(p == MAP_FAILED && errno == ENOMEM,
	      "overcommit_memory=2: %zu MiB past the commit limit refused", over >> 20);
	if (p != MAP_FAILED)
		munmap(p, over);
	p = mmap(NULL, 16 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	vt_ok(p != MAP_FAILED, "overcommit_memory=2: 16 MiB within it mapped");
	if (p != MAP_FAILED)
		munmap(p, 16 << 20);
	if (vt_write_str("/proc/sys/vm/overcommit_memory", "0"))
		vt_bail("overcommit_memory: %s", strerror(errno));
}

/*
 * The OOM killer's badness of this process: (RSS + swap entries + page
 * tables) * 1000 / (RAM + swap areas), which /proc/self/oom_score shows
 * as (1000 + badness) * 2 / 3.
 */
static void check_oom_view(void)
{
	size_t len = 32 << 20;
	char *buf = vt_map_anon(len);
	long long pages, total, want, score;

	vt_sweep(buf, len, 5, VT_COMP, false, false);
	pages = (vt_status_kb("VmRSS") + vt_status_kb("VmSwap") + vt_status_kb("VmPTE")) / 4;
	total = (vt_meminfo_kb("MemTotal") + swaps_kb()) / 4;
	want = (1000 + pages * 1000 / total) * 2 / 3;
	score = vt_read_ll("/proc/self/oom_score");
	vt_ok(score >= want - 1 && score <= want + 1,
	      "oom_score %lld: %lld pages of %lld, RAM and swap areas (want %lld)",
	      score, pages, total, want);
	munmap(buf, len);
}

/* -z: zswap holds more than the device's slots, then goes off. */
static void check_zswap_off(void)
{
	long long dev = swaps_kb(), out0, stored;
	size_t len = (size_t)dev * 1024 * 3 / 2, more = (size_t)dev * 1024 / 4;
	char *buf, *buf2;

	if (!zswap_enabled())
		vt_bail("-z: zswap is off");
	buf = vt_map_anon(len);
	vt_sweep(buf, len, 9, VT_HIGH, false, false);
	vt_pageout(buf, len);
	stored = vt_meminfo_kb("Zswapped");
	vt_ok(stored > dev, "zswap holds %lld kB, more than the swap areas' %lld kB",
	      stored, dev);
	if (vt_write_str(ZSWAP_ENABLED, "N"))
		vt_bail("zswap off: %s", strerror(errno));
	check_total("zswap off");
	buf2 = vt_map_anon(more);
	vt_sweep(buf2, more, 10, VT_RAND, false, false);
	out0 = vt_vmstat("pswpout");
	vt_pageout(buf2, more);
	out0 = vt_vmstat("pswpout") - out0;
	vt_ok(out0 * 4 >= (long long)(more >> 10) / 2,
	      "zswap off: the device still takes pages (%lld kB of %zu written)",
	      out0 * 4, more >> 10);
	vt_ok(vt_sweep(buf2, more, 10, VT_RAND, false, true) == 0 &&
	      vt_sweep(buf, len, 9, VT_HIGH, false, true) == 0,
	      "every byte intact");
	if (vt_write_str(ZSWAP_ENABLED, "Y"))
		vt_bail("zswap on: %s", strerror(errno));
	munmap(buf, len);
	munmap(buf2, more);
}

int main(int argc, char **argv)
{
	struct vt_opts o = { .procs = 1, .passes = 1, .seed = 1 };

	vt_parse_flag(&o, argc, argv, 'z', &zswap_off_test);
	vt_plan(zswap_off_test ? 9 : 5);
	check_total("as booted");
	check_commit();
	check_oom_view();
	if (zswap_off_test)
		check_zswap_off();
	return vt_exit_status();
}
