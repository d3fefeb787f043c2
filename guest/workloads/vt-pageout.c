// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-pageout: MADV_PAGEOUT private and shared anonymous memory, check that
 * it was written out and left the swap cache, then read every byte back
 * and check that it came back through swap-in; several rounds.
 *
 *   vt-pageout -s 30% -l 3 -d mixed
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "vt.h"

static long long swapouts(void)
{
	return vt_vmstat("pswpout") + vt_vmstat("zswpout");
}

static void round_of(const char *what, char *buf, size_t len, const struct vt_opts *o,
		     uint64_t seed)
{
	/* Zero pages leave no I/O behind them: count the others only. */
	long long want = o->data == VT_ZERO ? 0 :
			 o->data == VT_MIXED ? (long long)len / 2 : (long long)len * 9 / 10;
	long long out0 = swapouts(), in0;
	size_t bad;

	vt_sweep(buf, len, seed, o->data, o->random, false);
	vt_pageout(buf, len);
	out0 = swapouts() - out0;
	if (vt_have_swap()) {
		bool evicted = vt_evict_swapcache(len);

		vt_ok(out0 * (long long)VT_PAGE >= want && evicted,
		      "%s: %lld KiB of %zu KiB written out%s", what,
		      out0 * (long long)VT_PAGE >> 10, len >> 10,
		      evicted ? ", and out of the swap cache" : "");
	} else {
		vt_ok(out0 == 0, "%s: no swap, nothing swapped out", what);
	}
	in0 = vt_swapins();
	bad = vt_sweep(buf, len, seed, o->data, !o->random, true);
	in0 = vt_swapins() - in0;
	vt_ok(bad == 0 && (!vt_have_swap() || in0 * (long long)VT_PAGE >= want / 2),
	      "%s: every byte read back intact (%zu bad pages), %lld pages swapped in",
	      what, bad, in0);
}

int main(int argc, char **argv)
{
	struct vt_opts o = { .size = 32 << 20, .procs = 1, .passes = 2, .seed = 11 };
	size_t len;
	char *priv, *shared;
	int r;

	vt_parse_common(&o, argc, argv, NULL, NULL, NULL);
	len = o.size / 2 / VT_PAGE * VT_PAGE;
	vt_plan(o.passes * 4);
	priv = vt_map_anon(len);
	shared = vt_map_shared(len);
	for (r = 0; r < o.passes; r++) {
		round_of("private", priv, len, &o, o.seed + r);
		round_of("shared", shared, len, &o, o.seed + 100 + r);
	}
	return vt_exit_status();
}
