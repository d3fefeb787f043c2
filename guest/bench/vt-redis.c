// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-redis: the client of the "redis" workload of "make bench". Loads N
 * values of one page each into a redis-server (SET, in key order), then
 * reads them all back in random order (GET) and checks every byte. The
 * values are the harness's page patterns (-d, default mixed: compressible,
 * incompressible and zero pages), so the server's memory holds what real
 * data holds. One request at a time on one connection: each request's
 * latency is its round trip.
 *
 *   vt-redis [-N NAME] [-n KEYS] [-P PORT] [-d DATA] [-g CGROUP] [-t SECONDS]
 *
 * Waits up to SECONDS (default 60) for the server to accept connections.
 * Figures, as vt-bench's ("@@VT bench NAME KEY VALUE", NAME "redis" by
 * default): wall_s (load and read back), set_kops and get_kops (thousands
 * of requests per second), set_p99_us, get_p50_us and get_p99_us, the
 * pages swapped out and in system-wide ("out_in_pages") and the guest
 * time per page swapped ("ns_per_page"), and with -g the system time the
 * server's cgroup spent (cpu.stat) over the run, "server_sys_s", and per
 * page swapped, "sys_ns_per_page".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "vt.h"

static int sock = -1;
static char rbuf[1 << 16];
static size_t rlen, rpos;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *name = "redis";

static void figure(const char *key, double val)
{
	printf("@@VT bench %s %s %.6g\n", name, key, val);
}

static void send_all(const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(sock, p, len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			vt_bail("send: %s", n ? strerror(errno) : "connection closed");
		p += n;
		len -= n;
	}
}

static int get_byte(void)
{
	if (rpos == rlen) {
		ssize_t n;

		do
			n = recv(sock, rbuf, sizeof(rbuf), 0);
		while (n < 0 && errno == EINTR);
		if (n <= 0)
			vt_bail("recv: %s", n ? strerror(errno) : "connection closed");
		rlen = n;
		rpos = 0;
	}
	return (unsigned char)rbuf[rpos++];
}

/* One reply line, without its CRLF, into LINE (LEN bytes). */
static void get_line(char *line, size_t len)
{
	size_t i = 0;
	int c;

	while ((c = get_byte()) != '\r') {
		if (i + 1 >= len)
			vt_bail("reply line too long");
		line[i++] = c;
	}
	if (get_byte() != '\n')
		vt_bail("reply line without LF");
	line[i] = 0;
}

static void get_bytes(char *out, size_t len)
{
	while (len) {
		size_t n;

		if (rpos == rlen) {
			(void)get_byte();
			rpos--;
		}
		n = rlen - rpos < len ? rlen - rpos : len;
		memcpy(out, rbuf + rpos, n);
		rpos += n;
		out += n;
		len -= n;
	}
}

static void request(const char *cmd, const char *key, const void *val, size_t vlen)
{
	char head[128];
	int n;

	if (val)
		n = snprintf(head, sizeof(head), "*3\r\n$%zu\r\n%s\r\n$%zu\r\n%s\r\n$%zu\r\n",
			     strlen(cmd), cmd, strlen(key), key, vlen);
	else
		n = snprintf(head, sizeof(head), "*2\r\n$%zu\r\n%s\r\n$%zu\r\n%s\r\n",
			     strlen(cmd), cmd, strlen(key), key);
	send_all(head, n);
	if (val) {
		send_all(val, vlen);
		send_all("\r\n", 2);
	}
}

static void connect_server(int port, int wait_s)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	double deadline = now() + wait_s;
	int one = 1;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (;;) {
		sock = socket(AF_INET, SOCK_STREAM, 0);
		if (sock < 0)
			vt_bail("socket: %s", strerror(errno));
		if (!connect(sock, (struct sockaddr *)&sa, sizeof(sa)))
			break;
		close(sock);
		if (now() > deadline)
			vt_bail("no redis-server on port %d after %d s", port, wait_s);
		usleep(200000);
	}
	setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double pct(double *lat, size_t n, int p)
{
	qsort(lat, n, sizeof(*lat), cmp_double);
	return lat[n * p / 100];
}

static long long cgroup_sys_us(const char *cg)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/cpu.stat", cg);
	return vt_read_field(path, "system_usec");
}

static long long swapped(void)
{
	static const char *const names[] = {
		"pswpin", "zswpin", "swpin_zero", "pswpout", "zswpout", "swpout_zero",
	};
	long long n = 0, v;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		v = vt_vmstat(names[i]);
		if (v > 0)
			n += v;
	}
	return n;
}

