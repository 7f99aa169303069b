/* SPDX-License-Identifier: ISC */
/*
 * delistctl-scan.c: delistctl scan, the compliance scan of the catalogue
 * (POST /v1/scan), and the findings that stand after it (GET
 * /v1/listings, each listing's "at_risk").
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "delistctl.h"
#include "i18n.h"

#define SCAN_COLS 5

static const char *scan_str(const json_t *, const char *);

static const char *
scan_str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return (s != NULL ? s : "-");
}

int
ctl_scan(struct ctl_args *a)
{
	const char *shop = a->argc > 0 ? a->argv[0] : NULL;
	json_t *body, *doc, *list, *l, *f;
	char ***rows = NULL, *path;
	size_t i, j, n = 0, k;

	if (shop != NULL)
		ctl_shop_check(shop);
	body = shop != NULL ? json_pack("{s:s}", "shop", shop) : json_object();
	doc = ctl_call("POST", "/v1/scan", body);
	if (ctl.json) {
		json_decref(doc);
		return (0);
	}
	printf(_("scanned %lld listing(s): %lld at risk (%lld new finding(s), "
		 "%lld cleared); no call was made to the platform\n"),
	    (long long)json_integer_value(json_object_get(doc, "scanned")),
	    (long long)json_integer_value(json_object_get(doc, "at_risk")),
	    (long long)json_integer_value(json_object_get(doc, "raised")),
	    (long long)json_integer_value(json_object_get(doc, "cleared")));
	json_decref(doc);
	path = shop != NULL ? ctl_fmt("/v1/listings?shop=%s", shop)
			    : ctl_fmt("/v1/listings");
	list = ctl_call("GET", path, NULL);
	free(path);
	json_array_foreach (json_object_get(list, "listings"), i, l)
		n += json_array_size(json_object_get(l, "at_risk"));
	if (n > 0) {
		rows = ctl_table_new(n + 1, SCAN_COLS);
		rows[0][0] = strdup(_("SHOP"));
		rows[0][1] = strdup(_("PRODUCT ID"));
		rows[0][2] = strdup(_("WHERE"));
		rows[0][3] = strdup(_("FOUND"));
		rows[0][4] = strdup(_("WHAT TO DO"));
		k = 1;
		json_array_foreach (json_object_get(list, "listings"), i, l) {
			json_array_foreach (
			    json_object_get(l, "at_risk"), j, f) {
				rows[k][0] = strdup(scan_str(l, "shop"));
				rows[k][1] = strdup(scan_str(l, "product_id"));
				rows[k][2] = strdup(ctl_word(
				    "finding field", scan_str(f, "field")));
				rows[k][3] = strdup(scan_str(f, "quote"));
				rows[k][4] = strdup(scan_str(f, "fix"));
				k++;
			}
		}
		ctl_table(rows, n + 1, SCAN_COLS);
		ctl_table_free(rows, n + 1, SCAN_COLS);
	}
	json_decref(list);
	return (0);
}
