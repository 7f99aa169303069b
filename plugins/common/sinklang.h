/* SPDX-License-Identifier: ISC */
/*
 * sinklang.h: whom a sink's text is for, shared by the mail and chatbot
 * modules (compiled into each).
 *
 * The language of a text: the sink's language key when it sets one, else
 * the shop's (the host's shop_setting), else English. Chinese comes from
 * delistd's own catalogue, zh_CN's delistd.mo under LOCALEDIR (or
 * $DELISTD_LOCALEDIR), read at init and looked up with core's mo.c: the
 * daemon runs under the C locale, several sinks and shops speak several
 * languages at once, and glibc's gettext would need a generated locale or
 * LANGUAGE in the environment (see daemon/README, Languages).
 *
 * Times a person reads are in the shop's zone with the zone named (core's
 * tzfile.c, each zone read once): nothing sets TZ.
 */

#ifndef SINKLANG_H
#define SINKLANG_H

#include <stddef.h>

struct delistd_host;
struct delistd_host_api;
struct mo;
struct tzfile;
struct sink_zone;

struct sink_lang {
	struct delistd_host *host;
	const struct delistd_host_api *api;
	char *language; /* "zh-CN" or "en"; NULL: each shop's */
	struct mo *zh; /* the zh_CN catalogue, NULL if none was found */
	char *zh_path;
	const char *what; /* "mail", "chat messages": for the log */
	int zh_warned;
	struct sink_zone *zones;
};

/*
 * Reads the sink's language key ("zh-CN" or "en"; anything else is
 * refused with *cause) and the zh_CN catalogue (missing: said in the log
 * when a Chinese text needs it). what names the texts in that line.
 */
int sink_lang_init(struct sink_lang *, struct delistd_host *,
    const struct delistd_host_api *, const char *what, char **cause);
void sink_lang_fini(struct sink_lang *);
/*
 * The catalogue of a text about shop (NULL: several shops, or none): the
 * sink's language, else the shop's; NULL is English.
 */
const struct mo *sink_lang_mo(struct sink_lang *, const char *shop);
/* The zone of shop (NULL: the daemon's), read once; NULL if unknown. */
const struct tzfile *sink_lang_zone(struct sink_lang *, const char *shop);
/*
 * The ISO 8601 time iso for a reader of mo in zone tz: "2026-10-09 14:00
 * CST (Asia/Shanghai)", or "2026-10-09 14:00 (北京时间)" where mo has a
 * name for Beijing time. iso itself when tz is NULL or iso is not a time.
 * buf: at least TZFILE_HUMAN_LEN bytes.
 */
const char *sink_lang_when(const struct tzfile *tz, const struct mo *mo,
    const char *iso, char *buf, size_t len);

#endif
