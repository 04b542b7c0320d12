// SPDX-License-Identifier: GPL-2.0
/*
 * PGP UMD Manager: OpenPGP keys and detached signatures, with the packet
 * parser out of the kernel, in the UMD Handler pgp_umh (started on demand
 * through the UMD Loader module pgp_loader_kmod). The kernel only checks
 * what the handler sends back and hands it to its own crypto API.
 *
 * securityfs files:
 *   pgp_keys   (0600) write: one transferable public key (binary or
 *              armored, at most PGP_UMD_DATA_MAX bytes, in one write);
 *              its primary key and signing subkeys go into the keyring
 *              ".pgp_umd" as keys of type "pgp_umd" described by their key
 *              ID (16 hex digits). read: one line per key added.
 *   pgp_verify (0200) write: "DATA_PATH SIG_PATH" (absolute paths): the
 *              detached signature SIG_PATH of the file DATA_PATH is
 *              verified against the keyring. The write returns its length
 *              for a good signature, else the error: -EKEYREJECTED (bad
 *              signature), -ENOKEY (no key with the issuer's key ID),
 *              -EKEYEXPIRED (signature or key expired), -ENOPKG (an
 *              algorithm the UMD does not support), -EBADMSG (a malformed
 *              signature, or a reply of the handler out of range).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/kernel_read_file.h>
#include <linux/timekeeping.h>
#include <linux/cred.h>
#include <linux/key.h>
#include <linux/key-type.h>
#include <crypto/hash.h>
#include <crypto/public_key.h>
#include <linux/usermode_driver_mgmt.h>

#include "msgfmt.h"

#define PGP_MGR_DATA_MAX	(64 << 20)	/* largest file verified */
#define PGP_MGR_DESC_SIZE	(2 * PGP_UMD_KEYID_SIZE + 1)
#define PGP_MGR_VERIFY_MAX	(2 * PATH_MAX)

struct umd_mgmt pgp_mgmt_ops;
EXPORT_SYMBOL_GPL(pgp_mgmt_ops);

static struct dentry *pgp_keys_dentry;
static struct dentry *pgp_verify_dentry;
static struct key *pgp_keyring;

/* What the keyring's keys hold: a public key and its validity. */
struct pgp_key_payload {
	struct public_key pub;
	time64_t created;
	time64_t expires;		/* 0: never */
};

/* One line of pgp_keys, for each key added. */
struct pgp_key_entry {
	struct list_head list;
	char desc[PGP_MGR_DESC_SIZE];
	const char *algo;
	bool primary;
	char uid[PGP_UMD_UID_MAX];
};

static LIST_HEAD(pgp_key_list);
static DEFINE_MUTEX(pgp_key_list_lock);

static const char *const pgp_pkey_names[] = {
	[PGP_UMD_PKEY_RSA] = "rsa",
	[PGP_UMD_PKEY_ECDSA_P256] = "ecdsa-nist-p256",
};

static const char *const pgp_hash_names[] = {
	[PGP_UMD_HASH_SHA256] = "sha256",
	[PGP_UMD_HASH_SHA384] = "sha384",
	[PGP_UMD_HASH_SHA512] = "sha512",
	[PGP_UMD_HASH_SHA224] = "sha224",
};

static bool pgp_pkey_ok(u32 algo)
{
	return algo < ARRAY_SIZE(pgp_pkey_names) && pgp_pkey_names[algo];
}

static bool pgp_hash_ok(u32 algo)
{
	return algo < ARRAY_SIZE(pgp_hash_names) && pgp_hash_names[algo];
}

/* The errors a handler may give for an input it refuses. */
static bool pgp_ret_ok(s32 ret)
{
	return ret == 0 || ret == -EBADMSG || ret == -ENOPKG ||
	       ret == -E2BIG || ret == -EINVAL;
}

static void pgp_keyid_desc(char *desc, const u8 *key_id)
{
	int i;

	for (i = 0; i < PGP_UMD_KEYID_SIZE; i++)
		sprintf(desc + 2 * i, "%02x", key_id[i]);
}

