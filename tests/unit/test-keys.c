// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the keys subsystem of the shim: key types, keyrings,
 * key_create_or_update() (update and replacement), keyring_search() and
 * its error codes, invalidation, expiry, permissions, unregister_key_type()
 * garbage collection, reference counts (LeakSanitizer checks that nothing
 * is left) and concurrent use.
 */
#include <glib.h>
#include <pthread.h>
#include <string.h>

#include <linux/cred.h>
#include <linux/err.h>
#include <linux/key-type.h>
#include <linux/key.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

static int instantiated, destroyed, updated;

static int tk_instantiate(struct key *key, struct key_preparsed_payload *prep)
{
	if (prep->datalen && ((const char *)prep->data)[0] == '!')
		return -EBADMSG;
	key->payload.data[0] = kmemdup(prep->data, prep->datalen, GFP_KERNEL);
	if (!key->payload.data[0])
		return -ENOMEM;
	key->payload.data[1] = (void *)prep->datalen;
	__atomic_add_fetch(&instantiated, 1, __ATOMIC_RELAXED);
	return 0;
}

static int tk_update(struct key *key, struct key_preparsed_payload *prep)
{
	void *old = key->payload.data[0];

	key->payload.data[0] = kmemdup(prep->data, prep->datalen, GFP_KERNEL);
	key->payload.data[1] = (void *)prep->datalen;
	kfree(old);
	updated++;
	return 0;
}

static void tk_destroy(struct key *key)
{
	kfree(key->payload.data[0]);
	__atomic_add_fetch(&destroyed, 1, __ATOMIC_RELAXED);
}

/* "expire:" payloads set an expiry in the past */
static int tk_preparse(struct key_preparsed_payload *prep)
{
	if (prep->datalen >= 7 && !memcmp(prep->data, "expire:", 7))
		prep->expiry = ktime_get_real_seconds() - 10;
	return 0;
}

static void tk_free_preparse(struct key_preparsed_payload *prep)
{
}

static struct key_type tk_plain = {
	.name = "test_plain",
	.preparse = tk_preparse,
	.free_preparse = tk_free_preparse,
	.instantiate = tk_instantiate,
	.destroy = tk_destroy,
};

static struct key_type tk_updatable = {
	.name = "test_upd",
	.instantiate = tk_instantiate,
	.update = tk_update,
	.destroy = tk_destroy,
};

#define PERM (KEY_POS_ALL | KEY_USR_VIEW | KEY_USR_READ | KEY_USR_SEARCH)

static struct key *new_keyring(const char *desc)
{
	struct key *kr = keyring_alloc(desc, GLOBAL_ROOT_UID, GLOBAL_ROOT_GID,
				       current_cred(), PERM,
				       KEY_ALLOC_NOT_IN_QUOTA, NULL, NULL);

	g_assert_false(IS_ERR(kr));
	return kr;
}

static key_ref_t add(struct key *kr, const char *type, const char *desc,
		     const char *data)
{
	return key_create_or_update(make_key_ref(kr, true), type, desc, data,
				    strlen(data), KEY_PERM_UNDEF,
				    KEY_ALLOC_NOT_IN_QUOTA);
}

static void reset_counts(void)
{
	instantiated = destroyed = updated = 0;
}

static void test_types(void)
{
	struct key_type dup = { .name = "test_plain",
				.instantiate = tk_instantiate };
	struct key *kr;

	g_assert_cmpint(register_key_type(&tk_plain), ==, 0);
	g_assert_cmpint(register_key_type(&dup), ==, -EEXIST);
	g_assert_cmpint(register_key_type(&key_type_keyring), ==, -EEXIST);
	kr = new_keyring("types");
	g_assert_cmpint(PTR_ERR(add(kr, "no_such_type", "x", "d")), ==,
			-ENODEV);
	key_put(kr);
	unregister_key_type(&tk_plain);
}

