// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-cowshm: private anonymous memory and shared anonymous memory (shmem)
 * swapped out together, then shared by fork. The parent fills both (mixed
 * data by default: compressible, incompressible and zero pages) and pages
 * them out; each child checks both, writes its own data over the odd
 * pages of the private buffer (copy-on-write of swapped pages), pages
 * both out again and checks them, several times, while the parent
 * rewrites the even private pages and pages everything out too. The
 * children's copies and the shared pages together exceed RAM when the
 * size says so: reclaim runs under global pressure from several
 * processes, besides MADV_PAGEOUT. Every byte read back is checked.
 *
 *   vt-cowshm -s 30% -p 3 -l 4 [-d mixed]
 *
 * -s is the size of each buffer (private and shared).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "vt.h"

/*
 * The shared buffer, every page, in order: processes that sweep it at the
 * same time fault the same pages at the same time.
 */
static size_t check_shared(char *shm, size_t len, const struct vt_opts *o)
{
	size_t bad = vt_sweep(shm, len, o->seed + 1, o->data, false, true);

	if (bad)
		vt_diag("pid %d: %zu shared pages differ", getpid(), bad);
	return bad;
}

static int child(char *anon, char *shm, size_t len, const struct vt_opts *o,
		 int id)
{
	uint64_t mine = o->seed + 100 + id;
	size_t bad;
	int pass;

	bad = vt_sweep(anon, len, o->seed, o->data, id & 1, true);
	bad += check_shared(shm, len, o);
	vt_sweep_half(anon, len, mine, o->data, 1, false, NULL);
	for (pass = 0; pass < o->passes; pass++) {
		vt_pageout(anon, len);
		vt_pageout(shm, len);
		bad += check_shared(shm, len, o);
		bad += vt_sweep_half(anon, len, o->seed, o->data, 0, true, "private");
		bad += vt_sweep_half(anon, len, mine, o->data, 1, true, "own COW");
	}
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct vt_opts o = { .size = 32 << 20, .procs = 3, .passes = 4,
			     .seed = 11, .data = VT_MIXED };
	long long out0 = vt_vmstat("pswpout") + vt_vmstat("zswpout");
	uint64_t pseed = o.seed + 50;
	char *anon, *shm;
	long long swapped;
	pid_t *pids;
	size_t len;
	int i, pass;

	vt_parse_common(&o, argc, argv, NULL, NULL, NULL);
	len = o.size / VT_PAGE * VT_PAGE;
	vt_plan(o.procs + 5);
	vt_diag("private %zu MiB + shared %zu MiB, %d children, %d passes",
		len >> 20, len >> 20, o.procs, o.passes);
	anon = vt_map_anon(len);
	shm = vt_map_shared(len);
	vt_sweep(anon, len, o.seed, o.data, false, false);
	vt_sweep(shm, len, o.seed + 1, o.data, true, false);
	vt_pageout(anon, len);
	vt_pageout(shm, len);
	swapped = vt_vmstat("pswpout") + vt_vmstat("zswpout") - out0;
	if (vt_have_swap())
		vt_ok(swapped * (long long)VT_PAGE >= (long long)len / 2,
		      "MADV_PAGEOUT swapped out %lld pages of %zu", swapped,
		      2 * len / VT_PAGE);
	else
		vt_ok(true, "no swap: %lld pages swapped out", swapped);

	pids = calloc(o.procs, sizeof(*pids));
	if (!pids)
		vt_bail("calloc");
	for (i = 0; i < o.procs; i++) {
		pids[i] = vt_fork();
		if (pids[i] == 0)
			_exit(child(anon, shm, len, &o, i));
	}
	/* The parent rewrites the even private pages as the children work. */
	vt_sweep_half(anon, len, pseed, o.data, 0, false, NULL);
	for (pass = 0; pass < o.passes; pass++) {
		vt_pageout(anon, len);
		vt_pageout(shm, len);
		check_shared(shm, len, &o);
	}
	for (i = 0; i < o.procs; i++)
		vt_ok(vt_wait_ok(pids[i], "child"),
		      "child %d: shared pages, swapped private pages and its COW copy intact",
		      i);
	vt_ok(check_shared(shm, len, &o) == 0,
	      "shared pages intact after the children");
	vt_ok(vt_sweep_half(anon, len, pseed, o.data, 0, true, "rewritten") == 0,
	      "parent's rewritten private pages intact");
	vt_ok(vt_sweep_half(anon, len, o.seed, o.data, 1, true, "private") == 0,
	      "parent's untouched private pages intact");
	swapped = vt_vmstat("pswpout") + vt_vmstat("zswpout") - out0;
	vt_ok(!vt_have_swap() || swapped * (long long)VT_PAGE >= (long long)len,
	      "%lld pages swapped out in all", swapped);
	return vt_exit_status();
}
