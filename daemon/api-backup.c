/* SPDX-License-Identifier: ISC */
/*
 * api-backup.c: the control API's backup routes (delistctl backup), on the
 * control socket only: a backup is everything, every user's data.
 *
 *   POST   /v1/backup             make the snapshot; its files and sums
 *   GET    /v1/backup/files/...   one file of the snapshot
 *   DELETE /v1/backup             remove the snapshot
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "delistd.h"
#include "api.h"
#include "backup.h"
#include "i18n.h"

static int api_backup_socket_only(struct api_req *);
static void api_backup_send(struct api_req *, const char *);

static int
api_backup_socket_only(struct api_req *r)
{
	if (!r->tcp)
		return (0);
	api_error(r, 404, "not_found",
	    _("backups are made on the control socket (delistctl backup)"));
	return (-1);
}

/* POST /v1/backup */
void
api_backup_post(struct api_req *r)
{
	struct backup_list l;
	json_t *files, *f;
	char *cause = NULL;
	size_t i;

	if (api_backup_socket_only(r) == -1)
		return;
	if (backup_snapshot(&l, &cause) == -1) {
		log_warnx("backup: %s", cause);
		api_error(r, 500, "storage", "%s", cause);
		free(cause);
		return;
	}
	files = json_array();
	for (i = 0; i < l.n; i++) {
		f = json_pack("{s:s,s:I,s:s}", "path", l.v[i].path, "size",
		    (json_int_t)l.v[i].size, "sha256", l.v[i].sha256);
		json_array_append_new(files, f);
	}
	log_info("backup: a snapshot of %zu files for delistctl backup", l.n);
	backup_list_free(&l);
	api_reply(r, 200, json_pack("{s:o}", "files", files));
}

/* One file of the snapshot, by its path in the backup. */
static void
api_backup_send(struct api_req *r, const char *rel)
{
	char *path;

	if (api_backup_socket_only(r) == -1)
		return;
	if (!backup_path_valid(rel)) {
		api_error(r, 404, "not_found", _("no such file in a backup"));
		return;
	}
	path = backup_snapshot_path(rel);
	if (api_send_file(r, path, "application/octet-stream") == -1)
		api_error(r, 404, "not_found",
		    _("%s is not in the snapshot (POST /v1/backup first)"),
		    rel);
	free(path);
}

/* GET /v1/backup/files/delistd.db */
void
api_backup_file(struct api_req *r)
{
	api_backup_send(r, r->args[0]);
}

/* GET /v1/backup/files/{documents|evidence}/{sha256} */
void
api_backup_file2(struct api_req *r)
{
	char *rel;

	xasprintf(&rel, "%s/%s", r->args[0], r->args[1]);
	api_backup_send(r, rel);
	free(rel);
}

/* DELETE /v1/backup */
void
api_backup_delete(struct api_req *r)
{
	if (api_backup_socket_only(r) == -1)
		return;
	backup_clear();
	api_reply(r, 200, json_pack("{s:b}", "removed", 1));
}
