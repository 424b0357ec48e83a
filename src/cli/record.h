/* SPDX-License-Identifier: MIT */
/*
 * record.h - the `vmasim record` command: run a program under ptrace and
 * write the recording that `replay` and `check` read (NAME.strace,
 * NAME.maps/, NAME.index, NAME.meta; see /work/shared/ARCHITECTURE.md).
 */
#ifndef VMASIM_CLI_RECORD_H
#define VMASIM_CLI_RECORD_H

#include <stdio.h>

/**
 * cmd_record - run `vmasim record -o OUT/NAME [-s N] -- CMD [ARGS...]`.
 * @argc: number of arguments, counting "record" itself
 * @argv: the arguments, argv[0] being "record"
 *
 * Return: the exit status of CMD (128 + signal number when a signal
 * killed it), 1 when the recording could not be made, 2 on a usage error.
 */
int cmd_record(int argc, char **argv);

/**
 * record_usage - print the usage of `vmasim record`.
 * @out: the stream
 */
void record_usage(FILE *out);

#endif /* VMASIM_CLI_RECORD_H */
