/* SPDX-License-Identifier: MIT */
/*
 * fuzz_replay.c - the libFuzzer target of the replay path: its input is an
 * strace log, replayed by replay_run() as `vmasim replay --lenient` would
 * (the parser of strace.c, the call decoding of calls.c, apply.c and the
 * replay engine, on src/mm and src/vma).  Also, with
 * REPLAY_FUZZ_STANDALONE, a main() that replays files and directories (the
 * seed corpus under ctest, or a crash file where libFuzzer is not
 * available).
 *
 * DOC: Input format
 *
 * The replay reads its log from a path (struct replay_opts.trace), so each
 * input is written to files of a directory made once per process under
 * $TMPDIR (removed at exit).  An input is a plain strace log, written to
 * "log": no ".N" suffix and no log.strace sibling, so never an strace -ff
 * set.  Unless it has lines starting with "%%vmasim " (markers): then it
 * is cut at those lines, each marker's file holding the text up to the
 * next marker.  With a marker "%%vmasim ff PID" it is an strace -ff set:
 * each "ff PID" part is the file ff.PID (PID: 1 to 9 digits, at most
 * FZ_MAX_FF files), the rest is dropped, and the first file is replayed
 * (its siblings are found by name).  Otherwise it is a recording "rec":
 *
 *   (the text before the first marker)	rec.strace, the log
 *   %%vmasim index			rec.index (PID SEQ KIND LINE lines)
 *   %%vmasim meta			rec.meta (root_pid=, fault_model=)
 *   %%vmasim maps PID.SEQ		rec.maps/PID.SEQ.maps, a snapshot
 *   %%vmasim check			no file: compare the snapshots
 *					(vmasim check)
 *
 * A marker of another form, a second index or meta, or a maps name other
 * than digits.digits drops its text; at most FZ_MAX_SNAPS snapshots are
 * written.
 *
 * Options: lenient on, fault model write (a recording's rec.meta may say
 * otherwise), the final layout printed, at most 3 differences described;
 * the sum of the input's bytes chooses the rest, so that a mutation can
 * flip them:
 *   bit 0		statistics as JSON instead of text
 *   bits 1-2 == 3	--strict (stop at the first differing result)
 *   bit 3		a recording: compare its snapshots (as %%vmasim check)
 * Everything the replay prints goes to /dev/null.
 *
 * DOC: What is checked
 *
 * A replay may end with status 0 or 1; anything else, a crash, a sanitizer
 * report, a hang (libFuzzer's -timeout) or a leak is a bug.  In MT_DEBUG
 * builds every tree write is followed by mt_validate() (VMASIM_VALIDATE=1,
 * unless the environment says otherwise); with REPLAY_FUZZ_WRAP every
 * address space passes mm_validate() after each call (see below).  The
 * simulator holds no tree across replays: after the nodes queued for an
 * RCU grace period are flushed (mt_rcu_barrier()), mt_nodes_live() must
 * be back where it was before the first replay.  That check runs after
 * every replay, or every $FUZZ_REPLAY_CHECK_EVERY replays: the flush waits
 * about 10 ms for liburcu's call_rcu worker, several times as long as a
 * replay of an 8 KB log.  (Nodes are malloc'd without jemalloc, so
 * LeakSanitizer sees a lost one too.  libFuzzer's leak check after each
 * input needs the flush as well, or the deferred frees look like leaks:
 * tests/fuzz/run-fuzz-replay.sh runs it with -detect_leaks=0 and
 * LeakSanitizer at exit instead, unless FUZZ_EXACT=1.)
 *
 * Diagnostics: the replay reports malformed lines and differing results
 * as FILE:LINE on stderr.  Under libFuzzer run with -close_fd_mask=2
 * (tests/fuzz/run-fuzz-replay.sh does) to keep them out of the fuzzer's
 * log: libFuzzer then keeps its own output and the sanitizers' reports on
 * a copy of the original stderr.  The standalone main() sends stderr to
 * /dev/null itself, keeping its own messages and the sanitizers' reports
 * on a copy.  Set FUZZ_REPLAY_VERBOSE=1 to see the replay's reports and
 * the chosen options (an assertion's message too).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mtree/alloc.h>
#include <mtree/rcu.h>

#include "replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_MAX_SNAPS	32		/* snapshots of one recording */
#define FZ_MAX_FF	16		/* files of one -ff set */
#define FZ_MARKER	"%%vmasim "

