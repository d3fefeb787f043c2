// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-swapon: swapon with a priority, which busybox's applet lacks.
 *
 *   vt-swapon [-p PRIO] DEVICE...
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "swaps.h"

int main(int argc, char **argv)
{
	int prio = -1, c, i, ret = 0;

	while ((c = getopt(argc, argv, "p:")) != -1) {
		if (c != 'p')
			goto usage;
		prio = atoi(optarg);
		if (prio < 0 || prio > 32767)
			goto usage;
	}
	if (optind >= argc)
		goto usage;
	for (i = optind; i < argc; i++) {
		if (vt_swapon(argv[i], prio)) {
			fprintf(stderr, "vt-swapon: %s: %s\n", argv[i], strerror(errno));
			ret = 1;
		}
	}
	return ret;
usage:
	fprintf(stderr, "usage: vt-swapon [-p PRIO (0-32767)] DEVICE...\n");
	return 2;
}
