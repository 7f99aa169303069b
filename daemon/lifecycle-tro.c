/* SPDX-License-Identifier: ISC */
/*
 * lifecycle-tro.c: a TRO case's court matter. The court, the docket
 * number, the parties, and the dates (filed, TRO granted, served on us,
 * TRO expiry, preliminary-injunction hearing, answer due) as dates of the
 * court's zone (tro.timezone); the funds frozen per account and currency;
 * settlement and dismissal. The answer is due answer_days (21, FRCP
 * 12(a)(1)(A)) calendar days after service, a last day on a Saturday or
 * Sunday rolled to Monday (FRCP 6(a)(1)(C); federal holidays are not
 * known: counsel confirms), and the TRO expires tro_days (14, FRCP
 * 65(b)(2)) after it was granted, unless either is set by hand. Before each
 * court date a tro.deadline reminder fires reminder_days (7, 3, 1) days
 * before at 09:00 the court's time; the last one is critical and stays a
 * condition, re-announced until the case is acknowledged (as an appeal's
 * escalation). The case still ends only on a recorded outcome
 * (lifecycle_close).
 *
 * It must not call anything above it by name (event.c fans out).
 */

#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "delistd.h"
#include "calendar.h"
#include "cases.h"
#include "event.h"
#include "i18n.h"
#include "lifecycle.h"
#include "lifecycle-private.h"

/* The hour of the court's day a reminder fires at. */
#define TRO_REMIND_HOUR 9
/* The longest text field of a matter, in bytes. */
#define TRO_TEXT_MAX 256

/* The court dates reminders are for, and what each means for people. */
static const struct {
	enum store_matter_field field;
	const char *name;
	const char *what;
} tro_deadlines[] = {
	{ MATTER_ANSWER_DUE, "answer_due",
	    N_("the answer or a Rule 12 motion is due") },
	{ MATTER_TRO_EXPIRES, "tro_expires", N_("the TRO expires") },
	{ MATTER_PI_HEARING, "pi_hearing",
	    N_("the preliminary-injunction hearing is") },
};

/* The matter's members in JSON, in the order of enum store_matter_field. */
static const char *const tro_keys[STORE_MATTER_NFIELDS] = { "court", "docket",
	"plaintiff", "counsel", "filed", "granted", "served", "tro_expires",
	"pi_hearing", "answer_due", "settled", "settlement_amount",
	"settlement_currency", "dismissed", "dismissal_note" };

/* Which fields are dates. */
static const int tro_is_date[STORE_MATTER_NFIELDS] = {
	[MATTER_FILED] = 1,
	[MATTER_GRANTED] = 1,
	[MATTER_SERVED] = 1,
	[MATTER_TRO_EXPIRES] = 1,
	[MATTER_PI_HEARING] = 1,
	[MATTER_ANSWER_DUE] = 1,
	[MATTER_SETTLED] = 1,
	[MATTER_DISMISSED] = 1,
};

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static int tro_amount_ok(const char *);
static int tro_currency_ok(const char *);
static int tro_text_ok(const char *);
static int tro_date_after(
    const struct calendar *, const char *, int64_t, int, char *, size_t);
static int tro_plan(const struct st_case *, const struct st_matter *,
    const struct calendar *, time_t);
static int tro_check(const struct lifecycle_matter_in *,
    const struct calendar *, struct lifecycle_err *);

const char *
lifecycle_matter_key(int i)
{
	return (i >= 0 && i < STORE_MATTER_NFIELDS ? tro_keys[i] : NULL);
}

/* "1234", "1234.5", "1234.50". */
static int
tro_amount_ok(const char *s)
{
	size_t i = 0, d;

	while (isdigit((unsigned char)s[i]))
		i++;
	if (i == 0 || i > 15)
		return (0);
	if (s[i] == '\0')
		return (1);
	if (s[i++] != '.')
		return (0);
	for (d = 0; isdigit((unsigned char)s[i]); i++)
		d++;
	return (s[i] == '\0' && d >= 1 && d <= 2);
}

/* "USD": three capital letters (ISO 4217). */
static int
tro_currency_ok(const char *s)
{
	return (strlen(s) == 3 && isupper((unsigned char)s[0]) &&
	    isupper((unsigned char)s[1]) && isupper((unsigned char)s[2]));
}

/* One line of at most TRO_TEXT_MAX bytes. */
static int
tro_text_ok(const char *s)
{
	const unsigned char *p;

	if (strlen(s) > TRO_TEXT_MAX)
		return (0);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return (0);
	}
	return (1);
}

