// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-mixedswap: with vswap=on, pages swapped out while zswap is off take
 * device slots directly and pages swapped out while it is on get virtual
 * entries; both must live side by side and survive swapoff. Boots with
 * zswap off and one swap device: page out A (direct entries: vswap's
 * count of entries in use must not grow), turn zswap on, page out B
 * (virtual entries; its incompressible pages are bound to device slots),
 * turn zswap off again, swapoff every device (moves B's bound slots by
 * the reverse map and A's slots by the page-table walk), check every
 * byte of A and B, and swapon again.
 *
 *   vt-mixedswap -s 20%
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/swap.h>

#include "vt.h"
#include "swaps.h"

#define ZSWAP "/sys/module/zswap/parameters/enabled"

int main(int argc, char **argv)
{
	struct vt_opts o = { .size = 32 << 20, .procs = 1, .passes = 1, .seed = 53,
			     .data = VT_MIXED };
	struct vt_swap swaps[VT_MAX_SWAPS];
	long long in0, in1, in2, dev1, dev2, swapped;
	size_t len, bad;
	char *a, *b;
	int n, i, off = 0;

	vt_parse_common(&o, argc, argv, NULL, NULL, NULL);
	len = o.size / 2 / VT_PAGE * VT_PAGE;
	vt_plan(6);
	if (vt_vswap_stat("in_use") < 0)
		vt_bail("vswap is off: boot with vswap=on");
	n = vt_read_swaps(swaps);
	if (n <= 0)
		vt_bail("no swap device");
	if (vt_write_str(ZSWAP, "N"))
		vt_bail("cannot turn zswap off");

	a = vt_map_anon(len);
	b = vt_map_anon(len);
	in0 = vt_vswap_stat("in_use");
	vt_sweep(a, len, o.seed, o.data, false, false);
	vt_pageout(a, len);
	swapped = vt_status_kb("VmSwap");
	in1 = vt_vswap_stat("in_use");
	/* Entries other tasks free or batch meanwhile: a few hundred. */
	vt_ok(swapped * 1024 >= (long long)len / 2 && in1 - in0 < 1024,
	      "zswap off: %lld KiB swapped out with %lld virtual entries more (direct slots)",
	      swapped, in1 - in0);

	if (vt_write_str(ZSWAP, "Y"))
		vt_bail("cannot turn zswap on");
	dev1 = vt_vswap_stat("device");
	vt_sweep(b, len, o.seed + 1, o.data, false, false);
	vt_pageout(b, len);
	in2 = vt_vswap_stat("in_use");
	dev2 = vt_vswap_stat("device");
	vt_write_str(ZSWAP, "N");
	vt_ok(in2 - in1 >= (long long)(len / VT_PAGE) / 2 && dev2 > dev1,
	      "zswap on: %lld virtual entries more, %lld of them on a device",
	      in2 - in1, dev2 - dev1);

	for (i = 0; i < n; i++) {
		if (swapoff(swaps[i].path)) {
			vt_diag("swapoff %s: %s", swaps[i].path, strerror(errno));
			break;
		}
		off++;
	}
	vt_ok(off == n, "swapoff of %d device(s) holding both kinds of entries", n);
	vt_ok(vt_vswap_stat("device") == 0, "no virtual entry left on a device (%lld)",
	      vt_vswap_stat("device"));

	bad = vt_sweep(a, len, o.seed, o.data, true, true);
	bad += vt_sweep(b, len, o.seed + 1, o.data, true, true);
	vt_ok(bad == 0, "every byte of both read back intact (%zu bad pages)", bad);
	for (i = 0; i < off; i++)
		if (vt_swapon(swaps[i].path, swaps[i].prio))
			vt_bail("swapon %s again: %s", swaps[i].path, strerror(errno));
	vt_ok(vt_read_swaps(swaps) == n, "the devices are on again");
	return vt_exit_status();
}
