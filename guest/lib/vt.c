// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shared helpers of the guest workloads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "vt.h"

const char *vt_prog = "vt";
bool vt_flip;
static int tap_n, tap_failed;

void vt_plan(int n)
{
	printf("TAP version 13\n1..%d\n", n);
	fflush(stdout);
}

bool vt_ok(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d ", ok ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		tap_failed++;
	return ok;
}

void vt_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

int vt_exit_status(void)
{
	return tap_failed ? 1 : 0;
}

void vt_bail(const char *fmt, ...)
{
	va_list ap;

	printf("Bail out! %s: ", vt_prog);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	exit(2);
}

size_t vt_parse_size(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return 0;
	switch (*end) {
	case '%': {
		long long kb = vt_meminfo_kb("MemTotal");

		if (kb <= 0)
			return 0;
		v = (unsigned long long)kb * 1024 / 100 * v;
		break;
	}
	case 'G': case 'g':
		v <<= 10;
		/* fall through */
	case 'M': case 'm':
		v <<= 10;
		/* fall through */
	case 'K': case 'k':
		v <<= 10;
		break;
	case '\0':
		return v;
	default:
		return 0;
	}
	if (end[1] != '\0')
		return 0;
	return v;
}

static void __attribute__((noreturn)) usage(const char *extra_usage)
{
	fprintf(stderr,
		"usage: %s [options]\n"
		"  -s SIZE   memory in total: bytes, K/M/G, or N%% of MemTotal\n"
		"  -p N      processes (default 1)\n"
		"  -m MODE   seq or rand page order (default seq)\n"
		"  -d DATA   comp, high, rand, zero or mixed page contents (default comp)\n"
		"  -l N      verify passes (default 1)\n"
		"  -S SEED   pattern seed\n"
		"  -F        flip a bit of the data read back (must fail)\n%s",
		vt_prog, extra_usage ? extra_usage : "");
	exit(2);
}

void vt_parse_common(struct vt_opts *o, int argc, char **argv, const char *extra,
		     int (*handle)(int opt, const char *arg), const char *extra_usage)
{
	char optstr[64];
	int c;

	vt_prog = argv[0];
	snprintf(optstr, sizeof(optstr), "s:p:m:d:l:S:Fh%s", extra ? extra : "");
	while ((c = getopt(argc, argv, optstr)) != -1) {
		switch (c) {
		case 's':
			o->size = vt_parse_size(optarg);
			if (!o->size)
				usage(extra_usage);
			break;
		case 'p':
			o->procs = atoi(optarg);
			if (o->procs < 1)
				usage(extra_usage);
			break;
		case 'm':
			if (!strcmp(optarg, "seq"))
				o->random = false;
			else if (!strcmp(optarg, "rand"))
				o->random = true;
			else
				usage(extra_usage);
			break;
		case 'd':
			if (!strcmp(optarg, "comp"))
				o->data = VT_COMP;
			else if (!strcmp(optarg, "high"))
				o->data = VT_HIGH;
			else if (!strcmp(optarg, "rand"))
				o->data = VT_RAND;
			else if (!strcmp(optarg, "zero"))
				o->data = VT_ZERO;
			else if (!strcmp(optarg, "mixed"))
				o->data = VT_MIXED;
			else
				usage(extra_usage);
			break;
		case 'l':
			o->passes = atoi(optarg);
			if (o->passes < 1)
				usage(extra_usage);
			break;
		case 'S':
			o->seed = strtoull(optarg, NULL, 0);
			break;
		case 'F':
			vt_flip = true;
			break;
		default:
			if (!handle || handle(c, optarg))
				usage(extra_usage);
		}
	}
	if (optind != argc)
		usage(extra_usage);
}

static int flag_opt;
static bool *flag_set;

static int set_flag(int opt, const char *arg)
{
	(void)arg;
	if (opt != flag_opt)
		return -1;
	*flag_set = true;
	return 0;
}

void vt_parse_flag(struct vt_opts *o, int argc, char **argv, char flag,
		   bool *set)
{
	char extra[2] = { flag, '\0' }, extra_usage[8];

	flag_opt = flag;
	flag_set = set;
	snprintf(extra_usage, sizeof(extra_usage), "[-%c]", flag);
	vt_parse_common(o, argc, argv, extra, set_flag, extra_usage);
}

