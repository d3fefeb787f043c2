// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-readahead: swap readahead by virtual address (VMA readahead) is in
 * use on a non-rotational swap device, as on stock 6.12. The pages of a
 * private mapping are paged out one by one in a scattered order, so that
 * their swap slots are not in address order, then read back in address
 * order: readahead by address brings each fault's neighbours in with it
 * (few major faults), readahead by swap slot brings in pages the reader
 * does not want yet. -x turns VMA readahead off (its sysfs knob) for the
 * run: the negative control, which must then fail the major-fault check.
 *
 *   vt-readahead -s 16M [-x]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "vt.h"

#define KNOB "/sys/kernel/mm/swap/vma_ra_enabled"

static bool knob_off;

static int handle(int opt, const char *arg)
{
	(void)arg;
	if (opt != 'x')
		return -1;
	knob_off = true;
	return 0;
}

static size_t gcd(size_t a, size_t b)
{
	while (b) {
		size_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static long majflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_majflt;
}

int main(int argc, char **argv)
{
	struct vt_opts o = { .size = 16 << 20, .procs = 1, .passes = 1, .seed = 31,
			     .data = VT_COMP };
	long long ra0, hit0, ra, hit;
	size_t len, n, i, step, bad;
	char was[16] = "";
	long maj;
	char *buf;
	FILE *f;

	vt_parse_common(&o, argc, argv, "x", handle, "[-x]");
	len = o.size / VT_PAGE * VT_PAGE;
	n = len / VT_PAGE;
	vt_plan(3);
	f = fopen(KNOB, "r");
	if (!f || !fgets(was, sizeof(was), f))
		vt_bail("cannot read %s", KNOB);
	fclose(f);
	was[strcspn(was, "\n")] = '\0';
	if (vt_write_str(KNOB, knob_off ? "false" : "true"))
		vt_bail("cannot write %s", KNOB);

	buf = vt_map_anon(len);
	vt_sweep(buf, len, o.seed, o.data, false, false);
	/* A stride coprime with n visits every page once, far from the last. */
	for (step = n / 2 + 1; gcd(step, n) != 1; step++)
		;
	for (i = 0; i < n; i++)
		vt_pageout(buf + (i * step % n) * VT_PAGE, VT_PAGE);
	vt_ok(vt_evict_swapcache(len), "%zu KiB paged out in scattered order", len >> 10);

	ra0 = vt_vmstat("swap_ra");
	hit0 = vt_vmstat("swap_ra_hit");
	maj = majflt();
	bad = vt_sweep(buf, len, o.seed, o.data, false, true);
	maj = majflt() - maj;
	ra = vt_vmstat("swap_ra") - ra0;
	hit = vt_vmstat("swap_ra_hit") - hit0;
	vt_write_str(KNOB, was);
	vt_ok(bad == 0, "every byte read back intact (%zu bad pages)", bad);
	/* Readahead by address: one major fault per window (8 pages). */
	vt_ok(maj * 3 <= (long)n,
	      "%ld major faults for %zu pages read in address order (VMA readahead %s): %lld read ahead, %lld hits",
	      maj, n, knob_off ? "off" : "on", ra, hit);
	return vt_exit_status();
}
