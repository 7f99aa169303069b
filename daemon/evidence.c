/* SPDX-License-Identifier: ISC */
/*
 * evidence.c: what the daemon keeps as proof of a delisting.
 *
 * Files are content-addressed: state_dir/evidence/<sha256>, mode 0600 in a
 * 0700 directory, written to a temporary name and renamed, so a file that
 * exists is whole and the same content is stored once. The public listing
 * page is fetched through the host's HTTP client (http.c) right after a
 * case is opened; its outcome, stored or failed, goes to the recorder the
 * caller gives (the case's trail: lifecycle_evidence). A failed fetch is
 * recorded, never fatal.
 *
 * It must not decide when evidence is taken: the scheduler does.
 */

#include "config.h"

#include <sys/queue.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "delistd.h"
#include "host.h"
#include "lifecycle.h"

/*
 * A snapshot page larger than 8 MiB (HTTP_BODY_MAX) is not archived: http.c
 * fails the fetch, and the trail records it as a failed snapshot ("response
 * body larger than 8 MiB"), to be saved by hand.
 */

struct evidence_fetch {
	int64_t case_id;
	char *url;
	char *actor;
	evidence_record_cb record;
	LIST_ENTRY(evidence_fetch) entry;
};

static LIST_HEAD(, evidence_fetch) evidence_fetches = LIST_HEAD_INITIALIZER(
    evidence_fetches);
static char evidence_owner; /* the HTTP client's owner of our fetches */

static void evidence_fetched(const struct delistd_http_response *, void *);
static void evidence_fetch_free(struct evidence_fetch *);

int
evidence_valid_hash(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
			(s[i] >= 'a' && s[i] <= 'f')))
			return (0);
	}
	return (i == 64);
}

char *
evidence_path(const char *sha)
{
	char *path;

	xasprintf(
	    &path, "%s/evidence/%s", daemon_state->config->state_dir, sha);
	return (path);
}

/* Removes the members named in keys from j, at any depth. */
static void
evidence_strip(json_t *j, const char *const *keys)
{
	const char *const *k;
	const char *name;
	json_t *v;
	void *tmp;
	size_t i;

	if (json_is_object(j)) {
		json_object_foreach_safe (j, tmp, name, v) {
			for (k = keys; *k != NULL; k++) {
				if (strcmp(name, *k) == 0)
					break;
			}
			if (*k != NULL)
				json_object_del(j, name);
			else
				evidence_strip(v, keys);
		}
	} else if (json_is_array(j)) {
		json_array_foreach (j, i, v)
			evidence_strip(v, keys);
	}
}

/*
 * The digest of what lasts in a source's answer (key): the SHA-256 of the
 * JSON without the members the source declares volatile (a request ID),
 * keys sorted; of the bytes as they are when the answer is not JSON or
 * the source declares nothing. Two answers with the same key say the
 * same of the listing, so the second need not be stored.
 */