static int pgp_key_instantiate(struct key *key,
			       struct key_preparsed_payload *prep)
{
	const struct pgp_key_payload *in = prep->data;
	struct pgp_key_payload *p;

	if (prep->datalen != sizeof(*in))
		return -EINVAL;
	p = kmemdup(in, sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->pub.key = kmemdup(in->pub.key, in->pub.keylen, GFP_KERNEL);
	if (!p->pub.key) {
		kfree(p);
		return -ENOMEM;
	}
	key->payload.data[0] = p;
	return 0;
}

static void pgp_key_destroy(struct key *key)
{
	struct pgp_key_payload *p = key->payload.data[0];

	if (p) {
		kfree(p->pub.key);
		kfree(p);
	}
}

static void pgp_key_describe(const struct key *key, struct seq_file *m)
{
	const struct pgp_key_payload *p = key->payload.data[0];

	seq_puts(m, key->description);
	if (p)
		seq_printf(m, ": %s", p->pub.pkey_algo);
}

static struct key_type pgp_key_type = {
	.name = "pgp_umd",
	.instantiate = pgp_key_instantiate,
	.destroy = pgp_key_destroy,
	.describe = pgp_key_describe,
};

/*
 * Send @req, get @reply, and check the part common to every reply. Returns
 * the handler's verdict (0 or the error it gave), or the exchange's error.
 */
static int pgp_request(struct pgp_umd_request *req,
		       struct pgp_umd_reply *reply)
{
	int ret;