static char fz_dir[PATH_MAX];		/* the per-process directory */
static char fz_path[PATH_MAX + 8];	/* fz_dir/log, rewritten per input */
static char fz_rec[PATH_MAX + 8];	/* fz_dir/rec, a recording's NAME */
/*
 * The files of the last recording (rec.strace, .index, .meta and the
 * snapshots) or -ff set (fewer), removed before the next input.
 */
static char fz_files[FZ_MAX_SNAPS + 3][PATH_MAX + 64];
static unsigned int fz_nr_files;
static FILE *fz_null;			/* the replay's output stream */
static FILE *fz_msg;			/* this harness's messages */
static bool fz_verbose;
static unsigned long fz_check_every = 1;	/* replays between node checks */
static unsigned long fz_runs;			/* replays so far */
static long fz_live;				/* nodes live before the first */

/* Remove the files of the last recording or -ff set. */
static void fz_remove_recording(void)
{
	while (fz_nr_files)
		unlink(fz_files[--fz_nr_files]);
}

static void fz_cleanup(void)
{
	char maps[PATH_MAX + 16];

	fz_remove_recording();
	if (fz_path[0])
		unlink(fz_path);
	if (fz_rec[0]) {
		snprintf(maps, sizeof(maps), "%s.maps", fz_rec);
		rmdir(maps);
	}
	if (fz_dir[0])
		rmdir(fz_dir);
}

static void fz_die(const char *what)
{
	fprintf(fz_msg, "fuzz_replay: %s: %s\n", what, strerror(errno));
	abort();
}

/* Once per process: the directory, the log's path, the output stream. */
static void fz_init(void)
{
	const char *tmp = getenv("TMPDIR");
	int n;

	if (fz_null)
		return;
	fz_msg = stderr;
	fz_verbose = getenv("FUZZ_REPLAY_VERBOSE") &&
		     strcmp(getenv("FUZZ_REPLAY_VERBOSE"), "0");
	/* MT_DEBUG builds: mt_validate() after every tree write */
	setenv("VMASIM_VALIDATE", "1", 0);
	if (getenv("FUZZ_REPLAY_CHECK_EVERY")) {
		fz_check_every = strtoul(getenv("FUZZ_REPLAY_CHECK_EVERY"),
					 NULL, 10);
		if (!fz_check_every)
			fz_check_every = 1;
	}
	if (!tmp || !*tmp)
		tmp = "/tmp";
	n = snprintf(fz_dir, sizeof(fz_dir), "%s/fuzz-replay.XXXXXX", tmp);
	if (n < 0 || (size_t)n >= sizeof(fz_dir)) {
		errno = ENAMETOOLONG;
		fz_die(tmp);
	}
	if (!mkdtemp(fz_dir)) {
		fz_dir[0] = '\0';
		fz_die("mkdtemp");
	}
	snprintf(fz_path, sizeof(fz_path), "%s/log", fz_dir);
	snprintf(fz_rec, sizeof(fz_rec), "%s/rec", fz_dir);
	atexit(fz_cleanup);
	{
		char maps[PATH_MAX + 16];

		snprintf(maps, sizeof(maps), "%s.maps", fz_rec);
		if (mkdir(maps, 0700))
			fz_die(maps);
	}
	fz_null = fopen("/dev/null", "w");
	if (!fz_null)
		fz_die("/dev/null");
	mt_rcu_barrier();
	fz_live = mt_nodes_live();
}

static void fz_write(const char *path, const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		fz_die(path);
	if ((size && fwrite(data, 1, size, f) != size) || fclose(f))
		fz_die(path);
}

/* Write @size bytes to @path, a file removed before the next input. */
static void fz_write_part(const char *path, const uint8_t *data, size_t size)
{
	snprintf(fz_files[fz_nr_files++], sizeof(fz_files[0]), "%s", path);
	fz_write(path, data, size);
}

