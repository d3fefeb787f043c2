// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-bench: the measuring side of "make bench" (scripts/bench.sh), run in
 * the guest. Every figure goes to stdout as
 *
 *   @@VT bench NAME KEY VALUE
 *
 * and every workload still checks every byte it reads back: a run whose
 * data is wrong reports rc != 0 and the host discards its figures.
 *
 *   vt-bench run [-c MEMMAX] NAME BYTES -- COMMAND [ARGS...]
 *	Run COMMAND (in a fresh memory cgroup limited to MEMMAX if given)
 *	and report its guest wall time, the system and user time of it and
 *	its children, its exit status, and BYTES / wall time in MiB/s.
 *	"@@VT bench-start NAME" is printed just before, so that the host
 *	can time the same span with its own clock. The pages swapped out
 *	and in over the run, system-wide (pswp*, zswp*, swp*_zero of
 *	/proc/vmstat), are "out_pages" and "in_pages", and the guest time
 *	and system time per page swapped (out or in) "ns_per_page" and
 *	"sys_ns_per_page" (when at least 1024 pages were swapped): under
 *	-icount 1 ns of guest time is one instruction executed. With -c, "peak_kb" is the cgroup's
 *	memory.peak.
 *   vt-bench swapin [-s SIZE]
 *	Fill SIZE of anonymous memory, page all of it out, then fault each
 *	page back in random order, timing each fault; report the median and
 *	99th percentile in microseconds. Every page is checked.
 *   vt-bench swapoff [-s SIZE] [-p PROCS]
 *	PROCS processes fill SIZE in total and page it out; the parent then
 *	times swapoff of every swap area, turns them on again, and the
 *	children check every byte.
 *   vt-bench meta [-s SIZE]
 *	Fill SIZE of anonymous memory, then page out none, half and all of
 *	it; at each of the three points (figures "meta-0", "meta-50",
 *	"meta-100") measure the swap metadata the kernel holds: slab of
 *	zswap_entry and radix_tree_node (xarray nodes of the zswap trees and
 *	of the swap cache, which keeps a workingset shadow entry for each
 *	page it let go; the increase over the first point) from
 *	/proc/slabinfo, vmalloc areas whose caller is swap code from
 *	/proc/vmallocinfo, vswap's backend-word chunks and the pages of its
 *	sparse per-slot arrays from its debugfs, the devices' swap_cgroup
 *	pages, zero-page bitmaps and vswap reverse maps by arithmetic from
 *	the slots
 *	of the swap areas (they are in neither list), and the pages swap
 *	holds (SwapTotal - SwapFree). Then check every byte.
 *	Boot with slab_nomerge, or zswap_entry hides in a merged cache.
 *   vt-bench free [-s SIZE] [-d DATA]
 *	The time to free swapped-out memory: fill SIZE of anonymous memory,
 *	page it out, empty the swap cache, and time munmap() of it
 *	("munmap_s"); then the same in a child, timed from its last word to
 *	the parent's waitpid() ("exit_s"). Both fail when less than 90% of
 *	the memory was swapped out when freed.
 *   vt-bench squeeze -s LEAVE
 *	Global memory pressure without a cgroup: a child locks all but
 *	LEAVE of MemAvailable in RAM and waits for SIGTERM; vt-bench prints
 *	its pid and returns once the memory is locked.
 *   vt-bench lines FILE SIZE / vt-bench sorted SIZE OUT
 *	Write SIZE bytes of pseudo-random text lines to FILE; check that OUT
 *	holds exactly the lines "lines" generates for SIZE (an order-free
 *	checksum of them, regenerated, not read back from FILE) in
 *	non-decreasing byte order: the data of the "sort" workload.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/wait.h>

#include "vt.h"
#include "swaps.h"

#define CGROUP "/sys/fs/cgroup/vt-bench"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double tv_s(struct timeval tv)
{
	return tv.tv_sec + tv.tv_usec / 1e6;
}

static void figure(const char *name, const char *key, double val)
{
	printf("@@VT bench %s %s %.6g\n", name, key, val);
	fflush(stdout);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: vt-bench run [-c MEMMAX] NAME BYTES -- COMMAND [ARGS...]\n"
		"       vt-bench swapin [-s SIZE]\n"
		"       vt-bench swapoff [-s SIZE] [-p PROCS]\n"
		"       vt-bench meta [-s SIZE]\n"
		"       vt-bench free [-s SIZE] [-d DATA]\n"
		"       vt-bench squeeze -s LEAVE\n"
		"       vt-bench lines FILE SIZE\n"
		"       vt-bench sorted SIZE OUT\n");
	exit(2);
}

