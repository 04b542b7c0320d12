// SPDX-License-Identifier: GPL-2.0
/*
 * The control channel between "umd-emu run" (server, in the emulator) and
 * the umd-emu commands run inside it (clients): a UNIX stream socket whose
 * path is in $UMD_EMU_CONTROL. A request is one line "VERB\tARG..."; the
 * reply is lines "O text" (stdout), "E text" (stderr), then "X status".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib.h>

#include <linux/types.h>
#include <linux/sockptr.h>

#include "emu.h"
#include "umd-emu.h"

/* ---- client --------------------------------------------------------- */

int ctl_client(const char *verb, int argc, char **argv)
{
	const char *path = g_getenv(ENV_CONTROL);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	GString *req;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int fd, i, status = -1;
	FILE *in;

	if (!path || !*path) {
		tool_error("%s: not inside 'umd-emu run' ($%s is not set): run it as 'umd-emu run -- umd-emu %s ...' or from a shell started by umd-emu run",
			   verb, ENV_CONTROL, verb);
		return 1;
	}
	if (strlen(path) >= sizeof(addr.sun_path)) {
		tool_error("%s: control socket path too long: %s", verb, path);
		return 1;
	}
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		tool_error("%s: cannot reach the emulator at %s: %s (has 'umd-emu run' exited?)",
			   verb, path, g_strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	req = g_string_new(verb);
	for (i = 0; i < argc; i++)
		g_string_append_printf(req, "\t%s", argv[i]);
	g_string_append_c(req, '\n');
	if (write(fd, req->str, req->len) != (ssize_t)req->len) {
		tool_error("%s: cannot send the request: %s", verb,
			   g_strerror(errno));
		g_string_free(req, TRUE);
		close(fd);
		return 1;
	}
	g_string_free(req, TRUE);
	shutdown(fd, SHUT_WR);

	in = fdopen(fd, "r");
	while (in && (n = getline(&line, &cap, in)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (n < 2)
			continue;
		if (line[0] == CTL_OUT)
			printf("%s\n", line + 2);
		else if (line[0] == CTL_ERR)
			fprintf(stderr, "%s\n", line + 2);
		else if (line[0] == CTL_END)
			status = atoi(line + 2);
	}
	free(line);
	if (in)
		fclose(in);
	fflush(stdout);
	if (status < 0) {
		tool_error("%s: the emulator closed the connection without an answer",
			   verb);
		return 1;
	}
	return status;
}

/* ---- server ----------------------------------------------------------- */

static void reply(GString *out, char kind, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

static void reply(GString *out, char kind, const char *fmt, ...)
{
	va_list args;

	g_string_append_printf(out, "%c ", kind);
	va_start(args, fmt);
	g_string_append_vprintf(out, fmt, args);
	va_end(args);
	g_string_append_c(out, '\n');
}

static int do_modprobe(GString *out, char **args, int nargs)
{
	gboolean quiet = nargs > 1 && !strcmp(args[0], "-q");
	const char *name = args[nargs - 1];
	const char *path;
	int ret;

	if (!umd_emu_module_available(name) && !umd_emu_module_loaded(name)) {
		if (!quiet) {
			path = umd_emu_module_get_path();
			reply(out, CTL_ERR,
			      "modprobe: FATAL: Module %s not found in directory %s",
			      name, path ? path : "(no module path set)");
		}
		return 1;
	}
	ret = umd_emu_modprobe(name);
	if (!ret)
		return 0;
	if (ret == -ENOENT)
		reply(out, CTL_ERR,
		      "modprobe: ERROR: could not insert '%s': Unknown symbol in module, or unknown parameter (see dmesg)",
		      name);
	else
		reply(out, CTL_ERR, "modprobe: ERROR: could not insert '%s': %s",
		      name, g_strerror(-ret));
	return 1;
}

/*
 * A setsockopt/getsockopt for bpfilter from process PID, whose buffer is at
 * ADDR in its own address space, as the network stack would make it.
 */
static int do_sockopt(GString *out, char **args, int nargs)
{
	int (*set)(void *sk, int optname, sockptr_t optval, unsigned int len);
	int (*get)(void *sk, int optname, char *optval, int *optlen);
	unsigned long addr, len;
	int optname, pid, ret, ulen;
	bool is_set;

	if (nargs != 5) {
		reply(out, CTL_ERR, "umd-emu: sockopt: malformed request");
		return 2;
	}
	is_set = !strcmp(args[0], "set");
	optname = atoi(args[1]);
	pid = atoi(args[2]);
	addr = strtoul(args[3], NULL, 10);
	len = strtoul(args[4], NULL, 10);
	/* bpfilter's front end is built into a kernel with CONFIG_BPFILTER. */
	ret = umd_emu_modprobe("bpfilter_sockopt");
	set = umd_emu_module_symbol("bpfilter_sockopt", "bpfilter_ip_set_sockopt");
	get = umd_emu_module_symbol("bpfilter_sockopt", "bpfilter_ip_get_sockopt");
	if (ret || !set || !get) {
		reply(out, CTL_ERR, "umd-emu: sockopt: module bpfilter_sockopt is not available (%s)",
		      ret ? g_strerror(-ret) : "no entry points");
		return 1;
	}
	umd_emu_set_current_pid(pid);
	if (is_set) {
		ret = set(NULL, optname, USER_SOCKPTR((void *)addr), len);
	} else {
		/* optlen is user memory: the caller's value, mapped here. */
		ulen = len;
		umd_emu_user_map(&ulen, sizeof(ulen), true);
		ret = get(NULL, optname, (char *)addr, &ulen);
		umd_emu_user_unmap(&ulen);
	}
	umd_emu_reset_current();
	reply(out, CTL_OUT, "result %d", ret);
	return 0;
}

static int fault_line(const struct umd_emu_fault_info *fi, void *data)
{
	if (!fi->armed && !fi->fired)
		reply(data, CTL_OUT, "%-22s off", fi->name);
	else if (fi->nth)
		reply(data, CTL_OUT, "%-22s %s nth=%lu error=%d short=%zu calls=%lu fired=%lu",
		      fi->name, fi->armed ? "on " : "off", fi->nth, fi->error,
		      fi->short_len, fi->calls, fi->fired);
	else
		reply(data, CTL_OUT, "%-22s %s probability=%g interval=%lu times=%ld error=%d short=%zu calls=%lu fired=%lu",
		      fi->name, fi->armed ? "on " : "off", fi->probability,
		      fi->interval, fi->times, fi->error, fi->short_len,
		      fi->calls, fi->fired);
	return 0;
}

static int do_fault(GString *out, char **args, int nargs)
{
	char *spec, *error = NULL;
	int ret;

	if (!nargs) {
		umd_emu_fault_foreach(fault_line, out);
		reply(out, CTL_OUT, "handler crashes injected: %lu",
		      umd_emu_crashes_fired());
		return 0;
	}
	spec = g_strjoinv(";", args);
	ret = umd_emu_fault_configure(spec, &error);
	g_free(spec);
	if (ret) {
		reply(out, CTL_ERR, "umd-emu: fault: %s", error ? error : "invalid setting");
		g_free(error);
		return 1;
	}
	return 0;
}

struct users_of {
	const char *name;
	char users[256];
};

static int find_users(const struct umd_emu_module_info *mod, void *data)
{
	struct users_of *u = data;

	if (strcmp(mod->name, u->name))
		return 0;
	g_strlcpy(u->users, mod->used_by, sizeof(u->users));
	return 1;
}

static int do_rmmod(GString *out, char **args, int nargs)
{
	struct users_of u = { .name = args[nargs - 1] };
	char *name = g_strdelimit(g_strdup(args[nargs - 1]), "-", '_');
	int ret = umd_emu_rmmod(name);

	u.name = name;
	switch (ret) {
	case 0:
		break;
	case -ENOENT:
		reply(out, CTL_ERR, "rmmod: ERROR: Module %s is not currently loaded",
		      name);
		break;
	case -EWOULDBLOCK:
		umd_emu_module_foreach(find_users, &u);
		reply(out, CTL_ERR,
		      "rmmod: ERROR: could not remove module %s: %s%s%s%s", name,
		      g_strerror(EWOULDBLOCK), u.users[0] ? " (in use by: " : "",
		      u.users, u.users[0] ? ")" : "");
		break;
	default:
		reply(out, CTL_ERR, "rmmod: ERROR: could not remove module %s: %s",
		      name, g_strerror(-ret));
		break;
	}
	g_free(name);
	return ret ? 1 : 0;
}

static int lsmod_line(const struct umd_emu_module_info *mod, void *data)
{
	reply(data, CTL_OUT, "%-19s %8lu  %d %s", mod->name, mod->size,
	      mod->refcnt, mod->used_by);
	return 0;
}

static int dmesg_line(const struct umd_emu_kmsg_record *rec, void *data)
{
	reply(data, CTL_OUT, "[%5llu.%06llu] %s",
	      (unsigned long long)(rec->ts_usec / 1000000),
	      (unsigned long long)(rec->ts_usec % 1000000), rec->text);
	return 0;
}

void ctl_serve(int fd)
{
	GString *out = g_string_new(NULL);
	char buf[4096], **parts;
	ssize_t n, len = 0;
	int status = 2, nargs;

	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0) {
		len += n;
		if (memchr(buf, '\n', len))
			break;
	}
	buf[len > 0 ? len : 0] = '\0';
	g_strchomp(buf);
	parts = g_strsplit(buf, "\t", -1);
	nargs = g_strv_length(parts) - 1;

	if (nargs < 0) {
		reply(out, CTL_ERR, "umd-emu: empty request");
	} else if (!strcmp(parts[0], "modprobe") && nargs >= 1) {
		status = do_modprobe(out, parts + 1, nargs);
	} else if (!strcmp(parts[0], "rmmod") && nargs >= 1) {
		status = do_rmmod(out, parts + 1, nargs);
	} else if (!strcmp(parts[0], "lsmod")) {
		reply(out, CTL_OUT, "Module                  Size  Used by");
		umd_emu_module_foreach(lsmod_line, out);
		status = 0;
	} else if (!strcmp(parts[0], "dmesg")) {
		umd_emu_kmsg_foreach(0, dmesg_line, out);
		status = 0;
	} else if (!strcmp(parts[0], "fault")) {
		status = do_fault(out, parts + 1, nargs);
	} else if (!strcmp(parts[0], "sockopt")) {
		status = do_sockopt(out, parts + 1, nargs);
	} else {
		reply(out, CTL_ERR, "umd-emu: unknown request '%s'", parts[0]);
	}
	g_string_append_printf(out, "%c %d\n", CTL_END, status);

	for (len = 0; len < (ssize_t)out->len; len += n) {
		n = write(fd, out->str + len, out->len - len);
		if (n <= 0)
			break;
	}
	g_strfreev(parts);
	g_string_free(out, TRUE);
}
