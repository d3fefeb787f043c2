// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-hibslots: hibernation's swap slots next to swapped-out memory.
 * Hibernation allocates slots of a swap device for its image
 * (get_swap_page_of_type()) and frees them with swap_free(): device
 * slots, freed through the same code as swap entries. With vswap on,
 * the entries in page tables are virtual and their offsets overlap the
 * device's; a device slot freed as if it were a virtual entry would drop
 * the data of the virtual entry of the same offset.
 *
 * Fills memory and pages it out, then through /dev/snapshot (as a
 * user-space hibernation tool does: SNAPSHOT_SET_SWAP_AREA,
 * SNAPSHOT_ALLOC_SWAP_PAGE, SNAPSHOT_FREE_SWAP_PAGES) allocates -n slots
 * of the first block device in /proc/swaps and frees them; checks that
 * the device's use went up and down by that much, and reads every byte
 * of the memory back.
 *
 *   vt-hibslots -s 25% -n 4096
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/suspend_ioctls.h>

#include "vt.h"
#include "swaps.h"

static long nr_slots = 4096;

static int opt_slots(int opt, const char *arg)
{
	char *end;

	if (opt != 'n')
		return -1;
	nr_slots = strtol(arg, &end, 10);
	return *end || nr_slots <= 0 ? -1 : 0;
}

/* The first swap area that is a block device: its path and device number. */
static int find_device(struct vt_swap *found, dev_t *dev)
{
	struct vt_swap s[VT_MAX_SWAPS];
	int n = vt_read_swaps(s), i;
	struct stat st;

	for (i = 0; i < n; i++) {
		if (stat(s[i].path, &st) || !S_ISBLK(st.st_mode))
			continue;
		*found = s[i];
		*dev = st.st_rdev;
		return i;
	}
	return -1;
}

static long long used_kb(const char *path)
{
	struct vt_swap s[VT_MAX_SWAPS];
	int n = vt_read_swaps(s), i;

	for (i = 0; i < n; i++)
		if (!strcmp(s[i].path, path))
			return s[i].used_kb;
	return -1;
}

/* The kernel's new_encode_dev(), which SNAPSHOT_SET_SWAP_AREA decodes. */
static __u32 kernel_dev(dev_t dev)
{
	unsigned int ma = major(dev), mi = minor(dev);

	return (mi & 0xff) | (ma << 8) | ((mi & ~0xffu) << 12);
}

int main(int argc, char **argv)
{
	struct vt_opts o = { .size = 32 << 20, .procs = 1, .passes = 1, .seed = 23 };
	struct resume_swap_area area = { .offset = 0 };
	long long before, allocated, freed;
	struct vt_swap area_of;
	const char *path = area_of.path;
	size_t len, bad;
	long got = 0;
	dev_t dev;
	char *buf;
	int fd;

	vt_parse_common(&o, argc, argv, "n:", opt_slots, "[-n SLOTS]");
	len = o.size / VT_PAGE * VT_PAGE;
	vt_plan(4);
	if (find_device(&area_of, &dev) < 0)
		vt_bail("no block device in /proc/swaps");

	buf = vt_map_anon(len);
	vt_sweep(buf, len, o.seed, o.data, o.random, false);
	vt_pageout(buf, len);
	vt_ok(vt_status_kb("VmSwap") * 1024 >= (long long)len / 2,
	      "%lld of %zu KiB swapped out", vt_status_kb("VmSwap"), len >> 10);

	fd = open("/dev/snapshot", O_RDONLY);
	if (fd < 0)
		vt_bail("/dev/snapshot: %s", strerror(errno));
	area.dev = kernel_dev(dev);
	if (ioctl(fd, SNAPSHOT_SET_SWAP_AREA, &area))
		vt_bail("SNAPSHOT_SET_SWAP_AREA %s: %s", path, strerror(errno));
	before = used_kb(path);
	for (got = 0; got < nr_slots; got++) {
		__kernel_loff_t off;

		if (ioctl(fd, SNAPSHOT_ALLOC_SWAP_PAGE, &off)) {
			vt_diag("SNAPSHOT_ALLOC_SWAP_PAGE: %s", strerror(errno));
			break;
		}
	}
	allocated = used_kb(path) - before;
	/* Other pages may come and go on the device meanwhile: a margin. */
	vt_ok(got == nr_slots && allocated >= got * 4 * 9 / 10,
	      "%ld hibernation slots allocated on %s, its use up %lld KiB",
	      got, path, allocated);
	if (ioctl(fd, SNAPSHOT_FREE_SWAP_PAGES))
		vt_bail("SNAPSHOT_FREE_SWAP_PAGES: %s", strerror(errno));
	freed = before + allocated - used_kb(path);
	vt_ok(freed >= got * 4 * 9 / 10,
	      "hibernation slots freed, the device's use down %lld KiB", freed);
	close(fd);

	bad = vt_sweep(buf, len, o.seed, o.data, o.random, true);
	vt_ok(bad == 0, "every byte of the swapped-out memory intact (%zu bad pages)",
	      bad);
	return vt_exit_status();
}