/*
 * date plus days calendar days in the court's zone, into out
 * ("YYYY-MM-DD"); with roll, a last day on a day off moves to the next
 * business day (FRCP 6(a)(1)(C)). 0, or -1 if date is not a date.
 */
static int
tro_date_after(const struct calendar *cal, const char *date, int64_t days,
    int roll, char *out, size_t len)
{
	char local[CALENDAR_FORMAT_LEN], *cause = NULL;
	time_t t, r;

	if (calendar_day_start(cal, date, -(int)days, &t, &cause) == -1) {
		free(cause);
		return (-1);
	}
	if (roll && calendar_is_business_day(cal, t) == 0 &&
	    (r = calendar_add_business_days(cal, t, 0)) != (time_t)-1)
		t = r;
	if (calendar_format_local(cal, t, local, sizeof local) == -1)
		return (-1);
	snprintf(out, len, "%.10s", local);
	return (0);
}

/* Checks what the seller gave before anything changes. */
static int
tro_check(const struct lifecycle_matter_in *in, const struct calendar *cal,
    struct lifecycle_err *err)
{
	const char *v;
	char *cause = NULL;
	time_t t;
	int i;

	for (i = 0; i < STORE_MATTER_NFIELDS; i++) {
		if ((v = in->f[i]) == NULL || *v == '\0')
			continue;
		if (tro_is_date[i]) {
			if (calendar_day_start(cal, v, 0, &t, &cause) == -1) {
				free(cause);
				lifecycle_err_set(err, LIFECYCLE_ERR_BAD_DATE,
				    _("%s: \"%.32s\" is not a date "
				      "(YYYY-MM-DD)"),
				    tro_keys[i], v);
				return (-1);
			}
		} else if (i == MATTER_SETTLEMENT_AMOUNT) {
			if (!tro_amount_ok(v))
				goto amount;
		} else if (i == MATTER_SETTLEMENT_CURRENCY) {
			if (!tro_currency_ok(v))
				goto currency;
		} else if (!tro_text_ok(v)) {
			lifecycle_err_set(err, LIFECYCLE_ERR_BAD_FIELD,
			    _("%s must be one line of at most %d bytes"),
			    tro_keys[i], TRO_TEXT_MAX);
			return (-1);
		}
	}
	if ((in->f[MATTER_SETTLEMENT_AMOUNT] != NULL &&
		*in->f[MATTER_SETTLEMENT_AMOUNT] != '\0') !=
	    (in->f[MATTER_SETTLEMENT_CURRENCY] != NULL &&
		*in->f[MATTER_SETTLEMENT_CURRENCY] != '\0')) {
		lifecycle_err_set(err, LIFECYCLE_ERR_BAD_FIELD,
		    _("a settlement amount needs its currency, and the other "
		      "way round"));
		return (-1);
	}
	if (in->frozen_account == NULL)
		return (0);
	if (*in->frozen_account == '\0' || !tro_text_ok(in->frozen_account)) {
		lifecycle_err_set(err, LIFECYCLE_ERR_BAD_FIELD,
		    _("a frozen account must be named, in one line of at most "
		      "%d bytes"),
		    TRO_TEXT_MAX);
		return (-1);
	}
	if (in->frozen_amount == NULL || !tro_amount_ok(in->frozen_amount)) {
		v = in->frozen_amount;
		goto amount;
	}
	if (in->frozen_currency == NULL ||
	    !tro_currency_ok(in->frozen_currency)) {
		v = in->frozen_currency;
		goto currency;
	}
	if (in->frozen_as_of != NULL &&
	    calendar_day_start(cal, in->frozen_as_of, 0, &t, &cause) == -1) {
		free(cause);
		lifecycle_err_set(err, LIFECYCLE_ERR_BAD_DATE,
		    _("as of: \"%.32s\" is not a date (YYYY-MM-DD)"),
		    in->frozen_as_of);
		return (-1);
	}
	return (0);
amount:
	lifecycle_err_set(err, LIFECYCLE_ERR_BAD_FIELD,
	    _("bad amount \"%.32s\": digits, with at most two decimals "
	      "(1234.50)"),
	    v ? v : "");
	return (-1);
currency:
	lifecycle_err_set(err, LIFECYCLE_ERR_BAD_FIELD,
	    _("bad currency \"%.32s\": three capital letters (USD)"),
	    v ? v : "");
	return (-1);
}

