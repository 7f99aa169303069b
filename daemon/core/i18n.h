/* SPDX-License-Identifier: ISC */
/*
 * i18n.h: the marks of a string a person reads.
 *
 * _("text") is translated where it is used; N_("text") marks a string in
 * a static table, translated where it is printed (with _(table[i])).
 * English is the source language. JSON keys, event type names, finding
 * codes and syslog lines are interfaces: never marked.
 */
#ifndef DELISTD_I18N_H
#define DELISTD_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)
/* N_ with a context, for a word that means more than one thing
 * (NC_("state", "open")); xgettext: --keyword=NC_:1c,2. */
#define NC_(c, s) (s)
/* An event's format (lifecycle_event's, see daemon/README) in a branch of
 * ?:, which xgettext does not follow: each branch wrapped in EV_. */
#define EV_(s) (s)

#endif
