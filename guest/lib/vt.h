/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared helpers of the guest workloads: data patterns that every byte is
 * checked against, TAP output, sizes, /proc readers.
 */
#ifndef VT_H
#define VT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/types.h>

#define VT_PAGE 4096UL

/*
 * Page contents. Every page is a pure function of (seed, page index), so a
 * reader can check each byte without keeping a copy.
 *   COMP  1 KiB of pseudo-random words, then a repeated word: compresses
 *         about 3:1, so zswap takes it.
 *   HIGH  64 bytes of pseudo-random words, then a repeated word: compresses
 *         about 20:1 (text-like data, sparse structures).
 *   RAND  pseudo-random throughout: zswap rejects it (incompressible).
 *   ZERO  all zeroes.
 *   MIXED pages cycle COMP, COMP, RAND, ZERO.
 */
enum vt_data { VT_COMP, VT_HIGH, VT_RAND, VT_ZERO, VT_MIXED };

struct vt_opts {
	size_t size;		/* bytes, in total over all processes */
	int procs;
	bool random;		/* random page order instead of sequential */
	enum vt_data data;
	int passes;
	uint64_t seed;
};

extern const char *vt_prog;
/*
 * Set by -F: flip one bit of the first page a check reads back, before
 * checking it. A negative control: the run must then fail.
 */
extern bool vt_flip;

/* TAP. vt_plan() first; vt_ok() returns ok so callers can chain. */
void vt_plan(int n);
bool vt_ok(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vt_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vt_exit_status(void);
void vt_bail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* "64M", "1G", "4096", or "150%" of MemTotal. Returns 0 on error. */
size_t vt_parse_size(const char *s);
/*
 * Parse the common options, and the extra ones (getopt string EXTRA,
 * described by EXTRA_USAGE) through HANDLE. Prints the usage and exits 2
 * on a bad option.
 */
void vt_parse_common(struct vt_opts *o, int argc, char **argv, const char *extra,
		     int (*handle)(int opt, const char *arg), const char *extra_usage);
/* vt_parse_common() with one more option, a flag that sets *set. */
void vt_parse_flag(struct vt_opts *o, int argc, char **argv, char flag,
		   bool *set);

/* Fill / check one page, or a range of pages in the order the options say. */
void vt_fill_page(void *page, uint64_t seed, size_t idx, enum vt_data data);
bool vt_check_page(const void *page, uint64_t seed, size_t idx, enum vt_data data,
		   size_t *bad_off);
/*
 * Fill (check == false) or check the pages of [buf, buf + len) whose index
 * has parity @which (0: even, 1: odd); returns the number of bad pages,
 * the first few reported as TAP diagnostics naming @what.
 */
size_t vt_sweep_half(char *buf, size_t len, uint64_t seed, enum vt_data data,
		     int which, bool check, const char *what);
/*
 * Walk all pages of [buf, buf + len) in sequential or pseudo-random order,
 * filling (check == false) or checking them. Returns the number of bad
 * pages; the first few mismatches are reported as TAP diagnostics.
 */
size_t vt_sweep(void *buf, size_t len, uint64_t seed, enum vt_data data,
		bool random, bool check);

/* Kernel state readers. Return -1 when the field is missing. */
long long vt_meminfo_kb(const char *field);
long long vt_vmstat(const char *field);
long long vt_status_kb(const char *field);	/* /proc/self/status */
long long vt_read_ll(const char *path);
/* The number after "FIELD:" or "FIELD " in the file at PATH. */
long long vt_read_field(const char *path, const char *field);
int vt_write_str(const char *path, const char *val);

void *vt_map_anon(size_t len);
/* Anonymous memory shared with the children forked after; bails on failure. */
void *vt_map_shared(size_t len);
/* MADV_PAGEOUT the range; fails the test on ENOSYS/EINVAL. */
void vt_pageout(void *buf, size_t len);
/*
 * fork() with stdout flushed first; bails out when it fails. The child
 * gets SIGKILL when its parent dies, so that no worker outlives a failed
 * run.
 */
pid_t vt_fork(void);
/*
 * After MADV_PAGEOUT, a page written to a disk stays in the swap cache
 * until its write completes and reclaim comes back to it. Reclaim (root
 * memory.reclaim) until the swap cache holds less than a tenth of LEN, so
 * that reading the range back really swaps in. Returns false if it could
 * not get there.
 */
bool vt_evict_swapcache(size_t len);
/* The same, reclaiming from the memory cgroup directory CGROUP only. */
bool vt_evict_swapcache_in(const char *cgroup, size_t len);
/* The kernel log buffer, NUL-terminated (free() it); bails on failure. */
char *vt_read_klog(void);
/* /sys/fs/cgroup/... of the calling process's cgroup (v2). */
const char *vt_own_cgroup(void);
/* Counter KEY of /sys/kernel/debug/vswap/stat: -1 without vswap, 0 if absent. */
long long vt_vswap_stat(const char *key);
/* pswpin + zswpin */
long long vt_swapins(void);
/*
 * Wait until *READY reaches N, bailing out when one of the N children in
 * PIDS exits first.
 */
void vt_wait_ready(volatile int *ready, const pid_t *pids, int n);
/* Did a child that ended with waitpid() status @st exit 0? Says why not. */
bool vt_status_ok(int st, pid_t pid, const char *what);
/* Wait for a child and return true if it exited 0. */
bool vt_wait_ok(pid_t pid, const char *what);
bool vt_have_swap(void);

#endif
