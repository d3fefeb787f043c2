// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-stress: many processes doing what swap users do, at random, for a
 * while, with every byte checked; then totals.
 *
 *   vt-stress -t SECONDS -s SIZE -p PROCS [-x PERCENT] [-o SECONDS] [-w]
 *
 * Each worker owns SIZE/PROCS of anonymous memory, three quarters private
 * and one quarter a shared memfd (shmem), and keeps a generation number
 * per page: a page of generation g holds a pattern that is a function of
 * (worker, page, g), generation 0 is a fresh zero page. In a loop it
 * writes and checks random pages, MADV_PAGEOUTs random ranges, forks a
 * child that checks and overwrites (copy-on-write) some private pages and
 * checks some shared ones, munmaps and re-maps ranges (which become zero
 * pages), and mremaps ranges away and back.
 *
 * The workers live in the memory cgroup vt-stress, whose memory.max the
 * controller moves at random between PERCENT (default 50) and 100% of
 * SIZE every few seconds. Every -o SECONDS (default 30) it turns one swap
 * area off and on again (the limit is lifted meanwhile: swapoff charges
 * the pages it reads in to their cgroup). With -w it moves the cgroup's
 * memory.zswap.max too, every 2 s, in turn to "max", a quarter, a
 * sixteenth of SIZE and 0: zswap then writes back the cgroup's oldest
 * pages to a swap device to make room (or refuses the page, which goes to
 * a device itself), so that writeback runs beside the faults, the
 * swapoffs and the limit changes; zswap must have written back pages by
 * the end. At the end every page of every worker is checked once more,
 * and the cgroup's swap and zswap charges must drain.
 *
 * Under fault injection (vt-fault; the workers inherit make-it-fail), a
 * worker or child that its cgroup's OOM killer kills is what stock 6.12
 * does when swap-out keeps failing: it is counted, not failed, as long as
 * memory.events counts as many OOM kills and one worker lives to the end.
 * Without fault injection every death is a failure.
 *
 * Prints the totals: operations, pages written and checked (bytes),
 * swap-outs and swap-ins (/proc/vmstat), swapoffs, limit changes, errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/wait.h>

#include "vt.h"
#include "swaps.h"

#define CGROUP "/sys/fs/cgroup/vt-stress"
#define MAX_PROCS 64
#define BATCH 32
#define SPARE 64	/* pages: the longest range an operation takes */

struct totals {
	volatile long long ops[8], written, checked, bad, forks, child_fail;
	volatile long long swapoffs, swapoff_fail, swapon_retries, limits, zswap_limits;
	volatile long long oom_killed;
	volatile int ready, stop;
};

enum { OP_WRITE, OP_CHECK, OP_PAGEOUT, OP_FORK, OP_REMAP, OP_MREMAP, OP_SHM_WRITE,
	OP_SHM_CHECK };
static const char *const op_names[] = { "write", "check", "pageout", "fork", "munmap",
					"mremap", "shmem-write", "shmem-check" };

static struct totals *tot;
static bool faults_on;	/* the workers run with make-it-fail */

