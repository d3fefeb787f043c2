// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-readfree: a page read back from a synchronous swap device (zram)
 * leaves the device and the swap cache at once, as with 6.12's swap-in
 * bypass: MADV_PAGEOUT private anonymous memory, read every byte back,
 * then check that zram's copies of it were freed and that the pages did
 * not stay in the swap cache.
 *
 *   vt-readfree -s 20% -d mixed [-z /sys/block/zram0]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vt.h"

static const char *zram = "/sys/block/zram0";

static int handle(int opt, const char *arg)
{
	if (opt != 'z')
		return -1;
	zram = arg;
	return 0;
}

/* Bytes of data zram holds: orig_data_size, mm_stat's first field. */
static long long zram_stored(void)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/mm_stat", zram);
	return vt_read_ll(path);
}

int main(int argc, char **argv)
{
	struct vt_opts o = { .size = 32 << 20, .procs = 1, .passes = 1, .seed = 23,
			     .data = VT_MIXED };
	long long z0, z1, z2, in0, cached;
	size_t len, bad;
	char *buf;

	vt_parse_common(&o, argc, argv, "z:", handle, "[-z ZRAM_SYSFS_DIR]");
	len = o.size / VT_PAGE * VT_PAGE;
	vt_plan(4);
	z0 = zram_stored();
	if (z0 < 0)
		vt_bail("no %s/mm_stat: not a zram setup", zram);
	buf = vt_map_anon(len);
	vt_sweep(buf, len, o.seed, o.data, o.random, false);
	vt_pageout(buf, len);
	vt_evict_swapcache(len);
	z1 = zram_stored();
	/* Zero pages may be stored nowhere (vswap): count the others. */
	vt_ok(z1 - z0 >= (long long)len / 2, "%lld KiB of %zu KiB went to zram",
	      (z1 - z0) >> 10, len >> 10);

	in0 = vt_swapins();
	bad = vt_sweep(buf, len, o.seed, o.data, !o.random, true);
	in0 = vt_swapins() - in0;
	vt_ok(bad == 0, "every byte read back intact (%zu bad pages), %lld pages swapped in",
	      bad, in0);

	/*
	 * Frees of device slots may wait in per-CPU batches of 64
	 * (free_swap_slot()): allow two batches a CPU beside 5%.
	 */
	z2 = zram_stored();
	vt_ok(z2 - z0 <= (z1 - z0) / 20 + 128LL * (long long)VT_PAGE * sysconf(_SC_NPROCESSORS_ONLN),
	      "zram holds %lld KiB of the %lld KiB after the read (freed on read)",
	      (z2 - z0) >> 10, (z1 - z0) >> 10);
	cached = vt_meminfo_kb("SwapCached");
	vt_ok(cached * 1024 <= (long long)len / 20,
	      "SwapCached %lld KiB after reading %zu KiB back (read past the swap cache)",
	      cached, len >> 10);
	return vt_exit_status();
}
