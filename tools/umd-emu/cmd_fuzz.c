// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu fuzz: fuzz any UMD in process with libFuzzer. Runs umd-emu-fuzz
 * (tools/fuzz/umd-emu-fuzz.c, built by a fuzz build only) with the
 * environment that tells it which modules to load and what to fuzz: the
 * bytes written to a securityfs file (--write), or the replies a driver's
 * handler gives (--reply, the handler a thread answering with the input).
 * Prints the exec/s libFuzzer reports, and on a crash the one command
 * that reproduces it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "umd-emu.h"

#define FUZZ_BUILD_HINT \
	"CC=clang meson setup build/fuzz -Dfuzz=true -Db_sanitize=address,undefined"

struct fuzz_opts {
	char *modules, **modprobe, *write, *reply, *trigger, *corpus;
	gint64 runs, seconds;
	gboolean kdir;
	char **fuzzer_args;
};

static int parse_opts(int argc, char **argv, struct fuzz_opts *o)
{
	GOptionEntry entries[] = {
		{ "modules", 'M', 0, G_OPTION_ARG_FILENAME, &o->modules,
		  "load modules (NAME.ko) from DIR (default: $UMD_EMU_MODULES)",
		  "DIR" },
		{ "modprobe", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &o->modprobe,
		  "load module NAME first (repeatable, or NAME,NAME...)",
		  "NAME" },
		{ "write", 'w', 0, G_OPTION_ARG_STRING, &o->write,
		  "fuzz the bytes written to securityfs file FILE: one write(2) per input",
		  "FILE" },
		{ "reply", 'r', 0, G_OPTION_ARG_STRING, &o->reply,
		  "fuzz the replies of driver DRIVER's handler: a thread answering each request with the input",
		  "DRIVER" },
		{ "trigger", 't', 0, G_OPTION_ARG_STRING, &o->trigger,
		  "with --reply: the write that makes the requests, BYTES to securityfs file FILE (C escapes: \\n \\xHH)",
		  "FILE:BYTES" },
		{ "corpus", 'c', 0, G_OPTION_ARG_FILENAME, &o->corpus,
		  "the corpus directory, created if missing (default: a temporary one, removed at the end)",
		  "DIR" },
		{ "runs", 'n', 0, G_OPTION_ARG_INT64, &o->runs,
		  "stop after N inputs (libFuzzer's -runs)", "N" },
		{ "seconds", 's', 0, G_OPTION_ARG_INT64, &o->seconds,
		  "stop after S seconds (libFuzzer's -max_total_time)", "S" },
		{ "kdir", 0, 0, G_OPTION_ARG_NONE, &o->kdir,
		  "print the kernel build directory that builds modules for fuzzing (make -C \"$(umd-emu fuzz --kdir)\" M=$PWD) and exit",
		  NULL },
		G_OPTION_ENTRY_NULL
	};
	const struct tool_opts opts = {
		.verb = "fuzz",
		.params = "[-- LIBFUZZER_ARGS...]",
		.summary =
		"Fuzz a UMD in process with libFuzzer (umd-emu-fuzz, built by a\n"
		"fuzz build): load the modules once, then per input either write\n"
		"the input to a securityfs file (--write FILE), or make a request\n"
		"with --trigger whose reply, from a handler thread of DRIVER, is\n"
		"the input (--reply DRIVER). After each input: the write returned\n"
		"its count or a negative errno, no mutex is held, no WARNING, BUG or\n"
		"sanitizer report. Prints libFuzzer's exec/s; on a crash, the\n"
		"command that reproduces it. Exits 0 when the runs end clean, 1 on\n"
		"a crash or an error, 2 on a usage error. Build the UMD for it with\n"
		"make -C \"$(umd-emu fuzz --kdir)\" M=$PWD (libFuzzer's coverage).",
		.entries = entries,
		.strict_posix = true,
	};
	int ret;

	o->runs = o->seconds = -1;
	ret = tool_parse_opts(&opts, &argc, &argv);
	if (ret)
		return ret;
	o->fuzzer_args = argv + 1;
	if (*o->fuzzer_args && !strcmp(*o->fuzzer_args, "--"))
		o->fuzzer_args++;
	if (o->kdir)
		return 0;
	if (!o->modules && getenv("UMD_EMU_MODULES"))
		o->modules = g_strdup(getenv("UMD_EMU_MODULES"));
	if (!o->modules)
		return tool_usage_error("fuzz", "say where the modules are: --modules DIR");
	if (!o->modprobe)
		return tool_usage_error("fuzz", "say which modules to load: --modprobe NAME");
	if (!o->write == !o->reply)
		return tool_usage_error("fuzz", "give one of --write FILE or --reply DRIVER");
	if (o->reply && !o->trigger)
		return tool_usage_error("fuzz", "--reply needs --trigger FILE:BYTES, the write that makes a request");
	if (o->trigger && !o->reply)
		return tool_usage_error("fuzz", "--trigger goes with --reply");
	if (o->trigger && (!strchr(o->trigger, ':') || *o->trigger == ':'))
		return tool_usage_error("fuzz", "--trigger takes FILE:BYTES, not '%s'",
					o->trigger);
	if (o->runs < -1 || o->seconds < -1)
		return tool_usage_error("fuzz", "--runs and --seconds take 0 or more");
	return 0;
}

