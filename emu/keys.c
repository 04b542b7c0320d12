// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: the key retention service (security/keys/), as much of
 * it as kernel code uses from inside the kernel: key types, keys and
 * keyrings, key_create_or_update(), keyring_search(), links, invalidation
 * and the garbage collection of a type that goes away.
 *
 * Design: one recursive lock (keys_lock) serialises the whole subsystem,
 * standing for the kernel's key_types_sem, key_serial_lock, keyrings'
 * semaphores and key_construction_mutex; a type's callbacks run under it
 * (they may call back into this file). Every key is in the serial table
 * (serial -> key) from key_alloc() until its last reference goes; a
 * keyring's links are a GPtrArray behind keys.root, each holding a
 * reference. The garbage collector is synchronous: the last key_put()
 * destroys and frees the key on the spot, key_invalidate() and
 * unregister_key_type() unlink at once what the kernel's GC work would
 * unlink moments later. Error codes follow 6.1 step by step (the function
 * comments say which).
 */
#include <string.h>

#include <glib.h>

#include <linux/cred.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/key-type.h>
#include <linux/key.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#define KEYQUOTA_LINK_BYTES	4	/* a link in a keyring is worth 4 bytes */
#define KEYRING_SEARCH_MAX_DEPTH 6
#define KEY_DESTROY		0xbd

static unsigned int key_quota_root_maxkeys = 1000000;	/* root's key count quota */
static unsigned int key_quota_root_maxbytes = 25000000; /* root's key space quota */
static unsigned int key_quota_maxkeys = 200;		/* general key count quota */
static unsigned int key_quota_maxbytes = 20000;		/* general key space quota */

static GRecMutex keys_lock;
static LIST_HEAD(key_types_list);
static GHashTable *key_serial_tree;	/* serial -> struct key */
static GHashTable *key_user_tree;	/* uid -> struct key_user */

struct key_user {
	unsigned int qnkeys;
	unsigned int qnbytes;
};

static struct key_type key_type_dead = {
	.name = ".dead",
};

static void keys_lock_init(void)
{
	g_rec_mutex_lock(&keys_lock);
	if (!key_serial_tree) {
		key_serial_tree = g_hash_table_new(g_direct_hash,
						   g_direct_equal);
		key_user_tree = g_hash_table_new_full(g_direct_hash,
						      g_direct_equal, NULL,
						      g_free);
		list_add(&key_type_keyring.link, &key_types_list);
	}
}

static void keys_unlock(void)
{
	g_rec_mutex_unlock(&keys_lock);
}

static bool key_flag(const struct key *key, int bit)
{
	return __atomic_load_n(&key->flags, __ATOMIC_ACQUIRE) & (1UL << bit);
}

static bool key_test_and_set_flag(struct key *key, int bit)
{
	return __atomic_fetch_or(&key->flags, 1UL << bit, __ATOMIC_ACQ_REL) &
	       (1UL << bit);
}

static struct key_user *key_user_lookup(kuid_t uid)
{
	gpointer k = GUINT_TO_POINTER(__kuid_val(uid));
	struct key_user *user = g_hash_table_lookup(key_user_tree, k);

	if (!user) {
		user = g_new0(struct key_user, 1);
		g_hash_table_insert(key_user_tree, k, user);
	}
	return user;
}

/* The members of a keyring (a GPtrArray of referenced keys). */
static GPtrArray *keyring_members(const struct key *keyring)
{
	return (GPtrArray *)keyring->keys.root;
}

static bool index_key_same(const struct key *key, const struct key_type *type,
			   const char *description)
{
	return key->type == type && !strcmp(key->description, description);
}

static int keyring_find_index(const struct key *keyring,
			      const struct key_type *type,
			      const char *description)
{
	GPtrArray *members = keyring_members(keyring);
	guint i;

	for (i = 0; members && i < members->len; i++)
		if (index_key_same(members->pdata[i], type, description))
			return i;
	return -1;
}

static void keyring_update_count(struct key *keyring)
{
	GPtrArray *members = keyring_members(keyring);

	keyring->keys.nr_leaves_on_tree = members ? members->len : 0;
}

/* ------------------------------------------------------------------ */
/* Permissions: security/keys/permission.c                             */

/* key_task_permission(): no supplementary groups, no LSM. */
static int key_task_permission(const key_ref_t key_ref,
			       const struct cred *cred,
			       enum key_need_perm need_perm)
{
	struct key *key;
	key_perm_t kperm, mask;

	switch (need_perm) {
	default:
		WARN_ON(1);
		return -EACCES;
	case KEY_NEED_UNLINK:
	case KEY_SYSADMIN_OVERRIDE:
	case KEY_AUTHTOKEN_OVERRIDE:
	case KEY_DEFER_PERM_CHECK:
		return 0;

	case KEY_NEED_VIEW:	mask = KEY_OTH_VIEW;	break;
	case KEY_NEED_READ:	mask = KEY_OTH_READ;	break;
	case KEY_NEED_WRITE:	mask = KEY_OTH_WRITE;	break;
	case KEY_NEED_SEARCH:	mask = KEY_OTH_SEARCH;	break;
	case KEY_NEED_LINK:	mask = KEY_OTH_LINK;	break;
	case KEY_NEED_SETATTR:	mask = KEY_OTH_SETATTR;	break;
	}

	key = key_ref_to_ptr(key_ref);

	/* use the second 8-bits of permissions for keys the caller owns */
	if (uid_eq(key->uid, cred->fsuid))
		kperm = key->perm >> 16;
	/* the third 8-bits for keys of the caller's group */
	else if (gid_valid(key->gid) && key->perm & KEY_GRP_ALL &&
		 gid_eq(key->gid, cred->fsgid))
		kperm = key->perm >> 8;
	/* otherwise use the least-significant 8-bits */
	else
		kperm = key->perm;

	/* possessor permissions are additive with other permissions */
	if (is_key_possessed(key_ref))
		kperm |= key->perm >> 24;

