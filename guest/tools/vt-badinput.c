// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-badinput: what users write to swap's knobs must be refused when it
 * is malformed, with an error, and the knob must keep its value.
 *
 *   vt-badinput params    zswap's parameters in sysfs, and with vswap on
 *                         every file of debugfs vswap/: empty, overlong,
 *                         negative, non-numeric and out-of-range writes
 *                         fail and change nothing; a valid write still
 *                         takes (so that a refusal means something).
 *   vt-badinput swapon    swapon(2)/swapoff(2) of things that are not
 *                         swap areas fail with the errors of 6.12.
 *   vt-badinput bootargs NAME=VALUE...
 *                         each of these malformed vswap= and zswap.*
 *                         values, on the kernel command line, was refused
 *                         with a message in the kernel log, and the
 *                         defaults stand.
 *
 * Whether vswap is on comes from the setup the host booted ("vt.setup="
 * on the command line, "v-" prefix).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/swap.h>

#include "vt.h"

#define ZSWAP "/sys/module/zswap/parameters/"
#define VSWAP_DIR "/sys/kernel/debug/vswap"
#define SCRATCH "/scratch"

/*
 * More than a sysfs write may carry. Digits for the numbers; for the
 * booleans letters, as kstrtobool() judges by the first character
 * ("1111..." is "1" to it, as in 6.12).
 */
static char overlong[8192], overlong_word[8192];
static char longname[201];	/* within a page, but no such thing */

static bool vswap_expected(void)
{
	static char cmdline[4096];
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f || !fgets(cmdline, sizeof(cmdline), f))
		vt_bail("cannot read /proc/cmdline");
	fclose(f);
	return strstr(cmdline, "vt.setup=v-") != NULL;
}

static bool read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = 0;
	return true;
}

/* write(2) VAL (LEN bytes) to PATH in one call; 0 or -errno. */
static int write_raw(const char *path, const char *val, size_t len)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	err = n < 0 ? -errno : 0;
	close(fd);
	return err;
}

static const char *shown(const char *v)
{
	static char buf[48];

	if (strlen(v) > 24) {
		snprintf(buf, sizeof(buf), "<%zu bytes>", strlen(v));
		return buf;
	}
	if (!strcmp(v, "\n"))
		return "<empty line>";
	return v;
}

/*
 * Write each of BAD to the file; every write must fail and leave the file
 * reading as before. Then GOOD must take, and the old value is put back.
 */
static void check_knob(const char *path, const char *const *bad, const char *good)
{
	char before[4096], after[4096], now[4096];
	int refused = 0, n = 0, err;
	bool ok = true;

	if (!read_file(path, before, sizeof(before))) {
		vt_ok(false, "%s: cannot read: %s", path, strerror(errno));
		return;
	}
	for (; *bad; bad++, n++) {
		err = write_raw(path, *bad, strlen(*bad));
		if (!read_file(path, after, sizeof(after)))
			after[0] = 0;
		if (!err) {
			vt_diag("%s: \"%s\" was accepted", path, shown(*bad));
			ok = false;
		} else {
			refused++;
		}
		if (strcmp(before, after)) {
			vt_diag("%s: \"%s\" changed the value from %.40s to %.40s", path,
				shown(*bad), before, after);
			ok = false;
			/* Put it back, for the checks and tests after. */
			write_raw(path, before, strlen(before));
		}
	}
	vt_ok(ok, "%s: %d of %d malformed values refused, value kept", path, refused, n);
	if (!good)
		return;
	err = write_raw(path, good, strlen(good));
	ok = !err && read_file(path, now, sizeof(now)) && !strncmp(now, good, strlen(good));
	vt_ok(ok, "%s: the valid value %s is taken%s%s", path, good, err ? ": " : "",
	      err ? strerror(-err) : "");
	if (write_raw(path, before, strlen(before)))
		vt_bail("%s: cannot restore %s", path, before);
}

/*
 * A read-only file: every write of BAD fails and the file still reads.
 * (Its counters move under the test's feet: no comparison of values.)
 */
static void check_readonly(const char *path, const char *const *bad)
{
	char buf[4096];
	int refused = 0, n = 0;
	bool ok = read_file(path, buf, sizeof(buf));

	for (; *bad; bad++, n++)
		refused += write_raw(path, *bad, strlen(*bad)) != 0;
	ok = ok && read_file(path, buf, sizeof(buf)) && buf[0];
	vt_ok(ok && refused == n, "%s: %d of %d writes refused, still readable", path,
	      refused, n);
}