/*
 * Inside the caller's transaction: the reminders before each court date
 * of an open case, planned anew (one that fired for a date stays fired).
 */
static int
tro_plan(const struct st_case *c, const struct st_matter *m,
    const struct calendar *cal, time_t now)
{
	int64_t answer_days, tro_days;
	const int64_t *rem;
	size_t nrem, i, k;
	char *cause = NULL;
	time_t t;
	int st;

	(void)config_tro(
	    lifecycle_config(), &answer_days, &tro_days, &rem, &nrem);
	if (store_tro_reminders_clear(lifecycle_store(), c->id) == -1)
		return (-1);
	st = cases_state_from_name(c->state);
	if (st < 0 || !cases_state_is_open(st))
		return (0);
	for (i = 0; i < nitems(tro_deadlines); i++) {
		if (m->f[tro_deadlines[i].field] == NULL)
			continue;
		for (k = 0; k < nrem; k++) {
			if (calendar_day_start(cal,
				m->f[tro_deadlines[i].field], (int)rem[k], &t,
				&cause) == -1) {
				free(cause);
				cause = NULL;
				continue;
			}
			t += TRO_REMIND_HOUR * 3600;
			if (t <= now)
				continue;
			if (store_tro_reminder_add(lifecycle_store(), c->id,
				tro_deadlines[i].name, rem[k], t) == -1)
				return (-1);
		}
	}
	return (0);
}

/*
 * Records (part of) the matter of a tro case: every field given replaces
 * the stored one ("" clears it), the computed dates follow, the reminders
 * are planned again, and tro.matter says what changed.
 */
int
lifecycle_matter(int64_t case_id, const struct lifecycle_matter_in *in,
    const char *actor, struct lifecycle_err *err)
{
	const struct calendar *cal;
	struct st_matter m;
	struct st_frozen f;
	struct st_case c;
	int64_t answer_days, tro_days;
	const int64_t *rem;
	size_t nrem;
	time_t now = clock_now();
	char date[16], local[CALENDAR_FORMAT_LEN];
	json_t *changed;
	int i, rc;

	cal = config_tro(
	    lifecycle_config(), &answer_days, &tro_days, &rem, &nrem);
	if (tro_check(in, cal, err) == -1)
		return (-1);
	if (lifecycle_case_begin(case_id, &c, err) == -1)
		return (-1);
	if (strcmp(c.reason, "tro") != 0) {
		lifecycle_err_set(err, LIFECYCLE_ERR_BAD_FIELD,
		    _("case %lld is not a tro case (reason %s): only a court "
		      "case has a matter; classify it tro first"),
		    (long long)case_id, c.reason);
		st_case_clear(&c);
		store_rollback(lifecycle_store());
		return (-1);
	}
	if ((rc = store_matter_get(lifecycle_store(), case_id, &m)) == -1)
		goto fail;
	changed = json_object();
	for (i = 0; i < STORE_MATTER_NFIELDS; i++) {
		if (in->f[i] == NULL)
			continue;
		free(m.f[i]);
		m.f[i] = *in->f[i] != '\0' ? xstrdup(in->f[i]) : NULL;
		json_object_set_new(changed, tro_keys[i],
		    m.f[i] ? json_string(m.f[i]) : json_null());
		if (i == MATTER_ANSWER_DUE)
			m.answer_due_given = m.f[i] != NULL;
		if (i == MATTER_TRO_EXPIRES)
			m.tro_expires_given = m.f[i] != NULL;
	}
	/* The FRCP's days, unless set by hand. */
	if (!m.answer_due_given) {
		free(m.f[MATTER_ANSWER_DUE]);
		m.f[MATTER_ANSWER_DUE] = NULL;
		if (m.f[MATTER_SERVED] != NULL &&
		    tro_date_after(cal, m.f[MATTER_SERVED], answer_days, 1,
			date, sizeof date) == 0)
			m.f[MATTER_ANSWER_DUE] = xstrdup(date);
	}
	if (!m.tro_expires_given) {
		free(m.f[MATTER_TRO_EXPIRES]);
		m.f[MATTER_TRO_EXPIRES] = NULL;
		if (m.f[MATTER_GRANTED] != NULL &&
		    tro_date_after(cal, m.f[MATTER_GRANTED], tro_days, 0, date,
			sizeof date) == 0)
			m.f[MATTER_TRO_EXPIRES] = xstrdup(date);
	}
	m.updated_at = now;
	if (store_matter_put(lifecycle_store(), case_id, &m) == -1)
		goto fail_m;
	if (in->frozen_account != NULL) {
		if (in->frozen_as_of == NULL) {
			if (calendar_format_local(
				cal, now, local, sizeof local) == -1)
				goto fail_m;
			snprintf(date, sizeof date, "%.10s", local);
		}
		f.account = (char *)in->frozen_account;
		f.currency = (char *)in->frozen_currency;
		f.amount = (char *)in->frozen_amount;
		f.as_of = (char *)(in->frozen_as_of ? in->frozen_as_of : date);
		if (store_frozen_put(lifecycle_store(), case_id, &f) == -1)
			goto fail_m;
		json_object_set_new(changed, "frozen",
		    json_pack("{s:s,s:s,s:s,s:s}", "account", f.account,
			"currency", f.currency, "amount", f.amount, "as_of",
			f.as_of));
	}
	if (tro_plan(&c, &m, cal, now) == -1)
		goto fail_m;
	json_object_set_new(changed, "answer_due",
	    m.f[MATTER_ANSWER_DUE] ? json_string(m.f[MATTER_ANSWER_DUE])
				   : json_null());
	json_object_set_new(changed, "tro_expires",
	    m.f[MATTER_TRO_EXPIRES] ? json_string(m.f[MATTER_TRO_EXPIRES])
				    : json_null());
	if (lifecycle_event(&c, now, actor, CASES_EV_TRO_MATTER, CASES_SEV_INFO,
		changed,
		"case %lld: the court matter%s%s was recorded; answer due "
		"%s, TRO expires %s (%s; FRCP counting: confirm the dates "
		"with counsel)",
		(long long)case_id, m.f[MATTER_DOCKET] ? " " : "",
		m.f[MATTER_DOCKET] ? m.f[MATTER_DOCKET] : "",
		m.f[MATTER_ANSWER_DUE] ? m.f[MATTER_ANSWER_DUE] : "-",
		m.f[MATTER_TRO_EXPIRES] ? m.f[MATTER_TRO_EXPIRES] : "-",
		calendar_tz(cal)) == -1)
		goto fail_m;
	st_matter_clear(&m);
	st_case_clear(&c);
	return (lifecycle_commit(err));
fail_m:
	st_matter_clear(&m);
fail:
	st_case_clear(&c);
	return (lifecycle_store_fail(err));
}

