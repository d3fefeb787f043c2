// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-swapoff: swapoff while processes hold swapped pages. Children fill
 * memory and page it out, then check it over and over, each round also
 * in a forked copy that shares the swapped pages; meanwhile the parent
 * turns off every swap area in /proc/swaps, then turns them on
 * again with their old priorities, -l times (default once), the children
 * paging their data out again between rounds. Every byte must survive.
 * With -z, while the areas are off the children page their data out once
 * more, and each must then have at least half of it swapped out: with
 * virtual swap, zswap carries on with no swap device left.
 *
 *   vt-swapoff -s 40% -p 2 [-l ROUNDS] [-z]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/swap.h>
#include <sys/wait.h>

#include "vt.h"
#include "swaps.h"

struct shared {
	volatile int ready, stop, round;
	volatile long rounds[64];
	/* -z: the round whose areas are off, children that paged out then */
	volatile int nodev, nodev_done;
	volatile long long nodev_kb[64];
};

static bool nodev;

static int child(struct shared *sh, const struct vt_opts *o, size_t len, int id)
{
	uint64_t seed = o->seed + id;
	char *buf = vt_map_anon(len);
	size_t bad = 0;
	int round = 0, nodev_round = 0;

	vt_sweep(buf, len, seed, o->data, false, false);
	vt_pageout(buf, len);
	if (vt_status_kb("VmSwap") * 1024 < (long long)len / 2) {
		vt_diag("child %d: only %lld KiB swapped out", id, vt_status_kb("VmSwap"));
		return 3;
	}
	__sync_fetch_and_add(&sh->ready, 1);
	while (!sh->stop && !bad) {
		pid_t pid;

		bad += vt_sweep(buf, len, seed, o->data, o->random, true);
		sh->rounds[id]++;
		/* A fork racing with swapoff: the copy checks what it shares. */
		pid = vt_fork();
		if (pid == 0)
			_exit(vt_sweep(buf, len, seed, o->data, !o->random, true) ? 1 : 0);
		if (!vt_wait_ok(pid, "forked checker"))
			bad++;
		/* A new swapoff round: give it swapped pages to move again. */
		if (sh->round != round) {
			round = sh->round;
			vt_pageout(buf, len);
		}
		/* No swap area: where can the pages go? */
		if (sh->nodev != nodev_round) {
			nodev_round = sh->nodev;
			vt_pageout(buf, len);
			sh->nodev_kb[id] = vt_status_kb("VmSwap");
			__sync_fetch_and_add(&sh->nodev_done, 1);
		}
	}
	bad += vt_sweep(buf, len, seed, o->data, o->random, true);
	return bad ? 1 : 0;
}

/*
 * With every area off, have the children page their data out again and
 * check that at least half of it left memory (for zswap, the only place
 * left with virtual swap; none without it).
 */
static void check_nodev(struct shared *sh, const struct vt_opts *o,
			const pid_t *pids, size_t len, int round)
{
	int i, waited;

	sh->nodev_done = 0;
	sh->nodev = round;
	for (waited = 0; sh->nodev_done < o->procs && waited < 600; waited++)
		usleep(100000);
	for (i = 0; i < o->procs; i++)
		vt_ok(sh->nodev_kb[i] * 1024 >= (long long)len / 2,
		      "round %d: child %d (pid %d) has %lld of %zu KiB swapped out with no swap area",
		      round, i, pids[i], sh->nodev_kb[i], len >> 10);
}

int main(int argc, char **argv)
{
	struct vt_opts o = { .size = 64 << 20, .procs = 2, .passes = 1, .seed = 41 };
	struct vt_swap sw[VT_MAX_SWAPS], after[VT_MAX_SWAPS];
	struct shared *sh;
	pid_t pids[64];
	size_t len;
	int i, n, left, round;

	vt_parse_flag(&o, argc, argv, 'z', &nodev);
	if (o.procs > 64)
		vt_bail("at most 64 processes");
	n = vt_read_swaps(sw);
	if (n <= 0)
		vt_bail("no swap area in /proc/swaps");
	len = o.size / o.procs / VT_PAGE * VT_PAGE;
	vt_plan(o.passes * (2 * n + 1 + (nodev ? o.procs : 0)) + o.procs);
	sh = vt_map_shared(sizeof(*sh));
	for (i = 0; i < o.procs; i++) {
		pids[i] = vt_fork();
		if (pids[i] == 0)
			_exit(child(sh, &o, len, i));
	}
	vt_wait_ready(&sh->ready, pids, o.procs);
	vt_diag("%d children hold %zu MiB each, swapped out", o.procs, len >> 20);
	for (round = 1; round <= o.passes; round++) {
		if (round > 1) {
			/* Let the children page out and check once more. */
			sh->round = round;
			usleep(500000);
		}
		if (vt_read_swaps(sw) != n)
			vt_bail("round %d: the swap areas changed", round);
		for (i = 0; i < n; i++) {
			int ret = swapoff(sw[i].path);

			vt_ok(ret == 0, "round %d: swapoff %s (%lld KiB used)%s%s", round,
			      sw[i].path, sw[i].used_kb, ret ? ": " : "",
			      ret ? strerror(errno) : "");
		}
		left = vt_read_swaps(after);
		vt_ok(left == 0, "round %d: no swap area left in /proc/swaps (%d)", round, left);
		if (nodev)
			check_nodev(sh, &o, pids, len, round);
		for (i = 0; i < n; i++) {
			int ret = vt_swapon(sw[i].path, sw[i].prio);

			vt_ok(ret == 0, "round %d: swapon %s again, priority %d", round,
			      sw[i].path, sw[i].prio);
		}
	}
	sh->stop = 1;
	for (i = 0; i < o.procs; i++)
		vt_ok(vt_wait_ok(pids[i], "child"),
		      "child %d: data intact through swapoff/swapon (%ld checks)",
		      i, sh->rounds[i]);
	return vt_exit_status();
}