static int params(void)
{
	const char *const uints[] = { "\n", "abc", "-1", "12abc", "4294967296",
		"99999999999999999999", "0x", overlong, NULL };
	const char *const bools[] = { "\n", "maybe", "2", "-1", "ja", overlong_word, NULL };
	const char *const names[] = { "\n", "no-such-algorithm", longname, overlong_word, NULL };
	const char *const debugfs[] = { "\n", "0", "-1", "abc", "99999999999999999999",
		overlong, NULL };
	bool want = vswap_expected();
	char path[512];
	struct dirent *de;
	DIR *d;
	int files = 0;

	check_knob(ZSWAP "max_pool_percent", uints, "17");
	check_knob(ZSWAP "accept_threshold_percent", uints, "80");
	check_knob(ZSWAP "enabled", bools, NULL);
	check_knob(ZSWAP "shrinker_enabled", bools, NULL);
	check_knob(ZSWAP "compressor", names, "lz4");
	check_knob(ZSWAP "zpool", names, NULL);

	d = opendir(VSWAP_DIR);
	if (!vt_ok(!d == !want, "debugfs vswap/ %s, as vswap is %s", d ? "exists" : "absent",
		   want ? "on" : "off") || !d) {
		if (d)
			closedir(d);
		return vt_exit_status();
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), VSWAP_DIR "/%s", de->d_name);
		check_readonly(path, debugfs);
		files++;
	}
	closedir(d);
	vt_ok(files > 0, "debugfs vswap/ holds %d file(s)", files);
	return vt_exit_status();
}

/* A swap header in the first page of FILE, NPAGES long on disk. */
static void make_swapfile(const char *file, unsigned int npages, unsigned int version,
			  unsigned int last_page)
{
	static char page[VT_PAGE];
	unsigned int *info = (unsigned int *)(page + 1024);
	unsigned int i;
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		vt_bail("%s: %s", file, strerror(errno));
	memset(page, 0, sizeof(page));
	info[0] = version;
	info[1] = last_page;
	memcpy(page + VT_PAGE - 10, "SWAPSPACE2", 10);
	for (i = 0; i < npages; i++) {
		if (write(fd, page, VT_PAGE) != (ssize_t)VT_PAGE)
			vt_bail("%s: %s", file, strerror(errno));
		if (!i)
			memset(page, 0, sizeof(page));
	}
	if (fsync(fd) || close(fd))
		vt_bail("%s: %s", file, strerror(errno));
}

static void expect(int rc, int want_errno, const char *what)
{
	int err = rc ? errno : 0;

	vt_ok(err == want_errno, "%s: %s (want %s)", what, err ? strerror(err) : "succeeded",
	      want_errno ? strerror(want_errno) : "success");
}

static const char *scratch_device(void)
{
	static char dev[256];
	char mnt[256];
	FILE *f = fopen("/proc/mounts", "r");

	if (!f)
		return NULL;
	while (fscanf(f, "%255s %255s %*[^\n]", dev, mnt) == 2)
		if (!strcmp(mnt, SCRATCH)) {
			fclose(f);
			return dev;
		}
	fclose(f);
	return NULL;
}

static int swapon_cases(void)
{
	const char *good = SCRATCH "/vt-bad-good", *zero = SCRATCH "/vt-bad-zero";
	const char *empty = SCRATCH "/vt-bad-empty", *shortf = SCRATCH "/vt-bad-short";
	const char *v2 = SCRATCH "/vt-bad-v2", *dev = scratch_device();
	static char zeroes[VT_PAGE];
	int fd, i;

	fd = open(zero, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		vt_bail("%s: %s", zero, strerror(errno));
	for (i = 0; i < 256; i++)
		if (write(fd, zeroes, sizeof(zeroes)) != (ssize_t)sizeof(zeroes))
			vt_bail("%s: %s", zero, strerror(errno));
	close(fd);
	make_swapfile(good, 256, 1, 255);
	make_swapfile(empty, 256, 1, 0);
	make_swapfile(shortf, 4, 1, 1000);
	make_swapfile(v2, 256, 2, 255);

	expect(swapon(zero, 0), EINVAL, "swapon of a file with no swap signature");
	expect(swapon(empty, 0), EINVAL, "swapon of a swap header with no pages");
	expect(swapon(shortf, 0), EINVAL, "swapon of a file shorter than its header says");
	expect(swapon(v2, 0), EINVAL, "swapon of swap header version 2");
	expect(swapon(SCRATCH, 0), EISDIR, "swapon of a directory");
	expect(swapon("/dev/null", 0), EINVAL, "swapon of a character device");
	expect(swapon(SCRATCH "/no-such-file", 0), ENOENT, "swapon of a missing file");
	if (dev)
		expect(swapon(dev, 0), EBUSY, "swapon of a mounted block device");
	else
		vt_ok(false, "no block device mounted on " SCRATCH);
	expect(swapon(good, 0x40000000), EINVAL, "swapon with an unknown flag");
	expect(swapon(good, 0), 0, "swapon of a valid swap file");
	expect(swapon(good, 0), EBUSY, "swapon of the same file again");
	expect(swapoff(good), 0, "swapoff of it");
	expect(swapoff(good), EINVAL, "swapoff of it again");
	expect(swapoff(zero), EINVAL, "swapoff of a file that is not swap");
	expect(swapoff(SCRATCH "/no-such-file"), ENOENT, "swapoff of a missing file");
	unlink(good);
	unlink(zero);
	unlink(empty);
	unlink(shortf);
	unlink(v2);
	return vt_exit_status();
}

/* Does the kernel log hold a line containing every one of the parts? */
static bool klog_has(const char *log, const char *a, const char *b)
{
	const char *p = log, *eol;

	for (; *p; p = *eol ? eol + 1 : eol) {
		const char *x, *y;

		eol = strchrnul(p, '\n');
		x = memmem(p, eol - p, a, strlen(a));
		y = b ? memmem(p, eol - p, b, strlen(b)) : x;
		if (x && y)
			return true;
	}
	return false;
}

/* Is WORD one of the blank-separated words of LINE? */
static bool has_word(const char *line, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = line; (p = strstr(p, word)); p++)
		if ((p == line || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || !p[n]))
			return true;
	return false;
}

