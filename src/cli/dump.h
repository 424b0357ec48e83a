/* SPDX-License-Identifier: MIT */
/*
 * dump.h - the `vmasim dump` command: a /proc/PID/maps snapshot printed
 * back, drawn as an SVG picture of the address space, or its maple tree
 * written as Graphviz DOT.
 */
#ifndef VMASIM_CLI_DUMP_H
#define VMASIM_CLI_DUMP_H

#include <stdio.h>

/**
 * cmd_dump - run `vmasim dump SUBCOMMAND SNAPSHOT [-o OUT]`.
 * @argc: number of arguments, counting "dump" itself
 * @argv: the arguments, argv[0] being "dump"
 *
 * Return: the exit status: 0 on success, 1 on a load or I/O error, 2 on a
 * usage error.
 */
int cmd_dump(int argc, char **argv);

/**
 * dump_usage - print the usage of `vmasim dump`.
 * @out: the stream
 */
void dump_usage(FILE *out);

#endif /* VMASIM_CLI_DUMP_H */
