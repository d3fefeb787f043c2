// SPDX-License-Identifier: GPL-2.0-only
/* Reading /proc/swaps and turning swap areas on again as they were. */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/swap.h>

#include "swaps.h"

int vt_read_swaps(struct vt_swap *s)
{
	char line[256], type[32];
	FILE *f = fopen("/proc/swaps", "r");
	int n = 0;

	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) {	/* header */
		fclose(f);
		return -1;
	}
	while (n < VT_MAX_SWAPS && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %31s %lld %lld %d", s[n].path, type,
			   &s[n].size_kb, &s[n].used_kb, &s[n].prio) == 5)
			n++;
	}
	fclose(f);
	return n;
}

int vt_swapon(const char *path, int prio)
{
	int flags = 0;

	if (prio >= 0)
		flags = SWAP_FLAG_PREFER |
			((prio << SWAP_FLAG_PRIO_SHIFT) & SWAP_FLAG_PRIO_MASK);
	return swapon(path, flags);
}
