// SPDX-License-Identifier: GPL-2.0
/*
 * Replays inputs through a fuzz target without libFuzzer (as systemd's
 * fuzz-main.c does): every file named on the command line, and every file
 * in every directory named, once. Saved crash inputs and the seed corpora
 * thus run as plain regression tests in every build.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <glib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int run_file(const char *path)
{
	gchar *data;
	gsize len;
	GError *err = NULL;

	if (!g_file_get_contents(path, &data, &len, &err)) {
		fprintf(stderr, "fuzz-main: %s\n", err->message);
		g_error_free(err);
		return 1;
	}
	printf("fuzz-main: %s (%zu bytes)\n", path, (size_t)len);
	fflush(stdout);
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	g_free(data);
	return 0;
}

int main(int argc, char **argv)
{
	const char *name;
	struct stat st;
	GDir *dir;
	char *path;
	int i, ret = 0, count = 0;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st)) {
			perror(argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			ret |= run_file(argv[i]);
			count++;
			continue;
		}
		dir = g_dir_open(argv[i], 0, NULL);
		while (dir && (name = g_dir_read_name(dir))) {
			path = g_build_filename(argv[i], name, NULL);
			ret |= run_file(path);
			count++;
			g_free(path);
		}
		if (dir)
			g_dir_close(dir);
	}
	printf("fuzz-main: %d input(s) replayed\n", count);
	return ret || !count;
}
