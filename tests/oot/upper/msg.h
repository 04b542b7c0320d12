/* SPDX-License-Identifier: GPL-2.0 */
struct upper_msg {
	unsigned int len;
	char text[60];
};
