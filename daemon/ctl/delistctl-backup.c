/* SPDX-License-Identifier: ISC */
/*
 * delistctl-backup.c: delistctl backup DIR.
 *
 * The daemon makes a snapshot while it runs (POST /v1/backup: the
 * database copied by VACUUM INTO, and the documents and evidence files)
 * and lists its files with their SHA-256 sums; each file is fetched,
 * checked against its sum and written under DIR (a new or empty
 * directory), then DIR/MANIFEST ("SHA256  PATH" lines, as sha256sum -c
 * reads them), and the snapshot is removed. delistd --restore DIR puts it
 * back.
 */

#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "delistctl.h"
#include "i18n.h"
#include "text.h"

static void backup_dir_prepare(const char *);
static void backup_write(const char *, const char *, size_t);
static int backup_rel_valid(const char *);

/* DIR: new (its parent must exist) or empty. */
static void
backup_dir_prepare(const char *dir)
{
	DIR *d;
	struct dirent *de;

	if (mkdir(dir, 0700) == 0)
		return;
	if (errno != EEXIST)
		ctl_fail(_("cannot create %s: %s"), dir, strerror(errno));
	if ((d = opendir(dir)) == NULL)
		ctl_fail(_("cannot read %s: %s"), dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0) {
			closedir(d);
			ctl_fail(_("%s is not empty: back up into a new or "
				   "empty directory"),
			    dir);
		}
	}
	closedir(d);
}

/* What the daemon may name: delistd.db, documents/HEX, evidence/HEX. */
static int
backup_rel_valid(const char *rel)
{
	const char *hex = strchr(rel, '/');

	if (strcmp(rel, "delistd.db") == 0)
		return (1);
	if (hex == NULL ||
	    (strncmp(rel, "documents/", 10) != 0 &&
		strncmp(rel, "evidence/", 9) != 0))
		return (0);
	return (
	    strlen(hex + 1) == 64 && strspn(hex + 1, "0123456789abcdef") == 64);
}

static void
backup_write(const char *path, const char *data, size_t len)
{
	size_t off = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) ==
	    -1)
		ctl_fail(_("cannot create %s: %s"), path, strerror(errno));
	while (off < len) {
		if ((n = write(fd, data + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			ctl_fail(
			    _("cannot write %s: %s"), path, strerror(errno));
		}
		off += (size_t)n;
	}
	if (fsync(fd) == -1 || close(fd) == -1)
		ctl_fail(_("cannot write %s: %s"), path, strerror(errno));
}

int
ctl_backup(struct ctl_args *a)
{
	const char *dir = a->argv[0], *rel, *want;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char sum[2 * EVP_MAX_MD_SIZE + 1], *raw, *path, *manifest = NULL;
	char *old;
	json_t *snap, *files, *f, *doc;
	size_t i, len, total = 0;
	long status;

	backup_dir_prepare(dir);
	snap = ctl_call("POST", "/v1/backup", NULL);
	files = json_object_get(snap, "files");
	path = ctl_fmt("%s/documents", dir);
	if (mkdir(path, 0700) == -1)
		ctl_fail(_("cannot create %s: %s"), path, strerror(errno));
	free(path);
	path = ctl_fmt("%s/evidence", dir);
	if (mkdir(path, 0700) == -1)
		ctl_fail(_("cannot create %s: %s"), path, strerror(errno));
	free(path);
	json_array_foreach (files, i, f) {
		rel = json_string_value(json_object_get(f, "path"));
		want = json_string_value(json_object_get(f, "sha256"));
		if (rel == NULL || want == NULL || !backup_rel_valid(rel))
			ctl_fail(_("the daemon listed a file that is not a "
				   "backup's"));
		path = ctl_fmt("/v1/backup/files/%s", rel);
		raw = NULL;
		doc = NULL;
		len = 0;
		status = ctl_request_bytes(
		    "GET", path, NULL, NULL, 0, &doc, &raw, &len);
		free(path);
		if (status != 200)
			ctl_answer(status, doc, raw);
		json_decref(doc);
		if (EVP_Digest(raw, len, md, &mdlen, EVP_sha256(), NULL) != 1)
			ctl_fail(_("cannot compute a SHA-256"));
		text_hex(md, mdlen, sum);
		if (strcmp(sum, want) != 0)
			ctl_fail(_("%s changed on its way (SHA-256 %s, the "
				   "daemon said %s): run the backup again"),
			    rel, sum, want);
		path = ctl_fmt("%s/%s", dir, rel);
		backup_write(path, raw, len);
		free(path);
		free(raw);
		total += len;
		old = manifest;
		manifest = ctl_fmt("%s%s  %s\n", old ? old : "", sum, rel);
		free(old);
	}
	path = ctl_fmt("%s/MANIFEST", dir);
	backup_write(
	    path, manifest ? manifest : "", manifest ? strlen(manifest) : 0);
	free(path);
	free(manifest);
	json_decref(ctl_call("DELETE", "/v1/backup", NULL));
	if (ctl.json) {
		json_dumpf(snap, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	} else
		printf(_("backup: %zu files, %zu bytes in %s (restore with "
			 "delistd --restore %s)\n"),
		    json_array_size(files), total, dir, dir);
	json_decref(snap);
	return (0);
}