/*
 * A case's matter (the API, the case's detail and the dossier): its
 * fields, frozen funds and reminders, and the court's zone. 0, 1 when
 * the case has none, -1 on a store error; free with
 * lifecycle_matter_free.
 */
int
lifecycle_matter_get(int64_t case_id, struct lifecycle_matter *out)
{
	const struct calendar *cal;
	int64_t answer_days, tro_days;
	const int64_t *rem;
	size_t nrem;
	int rc;

	memset(out, 0, sizeof *out);
	cal = config_tro(
	    lifecycle_config(), &answer_days, &tro_days, &rem, &nrem);
	out->timezone = calendar_tz(cal);
	if ((rc = store_matter_get(lifecycle_store(), case_id, &out->m)) != 0)
		return (rc);
	if (store_frozen(lifecycle_store(), case_id, &out->frozen,
		&out->nfrozen) == -1 ||
	    store_tro_reminders(lifecycle_store(), case_id, 0, &out->reminders,
		&out->nreminders) == -1) {
		lifecycle_matter_free(out);
		return (-1);
	}
	return (0);
}

void
lifecycle_matter_free(struct lifecycle_matter *mt)
{
	st_matter_clear(&mt->m);
	st_frozen_free(mt->frozen, mt->nfrozen);
	st_tro_reminders_free(mt->reminders, mt->nreminders);
	memset(mt, 0, sizeof *mt);
}

