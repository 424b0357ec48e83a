/* SPDX-License-Identifier: MIT */
/*
 * scenario.h - the `vmasim scenario` command: scenario files (.scn) of
 * calls in strace syntax and expected /proc/PID/maps layouts, run on the
 * simulator or, with --kernel, for real on the live kernel.
 */
#ifndef VMASIM_CLI_SCENARIO_H
#define VMASIM_CLI_SCENARIO_H

#include <stdio.h>

/**
 * cmd_scenario - run `vmasim scenario [--kernel] [-v] FILE...`.
 * @argc: number of arguments, counting "scenario" itself
 * @argv: the arguments, argv[0] being "scenario"
 *
 * Context: forks and executes /proc/self/exe for the live child (both
 * modes: the simulator starts from the live child's layout).
 * Return: the exit status: 0 when every file passes, 1 when one fails or
 * is malformed, 2 on a usage error, 77 (--kernel) when no file failed but
 * the live kernel side could not run for at least one.
 */
int cmd_scenario(int argc, char **argv);

/**
 * scenario_usage - print the usage of `vmasim scenario`.
 * @out: the stream
 */
void scenario_usage(FILE *out);

#endif /* VMASIM_CLI_SCENARIO_H */
