// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-ioerr: I/O errors on a swap device lose nothing but what they must.
 *
 * For the "faultydisk" setups, whose swap disk fails the writes and the
 * reads of chosen sectors (QEMU blkdebug, rules in scripts/lib.sh). SIZE
 * of data is paged out and pushed out of the swap cache, then every page
 * is read back under a SIGBUS handler:
 *
 *  - a page whose write failed stays in memory. 6.12 writes it to the
 *    same slot again, and fails again: with vswap off, at least one such
 *    page must still be in memory after ten more reclaims of the
 *    program's cgroup. With vswap on, the entry is unbound from the
 *    failed slot and the next writeout goes to another slot: none may be
 *    left. Either way it reads back intact;
 *  - a page whose read fails gives SIGBUS, as in 6.12, and again on each
 *    touch; after MADV_DONTNEED the page is a fresh zero page and takes
 *    new data;
 *  - every other page reads back intact.
 *
 * Each round maps fresh memory. The run must meet at least one failed
 * read (SIGBUS), or it proved nothing; the kernel log's count of failed writes is printed.
 *
 * With -o, each round also turns the swap areas off once its data is out,
 * before reading it back, and on again after. 6.12's swapoff poisons the
 * page-table entry of a page it fails to read and goes on; so must vswap's
 * (it poisons the virtual entry): every swapoff must succeed. A failed
 * read fails its whole request, hundreds of slots at swapoff; vswap reads
 * each slot of a failed request again alone and poisons only the entries
 * whose slot cannot be read, so a round may give at most one SIGBUS per
 * read-error slot of the disk, and debugfs vswap/stat must count them
 * "poisoned".
 *
 *   vt-ioerr -s 64M -l 2 [-o]
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/swap.h>

#include "vt.h"
#include "swaps.h"

/* Slots of the faultydisk setup whose reads fail (scripts/lib.sh). */
#define VT_READ_ERROR_SLOTS 16

static sigjmp_buf jump;
static volatile void *fault_addr;
static volatile sig_atomic_t armed;

/*
 * A SIGBUS while touch_faults() reads a page jumps back to it. Any other
 * SIGBUS (of the program's own text or stack, say) is not the test's:
 * back to the default action, and the faulting access kills the program.
 */
static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (!armed) {
		signal(sig, SIG_DFL);
		return;
	}
	armed = 0;
	fault_addr = si->si_addr;
	siglongjmp(jump, 1);
}

/* Read one byte of PAGE; true when it raised SIGBUS. */
static bool touch_faults(const char *page)
{
	volatile char c;

	if (sigsetjmp(jump, 1))
		return fault_addr == page;
	armed = 1;
	c = *(volatile const char *)page;
	armed = 0;
	(void)c;
	return false;
}

/* Lines of the kernel log that contain S. */
static int klog_count(const char *s)
{
	char *log = vt_read_klog();
	const char *p;
	int n = 0;

	for (p = log; (p = strstr(p, s)); p++)
		n++;
	free(log);
	return n;
}

static size_t sigbus, again, fresh_bad, stuck;
static bool with_swapoff, vswap;
static int swapoff_eio, swapoff_ok;

/*
 * Turn every swap area off and on again. Without vswap whatever swapoff
 * says is reported; with vswap it must succeed, as 6.12's does.
 */
static void swapoff_round(int r)
{
	struct vt_swap sw[VT_MAX_SWAPS];
	int i, n = vt_read_swaps(sw);

	if (n <= 0)
		vt_bail("no swap area in /proc/swaps");
	for (i = 0; i < n; i++) {
		int ret = swapoff(sw[i].path), err = errno;

		vt_diag("round %d: swapoff %s (%lld KiB used): %s", r, sw[i].path,
			sw[i].used_kb, ret ? strerror(err) : "done");
		if (!ret) {
			swapoff_ok++;
			if (vt_swapon(sw[i].path, sw[i].prio))
				vt_bail("swapon %s again: %m", sw[i].path);
		} else {
			swapoff_eio += err == EIO;
			if (vswap)
				vt_ok(false, "round %d: vswap: swapoff %s failed with %s (6.12 goes on)",
				      r, sw[i].path, strerror(err));
		}
	}
}


/* Pages of [buf, buf + len) in memory (swap cache included). */
static size_t resident(char *buf, size_t len)
{
	size_t npages = len / VT_PAGE, i, n = 0;
	unsigned char *vec = malloc(npages);

	if (!vec || mincore(buf, len, vec))
		vt_bail("mincore: %m");
	for (i = 0; i < npages; i++)
		n += vec[i] & 1;
	free(vec);
	return n;
}

/*
 * Reclaim what is left of [buf, buf + len) in memory from this program's
 * cgroup, ten times at most: each time, a page whose write failed is
 * written again. Returns how many pages are still in memory.
 */
static size_t push_out(char *buf, size_t len)
{
	size_t left = resident(buf, len);
	char path[320], amount[32];
	int tries;

	snprintf(path, sizeof(path), "%s/memory.reclaim", vt_own_cgroup());
	/*
	 * Ask for all of it: reclaim then goes through every page of the
	 * cgroup's LRU lists (and gives up with EAGAIN), failed ones too.
	 */
	snprintf(amount, sizeof(amount), "%zu", len);
	for (tries = 0; left && tries < 10; tries++) {
		vt_write_str(path, amount);
		usleep(300000);
		left = resident(buf, len);
	}
	return left;
}