	if ((kperm & mask) != mask)
		return -EACCES;
	return 0;
}

static int key_permission(const key_ref_t key_ref, enum key_need_perm need)
{
	return key_task_permission(key_ref, current_cred(), need);
}

/**
 * key_validate - Validate a key.
 * @key: The key to be validated.
 *
 * Check that a key is valid, returning 0 if the key is okay, -ENOKEY if the
 * key is invalidated, -EKEYREVOKED if the key's type has been removed or if
 * the key has been revoked or -EKEYEXPIRED if the key has expired.
 */
int key_validate(const struct key *key)
{
	time64_t expiry = __atomic_load_n(&key->expiry, __ATOMIC_RELAXED);

	if (key_flag(key, KEY_FLAG_INVALIDATED))
		return -ENOKEY;

	/* check it's still accessible */
	if (key_flag(key, KEY_FLAG_REVOKED) || key_flag(key, KEY_FLAG_DEAD))
		return -EKEYREVOKED;

	/* check it hasn't expired */
	if (expiry && ktime_get_real_seconds() >= expiry)
		return -EKEYEXPIRED;
	return 0;
}
EXPORT_SYMBOL(key_validate);

/* ------------------------------------------------------------------ */
/* Key types                                                           */

/**
 * register_key_type - Register a type of key.
 * @ktype: The new key type.
 *
 * Register a new key type.
 *
 * Return: 0 on success or -EEXIST if a type of this name already exists.
 */
int register_key_type(struct key_type *ktype)
{
	struct key_type *p;
	int ret = -EEXIST;

	keys_lock_init();
	list_for_each_entry(p, &key_types_list, link) {
		if (strcmp(p->name, ktype->name) == 0)
			goto out;
	}
	list_add(&ktype->link, &key_types_list);
	pr_notice("Key type %s registered\n", ktype->name);
	ret = 0;
out:
	keys_unlock();
	return ret;
}
EXPORT_SYMBOL(register_key_type);

static struct key_type *key_type_lookup(const char *type)
{
	struct key_type *ktype;

	list_for_each_entry(ktype, &key_types_list, link) {
		if (strcmp(ktype->name, type) == 0)
			return ktype;
	}
	return ERR_PTR(-ENOKEY);
}

static void keyring_remove_at(struct key *keyring, guint i, GPtrArray *dead);

/* Every live key, referenced, in a new array (the caller puts them). */
static GPtrArray *keys_snapshot(void)
{
	GPtrArray *all = g_ptr_array_new();
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, key_serial_tree);
	while (g_hash_table_iter_next(&it, &k, &v))
		g_ptr_array_add(all, __key_get(v));
	return all;
}

static void keys_put_all(GPtrArray *keys)
{
	guint i;

	for (i = 0; i < keys->len; i++)
		key_put(keys->pdata[i]);
	g_ptr_array_free(keys, true);
}

/*
 * The garbage collector's passes for a key type going away (gc.c): mark
 * its keys dead, unlink them from every keyring (a key whose last
 * reference that was is destroyed and freed as an unused key), then
 * destroy the payloads of those still referenced and make them ".dead".
 */
static void key_gc_keytype(struct key_type *ktype)
{
	GPtrArray *all = keys_snapshot(), *dead = g_ptr_array_new();
	guint i, j;

	for (i = 0; i < all->len; i++) {
		struct key *key = all->pdata[i];

		if (key->type == ktype) {
			key_test_and_set_flag(key, KEY_FLAG_DEAD);
			key->perm = 0;
		}
	}
	for (i = 0; i < all->len; i++) {
		struct key *keyring = all->pdata[i];
		GPtrArray *members;

		if (keyring->type != &key_type_keyring)
			continue;
		members = keyring_members(keyring);
		for (j = members ? members->len : 0; j-- > 0;) {
			struct key *key = members->pdata[j];

			if (key->type == ktype)
				keyring_remove_at(keyring, j, dead);
		}
	}
	keys_put_all(dead);
	for (i = 0; i < all->len; i++) {
		struct key *key = all->pdata[i];

		/* all->pdata holds a reference: these are still alive */
		if (key->type != ktype)
			continue;
		key->type = &key_type_dead;
		if (ktype->destroy)
			ktype->destroy(key);
		memset(&key->payload, KEY_DESTROY, sizeof(key->payload));
	}
	keys_put_all(all);
}

/**
 * unregister_key_type - Unregister a type of key.
 * @ktype: The key type.
 *
 * Unregister a key type and mark all the extant keys of this type as dead.
 * Those keys of this type are then destroyed to get rid of their payloads
 * and they and their links are garbage collected (here before this
 * returns, as the kernel waits for its collector's pass over the type).
 */
void unregister_key_type(struct key_type *ktype)
{
	keys_lock_init();
	list_del_init(&ktype->link);
	key_gc_keytype(ktype);
	pr_notice("Key type %s unregistered\n", ktype->name);
	keys_unlock();
}
EXPORT_SYMBOL(unregister_key_type);

/* ------------------------------------------------------------------ */
/* Keys                                                                */

/**
 * key_alloc - Allocate a key of the specified type.
 * @type: The type of key to allocate.
 * @desc: The key description to allow the key to be searched out.
 * @uid: The owner of the new key.
 * @gid: The group ID for the new key's group permissions.
 * @cred: The credentials specifying UID namespace.
 * @perm: The permissions mask of the new key.
 * @flags: Flags specifying quota properties.
 * @restrict_link: Optional link restriction for new keyrings.
 *
 * Allocate a key of the specified type with the attributes given.  The key
 * is returned in an uninstantiated state and the caller needs to
 * instantiate the key before returning.
 *
 * Return: the key, or ERR_PTR(-EINVAL) for an empty description (or the
 * type's vet_description() error), -EDQUOT if the owner's quota is full,
 * -ENOMEM.
 */
