// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-thpout: large folios are swapped out whole, as stock 6.12 does on
 * a non-rotational device or zram: fill transparent huge pages (PMD
 * size, or with -T an mTHP size such as 64K), MADV_PAGEOUT them, and
 * check that the kernel counted them swapped out as large folios with no
 * fallback to single pages; then read every byte back.
 *
 *   vt-thpout -s 32M [-T 64K] [-d mixed]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "vt.h"

#define THP_DIR "/sys/kernel/mm/transparent_hugepage"

static size_t mthp;	/* 0: PMD-size THP */

static int handle(int opt, const char *arg)
{
	if (opt != 'T')
		return -1;
	mthp = vt_parse_size(arg);
	return mthp >= 2 * VT_PAGE && !(mthp & (mthp - 1)) ? 0 : -1;
}

/* A counter of the mTHP size's stats, or a vmstat field for PMD THPs. */
static long long count(const char *mthp_stat, const char *vmstat)
{
	char path[256];

	if (!mthp)
		return vt_vmstat(vmstat);
	snprintf(path, sizeof(path), THP_DIR "/hugepages-%zukB/stats/%s", mthp >> 10,
		 mthp_stat);
	return vt_read_ll(path);
}

int main(int argc, char **argv)
{
	struct vt_opts o = { .size = 32 << 20, .procs = 1, .passes = 1, .seed = 41,
			     .data = VT_MIXED };
	long long alloc0, out0, fb0, alloc, out, fb;
	char knob[256], was[32] = "";
	size_t len, folio, nr, bad;
	char *map, *buf;
	FILE *f = NULL;

	vt_parse_common(&o, argc, argv, "T:", handle, "[-T MTHP_SIZE]");
	folio = mthp ? mthp : 2UL << 20;
	len = o.size / folio * folio;
	nr = len / folio;
	vt_plan(3);
	/* The size's own knob, "always" for the run; PMD THPs by madvise. */
	if (mthp)
		snprintf(knob, sizeof(knob), THP_DIR "/hugepages-%zukB/enabled", mthp >> 10);
	else
		snprintf(knob, sizeof(knob), THP_DIR "/enabled");
	f = fopen(knob, "r");
	if (!f || !fgets(was, sizeof(was), f))
		vt_bail("cannot read %s", knob);
	fclose(f);
	/* "always [madvise] never": keep the word in brackets. */
	if (strchr(was, '[')) {
		memmove(was, strchr(was, '[') + 1, strlen(strchr(was, '[')));
		was[strcspn(was, "]")] = '\0';
	}
	if (vt_write_str(knob, mthp ? "always" : "madvise"))
		vt_bail("cannot write %s", knob);

	/* Aligned to the folio size, so that every folio can be large. */
	map = mmap(NULL, len + folio, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		vt_bail("mmap: %m");
	buf = (char *)(((unsigned long)map + folio - 1) & ~(folio - 1));
	if (!mthp && madvise(buf, len, MADV_HUGEPAGE))
		vt_bail("madvise(MADV_HUGEPAGE): %m");

	alloc0 = count("anon_fault_alloc", "thp_fault_alloc");
	vt_sweep(buf, len, o.seed, o.data, false, false);
	alloc = count("anon_fault_alloc", "thp_fault_alloc") - alloc0;
	out0 = count("swpout", "thp_swpout");
	fb0 = count("swpout_fallback", "thp_swpout_fallback");
	vt_pageout(buf, len);
	vt_evict_swapcache(len);
	out = count("swpout", "thp_swpout") - out0;
	fb = count("swpout_fallback", "thp_swpout_fallback") - fb0;
	vt_write_str(knob, was);
	vt_ok(alloc * 10 >= (long long)nr * 9,
	      "%lld of %zu folios of %zu KiB allocated large", alloc, nr, folio >> 10);
	vt_ok(out >= alloc && fb == 0,
	      "%lld large folios swapped out whole, %lld split to pages (fallback)", out, fb);
	bad = vt_sweep(buf, len, o.seed, o.data, false, true);
	vt_ok(bad == 0, "every byte read back intact (%zu bad pages)", bad);
	return vt_exit_status();
}