static size_t nkeys = 8192;
static int port = 6379, wait_s = 60;
static const char *cgroup;

static int handle(int opt, const char *arg)
{
	switch (opt) {
	case 'n':
		nkeys = strtoul(arg, NULL, 0);
		return 0;
	case 'P':
		port = atoi(arg);
		return 0;
	case 'g':
		cgroup = arg;
		return 0;
	case 't':
		wait_s = atoi(arg);
		return 0;
	case 'N':
		name = arg;
		return 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct vt_opts o = { .size = VT_PAGE, .procs = 1, .passes = 1, .seed = 23,
			     .data = VT_MIXED };
	uint64_t rng = 0x9e3779b97f4a7c15ULL;
	size_t i, j, *order, bad = 0, off;
	long long sys0 = 0, pages0;
	char key[32], line[64];
	double *lat, t0, t1;
	char *val, *got;
	double start;

	vt_prog = "vt-redis";
	vt_parse_common(&o, argc, argv, "n:P:g:t:N:", handle,
			"[-N NAME] [-n KEYS] [-P PORT] [-g CGROUP] [-t WAIT_SECONDS]");
	if (!nkeys)
		vt_bail("-n must be at least 1");
	val = malloc(VT_PAGE);
	got = malloc(VT_PAGE);
	lat = calloc(nkeys, sizeof(*lat));
	order = calloc(nkeys, sizeof(*order));
	if (!val || !got || !lat || !order)
		vt_bail("out of memory");
	vt_plan(2);
	connect_server(port, wait_s);
	if (cgroup)
		sys0 = cgroup_sys_us(cgroup);
	pages0 = swapped();

	start = t0 = now();
	for (i = 0; i < nkeys; i++) {
		double r0 = now();

		snprintf(key, sizeof(key), "vt:%zu", i);
		vt_fill_page(val, o.seed, i, o.data);
		request("SET", key, val, VT_PAGE);
		get_line(line, sizeof(line));
		if (strcmp(line, "+OK"))
			vt_bail("SET %s: %s", key, line);
		lat[i] = (now() - r0) * 1e6;
	}
	t1 = now();
	vt_ok(true, "%zu values of %lu bytes stored", nkeys, VT_PAGE);
	figure("set_kops", nkeys / (t1 - t0) / 1e3);
	figure("set_p99_us", pct(lat, nkeys, 99));

	for (i = 0; i < nkeys; i++)
		order[i] = i;
	for (i = nkeys - 1; i > 0; i--) {
		size_t t;

		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		j = rng % (i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	t0 = now();
	for (i = 0; i < nkeys; i++) {
		double r0 = now();

		snprintf(key, sizeof(key), "vt:%zu", order[i]);
		request("GET", key, NULL, 0);
		get_line(line, sizeof(line));
		if (line[0] != '$' || strtoul(line + 1, NULL, 10) != VT_PAGE) {
			if (bad++ < 3)
				vt_diag("GET %s: %s", key, line);
			if (line[0] != '$' || line[1] == '-')
				continue;
			vt_bail("GET %s: unexpected length %s", key, line + 1);
		}
		get_bytes(got, VT_PAGE);
		get_line(line, sizeof(line));
		lat[i] = (now() - r0) * 1e6;
		if (!vt_check_page(got, o.seed, order[i], o.data, &off) && bad++ < 3)
			vt_diag("value %s differs at byte %zu", key, off);
	}
	t1 = now();
	vt_ok(bad == 0, "%zu values read back in random order, every byte verified", nkeys);
	figure("get_kops", nkeys / (t1 - t0) / 1e3);
	figure("get_p50_us", pct(lat, nkeys, 50));
	figure("get_p99_us", pct(lat, nkeys, 99));
	figure("wall_s", t1 - start);
	pages0 = swapped() - pages0;
	figure("out_in_pages", pages0);
	if (pages0 >= 1024)
		figure("ns_per_page", (t1 - start) * 1e9 / pages0);
	if (cgroup) {
		double sys = (cgroup_sys_us(cgroup) - sys0) / 1e6;

		figure("server_sys_s", sys);
		if (pages0 >= 1024)
			figure("sys_ns_per_page", sys * 1e9 / pages0);
	}
	figure("rc", vt_exit_status());
	return vt_exit_status();
}