/* Pages swapped out (@out) or in, system-wide, whatever their backend. */
static long long swapped_pages(bool out)
{
	static const char *const names[2][3] = {
		{ "pswpin", "zswpin", "swpin_zero" },
		{ "pswpout", "zswpout", "swpout_zero" },
	};
	long long n = 0, v;
	int i;

	for (i = 0; i < 3; i++) {
		v = vt_vmstat(names[out][i]);
		if (v > 0)
			n += v;
	}
	return n;
}

static int cmd_run(int argc, char **argv)
{
	long long out0, in0, pages;
	const char *memmax = NULL;
	struct rusage ru;
	double t0, t1;
	size_t bytes;
	int status, opt, rc;
	pid_t pid;

	while ((opt = getopt(argc, argv, "+c:")) != -1) {
		if (opt != 'c')
			usage();
		memmax = optarg;
	}
	if (argc - optind < 4 || strcmp(argv[optind + 2], "--"))
		usage();
	bytes = vt_parse_size(argv[optind + 1]);
	if (memmax) {
		if (mkdir(CGROUP, 0755) && errno != EEXIST)
			vt_bail("mkdir %s: %s", CGROUP, strerror(errno));
		if (vt_write_str(CGROUP "/memory.max", memmax))
			vt_bail("memory.max %s: %s", memmax, strerror(errno));
	}
	printf("@@VT bench-start %s\n", argv[optind]);
	fflush(stdout);
	out0 = swapped_pages(true);
	in0 = swapped_pages(false);
	t0 = now();
	pid = fork();
	if (pid < 0)
		vt_bail("fork: %s", strerror(errno));
	if (pid == 0) {
		char self[32];

		snprintf(self, sizeof(self), "%d", (int)getpid());
		if (memmax && vt_write_str(CGROUP "/cgroup.procs", self))
			vt_bail("joining %s: %s", CGROUP, strerror(errno));
		execvp(argv[optind + 3], argv + optind + 3);
		vt_bail("exec %s: %s", argv[optind + 3], strerror(errno));
	}
	if (waitpid(pid, &status, 0) != pid)
		vt_bail("waitpid: %s", strerror(errno));
	t1 = now();
	out0 = swapped_pages(true) - out0;
	in0 = swapped_pages(false) - in0;
	getrusage(RUSAGE_CHILDREN, &ru);
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	figure(argv[optind], "wall_s", t1 - t0);
	figure(argv[optind], "sys_s", tv_s(ru.ru_stime));
	figure(argv[optind], "user_s", tv_s(ru.ru_utime));
	if (bytes)
		figure(argv[optind], "mibps", bytes / 1048576.0 / (t1 - t0));
	figure(argv[optind], "out_pages", out0);
	figure(argv[optind], "in_pages", in0);
	pages = out0 + in0;
	/* Per page only where swapping is a real part of the run. */
	if (pages >= 1024) {
		figure(argv[optind], "ns_per_page", (t1 - t0) * 1e9 / pages);
		figure(argv[optind], "sys_ns_per_page", tv_s(ru.ru_stime) * 1e9 / pages);
	}
	if (memmax)
		figure(argv[optind], "peak_kb", vt_read_ll(CGROUP "/memory.peak") / 1024.0);
	figure(argv[optind], "rc", rc);
	if (memmax && rmdir(CGROUP))
		vt_diag("rmdir %s: %s", CGROUP, strerror(errno));
	return rc;
}

/*
 * Fill LEN of anonymous memory, page it out and empty the swap cache; the
 * kB of it that ended up swapped out (VmSwap).
 */
static long long free_prepare(char **bufp, size_t len, const struct vt_opts *o)
{
	char *buf = vt_map_anon(len);

	vt_sweep(buf, len, o->seed, o->data, false, false);
	vt_pageout(buf, len);
	vt_evict_swapcache(len);
	*bufp = buf;
	return vt_status_kb("VmSwap");
}

