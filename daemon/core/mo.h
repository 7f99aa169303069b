/* SPDX-License-Identifier: ISC */
/*
 * mo.h: a GNU gettext catalogue (.mo file) read by delistd itself.
 *
 * delistctl follows the reader's locale through glibc's gettext. The
 * daemon's mail speaks the language of each sink and shop instead, several
 * at once and on a server whose only locale is often C.UTF-8: glibc's
 * gettext would need the zh_CN.UTF-8 locale generated (newlocale fails
 * without it) or LANGUAGE in the environment (process-wide, set while
 * other threads read it). So the mail plugin reads delistd.mo into a
 * struct mo and looks its messages up here: same catalogue, no locale, no
 * environment. Pure: the caller reads the file.
 */

#ifndef MO_H
#define MO_H

#include <stddef.h>

struct mo;

/* The catalogue in the .mo bytes buf (copied), or NULL and *cause. */
struct mo *mo_parse(const void *buf, size_t len, char **cause);
void mo_free(struct mo *);
/* The translation of msgid, or msgid itself (also when mo is NULL). */
const char *mo_gettext(const struct mo *, const char *msgid)
    __attribute__((__format_arg__(2)));
/* The same with a context (msgctxt). */
const char *mo_pgettext(const struct mo *, const char *ctx, const char *msgid)
    __attribute__((__format_arg__(3)));
/* How many messages it holds. */
size_t mo_count(const struct mo *);

#endif
