// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-pageout: MADV_PAGEOUT private and shared anonymous memory, check that
 * it left RAM, then read every byte back; several rounds.
 *
 *   vt-pageout -s 30% -l 3 -d mixed
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "vt.h"

static void round_of(const char *what, char *buf, size_t len, const struct vt_opts *o,
		     uint64_t seed, long long (*swapped_kb)(void))
{
	long long before = swapped_kb(), after;
	size_t bad;

	vt_sweep(buf, len, seed, o->data, o->random, false);
	vt_pageout(buf, len);
	after = swapped_kb();
	if (vt_have_swap()) {
		/* Zero pages may be dropped without I/O; count only the rest. */
		size_t want = o->data == VT_ZERO ? 0 :
			      o->data == VT_MIXED ? len / 2 : len * 9 / 10;

		vt_ok((after - before) * 1024 >= (long long)want,
		      "%s: %lld KiB swapped out of %zu KiB", what, after - before,
		      len >> 10);
	} else {
		vt_ok(after == before, "%s: no swap, nothing swapped out", what);
	}
	bad = vt_sweep(buf, len, seed, o->data, !o->random, true);
	vt_ok(bad == 0, "%s: every byte read back intact (%zu bad pages)", what, bad);
}

static long long vmswap(void)
{
	return vt_status_kb("VmSwap");
}

static long long swap_used(void)
{
	/* Shared anonymous memory is shmem: it does not show in VmSwap. */
	return vt_meminfo_kb("SwapTotal") - vt_meminfo_kb("SwapFree");
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
	shared = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		vt_bail("mmap shared: %s", strerror(errno));
	for (r = 0; r < o.passes; r++) {
		round_of("private", priv, len, &o, o.seed + r, vmswap);
		round_of("shared", shared, len, &o, o.seed + 100 + r, swap_used);
	}
	return vt_exit_status();
}
