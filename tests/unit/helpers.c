// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the unit tests. */
#include <dirent.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu.h"
#include "helpers.h"

int th_count_fds(void)
{
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	g_assert_nonnull(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;	/* the directory's own fd */
}

int th_count_children(void)
{
	char path[300], buf[512], *p;
	struct dirent *de;
	pid_t self = getpid();
	int n = 0, ppid;
	DIR *d = opendir("/proc");
	FILE *f;

	g_assert_nonnull(d);
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f)) {
			/* pid (comm) state ppid: comm may hold spaces */
			p = strrchr(buf, ')');
			if (p && sscanf(p + 2, "%*c %d", &ppid) == 1 &&
			    ppid == self)
				n++;
		}
		fclose(f);
	}
	closedir(d);
	return n;
}

void *th_read_file(const char *path, size_t *len)
{
	gchar *data = NULL;
	gsize n = 0;
	GError *err = NULL;

	if (!g_file_get_contents(path, &data, &n, &err))
		g_error("cannot read %s: %s", path, err->message);
	*len = n;
	return data;
}

bool th_wait_no_children(int ms)
{
	int i;

	for (i = 0; i < ms; i++) {
		if (!umd_emu_live_children() && !th_count_children())
			return true;
		g_usleep(1000);
	}
	return false;
}

static int dump_one(const struct umd_emu_kmsg_record *rec, void *data)
{
	(void)data;
	g_printerr("  kmsg %llu <%d> %s\n", (unsigned long long)rec->seq,
		   rec->level, rec->text);
	return 0;
}

void th_dump_kmsg(uint64_t seq)
{
	umd_emu_kmsg_foreach(seq, dump_one, NULL);
}

void th_state_save(struct th_state *st)
{
	st->fds = th_count_fds();
	st->warnings = umd_emu_warnings();
	st->kmsg_seq = umd_emu_kmsg_next_seq();
}

void th_state_check(const struct th_state *st, unsigned long expected_warnings)
{
	bool clean = th_wait_no_children(2000);

	if (!clean || th_count_fds() != st->fds ||
	    umd_emu_mutexes_held() ||
	    umd_emu_warnings() - st->warnings != expected_warnings ||
	    umd_emu_sanitizer_reports())
		th_dump_kmsg(st->kmsg_seq);
	g_assert_true(clean);
	g_assert_cmpint(umd_emu_live_children(), ==, 0);
	g_assert_cmpint(th_count_children(), ==, 0);
	g_assert_cmpint(th_count_fds(), ==, st->fds);
	g_assert_cmpint(umd_emu_mutexes_held(), ==, 0);
	g_assert_cmpuint(umd_emu_warnings() - st->warnings, ==,
			 expected_warnings);
	g_assert_cmpuint(umd_emu_sanitizer_reports(), ==, 0);
}
