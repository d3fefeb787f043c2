/* SPDX-License-Identifier: GPL-2.0-only */
/* Reading /proc/swaps and turning swap areas on again as they were. */
#ifndef VT_SWAPS_H
#define VT_SWAPS_H

#define VT_MAX_SWAPS 8

struct vt_swap {
	char path[128];
	long long size_kb, used_kb;
	int prio;
};

/* Fills at most VT_MAX_SWAPS entries; returns how many, or -1. */
int vt_read_swaps(struct vt_swap *s);
/* swapon(2) with the given priority (negative: let the kernel choose). */
int vt_swapon(const char *path, int prio);

#endif