struct key *key_alloc(struct key_type *type, const char *desc,
		      kuid_t uid, kgid_t gid, const struct cred *cred,
		      key_perm_t perm, unsigned long flags,
		      struct key_restriction *restrict_link)
{
	struct key_user *user = NULL;
	struct key *key;
	size_t desclen, quotalen;
	int ret;

	if (!desc || !*desc)
		return ERR_PTR(-EINVAL);

	if (type->vet_description) {
		ret = type->vet_description(desc);
		if (ret < 0)
			return ERR_PTR(ret);
	}

	desclen = strlen(desc);
	quotalen = desclen + 1 + type->def_datalen;

	keys_lock_init();
	user = key_user_lookup(uid);

	/* check that the user's quota permits allocation of another key and
	 * its description */
	if (!(flags & KEY_ALLOC_NOT_IN_QUOTA)) {
		unsigned int maxkeys = uid_eq(uid, GLOBAL_ROOT_UID) ?
			key_quota_root_maxkeys : key_quota_maxkeys;
		unsigned int maxbytes = uid_eq(uid, GLOBAL_ROOT_UID) ?
			key_quota_root_maxbytes : key_quota_maxbytes;

		if (!(flags & KEY_ALLOC_QUOTA_OVERRUN)) {
			if (user->qnkeys + 1 > maxkeys ||
			    user->qnbytes + quotalen > maxbytes ||
			    user->qnbytes + quotalen < user->qnbytes) {
				key = ERR_PTR(-EDQUOT);
				goto out;
			}
		}
		user->qnkeys++;
		user->qnbytes += quotalen;
	}

	key = kzalloc(sizeof(*key), GFP_KERNEL);
	if (!key)
		goto no_memory;
	key->description = kmemdup(desc, desclen + 1, GFP_KERNEL);
	if (!key->description) {
		kfree(key);
		goto no_memory;
	}
	key->len_desc = desclen;
	key->type = type;
	refcount_set(&key->usage, 1);
	INIT_LIST_HEAD(&key->graveyard_link);
	key->quotalen = quotalen;
	key->datalen = type->def_datalen;
	key->uid = uid;
	key->gid = gid;
	key->perm = perm;
	key->expiry = TIME64_MAX;
	key->restrict_link = restrict_link;
	key->last_used_at = ktime_get_real_seconds();

	if (!(flags & KEY_ALLOC_NOT_IN_QUOTA))
		key->flags |= 1 << KEY_FLAG_IN_QUOTA;
	if (flags & KEY_ALLOC_BUILT_IN)
		key->flags |= 1 << KEY_FLAG_BUILTIN;
	if (flags & KEY_ALLOC_UID_KEYRING)
		key->flags |= 1 << KEY_FLAG_UID_KEYRING;
	if (flags & KEY_ALLOC_SET_KEEP)
		key->flags |= 1 << KEY_FLAG_KEEP;

	/* publish the key by giving it a serial number */
	do {
		key->serial = g_random_int_range(3, G_MAXINT32);
	} while (g_hash_table_contains(key_serial_tree,
				       GINT_TO_POINTER(key->serial)));
	g_hash_table_insert(key_serial_tree, GINT_TO_POINTER(key->serial),
			    key);
out:
	keys_unlock();
	return key;

no_memory:
	if (!(flags & KEY_ALLOC_NOT_IN_QUOTA)) {
		user->qnkeys--;
		user->qnbytes -= quotalen;
	}
	key = ERR_PTR(-ENOMEM);
	goto out;
}
EXPORT_SYMBOL(key_alloc);

/* key_gc_unused_keys() for one key: its last reference has gone. */
static void key_gc_unused_key(struct key *key)
{
	short state = key->state;

	g_hash_table_remove(key_serial_tree, GINT_TO_POINTER(key->serial));

	/* Throw away the key data if the key is instantiated */
	if (state == KEY_IS_POSITIVE && key->type->destroy)
		key->type->destroy(key);

	if (key_flag(key, KEY_FLAG_IN_QUOTA)) {
		struct key_user *user = key_user_lookup(key->uid);

		user->qnkeys--;
		user->qnbytes -= key->quotalen;
	}
	kfree(key->description);
	kfree(key);
}

/**
 * key_put - Discard a reference to a key.
 * @key: The key to discard a reference from.
 *
 * Discard a reference to a key, and when all the references are gone,
 * destroy the key's payload (if it was instantiated) and free it: here at
 * once, where the kernel schedules its garbage collector to do it.
 */
void key_put(struct key *key)
{
	if (!key)
		return;
	keys_lock_init();
	if (refcount_dec_and_test(&key->usage))
		key_gc_unused_key(key);
	keys_unlock();
}
EXPORT_SYMBOL(key_put);

/**
 * key_payload_reserve - Adjust data quota reservation for the key's payload
 * @key: The key to make the reservation for.
 * @datalen: The amount of data payload the caller now wants.
 *
 * Adjust the amount of the owning user's key data quota that a key reserves.
 *
 * Return: 0 on success or -EDQUOT if the quota would be exceeded.
 */
int key_payload_reserve(struct key *key, size_t datalen)
{
	int delta = (int)datalen - key->datalen;
	int ret = 0;

	keys_lock_init();
	/* contemplate the quota adjustment */
	if (delta != 0 && key_flag(key, KEY_FLAG_IN_QUOTA)) {
		struct key_user *user = key_user_lookup(key->uid);
		unsigned int maxbytes = uid_eq(key->uid, GLOBAL_ROOT_UID) ?
			key_quota_root_maxbytes : key_quota_maxbytes;

		if (delta > 0 &&
		    (user->qnbytes + delta > maxbytes ||
		     user->qnbytes + delta < user->qnbytes)) {
			ret = -EDQUOT;
		} else {
			user->qnbytes += delta;
			key->quotalen += delta;
		}
	}

	/* change the recorded data length if that didn't generate an error */
	if (ret == 0)
		key->datalen = datalen;
	keys_unlock();
	return ret;
}
EXPORT_SYMBOL(key_payload_reserve);

