// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-shmem: a shmem file (memfd, or a file on tmpfs with -f) possibly
 * larger than RAM, written with pwrite() and through a shared mapping,
 * read back with pread() and through the mapping, every byte checked.
 *
 *   vt-shmem -s 150% [-f /mnt/tmpfs/file]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "vt.h"

static const char *path;

static int opt_file(int opt, const char *arg)
{
	if (opt != 'f')
		return -1;
	path = arg;
	return 0;
}

/* pwrite/pread every page; returns bad pages (or bails on I/O errors). */
static size_t file_sweep(int fd, size_t len, uint64_t seed, enum vt_data d, bool check)
{
	static char page[VT_PAGE];
	size_t i, off, bad = 0;

	for (i = 0; i < len / VT_PAGE; i++) {
		if (!check) {
			vt_fill_page(page, seed, i, d);
			if (pwrite(fd, page, VT_PAGE, i * VT_PAGE) != VT_PAGE)
				vt_bail("pwrite page %zu: %s", i, strerror(errno));
			continue;
		}
		if (pread(fd, page, VT_PAGE, i * VT_PAGE) != VT_PAGE)
			vt_bail("pread page %zu: %s", i, strerror(errno));
		if (!vt_check_page(page, seed, i, d, &off) && bad++ < 5)
			vt_diag("page %zu differs at byte %zu", i, off);
	}
	return bad;
}

int main(int argc, char **argv)
{
	struct vt_opts o = { .size = 64 << 20, .procs = 1, .passes = 1, .seed = 3 };
	long long out0 = vt_vmstat("pswpout") + vt_vmstat("zswpout");
	long long mem = vt_meminfo_kb("MemTotal") * 1024;
	size_t len;
	char *map;
	int fd;

	vt_parse_common(&o, argc, argv, "f:", opt_file,
			"  -f FILE   a file (on tmpfs) instead of a memfd\n");
	len = o.size / VT_PAGE * VT_PAGE;
	vt_plan(5);
	if (path)
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	else
		fd = memfd_create("vt-shmem", 0);
	if (fd < 0)
		vt_bail("open %s: %s", path ? path : "memfd", strerror(errno));
	if (ftruncate(fd, len))
		vt_bail("ftruncate %zu MiB: %s", len >> 20, strerror(errno));
	vt_diag("%s, %zu MiB, MemTotal %lld MiB", path ? path : "memfd", len >> 20, mem >> 20);

	file_sweep(fd, len, o.seed, o.data, false);
	vt_ok(file_sweep(fd, len, o.seed, o.data, true) == 0,
	      "pwrite then pread: every byte intact");

	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		vt_bail("mmap: %s", strerror(errno));
	vt_ok(vt_sweep(map, len, o.seed, o.data, o.random, true) == 0,
	      "data written with pwrite read back through the mapping");
	vt_sweep(map, len, o.seed + 1, o.data, !o.random, false);
	munmap(map, len);
	vt_ok(file_sweep(fd, len, o.seed + 1, o.data, true) == 0,
	      "data written through the mapping read back with pread");
	out0 = vt_vmstat("pswpout") + vt_vmstat("zswpout") - out0;
	if ((long long)len > mem)
		vt_ok(out0 * (long long)VT_PAGE >= (long long)len - mem,
		      "the part of the file above RAM was swapped out (%lld MiB)",
		      out0 * (long long)VT_PAGE >> 20);
	else
		vt_ok(true, "shmem within RAM (%lld pages swapped out)", out0);
	vt_ok(close(fd) == 0 && (!path || unlink(path) == 0), "file closed and removed");
	return vt_exit_status();
}
