/* SPDX-License-Identifier: MIT */
/*
 * replay_cmd.c - the `vmasim replay` and `vmasim check` commands: their
 * options, on top of the replay engine (replay.c).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "replay.h"

enum {
	OPT_NO_LENIENT = 256,
	OPT_LENIENT,
	OPT_MAPS_OUT,
	OPT_NO_PROGRESS,
	OPT_FAULT_MODEL,
	OPT_MAX_REPORTS,
	OPT_NO_MAPS,
	OPT_PARSE_ONLY,
	OPT_PID,
};

static const struct option replay_long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "strict", no_argument, NULL, 's' },
	{ "json", no_argument, NULL, 'j' },
	{ "lenient", no_argument, NULL, OPT_LENIENT },
	{ "no-lenient", no_argument, NULL, OPT_NO_LENIENT },
	{ "maps-out", required_argument, NULL, OPT_MAPS_OUT },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "fault-model", required_argument, NULL, OPT_FAULT_MODEL },
	{ "max-reports", required_argument, NULL, OPT_MAX_REPORTS },
	{ "no-maps", no_argument, NULL, OPT_NO_MAPS },
	{ "parse-only", no_argument, NULL, OPT_PARSE_ONLY },
	{ "pid", required_argument, NULL, OPT_PID },
	{ NULL, 0, NULL, 0 },
};

static void replay_usage(FILE *out)
{
	fputs("usage: vmasim replay [OPTIONS] TRACE\n"
	      "\n"
	      "Replay a strace log on the simulator: TRACE is a recording NAME\n"
	      "(from 'vmasim record'), its NAME.strace, any log of\n"
	      "'strace -f [-y] [-t|-tt|-ttt|-r] [-T] [-Y] [-X verbose] [-k]',\n"
	      "or one file of an 'strace -ff' set written with -t, -tt or -ttt\n"
	      "(its siblings are merged by timestamp).  Each call's result is\n"
	      "compared with the log's; the root process's final layout and\n"
	      "the statistics follow.\n"
	      "\n"
	      "Options:\n"
	      "  -s, --strict         stop at the first differing result, with the\n"
	      "                       line and the layouts around it\n"
	      "  -j, --json           statistics as JSON (no layout)\n"
	      "      --maps-out DIR   write each process's final layout to DIR/PID.maps\n"
	      "      --pid PID        print PID's final layout, not the root process's\n"
	      "      --no-maps        do not print the root process's final layout\n"
	      "      --no-lenient     no placeholder VMAs or files for what the log\n"
	      "                       uses but never created\n"
	      "      --lenient        create them (the default)\n"
	      "      --fault-model M  none or write (default write: private writable\n"
	      "                       memory counts as written to, as most is; a\n"
	      "                       recording's fault_model= meta line decides\n"
	      "                       when this is not given)\n"
	      "      --max-reports N  describe at most N differing results (10)\n"
	      "      --no-progress    no progress bar on a terminal\n"
	      "      --parse-only     read and decode the log, simulate nothing\n"
	      "                       (the baseline of bench/replay_speed.sh)\n"
	      "  -h, --help           show this help\n"
	      "\n"
	      "Exit status: 0 when the log was replayed (with --strict: and every\n"
	      "result matched), 1 otherwise, 2 for usage errors.\n", out);
}

static void check_usage(FILE *out)
{
	fputs("usage: vmasim check [OPTIONS] NAME\n"
	      "\n"
	      "Replay the recording NAME and compare every fork, periodic and exit\n"
	      "snapshot with the simulated layout at its line (start, end,\n"
	      "permissions, offset and path; not device and inode), and every\n"
	      "call's result with the log's.  The first divergence is shown as a\n"
	      "unified diff with the log lines that led there.\n"
	      "\n"
	      "Options:\n"
	      "  -j, --json           statistics as JSON\n"
	      "      --fault-model M  none or write (default write, or the\n"
	      "                       recording's fault_model= meta line)\n"
	      "      --no-lenient     no placeholders (see vmasim replay --help)\n"
	      "      --lenient        placeholders (the default)\n"
	      "      --max-reports N  describe at most N differing results (10)\n"
	      "  -h, --help           show this help\n"
	      "\n"
	      "Exit status: 0 only when every snapshot and every result matches,\n"
	      "1 otherwise, 2 for usage errors or when NAME is not a recording.\n",
	      out);
}

static int parse_common(struct replay_opts *o, int c, const char *cmd)
{
	char *end;

	switch (c) {
	case 'j':
		o->json = true;
		return 0;
	case OPT_LENIENT:
		o->lenient = true;
		return 0;
	case OPT_NO_LENIENT:
		o->lenient = false;
		return 0;
	case OPT_FAULT_MODEL:
		o->fault_model_given = true;
		if (!strcmp(optarg, "none")) {
			o->fault_model = VM_FAULT_NONE;
		} else if (!strcmp(optarg, "write")) {
			o->fault_model = VM_FAULT_ON_WRITE;
		} else {
			fprintf(stderr, "vmasim %s: --fault-model is none or "
				"write, not '%s'\n", cmd, optarg);
			return 2;
		}
		return 0;
	case OPT_MAX_REPORTS:
		o->max_reports = (unsigned int)strtoul(optarg, &end, 10);
		if (*end || !*optarg) {
			fprintf(stderr, "vmasim %s: --max-reports needs a number\n",
				cmd);
			return 2;
		}
		return 0;
	default:
		return 2;
	}
}

static void defaults(struct replay_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->lenient = true;
	o->progress = true;
	o->print_maps = true;
	o->fault_model = VM_FAULT_ON_WRITE;
	o->max_reports = 10;
}

/**
 * cmd_replay() - `vmasim replay [OPTIONS] TRACE`.
 * @argc: argument count, argv[0] being "replay"
 * @argv: arguments
 *
 * Return: the exit status.
 */