/*
 * One round on fresh memory: pages kept in the swap cache from an earlier
 * round would be written back to the same slots, and meet no new error.
 */
static void round_of(int r, size_t len, const struct vt_opts *o)
{
	size_t npages = len / VT_PAGE, i, bad = 0, sigbus0 = sigbus;
	uint64_t seed = o->seed + r;
	char *buf = vt_map_anon(len);
	size_t off;

	/* Only the data goes to the faulty disk (see main). */
	if (munlock(buf, len))
		vt_bail("munlock: %m");

	vt_sweep(buf, len, seed, o->data, false, false);
	vt_pageout(buf, len);
	/*
	 * From this program's cgroup only: pages whose write failed stay in
	 * the swap cache, and reclaiming the whole guest to get rid of them
	 * would push other programs (init, the initramfs) onto the faulty
	 * disk.
	 */
	if (!vt_evict_swapcache_in(vt_own_cgroup(), len))
		vt_diag("round %d: the swap cache kept more than a tenth", r);
	stuck += push_out(buf, len);
	if (with_swapoff)
		swapoff_round(r);
	for (i = 0; i < npages; i++) {
		char *page = buf + i * VT_PAGE;

		if (touch_faults(page)) {
			sigbus++;
			again += touch_faults(page);
			if (madvise(page, VT_PAGE, MADV_DONTNEED))
				vt_bail("MADV_DONTNEED: %m");
			vt_fill_page(page, seed + 1000, i, o->data);
			fresh_bad += !vt_check_page(page, seed + 1000, i, o->data, &off);
			continue;
		}
		if (!vt_check_page(page, seed, i, o->data, &off)) {
			if (bad++ < 5)
				vt_diag("round %d: page %zu differs at byte %zu", r, i, off);
		}
	}
	vt_ok(bad == 0, "round %d: %zu of %zu pages read back intact, %zu gave SIGBUS, %zu bad",
	      r, npages - (sigbus - sigbus0) - bad, npages, sigbus - sigbus0, bad);
	if (with_swapoff && vswap)
		vt_ok(sigbus - sigbus0 <= VT_READ_ERROR_SLOTS,
		      "round %d: vswap: SIGBUS only for pages on read-error slots (%zu, at most %d)",
		      r, sigbus - sigbus0, VT_READ_ERROR_SLOTS);
	munmap(buf, len);
}

int main(int argc, char **argv)
{
	struct vt_opts o = { .size = 64 << 20, .procs = 1, .passes = 2, .seed = 31,
			     .data = VT_RAND };
	struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO };
	long long in0 = vt_vmstat("pswpin"), out0 = vt_vmstat("pswpout");
	long long unbound0 = vt_vswap_stat("write_errors");
	long long poisoned0 = vt_vswap_stat("poisoned");
	size_t len;
	int r;

	vswap = unbound0 >= 0;
	vt_parse_flag(&o, argc, argv, 'o', &with_swapoff);
	if (!vt_have_swap())
		vt_bail("no swap");
	len = o.size / VT_PAGE * VT_PAGE;
	if (sigaction(SIGBUS, &sa, NULL))
		vt_bail("sigaction: %m");
	/*
	 * The reclaims of this program's cgroup would otherwise push its own
	 * stack and heap (mincore's vector) out too, onto slots whose reads
	 * fail: lock all but the data, which each round unlocks.
	 */
	if (mlockall(MCL_CURRENT | MCL_FUTURE))
		vt_bail("mlockall: %m");
	for (r = 0; r < o.passes; r++)
		round_of(r, len, &o);
	vt_ok(sigbus > 0 && again == sigbus,
	      "%zu page(s) gave SIGBUS (failed reads), %zu of them again on the next touch",
	      sigbus, again);
	vt_ok(fresh_bad == 0, "after MADV_DONTNEED those pages took new data (%zu bad)",
	      fresh_bad);
	if (vswap)
		vt_ok(stuck == 0 && vt_vswap_stat("write_errors") > unbound0,
		      "vswap: pages whose write failed went to other slots: %zu left in memory, %lld unbound from a failed slot",
		      stuck, vt_vswap_stat("write_errors") - unbound0);
	else
		vt_ok(stuck > 0,
		      "6.12: pages whose write failed stay in memory, rewritten to the same slot: %zu left",
		      stuck);
	if (with_swapoff)
		vt_diag("swapoffs: %d done, %d failed with EIO", swapoff_ok, swapoff_eio);
	if (with_swapoff && vswap)
		vt_ok(swapoff_eio == 0 && vt_vswap_stat("poisoned") > poisoned0,
		      "vswap: swapoff went past the slots it could not read, poisoning %lld entries",
		      vt_vswap_stat("poisoned") - poisoned0);
	vt_diag("tried: %lld pages written to the device, %lld read; kernel log: %d failed writes, %d failed reads (rate-limited: at least)",
		vt_vmstat("pswpout") - out0, vt_vmstat("pswpin") - in0,
		klog_count("Write-error on swap-device"), klog_count("Read-error on swap-device"));
	return vt_exit_status();
}