static int cmd_free(int argc, char **argv)
{
	struct vt_opts o = { .size = 64 << 20, .procs = 1, .passes = 1, .seed = 11,
			     .data = VT_MIXED };
	long long want, swapped;
	int pipefd[2], st;
	double t0, t1;
	char *buf;
	pid_t pid;

	vt_parse_common(&o, argc, argv, NULL, NULL, NULL);
	want = (long long)(o.size / 1024) * 9 / 10;
	vt_plan(2);

	swapped = free_prepare(&buf, o.size, &o);
	t0 = now();
	if (munmap(buf, o.size))
		vt_bail("munmap: %s", strerror(errno));
	t1 = now();
	if (vt_ok(swapped >= want, "munmap of %lld kB swapped out of %zu kB", swapped,
		  o.size / 1024))
		figure("free", "munmap_s", t1 - t0);

	/* The child's last word is the time it was about to exit at. */
	if (pipe(pipefd))
		vt_bail("pipe: %s", strerror(errno));
	pid = vt_fork();
	if (pid == 0) {
		double msg[2];

		close(pipefd[0]);
		msg[0] = free_prepare(&buf, o.size, &o);
		msg[1] = now();
		if (write(pipefd[1], msg, sizeof(msg)) != sizeof(msg))
			_exit(1);
		_exit(0);
	}
	close(pipefd[1]);
	{
		double msg[2];
		ssize_t n = read(pipefd[0], msg, sizeof(msg));

		if (waitpid(pid, &st, 0) != pid)
			vt_bail("waitpid: %s", strerror(errno));
		t1 = now();
		if (n != sizeof(msg))
			vt_bail("the child did not report (read %zd)", n);
		if (vt_ok(vt_status_ok(st, pid, "child") && msg[0] >= want,
			  "exit of a child with %.0f kB swapped out of %zu kB", msg[0],
			  o.size / 1024))
			figure("free", "exit_s", t1 - msg[1]);
	}
	close(pipefd[0]);
	figure("free", "swapped_kb", swapped);
	figure("free", "rc", vt_exit_status());
	return vt_exit_status();
}