static void test_add_search(void)
{
	struct key *kr, *key;
	key_ref_t ref, found;

	reset_counts();
	g_assert_cmpint(register_key_type(&tk_plain), ==, 0);
	kr = new_keyring("pgp-test");
	g_assert_cmpstr(kr->description, ==, "pgp-test");
	g_assert_true(kr->type == &key_type_keyring);
	g_assert_cmpint(kr->serial, >=, 3);
	g_assert_cmpuint(refcount_read(&kr->usage), ==, 1);

	ref = add(kr, "test_plain", "0123456789ABCDEF", "payload");
	g_assert_false(IS_ERR(ref));
	g_assert_true(is_key_possessed(ref));
	key = key_ref_to_ptr(ref);
	g_assert_cmpstr(key->description, ==, "0123456789ABCDEF");
	g_assert_true(key->type == &tk_plain);
	g_assert_true(key_is_positive(key));
	g_assert_cmpmem(key->payload.data[0], 7, "payload", 7);
	/* the caller's reference and the keyring's */
	g_assert_cmpuint(refcount_read(&key->usage), ==, 2);
	g_assert_cmpuint(kr->keys.nr_leaves_on_tree, ==, 1);
	g_assert_cmpint(key_validate(key), ==, 0);

	found = keyring_search(make_key_ref(kr, true), &tk_plain,
			       "0123456789ABCDEF", true);
	g_assert_false(IS_ERR(found));
	g_assert_true(key_ref_to_ptr(found) == key);
	g_assert_true(is_key_possessed(found));
	g_assert_cmpuint(refcount_read(&key->usage), ==, 3);
	key_ref_put(found);
	/*
	 * Without possession the key's user bits apply: KEY_PERM_UNDEF gives
	 * the user VIEW only, so the match is skipped with -EACCES.
	 */
	found = keyring_search(make_key_ref(kr, false), &tk_plain,
			       "0123456789ABCDEF", false);
	g_assert_cmpint(PTR_ERR(found), ==, -EACCES);

	/* not found: -EAGAIN, as keyring_search_rcu() leaves it */
	g_assert_cmpint(PTR_ERR(keyring_search(make_key_ref(kr, true),
					       &tk_plain, "nope", true)), ==,
			-EAGAIN);
	/* the type is part of the match */
	g_assert_cmpint(PTR_ERR(keyring_search(make_key_ref(kr, true),
					       &key_type_keyring,
					       "0123456789ABCDEF", true)), ==,
			-EAGAIN);
	/* not a keyring */
	g_assert_cmpint(PTR_ERR(keyring_search(ref, &tk_plain, "x", true)),
			==, -ENOTDIR);
	g_assert_cmpint(PTR_ERR(key_create_or_update(ref, "test_plain", "x",
						     "d", 1, KEY_PERM_UNDEF,
						     0)), ==, -ENOTDIR);
	/* an instantiate error; nothing is linked */
	g_assert_cmpint(PTR_ERR(add(kr, "test_plain", "bad", "!x")), ==,
			-EBADMSG);
	g_assert_cmpuint(kr->keys.nr_leaves_on_tree, ==, 1);
	/* a keyring instantiated twice */
	g_assert_cmpint(key_instantiate_and_link(kr, NULL, 0, NULL, NULL), ==,
			-EBUSY);

	key_ref_put(ref);
	g_assert_cmpint(destroyed, ==, 0);	/* the keyring holds it */
	key_put(kr);				/* last: keyring, then key */
	g_assert_cmpint(destroyed, ==, 1);
	g_assert_cmpint(instantiated, ==, 1);
	unregister_key_type(&tk_plain);
}