/* Write @size bytes as the recording's file @suffix (".strace", ...). */
static void fz_write_rec(const char *suffix, const uint8_t *data,
			 size_t size)
{
	char path[sizeof(fz_files[0])];

	snprintf(path, sizeof(path), "%s%s", fz_rec, suffix);
	fz_write_part(path, data, size);
}

/* The next marker line at or after @at, or @size. */
static size_t fz_next_marker(const uint8_t *data, size_t size, size_t at)
{
	size_t n = sizeof(FZ_MARKER) - 1;

	for (; at + n <= size; at++)
		if ((!at || data[at - 1] == '\n') &&
		    !memcmp(data + at, FZ_MARKER, n))
			return at;
	return size;
}

/* An -ff file's pid, 1 to 9 digits, from @s (@len bytes). */
static bool fz_ff_pid(const uint8_t *s, size_t len, char *pid, size_t cap)
{
	size_t i;

	if (!len || len > 9 || len >= cap)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	memcpy(pid, s, len);
	pid[len] = '\0';
	return strtoul(pid, NULL, 10) != 0;
}

/* A snapshot's name, PID.SEQ, from @s (@len bytes). */
static bool fz_snap_name(const uint8_t *s, size_t len, char *name,
			 size_t cap)
{
	size_t i, dots = 0, digits = 0;

	if (!len || len >= cap)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == '.' && digits && !dots) {
			dots++;
			digits = 0;
		} else if (s[i] >= '0' && s[i] <= '9' && digits < 10) {
			digits++;
		} else {
			return false;
		}
	}
	if (dots != 1 || !digits)
		return false;
	memcpy(name, s, len);
	name[len] = '\0';
	return true;
}

/*
 * One marker line at @at: its word (after "%%vmasim ") and length, and
 * where its text starts and ends (the next marker).
 */
struct fz_part {
	const uint8_t *word;
	size_t len;
	size_t text, end;
};

static void fz_part(const uint8_t *data, size_t size, size_t at,
		    struct fz_part *part)
{
	size_t eol;

	for (eol = at; eol < size && data[eol] != '\n'; eol++)
		;
	part->word = data + at + sizeof(FZ_MARKER) - 1;
	part->len = (size_t)(data + eol - part->word);
	part->text = eol < size ? eol + 1 : size;
	part->end = fz_next_marker(data, size, part->text);
}

static bool fz_is(const struct fz_part *part, const char *word)
{
	size_t n = strlen(word);

	return part->len >= n && !memcmp(part->word, word, n) &&
	       (part->len == n || word[n - 1] == ' ');
}

/* An strace -ff set: the "ff PID" parts, as fz_dir/ff.PID. */
static const char *fz_write_ff(const uint8_t *data, size_t size, size_t at)
{
	static char first[sizeof(fz_files[0])];
	char path[sizeof(fz_files[0])], pid[16];
	struct fz_part part;
	unsigned int files = 0;

	first[0] = '\0';
	for (; at < size; at = part.end) {
		fz_part(data, size, at, &part);
		if (!fz_is(&part, "ff ") || files == FZ_MAX_FF ||
		    !fz_ff_pid(part.word + 3, part.len - 3, pid, sizeof(pid)))
			continue;
		snprintf(path, sizeof(path), "%s/ff.%s", fz_dir, pid);
		fz_write_part(path, data + part.text, part.end - part.text);
		if (!files++)
			snprintf(first, sizeof(first), "%s", path);
	}
	/* no valid part: an empty log */
	if (!files) {
		fz_write(fz_path, data, 0);
		return fz_path;
	}
	return first;
}

/*
 * Write the input as a plain log, an -ff set or a recording (see Input
 * format above).  Return: the path to replay; *@rec tells a recording,
 * *@check a check marker.
 */
