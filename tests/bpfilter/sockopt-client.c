// SPDX-License-Identifier: GPL-2.0
/*
 * An ordinary program using bpfilter's socket options, unchanged: run it
 * with the preload library inside "umd-emu run", or on a kernel with
 * bpfilter. Prints what each call returned.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void report(const char *what, int ret)
{
	printf("%s = %d%s%s\n", what, ret, ret < 0 ? " " : "",
	       ret < 0 ? strerror(errno) : "");
}

int main(void)
{
	char table[64] = "a bpfilter table";
	int fd = socket(AF_INET, SOCK_DGRAM, 0), ttl = 33, got = 0;
	socklen_t len;

	if (fd < 0) {
		perror("socket");
		return 1;
	}
	report("setsockopt(SOL_IP, 64)", setsockopt(fd, SOL_IP, 64, table,
						    sizeof(table)));
	report("setsockopt(SOL_IP, 65)", setsockopt(fd, SOL_IP, 65, table, 8));
	len = sizeof(table);
	report("getsockopt(SOL_IP, 64)", getsockopt(fd, SOL_IP, 64, table,
						    &len));
	len = sizeof(table);
	report("getsockopt(SOL_IP, 67)", getsockopt(fd, SOL_IP, 67, table,
						    &len));
	/* Not bpfilter's: the real kernel answers. */
	report("setsockopt(SOL_IP, IP_TTL)", setsockopt(fd, SOL_IP, IP_TTL,
							&ttl, sizeof(ttl)));
	len = sizeof(got);
	report("getsockopt(SOL_IP, IP_TTL)", getsockopt(fd, SOL_IP, IP_TTL,
							&got, &len));
	printf("ttl = %d\n", got);
	close(fd);
	return 0;
}
