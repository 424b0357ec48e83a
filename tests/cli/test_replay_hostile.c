/* SPDX-License-Identifier: MIT */
/*
 * test_replay_hostile.c - the replay engine against input it should never
 * trust: strace logs mutated at random (bytes flipped, lines dropped,
 * doubled, swapped or cut), recordings with a corrupt index, missing or
 * garbage snapshots, and whole replays with maple node allocations failing
 * at random.  Each must end with an exit status of 0 or 1 and no crash;
 * under ASan/LSan, without a leak or an invalid access.
 *
 * Seeded: VMASIM_SEED=N reproduces a run; the seed is printed.  The
 * replays' own reports go to /dev/null (a sanitizer failure still fails
 * the test through the exit status); VMASIM_HOSTILE_VERBOSE=1 keeps them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <mtree/alloc.h>

#include "replay.h"

#define CORPUS_DIR	CLI_FIXTURE_DIR "/../../corpus"
#define MUTATIONS	250	/* per fixture */

static unsigned long seed;
static char tmpdir[] = "/tmp/vmasim-hostile-XXXXXX";
static FILE *devnull;

static unsigned long rnd(void)
{
	/* xorshift64* */
	seed ^= seed >> 12;
	seed ^= seed << 25;
	seed ^= seed >> 27;
	return seed * 2685821657736338717UL;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void spit(const char *path, const char *buf, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int replay_quietly(const char *trace, bool check, bool strict)
{
	struct replay_opts o = {
		.trace = trace,
		.lenient = true,
		.check = check,
		.strict = strict,
		.print_maps = true,
		.fault_model = VM_FAULT_ON_WRITE,
		.max_reports = 3,
	};

	return replay_run(&o, devnull);
}

/* One random edit of @buf (length *@len, capacity @cap). */
static void mutate(char *buf, size_t *len, size_t cap)
{
	size_t n = *len, at = n ? rnd() % n : 0, end, k;
	static const char junk[] = "()<>,=|\"\\ 0x-1?{}[]...\n";

	switch (rnd() % 6) {
	case 0:	/* flip bytes */
		for (k = 0; k < 1 + rnd() % 4 && n; k++)
			buf[rnd() % n] = junk[rnd() % (sizeof(junk) - 1)];
		break;
	case 1:	/* random byte values */
		for (k = 0; k < 1 + rnd() % 4 && n; k++)
			buf[rnd() % n] = (char)(rnd() & 0xff);
		break;
	case 2:	/* drop a line */
		end = at;
		while (end < n && buf[end] != '\n')
			end++;
		if (end < n)
			end++;
		memmove(buf + at, buf + end, n - end);
		*len = n - (end - at);
		break;
	case 3:	/* double a chunk */
		k = rnd() % 200;
		if (at + k > n)
			k = n - at;
		if (n + k <= cap) {
			memmove(buf + at + k, buf + at, n - at);
			*len = n + k;
		}
		break;
	case 4:	/* cut the log short */
		*len = at;
		break;
	default:	/* a digit off by one: addresses, lengths, pids */
		for (k = at; k < n && (buf[k] < '0' || buf[k] > '9'); k++)
			;
		if (k < n)
			buf[k] = (char)('0' + (buf[k] - '0' + 1) % 10);
	}
}

static void test_mutated_logs(void **state)
{
	static const char *const fixtures[] = {
		"plain.strace", "gcc_c.strace", "texec.strace",
		"comm.strace", "ttt.strace", "xverbose.strace",
	};
	char path[512], out[512];
	size_t i, len, orig_len, m;
	unsigned long runs = 0, failed = 0;
	char *orig, *buf;
	int ret;

	(void)state;
	snprintf(out, sizeof(out), "%s/m.strace", tmpdir);
	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", CLI_FIXTURE_DIR,
			 fixtures[i]);
		orig = slurp(path, &orig_len);
		buf = malloc(2 * orig_len + 1024);
		assert_non_null(buf);
		for (m = 0; m < MUTATIONS; m++) {
			unsigned int edits = 1 + rnd() % 5, e;

			memcpy(buf, orig, orig_len);
			len = orig_len;
			for (e = 0; e < edits; e++)
				mutate(buf, &len, 2 * orig_len + 1024);
			spit(out, buf, len);
			ret = replay_quietly(out, false, rnd() % 4 == 0);
			if (ret != 0 && ret != 1)
				fail_msg("%s mutation %zu: status %d (seed %lu)",
					 fixtures[i], m, ret, seed);
			runs++;
			failed += ret;
		}
		free(buf);
		free(orig);
	}
	printf("mutated logs: %lu replays, %lu with status 1\n", runs, failed);
	/* a mutation that breaks nothing is possible, not for every one */
	assert_true(failed > runs / 10);
}