static int cmd_squeeze(int argc, char **argv)
{
	size_t leave = 0, len;
	long long avail;
	int pipefd[2], opt, fd;
	char ok;
	pid_t pid;

	while ((opt = getopt(argc, argv, "s:")) != -1) {
		if (opt != 's')
			usage();
		leave = vt_parse_size(optarg);
	}
	if (!leave)
		usage();
	avail = vt_meminfo_kb("MemAvailable");
	if (avail < 0 || (size_t)avail * 1024 <= leave + (16 << 20))
		vt_bail("MemAvailable %lld kB: nothing to squeeze to %zu kB", avail,
			leave / 1024);
	len = (size_t)avail * 1024 - leave;
	if (pipe(pipefd))
		vt_bail("pipe: %s", strerror(errno));
	pid = vt_fork();
	if (pid == 0) {
		void *p;

		close(pipefd[0]);
		/* Unlike vt_fork()'s other children, it outlives vt-bench. */
		if (prctl(PR_SET_PDEATHSIG, 0))
			_exit(1);
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED | MAP_POPULATE, -1, 0);
		if (p == MAP_FAILED || mlock(p, len)) {
			fprintf(stderr, "vt-bench squeeze: locking %zu kB: %s\n", len / 1024,
				strerror(errno));
			_exit(1);
		}
		/* Let go of the caller's stdout: $(vt-bench squeeze) returns. */
		fd = open("/dev/null", O_RDWR);
		if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(1);
		ok = 1;
		if (write(pipefd[1], &ok, 1) != 1)
			_exit(1);
		close(pipefd[1]);
		for (;;)
			pause();
	}
	close(pipefd[1]);
	if (read(pipefd[0], &ok, 1) != 1)
		vt_bail("the squeezing child failed");
	printf("%d\n", (int)pid);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int cmd_swapin(int argc, char **argv)
{
	struct vt_opts o = { .size = 32 << 20, .procs = 1, .passes = 1, .seed = 7 };
	size_t npages, i, j, *order, bad = 0, off, major = 0;
	uint64_t rng = 88172645463325252ULL;
	struct rusage r0, r1;
	long long in0;
	double *lat;
	char *buf;

	vt_parse_common(&o, argc, argv, NULL, NULL, NULL);
	npages = o.size / VT_PAGE;
	if (npages < 2)
		vt_bail("-s must be at least two pages");
	buf = vt_map_anon(npages * VT_PAGE);
	order = calloc(npages, sizeof(*order));
	lat = calloc(npages, sizeof(*lat));
	if (!order || !lat)
		vt_bail("out of memory");
	for (i = 0; i < npages; i++)
		order[i] = i;
	for (i = npages - 1; i > 0; i--) {
		size_t t;

		j = xorshift(&rng) % (i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	vt_plan(2);
	vt_sweep(buf, npages * VT_PAGE, o.seed, o.data, false, false);
	vt_pageout(buf, npages * VT_PAGE);
	if (!vt_evict_swapcache(npages * VT_PAGE))
		vt_diag("the swap cache still holds part of the buffer");
	in0 = vt_swapins();
	for (i = 0; i < npages; i++) {
		char *page = buf + order[i] * VT_PAGE;
		double t0;

		getrusage(RUSAGE_SELF, &r0);
		t0 = now();
		(void)*(volatile char *)page;
		lat[i] = (now() - t0) * 1e6;
		getrusage(RUSAGE_SELF, &r1);
		/* Major: it waited for a swap-in, not for a page readahead brought. */
		major += r1.ru_majflt != r0.ru_majflt;
		if (!vt_check_page(page, o.seed, order[i], o.data, &off) && bad++ < 3)
			vt_diag("page %zu differs at byte %zu", order[i], off);
	}
	in0 = vt_swapins() - in0;
	vt_ok(bad == 0, "%zu pages faulted back in random order, every byte verified",
	      npages);
	vt_ok(in0 * 2 >= (long long)npages, "at least half came from swap (%lld swap-ins)",
	      in0);
	qsort(lat, npages, sizeof(*lat), cmp_double);
	figure("swapin", "p50_us", lat[npages / 2]);
	figure("swapin", "p99_us", lat[npages * 99 / 100]);
	figure("swapin", "swapins", in0);
	figure("swapin", "major_faults", major);
	figure("swapin", "rc", vt_exit_status());
	return vt_exit_status();
}

struct swapoff_shared {
	volatile int ready, checked;
};

static int swapoff_child(struct swapoff_shared *sh, const struct vt_opts *o,
			 size_t len, int id)
{
	char *buf = vt_map_anon(len);
	size_t bad;

	vt_sweep(buf, len, o->seed + id, o->data, false, false);
	vt_pageout(buf, len);
	__sync_fetch_and_add(&sh->ready, 1);
	while (!sh->checked)
		usleep(20000);
	bad = vt_sweep(buf, len, o->seed + id, o->data, o->random, true);
	return bad ? 1 : 0;
}

static int cmd_swapoff(int argc, char **argv)
{
	struct vt_opts o = { .size = 64 << 20, .procs = 8, .passes = 1, .seed = 5 };
	struct vt_swap sw[VT_MAX_SWAPS];
	struct swapoff_shared *sh;
	struct rusage r0, r1;
	char name[32];
	long long used = 0;
	double t0, t1;
	pid_t *pids;
	size_t len;
	int i, n, ok = 1;

	vt_parse_common(&o, argc, argv, NULL, NULL, NULL);
	len = o.size / o.procs / VT_PAGE * VT_PAGE;
	if (!len)
		vt_bail("-s is less than a page per process");
	pids = calloc(o.procs, sizeof(*pids));
	sh = vt_map_shared(sizeof(*sh));
	if (!pids)
		vt_bail("allocating the workers' state");
	vt_plan(o.procs + 3);
	for (i = 0; i < o.procs; i++) {
		pids[i] = vt_fork();
		if (pids[i] == 0)
			_exit(swapoff_child(sh, &o, len, i));
	}
	vt_wait_ready(&sh->ready, pids, o.procs);
	/* What is still in the swap cache would not need reading back. */
	if (!vt_evict_swapcache(o.size))
		vt_diag("the swap cache still holds part of the data");
	n = vt_read_swaps(sw);
	if (n <= 0)
		vt_bail("no swap area in /proc/swaps");
	for (i = 0; i < n; i++)
		used += sw[i].used_kb;
	/* Time a device full of the data, not whatever part got there. */
	if (!vt_ok(used * 1024 >= (long long)(len * o.procs) * 9 / 10,
		   "the swap areas hold %lld of the %zu MiB", used >> 10,
		   (len * o.procs) >> 20))
		ok = 0;
	snprintf(name, sizeof(name), "swapoff-p%d", o.procs);
	printf("@@VT bench-start %s\n", name);
	fflush(stdout);
	getrusage(RUSAGE_SELF, &r0);
	t0 = now();
	for (i = 0; i < n; i++)
		if (swapoff(sw[i].path)) {
			vt_diag("swapoff %s: %s", sw[i].path, strerror(errno));
			ok = 0;
		}
	t1 = now();
	getrusage(RUSAGE_SELF, &r1);
	vt_ok(ok, "swapoff of %d area(s) holding %lld MiB of %d processes",
	      n, used >> 10, o.procs);
	for (i = 0; i < n; i++)
		if (vt_swapon(sw[i].path, sw[i].prio)) {
			vt_diag("swapon %s: %s", sw[i].path, strerror(errno));
			ok = 0;
		}
	vt_ok(ok, "swap areas on again");
	sh->checked = 1;
	for (i = 0; i < o.procs; i++)
		if (!vt_ok(vt_wait_ok(pids[i], "child"), "child %d: every byte intact", i))
			ok = 0;
	figure(name, "swapoff_s", t1 - t0);
	/* swapoff works in the caller's context: the rest is waiting. */
	figure(name, "sys_s", tv_s(r1.ru_stime) - tv_s(r0.ru_stime));
	figure(name, "used_mib", used / 1024.0);
	figure(name, "rc", !ok);
	return vt_exit_status();
}

#define LINES_SEED 0x9e3779b97f4a7c15ULL

/* One line of pseudo-random lowercase words, newline included. */
/*
 * The bytes of the live objects of slab cache NAME (-1: no such cache).
 * Objects, not slabs: emptied slabs linger after their objects are freed.
 */
static long long slab_bytes(const char *name)
{
	FILE *f = fopen("/proc/slabinfo", "r");
	long long objs, nobjs, size, per, pages, active, slabs = -1;
	char line[512], cache[64];

	if (!f)
		vt_bail("/proc/slabinfo: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %lld %lld %lld %lld %lld : tunables %*d %*d %*d : slabdata %lld %lld",
			   cache, &objs, &nobjs, &size, &per, &pages, &active, &slabs) == 8 &&
		    !strcmp(cache, name)) {
			fclose(f);
			return objs * size;
		}
	}
	fclose(f);
	return -1;
}