static inline uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

#define WORDS (VT_PAGE / 8)
#define COMP_RANDOM_WORDS 128	/* 1 KiB of each COMP page */
#define HIGH_RANDOM_WORDS 8	/* 64 bytes of each HIGH page */

static enum vt_data page_kind(enum vt_data data, size_t idx)
{
	static const enum vt_data cycle[4] = { VT_COMP, VT_COMP, VT_RAND, VT_ZERO };

	return data == VT_MIXED ? cycle[idx & 3] : data;
}

/* Expected value of word w of page idx. */
static inline uint64_t word_at(uint64_t base, enum vt_data kind, size_t w)
{
	switch (kind) {
	case VT_ZERO:
		return 0;
	case VT_HIGH:
		if (w >= HIGH_RANDOM_WORDS)
			return base;
		return mix64(base + w);
	case VT_COMP:
		if (w >= COMP_RANDOM_WORDS)
			return base;
		/* fall through */
	default:
		return mix64(base + w);
	}
}

static inline uint64_t page_base(uint64_t seed, size_t idx)
{
	/* Never 0, so a COMP page is never all zeroes. */
	return mix64(seed * 0x100000001b3ULL + idx) | 1;
}

void vt_fill_page(void *page, uint64_t seed, size_t idx, enum vt_data data)
{
	enum vt_data kind = page_kind(data, idx);
	uint64_t base = page_base(seed, idx), *p = page;
	size_t w;

	for (w = 0; w < WORDS; w++)
		p[w] = word_at(base, kind, w);
}

bool vt_check_page(const void *page, uint64_t seed, size_t idx, enum vt_data data,
		   size_t *bad_off)
{
	enum vt_data kind = page_kind(data, idx);
	uint64_t base = page_base(seed, idx);
	const uint64_t *p = page;
	size_t w;

	for (w = 0; w < WORDS; w++) {
		if (p[w] != word_at(base, kind, w)) {
			*bad_off = w * 8;
			return false;
		}
	}
	return true;
}

/* A full-period LCG over [0, 2^k) gives a permutation; skip values >= n. */
static size_t next_index(size_t i, size_t mask)
{
	return (i * 5 + 12345) & mask;
}

size_t vt_sweep_half(char *buf, size_t len, uint64_t seed, enum vt_data data,
		     int which, bool check, const char *what)
{
	size_t i, off, bad = 0;

	for (i = which; i < len / VT_PAGE; i += 2) {
		if (!check) {
			vt_fill_page(buf + i * VT_PAGE, seed, i, data);
		} else if (!vt_check_page(buf + i * VT_PAGE, seed, i, data, &off)) {
			if (bad++ < 5)
				vt_diag("pid %d: %s page %zu differs at byte %zu",
					getpid(), what, i, off);
		}
	}
	return bad;
}

size_t vt_sweep(void *buf, size_t len, uint64_t seed, enum vt_data data,
		bool random, bool check)
{
	size_t n = len / VT_PAGE, mask = 1, bad = 0, done, i, off;
	char *b = buf;

	while (mask < n)
		mask <<= 1;
	mask--;
	for (done = 0, i = 0; done < n; ) {
		size_t idx;

		if (random) {
			i = next_index(i, mask);
			if (i >= n)
				continue;
			idx = i;
		} else {
			idx = done;
		}
		done++;
		if (!check) {
			vt_fill_page(b + idx * VT_PAGE, seed, idx, data);
			continue;
		}
		if (vt_flip) {
			b[idx * VT_PAGE + 100] ^= 0x10;
			vt_flip = false;
		}
		if (!vt_check_page(b + idx * VT_PAGE, seed, idx, data, &off)) {
			if (bad++ < 5)
				vt_diag("pid %d: page %zu (of %zu) differs at byte %zu",
					getpid(), idx, n, off);
		}
	}
	return bad;
}