static const char *fz_write_input(const uint8_t *data, size_t size,
				  bool *rec, bool *check)
{
	size_t first = fz_next_marker(data, size, 0), at;
	unsigned int snaps = 0;
	bool index = false, meta = false;
	char name[32], suffix[64];
	struct fz_part part;

	fz_remove_recording();
	*rec = false;
	*check = false;
	if (first == size) {
		fz_write(fz_path, data, size);
		return fz_path;
	}
	for (at = first; at < size; at = part.end) {
		fz_part(data, size, at, &part);
		if (fz_is(&part, "ff "))
			return fz_write_ff(data, size, first);
	}
	*rec = true;
	fz_write_rec(".strace", data, first);
	for (at = first; at < size; at = part.end) {
		fz_part(data, size, at, &part);
		if (fz_is(&part, "index") && !index) {
			fz_write_rec(".index", data + part.text,
				     part.end - part.text);
			index = true;
		} else if (fz_is(&part, "meta") && !meta) {
			fz_write_rec(".meta", data + part.text,
				     part.end - part.text);
			meta = true;
		} else if (fz_is(&part, "check")) {
			*check = true;
		} else if (fz_is(&part, "maps ") && snaps < FZ_MAX_SNAPS &&
			   fz_snap_name(part.word + 5, part.len - 5, name,
					sizeof(name))) {
			snprintf(suffix, sizeof(suffix), ".maps/%s.maps", name);
			fz_write_rec(suffix, data + part.text,
				     part.end - part.text);
			snaps++;
		}
	}
	return fz_rec;
}

/*
 * Every maple node of a replay is freed when it ends, some after an RCU
 * grace period: once those are flushed, the count of live nodes must be
 * back at the baseline.  Flushing waits for liburcu's call_rcu worker
 * (about 10 ms), so this runs every fz_check_every replays.
 */
static void fz_check_nodes(void)
{
	long live;

	mt_rcu_barrier();
	live = mt_nodes_live();
	if (live != fz_live) {
		fprintf(fz_msg, "fuzz_replay: %ld maple nodes live after "
			"replay %lu, %ld at the start: a replay since the last "
			"check (every %lu) leaked them\n", live, fz_runs,
			fz_live, fz_check_every);
		abort();
	}
}

#ifdef REPLAY_FUZZ_WRAP
/*
 * DOC: mm_validate() around every call of the replay
 *
 * Built with -DREPLAY_FUZZ_WRAP and linked with -Wl,--wrap=NAME for each
 * function below (run-fuzz-replay.sh and the CMake target do both), the
 * replay's calls into the simulator go through these wrappers first:
 * every address space is checked with mm_validate() after each call the
 * replay applies and before it is torn down (exit, exec, the end of the
 * replay).  A failure aborts; mm_validate() has described it on stderr.
 * Only src/cli calls these, so no check lands inside an operation.
 */
#include <vmasim/mm.h>

#include "apply.h"

long __real_call_apply(struct task *t, const struct sim_call *c,
		       long recorded, struct apply_opts *opts);
long __wrap_call_apply(struct task *t, const struct sim_call *c,
		       long recorded, struct apply_opts *opts);
long __real_sys_mmap(struct task *t, unsigned long addr, unsigned long len,
		     unsigned long prot, unsigned long flags, int fd,
		     unsigned long off);
long __wrap_sys_mmap(struct task *t, unsigned long addr, unsigned long len,
		     unsigned long prot, unsigned long flags, int fd,
		     unsigned long off);
long __real_sys_munmap(struct task *t, unsigned long addr,
		       unsigned long len);
long __wrap_sys_munmap(struct task *t, unsigned long addr,
		       unsigned long len);
long __real_sys_mremap(struct task *t, unsigned long addr,
		       unsigned long old_len, unsigned long new_len,
		       unsigned long flags, unsigned long new_addr);
long __wrap_sys_mremap(struct task *t, unsigned long addr,
		       unsigned long old_len, unsigned long new_len,
		       unsigned long flags, unsigned long new_addr);
long __real_sys_clone(struct task *parent, int child_pid,
		      unsigned long flags);
long __wrap_sys_clone(struct task *parent, int child_pid,
		      unsigned long flags);
long __real_sys_execve(struct task *t);
long __wrap_sys_execve(struct task *t);
void __real_sys_exit(struct task *t);
void __wrap_sys_exit(struct task *t);
void __real_sys_exit_group(struct task *t);
void __wrap_sys_exit_group(struct task *t);
void __real_vm_sim_free(struct vm_sim *sim);
void __wrap_vm_sim_free(struct vm_sim *sim);