	reply->ret = -EINVAL;
	ret = umd_mgmt_send_recv(&pgp_mgmt_ops, req, sizeof(*req), reply,
				 sizeof(*reply));
	if (ret < 0)
		return ret;
	if (!pgp_ret_ok(reply->ret) || reply->cmd != req->cmd) {
		pr_err("bad reply from the handler: ret %d, cmd %u\n",
		       reply->ret, reply->cmd);
		return -EBADMSG;
	}
	return reply->ret;
}

/* Check one key of a key reply; @i: its index (0: the primary key). */
static bool pgp_key_reply_ok(const struct pgp_umd_key *k, u32 i)
{
	const u32 known = PGP_UMD_KEY_PRIMARY | PGP_UMD_KEY_CAN_SIGN;

	if (!pgp_pkey_ok(k->pkey_algo) || (k->flags & ~known) ||
	    !!(k->flags & PGP_UMD_KEY_PRIMARY) != (i == 0))
		return false;
	if (!k->pub_key_len || k->pub_key_len > PGP_UMD_PUBKEY_MAX)
		return false;
	if (k->pkey_algo == PGP_UMD_PKEY_ECDSA_P256 &&
	    (k->pub_key_len != 65 || k->pub_key[0] != 0x04))
		return false;
	/* A v4 key ID is the low 64 bits of the fingerprint. */
	return !memcmp(k->key_id, k->fingerprint + PGP_UMD_FPR_SIZE -
		       PGP_UMD_KEYID_SIZE, PGP_UMD_KEYID_SIZE);
}

static bool pgp_keys_reply_ok(const struct pgp_umd_key_reply *r)
{
	u32 i;

	if (!r->nkeys || r->nkeys > PGP_UMD_KEYS_MAX ||
	    r->uid_len >= PGP_UMD_UID_MAX || r->uid[r->uid_len] ||
	    strnlen((const char *)r->uid, PGP_UMD_UID_MAX) != r->uid_len)
		return false;
	for (i = 0; i < r->nkeys; i++)
		if (!pgp_key_reply_ok(&r->keys[i], i))
			return false;
	return true;
}

/* Add @e to the list, or replace the line of a key added again. */
static void pgp_list_add(struct pgp_key_entry *e)
{
	struct pgp_key_entry *old, *tmp;

	mutex_lock(&pgp_key_list_lock);
	list_for_each_entry_safe(old, tmp, &pgp_key_list, list) {
		if (!strcmp(old->desc, e->desc)) {
			list_del(&old->list);
			kfree(old);
		}
	}
	list_add_tail(&e->list, &pgp_key_list);
	mutex_unlock(&pgp_key_list_lock);
}

static int pgp_add_one(const struct pgp_umd_key *k, const u8 *uid)
{
	struct pgp_key_payload p = { };
	struct pgp_key_entry *e;
	key_ref_t kref;
	int i;

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	pgp_keyid_desc(e->desc, k->key_id);
	e->algo = pgp_pkey_names[k->pkey_algo];
	e->primary = k->flags & PGP_UMD_KEY_PRIMARY;
	/* The user ID goes to the log and to pgp_keys: printable only. */
	for (i = 0; i < PGP_UMD_UID_MAX - 1 && uid[i]; i++)
		e->uid[i] = uid[i] < 0x20 || uid[i] == 0x7f ? '?' : uid[i];

	p.pub.key = (void *)k->pub_key;
	p.pub.keylen = k->pub_key_len;
	p.pub.id_type = "PGP";
	p.pub.pkey_algo = e->algo;
	p.created = k->created;
	p.expires = k->expires ? (time64_t)k->created + k->expires : 0;

	kref = key_create_or_update(make_key_ref(pgp_keyring, true),
				    pgp_key_type.name, e->desc, &p, sizeof(p),
				    KEY_POS_VIEW | KEY_POS_SEARCH |
				    KEY_USR_VIEW, KEY_ALLOC_NOT_IN_QUOTA);
	if (IS_ERR(kref)) {
		kfree(e);
		return PTR_ERR(kref);
	}
	key_ref_put(kref);

	pr_info("added key %s (%s)%s%s\n", e->desc, e->algo,
		e->uid[0] ? ": " : "", e->uid);
	pgp_list_add(e);
	return 0;
}

static ssize_t pgp_keys_write(struct file *file, const char __user *buf,
			      size_t datalen, loff_t *ppos)
{
	struct pgp_umd_request *req;
	struct pgp_umd_reply *reply;
	const struct pgp_umd_key_reply *r;
	u32 i, added = 0;
	int ret = -ENOMEM;

	if (!datalen)
		return -EINVAL;
	if (datalen > PGP_UMD_DATA_MAX)
		return -EFBIG;

	req = kzalloc(sizeof(*req), GFP_KERNEL);
	reply = kzalloc(sizeof(*reply), GFP_KERNEL);
	if (!req || !reply)
		goto out;
	ret = -EFAULT;
	if (copy_from_user(req->data, buf, datalen))
		goto out;
	req->cmd = PGP_UMD_PARSE_KEY;
	req->data_len = datalen;

	ret = pgp_request(req, reply);
	if (ret < 0)
		goto out;
	r = &reply->key;
	if (!pgp_keys_reply_ok(r)) {
		pr_err("bad key reply from the handler\n");
		ret = -EBADMSG;
		goto out;
	}
	for (i = 0; i < r->nkeys; i++) {
		if (!(r->keys[i].flags & PGP_UMD_KEY_CAN_SIGN))
			continue;
		ret = pgp_add_one(&r->keys[i], r->uid);
		if (ret < 0)
			goto out;
		added++;
	}
	ret = added ? datalen : -ENOKEY;
out:
	kfree(req);
	kfree(reply);
	return ret;
}

static int pgp_keys_show(struct seq_file *m, void *v)
{
	struct pgp_key_entry *e;

	mutex_lock(&pgp_key_list_lock);
	list_for_each_entry(e, &pgp_key_list, list)
		seq_printf(m, "%s %s %s %s\n", e->desc, e->algo,
			   e->primary ? "primary" : "subkey", e->uid);
	mutex_unlock(&pgp_key_list_lock);
	return 0;
}

static int pgp_keys_open(struct inode *inode, struct file *file)
{
	return single_open(file, pgp_keys_show, NULL);
}

static const struct file_operations pgp_keys_fops = {
	.open = pgp_keys_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.write = pgp_keys_write,
	.release = single_release,
};

static bool pgp_sig_reply_ok(const struct pgp_umd_sig_reply *s)
{
	if (!pgp_pkey_ok(s->pkey_algo) || !pgp_hash_ok(s->hash_algo) ||
	    (s->sig_type != PGP_UMD_SIG_BINARY &&
	     s->sig_type != PGP_UMD_SIG_TEXT) || s->has_issuer_fpr > 1)
		return false;
	if (!s->sig_len || s->sig_len > PGP_UMD_SIG_MAX ||
	    !s->sig_data_len || s->sig_data_len > PGP_UMD_SIG_DATA_MAX)
		return false;
	return !s->has_issuer_fpr ||
	       !memcmp(s->issuer_id, s->issuer_fpr + PGP_UMD_FPR_SIZE -
		       PGP_UMD_KEYID_SIZE, PGP_UMD_KEYID_SIZE);
}

/* The length of the line @data[0..@len) without its trailing CRs. */
static size_t pgp_line_len(const u8 *data, size_t len)
{
	while (len && data[len - 1] == '\r')
		len--;
	return len;
}

/*
 * Hash @len bytes of @data as signature type @sig_type wants them: a text
 * signature covers each line without its trailing CRs, and CR LF after each
 * line that ended with LF (what GnuPG hashes; RFC 4880 5.2.1 only says
 * "line endings converted to CR LF").
 */
static int pgp_hash_data(struct shash_desc *desc, const u8 *data, size_t len,
			 u32 sig_type)
{
	static const u8 crlf[2] = { '\r', '\n' };
	size_t start = 0, i;
	int ret;

	if (sig_type == PGP_UMD_SIG_BINARY)
		return crypto_shash_update(desc, data, len);
	for (i = 0; i < len; i++) {
		if (data[i] != '\n')
			continue;
		ret = crypto_shash_update(desc, data + start,
					  pgp_line_len(data + start,
						       i - start));
		if (!ret)
			ret = crypto_shash_update(desc, crlf, sizeof(crlf));
		if (ret)
			return ret;
		start = i + 1;
	}
	return crypto_shash_update(desc, data + start,
				   pgp_line_len(data + start, len - start));
}

/* digest = H(data as @s->sig_type wants it || @s->sig_data) */
static int pgp_digest(const struct pgp_umd_sig_reply *s, const u8 *data,
		      size_t len, u8 **digest, u32 *digest_size)
{
	struct crypto_shash *tfm;
	struct shash_desc *desc;
	int ret;

	tfm = crypto_alloc_shash(pgp_hash_names[s->hash_algo], 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm) == -ENOENT ? -ENOPKG : PTR_ERR(tfm);
	ret = -ENOMEM;
	*digest_size = crypto_shash_digestsize(tfm);
	*digest = kzalloc(*digest_size, GFP_KERNEL);
	desc = kzalloc(sizeof(*desc) + crypto_shash_descsize(tfm),
		       GFP_KERNEL);
	if (!*digest || !desc)
		goto out;
	desc->tfm = tfm;
	ret = crypto_shash_init(desc);
	if (!ret)
		ret = pgp_hash_data(desc, data, len, s->sig_type);
	if (!ret)
		ret = crypto_shash_update(desc, s->sig_data, s->sig_data_len);
	if (!ret)
		ret = crypto_shash_final(desc, *digest);
out:
	kfree(desc);
	crypto_free_shash(tfm);
	return ret;
}

/*
 * The size of an RSA key's modulus in bytes, from its DER RSAPublicKey
 * (SEQUENCE { INTEGER n, INTEGER e }), or 0 if the DER is not that.
 */
static u32 pgp_rsa_modulus_size(const u8 *der, u32 len)
{
	u32 i = 0, n, hdr;

	/* SEQUENCE header: short form or 0x81/0x82 long form */
	if (len < 2 || der[i++] != 0x30)
		return 0;
	hdr = der[i] < 0x80 ? 1 : 1 + (der[i] & 0x7f);
	if (hdr > 3 || i + hdr > len)
		return 0;
	i += hdr;
	if (i + 2 > len || der[i++] != 0x02)
		return 0;
	if (der[i] < 0x80) {
		n = der[i++];
	} else if (der[i] == 0x81 && i + 2 <= len) {
		n = der[i + 1];
		i += 2;
	} else if (der[i] == 0x82 && i + 3 <= len) {
		n = der[i + 1] << 8 | der[i + 2];
		i += 3;
	} else {
		return 0;
	}
	if (!n || i + n > len)
		return 0;
	if (der[i] == 0 && n > 1)	/* the sign octet */
		n--;
	return n;
}

/*
 * The signature as public_key_verify_signature() wants it: an RSA
 * signature is as long as the modulus (an MPI drops its leading zeros).
 */
static int pgp_sig_bytes(const struct pgp_umd_sig_reply *s,
			 const struct public_key *pub, u8 **sig, u32 *size)
{
	u32 n = s->sig_len;

	if (s->pkey_algo == PGP_UMD_PKEY_RSA) {
		n = pgp_rsa_modulus_size(pub->key, pub->keylen);
		if (!n || s->sig_len > n)
			return -EKEYREJECTED;
	}
	*sig = kzalloc(n, GFP_KERNEL);
	if (!*sig)
		return -ENOMEM;
	memcpy(*sig + n - s->sig_len, s->sig, s->sig_len);
	*size = n;
	return 0;
}

static int pgp_check_times(const struct pgp_umd_sig_reply *s,
			   const struct pgp_key_payload *p)
{
	time64_t now = ktime_get_real_seconds();

	if (s->expires && (time64_t)s->created + s->expires <= now)
		return -EKEYEXPIRED;
	if (p->expires && p->expires <= now)
		return -EKEYEXPIRED;
	return 0;
}

/* Verify the parsed signature @s of @data against the keyring. */
static int pgp_verify_parsed(const struct pgp_umd_sig_reply *s,
			     const u8 *data, size_t len)
{
	struct public_key_signature sig = { };
	const struct pgp_key_payload *p;
	char desc[PGP_MGR_DESC_SIZE];
	key_ref_t kref;
	struct key *key;
	int ret;

	pgp_keyid_desc(desc, s->issuer_id);
	kref = keyring_search(make_key_ref(pgp_keyring, true), &pgp_key_type,
			      desc, false);
	if (IS_ERR(kref))
		return PTR_ERR(kref) == -EAGAIN ? -ENOKEY : PTR_ERR(kref);
	key = key_ref_to_ptr(kref);
	p = key->payload.data[0];

	ret = pgp_check_times(s, p);
	if (ret)
		goto out;
	ret = pgp_digest(s, data, len, &sig.digest, &sig.digest_size);
	if (ret)
		goto out;
	/* The quick check of RFC 4880 5.2.4 */
	ret = -EKEYREJECTED;
	if (memcmp(sig.digest, s->hash_prefix, sizeof(s->hash_prefix)))
		goto out;
	ret = pgp_sig_bytes(s, &p->pub, &sig.s, &sig.s_size);
	if (ret)
		goto out;
	sig.pkey_algo = s->pkey_algo == PGP_UMD_PKEY_RSA ? "rsa" : "ecdsa";
	sig.hash_algo = pgp_hash_names[s->hash_algo];
	sig.encoding = s->pkey_algo == PGP_UMD_PKEY_RSA ? "pkcs1" : "x962";
	ret = public_key_verify_signature(&p->pub, &sig);
out:
	kfree(sig.s);
	kfree(sig.digest);
	key_put(key);
	return ret;
}

/* Split "DATA_PATH SIG_PATH\n" in place; both must be absolute. */
static int pgp_split_paths(char *line, char **data_path, char **sig_path)
{
	char *sp;

	strim(line);
	sp = strchr(line, ' ');
	if (!sp)
		return -EINVAL;
	*sp = '\0';
	*data_path = line;
	*sig_path = skip_spaces(sp + 1);
	if ((*data_path)[0] != '/' || (*sig_path)[0] != '/' ||
	    strchr(*sig_path, ' '))
		return -EINVAL;
	return 0;
}

static int pgp_verify_files(const char *data_path, const char *sig_path)
{
	struct pgp_umd_request *req;
	struct pgp_umd_reply *reply;
	void *sig_buf = NULL, *data = NULL;
	ssize_t sig_len, len;
	int ret = -ENOMEM;

	req = kzalloc(sizeof(*req), GFP_KERNEL);
	reply = kzalloc(sizeof(*reply), GFP_KERNEL);
	if (!req || !reply)
		goto out;

	ret = sig_len = kernel_read_file_from_path(sig_path, 0, &sig_buf,
						   PGP_UMD_DATA_MAX, NULL,
						   READING_UNKNOWN);
	if (sig_len < 0)
		goto out;
	req->cmd = PGP_UMD_PARSE_SIG;
	req->data_len = sig_len;
	memcpy(req->data, sig_buf, sig_len);
	ret = pgp_request(req, reply);
	if (ret < 0)
		goto out;
	if (!pgp_sig_reply_ok(&reply->sig)) {
		pr_err("bad signature reply from the handler\n");
		ret = -EBADMSG;
		goto out;
	}

	ret = len = kernel_read_file_from_path(data_path, 0, &data,
					       PGP_MGR_DATA_MAX, NULL,
					       READING_UNKNOWN);
	if (len < 0)
		goto out;
	ret = pgp_verify_parsed(&reply->sig, data, len);
out:
	vfree(data);
	vfree(sig_buf);
	kfree(req);
	kfree(reply);
	return ret;
}

static ssize_t pgp_verify_write(struct file *file, const char __user *buf,
				size_t datalen, loff_t *ppos)
{
	char *line, *data_path, *sig_path;
	int ret;

	if (!datalen || datalen > PGP_MGR_VERIFY_MAX)
		return -EINVAL;
	line = memdup_user_nul(buf, datalen);
	if (IS_ERR(line))
		return PTR_ERR(line);
	ret = pgp_split_paths(line, &data_path, &sig_path);
	if (!ret)
		ret = pgp_verify_files(data_path, sig_path);
	if (!ret)
		pr_info("good signature: %s\n", data_path);
	kfree(line);
	return ret < 0 ? ret : datalen;
}

static const struct file_operations pgp_verify_fops = {
	.write = pgp_verify_write,
};

static int __init pgp_mgr_init(void)
{
	int ret;

	mutex_init(&pgp_mgmt_ops.lock);
	pgp_mgmt_ops.info.tgid = NULL;
	pgp_mgmt_ops.info.driver_name = "pgp_umh";
	pgp_mgmt_ops.kmod = "pgp_loader_kmod";
	pgp_mgmt_ops.kmod_loaded = false;

	ret = register_key_type(&pgp_key_type);
	if (ret)
		return ret;
	pgp_keyring = keyring_alloc(".pgp_umd", GLOBAL_ROOT_UID,
				    GLOBAL_ROOT_GID, current_cred(),
				    KEY_POS_ALL | KEY_USR_VIEW | KEY_USR_READ |
				    KEY_USR_SEARCH, KEY_ALLOC_NOT_IN_QUOTA,
				    NULL, NULL);
	if (IS_ERR(pgp_keyring)) {
		ret = PTR_ERR(pgp_keyring);
		goto err_type;
	}
	pgp_keys_dentry = securityfs_create_file("pgp_keys", 0600, NULL,
						 NULL, &pgp_keys_fops);
	if (IS_ERR(pgp_keys_dentry)) {
		ret = PTR_ERR(pgp_keys_dentry);
		goto err_keyring;
	}
	pgp_verify_dentry = securityfs_create_file("pgp_verify", 0200, NULL,
						   NULL, &pgp_verify_fops);
	if (IS_ERR(pgp_verify_dentry)) {
		ret = PTR_ERR(pgp_verify_dentry);
		goto err_keys;
	}
	return 0;

err_keys:
	securityfs_remove(pgp_keys_dentry);
err_keyring:
	key_put(pgp_keyring);
err_type:
	unregister_key_type(&pgp_key_type);
	return ret;
}

static void __exit pgp_mgr_exit(void)
{
	struct pgp_key_entry *e, *tmp;

	securityfs_remove(pgp_verify_dentry);
	securityfs_remove(pgp_keys_dentry);
	key_put(pgp_keyring);
	unregister_key_type(&pgp_key_type);
	list_for_each_entry_safe(e, tmp, &pgp_key_list, list) {
		list_del(&e->list);
		kfree(e);
	}
}

module_init(pgp_mgr_init);
module_exit(pgp_mgr_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("PGP UMD Manager: OpenPGP keys and signatures");
