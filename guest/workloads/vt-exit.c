// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-exit: munmap and exit while pages are swapped out. Children fill
 * memory and page it out, unmap parts of it (checking what stays), and
 * exit holding swapped pages (each child checks that at least half of its
 * buffer left RAM when there is swap). Afterwards the swap space they used must be
 * free again: SwapFree and Zswapped come back to where they started.
 *
 *   vt-exit -s 40% -p 4
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>

#include "vt.h"

/* Check the pages at [from, to) of buf, one every step bytes. */
static size_t check_every(char *buf, size_t from, size_t to, size_t step,
			  uint64_t seed, enum vt_data d)
{
	size_t off, at, bad = 0;

	for (off = from; off < to; off += step)
		if (!vt_check_page(buf + off, seed, off / VT_PAGE, d, &at) && bad++ < 5)
			vt_diag("page %zu differs at byte %zu", off / VT_PAGE, at);
	return bad;
}

static int child(const struct vt_opts *o, size_t len, int id)
{
	uint64_t seed = o->seed + id;
	char *buf = vt_map_anon(len);
	size_t q = len / 4 / VT_PAGE * VT_PAGE, bad;

	vt_sweep(buf, len, seed, o->data, false, false);
	vt_pageout(buf, len);
	if (vt_have_swap() && vt_status_kb("VmSwap") * 1024 < (long long)len / 2) {
		vt_diag("child %d: only %lld KiB swapped out", id, vt_status_kb("VmSwap"));
		return 3;
	}
	/* Unmap the second quarter and the odd pages of the third. */
	munmap(buf + q, q);
	for (size_t off = 2 * q + VT_PAGE; off < 3 * q; off += 2 * VT_PAGE)
		munmap(buf + off, VT_PAGE);
	/* What stays mapped: the first quarter, the even pages of the third, the fourth. */
	bad = vt_sweep(buf, q, seed, o->data, o->random, true);
	bad += check_every(buf, 2 * q, 3 * q, 2 * VT_PAGE, seed, o->data);
	bad += check_every(buf, 3 * q, 4 * q, VT_PAGE, seed, o->data);
	vt_pageout(buf, q);
	/* Exit with the first half of the buffer swapped out again. */
	return bad ? 1 : 0;
}

/*
 * Swap space in use, not counting slots that only back a swap cache page
 * (SwapCached: freed lazily, when reclaim gets to the page).
 */
static long long swap_in_use_kb(void)
{
	return vt_meminfo_kb("SwapTotal") - vt_meminfo_kb("SwapFree") -
	       vt_meminfo_kb("SwapCached") + vt_meminfo_kb("Zswapped");
}

int main(int argc, char **argv)
{
	struct vt_opts o = { .size = 64 << 20, .procs = 4, .passes = 1, .seed = 21 };
	long long used0, used1 = 0, slack;
	size_t len;
	int i, tries;

	vt_parse_common(&o, argc, argv, NULL, NULL, NULL);
	len = o.size / o.procs / VT_PAGE * VT_PAGE;
	vt_plan(o.procs + 1);
	used0 = swap_in_use_kb();
	for (i = 0; i < o.procs; i++) {
		pid_t pid = vt_fork();

		if (pid == 0)
			_exit(child(&o, len, i));
		/* Reap one at a time so that the swap use below is theirs. */
		vt_ok(vt_wait_ok(pid, "child"),
		      "child %d: kept pages intact after partial munmap, exited", i);
	}
	/*
	 * The per-CPU swap slot caches hold up to SWAP_SLOTS_CACHE_SIZE (64)
	 * allocated and as many freed slots per CPU that SwapFree counts as
	 * used; allow for them, and for the frees to settle.
	 */
	slack = 2 * 64 * 4 * sysconf(_SC_NPROCESSORS_ONLN);
	for (tries = 0; tries < 50; tries++) {
		used1 = swap_in_use_kb();
		if (used1 - used0 <= slack)
			break;
		usleep(100000);
	}
	vt_diag("swap in use: %lld KiB before, %lld KiB after", used0, used1);
	vt_ok(used1 - used0 <= slack,
	      "swap space of exited tasks is free again (%lld KiB still used, %lld KiB allowed)",
	      used1 - used0, slack);
	return vt_exit_status();
}