/*
 * Each of ARGS is a malformed NAME=VALUE the host put on the kernel command
 * line: it must be there, and the kernel log must say it was refused.
 */
static int bootargs(int nargs, char **args)
{
	static char cmdline[4096];
	const char *defaults[][2] = {
		{ "max_pool_percent", "20" }, { "accept_threshold_percent", "90" },
		{ "compressor", "lzo" }, { "zpool", "zsmalloc" }, { "shrinker_enabled", "N" },
	};
	bool want = vswap_expected();
	char *log, path[256], val[256], a[300], b[300];
	int i;
	FILE *f;

	f = fopen("/proc/cmdline", "r");
	if (!f || !fgets(cmdline, sizeof(cmdline), f))
		vt_bail("cannot read /proc/cmdline");
	fclose(f);
	log = vt_read_klog();

	vt_ok(nargs >= 4, "%d malformed values to look for", nargs);
	for (i = 0; i < nargs; i++) {
		char *arg = args[i], *eq = strchr(arg, '=');

		if (!eq || !has_word(cmdline, arg)) {
			vt_ok(false, "\"%s\" is not on the command line", arg);
			continue;
		}
		*eq = 0;
		if (!strcmp(arg, "vswap")) {
			snprintf(a, sizeof(a), "vswap: vswap=%s not understood", eq + 1);
			b[0] = 0;
		} else if (!strcmp(arg, "zswap.compressor") || !strcmp(arg, "zswap.zpool")) {
			snprintf(a, sizeof(a), "%s %s not available, using default", arg + 6, eq + 1);
			b[0] = 0;
		} else {
			snprintf(a, sizeof(a), "`%s' invalid for parameter", eq + 1);
			snprintf(b, sizeof(b), "`%s'", arg);
		}
		vt_ok(klog_has(log, a, b[0] ? b : NULL), "\"%s=%s\" refused: \"%s %s\" in the kernel log",
		      arg, eq + 1, a, b);
	}
	for (i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), ZSWAP "%s", defaults[i][0]);
		if (!read_file(path, val, sizeof(val)))
			val[0] = 0;
		val[strcspn(val, "\n")] = 0;
		vt_ok(!strcmp(val, defaults[i][1]), "zswap.%s is %s, the default (want %s)",
		      defaults[i][0], val, defaults[i][1]);
	}
	vt_ok((access(VSWAP_DIR "/stat", R_OK) == 0) == want, "vswap is %s, as before the bad values",
	      want ? "on" : "off");
	free(log);
	return vt_exit_status();
}

int main(int argc, char **argv)
{
	vt_prog = "vt-badinput";
	memset(overlong, '1', sizeof(overlong) - 1);
	memset(overlong_word, 'x', sizeof(overlong_word) - 1);
	memset(longname, 'a', sizeof(longname) - 1);
	if (argc == 2 && !strcmp(argv[1], "params"))
		return params();
	if (argc == 2 && !strcmp(argv[1], "swapon"))
		return swapon_cases();
	if (argc >= 2 && !strcmp(argv[1], "bootargs"))
		return bootargs(argc - 2, argv + 2);
	fprintf(stderr, "usage: vt-badinput params|swapon|bootargs NAME=VALUE...\n");
	return 2;
}