/*
 * The bytes of the vmalloc areas allocated from a function whose name has
 * "swap" in it (swap_map, swap_cgroup, the zero map, cluster info, the
 * reverse map and arrays of vswap), without their guard pages.
 */
static long long vmalloc_swap_bytes(void)
{
	FILE *f = fopen("/proc/vmallocinfo", "r");
	char line[512], caller[256];
	long long size, sum = 0;

	if (!f)
		vt_bail("/proc/vmallocinfo: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %lld %255s", &size, caller) == 2 &&
		    strstr(caller, "swap") && strstr(line, "vmalloc"))
			sum += size - VT_PAGE;
	}
	fclose(f);
	return sum;
}

struct meta_point {
	long long swapped, zswap_entry, xarray, vmalloc, chunks, slots;
	long long vmap;		/* vswap's sparse per-slot arrays, or -1 */
	long long rmap;		/* vswap's reverse maps of the devices */
};

/* Slots of the swap devices. */
static long long device_slots(void)
{
	struct vt_swap sw[VT_MAX_SWAPS];
	int i, n = vt_read_swaps(sw);
	long long slots = 0;

	for (i = 0; i < n; i++)
		slots += sw[i].size_kb / 4 + 1;	/* /proc/swaps leaves out the header page */
	return slots;
}