static unsigned long fz_validations;

static void fz_validate(struct task *t, const char *when)
{
	struct mm_struct *mm = t ? vm_task_mm(t) : NULL;

	if (!mm)
		return;
	fz_validations++;
	if (mm_validate(mm)) {
		fprintf(fz_msg, "fuzz_replay: pid %d: mm_validate() fails %s\n",
			vm_task_pid(t), when);
		abort();
	}
}

long __wrap_call_apply(struct task *t, const struct sim_call *c,
		       long recorded, struct apply_opts *opts)
{
	long ret = __real_call_apply(t, c, recorded, opts);

	fz_validate(t, "after call_apply()");
	return ret;
}

long __wrap_sys_mmap(struct task *t, unsigned long addr, unsigned long len,
		     unsigned long prot, unsigned long flags, int fd,
		     unsigned long off)
{
	long ret = __real_sys_mmap(t, addr, len, prot, flags, fd, off);

	fz_validate(t, "after sys_mmap()");
	return ret;
}

long __wrap_sys_munmap(struct task *t, unsigned long addr, unsigned long len)
{
	long ret = __real_sys_munmap(t, addr, len);

	fz_validate(t, "after sys_munmap()");
	return ret;
}

long __wrap_sys_mremap(struct task *t, unsigned long addr,
		       unsigned long old_len, unsigned long new_len,
		       unsigned long flags, unsigned long new_addr)
{
	long ret = __real_sys_mremap(t, addr, old_len, new_len, flags,
				     new_addr);

	fz_validate(t, "after sys_mremap()");
	return ret;
}

long __wrap_sys_clone(struct task *parent, int child_pid, unsigned long flags)
{
	long ret = __real_sys_clone(parent, child_pid, flags);

	fz_validate(parent, "in the parent after sys_clone()");
	return ret;
}

long __wrap_sys_execve(struct task *t)
{
	fz_validate(t, "before sys_execve()");
	return __real_sys_execve(t);
}

void __wrap_sys_exit(struct task *t)
{
	fz_validate(t, "before sys_exit()");
	__real_sys_exit(t);
}

void __wrap_sys_exit_group(struct task *t)
{
	fz_validate(t, "before sys_exit_group()");
	__real_sys_exit_group(t);
}

void __wrap_vm_sim_free(struct vm_sim *sim)
{
	struct task *t;
	size_t i;

	for (i = 0; sim && (t = vm_sim_task(sim, i)) != NULL; i++)
		fz_validate(t, "at the end of the replay");
	__real_vm_sim_free(sim);
}
#endif /* REPLAY_FUZZ_WRAP */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct replay_opts o;
	unsigned int sum = 0;
	bool rec, check;
	size_t i;
	int ret;

	fz_init();
	for (i = 0; i < size; i++)
		sum += data[i];

	memset(&o, 0, sizeof(o));
	o.trace = fz_write_input(data, size, &rec, &check);
	o.lenient = true;
	o.json = sum & 1;
	o.strict = (sum & 6) == 6;
	o.check = rec && (check || (sum & 8));
	o.print_maps = true;
	o.fault_model = VM_FAULT_ON_WRITE;
	o.fault_model_given = !rec;
	o.max_reports = 3;
	if (fz_verbose)
		fprintf(stderr, "fuzz_replay: %zu bytes, %s,%s%s%s\n", size,
			rec ? "recording" : o.trace == fz_path ? "log" : "-ff set",
			o.json ? " json" : " text",
			o.strict ? " strict" : "",
			o.check ? " check" : "");

	ret = replay_run(&o, fz_verbose ? stdout : fz_null);
	if (ret != 0 && ret != 1) {
		fprintf(fz_msg, "fuzz_replay: replay_run() returned %d\n",
			ret);
		abort();
	}
	if (++fz_runs % fz_check_every == 0)
		fz_check_nodes();
	return 0;
}