static void test_replace_and_update(void)
{
	struct key *kr, *k1, *k2;
	key_ref_t r1, r2, found;

	reset_counts();
	g_assert_cmpint(register_key_type(&tk_plain), ==, 0);
	g_assert_cmpint(register_key_type(&tk_updatable), ==, 0);
	kr = new_keyring("replace");

	/* no ->update: a new key, whose link replaces the old one's */
	r1 = add(kr, "test_plain", "id", "one");
	r2 = add(kr, "test_plain", "id", "two");
	g_assert_false(IS_ERR(r1));
	g_assert_false(IS_ERR(r2));
	k1 = key_ref_to_ptr(r1);
	k2 = key_ref_to_ptr(r2);
	g_assert_true(k1 != k2);
	g_assert_cmpint(k1->serial, !=, k2->serial);
	g_assert_cmpuint(kr->keys.nr_leaves_on_tree, ==, 1);
	g_assert_cmpuint(refcount_read(&k1->usage), ==, 1);	/* unlinked */
	found = keyring_search(make_key_ref(kr, true), &tk_plain, "id", true);
	g_assert_true(key_ref_to_ptr(found) == k2);
	key_ref_put(found);
	key_ref_put(r1);
	g_assert_cmpint(destroyed, ==, 1);
	key_ref_put(r2);

	/* with ->update: the same key, updated */
	r1 = add(kr, "test_upd", "id", "one");
	r2 = add(kr, "test_upd", "id", "three");
	g_assert_true(key_ref_to_ptr(r1) == key_ref_to_ptr(r2));
	g_assert_cmpint(updated, ==, 1);
	g_assert_cmpmem(key_ref_to_ptr(r2)->payload.data[0], 5, "three", 5);
	g_assert_cmpuint(kr->keys.nr_leaves_on_tree, ==, 2);
	g_assert_cmpuint(refcount_read(&key_ref_to_ptr(r1)->usage), ==, 3);
	key_ref_put(r1);
	key_ref_put(r2);
	g_assert_cmpint(key_update(make_key_ref(kr, true), "x", 1), ==,
			-EOPNOTSUPP);

	/* unlink by index key (held: the keyring's was the last reference) */
	key_get(k2);
	g_assert_cmpint(key_unlink(kr, k2), ==, 0);
	g_assert_cmpint(key_unlink(kr, k2), ==, -ENOENT);
	g_assert_cmpint(destroyed, ==, 1);
	key_put(k2);
	g_assert_cmpint(destroyed, ==, 2);
	g_assert_cmpint(keyring_clear(kr), ==, 0);
	g_assert_cmpuint(kr->keys.nr_leaves_on_tree, ==, 0);
	g_assert_cmpint(destroyed, ==, 3);
	key_put(kr);
	g_assert_cmpint(instantiated, ==, 3);
	unregister_key_type(&tk_updatable);
	unregister_key_type(&tk_plain);
}

static void test_states(void)
{
	struct key *kr;
	key_ref_t r;

	reset_counts();
	g_assert_cmpint(register_key_type(&tk_plain), ==, 0);
	kr = new_keyring("states");

	/* an expired key: -EKEYEXPIRED */
	r = add(kr, "test_plain", "old", "expire:now");
	g_assert_false(IS_ERR(r));
	g_assert_cmpint(key_validate(key_ref_to_ptr(r)), ==, -EKEYEXPIRED);
	g_assert_cmpint(PTR_ERR(keyring_search(make_key_ref(kr, true),
					       &tk_plain, "old", true)), ==,
			-EKEYEXPIRED);
	key_ref_put(r);

	/* revoked: -EKEYREVOKED (the link stays) */
	r = add(kr, "test_plain", "rev", "x");
	key_revoke(key_ref_to_ptr(r));
	g_assert_cmpint(key_validate(key_ref_to_ptr(r)), ==, -EKEYREVOKED);
	g_assert_cmpint(PTR_ERR(keyring_search(make_key_ref(kr, true),
					       &tk_plain, "rev", true)), ==,
			-EKEYREVOKED);
	key_ref_put(r);

	/* invalidated: unlinked at once, freed with its last reference */
	r = add(kr, "test_plain", "inv", "x");
	key_invalidate(key_ref_to_ptr(r));
	g_assert_cmpint(key_validate(key_ref_to_ptr(r)), ==, -ENOKEY);
	g_assert_cmpint(PTR_ERR(keyring_search(make_key_ref(kr, true),
					       &tk_plain, "inv", true)), ==,
			-EAGAIN);
	g_assert_cmpuint(refcount_read(&key_ref_to_ptr(r)->usage), ==, 1);
	key_ref_put(r);
	g_assert_cmpint(destroyed, ==, 1);
	key_put(kr);
	g_assert_cmpint(destroyed, ==, 3);
	unregister_key_type(&tk_plain);
}