/* A reminder before a court date fell due (STORE_DUE_TRO). */
int
lifecycle_tro_fire(int64_t id)
{
	const struct calendar *cal;
	struct st_tro_reminder *r = NULL;
	struct st_matter m;
	struct st_case c;
	int64_t answer_days, tro_days;
	const int64_t *rem;
	size_t nrem, n = 0, i;
	enum cases_severity sev;
	int st, rc = 0;

	cal = config_tro(
	    lifecycle_config(), &answer_days, &tro_days, &rem, &nrem);
	if (store_begin(lifecycle_store()) == -1)
		return (-1);
	if (store_tro_reminders(lifecycle_store(), 0, id, &r, &n) == -1)
		goto fail;
	if (n == 0 || store_case_get(lifecycle_store(), r[0].case_id, &c) != 0)
		goto fired;
	st = cases_state_from_name(c.state);
	memset(&m, 0, sizeof m);
	if (st < 0 || !cases_state_is_open(st) ||
	    store_matter_get(lifecycle_store(), c.id, &m) != 0) {
		st_case_clear(&c);
		goto fired;
	}
	for (i = 0; i < nitems(tro_deadlines); i++) {
		if (strcmp(tro_deadlines[i].name, r[0].deadline) == 0)
			break;
	}
	if (i < nitems(tro_deadlines) && m.f[tro_deadlines[i].field] != NULL) {
		/* The last reminder is critical, re-announced as an escalation. */
		sev = nrem > 0 && r[0].days <= rem[nrem - 1]
		    ? CASES_SEV_CRITICAL
		    : CASES_SEV_WARNING;
		rc =
		    lifecycle_event(&c, r[0].due_at, "daemon",
			CASES_EV_TRO_DEADLINE, sev,
			json_pack("{s:s,s:s,s:I,s:s,s:o,s:o}", "deadline",
			    r[0].deadline, "date", m.f[tro_deadlines[i].field],
			    "days", (json_int_t)r[0].days, "timezone",
			    calendar_tz(cal), "docket",
			    m.f[MATTER_DOCKET] ? json_string(m.f[MATTER_DOCKET])
					       : json_null(),
			    "court",
			    m.f[MATTER_COURT] ? json_string(m.f[MATTER_COURT])
					      : json_null()),
			"case %lld (%s%s%s): %s %s (%s), in %lld day(s): "
			"act through counsel now (an answer or a Rule 12 "
			"motion, a motion to dissolve, or a settlement); a "
			"missed answer date ends in default",
			(long long)c.id,
			m.f[MATTER_DOCKET] ? m.f[MATTER_DOCKET]
					   : _("no docket"),
			m.f[MATTER_COURT] ? ", " : "",
			m.f[MATTER_COURT] ? m.f[MATTER_COURT] : "",
			_(tro_deadlines[i].what), m.f[tro_deadlines[i].field],
			calendar_tz(cal), (long long)r[0].days) == -1
		    ? -1
		    : 0;
	}
	st_matter_clear(&m);
	st_case_clear(&c);
	if (rc == -1)
		goto fail;
fired:
	st_tro_reminders_free(r, n);
	if (store_due_fired(lifecycle_store(), STORE_DUE_TRO, id) == -1 ||
	    store_commit(lifecycle_store()) == -1) {
		store_rollback(lifecycle_store());
		return (-1);
	}
	lifecycle_published();
	return (0);
fail:
	st_tro_reminders_free(r, n);
	store_rollback(lifecycle_store());
	return (-1);
}

/*
 * Inside lifecycle_close's transaction: the court's outcome goes in the
 * matter too (dismissed or settled on the day, with the note), and no
 * reminder is left to fire.
 */
int
lifecycle_matter_outcome(
    const struct st_case *c, const char *outcome, const char *note, time_t at)
{
	const struct calendar *cal;
	struct st_matter m;
	int64_t answer_days, tro_days;
	const int64_t *rem;
	size_t nrem;
	char local[CALENDAR_FORMAT_LEN], date[16];
	int rc;

	cal = config_tro(
	    lifecycle_config(), &answer_days, &tro_days, &rem, &nrem);
	if (store_tro_reminders_clear(lifecycle_store(), c->id) == -1)
		return (-1);
	if ((rc = store_matter_get(lifecycle_store(), c->id, &m)) == -1)
		return (-1);
	if (calendar_format_local(cal, at, local, sizeof local) == -1)
		snprintf(local, sizeof local, "%s", "");
	snprintf(date, sizeof date, "%.10s", local);
	if (strcmp(outcome, "dismissed") == 0 &&
	    m.f[MATTER_DISMISSED] == NULL) {
		m.f[MATTER_DISMISSED] = xstrdup(date);
		if (m.f[MATTER_DISMISSAL_NOTE] == NULL && note != NULL)
			m.f[MATTER_DISMISSAL_NOTE] = xstrdup(note);
	} else if (strcmp(outcome, "settled") == 0 &&
	    m.f[MATTER_SETTLED] == NULL)
		m.f[MATTER_SETTLED] = xstrdup(date);
	else {
		st_matter_clear(&m);
		return (0);
	}
	m.updated_at = clock_now();
	rc = store_matter_put(lifecycle_store(), c->id, &m);
	st_matter_clear(&m);
	return (rc);
}