static void free_opts(struct fuzz_opts *o)
{
	g_free(o->modules);
	g_strfreev(o->modprobe);
	g_free(o->write);
	g_free(o->reply);
	g_free(o->trigger);
	g_free(o->corpus);
}

/* "a b c" from --modprobe a --modprobe b,c */
static char *modprobe_list(char **names)
{
	GString *s = g_string_new(NULL);
	char **parts, **p;

	for (; *names; names++) {
		parts = g_strsplit_set(*names, ", ", -1);
		for (p = parts; *p; p++) {
			if (!**p)
				continue;
			if (s->len)
				g_string_append_c(s, ' ');
			g_string_append(s, *p);
		}
		g_strfreev(parts);
	}
	return g_string_free(s, FALSE);
}

/* Remove dir and the files in it (libFuzzer's corpus is flat). */
static void remove_tmp_corpus(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;
	char *path;

	while (d && (name = g_dir_read_name(d))) {
		path = g_build_filename(dir, name, NULL);
		g_unlink(path);
		g_free(path);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(dir);
}

/* What the driver's output says. */
struct fuzz_result {
	char *exec_per_sec;
	char *runs;
	char *artifact;
};

static void scan_line(struct fuzz_result *r, const char *line)
{
	const char *p;

	if ((p = strstr(line, "stat::average_exec_per_sec:"))) {
		g_free(r->exec_per_sec);
		r->exec_per_sec = g_strstrip(g_strdup(p + 27));
	} else if ((p = strstr(line, "stat::number_of_executed_units:"))) {
		g_free(r->runs);
		r->runs = g_strstrip(g_strdup(p + 31));
	} else if ((p = strstr(line, "Test unit written to "))) {
		g_free(r->artifact);
		r->artifact = g_strstrip(g_strdup(p + 21));
	}
}

/* Run the driver, its stderr passed on and scanned; its wait status. */
static int run_driver(char **args, char **envp, struct fuzz_result *r)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_term;
	char buf[4096];
	GString *line = g_string_new(NULL);
	int pipefd[2], status = -1;
	ssize_t n, i;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC)) {
		tool_error("fuzz: pipe: %s", g_strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		tool_error("fuzz: fork: %s", g_strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(pipefd[1], 2);
		execve(args[0], args, envp);
		fprintf(stderr, "umd-emu: fuzz: cannot run %s: %s\n", args[0],
			strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	/* Ctrl-C reaches the driver too: libFuzzer then prints its stats. */
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGTERM, &ign, &old_term);
	while ((n = read(pipefd[0], buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		fwrite(buf, 1, n, stderr);
		for (i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				g_string_append_c(line, buf[i]);
				continue;
			}
			scan_line(r, line->str);
			g_string_truncate(line, 0);
		}
	}
	if (line->len)
		scan_line(r, line->str);
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	g_string_free(line, TRUE);
	return status;
}

/* "VAR=value ... driver file", quoted for a shell. */
static char *repro_command(const char *const *vars, char **envp,
			   const char *driver, const char *artifact)
{
	GString *s = g_string_new(NULL);
	const char *val;
	char *q;

	for (; *vars; vars++) {
		val = g_environ_getenv(envp, *vars);
		if (!val)
			continue;
		q = g_shell_quote(val);
		g_string_append_printf(s, "%s=%s ", *vars, q);
		g_free(q);
	}
	q = g_shell_quote(driver);
	g_string_append(s, q);
	g_free(q);
	q = g_shell_quote(artifact);
	g_string_append_printf(s, " %s", q);
	g_free(q);
	return g_string_free(s, FALSE);
}

/* The environment variables that tell the driver what to fuzz. */
static const char *const driver_vars[] = {
	"UMD_EMU_MODULES", "UMD_EMU_FUZZ_MODPROBE", "UMD_EMU_FUZZ_WRITE",
	"UMD_EMU_FUZZ_REPLY", "UMD_EMU_FUZZ_TRIGGER", NULL,
};

/* --kdir: print the fuzz build's kdir, or say there is none. */
static int print_fuzz_kdir(void)
{
	if (!g_file_test(tool_fuzz_kdir(), G_FILE_TEST_IS_DIR) ||
	    !g_file_test(tool_fuzz_driver(), G_FILE_TEST_IS_EXECUTABLE)) {
		tool_error("fuzz: this umd-emu has no fuzz build; make one with: " FUZZ_BUILD_HINT);
		return 1;
	}
	printf("%s\n", tool_fuzz_kdir());
	return 0;
}

/* The corpus directory: the user's (created if missing) or a new one. */
static char *open_corpus(const struct fuzz_opts *o, gboolean *tmp)
{
	GError *err = NULL;
	char *corpus;

	*tmp = FALSE;
	if (o->corpus) {
		corpus = g_canonicalize_filename(o->corpus, NULL);
		if (g_mkdir_with_parents(corpus, 0755)) {
			tool_error("fuzz: cannot create the corpus directory %s: %s",
				   corpus, g_strerror(errno));
			g_free(corpus);
			return NULL;
		}
		return corpus;
	}
	corpus = g_dir_make_tmp("umd-emu-fuzz-XXXXXX", &err);
	if (!corpus) {
		tool_error("fuzz: cannot create a corpus directory: %s",
			   err->message);
		g_error_free(err);
		return NULL;
	}
	*tmp = TRUE;
	return corpus;
}

/* Our environment, with driver_vars set from the options alone. */
static char **driver_environ(const struct fuzz_opts *o)
{
	char **envp = g_get_environ();
	char *abs_mod, *list;
	int i;

	for (i = 0; driver_vars[i]; i++)
		envp = g_environ_unsetenv(envp, driver_vars[i]);
	abs_mod = strchr(o->modules, ':') ? g_strdup(o->modules) :
		  g_canonicalize_filename(o->modules, NULL);
	envp = g_environ_setenv(envp, "UMD_EMU_MODULES", abs_mod, TRUE);
	g_free(abs_mod);
	list = modprobe_list(o->modprobe);
	envp = g_environ_setenv(envp, "UMD_EMU_FUZZ_MODPROBE", list, TRUE);
	g_free(list);
	if (o->write)
		envp = g_environ_setenv(envp, "UMD_EMU_FUZZ_WRITE", o->write,
					TRUE);
	if (o->reply) {
		envp = g_environ_setenv(envp, "UMD_EMU_FUZZ_REPLY", o->reply,
					TRUE);
		envp = g_environ_setenv(envp, "UMD_EMU_FUZZ_TRIGGER",
					o->trigger, TRUE);
	}
	return envp;
}

/* libFuzzer's command line: limits, stats, crash files here, corpus. */
static GPtrArray *driver_args(const struct fuzz_opts *o, const char *corpus)
{
	GPtrArray *args = g_ptr_array_new_with_free_func(g_free);
	char *cwd = g_get_current_dir();

	g_ptr_array_add(args, g_strdup(tool_fuzz_driver()));
	if (o->runs >= 0)
		g_ptr_array_add(args, g_strdup_printf("-runs=%" G_GINT64_FORMAT,
						      o->runs));
	if (o->seconds >= 0)
		g_ptr_array_add(args, g_strdup_printf("-max_total_time=%" G_GINT64_FORMAT,
						      o->seconds));
	g_ptr_array_add(args, g_strdup("-print_final_stats=1"));
	/* Crash files where the user is, with absolute names. */
	g_ptr_array_add(args, g_strdup_printf("-artifact_prefix=%s/", cwd));
	for (char **a = o->fuzzer_args; *a; a++)
		g_ptr_array_add(args, g_strdup(*a));
	g_ptr_array_add(args, g_strdup(corpus));
	g_ptr_array_add(args, NULL);
	g_free(cwd);
	return args;
}

/* What the run came to: its speed, and a crash as a command to rerun. */
static int report(int status, const struct fuzz_result *r, char **envp)
{
	char *repro;

	if (r->exec_per_sec)
		printf("umd-emu fuzz: %s runs, %s exec/s (libFuzzer's average)\n",
		       r->runs ? r->runs : "?", r->exec_per_sec);
	if (status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (r->artifact) {
		repro = repro_command(driver_vars, envp, tool_fuzz_driver(),
				      r->artifact);
		printf("umd-emu fuzz: the driver found a crash, saved in %s; reproduce it with:\n  %s\n",
		       r->artifact, repro);
		g_free(repro);
	} else if (status >= 0) {
		tool_error("fuzz: the driver failed (%s %d) and saved no input: see its output above",
			   WIFSIGNALED(status) ? "signal" : "exit status",
			   WIFSIGNALED(status) ? WTERMSIG(status) :
						 WEXITSTATUS(status));
	}
	return 1;
}

int cmd_fuzz(int argc, char **argv)
{
	struct fuzz_opts o = { 0 };
	struct fuzz_result r = { 0 };
	char *corpus = NULL, **envp = NULL;
	gboolean tmp_corpus = FALSE;
	GPtrArray *args;
	int ret, status;

	ret = parse_opts(argc, argv, &o);
	if (ret)
		goto out;
	if (o.kdir) {
		ret = print_fuzz_kdir();
		goto out;
	}
	ret = 1;
	if (!g_file_test(tool_fuzz_driver(), G_FILE_TEST_IS_EXECUTABLE)) {
		tool_error("fuzz: the fuzz driver %s is not built (it needs a fuzz build): " FUZZ_BUILD_HINT,
			   tool_fuzz_driver());
		goto out;
	}
	if (!g_file_test(o.modules, G_FILE_TEST_IS_DIR) &&
	    !strchr(o.modules, ':')) {
		tool_error("fuzz: --modules %s: not a directory", o.modules);
		goto out;
	}
	corpus = open_corpus(&o, &tmp_corpus);
	if (!corpus)
		goto out;
	envp = driver_environ(&o);
	args = driver_args(&o, corpus);
	status = run_driver((char **)args->pdata, envp, &r);
	g_ptr_array_free(args, TRUE);
	ret = report(status, &r, envp);
out:
	fflush(stdout);
	if (tmp_corpus)
		remove_tmp_corpus(corpus);
	g_free(r.exec_per_sec);
	g_free(r.runs);
	g_free(r.artifact);
	g_strfreev(envp);
	g_free(corpus);
	free_opts(&o);
	return ret;
}
