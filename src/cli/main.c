/* SPDX-License-Identifier: MIT */
/*
 * main.c - the `vmasim` executable: global options (--help, --version)
 * and dispatch to the commands.  The commands themselves live in their
 * own files of src/cli (dump.c: `vmasim dump`).
 */
#include <stdio.h>
#include <string.h>

#include "dump.h"
#include "record.h"
#include "replay.h"
#include "scenario.h"

#ifndef VMASIM_VERSION
#define VMASIM_VERSION "0.1.0"
#endif

struct vmasim_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

static const struct vmasim_command vmasim_commands[] = {
	{ "dump", "show a /proc/PID/maps snapshot as maps, SVG or DOT",
	  cmd_dump },
	{ "record", "run a program under ptrace and record its memory calls",
	  cmd_record },
	{ "replay", "replay a strace log or a recording on the simulator",
	  cmd_replay },
	{ "check", "replay a recording and compare it with its snapshots",
	  cmd_check },
	{ "scenario", "run scenario files (.scn) on the simulator or the kernel",
	  cmd_scenario },
};

#define NR_COMMANDS (sizeof(vmasim_commands) / sizeof(vmasim_commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fputs("usage: vmasim [--help] [--version] COMMAND [ARGS]\n"
	      "\n"
	      "Simulator of the Linux 6.18 VMA manager.\n"
	      "\n"
	      "Commands:\n", out);
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "  %-10s %s\n", vmasim_commands[i].name,
			vmasim_commands[i].summary);
	fputs("\n"
	      "Options:\n"
	      "  -h, --help     show this help and exit\n"
	      "  -V, --version  show the version and exit\n"
	      "\n"
	      "'vmasim COMMAND --help' describes a command.\n", out);
}

int main(int argc, char **argv)
{
	const char *arg;
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	arg = argv[1];
	if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
		usage(stdout);
		return fflush(stdout) ? 1 : 0;
	}
	if (!strcmp(arg, "--version") || !strcmp(arg, "-V")) {
		printf("vmasim %s\n", VMASIM_VERSION);
		return fflush(stdout) ? 1 : 0;
	}
	if (arg[0] == '-') {
		fprintf(stderr, "vmasim: unknown option '%s'\n", arg);
		usage(stderr);
		return 2;
	}
	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(arg, vmasim_commands[i].name))
			return vmasim_commands[i].run(argc - 1, argv + 1);

	fprintf(stderr, "vmasim: '%s' is not a vmasim command\n", arg);
	usage(stderr);
	return 2;
}