static void test_nested_and_perms(void)
{
	struct key *top, *sub, *other;
	key_ref_t r, found;

	g_assert_cmpint(register_key_type(&tk_plain), ==, 0);
	top = new_keyring("top");
	sub = keyring_alloc("sub", GLOBAL_ROOT_UID, GLOBAL_ROOT_GID,
			    current_cred(), PERM, KEY_ALLOC_NOT_IN_QUOTA,
			    NULL, top);
	g_assert_false(IS_ERR(sub));
	r = add(sub, "test_plain", "deep", "x");
	found = keyring_search(make_key_ref(top, true), &tk_plain, "deep",
			       true);
	g_assert_true(key_ref_to_ptr(found) == key_ref_to_ptr(r));
	key_ref_put(found);
	g_assert_cmpint(PTR_ERR(keyring_search(make_key_ref(top, true),
					       &tk_plain, "deep", false)), ==,
			-EAGAIN);
	/* the top keyring finds itself */
	found = keyring_search(make_key_ref(top, true), &key_type_keyring,
			       "top", false);
	g_assert_true(key_ref_to_ptr(found) == top);
	key_ref_put(found);
	/* a cycle of keyrings */
	g_assert_cmpint(key_link(sub, top), ==, -EDEADLK);
	g_assert_cmpint(key_link(top, top), ==, -EDEADLK);
	g_assert_cmpint(key_link(key_ref_to_ptr(r), top), ==, -ENOTDIR);
	key_ref_put(r);

	/* someone else's keyring, possessor rights only */
	other = keyring_alloc("other", KUIDT_INIT(1000), KGIDT_INIT(1000),
			      current_cred(), KEY_POS_ALL,
			      KEY_ALLOC_NOT_IN_QUOTA, NULL, NULL);
	g_assert_false(IS_ERR(other));
	g_assert_cmpint(PTR_ERR(key_create_or_update(make_key_ref(other, false),
						     "test_plain", "k", "d", 1,
						     KEY_PERM_UNDEF, 0)), ==,
			-EACCES);
	g_assert_cmpint(PTR_ERR(keyring_search(make_key_ref(other, false),
					       &tk_plain, "k", true)), ==,
			-EACCES);
	r = key_create_or_update(make_key_ref(other, true), "test_plain", "k",
				 "d", 1, KEY_PERM_UNDEF, KEY_ALLOC_NOT_IN_QUOTA);
	g_assert_false(IS_ERR(r));
	key_ref_put(r);
	key_put(other);
	key_put(sub);
	key_put(top);
	unregister_key_type(&tk_plain);
}

static void test_unregister_gc(void)
{
	struct key *kr, *held;
	key_ref_t r;

	reset_counts();
	g_assert_cmpint(register_key_type(&tk_plain), ==, 0);
	kr = new_keyring("gc");
	r = add(kr, "test_plain", "a", "x");
	key_ref_put(r);
	r = add(kr, "test_plain", "b", "y");
	held = key_ref_to_ptr(r);		/* a reference kept */
	g_assert_cmpuint(kr->keys.nr_leaves_on_tree, ==, 2);

	unregister_key_type(&tk_plain);
	/* both destroyed and unlinked; the held one is ".dead", alive */
	g_assert_cmpint(destroyed, ==, 2);
	g_assert_cmpuint(kr->keys.nr_leaves_on_tree, ==, 0);
	g_assert_cmpstr(held->type->name, ==, ".dead");
	g_assert_true(held->flags & (1 << KEY_FLAG_DEAD));
	g_assert_cmpint(key_validate(held), ==, -EKEYREVOKED);
	g_assert_cmpint(PTR_ERR(add(kr, "test_plain", "c", "z")), ==, -ENODEV);
	g_assert_cmpint(PTR_ERR(keyring_search(make_key_ref(kr, true),
					       &tk_plain, "b", true)), ==,
			-EAGAIN);
	key_put(held);				/* freed; not destroyed twice */
	g_assert_cmpint(destroyed, ==, 2);
	key_put(kr);
	/* the type may be registered again */
	g_assert_cmpint(register_key_type(&tk_plain), ==, 0);
	unregister_key_type(&tk_plain);
}

