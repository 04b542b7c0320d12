// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <stdio.h>
#include <unistd.h>
#include "msg.h"

int main(void)
{
	struct upper_msg m;
	unsigned int i;

	fprintf(stderr, "upper_umh ready\n");
	while (read(0, &m, sizeof(m)) == sizeof(m)) {
		for (i = 0; i < m.len && i < sizeof(m.text); i++)
			m.text[i] = toupper((unsigned char)m.text[i]);
		if (write(1, &m, sizeof(m)) != sizeof(m))
			return 1;
	}
	return 0;
}
