// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-fault: run a command with the kernel's fault injection on, narrowed
 * to the swap paths, and report what was injected.
 *
 *   vt-fault [-p PERCENT] [-n TIMES] -- COMMAND [ARGS...]
 *
 * failslab and fail_page_alloc fail PERCENT (default 5) of the
 * allocations, sleeping ones and single pages included, up to TIMES
 * (default 2000) each,
 * made by COMMAND and its children (task-filter, /proc/PID/make-it-fail)
 * with a swap function on the stack: the stack-trace filter requires a
 * frame in the text of mm/page_io.c, swap_state.c, swapfile.c,
 * swap_slots.c, zswap.c and vswap.c (and the vswap KUnit cases), which
 * the kernel links one after the other. The host gives the range, from
 * the kernel's build (vt.swaptext=).
 *
 * Passes when COMMAND exited 0 (it checks its own data) and at least one
 * fault was injected; prints the counts either way.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "vt.h"

#define DBG "/sys/kernel/debug/"

static const char *const attrs[] = { "failslab", "fail_page_alloc" };

/*
 * [start, end): the text of the swap code, from vt.swaptext=START,END on
 * the command line (offsets from swap_writepage, worked out by the host
 * from the kernel's build: scripts/lib.sh, swap_text) and the address of
 * swap_writepage in /proc/kallsyms.
 */
static void swap_text_range(unsigned long long *start, unsigned long long *end)
{
	unsigned long long addr, anchor = 0;
	static char cmdline[4096];
	long long lo, hi;
	char type, name[256];
	const char *arg;
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f || !fgets(cmdline, sizeof(cmdline), f))
		vt_bail("cannot read /proc/cmdline");
	fclose(f);
	arg = strstr(cmdline, "vt.swaptext=");
	if (!arg || sscanf(arg, "vt.swaptext=%lld,%lld", &lo, &hi) != 2 || lo >= hi)
		vt_bail("no vt.swaptext=START,END on the command line (kernel built elsewhere?)");
	f = fopen("/proc/kallsyms", "r");
	if (!f)
		vt_bail("/proc/kallsyms: %s", strerror(errno));
	while (fscanf(f, "%llx %c %255s%*[^\n]", &addr, &type, name) == 3)
		if (!strcmp(name, "swap_writepage"))
			anchor = addr;
	fclose(f);
	if (!anchor)
		vt_bail("no swap_writepage in /proc/kallsyms (addresses hidden?)");
	*start = anchor + lo;
	*end = anchor + hi;
}

static void set(const char *attr, const char *file, const char *val)
{
	char path[256];
	int err;

	snprintf(path, sizeof(path), DBG "%s/%s", attr, file);
	err = vt_write_str(path, val);
	if (err)
		vt_bail("%s = %s: %s", path, val, strerror(-err));
}

static void set_num(const char *attr, const char *file, unsigned long long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", val);
	set(attr, file, buf);
}

static void configure(const char *attr, int percent, long times, unsigned long long start,
		      unsigned long long end)
{
	set(attr, "times", "0");
	set(attr, "verbose", "0");
	set(attr, "interval", "1");
	set(attr, "task-filter", "Y");
	set(attr, "ignore-gfp-wait", "N");
	set(attr, "stacktrace-depth", "32");
	set_num(attr, "require-start", start);
	set_num(attr, "require-end", end);
	/*
	 * fail_page_alloc leaves order-0 and highmem/movable pages alone
	 * unless told: swap-in folios and zsmalloc's pages are both.
	 */
	if (!strcmp(attr, "fail_page_alloc")) {
		set(attr, "min-order", "0");
		set(attr, "ignore-gfp-highmem", "N");
	}
	set_num(attr, "probability", percent);
	set_num(attr, "times", times);
}

int main(int argc, char **argv)
{
	unsigned long long start, end;
	long times = 2000, left[2], total = 0;
	int percent = 5, opt, i;
	char path[256];
	pid_t pid;
	bool ok;

	vt_prog = "vt-fault";
	while ((opt = getopt(argc, argv, "p:n:")) != -1) {
		switch (opt) {
		case 'p':
			percent = atoi(optarg);
			break;
		case 'n':
			times = atol(optarg);
			break;
		default:
			fprintf(stderr, "usage: vt-fault [-p PERCENT] [-n TIMES] -- COMMAND [ARGS...]\n");
			return 2;
		}
	}
	if (optind >= argc || percent < 1 || percent > 100 || times < 1)
		vt_bail("usage: vt-fault [-p 1..100] [-n TIMES] -- COMMAND [ARGS...]");
	if (vt_write_str("/proc/self/make-it-fail", "0"))
		vt_bail("no /proc/self/make-it-fail (CONFIG_FAULT_INJECTION off?)");

	swap_text_range(&start, &end);
	vt_diag("failing %d%% of the allocations with a frame in [%#llx, %#llx), %ld at most each",
		percent, start, end, times);
	for (i = 0; i < 2; i++)
		configure(attrs[i], percent, times, start, end);

	pid = vt_fork();
	if (!pid) {
		if (vt_write_str("/proc/self/make-it-fail", "1"))
			_exit(127);
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "%s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	ok = vt_wait_ok(pid, argv[optind]);

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), DBG "%s/times", attrs[i]);
		left[i] = vt_read_ll(path);
		if (left[i] < 0)
			vt_bail("cannot read %s", path);
		set(attrs[i], "probability", "0");
		set(attrs[i], "times", "0");
		left[i] = times - left[i];
		total += left[i];
	}
	vt_ok(ok, "%s ran to its end and found its data intact, under fault injection",
	      argv[optind]);
	vt_ok(total > 0, "faults injected: failslab %ld, fail_page_alloc %ld", left[0], left[1]);
	return vt_exit_status();
}