static void test_quota(void)
{
	struct key *kr;

	/* an empty description */
	kr = keyring_alloc("", GLOBAL_ROOT_UID, GLOBAL_ROOT_GID,
			   current_cred(), PERM, 0, NULL, NULL);
	g_assert_cmpint(PTR_ERR(kr), ==, -EINVAL);
	/* a user's quota is 200 keys; root's a million */
	{
		struct key *ks[201];
		int i, n = 0;

		for (i = 0; i < 201; i++) {
			ks[i] = keyring_alloc("q", KUIDT_INIT(4242),
					      KGIDT_INIT(4242), current_cred(),
					      PERM, KEY_ALLOC_IN_QUOTA, NULL,
					      NULL);
			if (!IS_ERR(ks[i]))
				n++;
		}
		g_assert_cmpint(n, ==, 200);
		g_assert_cmpint(PTR_ERR(ks[200]), ==, -EDQUOT);
		for (i = 0; i < 200; i++)
			key_put(ks[i]);
		/* freed keys give their quota back */
		ks[0] = keyring_alloc("q", KUIDT_INIT(4242), KGIDT_INIT(4242),
				      current_cred(), PERM,
				      KEY_ALLOC_IN_QUOTA, NULL, NULL);
		g_assert_false(IS_ERR(ks[0]));
		key_put(ks[0]);
	}
}

/* Concurrent adders, searchers and putters on one keyring. */
static struct key *conc_kr;

static void *conc_thread(void *arg)
{
	long t = (long)arg;
	char desc[32];
	int i;

	for (i = 0; i < 300; i++) {
		key_ref_t r, f;

		snprintf(desc, sizeof(desc), "k%d", i % 17);
		r = add(conc_kr, t & 1 ? "test_upd" : "test_plain", desc,
			"data");
		g_assert_false(IS_ERR(r));
		f = keyring_search(make_key_ref(conc_kr, true),
				   t & 1 ? &tk_updatable : &tk_plain, desc,
				   true);
		/*
		 * The other plain-key thread may have invalidated this plain
		 * key between the add and the search (unlinked at once:
		 * -EAGAIN); updatable keys are never invalidated.
		 */
		if (IS_ERR(f) && !(t & 1))
			g_assert_cmpint(PTR_ERR(f), ==, -EAGAIN);
		else
			g_assert_false(IS_ERR(f));
		if (!IS_ERR(f))
			key_ref_put(f);
		key_ref_put(r);
		if (i % 50 == 49) {
			f = keyring_search(make_key_ref(conc_kr, true),
					   &tk_plain, desc, true);
			if (!IS_ERR(f)) {
				key_invalidate(key_ref_to_ptr(f));
				key_ref_put(f);
			}
		}
	}
	return NULL;
}

static void test_concurrent(void)
{
	pthread_t th[4];
	long i;

	reset_counts();
	g_assert_cmpint(register_key_type(&tk_plain), ==, 0);
	g_assert_cmpint(register_key_type(&tk_updatable), ==, 0);
	conc_kr = new_keyring("conc");
	for (i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, conc_thread, (void *)i);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	key_put(conc_kr);
	unregister_key_type(&tk_updatable);
	unregister_key_type(&tk_plain);
	/* every instantiated key was destroyed exactly once */
	g_assert_cmpint(destroyed, ==, instantiated);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/keys/types", test_types);
	g_test_add_func("/keys/add-search", test_add_search);
	g_test_add_func("/keys/replace-update", test_replace_and_update);
	g_test_add_func("/keys/states", test_states);
	g_test_add_func("/keys/nested-perms", test_nested_and_perms);
	g_test_add_func("/keys/unregister-gc", test_unregister_gc);
	g_test_add_func("/keys/quota", test_quota);
	g_test_add_func("/keys/concurrent", test_concurrent);
	return g_test_run();
}
