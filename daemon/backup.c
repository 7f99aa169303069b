/* SPDX-License-Identifier: ISC */
/*
 * backup.c: delistctl backup and delistd --restore.
 *
 * A backup is a directory: delistd.db (a VACUUM INTO copy of the store),
 * documents/<sha256> (the vault), evidence/<sha256> (the archived pages),
 * and MANIFEST, one "SHA256  PATH" line per file, as sha256sum(1) writes
 * and checks them. While the daemon runs, backup_snapshot makes it in
 * state_dir/backup/ at one instant of the event loop (the database copy,
 * and hard links to the files, which are content-addressed and never
 * rewritten) and lists each file with its sum; the API serves the files
 * and delistctl writes the directory. backup_restore checks every sum of
 * a backup, then copies it into an empty state directory.
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

#include "delistd.h"
#include "backup.h"
#include "i18n.h"

static const char *const backup_dirs[] = { "documents", "evidence" };
#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static int backup_remove_tree(const char *);
static int backup_copy(const char *, const char *, char **);
static int backup_dir_empty(const char *, char **);
static void
backup_add(struct backup_list *, const char *, const char *, char **);

/* "delistd.db", or documents/ or evidence/ and a SHA-256 in hex. */
int
backup_path_valid(const char *rel)
{
	const char *slash;
	size_t i, len;

	if (strcmp(rel, BACKUP_DB) == 0)
		return (1);
	if ((slash = strchr(rel, '/')) == NULL)
		return (0);
	for (i = 0; i < nitems(backup_dirs); i++) {
		len = strlen(backup_dirs[i]);
		if ((size_t)(slash - rel) == len &&
		    strncmp(rel, backup_dirs[i], len) == 0 &&
		    strlen(slash + 1) == 64 &&
		    strspn(slash + 1, "0123456789abcdef") == 64)
			return (1);
	}
	return (0);
}

char *
backup_snapshot_path(const char *rel)
{
	char *path;

	xasprintf(&path, "%s/backup%s%s", daemon_state->config->state_dir,
	    rel != NULL ? "/" : "", rel != NULL ? rel : "");
	return (path);
}

/* Removes dir, its files and its subdirectories' files (one level down). */
static int
backup_remove_tree(const char *dir)
{
	DIR *d;
	struct dirent *de;
	char *path;
	int rc = 0;

	if ((d = opendir(dir)) == NULL)
		return (errno == ENOENT ? 0 : -1);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		xasprintf(&path, "%s/%s", dir, de->d_name);
		if (unlink(path) == -1 &&
		    (errno != EISDIR || backup_remove_tree(path) == -1) &&
		    errno != ENOENT)
			rc = -1;
		free(path);
	}
	closedir(d);
	if (rmdir(dir) == -1 && errno != ENOENT)
		rc = -1;
	return (rc);
}

void
backup_clear(void)
{
	char *snap = backup_snapshot_path(NULL);

	if (backup_remove_tree(snap) == -1)
		log_warn("backup: cannot remove %s", snap);
	free(snap);
}