#ifdef REPLAY_FUZZ_STANDALONE
/*
 * Replay without libFuzzer: every file named on the command line, and every
 * regular file of every directory named (not recursively, in name order,
 * names starting with '.' skipped).
 */
#include <dirent.h>

/* Where sanitizers report; weak: absent from a build without them. */
void __sanitizer_set_report_fd(void *fd) __attribute__((weak));

/* Send stderr to /dev/null, keeping a copy for fz_msg and sanitizers. */
static void fz_quiet_stderr(void)
{
	int copy, null;

	if (fz_verbose)
		return;
	fflush(stderr);
	copy = dup(STDERR_FILENO);
	null = open("/dev/null", O_WRONLY);
	if (copy < 0 || null < 0)
		fz_die("dup");
	fz_msg = fdopen(copy, "w");
	if (!fz_msg)
		fz_die("fdopen");
	setvbuf(fz_msg, NULL, _IOLBF, 0);
	if (__sanitizer_set_report_fd)
		__sanitizer_set_report_fd((void *)(intptr_t)copy);
	if (dup2(null, STDERR_FILENO) < 0)
		fz_die("dup2");
	close(null);
}

static int fz_run_file(const char *path)
{
	uint8_t *buf = NULL, *nb;
	size_t len = 0, cap = 0, n;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(fz_msg, "fuzz_replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? 2 * cap : 8192;
			nb = realloc(buf, cap);
			if (!nb) {
				fprintf(fz_msg, "fuzz_replay: %s: out of memory\n",
					path);
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		if (!n)
			break;
		len += n;
	}
	if (ferror(f)) {
		fprintf(fz_msg, "fuzz_replay: %s: read error\n", path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	/* Named before it runs: a crash leaves the culprit on the screen. */
	fprintf(fz_msg, "fuzz_replay: %s\n", path);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int fz_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int fz_run_dir(const char *dir, unsigned long *count)
{
	char **names = NULL, **nn;
	size_t nr = 0, cap = 0, i;
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);
	int ret = 0;

	if (!d) {
		fprintf(fz_msg, "fuzz_replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while (!ret && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (nr == cap) {
			cap = cap ? 2 * cap : 64;
			nn = realloc(names, cap * sizeof(*names));
			if (!nn) {
				ret = -1;
				break;
			}
			names = nn;
		}
		names[nr] = malloc(strlen(dir) + strlen(de->d_name) + 2);
		if (!names[nr]) {
			ret = -1;
			break;
		}
		sprintf(names[nr], "%s/%s", dir, de->d_name);
		nr++;
	}
	closedir(d);
	if (nr)
		qsort(names, nr, sizeof(*names), fz_cmp_names);
	for (i = 0; i < nr; i++) {
		if (!ret && !stat(names[i], &st) && S_ISREG(st.st_mode)) {
			if (fz_run_file(names[i]))
				ret = -1;
			else
				(*count)++;
		}
		free(names[i]);
	}
	free(names);
	if (ret)
		fprintf(fz_msg, "fuzz_replay: %s: cannot read it whole\n", dir);
	return ret;
}

int main(int argc, char **argv)
{
	unsigned long count = 0;
	struct stat st;
	int i, ret = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n"
			"  FUZZ_REPLAY_VERBOSE=1 shows the replays' reports\n",
			argv[0]);
		return 2;
	}
	fz_init();
	fz_quiet_stderr();
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st)) {
			fprintf(fz_msg, "fuzz_replay: %s: %s\n", argv[i],
				strerror(errno));
			ret = 1;
		} else if (S_ISDIR(st.st_mode)) {
			if (fz_run_dir(argv[i], &count))
				ret = 1;
		} else if (fz_run_file(argv[i])) {
			ret = 1;
		} else {
			count++;
		}
	}
	if (count)
		fz_check_nodes();
	else
		ret = 1;
	fprintf(fz_msg, "fuzz_replay: %lu inputs replayed%s\n", count,
		ret ? "" : ", no failure");
#ifdef REPLAY_FUZZ_WRAP
	fprintf(fz_msg, "fuzz_replay: %lu address spaces validated\n",
		fz_validations);
#endif
	return ret;
}
#endif /* REPLAY_FUZZ_STANDALONE */
