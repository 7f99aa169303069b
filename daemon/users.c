/* SPDX-License-Identifier: ISC */
/*
 * users.c: the web console's users (delistd-web(7)) and case assignees.
 *
 * A user is a name, a role and a yescrypt hash of the password made by
 * libxcrypt (a fresh salt each time): the password itself is never kept,
 * logged, answered or put in the trail. A case's assignee is a user's
 * name, set by lifecycle_assign with a case.assigned event.
 */

#include "config.h"

#include <crypt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "delistd.h"
#include "i18n.h"
#include "lifecycle.h"
#include "lifecycle-private.h"
#include "web.h"

#define USERS_MIN_PASSWORD 8
#define USERS_MAX_PASSWORD 1024

static char *users_hash(const char *);
static int users_password_ok(const char *, char **);

/* A yescrypt hash of a password, or NULL. */
static char *
users_hash(const char *password)
{
	struct crypt_data *cd;
	char *salt, *h, *out = NULL;

	if ((salt = crypt_gensalt_ra("$y$", 0, NULL, 0)) == NULL)
		return (NULL);
	cd = xcalloc(1, sizeof *cd);
	h = crypt_r(password, salt, cd);
	if (h != NULL && h[0] == '$')
		out = xstrdup(h);
	explicit_bzero(cd, sizeof *cd);
	free(cd);
	free(salt);
	return (out);
}

static int
users_password_ok(const char *password, char **cause)
{
	size_t n = strlen(password);

	if (n < USERS_MIN_PASSWORD || n > USERS_MAX_PASSWORD) {
		xasprintf(cause, "a password has %d to %d characters",
		    USERS_MIN_PASSWORD, USERS_MAX_PASSWORD);
		return (0);
	}
	return (1);
}

int
users_count(void)
{
	struct st_user *u;
	size_t n;

	if (store_users(daemon_state->store, &u, &n) == -1)
		return (-1);
	st_users_free(u, n);
	return ((int)n);
}

/* Adds a user; -1 with *cause (a bad name or password, a taken name). */
int
users_add(
    const char *name, enum web_role role, const char *password, char **cause)
{
	char *hash;
	int rc;

	if (!web_name_ok(name)) {
		xasprintf(cause,
		    "bad user name \"%.40s\": 1 to 32 of a-z, 0-9, '.', '_', "
		    "'-', starting with a letter or digit",
		    name);
		return (-1);
	}
	if (!users_password_ok(password, cause))
		return (-1);
	if ((hash = users_hash(password)) == NULL) {
		xasprintf(cause, "cannot hash the password (libxcrypt)");
		return (-1);
	}
	rc = store_user_put(
	    daemon_state->store, name, web_role_name(role), hash, clock_now());
	free(hash);
	if (rc == 1)
		xasprintf(cause, "user %s already exists", name);
	else if (rc == -1)
		xasprintf(cause, "the state database failed; see the log");
	else {
		web_setup_forget();
		log_info("web: user %s added as %s", name, web_role_name(role));
	}
	return (rc == 0 ? 0 : -1);
}

/* Sets a user's password and ends its sessions; 1: no such user. */
int
users_passwd(const char *name, const char *password, char **cause)
{
	char *hash;
	int rc;

	if (!users_password_ok(password, cause))
		return (-1);
	if ((hash = users_hash(password)) == NULL) {
		xasprintf(cause, "cannot hash the password (libxcrypt)");
		return (-1);
	}
	rc = store_user_put(daemon_state->store, name, NULL, hash, clock_now());
	free(hash);
	if (rc == 0 && store_sessions_drop(daemon_state->store, name) == -1)
		rc = -1;
	if (rc == -1)
		xasprintf(cause, "the state database failed; see the log");
	else if (rc == 0)
		log_info(
		    "web: password of %s changed; its sessions ended", name);
	return (rc);
}

/*
 * 1 and the role in *role if the password is the user's, 0 if not (or no
 * such user: hashed all the same, so the time says nothing), -1 if the
 * store failed.
 */
int
users_check(const char *name, const char *password, int *role)
{
	/* A hash of a random password, for unknown names. */
	static char *dummy;
	char rnd[65];
	struct crypt_data *cd;
	char *r = NULL, *hash = NULL;
	const char *h;
	int rc, ok;

	if (dummy == NULL) {
		web_random_hex(rnd);
		dummy = users_hash(rnd);
		explicit_bzero(rnd, sizeof rnd);
	}
	rc = store_user_get(daemon_state->store, name, &r, &hash);
	if (rc == -1)
		return (-1);
	cd = xcalloc(1, sizeof *cd);
	h = crypt_r(password, rc == 0 ? hash : dummy ? dummy : "$y$", cd);
	ok = rc == 0 && h != NULL && h[0] == '$' && strlen(h) == strlen(hash) &&
	    CRYPTO_memcmp(h, hash, strlen(h)) == 0;
	explicit_bzero(cd, sizeof *cd);
	free(cd);
	if (ok)
		*role = web_role_from_name(r);
	free(r);
	free(hash);
	return (ok);
}

/*
 * Assigns a case to a user (NULL: to nobody), in the trail as
 * case.assigned by actor.
 */
int
lifecycle_assign(
    int64_t id, const char *user, const char *actor, struct lifecycle_err *err)
{
	struct st_case c;
	char *prev = NULL;
	json_t *data;
	int rc;

	if (lifecycle_case_begin(id, &c, err) == -1)
		return (-1);
	if (user != NULL &&
	    (rc = store_user_get(lifecycle_store(), user, NULL, NULL)) != 0) {
		st_case_clear(&c);
		if (rc == -1)
			return (lifecycle_store_fail(err));
		store_rollback(lifecycle_store());
		lifecycle_err_set(err, LIFECYCLE_ERR_BAD_FIELD,
		    "no user %.40s (delistctl user list)", user);
		return (-1);
	}
	if (store_case_assignee(lifecycle_store(), id, &prev) == -1 ||
	    store_case_assign(lifecycle_store(), id, user) == -1)
		goto fail;
	data = json_pack("{s:o,s:o}", "assignee",
	    user ? json_string(user) : json_null(), "previous",
	    prev ? json_string(prev) : json_null());
	if (lifecycle_event(&c, clock_now(), actor, CASES_EV_CASE_ASSIGNED,
		CASES_SEV_INFO, data,
		/* two sentences, not English words as arguments */
		user ? EV_("case %lld assigned to %s by %s")
		     : EV_("case %lld unassigned%s by %s"),
		(long long)id, user ? user : "", actor) == -1)
		goto fail;
	free(prev);
	st_case_clear(&c);
	return (lifecycle_commit(err));
fail:
	free(prev);
	st_case_clear(&c);
	return (lifecycle_store_fail(err));
}