long long vt_read_field(const char *path, const char *field)
{
	char line[256];
	size_t flen = strlen(field);
	long long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, field, flen) &&
		    (line[flen] == ':' || line[flen] == ' ')) {
			v = strtoll(line + flen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

long long vt_meminfo_kb(const char *field)
{
	return vt_read_field("/proc/meminfo", field);
}

long long vt_vmstat(const char *field)
{
	return vt_read_field("/proc/vmstat", field);
}

long long vt_status_kb(const char *field)
{
	return vt_read_field("/proc/self/status", field);
}

long long vt_read_ll(const char *path)
{
	char buf[64];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (!strncmp(buf, "max", 3))
		return -2;
	return strtoll(buf, NULL, 10);
}

int vt_write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -errno : 0;
}

void *vt_map_anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		vt_bail("mmap %zu MiB: %s", len >> 20, strerror(errno));
	return p;
}

void *vt_map_shared(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		vt_bail("mmap shared: %s", strerror(errno));
	return p;
}

void vt_pageout(void *buf, size_t len)
{
	if (madvise(buf, len, MADV_PAGEOUT))
		vt_bail("madvise(MADV_PAGEOUT): %s", strerror(errno));
}

pid_t vt_fork(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		vt_bail("fork: %s", strerror(errno));
	if (pid == 0 && prctl(PR_SET_PDEATHSIG, SIGKILL))
		vt_bail("prctl(PR_SET_PDEATHSIG): %s", strerror(errno));
	return pid;
}

bool vt_evict_swapcache(size_t len)
{
	return vt_evict_swapcache_in("/sys/fs/cgroup", len);
}

bool vt_evict_swapcache_in(const char *cgroup, size_t len)
{
	char amount[32], path[256];
	int tries;

	snprintf(amount, sizeof(amount), "%zu", len);
	snprintf(path, sizeof(path), "%s/memory.reclaim", cgroup);
	for (tries = 0; tries < 50; tries++) {
		if (vt_meminfo_kb("SwapCached") * 1024 < (long long)len / 10)
			return true;
		/* EAGAIN when it reclaimed less than asked: fine. */
		vt_write_str(path, amount);
		usleep(100000);
	}
	vt_diag("SwapCached still %lld KiB", vt_meminfo_kb("SwapCached"));
	return false;
}

char *vt_read_klog(void)
{
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *log = size > 0 ? calloc(1, size + 1) : NULL;

	if (!log || klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, size) < 0)
		vt_bail("cannot read the kernel log: %s", strerror(errno));
	return log;
}

const char *vt_own_cgroup(void)
{
	static char path[300];
	char line[256];
	FILE *f = fopen("/proc/self/cgroup", "r");

	if (!f || !fgets(line, sizeof(line), f) || strncmp(line, "0::/", 4))
		vt_bail("cannot read /proc/self/cgroup");
	fclose(f);
	line[strcspn(line, "\n")] = 0;
	snprintf(path, sizeof(path), "/sys/fs/cgroup%s", line + 3);
	if (!strcmp(path, "/sys/fs/cgroup/"))
		path[strlen(path) - 1] = 0;
	return path;
}

long long vt_vswap_stat(const char *key)
{
	FILE *f = fopen("/sys/kernel/debug/vswap/stat", "r");
	char line[128], name[64];
	long long v, val = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lld", name, &v) == 2 && !strcmp(name, key))
			val = v;
	fclose(f);
	return val;
}

long long vt_swapins(void)
{
	return vt_vmstat("pswpin") + vt_vmstat("zswpin");
}

void vt_wait_ready(volatile int *ready, const pid_t *pids, int n)
{
	int i;

	while (*ready < n) {
		usleep(20000);
		for (i = 0; i < n; i++)
			if (waitpid(pids[i], NULL, WNOHANG) == pids[i])
				vt_bail("child %d died before it was ready", i);
	}
}

bool vt_status_ok(int st, pid_t pid, const char *what)
{
	if (WIFSIGNALED(st)) {
		vt_diag("%s (pid %d) killed by signal %d", what, pid, WTERMSIG(st));
		return false;
	}
	if (WEXITSTATUS(st)) {
		vt_diag("%s (pid %d) exited %d", what, pid, WEXITSTATUS(st));
		return false;
	}
	return true;
}

bool vt_wait_ok(pid_t pid, const char *what)
{
	int st;

	if (waitpid(pid, &st, 0) != pid) {
		vt_diag("waitpid %s: %s", what, strerror(errno));
		return false;
	}
	return vt_status_ok(st, pid, what);
}

bool vt_have_swap(void)
{
	return vt_meminfo_kb("SwapTotal") > 0;
}