struct region {
	char *base;
	size_t npages;
	uint32_t *gen;
	uint64_t seed;
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint64_t page_seed(const struct region *r, uint32_t gen)
{
	return r->seed + gen * 0x9E3779B97F4A7C15ULL;
}

static void write_page(struct region *r, size_t i)
{
	uint32_t g = r->gen[i] + 1;

	vt_fill_page(r->base + i * VT_PAGE, page_seed(r, g), i, VT_MIXED);
	r->gen[i] = g;
	__sync_fetch_and_add(&tot->written, 1);
}

static bool check_page(const struct region *r, size_t i, const char *who)
{
	const char *p = r->base + i * VT_PAGE;
	size_t off = 0;
	bool ok;

	if (r->gen[i] == 0) {
		for (off = 0; off < VT_PAGE && !p[off]; off++)
			;
		ok = off == VT_PAGE;
	} else {
		ok = vt_check_page(p, page_seed(r, r->gen[i]), i, VT_MIXED, &off);
	}
	__sync_fetch_and_add(&tot->checked, 1);
	if (!ok && __sync_fetch_and_add(&tot->bad, 1) < 10)
		vt_diag("%s: page %zu (generation %u) differs at byte %zu", who, i, r->gen[i],
			off);
	return ok;
}

enum ending { ENDED_WELL, ENDED_OOM, ENDED_BADLY };

/*
 * How a worker or child ended (status @st of waitpid()). A death by
 * SIGKILL under fault injection is taken for the cgroup's OOM killer
 * (checked against memory.events at the end) and counted.
 */
static enum ending ending(int st, pid_t pid, const char *who)
{
	if (faults_on && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) {
		__sync_fetch_and_add(&tot->oom_killed, 1);
		vt_diag("%s (pid %d) was killed (SIGKILL) under fault injection", who, pid);
		return ENDED_OOM;
	}
	return vt_status_ok(st, pid, who) ? ENDED_WELL : ENDED_BADLY;
}

static size_t pick(const struct region *r)
{
	return rnd() % r->npages;
}

/* A random range of 1..SPARE pages within the region. */
static void pick_range(const struct region *r, size_t *start, size_t *n)
{
	*n = 1 + rnd() % SPARE;
	if (*n > r->npages)
		*n = r->npages;
	*start = rnd() % (r->npages - *n + 1);
}

static void op_fork(struct region *priv, struct region *shm, int id)
{
	char who[32];
	pid_t pid;
	int i, st;

	snprintf(who, sizeof(who), "worker %d child", id);
	pid = vt_fork();
	if (!pid) {
		bool ok = true;

		/* Not the pages the parent picks next. */
		rng_state ^= (uint64_t)getpid() << 32 | 1;
		for (i = 0; i < BATCH; i++)
			ok &= check_page(priv, pick(priv), who);
		for (i = 0; i < BATCH; i++) {
			size_t p = pick(priv);

			write_page(priv, p);
			ok &= check_page(priv, p, who);
		}
		for (i = 0; i < BATCH / 2; i++)
			ok &= check_page(shm, pick(shm), who);
		_exit(ok ? 0 : 1);
	}
	if (waitpid(pid, &st, 0) != pid || ending(st, pid, who) == ENDED_BADLY)
		__sync_fetch_and_add(&tot->child_fail, 1);
	__sync_fetch_and_add(&tot->forks, 1);
}

static void op_remap(struct region *r)
{
	size_t start, n, i;
	void *p;

	pick_range(r, &start, &n);
	if (munmap(r->base + start * VT_PAGE, n * VT_PAGE))
		vt_bail("munmap: %s", strerror(errno));
	p = mmap(r->base + start * VT_PAGE, n * VT_PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == MAP_FAILED)
		vt_bail("mmap: %s", strerror(errno));
	for (i = start; i < start + n; i++)
		r->gen[i] = 0;
}

static void reserve_spare(const struct region *r)
{
	if (mmap(r->base + r->npages * VT_PAGE, SPARE * VT_PAGE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		vt_bail("mmap spare: %s", strerror(errno));
}

static void op_mremap(struct region *r, const char *who)
{
	struct region moved;
	size_t start, n, i;
	char *at, *away;

	pick_range(r, &start, &n);
	at = r->base + start * VT_PAGE;
	/*
	 * The range is within one VMA: remapped or moved-back pieces merge
	 * with their neighbours again (same flags, anonymous), else mremap
	 * would fail with EFAULT.
	 */
	away = mremap(at, n * VT_PAGE, n * VT_PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
		      r->base + r->npages * VT_PAGE);	/* the spare area after it */
	if (away == MAP_FAILED)
		vt_bail("mremap away: %s", strerror(errno));
	moved = *r;
	moved.base = away - start * VT_PAGE;
	for (i = start; i < start + n; i++)
		check_page(&moved, i, who);
	if (mremap(away, n * VT_PAGE, n * VT_PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, at) ==
	    MAP_FAILED)
		vt_bail("mremap back: %s", strerror(errno));
	reserve_spare(r);
	for (i = start; i < start + n; i++)
		check_page(r, i, who);
}

static int worker(int id, size_t bytes, uint64_t seed)
{
	size_t shm_bytes = bytes / 4 / VT_PAGE * VT_PAGE;
	size_t priv_bytes = (bytes - shm_bytes) / VT_PAGE * VT_PAGE;
	struct region priv, shm;
	char who[32], self[32];
	size_t i, start, n;
	int fd, k;

	snprintf(who, sizeof(who), "worker %d", id);
	snprintf(self, sizeof(self), "%d", (int)getpid());
	if (vt_write_str(CGROUP "/cgroup.procs", self))
		vt_bail("%s: cannot join " CGROUP, who);
	rng_state = seed * 2654435761ULL + id + 1;

	/*
	 * The private region, and after it a spare area that mremap moves
	 * ranges to: reserved (PROT_NONE) so that no other mapping lands
	 * there.
	 */
	priv.npages = priv_bytes / VT_PAGE;
	priv.base = mmap(NULL, priv_bytes + SPARE * VT_PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (priv.base == MAP_FAILED)
		vt_bail("mmap: %s", strerror(errno));
	reserve_spare(&priv);
	priv.seed = seed + id * 1000003ULL;
	priv.gen = calloc(priv.npages, sizeof(*priv.gen));

	fd = memfd_create("vt-stress", 0);
	if (fd < 0 || ftruncate(fd, shm_bytes))
		vt_bail("memfd: %s", strerror(errno));
	shm.npages = shm_bytes / VT_PAGE;
	shm.base = mmap(NULL, shm_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (shm.base == MAP_FAILED)
		vt_bail("mmap memfd: %s", strerror(errno));
	shm.seed = seed + id * 1000003ULL + 500009ULL;
	shm.gen = calloc(shm.npages, sizeof(*shm.gen));
	if (!priv.gen || !shm.gen)
		vt_bail("out of memory");

	for (i = 0; i < priv.npages; i++)
		write_page(&priv, i);
	for (i = 0; i < shm.npages; i++)
		write_page(&shm, i);
	__sync_fetch_and_add(&tot->ready, 1);

	while (!tot->stop) {
		unsigned int op = rnd() % 100;

		op = op < 28 ? OP_WRITE : op < 56 ? OP_CHECK : op < 66 ? OP_PAGEOUT :
		     op < 69 ? OP_FORK : op < 74 ? OP_REMAP : op < 79 ? OP_MREMAP :
		     op < 90 ? OP_SHM_WRITE : OP_SHM_CHECK;
		switch (op) {
		case OP_WRITE:
			for (k = 0; k < BATCH; k++)
				write_page(&priv, pick(&priv));
			break;
		case OP_CHECK:
			for (k = 0; k < BATCH; k++)
				check_page(&priv, pick(&priv), who);
			break;
		case OP_PAGEOUT:
			pick_range(&priv, &start, &n);
			madvise(priv.base + start * VT_PAGE, n * VT_PAGE, MADV_PAGEOUT);
			pick_range(&shm, &start, &n);
			madvise(shm.base + start * VT_PAGE, n * VT_PAGE, MADV_PAGEOUT);
			break;
		case OP_FORK:
			op_fork(&priv, &shm, id);
			break;
		case OP_REMAP:
			op_remap(&priv);
			break;
		case OP_MREMAP:
			op_mremap(&priv, who);
			break;
		case OP_SHM_WRITE:
			for (k = 0; k < BATCH; k++)
				write_page(&shm, pick(&shm));
			break;
		case OP_SHM_CHECK:
			for (k = 0; k < BATCH; k++)
				check_page(&shm, pick(&shm), who);
			break;
		}
		__sync_fetch_and_add(&tot->ops[op], 1);
	}
	for (i = 0; i < priv.npages; i++)
		check_page(&priv, i, who);
	for (i = 0; i < shm.npages; i++)
		check_page(&shm, i, who);
	return 0;
}

/* Write BYTES, or "max" if negative, to the cgroup file FILE. */
static void write_limit(const char *file, long long bytes)
{
	char buf[32];

	if (bytes < 0)
		snprintf(buf, sizeof(buf), "max");
	else
		snprintf(buf, sizeof(buf), "%lld", bytes);
	if (vt_write_str(file, buf))
		vt_bail("%s = %s: %s", file, buf, strerror(errno));
}

/* memory.max: BYTES, or no limit if 0. */
static void set_limit(long long bytes)
{
	write_limit(CGROUP "/memory.max", bytes > 0 ? bytes : -1);
}

/*
 * memory.zswap.max: "max", SIZE/4, SIZE/16, 0, in turn: the pool fills,
 * then every store over the limit writes back one of the cgroup's
 * entries first (0: every store).
 */
static void set_zswap_limit(long long size)
{
	const long long bytes[] = { -1, size / 4, size / 16, 0 };

	write_limit(CGROUP "/memory.zswap.max", bytes[tot->zswap_limits % 4]);
	__sync_fetch_and_add(&tot->zswap_limits, 1);
}

/* swapoff and swapon again one swap area, the limit lifted meanwhile. */
static void cycle_swap(unsigned int which)
{
	struct vt_swap sw[VT_MAX_SWAPS];
	int n = vt_read_swaps(sw), tries;

	if (n <= 0)
		return;
	which %= n;
	set_limit(0);
	if (swapoff(sw[which].path)) {
		__sync_fetch_and_add(&tot->swapoff_fail, 1);
		vt_diag("swapoff %s: %s", sw[which].path, strerror(errno));
		return;
	}
	__sync_fetch_and_add(&tot->swapoffs, 1);
	/* Under fault injection swapon may fail to allocate: try again. */
	for (tries = 0; vt_swapon(sw[which].path, sw[which].prio); tries++) {
		if (errno != ENOMEM || tries == 50)
			vt_bail("swapon %s again: %s", sw[which].path, strerror(errno));
		__sync_fetch_and_add(&tot->swapon_retries, 1);
		usleep(100000);
	}
}

static long long vswap_in_use(void)
{
	char line[128];
	long long v = -1;
	FILE *f = fopen("/sys/kernel/debug/vswap/stat", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "in_use %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	const char *ev[] = { "pswpout", "pswpin", "zswpout", "zswpin", "zswpwb" };
	long long secs = 60, every = 30, percent = 50, ev0[5], ev1[5], in_use0, in_use;
	long long swap_left = -1, zswap_left = -1, swap_slack, oom_events;
	long long t0, now, next_off, next_limit;
	struct vt_opts o = { .size = 128 << 20, .procs = 8, .seed = 99 };
	pid_t pids[MAX_PROCS], limiter = 0;
	size_t bytes;
	int i, c, st, alive, failed = 0;
	enum ending end;
	char who[32];
	bool writeback = false;

	vt_prog = "vt-stress";
	opterr = 0;
	while ((c = getopt(argc, argv, "t:x:o:s:p:S:w")) != -1) {
		switch (c) {
		case 't':
			secs = atoll(optarg);
			break;
		case 'x':
			percent = atoll(optarg);
			break;
		case 'o':
			every = atoll(optarg);
			break;
		case 's':
			o.size = vt_parse_size(optarg);
			break;
		case 'p':
			o.procs = atoi(optarg);
			break;
		case 'S':
			o.seed = strtoull(optarg, NULL, 0);
			break;
		case 'w':
			writeback = true;
			break;
		default:
			vt_bail("usage: vt-stress -t SECONDS -s SIZE -p PROCS [-x PERCENT] [-o SECONDS] [-S SEED] [-w]");
		}
	}
	if (secs < 1 || o.size == 0 || o.procs < 1 || o.procs > MAX_PROCS || percent < 10 ||
	    percent > 100 || every < 1)
		vt_bail("bad arguments");
	bytes = o.size / o.procs;
	swap_slack = 2LL * 64 * VT_PAGE * sysconf(_SC_NPROCESSORS_ONLN);
	if (bytes < 256 * VT_PAGE)
		vt_bail("at least 1 MiB per process");

	tot = vt_map_shared(sizeof(*tot));
	rmdir(CGROUP);
	if (mkdir(CGROUP, 0755) && errno != EEXIST)
		vt_bail("mkdir " CGROUP ": %s", strerror(errno));
	set_limit(0);
	for (i = 0; i < 5; i++)
		ev0[i] = vt_vmstat(ev[i]);
	in_use0 = vswap_in_use();
	faults_on = vt_read_ll("/proc/self/make-it-fail") == 1;
	rng_state = o.seed | 1;	/* xorshift stays at 0 from 0 */

	for (i = 0; i < o.procs; i++) {
		pids[i] = vt_fork();
		if (!pids[i])
			_exit(worker(i, bytes, o.seed));
	}
	/*
	 * Under vt-fault, the workers fail their swap allocations; the
	 * controller does not: a swapoff that meets one injected failure
	 * ends in ENOMEM (as in 6.12), and the stress is of swapoff running
	 * beside the workers' faults.
	 */
	vt_write_str("/proc/self/make-it-fail", "0");
	vt_wait_ready(&tot->ready, pids, o.procs);
	/*
	 * memory.zswap.max moves in a process of its own: the controller
	 * waits for minutes in a swapoff or a memory.max write that reclaims.
	 */
	if (writeback) {
		limiter = vt_fork();
		if (!limiter) {
			while (!tot->stop) {
				set_zswap_limit(o.size);
				sleep(2);
			}
			write_limit(CGROUP "/memory.zswap.max", -1);
			_exit(0);
		}
	}
	vt_diag("%d workers with %zu KiB each; running %lld s", o.procs, bytes >> 10, secs);

	t0 = time(NULL);
	next_off = t0 + every;
	next_limit = t0;
	while ((now = time(NULL)) < t0 + secs) {
		for (i = 0; i < o.procs; i++) {
			if (!pids[i] || waitpid(pids[i], &st, WNOHANG) != pids[i])
				continue;
			snprintf(who, sizeof(who), "worker %d", i);
			if (ending(st, pids[i], who) != ENDED_OOM)
				vt_bail("worker %d died", i);
			pids[i] = 0;
		}
		if (now >= next_off) {
			cycle_swap(rnd());
			next_off = now + every;
			next_limit = now;
		}
		if (now >= next_limit) {
			long long pct = percent + rnd() % (101 - percent);

			set_limit(pct >= 100 ? 0 : (long long)o.size * pct / 100);
			__sync_fetch_and_add(&tot->limits, 1);
			next_limit = now + 2 + rnd() % 4;
		}
		sleep(1);
	}
	set_limit(0);
	tot->stop = 1;
	if (limiter)
		failed += !vt_wait_ok(limiter, "zswap limiter");
	for (i = 0, alive = 0; i < o.procs; i++) {
		if (!pids[i])
			continue;
		snprintf(who, sizeof(who), "worker %d", i);
		end = waitpid(pids[i], &st, 0) == pids[i] ? ending(st, pids[i], who) : ENDED_BADLY;
		failed += end == ENDED_BADLY;
		alive += end == ENDED_WELL;
	}
	oom_events = vt_read_field(CGROUP "/memory.events", "oom_kill");

	/*
	 * Everything the workers held must go: their cgroup's swap and zswap
	 * charges drain (slack as in guest/vt-job-lib: per-CPU batches of
	 * freed entries, lazily flushed zswap statistics). The entries in
	 * use overall are printed only: under pressure, reclaim also swaps
	 * out other owners' pages (the initramfs is shmem).
	 */
	for (i = 0; i < 20; i++) {
		vt_write_str(CGROUP "/memory.reclaim", "1G");
		swap_left = vt_read_ll(CGROUP "/memory.swap.current");
		zswap_left = vt_read_ll(CGROUP "/memory.zswap.current");
		if (swap_left <= swap_slack && zswap_left <= 256 * 1024)
			break;
		sleep(1);
	}
	in_use = vswap_in_use();

	printf("# totals over %lld s, %d processes, %zu MiB:\n", secs, o.procs, o.size >> 20);
	for (i = 0; i < 8; i++)
		printf("#   %-12s %lld operations\n", op_names[i], tot->ops[i]);
	printf("#   pages written %lld, checked %lld (%lld MiB verified), bad %lld\n",
	       tot->written, tot->checked, tot->checked * (long long)VT_PAGE >> 20, tot->bad);
	printf("#   forks %lld (children failed %lld), memory.max changes %lld, memory.zswap.max changes %lld\n",
	       tot->forks, tot->child_fail, tot->limits, tot->zswap_limits);
	printf("#   swapoffs %lld (failed %lld), swapons retried after ENOMEM %lld\n",
	       tot->swapoffs, tot->swapoff_fail, tot->swapon_retries);
	printf("#   killed under fault injection %lld (memory.events oom_kill %lld)\n",
	       tot->oom_killed, oom_events);
	for (i = 0; i < 5; i++) {
		ev1[i] = vt_vmstat(ev[i]) - ev0[i];
		printf("#   %-8s %lld pages\n", ev[i], ev1[i]);
	}
	if (in_use0 >= 0)
		printf("#   vswap entries in use (all owners): %lld before, %lld after\n", in_use0,
		       in_use);

	vt_ok(failed == 0 && tot->child_fail == 0 && alive > 0,
	      "every worker and child ended well or was OOM-killed (%lld), %d of %d workers to the end",
	      tot->oom_killed, alive, o.procs);
	vt_ok(tot->oom_killed <= oom_events,
	      "each death counted as an OOM kill is one in memory.events (%lld <= %lld)",
	      tot->oom_killed, oom_events);
	vt_ok(tot->bad == 0, "every byte checked was intact (%lld pages, 0 expected bad: %lld)",
	      tot->checked, tot->bad);
	vt_ok(ev1[0] + ev1[2] > 0, "pages were swapped out");
	if (writeback)
		vt_ok(ev1[4] > 0, "zswap wrote back %lld pages to a device", ev1[4]);
	vt_ok(swap_left >= 0 && swap_left <= swap_slack && zswap_left >= 0 &&
	      zswap_left <= 256 * 1024,
	      "the workers' swap drained: memory.swap.current %lld, memory.zswap.current %lld",
	      swap_left, zswap_left);
	rmdir(CGROUP);
	return vt_exit_status();
}