int cmd_replay(int argc, char **argv)
{
	struct replay_opts o;
	int c, ret;

	defaults(&o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "hsj", replay_long_opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			replay_usage(stdout);
			return fflush(stdout) ? 1 : 0;
		case 's':
			o.strict = true;
			break;
		case OPT_MAPS_OUT:
			o.maps_out = optarg;
			break;
		case OPT_NO_PROGRESS:
			o.progress = false;
			break;
		case OPT_NO_MAPS:
			o.print_maps = false;
			break;
		case OPT_PARSE_ONLY:
			o.parse_only = true;
			break;
		case OPT_PID:
			o.show_pid = atoi(optarg);
			if (o.show_pid <= 0) {
				fprintf(stderr, "vmasim replay: --pid needs a "
					"pid, not '%s'\n", optarg);
				return 2;
			}
			break;
		default:
			ret = parse_common(&o, c, "replay");
			if (ret) {
				replay_usage(stderr);
				return ret;
			}
		}
	}
	if (optind != argc - 1) {
		replay_usage(stderr);
		return 2;
	}
	o.trace = argv[optind];
	if (o.maps_out && mkdir(o.maps_out, 0777) && errno != EEXIST) {
		fprintf(stderr, "vmasim replay: cannot create %s: %s\n",
			o.maps_out, strerror(errno));
		return 1;
	}
	return replay_run(&o, stdout);
}

/**
 * cmd_check() - `vmasim check [OPTIONS] NAME`.
 * @argc: argument count, argv[0] being "check"
 * @argv: arguments
 *
 * Return: 0 when every snapshot and result matched, 1 otherwise, 2 for
 * usage errors.
 */
int cmd_check(int argc, char **argv)
{
	struct replay_opts o;
	char path[4096];
	struct stat st;
	int c, ret;

	defaults(&o);
	o.check = true;
	o.print_maps = false;
	o.progress = false;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hj", replay_long_opts, NULL)) != -1) {
		if (c == 'h') {
			check_usage(stdout);
			return fflush(stdout) ? 1 : 0;
		}
		ret = parse_common(&o, c, "check");
		if (ret) {
			check_usage(stderr);
			return ret;
		}
	}
	if (optind != argc - 1) {
		check_usage(stderr);
		return 2;
	}
	o.trace = argv[optind];
	snprintf(path, sizeof(path), "%s.strace", o.trace);
	if (stat(path, &st)) {
		fprintf(stderr, "vmasim check: %s is not a recording (no %s)\n",
			o.trace, path);
		return 2;
	}
	return replay_run(&o, stdout);
}