int
evidence_key(
    const char *raw, size_t len, const char *const *volatile_keys, char key[65])
{
	json_t *j = NULL;
	char *canon = NULL;
	int rc;

	if (volatile_keys != NULL && *volatile_keys != NULL &&
	    (j = json_loadb(raw, len, JSON_DECODE_ANY, NULL)) != NULL) {
		evidence_strip(j, volatile_keys);
		canon = json_dumps(
		    j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
		json_decref(j);
	}
	if (canon != NULL)
		rc = sha256_hex(canon, strlen(canon), key);
	else
		rc = sha256_hex(raw, len, key);
	free(canon);
	return (rc);
}

/* Stores data under its SHA-256; *sha gets the lower-case hex digest. */
int
evidence_put(const void *data, size_t len, char sha[65], char **cause)
{
	char *dir, *path, *tmp;
	struct stat sb;
	ssize_t n;
	size_t off = 0;
	int fd, rc = -1;

	if (sha256_hex(data, len, sha) == -1) {
		xasprintf(cause, "SHA-256 failed");
		return (-1);
	}
	xasprintf(&dir, "%s/evidence", daemon_state->config->state_dir);
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		xasprintf(cause, "cannot create %s: %s", dir, strerror(errno));
		free(dir);
		return (-1);
	}
	path = evidence_path(sha);
	if (stat(path, &sb) == 0 && (size_t)sb.st_size == len) {
		free(path);
		free(dir);
		return (0);
	}
	xasprintf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(
	    tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1) {
		xasprintf(cause, "cannot create %s: %s", tmp, strerror(errno));
		goto out;
	}
	while (off < len) {
		n = write(fd, (const char *)data + off, len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			xasprintf(
			    cause, "cannot write %s: %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			goto out;
		}
		off += (size_t)n;
	}
	if (fsync(fd) == -1 || close(fd) == -1 || rename(tmp, path) == -1) {
		xasprintf(cause, "cannot store %s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	/* The rename itself survives a crash once the directory is synced. */
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fsync(fd) == -1) {
		xasprintf(cause, "cannot sync %s: %s", dir, strerror(errno));
		if (fd != -1)
			close(fd);
		goto out;
	}
	close(fd);
	rc = 0;
out:
	free(tmp);
	free(path);
	free(dir);
	return (rc);
}

/* The URL template with every {product_id} replaced. */
static char *
evidence_url(const char *tmpl, const char *pid)
{
	const char *p, *q;
	char *out = xstrdup(""), *old;

	for (p = tmpl; (q = strstr(p, "{product_id}")) != NULL; p = q + 12) {
		old = out;
		xasprintf(&out, "%s%.*s%s", old, (int)(q - p), p, pid);
		free(old);
	}
	old = out;
	xasprintf(&out, "%s%s", old, p);
	free(old);
	return (out);
}

static void
evidence_fetch_free(struct evidence_fetch *f)
{
	LIST_REMOVE(f, entry);
	free(f->url);
	free(f->actor);
	free(f);
}

static void
evidence_fetched(const struct delistd_http_response *resp, void *arg)
{
	struct evidence_fetch *f = arg;
	struct st_evidence e;
	char sha[65], *cause = NULL, *why = NULL;

	memset(&e, 0, sizeof e);
	e.case_id = f->case_id;
	e.kind = (char *)"snapshot";
	e.url = f->url;
	e.at = clock_now();
	if (resp->error)
		xasprintf(&why, "%s",
		    resp->error_text ? resp->error_text : "transport error");
	else if (resp->status < 200 || resp->status > 299)
		xasprintf(&why, "HTTP %ld", resp->status);
	else if (evidence_put(resp->body, resp->body_len, sha, &cause) == -1)
		why = cause;
	else {
		e.sha256 = sha;
		e.size = (int64_t)resp->body_len;
	}
	e.error = why;
	if (f->record(f->case_id, &e, f->actor) == -1)
		log_warnx("case %lld: cannot record the snapshot of %s",
		    (long long)f->case_id, f->url);
	free(why);
	evidence_fetch_free(f);
}

/*
 * Fetches the public listing page of a case just opened (url_template "":
 * none) and gives the outcome to record.
 */
void
evidence_snapshot(int64_t case_id, const char *pid, const char *url_template,
    const char *actor, evidence_record_cb record)
{
	struct delistd_http_request req;
	struct evidence_fetch *f;
	static const char *const headers[] = { "Accept: text/html,*/*",
		"User-Agent: delistd/" PACKAGE_VERSION, NULL };
	struct st_evidence e;
	char *cause = NULL;

	if (url_template == NULL || *url_template == '\0')
		return;
	f = xcalloc(1, sizeof *f);
	f->case_id = case_id;
	f->url = evidence_url(url_template, pid);
	f->actor = xstrdup(actor);
	f->record = record;
	LIST_INSERT_HEAD(&evidence_fetches, f, entry);
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.url = f->url;
	req.headers = headers;
	if (http_start(&evidence_owner, &req, evidence_fetched, f, &cause) == 0)
		return;
	memset(&e, 0, sizeof e);
	e.case_id = case_id;
	e.kind = (char *)"snapshot";
	e.url = f->url;
	e.at = clock_now();
	e.error = cause;
	if (record(case_id, &e, actor) == -1)
		log_warnx("case %lld: cannot record the snapshot of %s",
		    (long long)case_id, f->url);
	free(cause);
	evidence_fetch_free(f);
}

/* Fetches still running are dropped (the case keeps its API answer). */
void
evidence_shutdown(void)
{
	http_cancel_owner(&evidence_owner);
	while (!LIST_EMPTY(&evidence_fetches))
		evidence_fetch_free(LIST_FIRST(&evidence_fetches));
}
