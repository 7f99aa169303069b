/* SPDX-License-Identifier: ISC */
/*
 * backup.h: delistctl backup's snapshot and delistd --restore (backup.c).
 */

#ifndef BACKUP_H
#define BACKUP_H

#include <stddef.h>
#include <stdint.h>

#define BACKUP_DB "delistd.db"

struct backup_file {
	char *path; /* "delistd.db", "documents/<sha256>", "evidence/..." */
	int64_t size;
	char sha256[65];
};

struct backup_list {
	struct backup_file *v;
	size_t n;
};

int backup_path_valid(const char *);
char *backup_snapshot_path(const char *);
int backup_snapshot(struct backup_list *, char **);
void backup_clear(void);
void backup_list_free(struct backup_list *);
int backup_restore(const char *, const char *, size_t *, char **);

/* api-backup.c: its routes. */
struct api_req;
void api_backup_post(struct api_req *);
void api_backup_file(struct api_req *);
void api_backup_file2(struct api_req *);
void api_backup_delete(struct api_req *);

#endif
