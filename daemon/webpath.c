/* SPDX-License-Identifier: ISC */
/*
 * webpath.c: the web console's pure parts (web.h): listen addresses,
 * static file names and types, cookies, roles, user names and the login
 * throttle. No socket, no store: the unit tests run it as is.
 */

#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "delistd.h"
#include "web.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static const char *const web_roles[] = {
	[WEB_ROLE_VIEWER] = "viewer",
	[WEB_ROLE_OPERATOR] = "operator",
	[WEB_ROLE_ADMIN] = "admin",
};
_Static_assert(nitems(web_roles) == WEB_ROLE_COUNT, "one name per role");

static const struct {
	const char *ext;
	const char *type;
} web_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".json", "application/json; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/vnd.microsoft.icon" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".woff2", "font/woff2" },
};

int
web_addr_parse(const char *s, char *host, size_t len, int *port, char **cause)
{
	const char *colon, *h = s, *p;
	size_t hlen;
	char *end;
	long v;

	if (*s == '[') {
		if ((colon = strstr(s, "]:")) == NULL)
			goto bad;
		h = s + 1;
		hlen = (size_t)(colon - h);
		p = colon + 2;
	} else {
		if ((colon = strrchr(s, ':')) == NULL ||
		    memchr(s, ':', (size_t)(colon - s)) != NULL)
			goto bad;
		hlen = (size_t)(colon - s);
		p = colon + 1;
	}
	if (hlen == 0 || hlen >= len || *p == '\0')
		goto bad;
	v = strtol(p, &end, 10);
	if (*end != '\0' || !isdigit((unsigned char)*p) || v < 0 || v > 65535)
		goto bad;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	*port = (int)v;
	return (0);
bad:
	xasprintf(cause,
	    "\"%s\" is not an address like \"127.0.0.1:8470\" or "
	    "\"[::1]:8470\"",
	    s);
	return (-1);
}

int
web_addr_loopback(const char *host)
{
	return (strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0 ||
	    strcmp(host, "localhost") == 0);
}

char *
web_path_file(const char *path)
{
	const char *p, *seg;
	size_t n;

	if (path[0] != '/' || strchr(path, '\\') != NULL)
		return (NULL);
	if (path[1] == '\0')
		return (xstrdup("index.html"));
	for (seg = path + 1;; seg = p + 1) {
		p = strchr(seg, '/');
		n = p ? (size_t)(p - seg) : strlen(seg);
		/* Empty, ".", ".." or hidden: not a file of ours. */
		if (n == 0 || seg[0] == '.')
			return (NULL);
		if (p == NULL)
			break;
	}
	return (xstrdup(path + 1));
}

const char *
web_content_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i;

	for (i = 0; dot != NULL && i < nitems(web_types); i++) {
		if (strcasecmp(dot, web_types[i].ext) == 0)
			return (web_types[i].type);
	}
	return ("application/octet-stream");
}

char *
web_cookie(const char *header, const char *name)
{
	const char *p = header, *end;
	size_t n = strlen(name);

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == ';')
			p++;
		end = strchr(p, ';');
		if (strncmp(p, name, n) == 0 && p[n] == '=')
			return (end ? xstrndup(p + n + 1,
					  (size_t)(end - p - (ptrdiff_t)n - 1))
				    : xstrdup(p + n + 1));
		p = end;
	}
	return (NULL);
}

int
web_role_from_name(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < nitems(web_roles); i++) {
		if (strcmp(s, web_roles[i]) == 0)
			return ((int)i);
	}
	return (-1);
}

const char *
web_role_name(enum web_role r)
{
	return ((size_t)r < nitems(web_roles) ? web_roles[r] : "?");
}

int
web_name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 32 || !isalnum((unsigned char)s[0]))
		return (0);
	for (i = 0; i < n; i++) {
		if (!(islower((unsigned char)s[i]) ||
			isdigit((unsigned char)s[i]) || s[i] == '.' ||
			s[i] == '_' || s[i] == '-'))
			return (0);
	}
	return (1);
}

time_t
web_throttle_locked(const struct web_throttle *t, time_t now)
{
	return (t->locked_until > now ? t->locked_until - now : 0);
}

int
web_throttle_fail(struct web_throttle *t, size_t max, time_t now)
{
	size_t i, j;

	if (max == 0 || max > WEB_FAIL_MAX_ADDR)
		max = WEB_FAIL_MAX_ADDR;
	/* Forget the failures older than the window. */
	for (i = j = 0; i < t->nfails; i++) {
		if (now - t->fails[i] < WEB_FAIL_WINDOW)
			t->fails[j++] = t->fails[i];
	}
	t->nfails = j;
	if (t->nfails >= max) {
		memmove(t->fails, t->fails + 1, (max - 1) * sizeof *t->fails);
		t->nfails = max - 1;
	}
	t->fails[t->nfails++] = now;
	if (t->nfails < max || t->locked_until > now)
		return (0);
	t->locked_until = now + WEB_LOCK_SECS;
	t->nfails = 0;
	return (1);
}

void
web_throttle_reset(struct web_throttle *t)
{
	t->nfails = 0;
	t->locked_until = 0;
}