/* Copy recording @name of the corpus to the scratch directory. */
static void copy_recording(const char *name)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s/%s'.* && cp -r '%s/%s'.strace "
		 "'%s/%s'.index '%s/%s'.maps '%s/%s'.meta '%s/'", tmpdir, name,
		 CORPUS_DIR, name, CORPUS_DIR, name, CORPUS_DIR, name,
		 CORPUS_DIR, name, tmpdir);
	assert_int_equal(system(cmd), 0);
}

static void test_hostile_recordings(void **state)
{
	static const char *const bad_index[] = {
		"1 0 exec\n",				/* no line */
		"1 0 sideways 3\n",			/* unknown kind */
		"-5 0 exit 3\n",			/* bad pid */
		"999999 0 exit 4\n",			/* no such snapshot file */
		"%PID% 0 exit 99999999999\n",		/* past the log */
		"%PID% 0 fork 1\n%PID% 0 fork 1\n",	/* twice */
	};
	char path[512], trace[512], text[256], *p;
	int ret, pid = 0;
	size_t i, len;
	FILE *f;

	(void)state;
	copy_recording("vma_ops");
	snprintf(trace, sizeof(trace), "%s/vma_ops", tmpdir);
	assert_int_equal(replay_quietly(trace, true, false), 0);

	snprintf(path, sizeof(path), "%s/vma_ops.meta", tmpdir);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(text, sizeof(text), f))
		if (!strncmp(text, "root_pid=", 9))
			pid = atoi(text + 9);
	fclose(f);
	assert_true(pid > 0);

	snprintf(path, sizeof(path), "%s/vma_ops.index", tmpdir);
	for (i = 0; i < sizeof(bad_index) / sizeof(bad_index[0]); i++) {
		char buf[256];
		const char *s = bad_index[i];
		size_t n = 0;

		copy_recording("vma_ops");
		while (*s && n < sizeof(buf) - 16) {
			if (!strncmp(s, "%PID%", 5)) {
				n += (size_t)snprintf(buf + n, sizeof(buf) - n,
						      "%d", pid);
				s += 5;
			} else {
				buf[n++] = *s++;
			}
		}
		spit(path, buf, n);
		ret = replay_quietly(trace, true, false);
		if (ret != 1)
			fail_msg("bad index %zu: status %d, not 1", i, ret);
	}

	/* a snapshot that is not a maps file, and one that is cut short */
	copy_recording("vma_ops");
	snprintf(path, sizeof(path), "%s/vma_ops.maps/%d.1.maps", tmpdir, pid);
	p = slurp(path, &len);
	spit(path, "this is not a maps line\n", 24);
	assert_int_equal(replay_quietly(trace, true, false), 1);
	spit(path, p, len / 2);
	assert_int_equal(replay_quietly(trace, true, false), 1);
	free(p);

	/* an exec snapshot with garbage: the process cannot start from it */
	copy_recording("vma_ops");
	snprintf(path, sizeof(path), "%s/vma_ops.maps/%d.0.maps", tmpdir, pid);
	spit(path, "ffff-1000 rw-p 0 0:0 0\n", 23);
	assert_int_equal(replay_quietly(trace, true, false), 1);
}

static void test_allocation_failures(void **state)
{
	static const char *const recordings[] = {
		"python_import", "fork_many", "scenarios",
	};
	unsigned long injected = 0, before;
	char trace[512];
	size_t i, k;
	int ret;

	(void)state;
	for (i = 0; i < sizeof(recordings) / sizeof(recordings[0]); i++) {
		snprintf(trace, sizeof(trace), "%s/%s", CORPUS_DIR,
			 recordings[i]);
		for (k = 0; k < 4; k++) {
			double p = k == 0 ? 0.001 : k == 1 ? 0.01 :
				   k == 2 ? 0.05 : 0.3;

			before = mt_fault_injected();
			mt_fault_fail_random(MT_FAULT_ANY, p, rnd());
			ret = replay_quietly(trace, true, false);
			mt_fault_clear();
			injected += mt_fault_injected() - before;
			if (ret != 0 && ret != 1)
				fail_msg("%s, p %.3f: status %d (seed %lu)",
					 recordings[i], p, ret, seed);
		}
		/* and without faults it is whole again */
		assert_int_equal(replay_quietly(trace, true, false), 0);
	}
	printf("allocation failures injected: %lu\n", injected);
	assert_true(injected > 100);
}

static int setup(void **state)
{
	const char *env = getenv("VMASIM_SEED");

	(void)state;
	seed = env ? strtoul(env, NULL, 0) : (unsigned long)getpid() * 7919UL;
	if (!seed)
		seed = 1;
	printf("seed %lu (VMASIM_SEED=%lu reproduces this run)\n", seed, seed);
	fflush(stdout);
	if (!mkdtemp(tmpdir))
		return -1;
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		return -1;
	/* the replays' FILE:LINE reports would drown the test's output */
	if (!getenv("VMASIM_HOSTILE_VERBOSE") &&
	    !freopen("/dev/null", "w", stderr))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd))
		return -1;
	fclose(devnull);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mutated_logs),
		cmocka_unit_test(test_hostile_recordings),
		cmocka_unit_test(test_allocation_failures),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
