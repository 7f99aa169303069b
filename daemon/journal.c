/* SPDX-License-Identifier: ISC */
/*
 * journal.c: an event's log line to the systemd journal with its fields,
 * CASE_ID=, SHOP=, PRODUCT_ID= and EVENT= beside MESSAGE= and PRIORITY=,
 * so that journalctl CASE_ID=42 or EVENT=case.escalated finds them. main.c
 * hands journal_send to log.c (log_set_journal) when it logs to syslog;
 * without libsystemd, or without a journal, the line goes to syslog.
 */

#include "config.h"

#include <sys/uio.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#ifdef HAVE_SYSTEMD
/* CODE_FILE= and CODE_LINE= would only ever name this file. */
#define SD_JOURNAL_SUPPRESS_LOCATION 1
#include <systemd/sd-journal.h>
#endif

#include "delistd.h"

#define JOURNAL_FIELDS 8

int
journal_send(int priority, const char *msg, const struct log_fields *f)
{
#ifdef HAVE_SYSTEMD
	const struct {
		const char *name;
		const char *value;
	} fields[] = {
		{ "CASE_ID", f->case_id },
		{ "SHOP", f->shop },
		{ "PRODUCT_ID", f->product_id },
		{ "EVENT", f->event },
	};
	struct iovec iov[JOURNAL_FIELDS];
	char *s[JOURNAL_FIELDS];
	size_t i, n = 0;
	int rc;

	xasprintf(&s[n++], "MESSAGE=%s", msg);
	xasprintf(&s[n++], "PRIORITY=%d", priority);
	xasprintf(&s[n++], "SYSLOG_IDENTIFIER=%s", DELISTD_NAME);
	xasprintf(&s[n++], "SYSLOG_FACILITY=%d", LOG_DAEMON >> 3);
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (fields[i].value != NULL)
			xasprintf(
			    &s[n++], "%s=%s", fields[i].name, fields[i].value);
	}
	for (i = 0; i < n; i++) {
		iov[i].iov_base = s[i];
		iov[i].iov_len = strlen(s[i]);
	}
	rc = sd_journal_sendv(iov, (int)n);
	for (i = 0; i < n; i++)
		free(s[i]);
	return (rc);
#else
	(void)priority;
	(void)msg;
	(void)f;
	return (-1);
#endif
}
