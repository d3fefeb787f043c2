// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-fork: copy-on-write after swap-out. The parent fills a buffer and
 * pages it out, then forks children that read the shared swapped pages,
 * write their own pattern over half of them, page out again and check
 * everything; meanwhile the parent rewrites the other half. At the end
 * each side must see exactly its own data.
 *
 *   vt-fork -s 40% -p 2
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "vt.h"

/* Check or fill the even (half = 0) or odd (half = 1) pages. */
static size_t half(char *buf, size_t len, uint64_t seed, enum vt_data d,
		   int which, bool check)
{
	return vt_sweep_half(buf, len, seed, d, which, check, "a");
}

static int child(char *buf, size_t len, const struct vt_opts *o, int id)
{
	uint64_t mine = o->seed + 100 + id;
	size_t bad;

	bad = vt_sweep(buf, len, o->seed, o->data, o->random, true);
	half(buf, len, mine, o->data, 1, false);
	vt_pageout(buf, len);
	bad += half(buf, len, o->seed, o->data, 0, true);
	bad += half(buf, len, mine, o->data, 1, true);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct vt_opts o = { .size = 32 << 20, .procs = 2, .passes = 1, .seed = 7 };
	uint64_t pseed;
	long long swapped;
	pid_t *pids;
	size_t len;
	char *buf;
	int i;

	vt_parse_common(&o, argc, argv, NULL, NULL, NULL);
	len = o.size / VT_PAGE * VT_PAGE;
	pseed = o.seed + 50;
	vt_plan(o.procs + 3);
	buf = vt_map_anon(len);
	vt_sweep(buf, len, o.seed, o.data, false, false);
	vt_pageout(buf, len);
	swapped = vt_status_kb("VmSwap");
	if (vt_have_swap())
		vt_ok(swapped * 1024 >= (long long)len / 2,
		      "MADV_PAGEOUT swapped out %lld of %zu KiB", swapped, len >> 10);
	else
		vt_ok(swapped == 0, "no swap: nothing swapped out (%lld KiB)", swapped);

	pids = calloc(o.procs, sizeof(*pids));
	if (!pids)
		vt_bail("calloc");
	for (i = 0; i < o.procs; i++) {
		pids[i] = vt_fork();
		if (pids[i] == 0)
			_exit(child(buf, len, &o, i));
	}
	/* Parent: rewrite the even pages while the children work. */
	half(buf, len, pseed, o.data, 0, false);
	vt_pageout(buf, len);
	for (i = 0; i < o.procs; i++)
		vt_ok(vt_wait_ok(pids[i], "child"),
		      "child %d saw the parent's swapped data and its own COW copy", i);
	vt_ok(half(buf, len, pseed, o.data, 0, true) == 0,
	      "parent's rewritten pages intact");
	vt_ok(half(buf, len, o.seed, o.data, 1, true) == 0,
	      "parent's untouched pages intact after the children wrote theirs");
	return vt_exit_status();
}
