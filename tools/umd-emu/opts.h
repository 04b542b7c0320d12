/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The umd-emu command: the one option parser and error reporter every
 * subcommand uses, so that their usage errors read and exit alike.
 */
#ifndef UMD_EMU_OPTS_H
#define UMD_EMU_OPTS_H

#include <stdbool.h>

#include <glib.h>

/* A subcommand's command line, for --help and the parser. */
struct tool_opts {
	const char *verb;		/* "run": messages say "umd-emu run: ..." */
	const char *params;		/* after [OPTION...] in the usage line */
	const char *summary;		/* the --help text above the options */
	const GOptionEntry *entries;	/* NULL-terminated, or NULL: none */
	bool strict_posix;		/* options end at the first argument */
};

/*
 * Parse the options in argc and argv, leaving the program name and the
 * other arguments. --help prints the help and exits 0. Returns 0, or 2
 * (the exit status of a usage error) after saying
 * "umd-emu VERB: MESSAGE (see 'umd-emu VERB --help')".
 */
int tool_parse_opts(const struct tool_opts *o, int *argc, char ***argv);

/* "umd-emu: MESSAGE" on stderr. */
void tool_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/*
 * A usage error: "umd-emu VERB: MESSAGE (see 'umd-emu VERB --help')".
 * Returns 2, the exit status of a usage error.
 */
int tool_usage_error(const char *verb, const char *fmt, ...)
	G_GNUC_PRINTF(2, 3);

#endif /* UMD_EMU_OPTS_H */
