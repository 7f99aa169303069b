/* SPDX-License-Identifier: ISC */
/*
 * test_journal.c: an event's line reaches the journal with its fields
 * (log.c's log_event through journal.c). sd_journal_sendv is wrapped at
 * link time (-Wl,--wrap), so what would go to journald is seen here.
 */

#include "config.h"

#include <sys/uio.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "delistd.h"

#ifdef HAVE_SYSTEMD
int __wrap_sd_journal_sendv(const struct iovec *, int);

static char sent[16][256];
static int nsent, ncalls, answer;

int
__wrap_sd_journal_sendv(const struct iovec *iov, int n)
{
	int i;

	ncalls++;
	nsent = 0;
	for (i = 0; i < n && i < 16; i++) {
		snprintf(sent[i], sizeof sent[i], "%.*s", (int)iov[i].iov_len,
		    (const char *)iov[i].iov_base);
		nsent++;
	}
	return (answer);
}

static int
has(const char *field)
{
	int i;

	for (i = 0; i < nsent; i++) {
		if (strcmp(sent[i], field) == 0)
			return (1);
	}
	return (0);
}

static void
test_event_fields(void **state)
{
	const struct log_fields f = { "42", "main", "1005001234567890",
		"case.escalated" };

	(void)state;
	ncalls = 0;
	log_event(LOG_LEVEL_WARNING, 0, &f, "case.escalated main/%s: %s",
	    "1005001234567890", "no answer");
	assert_int_equal(ncalls, 1);
	assert_true(has("MESSAGE=case.escalated main/1005001234567890: "
			"no answer"));
	assert_true(has("PRIORITY=4"));
	assert_true(has("SYSLOG_IDENTIFIER=delistd"));
	assert_true(has("CASE_ID=42"));
	assert_true(has("SHOP=main"));
	assert_true(has("PRODUCT_ID=1005001234567890"));
	assert_true(has("EVENT=case.escalated"));
}

static void
test_critical_without_case(void **state)
{
	const struct log_fields f = { NULL, "main", NULL, "delivery.dead" };

	(void)state;
	ncalls = 0;
	log_event(LOG_LEVEL_ERROR, 1, &f, "delivery.dead");
	assert_int_equal(ncalls, 1);
	assert_true(has("PRIORITY=2"));
	assert_true(has("EVENT=delivery.dead"));
	assert_false(has("CASE_ID="));
	assert_int_equal(nsent, 6);
}

static void
test_below_the_level_nothing(void **state)
{
	const struct log_fields f = { "1", "main", NULL, "case.note" };

	(void)state;
	ncalls = 0;
	log_event(LOG_LEVEL_DEBUG, 0, &f, "not logged at info");
	assert_int_equal(ncalls, 0);
}

static void
test_no_journal_falls_back(void **state)
{
	const struct log_fields f = { "1", "main", NULL, "case.opened" };

	(void)state;
	ncalls = 0;
	answer = -ENOENT; /* no journald: the line goes to syslog instead */
	log_event(LOG_LEVEL_INFO, 0, &f, "case.opened");
	assert_int_equal(ncalls, 1);
	answer = 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_fields),
		cmocka_unit_test(test_critical_without_case),
		cmocka_unit_test(test_below_the_level_nothing),
		cmocka_unit_test(test_no_journal_falls_back),
	};

	log_init(0, LOG_LEVEL_INFO);
	log_set_journal(journal_send);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
#else
int
main(void)
{
	printf("1..0 # SKIP built without libsystemd: no journal fields\n");
	return (0);
}
#endif
