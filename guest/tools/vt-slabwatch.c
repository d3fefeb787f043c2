// SPDX-License-Identifier: GPL-2.0-only
/*
 * vt-slabwatch SECONDS COMMAND...
 *
 * Runs COMMAND and, every SECONDS while it runs, prints one line: uptime,
 * the memory lines of /proc/meminfo (kB) and the 6 largest slab caches
 * (kB), prefixed "@@SLAB". When COMMAND ends it prints the 25 largest
 * caches of the sample with the most slab, and of the last one. Exits
 * with COMMAND's status.
 *
 * One read of each file per sample and no process started: the sampler
 * must not be what changes the timing of the workload it watches (a
 * shell loop forking awk, sort and sed did, on the debug kernel). For
 * finding which caches grow under a workload (docs/reliability.md), e.g.
 *
 *   scripts/vt-run -s v-zram -m 448M -k build/obj/debug/arch/x86/boot/bzImage \
 *       -a "no5lvl loglevel=7" vt-slabwatch 20 vt-shmem -s 105% -f /mnt/tmpfs/big
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CACHES 512
#define NAME_LEN 48
#define BUF_SIZE (256 * 1024)

struct cache {
	char name[NAME_LEN];
	long kb;
};

struct sample {
	double uptime;
	long slab_kb;
	int n;
	struct cache c[MAX_CACHES];
};

static char buf[BUF_SIZE];

/* Read all of @path into buf; return its length, or -1. */
static ssize_t slurp(const char *path)
{
	ssize_t len = 0, r;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while (len < BUF_SIZE - 1 &&
	       (r = read(fd, buf + len, BUF_SIZE - 1 - len)) > 0)
		len += r;
	close(fd);
	buf[len] = '\0';
	return len;
}

static int by_size(const void *a, const void *b)
{
	const struct cache *x = a, *y = b;

	return (y->kb > x->kb) - (y->kb < x->kb);
}

/* Fill @s from /proc/slabinfo, sorted by size; @line gets the meminfo part. */
static void take(struct sample *s, char *line, size_t size)
{
	static const char *const fields[] = {
		"MemFree:", "Slab:", "SReclaimable:", "SUnreclaim:",
		"Shmem:", "SwapFree:",
	};
	size_t used = 0;
	unsigned int i;
	char *p;

	s->uptime = 0;
	if (slurp("/proc/uptime") > 0)
		s->uptime = strtod(buf, NULL);
	line[0] = '\0';
	s->slab_kb = 0;
	if (slurp("/proc/meminfo") > 0) {
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			long kb;

			p = strstr(buf, fields[i]);
			if (!p)
				continue;
			kb = strtol(p + strlen(fields[i]), NULL, 10);
			if (!strcmp(fields[i], "Slab:"))
				s->slab_kb = kb;
			used += snprintf(line + used, size - used, " %s%ld",
					 fields[i], kb);
			if (used >= size)
				break;
		}
	}

	/* name active num objsize objperslab pagesperslab : tunables ... : slabdata active num shared */
	s->n = 0;
	if (slurp("/proc/slabinfo") <= 0)
		return;
	p = strchr(buf, '\n');
	p = p ? strchr(p + 1, '\n') : NULL;	/* two header lines */
	while (p && *++p && s->n < MAX_CACHES) {
		char name[NAME_LEN];
		long pps, slabs;
		char *eol = strchr(p, '\n');

		if (eol)
			*eol = '\0';
		if (sscanf(p, "%47s %*d %*d %*d %*d %ld : tunables %*d %*d %*d : slabdata %*d %ld",
			   name, &pps, &slabs) == 3) {
			strcpy(s->c[s->n].name, name);
			s->c[s->n].kb = pps * slabs * 4;
			s->n++;
		}
		if (!eol)
			break;
		p = eol;
	}
	qsort(s->c, s->n, sizeof(s->c[0]), by_size);
}

static void print_top(const char *what, const struct sample *s, int n)
{
	int i;

	printf("@@SLAB %s at %.0f s, Slab %ld kB:\n", what, s->uptime, s->slab_kb);
	for (i = 0; i < n && i < s->n; i++)
		printf("@@SLAB   %s %ld\n", s->c[i].name, s->c[i].kb);
}

static struct sample cur, peak;

/* Only there so that SIGCHLD ends the sleep between two samples. */
static void on_child(int sig)
{
	(void)sig;
}

int main(int argc, char **argv)
{
	char line[512];
	int every, status, i;
	pid_t pid;

	if (argc < 3 || (every = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: vt-slabwatch SECONDS COMMAND...\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGCHLD, on_child);
	pid = fork();
	if (pid < 0) {
		perror("vt-slabwatch: fork");
		return 2;
	}
	if (!pid) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "vt-slabwatch: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			perror("vt-slabwatch: waitpid");
			return 2;
		}
		take(&cur, line, sizeof(line));
		printf("@@SLAB %.0f%s |", cur.uptime, line);
		for (i = 0; i < 6 && i < cur.n; i++)
			printf(" %s %ld", cur.c[i].name, cur.c[i].kb);
		printf("\n");
		if (cur.slab_kb > peak.slab_kb)
			peak = cur;
		sleep(every);
	}
	take(&cur, line, sizeof(line));
	if (cur.slab_kb > peak.slab_kb)
		peak = cur;
	print_top("peak", &peak, 25);
	print_top("end", &cur, 25);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