void
backup_list_free(struct backup_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Adds the snapshot's file rel, with its size and sum, to l. */
static void
backup_add(
    struct backup_list *l, const char *snap, const char *rel, char **cause)
{
	struct backup_file *f;
	char *path;

	if (*cause != NULL)
		return;
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	f = &l->v[l->n];
	xasprintf(&path, "%s/%s", snap, rel);
	if (sha256_file(path, f->sha256, &f->size) == -1) {
		xasprintf(
		    cause, _("cannot read %s: %s"), path, strerror(errno));
		free(path);
		return;
	}
	free(path);
	f->path = xstrdup(rel);
	l->n++;
}

int
backup_snapshot(struct backup_list *l, char **cause)
{
	const char *state = daemon_state->config->state_dir;
	char *snap, *src, *dst, *rel;
	DIR *d;
	struct dirent *de;
	size_t i;

	memset(l, 0, sizeof *l);
	*cause = NULL;
	backup_clear();
	snap = backup_snapshot_path(NULL);
	if (mkdir(snap, 0700) == -1) {
		xasprintf(
		    cause, _("cannot create %s: %s"), snap, strerror(errno));
		free(snap);
		return (-1);
	}
	xasprintf(&dst, "%s/%s", snap, BACKUP_DB);
	if (store_vacuum_into(daemon_state->store, dst, cause) == -1) {
		free(dst);
		goto fail;
	}
	free(dst);
	backup_add(l, snap, BACKUP_DB, cause);
	for (i = 0; i < nitems(backup_dirs) && *cause == NULL; i++) {
		xasprintf(&dst, "%s/%s", snap, backup_dirs[i]);
		xasprintf(&src, "%s/%s", state, backup_dirs[i]);
		if (mkdir(dst, 0700) == -1)
			xasprintf(cause, _("cannot create %s: %s"), dst,
			    strerror(errno));
		free(dst);
		d = *cause == NULL ? opendir(src) : NULL;
		free(src);
		if (d == NULL)
			continue; /* none stored yet */
		while (*cause == NULL && (de = readdir(d)) != NULL) {
			xasprintf(&rel, "%s/%s", backup_dirs[i], de->d_name);
			if (!backup_path_valid(rel)) {
				free(rel); /* ".", "..", a temporary file */
				continue;
			}
			xasprintf(&src, "%s/%s", state, rel);
			xasprintf(&dst, "%s/%s", snap, rel);
			if (link(src, dst) == -1)
				xasprintf(cause, _("cannot link %s: %s"), src,
				    strerror(errno));
			else
				backup_add(l, snap, rel, cause);
			free(src);
			free(dst);
			free(rel);
		}
		closedir(d);
	}
	if (*cause == NULL) {
		free(snap);
		return (0);
	}
fail:
	free(snap);
	backup_list_free(l);
	backup_clear();
	return (-1);
}

/* 1 when dir has no entry, 0 when it has one, -1 (*cause) on an error. */
static int
backup_dir_empty(const char *dir, char **cause)
{
	DIR *d;
	struct dirent *de;
	int empty = 1;

	if ((d = opendir(dir)) == NULL) {
		xasprintf(cause, _("cannot read %s: %s"), dir, strerror(errno));
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			empty = 0;
	}
	closedir(d);
	return (empty);
}

/* Copies src to dst (new, mode 0600) and syncs it. */
static int
backup_copy(const char *src, const char *dst, char **cause)
{
	char buf[65536];
	ssize_t n, w, off;
	int in, out;

	if ((in = open(src, O_RDONLY | O_CLOEXEC)) == -1) {
		xasprintf(cause, _("cannot read %s: %s"), src, strerror(errno));
		return (-1);
	}
	if ((out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) ==
	    -1) {
		xasprintf(
		    cause, _("cannot create %s: %s"), dst, strerror(errno));
		close(in);
		return (-1);
	}
	while ((n = read(in, buf, sizeof buf)) > 0) {
		for (off = 0; off < n; off += w) {
			if ((w = write(out, buf + off, n - off)) == -1)
				goto fail;
		}
	}
	if (n == -1 || fsync(out) == -1)
		goto fail;
	close(in);
	if (close(out) == -1) {
		xasprintf(
		    cause, _("cannot write %s: %s"), dst, strerror(errno));
		return (-1);
	}
	return (0);
fail:
	xasprintf(
	    cause, _("cannot copy %s to %s: %s"), src, dst, strerror(errno));
	close(in);
	close(out);
	return (-1);
}

int
backup_restore(const char *dir, const char *state, size_t *nfiles, char **cause)
{
	struct backup_list l = { NULL, 0 };
	char line[1024], sum[SHA256_HEX_LEN], *path, *dst;
	int64_t size;
	FILE *fp;
	size_t i, lineno = 0;
	int has_db = 0, lock_fd = -1, rc = -1;

	*cause = NULL;
	xasprintf(&path, "%s/MANIFEST", dir);
	if ((fp = fopen(path, "r")) == NULL) {
		xasprintf(cause, _("%s: %s (not a delistctl backup?)"), path,
		    strerror(errno));
		free(path);
		return (-1);
	}
	/* Every line "SUM  PATH"; every file there and with its sum. */
	while (*cause == NULL && fgets(line, sizeof line, fp) != NULL) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (strlen(line) < 67 ||
		    strspn(line, "0123456789abcdef") != 64 ||
		    strncmp(line + 64, "  ", 2) != 0 ||
		    !backup_path_valid(line + 66)) {
			xasprintf(cause,
			    _("%s:%zu: not a \"SHA256  PATH\" line"), path,
			    lineno);
			break;
		}
		l.v = xreallocarray(l.v, l.n + 1, sizeof *l.v);
		l.v[l.n].path = xstrdup(line + 66);
		memcpy(l.v[l.n].sha256, line, 64);
		l.v[l.n].sha256[64] = '\0';
		has_db |= strcmp(line + 66, BACKUP_DB) == 0;
		l.n++;
	}
	fclose(fp);
	if (*cause == NULL && !has_db)
		xasprintf(cause, _("%s names no %s"), path, BACKUP_DB);
	free(path);
	for (i = 0; i < l.n && *cause == NULL; i++) {
		xasprintf(&path, "%s/%s", dir, l.v[i].path);
		if (sha256_file(path, sum, &size) == -1)
			xasprintf(cause, _("cannot read %s: %s"), path,
			    strerror(errno));
		else if (strcmp(sum, l.v[i].sha256) != 0)
			xasprintf(cause,
			    _("%s: its SHA-256 is not the manifest's: the backup "
			      "is damaged, nothing was restored"),
			    path);
		free(path);
	}
	if (*cause != NULL)
		goto out;

	/* Only into an empty state directory, which is then ours (locked). */
	if (mkdir(state, 0700) == -1 && errno != EEXIST) {
		xasprintf(cause, _("cannot create state dir %s: %s"), state,
		    strerror(errno));
		goto out;
	}
	switch (backup_dir_empty(state, cause)) {
	case -1:
		goto out;
	case 0:
		xasprintf(cause,
		    _("state dir %s is not empty: restore only into an empty "
		      "one (never over a live daemon's); nothing was restored"),
		    state);
		goto out;
	}
	if (store_lock(state, &lock_fd, cause) == -1)
		goto out;
	for (i = 0; i < nitems(backup_dirs); i++) {
		xasprintf(&dst, "%s/%s", state, backup_dirs[i]);
		if (mkdir(dst, 0700) == -1 && *cause == NULL)
			xasprintf(cause, _("cannot create %s: %s"), dst,
			    strerror(errno));
		free(dst);
	}
	for (i = 0; i < l.n && *cause == NULL; i++) {
		xasprintf(&path, "%s/%s", dir, l.v[i].path);
		xasprintf(&dst, "%s/%s", state, l.v[i].path);
		backup_copy(path, dst, cause);
		free(path);
		free(dst);
	}
	if (*cause == NULL) {
		*nfiles = l.n;
		rc = 0;
	}
out:
	if (lock_fd != -1)
		close(lock_fd);
	backup_list_free(&l);
	return (rc);
}
