/* SPDX-License-Identifier: ISC */
/*
 * sinklang.c: the language and the zones of a sink's reader (sinklang.h),
 * for the mail and chatbot modules.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <delistd/plugin.h>

#include "core.h"
#include "i18n.h"
#include "mo.h"
#include "sinklang.h"
#include "tzfile.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/share/locale"
#endif
#define SINK_MO_MAX (4 * 1024 * 1024)

/* A zone read once, by name: the shops' zones. */
struct sink_zone {
	char *name;
	struct tzfile *tz;
	struct sink_zone *next;
};

static int sink_lang_has_shops(const struct sink_lang *);

int
sink_lang_init(struct sink_lang *l, struct delistd_host *host,
    const struct delistd_host_api *api, const char *what, char **cause)
{
	const char *s, *dir;
	char *buf = NULL;
	int64_t i;
	size_t len;
	int b;
	FILE *f;

	memset(l, 0, sizeof *l);
	l->host = host;
	l->api = api;
	l->what = what;
	if (api->conf_string(host, "language", &s) == 0) {
		if (strcmp(s, "zh-CN") != 0 && strcmp(s, "en") != 0) {
			cause_set(cause,
			    "language: expected \"zh-CN\" or \"en\", not "
			    "\"%.32s\"",
			    s);
			return (-1);
		}
		if ((l->language = strdup(s)) == NULL) {
			cause_set(cause, "out of memory");
			return (-1);
		}
	} else if (api->conf_int(host, "language", &i) == 0 ||
	    api->conf_bool(host, "language", &b) == 0 ||
	    api->conf_list_len(host, "language") != -1) {
		cause_set(cause, "language: expected a string");
		return (-1);
	}
	if ((dir = getenv("DELISTD_LOCALEDIR")) == NULL || *dir == '\0')
		dir = LOCALEDIR;
	if (asprintf(&l->zh_path, "%s/zh_CN/LC_MESSAGES/delistd.mo", dir) ==
	    -1) {
		l->zh_path = NULL;
		cause_set(cause, "out of memory");
		return (-1);
	}
	/* A missing catalogue is said when a Chinese text needs it. */
	if ((f = fopen(l->zh_path, "re")) == NULL)
		return (0);
	if ((buf = malloc(SINK_MO_MAX)) != NULL) {
		len = fread(buf, 1, SINK_MO_MAX, f);
		if (!ferror(f) && len < SINK_MO_MAX)
			l->zh = mo_parse(buf, len, NULL);
	}
	fclose(f);
	free(buf);
	return (0);
}

void
sink_lang_fini(struct sink_lang *l)
{
	struct sink_zone *z;

	free(l->language);
	free(l->zh_path);
	mo_free(l->zh);
	while ((z = l->zones) != NULL) {
		l->zones = z->next;
		tzfile_free(z->tz);
		free(z->name);
		free(z);
	}
	memset(l, 0, sizeof *l);
}

/* Whether the host has shop_setting (version 4). */
static int
sink_lang_has_shops(const struct sink_lang *l)
{
	return (l->api != NULL && l->api->version >= 4 &&
	    l->api->size >= offsetof(struct delistd_host_api, shop_setting) +
		    sizeof l->api->shop_setting &&
	    l->api->shop_setting != NULL);
}

const struct mo *
sink_lang_mo(struct sink_lang *l, const char *shop)
{
	const char *lang = l->language;

	if (lang == NULL && shop != NULL && sink_lang_has_shops(l))
		lang = l->api->shop_setting(l->host, shop, "language");
	if (lang == NULL || strcmp(lang, "zh-CN") != 0)
		return (NULL);
	if (l->zh == NULL && !l->zh_warned) {
		l->api->log(l->host, DELISTD_LOG_WARNING,
		    "no Chinese catalogue at %s: %s in English",
		    l->zh_path != NULL ? l->zh_path : "?", l->what);
		l->zh_warned = 1;
	}
	return (l->zh);
}

const struct tzfile *
sink_lang_zone(struct sink_lang *l, const char *shop)
{
	struct sink_zone *z;
	const char *name;

	if (!sink_lang_has_shops(l) ||
	    (name = l->api->shop_setting(l->host, shop, "timezone")) == NULL)
		return (NULL);
	for (z = l->zones; z != NULL; z = z->next) {
		if (strcmp(z->name, name) == 0)
			return (z->tz);
	}
	if ((z = calloc(1, sizeof *z)) == NULL ||
	    (z->name = strdup(name)) == NULL ||
	    (z->tz = tzfile_load(name, NULL)) == NULL) {
		if (z != NULL)
			free(z->name);
		free(z);
		return (NULL);
	}
	z->next = l->zones;
	l->zones = z;
	return (z->tz);
}

const char *
sink_lang_when(const struct tzfile *tz, const struct mo *mo, const char *iso,
    char *buf, size_t len)
{
	static const char beijing[] = N_("Beijing time");
	const char *lbl = NULL;
	time_t t;

	if (iso == NULL || tz == NULL || isotime_parse(iso, &t) != 0)
		return (iso);
	if (strcmp(tzfile_name(tz), "Asia/Shanghai") == 0 &&
	    mo_gettext(mo, beijing) != beijing)
		lbl = mo_gettext(mo, beijing);
	if (tzfile_format_human(tz, (int64_t)t, lbl, buf, len) != 0)
		return (iso);
	return (buf);
}