static void meta_measure(struct meta_point *m, size_t len)
{
	char amount[32];
	int tries;

	/*
	 * Pages written to a disk stay in the swap cache until reclaimed:
	 * reclaim that much from the workload's cgroup (the clean swap
	 * cache goes first), so that what is measured is the metadata of
	 * swapped pages, not of pages in flight. What else it pushes out is
	 * counted as swapped too.
	 */
	for (tries = 0; tries < 20; tries++) {
		long long cached = vt_meminfo_kb("SwapCached") * 1024;

		if (cached * 100 < (long long)len)
			break;
		snprintf(amount, sizeof(amount), "%lld", cached);
		vt_write_str(CGROUP "/memory.reclaim", amount);
		usleep(200000);
	}
	sleep(1);
	vt_diag("SwapCached %lld KiB", vt_meminfo_kb("SwapCached"));
	m->swapped = (vt_meminfo_kb("SwapTotal") - vt_meminfo_kb("SwapFree")) / 4;
	m->zswap_entry = slab_bytes("zswap_entry");
	m->xarray = slab_bytes("radix_tree_node");
	m->vmalloc = vmalloc_swap_bytes();
	m->chunks = vt_vswap_stat("chunks") > 0 ? vt_vswap_stat("chunks") * VT_PAGE : 0;
	m->slots = device_slots();
	/*
	 * The virtual space's swap_map, zeromap and swap_cgroup: backed as
	 * far as used (map_bytes), or, before that, whole: swap_map in
	 * vmallocinfo and the other two counted below like a device's.
	 */
	m->vmap = vt_vswap_stat("map_bytes");
	/* vswap's reverse map of each device: 4 B a slot, kvcalloc. */
	m->rmap = vt_vswap_stat("slots") > 0 ? m->slots * 4 : 0;
	if (m->vmap < 0 && vt_vswap_stat("slots") > 0)
		m->slots += vt_vswap_stat("slots");
}

static void meta_report(int pct, const struct meta_point *m, const struct meta_point *m0)
{
	long long xa = m->xarray - m0->xarray, ze = m->zswap_entry > 0 ? m->zswap_entry : 0;
	/*
	 * Two per-slot arrays vmallocinfo does not list, by arithmetic: the
	 * pages of swap_cgroup (2 B per slot, alloc_page) and the zero-page
	 * bitmap (kvmalloc, that is kmalloc at these sizes). Plus the pages
	 * of vswap's sparse arrays, which it counts itself, and its reverse
	 * maps (kvcalloc: kmalloc'd pages at these sizes, in neither list).
	 */
	long long arrays = m->slots * 2 + m->slots / 8 + (m->vmap > 0 ? m->vmap : 0) +
			   m->rmap;
	long long total = ze + xa + m->vmalloc + m->chunks + arrays;
	long long swapped = m->swapped - m0->swapped;
	char name[16];

	snprintf(name, sizeof(name), "meta-%d", pct);
	figure(name, "swapped_pages", swapped);
	figure(name, "zswap_entry_bytes", ze);
	figure(name, "xarray_bytes", xa);
	figure(name, "vmalloc_bytes", m->vmalloc);
	figure(name, "vswap_chunk_bytes", m->chunks);
	figure(name, "slots", m->slots);
	figure(name, "unlisted_array_bytes", arrays);
	figure(name, "total_bytes", total);
	/*
	 * Per swapped page: all of it, and the swap layer's part alone (all
	 * but the zswap_entry both kernels give a page in zswap).
	 */
	if (swapped > 0) {
		figure(name, "bytes_per_page", (double)total / swapped);
		figure(name, "layer_bytes_per_page", (double)(total - ze) / swapped);
	}
}

static int cmd_meta(int argc, char **argv)
{
	struct vt_opts o = { .size = 128 << 20, .procs = 1, .passes = 1, .seed = 11 };
	struct meta_point m0, m;
	size_t len, half;
	char *buf;

	vt_parse_common(&o, argc, argv, NULL, NULL, NULL);
	len = o.size / VT_PAGE * VT_PAGE;
	half = len / VT_PAGE / 2 * VT_PAGE;
	if (slab_bytes("zswap_entry") < 0 && vt_read_ll("/sys/module/zswap/parameters/enabled") > 0)
		vt_diag("no zswap_entry cache in /proc/slabinfo: merged (boot with slab_nomerge)");
	if (mkdir(CGROUP, 0755) && errno != EEXIST)
		vt_bail("mkdir %s: %s", CGROUP, strerror(errno));
	if (vt_write_str(CGROUP "/cgroup.procs", "0"))
		vt_bail("joining %s: %s", CGROUP, strerror(errno));
	buf = vt_map_anon(len);
	vt_plan(2);
	vt_sweep(buf, len, o.seed, o.data, false, false);
	meta_measure(&m0, len);
	meta_report(0, &m0, &m0);
	vt_pageout(buf, half);
	meta_measure(&m, len);
	meta_report(50, &m, &m0);
	vt_pageout(buf + half, len - half);
	meta_measure(&m, len);
	meta_report(100, &m, &m0);
	vt_ok(m.swapped - m0.swapped >= (long long)(len / VT_PAGE) * 9 / 10,
	      "at least 90%% of the %zu pages were swapped out (%lld)", len / VT_PAGE,
	      m.swapped - m0.swapped);
	vt_ok(vt_sweep(buf, len, o.seed, o.data, false, true) == 0,
	      "every byte of the %zu pages read back intact", len / VT_PAGE);
	figure("meta", "rc", vt_exit_status());
	return vt_exit_status();
}