/* ------------------------------------------------------------------ */
/* Links                                                                */

/*
 * __key_link_lock() and __key_link_begin(): may a link of index key
 * (type, description) go into keyring? Sets *replace to the index of the
 * link it would replace, or -1 (then the keyring's quota grows by a link).
 */
static int key_link_begin(struct key *keyring, const struct key_type *type,
			  const char *description, int *replace)
{
	int ret;

	if (keyring->type != &key_type_keyring)
		return -ENOTDIR;
	if (key_flag(keyring, KEY_FLAG_REVOKED))
		return -EKEYREVOKED;
	*replace = keyring_find_index(keyring, type, description);
	if (*replace < 0) {
		ret = key_payload_reserve(keyring,
					  keyring->datalen + KEYQUOTA_LINK_BYTES);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* __key_link(): the keyring takes a reference; a replaced link is put. */
static void key_link_commit(struct key *keyring, struct key *key, int replace)
{
	GPtrArray *members = keyring_members(keyring);
	struct key *old = NULL;

	if (!members) {
		members = g_ptr_array_new();
		keyring->keys.root = (struct assoc_array_ptr *)members;
	}
	__key_get(key);
	if (replace >= 0) {
		old = members->pdata[replace];
		members->pdata[replace] = key;
	} else {
		g_ptr_array_add(members, key);
	}
	keyring_update_count(keyring);
	key_put(old);
}

/* Unlink members[i]; its reference goes to dead (or is put now). */
static void keyring_remove_at(struct key *keyring, guint i, GPtrArray *dead)
{
	GPtrArray *members = keyring_members(keyring);
	struct key *key = members->pdata[i];

	g_ptr_array_remove_index(members, i);
	keyring_update_count(keyring);
	key_payload_reserve(keyring, keyring->datalen - KEYQUOTA_LINK_BYTES);
	if (dead)
		g_ptr_array_add(dead, key);
	else
		key_put(key);
}

/* Is target reachable from keyring (keyring_detect_cycle())? */
static bool keyring_reaches(const struct key *keyring, const struct key *target,
			    int depth)
{
	GPtrArray *members = keyring_members(keyring);
	guint i;

	if (keyring == target || depth > KEYRING_SEARCH_MAX_DEPTH)
		return true;
	for (i = 0; members && i < members->len; i++) {
		const struct key *k = members->pdata[i];

		if (k->type == &key_type_keyring &&
		    keyring_reaches(k, target, depth + 1))
			return true;
	}
	return false;
}

static int key_link_check_restriction(struct key *keyring,
				      const struct key_type *type,
				      const union key_payload *payload)
{
	if (!keyring->restrict_link || !keyring->restrict_link->check)
		return 0;
	return keyring->restrict_link->check(keyring, type, payload,
					     keyring->restrict_link->key);
}

/*
 * __key_instantiate_and_link(): -EBUSY if the key is already instantiated,
 * else the type's instantiate() and, on success, the link.
 */
static int __key_instantiate_and_link(struct key *key,
				      struct key_preparsed_payload *prep,
				      struct key *keyring, int replace)
{
	int ret = -EBUSY;

	/* can't instantiate twice */
	if (key->state == KEY_IS_UNINSTANTIATED) {
		ret = key->type->instantiate(key, prep);
		if (ret == 0) {
			__atomic_store_n(&key->state, KEY_IS_POSITIVE,
					 __ATOMIC_RELEASE);
			if (keyring) {
				if (key_flag(keyring, KEY_FLAG_KEEP))
					key_test_and_set_flag(key,
							      KEY_FLAG_KEEP);
				key_link_commit(keyring, key, replace);
			}
			if (prep->expiry != TIME64_MAX)
				key->expiry = prep->expiry;
		}
	}
	return ret;
}

static void prep_init(struct key_preparsed_payload *prep,
		      const struct key_type *type, const char *description,
		      const void *data, size_t datalen)
{
	memset(prep, 0, sizeof(*prep));
	prep->orig_description = description;
	prep->data = data;
	prep->datalen = datalen;
	prep->quotalen = type->def_datalen;
	prep->expiry = TIME64_MAX;
}

/**
 * key_instantiate_and_link - Instantiate a key and link it into the keyring.
 * @key: The key to instantiate.
 * @data: The data to use to instantiate the keyring.
 * @datalen: The length of @data.
 * @keyring: Keyring to create a link in on success (or NULL).
 * @authkey: The authorisation token permitting instantiation (unused).
 *
 * Instantiate a key that's in the uninstantiated state using the provided
 * data and, if successful, link it in to the destination keyring if one is
 * supplied.
 *
 * Return: 0 on success; the preparse or instantiate error; -EBUSY if the
 * key was already instantiated; -ENOTDIR if @keyring is not a keyring,
 * -EKEYREVOKED if it is revoked, -EDQUOT, or its restriction's error.
 */
int key_instantiate_and_link(struct key *key, const void *data,
			     size_t datalen, struct key *keyring,
			     struct key *authkey)
{
	struct key_preparsed_payload prep;
	int ret, replace = -1;

	prep_init(&prep, key->type, key->description, data, datalen);
	keys_lock_init();
	if (key->type->preparse) {
		ret = key->type->preparse(&prep);
		if (ret < 0)
			goto error;
	}

	if (keyring) {
		ret = key_link_begin(keyring, key->type, key->description,
				     &replace);
		if (ret < 0)
			goto error;
		ret = key_link_check_restriction(keyring, key->type,
						 &prep.payload);
		if (ret == 0)
			ret = __key_instantiate_and_link(key, &prep, keyring,
							 replace);
		/* __key_link_end(): give back an unused link's quota */
		if (ret < 0 && replace < 0)
			key_payload_reserve(keyring, keyring->datalen -
					    KEYQUOTA_LINK_BYTES);
	} else {
		ret = __key_instantiate_and_link(key, &prep, NULL, -1);
	}
error:
	if (key->type->preparse)
		key->type->free_preparse(&prep);
	keys_unlock();
	return ret;
}
EXPORT_SYMBOL(key_instantiate_and_link);

/**
 * key_link - Link a key to a keyring
 * @keyring: The keyring to make the link in.
 * @key: The key to link to.
 *
 * Make a link in a keyring to a key, such that the keyring holds a reference
 * on that key and the key can potentially be found by searching that keyring.
 * A link to a key of the same type and description replaces the old one.
 *
 * Return: 0 if successful, -ENOTDIR if the keyring isn't a keyring,
 * -EKEYREVOKED if the keyring has been revoked, -EDQUOT if the keyring's
 * quota is full, -EDEADLK if the link would form a cycle of keyrings, or
 * the keyring's restriction's error.
 */
int key_link(struct key *keyring, struct key *key)
{
	int ret, replace;

	keys_lock_init();
	ret = key_link_begin(keyring, key->type, key->description, &replace);
	if (ret < 0)
		goto out;
	ret = key_link_check_restriction(keyring, key->type, &key->payload);
	if (ret == 0 && key->type == &key_type_keyring &&
	    keyring_reaches(key, keyring, 0))
		ret = -EDEADLK;
	if (ret == 0)
		key_link_commit(keyring, key, replace);
	else if (replace < 0)
		key_payload_reserve(keyring,
				    keyring->datalen - KEYQUOTA_LINK_BYTES);
out:
	keys_unlock();
	return ret;
}
EXPORT_SYMBOL(key_link);

/**
 * key_unlink - Unlink the first link to a key from a keyring.
 * @keyring: The keyring to remove the link from.
 * @key: The key the link is to.
 *
 * Remove the link from a keyring to a key of the same type and description
 * as @key (the kernel looks links up by that index key).
 *
 * Return: 0 if successful, -ENOTDIR if the keyring isn't a keyring or
 * -ENOENT if there was no such link.
 */
int key_unlink(struct key *keyring, struct key *key)
{
	int i, ret = -ENOTDIR;

	keys_lock_init();
	if (keyring->type != &key_type_keyring)
		goto out;
	ret = -ENOENT;
	i = keyring_find_index(keyring, key->type, key->description);
	if (i >= 0) {
		keyring_remove_at(keyring, i, NULL);
		ret = 0;
	}
out:
	keys_unlock();
	return ret;
}
EXPORT_SYMBOL(key_unlink);

/**
 * keyring_clear - Clear a keyring
 * @keyring: The keyring to clear.
 *
 * Clear the contents of the specified keyring.
 *
 * Return: 0 if successful or -ENOTDIR if the keyring isn't a keyring.
 */
int keyring_clear(struct key *keyring)
{
	GPtrArray *members, *dead;
	guint i;

	keys_lock_init();
	if (keyring->type != &key_type_keyring) {
		keys_unlock();
		return -ENOTDIR;
	}
	members = keyring_members(keyring);
	dead = g_ptr_array_new();
	for (i = members ? members->len : 0; i-- > 0;)
		g_ptr_array_add(dead, members->pdata[i]);
	if (members)
		g_ptr_array_set_size(members, 0);
	keyring_update_count(keyring);
	key_payload_reserve(keyring, 0);
	keys_put_all(dead);
	keys_unlock();
	return 0;
}
EXPORT_SYMBOL(keyring_clear);

/**
 * restrict_link_reject - Give -EPERM to restrict link
 * @keyring: The keyring being added to.
 * @type: The type of key being added.
 * @payload: The payload of the key intended to be added.
 * @restriction_key: Keys providing additional data for evaluating restriction.
 *
 * Reject the addition of any links to a keyring.
 *
 * Return: -EPERM.
 */
int restrict_link_reject(struct key *keyring, const struct key_type *type,
			 const union key_payload *payload,
			 struct key *restriction_key)
{
	return -EPERM;
}
EXPORT_SYMBOL_GPL(restrict_link_reject);

/*
 * The key GC's unlinking of a dead (here: invalidated) key from every
 * keyring, done at once.
 */
static void key_gc_links(struct key *key)
{
	GPtrArray *all = keys_snapshot(), *dead = g_ptr_array_new();
	guint i, j;

	for (i = 0; i < all->len; i++) {
		struct key *keyring = all->pdata[i];
		GPtrArray *members;

		if (keyring->type != &key_type_keyring)
			continue;
		members = keyring_members(keyring);
		for (j = members ? members->len : 0; j-- > 0;)
			if (members->pdata[j] == key)
				keyring_remove_at(keyring, j, dead);
	}
	keys_put_all(dead);
	keys_put_all(all);
}

/**
 * key_invalidate - Invalidate a key.
 * @key: The key to be invalidated.
 *
 * Mark a key as being invalidated and have it cleaned up immediately. The
 * key is ignored by all searches and other operations from this point;
 * its links are removed before this returns (the kernel's GC does it
 * moments later) and it is freed when its last reference goes.
 */
void key_invalidate(struct key *key)
{
	keys_lock_init();
	if (!key_test_and_set_flag(key, KEY_FLAG_INVALIDATED))
		key_gc_links(key);
	keys_unlock();
}
EXPORT_SYMBOL(key_invalidate);

/**
 * key_revoke - Revoke a key.
 * @key: The key to be revoked.
 *
 * Mark a key as being revoked and ask the type to free up its resources.
 * The revocation timeout is set; searches then find -EKEYREVOKED. (The
 * kernel's GC unlinks the key key_gc_delay after that; the emulator keeps
 * the link.)
 */
void key_revoke(struct key *key)
{
	time64_t time;

	keys_lock_init();
	if (!key_test_and_set_flag(key, KEY_FLAG_REVOKED)) {
		if (key->type->revoke)
			key->type->revoke(key);

		/* set the death time to no more than the expiry time */
		time = ktime_get_real_seconds();
		if (key->revoked_at == 0 || key->revoked_at > time)
			key->revoked_at = time;
	}
	keys_unlock();
}
EXPORT_SYMBOL(key_revoke);

/* ------------------------------------------------------------------ */
/* Updates                                                             */

/* __key_update(): consumes the reference in key_ref. */
static key_ref_t __key_update(key_ref_t key_ref,
			      struct key_preparsed_payload *prep)
{
	struct key *key = key_ref_to_ptr(key_ref);
	int ret;

	/* need write permission on the key to update it */
	ret = key_permission(key_ref, KEY_NEED_WRITE);
	if (ret < 0)
		goto error;

	ret = -EEXIST;
	if (!key->type->update)
		goto error;

	ret = key->type->update(key, prep);
	if (ret == 0)
		/* Updating a negative key positively instantiates it */
		__atomic_store_n(&key->state, KEY_IS_POSITIVE,
				 __ATOMIC_RELEASE);
	if (ret < 0)
		goto error;
	return key_ref;

error:
	key_put(key);
	return ERR_PTR(ret);
}

/* find_key_to_update(): a live link of the same index key, referenced. */
static key_ref_t find_key_to_update(key_ref_t keyring_ref,
				    const struct key_type *type,
				    const char *description)
{
	struct key *keyring = key_ref_to_ptr(keyring_ref), *key;
	int i = keyring_find_index(keyring, type, description);

	if (i < 0)
		return NULL;
	key = keyring_members(keyring)->pdata[i];
	if (key_flag(key, KEY_FLAG_INVALIDATED) ||
	    key_flag(key, KEY_FLAG_REVOKED))
		return NULL;
	__key_get(key);
	return make_key_ref(key, is_key_possessed(keyring_ref));
}

/**
 * key_create_or_update - Update or create and instantiate a key.
 * @keyring_ref: A pointer to the destination keyring with possession flag.
 * @type: The type of key.
 * @description: The searchable description for the key.
 * @payload: The data to use to instantiate or update the key.
 * @plen: The length of @payload.
 * @perm: The permissions mask for a new key.
 * @flags: The quota flags for a new key.
 *
 * Search the destination keyring for a key of the same description and if
 * one is found, update it, otherwise create and instantiate a new one and
 * create a link to it from that keyring. Only a type with ->update() is
 * updated: for any other type a new key is made, and its link replaces the
 * old key's in the keyring (as in 6.1: no -EEXIST on this path).
 *
 * If perm is KEY_PERM_UNDEF then an appropriate key permissions mask will be
 * concocted.
 *
 * Return: a possession-marked reference to the key (key_ref_put() it), or
 * ERR_PTR(): -ENODEV for an unregistered type, -EINVAL (no ->instantiate,
 * no description and no ->preparse to make one), -ENOTDIR (not a
 * keyring), -EKEYREVOKED (keyring revoked), -EACCES (no write permission
 * on the keyring, or on the key to update), -EDQUOT, -ENOMEM, or the
 * type's preparse/instantiate/update error.
 */
key_ref_t key_create_or_update(key_ref_t keyring_ref,
			       const char *type,
			       const char *description,
			       const void *payload,
			       size_t plen,
			       key_perm_t perm,
			       unsigned long flags)
{
	struct key_preparsed_payload prep;
	const struct cred *cred = current_cred();
	struct key_type *ktype;
	struct key *keyring, *key = NULL;
	key_ref_t key_ref;
	int ret, replace = -1;
	struct key_restriction *restrict_link = NULL;

	keys_lock_init();
	/* look up the key type to see if it's one of the registered kernel
	 * types */
	ktype = key_type_lookup(type);
	if (IS_ERR(ktype)) {
		key_ref = ERR_PTR(-ENODEV);
		goto error;
	}

	key_ref = ERR_PTR(-EINVAL);
	if (!ktype->instantiate || (!description && !ktype->preparse))
		goto error;

	keyring = key_ref_to_ptr(keyring_ref);

	key_ref = ERR_PTR(-ENOTDIR);
	if (keyring->type != &key_type_keyring)
		goto error;

	prep_init(&prep, ktype, description, payload, plen);
	if (ktype->preparse) {
		ret = ktype->preparse(&prep);
		if (ret < 0) {
			key_ref = ERR_PTR(ret);
			goto error_free_prep;
		}
		if (!description)
			description = prep.description;
		key_ref = ERR_PTR(-EINVAL);
		if (!description)
			goto error_free_prep;
	}

	ret = key_link_begin(keyring, ktype, description, &replace);
	if (ret < 0) {
		key_ref = ERR_PTR(ret);
		goto error_free_prep;
	}

	if (!(flags & KEY_ALLOC_BYPASS_RESTRICTION))
		restrict_link = keyring->restrict_link;

	if (restrict_link && restrict_link->check) {
		ret = restrict_link->check(keyring, ktype, &prep.payload,
					   restrict_link->key);
		if (ret < 0) {
			key_ref = ERR_PTR(ret);
			goto error_link_end;
		}
	}

	/* if we're going to allocate a new key, we're going to have
	 * to modify the keyring */
	ret = key_permission(keyring_ref, KEY_NEED_WRITE);
	if (ret < 0) {
		key_ref = ERR_PTR(ret);
		goto error_link_end;
	}

	/* if it's possible to update this type of key, search for an existing
	 * key of the same type and description in the destination keyring and
	 * update that instead if possible
	 */
	if (ktype->update) {
		key_ref = find_key_to_update(keyring_ref, ktype, description);
		if (key_ref) {
			if (replace < 0)
				key_payload_reserve(keyring, keyring->datalen -
						    KEYQUOTA_LINK_BYTES);
			key_ref = __key_update(key_ref, &prep);
			goto error_free_prep;
		}
	}

	/* if the client doesn't provide, decide on the permissions we want */
	if (perm == KEY_PERM_UNDEF) {
		perm = KEY_POS_VIEW | KEY_POS_SEARCH | KEY_POS_LINK | KEY_POS_SETATTR;
		perm |= KEY_USR_VIEW;

		if (ktype->read)
			perm |= KEY_POS_READ;

		if (ktype == &key_type_keyring || ktype->update)
			perm |= KEY_POS_WRITE;
	}

	/* allocate a new key */
	key = key_alloc(ktype, description, cred->fsuid, cred->fsgid, cred,
			perm, flags, NULL);
	if (IS_ERR(key)) {
		key_ref = ERR_CAST(key);
		goto error_link_end;
	}

	/* instantiate it and link it into the target keyring */
	ret = __key_instantiate_and_link(key, &prep, keyring, replace);
	if (ret < 0) {
		key_put(key);
		key_ref = ERR_PTR(ret);
		goto error_link_end;
	}

	key_ref = make_key_ref(key, is_key_possessed(keyring_ref));
	goto error_free_prep;

error_link_end:
	/* give back the link's quota that __key_link_begin() reserved */
	if (replace < 0)
		key_payload_reserve(keyring,
				    keyring->datalen - KEYQUOTA_LINK_BYTES);
error_free_prep:
	if (ktype->preparse)
		ktype->free_preparse(&prep);
error:
	keys_unlock();
	return key_ref;
}
EXPORT_SYMBOL(key_create_or_update);

/**
 * key_update - Update a key's contents.
 * @key_ref: The pointer (plus possession flag) to the key.
 * @payload: The data to be used to update the key.
 * @plen: The length of @payload.
 *
 * Attempt to update the contents of a key with the given payload data.  The
 * caller must be granted Write permission on the key.
 *
 * Return: 0 on success, -EACCES if not permitted, -EOPNOTSUPP if the key
 * type does not support updating, or the type's preparse/update error.
 */
int key_update(key_ref_t key_ref, const void *payload, size_t plen)
{
	struct key_preparsed_payload prep;
	struct key *key = key_ref_to_ptr(key_ref);
	int ret;

	keys_lock_init();
	/* the key must be writable */
	ret = key_permission(key_ref, KEY_NEED_WRITE);
	if (ret < 0)
		goto out;

	/* attempt to update it if supported */
	ret = -EOPNOTSUPP;
	if (!key->type->update)
		goto out;

	prep_init(&prep, key->type, NULL, payload, plen);
	if (key->type->preparse) {
		ret = key->type->preparse(&prep);
		if (ret < 0)
			goto error;
	}

	ret = key->type->update(key, &prep);
	if (ret == 0)
		__atomic_store_n(&key->state, KEY_IS_POSITIVE,
				 __ATOMIC_RELEASE);
error:
	if (key->type->preparse)
		key->type->free_preparse(&prep);
out:
	keys_unlock();
	return ret;
}
EXPORT_SYMBOL(key_update);

/* ------------------------------------------------------------------ */
/* Searching: keyring_search() and keyring_search_rcu()                 */

struct keyring_search_context {
	struct key_type		*type;
	const char		*description;
	const struct cred	*cred;
	struct key_match_data	match_data;
	bool			possessed;
	key_ref_t		result;
	time64_t		now;
	int			skipped_ret;
};

static bool key_default_cmp(const struct key *key,
			    const struct key_match_data *match_data)
{
	return strcmp(key->description, match_data->raw_data) == 0;
}

/* keyring_search_iterator(), with KEYRING_SEARCH_DO_STATE_CHECK */
static int keyring_search_iterator(struct key *key,
				   struct keyring_search_context *ctx)
{
	time64_t expiry = key->expiry;
	short state = key_read_state(key);

	/* ignore keys not of this type */
	if (key->type != ctx->type)
		return 0;

	/* skip invalidated, revoked and expired keys */
	if (key_flag(key, KEY_FLAG_INVALIDATED) ||
	    key_flag(key, KEY_FLAG_REVOKED)) {
		ctx->result = ERR_PTR(-EKEYREVOKED);
		return ctx->skipped_ret;
	}
	if (expiry && ctx->now >= expiry) {
		ctx->result = ERR_PTR(-EKEYEXPIRED);
		return ctx->skipped_ret;
	}

	/* keys that don't match */
	if (!ctx->match_data.cmp(key, &ctx->match_data))
		return 0;

	/* key must have search permissions */
	if (key_task_permission(make_key_ref(key, ctx->possessed),
				ctx->cred, KEY_NEED_SEARCH) < 0) {
		ctx->result = ERR_PTR(-EACCES);
		return ctx->skipped_ret;
	}

	/* we set a different error code if we pass a negative key */
	if (state < 0) {
		ctx->result = ERR_PTR(state);
		return ctx->skipped_ret;
	}

	/* Found */
	ctx->result = make_key_ref(key, ctx->possessed);
	return 1;
}

/* search_keyring() then the nested keyrings, depth first */
static bool search_nested_keyrings(struct key *keyring,
				   struct keyring_search_context *ctx,
				   int sp)
{
	GPtrArray *members = keyring_members(keyring);
	guint i;

	if (key_flag(keyring, KEY_FLAG_INVALIDATED) ||
	    key_flag(keyring, KEY_FLAG_REVOKED))
		return false;

	if (ctx->match_data.lookup_type == KEYRING_SEARCH_LOOKUP_DIRECT) {
		int j = keyring_find_index(keyring, ctx->type,
					   ctx->description);

		if (j >= 0 && keyring_search_iterator(members->pdata[j], ctx))
			return true;
	} else {
		for (i = 0; members && i < members->len; i++)
			if (keyring_search_iterator(members->pdata[i], ctx))
				return true;
	}

	if (!members || sp >= KEYRING_SEARCH_MAX_DEPTH)
		return false;
	for (i = 0; i < members->len; i++) {
		struct key *k = members->pdata[i];

		if (k->type != &key_type_keyring)
			continue;
		if (key_task_permission(make_key_ref(k, ctx->possessed),
					ctx->cred, KEY_NEED_SEARCH) < 0)
			continue;
		if (search_nested_keyrings(k, ctx, sp + 1))
			return true;
	}
	return false;
}

/**
 * keyring_search - Search the supplied keyring tree for a matching key
 * @keyring: The root of the keyring tree to be searched.
 * @type: The type of keyring we want to find.
 * @description: The name of the keyring we want to find.
 * @recurse: True to search the children of @keyring also
 *
 * As keyring_search_rcu() above, but using the current task's credentials
 * and type's default matching function and preferred search method.
 *
 * Return: a reference to the key (key_ref_put() it), possessed if
 * @keyring was; or ERR_PTR(-EAGAIN) if no key matched, -EKEYREVOKED or
 * -EKEYEXPIRED if the only match was revoked/invalidated or expired,
 * -EACCES if it could not be searched, -ENOTDIR if @keyring is not a
 * keyring, or the type's match_preparse() error.
 */
key_ref_t keyring_search(key_ref_t keyring, struct key_type *type,
			 const char *description, bool recurse)
{
	struct keyring_search_context ctx = {
		.type			= type,
		.description		= description,
		.cred			= current_cred(),
		.match_data.cmp		= key_default_cmp,
		.match_data.raw_data	= description,
		.match_data.lookup_type	= KEYRING_SEARCH_LOOKUP_DIRECT,
	};
	struct key *kr = key_ref_to_ptr(keyring);
	key_ref_t key;
	int ret;

	if (type->match_preparse) {
		ret = type->match_preparse(&ctx.match_data);
		if (ret < 0)
			return ERR_PTR(ret);
	}

	keys_lock_init();
	ctx.possessed = is_key_possessed(keyring);
	ctx.result = ERR_PTR(-EAGAIN);
	if (kr->type != &key_type_keyring) {
		key = ERR_PTR(-ENOTDIR);
		goto out;
	}
	ret = key_task_permission(keyring, ctx.cred, KEY_NEED_SEARCH);
	if (ret < 0) {
		key = ERR_PTR(ret);
		goto out;
	}
	ctx.now = ktime_get_real_seconds();

	/* Is the top-level keyring itself what we are looking for? */
	if (ctx.match_data.lookup_type == KEYRING_SEARCH_LOOKUP_ITERATE ||
	    index_key_same(kr, type, description)) {
		ctx.skipped_ret = 2;
		switch (keyring_search_iterator(kr, &ctx)) {
		case 1:
			goto found;
		case 2:
			goto done;
		default:
			break;
		}
	}
	ctx.skipped_ret = 0;
	if (!search_nested_keyrings(kr, &ctx, recurse ? 0 :
				    KEYRING_SEARCH_MAX_DEPTH))
		goto done;
found:
	__key_get(key_ref_to_ptr(ctx.result));
done:
	key = ctx.result;
out:
	keys_unlock();
	if (type->match_free)
		type->match_free(&ctx.match_data);
	return key;
}
EXPORT_SYMBOL(keyring_search);

/* ------------------------------------------------------------------ */
/* The keyring key type                                                */

static int keyring_preparse(struct key_preparsed_payload *prep)
{
	return prep->datalen != 0 ? -EINVAL : 0;
}

static void keyring_free_preparse(struct key_preparsed_payload *prep)
{
}

static int keyring_instantiate(struct key *keyring,
			       struct key_preparsed_payload *prep)
{
	keyring->keys.root = NULL;
	keyring->keys.nr_leaves_on_tree = 0;
	return 0;
}

static void keyring_destroy(struct key *keyring)
{
	GPtrArray *members = keyring_members(keyring);

	keyring->keys.root = NULL;
	keyring->keys.nr_leaves_on_tree = 0;
	if (members)
		keys_put_all(members);
}

static void keyring_describe(const struct key *keyring, struct seq_file *m)
{
	if (keyring->description)
		seq_puts(m, keyring->description);
	else
		seq_puts(m, "[anon]");

	if (key_is_positive(keyring)) {
		if (keyring->keys.nr_leaves_on_tree != 0)
			seq_printf(m, ": %lu", keyring->keys.nr_leaves_on_tree);
		else
			seq_puts(m, ": empty");
	}
}

struct key_type key_type_keyring = {
	.name		= "keyring",
	.def_datalen	= 0,
	.preparse	= keyring_preparse,
	.free_preparse	= keyring_free_preparse,
	.instantiate	= keyring_instantiate,
	.destroy	= keyring_destroy,
	.describe	= keyring_describe,
};
EXPORT_SYMBOL(key_type_keyring);

/**
 * keyring_alloc - Allocate a keyring and link into the destination
 * @description: The key description to allow the key to be searched out.
 * @uid: The owner of the new key.
 * @gid: The group ID for the new key's group permissions.
 * @cred: The credentials specifying UID namespace.
 * @perm: The permissions mask of the new key.
 * @flags: Flags specifying quota properties.
 * @restrict_link: Optional link restriction for new keyrings.
 * @dest: Keyring to link the new keyring into, or NULL.
 *
 * Return: the keyring (key_put() it), or ERR_PTR() with key_alloc()'s or
 * key_instantiate_and_link()'s error.
 */
struct key *keyring_alloc(const char *description, kuid_t uid, kgid_t gid,
			  const struct cred *cred, key_perm_t perm,
			  unsigned long flags,
			  struct key_restriction *restrict_link,
			  struct key *dest)
{
	struct key *keyring;
	int ret;

	keyring = key_alloc(&key_type_keyring, description,
			    uid, gid, cred, perm, flags, restrict_link);
	if (!IS_ERR(keyring)) {
		ret = key_instantiate_and_link(keyring, NULL, 0, dest, NULL);
		if (ret < 0) {
			key_put(keyring);
			keyring = ERR_PTR(ret);
		}
	}
	return keyring;
}
EXPORT_SYMBOL(keyring_alloc);
