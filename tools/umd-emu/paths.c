// SPDX-License-Identifier: GPL-2.0
/*
 * The umd-emu command: where its modules, its kdir and the real-kernel
 * oracle's sources are. An executable in the build tree it was built in
 * uses that tree's; an installed one finds its installed files relative
 * to itself: the prefix is the executable's directory minus bindir, so a
 * tree installed with DESTDIR, or moved, works as well as one at the
 * configured prefix. (Only with an absolute bindir, or a path outside
 * the prefix, is the configured absolute path used.)
 */
#include <string.h>

#include <glib.h>

#include "umd-emu.h"

/* Is this executable in the build tree it was built in? */
static gboolean running_from_build_tree(void)
{
	char *exe = g_file_read_link("/proc/self/exe", NULL);
	gboolean in_tree = exe && g_str_has_prefix(exe, UMD_EMU_BUILD_ROOT "/");

	g_free(exe);
	return in_tree;
}

/* The prefix this executable is installed under, or NULL. */
static char *installed_prefix(void)
{
	char *exe, *dir, *up, **parts;
	int i;

	if (g_path_is_absolute(UMD_EMU_BINDIR))
		return NULL;
	exe = g_file_read_link("/proc/self/exe", NULL);
	if (!exe)
		return NULL;
	dir = g_path_get_dirname(exe);
	g_free(exe);
	parts = g_strsplit(UMD_EMU_BINDIR, "/", -1);
	for (i = 0; parts[i]; i++) {
		if (!*parts[i] || !strcmp(parts[i], "."))
			continue;
		up = g_path_get_dirname(dir);
		g_free(dir);
		dir = up;
	}
	g_strfreev(parts);
	return dir;
}

/* path, an installed file under the configured prefix, where it really is. */
static const char *installed(const char *path, char **cache)
{
	const char *prefix = UMD_EMU_PREFIX;
	size_t len = strlen(prefix);
	char *here;

	if (*cache)
		return *cache;
	while (len > 1 && prefix[len - 1] == '/')
		len--;
	here = installed_prefix();
	if (here && !strncmp(path, prefix, len) && path[len] == '/')
		*cache = g_strconcat(here, path + len, NULL);
	else
		*cache = g_strdup(path);
	g_free(here);
	return *cache;
}

const char *tool_kdir(void)
{
	static char *cache;

	return running_from_build_tree() ? UMD_EMU_BUILD_KDIR :
	       installed(UMD_EMU_INSTALLED_KDIR, &cache);
}

const char *tool_default_modules(void)
{
	static char *cache;

	return running_from_build_tree() ? UMD_EMU_BUILD_MODULES :
	       installed(UMD_EMU_INSTALLED_MODULES, &cache);
}

const char *tool_realkernel_script(void)
{
	static char *cache;

	return running_from_build_tree() ?
	       UMD_EMU_SOURCE_ROOT "/tools/realkernel/realkernel.sh" :
	       installed(UMD_EMU_INSTALLED_SOURCES
			 "/tools/realkernel/realkernel.sh", &cache);
}

/* name, in the directory of an installed file (cached in *cache). */
static const char *beside(const char *installed_file, const char *name,
			  char **cache)
{
	char *dir;

	if (!*cache) {
		dir = g_path_get_dirname(installed_file);
		*cache = g_build_filename(dir, name, NULL);
		g_free(dir);
	}
	return *cache;
}

const char *tool_fuzz_driver(void)
{
	static char *cache;

	return running_from_build_tree() ?
	       UMD_EMU_BUILD_ROOT "/tools/fuzz/umd-emu-fuzz" :
	       beside(tool_default_modules(), "umd-emu-fuzz", &cache);
}

const char *tool_fuzz_kdir(void)
{
	static char *cache;

	return running_from_build_tree() ? UMD_EMU_BUILD_ROOT "/tools/fuzz" :
	       beside(tool_kdir(), "fuzz-kdir", &cache);
}

const char *tool_coverage_kdir(void)
{
	static char *cache;

	return running_from_build_tree() ?
	       UMD_EMU_BUILD_ROOT "/tools/coverage" :
	       beside(tool_kdir(), "coverage-kdir", &cache);
}
