#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A UMD kept outside the tree, with a Kbuild-style Makefile and no file of
# umd-emu's in it, builds with make -C "$(umd-emu kdir)" M="$PWD" and runs
# under umd-emu run --modules. Its manager reads back the handler's answer,
# so ->read, copy_to_user and simple_read_from_buffer cross FUSE too.
. "$(dirname "$0")/lib.sh"
need_fuse
command -v make >/dev/null || skip "make is not installed"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

cat >"$dir/Makefile" <<'MK'
# Kbuild part (KERNELRELEASE is set by the kernel build system)
ifneq ($(KERNELRELEASE),)
obj-m += upper_mgr.o upper_loader.o
upper_loader-objs := loader.o blob.o
userprogs := upper_umh
upper_umh-objs := handler.o
always-y := $(userprogs)
asflags-y += -I$(src)
else
KDIR ?= /lib/modules/$(shell uname -r)/build
all:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules
endif
MK

cat >"$dir/msg.h" <<'H'
struct upper_msg {
	unsigned int len;
	char text[60];
};
H

cat >"$dir/upper_mgr.c" <<'C'
// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/security.h>
#include <linux/usermode_driver_mgmt.h>
#include "msg.h"

struct umd_mgmt upper_mgmt;
EXPORT_SYMBOL_GPL(upper_mgmt);
static struct dentry *upper_dentry;
static DEFINE_MUTEX(last_lock);
static struct upper_msg last;

static ssize_t upper_write(struct file *file, const char __user *buf,
			   size_t len, loff_t *ppos)
{
	struct upper_msg *req, *reply;
	int ret;

	if (len >= sizeof(req->text))
		return -EINVAL;
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	reply = kzalloc(sizeof(*reply), GFP_KERNEL);
	ret = -ENOMEM;
	if (!req || !reply)
		goto out;
	ret = -EFAULT;
	if (copy_from_user(req->text, buf, len))
		goto out;
	req->len = len;
	ret = umd_mgmt_send_recv(&upper_mgmt, req, sizeof(*req), reply,
				 sizeof(*reply));
	if (ret)
		goto out;
	ret = -EBADMSG;
	if (reply->len != len)
		goto out;
	mutex_lock(&last_lock);
	last = *reply;
	mutex_unlock(&last_lock);
	ret = len;
out:
	kfree(req);
	kfree(reply);
	return ret;
}

static ssize_t upper_read(struct file *file, char __user *buf, size_t len,
			  loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&last_lock);
	ret = simple_read_from_buffer(buf, len, ppos, last.text, last.len);
	mutex_unlock(&last_lock);
	return ret;
}

static const struct file_operations upper_fops = {
	.owner = THIS_MODULE,
	.read = upper_read,
	.write = upper_write,
};

static int __init upper_init(void)
{
	mutex_init(&upper_mgmt.lock);
	upper_mgmt.info.driver_name = "upper_umh";
	upper_mgmt.kmod = "upper_loader";
	upper_dentry = securityfs_create_file("upper", 0600, NULL, NULL,
					      &upper_fops);
	return PTR_ERR_OR_ZERO(upper_dentry);
}

static void __exit upper_exit(void)
{
	securityfs_remove(upper_dentry);
}

module_init(upper_init);
module_exit(upper_exit);
MODULE_LICENSE("GPL");
C

cat >"$dir/loader.c" <<'C'
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <linux/usermode_driver_mgmt.h>

extern char upper_umh_start, upper_umh_end;
extern struct umd_mgmt upper_mgmt;

static int __init upper_loader_init(void)
{
	return umd_mgmt_load(&upper_mgmt, &upper_umh_start, &upper_umh_end);
}

static void __exit upper_loader_exit(void)
{
	umd_mgmt_unload(&upper_mgmt);
}

module_init(upper_loader_init);
module_exit(upper_loader_exit);
MODULE_LICENSE("GPL");
C

cat >"$dir/blob.S" <<'S'
	.section .init.rodata, "a"
	.global upper_umh_start
upper_umh_start:
	.incbin "upper_umh"
	.global upper_umh_end
upper_umh_end:
S

cat >"$dir/handler.c" <<'C'
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
C

kdir=$("$UMD_EMU" kdir) || fail "umd-emu kdir"
[ -f "$kdir/Makefile" ] || fail "umd-emu kdir printed $kdir, which has no Makefile"
(cd "$dir" && make -C "$kdir" M="$PWD") || fail "make -C \$(umd-emu kdir) M=\$PWD"
for f in upper_mgr.ko upper_loader.ko upper_umh; do
	[ -f "$dir/$f" ] || fail "$f was not built"
done
# The user's own 'make' works too (KDIR pointing at umd-emu's kdir).
(cd "$dir" && make clean -C "$kdir" M="$PWD" >/dev/null && make KDIR="$kdir" >/dev/null) ||
	fail "make KDIR=\$(umd-emu kdir) through the Makefile's own rule"

out=$("$UMD_EMU" run --modules "$dir" --modprobe upper_mgr -- bash -c '
	printf "hello umd" > "$UMD_SECURITYFS/upper" || exit 1
	cat "$UMD_SECURITYFS/upper"; echo
	umd-emu lsmod
	umd-emu dmesg' 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "running the out-of-tree UMD failed ($status)"
case "$out" in *"HELLO UMD"*) ;; *) fail "no HELLO UMD read back" ;; esac
case "$out" in *"upper_umh["*"]: upper_umh ready"*) ;; *) fail "handler stderr not in dmesg" ;; esac
echo "PASS"
