/* SPDX-License-Identifier: ISC */
/*
 * json.c: the shell's JSON pieces shared by the API, the lifecycle and
 * the event bus: a time as the API writes it, a compliance-scan finding.
 */

#include "config.h"

#include <time.h>

#include <jansson.h>

#include "delistd.h"

/* A time as ISO 8601 UTC, or JSON null for 0 (not set). */
json_t *
json_time(time_t t)
{
	char buf[ISOTIME_LEN];

	if (t == 0)
		return (json_null());
	return (json_string(isotime_format(t, buf, sizeof buf)));
}

/*
 * A standing compliance-scan finding, {"code","term","field","quote",
 * "fix","raised_at"}: GET /v1/listings "at_risk" and the digest's.
 */
json_t *
json_finding(const struct st_finding *f)
{
	return (json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}", "code", f->code, "term",
	    f->term, "field", f->field, "quote", f->quote, "fix", f->fix,
	    "raised_at", json_time(f->raised_at)));
}
