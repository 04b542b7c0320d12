/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * umd-emu shim of <linux/cred.h>: task credentials, for the keys code.
 * Kind: customised. current_cred() is root's credentials (the kernel's
 * init_cred: every id 0) for every task: the callers of a manager are the
 * writers of its securityfs files, which a kernel lets only root open for
 * writing, so a kernel would see root there too. No capabilities, groups
 * or security labels are kept.
 */
#ifndef _LINUX_CRED_H
#define _LINUX_CRED_H

#include <linux/types.h>
#include <linux/uidgid.h>

struct cred {
	kuid_t		uid;		/* real UID of the task */
	kgid_t		gid;		/* real GID of the task */
	kuid_t		suid;		/* saved UID of the task */
	kgid_t		sgid;		/* saved GID of the task */
	kuid_t		euid;		/* effective UID of the task */
	kgid_t		egid;		/* effective GID of the task */
	kuid_t		fsuid;		/* UID for VFS ops */
	kgid_t		fsgid;		/* GID for VFS ops */
};

const struct cred *umd_emu_current_cred(void);
#define current_cred()	umd_emu_current_cred()

#define current_uid()	(current_cred()->uid)
#define current_gid()	(current_cred()->gid)
#define current_euid()	(current_cred()->euid)
#define current_fsuid()	(current_cred()->fsuid)

static inline const struct cred *get_cred(const struct cred *cred)
{
	return cred;
}

static inline void put_cred(const struct cred *cred)
{
}

#endif /* _LINUX_CRED_H */