static size_t make_line(char *out, uint64_t *rng)
{
	size_t n = 8 + xorshift(rng) % 56, i;

	for (i = 0; i < n; i++) {
		uint64_t r = xorshift(rng);

		out[i] = (r % 7 == 0 && i > 0) ? ' ' : 'a' + r % 26;
	}
	out[n] = '\n';
	return n + 1;
}

static int cmd_lines(int argc, char **argv)
{
	uint64_t rng = LINES_SEED;
	size_t size, done = 0;
	char line[80];
	FILE *f;

	if (argc != 3)
		usage();
	size = vt_parse_size(argv[2]);
	f = fopen(argv[1], "w");
	if (!f)
		vt_bail("%s: %s", argv[1], strerror(errno));
	while (done < size) {
		size_t n = make_line(line, &rng);

		if (fwrite(line, 1, n, f) != n)
			vt_bail("writing %s: %s", argv[1], strerror(errno));
		done += n;
	}
	if (fclose(f))
		vt_bail("closing %s: %s", argv[1], strerror(errno));
	return 0;
}

/* FNV-1a of one line. */
static uint64_t line_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return h;
}

/* Order-free checksum of a multiset of lines: count, sum and xor of hashes. */
struct line_sum {
	size_t n;
	uint64_t sum, xr;
};

static void line_add(struct line_sum *ls, const char *s, size_t n)
{
	uint64_t h = line_hash(s, n);

	ls->n++;
	ls->sum += h;
	ls->xr ^= h * 0x9e3779b97f4a7c15ULL;
}

static int cmd_sorted(int argc, char **argv)
{
	struct line_sum want = { 0 }, got = { 0 };
	uint64_t rng = LINES_SEED;
	char gen[80], *line = NULL, *prev = NULL;
	size_t size, done = 0, cap = 0, pcap = 0, unordered = 0;
	ssize_t n;
	FILE *f;

	if (argc != 3)
		usage();
	size = vt_parse_size(argv[1]);
	while (done < size) {
		size_t k = make_line(gen, &rng);

		line_add(&want, gen, k);
		done += k;
	}
	vt_plan(1);
	f = fopen(argv[2], "r");
	if (!f)
		vt_bail("%s: %s", argv[2], strerror(errno));
	while ((n = getline(&line, &cap, f)) > 0) {
		line_add(&got, line, n);
		if (prev && strcmp(prev, line) > 0 && unordered++ < 3)
			vt_diag("%s: line %zu is out of order", argv[2], got.n);
		if ((size_t)n + 1 > pcap) {
			pcap = n + 1;
			prev = realloc(prev, pcap);
			if (!prev)
				vt_bail("out of memory");
		}
		memcpy(prev, line, n + 1);
	}
	if (ferror(f))
		vt_bail("reading %s: %s", argv[2], strerror(errno));
	fclose(f);
	free(line);
	free(prev);
	vt_ok(!unordered && got.n == want.n && got.sum == want.sum && got.xr == want.xr,
	      "%s: the %zu generated lines, in order (%zu lines, %zu out of order)",
	      argv[2], want.n, got.n, unordered);
	return vt_exit_status();
}

int main(int argc, char **argv)
{
	vt_prog = "vt-bench";
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "swapin"))
		return cmd_swapin(argc - 1, argv + 1);
	if (!strcmp(argv[1], "swapoff"))
		return cmd_swapoff(argc - 1, argv + 1);
	if (!strcmp(argv[1], "meta"))
		return cmd_meta(argc - 1, argv + 1);
	if (!strcmp(argv[1], "free"))
		return cmd_free(argc - 1, argv + 1);
	if (!strcmp(argv[1], "squeeze"))
		return cmd_squeeze(argc - 1, argv + 1);
	if (!strcmp(argv[1], "lines"))
		return cmd_lines(argc - 1, argv + 1);
	if (!strcmp(argv[1], "sorted"))
		return cmd_sorted(argc - 1, argv + 1);
	usage();
}
