/* SPDX-License-Identifier: ISC */
/*
 * fake_smtp.c: an SMTP server for the integration tests.
 *
 * usage: fake_smtp --port-file FILE --dir DIR [--log FILE]
 *            [--cert FILE --key FILE [--tls-port-file FILE]]
 *            [--user NAME --password-file FILE [--mechs "PLAIN LOGIN"]]
 *            [--mode-file FILE]
 *            [--timeout SECONDS]
 *
 * Listens on 127.0.0.1 on a port the kernel picks and writes it to the
 * port file (renamed into place, so a test may poll for it). With a
 * certificate and key it offers STARTTLS there, and with --tls-port-file
 * it also listens for implicit TLS (smtps) on a second port. With --user
 * it offers AUTH PLAIN and LOGIN (or only the --mechs given) and refuses
 * MAIL before a successful AUTH (530); the password is read from the file
 * and never printed.
 *
 * It speaks EHLO, HELO, STARTTLS, AUTH, MAIL, RCPT, DATA, RSET, NOOP and
 * QUIT, several transactions per connection. Each accepted message is
 * written to DIR/N.eml (the message, dots unstuffed, CRLF as received)
 * and DIR/N.env (from=, rcpt= one line per recipient, tls=0|1,
 * auth=PLAIN|LOGIN|-), both renamed into place, .env last. The log gets
 * one line per reply that is not 2xx/3xx, and one per message:
 *
 *   n=1 from=a@b rcpt=c@d,e@f tls=1 auth=PLAIN size=1234
 *   refused stage=mail code=451
 *
 * How it answers is read from the mode file (if any) at each stage: words
 * STAGE=ACTION, where STAGE is connect, mail, rcpt, data (the DATA
 * command) or end (the final dot), and ACTION a reply code (451, 550,
 * ...), "hang" (never answer) or "drop" (close the connection). "ok" or
 * an absent file: everything is accepted.
 *
 * It exits on SIGTERM or SIGINT, or after --timeout seconds (600).
 */

#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/listener.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "fake.h"

#define LINE_MAX_LEN 4096
#define MESSAGE_MAX (16 * 1024 * 1024)
#define RCPT_MAX 100

enum conn_state {
	ST_CMD,
	ST_DATA,
	ST_AUTH_PLAIN,
	ST_AUTH_USER,
	ST_AUTH_PASS,
	ST_DEAD, /* hanging or closing: input is ignored */
};

struct conn {
	struct bufferevent *bev;
	enum conn_state state;
	int tls;
	int ehlo;
	const char *auth; /* the mechanism that succeeded, or NULL */
	char login_user[512];
	char *from;
	char *rcpt[RCPT_MAX];
	int nrcpt;
	struct evbuffer *data;
	int closing;
};

static struct event_base *base;
static SSL_CTX *ssl_ctx;
static const char *dir;
static const char *mode_file;
static FILE *logfp;
static char *user;
static char *password;
static const char *mechs = "PLAIN LOGIN";
static unsigned long nmessages;

static void conn_free(struct conn *);
static void conn_drop(struct conn *);
static void on_read(struct bufferevent *, void *);
static void on_event(struct bufferevent *, short, void *);

static void
usage(void)
{
	fprintf(stderr,
	    "usage: fake_smtp --port-file FILE --dir DIR [--log FILE] "
	    "[--cert FILE --key FILE [--tls-port-file FILE]] [--user NAME "
	    "--password-file FILE [--mechs LIST]] [--mode-file FILE] "
	    "[--timeout SECONDS]\n");
	exit(2);
}

static void
logline(const char *fmt, ...) __attribute__((__format__(__printf__, 1, 2)));

static void
logline(const char *fmt, ...)
{
	va_list ap;

	if (logfp == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(logfp, fmt, ap);
	va_end(ap);
	fputc('\n', logfp);
	fflush(logfp);
}

/* What the mode file says for a stage: 0 (go on), a code, -1 hang, -2 drop. */
static int
mode_for(const char *stage)
{
	char buf[512], *tok, *save, *eq;
	size_t len = strlen(stage);
	FILE *f;
	int action = 0;

	if (mode_file == NULL || (f = fopen(mode_file, "r")) == NULL)
		return (0);
	if (fgets(buf, sizeof buf, f) == NULL)
		buf[0] = '\0';
	fclose(f);
	for (tok = strtok_r(buf, " \t\r\n", &save); tok != NULL;
	     tok = strtok_r(NULL, " \t\r\n", &save)) {
		if ((eq = strchr(tok, '=')) == NULL ||
		    (size_t)(eq - tok) != len || strncmp(tok, stage, len) != 0)
			continue;
		if (strcmp(eq + 1, "hang") == 0)
			action = -1;
		else if (strcmp(eq + 1, "drop") == 0)
			action = -2;
		else
			action = atoi(eq + 1);
	}
	return (action);
}

static void reply(struct conn *c, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

static void
reply(struct conn *c, const char *fmt, ...)
{
	struct evbuffer *out = bufferevent_get_output(c->bev);
	va_list ap;

	va_start(ap, fmt);
	evbuffer_add_vprintf(out, fmt, ap);
	va_end(ap);
	evbuffer_add(out, "\r\n", 2);
}

/* Applies the mode of a stage; 1 if it answered (or hung) for it. */
static int
stage(struct conn *c, const char *name)
{
	int a = mode_for(name);

	if (a == 0)
		return (0);
	if (a == -1) {
		logline("refused stage=%s code=hang", name);
		c->state = ST_DEAD;
		return (1);
	}
	if (a == -2) {
		logline("refused stage=%s code=drop", name);
		conn_drop(c);
		return (1);
	}
	logline("refused stage=%s code=%d", name, a);
	reply(c, "%d fake_smtp refuses %s as told", a, name);
	return (1);
}

static void
reset(struct conn *c)
{
	int i;

	free(c->from);
	c->from = NULL;
	for (i = 0; i < c->nrcpt; i++)
		free(c->rcpt[i]);
	c->nrcpt = 0;
	evbuffer_drain(c->data, evbuffer_get_length(c->data));
}

static void
conn_free(struct conn *c)
{
	reset(c);
	evbuffer_free(c->data);
	bufferevent_free(c->bev);
	free(c);
}

static void
conn_drop_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	conn_free(arg);
}

/* Closes without a word, once the current callback has returned. */
static void
conn_drop(struct conn *c)
{
	struct timeval tv = { 0, 0 };

	c->state = ST_DEAD;
	c->closing = 2;
	bufferevent_setcb(c->bev, NULL, NULL, NULL, NULL);
	bufferevent_disable(c->bev, EV_READ | EV_WRITE);
	event_base_once(base, -1, EV_TIMEOUT, conn_drop_cb, c, &tv);
}

/* Decodes base64 into out (NUL-terminated); the length, or -1. */
static int
unbase64(const char *in, unsigned char *out, size_t outlen)
{
	size_t len = strlen(in);
	int n;

	if (len == 0 || len % 4 != 0 || len / 4 * 3 + 1 > outlen)
		return (-1);
	if ((n = EVP_DecodeBlock(out, (const unsigned char *)in, (int)len)) < 0)
		return (-1);
	if (len >= 1 && in[len - 1] == '=')
		n--;
	if (len >= 2 && in[len - 2] == '=')
		n--;
	out[n] = '\0';
	return (n);
}

static void
auth_result(struct conn *c, const char *mech, const char *u, const char *p)
{
	c->state = ST_CMD;
	if (user != NULL && strcmp(u, user) == 0 && strcmp(p, password) == 0) {
		c->auth = mech;
		reply(c, "235 2.7.0 authenticated");
	} else {
		logline("refused stage=auth code=535 mech=%s", mech);
		reply(c, "535 5.7.8 authentication failed");
	}
}

/* "\0user\0password" (an authorisation id may come first). */
static void
auth_plain(struct conn *c, const char *b64)
{
	unsigned char buf[1024];
	const char *u, *p;
	int n;

	if ((n = unbase64(b64, buf, sizeof buf)) < 2) {
		c->state = ST_CMD;
		reply(c, "501 5.5.2 bad base64");
		return;
	}
	u = memchr(buf, '\0', (size_t)n);
	if (u == NULL || u + 1 >= (const char *)buf + n) {
		c->state = ST_CMD;
		reply(c, "501 5.5.2 bad PLAIN");
		return;
	}
	u++;
	p = u + strlen(u) + 1;
	if (p > (const char *)buf + n) {
		c->state = ST_CMD;
		reply(c, "501 5.5.2 bad PLAIN");
		return;
	}
	auth_result(c, "PLAIN", u, p);
}

static void
cmd_auth(struct conn *c, const char *arg)
{
	unsigned char buf[512];
	char mech[32];
	const char *init;
	size_t n;

	if (user == NULL) {
		reply(c, "502 5.5.1 no AUTH here");
		return;
	}
	if (c->auth != NULL) {
		reply(c, "503 5.5.1 already authenticated");
		return;
	}
	n = strcspn(arg, " ");
	if (n >= sizeof mech)
		n = sizeof mech - 1;
	memcpy(mech, arg, n);
	mech[n] = '\0';
	init = arg + strcspn(arg, " ");
	init += strspn(init, " ");
	if (mech[0] == '\0' || strcasestr(mechs, mech) == NULL) {
		reply(c, "504 5.5.4 unknown mechanism");
		return;
	}
	if (strcasecmp(mech, "PLAIN") == 0) {
		if (*init != '\0' && strcmp(init, "=") != 0)
			auth_plain(c, init);
		else {
			c->state = ST_AUTH_PLAIN;
			reply(c, "334 ");
		}
	} else if (strcasecmp(mech, "LOGIN") == 0) {
		if (*init != '\0') {
			if (unbase64(init, buf, sizeof buf) < 0) {
				reply(c, "501 5.5.2 bad base64");
				return;
			}
			snprintf(c->login_user, sizeof c->login_user, "%s",
			    (char *)buf);
			c->state = ST_AUTH_PASS;
			reply(c, "334 UGFzc3dvcmQ6");
		} else {
			c->state = ST_AUTH_USER;
			reply(c, "334 VXNlcm5hbWU6");
		}
	} else
		reply(c, "504 5.5.4 unknown mechanism");
}

static void
auth_line(struct conn *c, const char *line)
{
	unsigned char buf[512];

	if (strcmp(line, "*") == 0) {
		c->state = ST_CMD;
		reply(c, "501 5.0.0 AUTH aborted");
		return;
	}
	switch (c->state) {
	case ST_AUTH_PLAIN:
		auth_plain(c, line);
		break;
	case ST_AUTH_USER:
		if (unbase64(line, buf, sizeof buf) < 0) {
			c->state = ST_CMD;
			reply(c, "501 5.5.2 bad base64");
			return;
		}
		snprintf(
		    c->login_user, sizeof c->login_user, "%s", (char *)buf);
		c->state = ST_AUTH_PASS;
		reply(c, "334 UGFzc3dvcmQ6");
		break;
	case ST_AUTH_PASS:
		if (unbase64(line, buf, sizeof buf) < 0) {
			c->state = ST_CMD;
			reply(c, "501 5.5.2 bad base64");
			return;
		}
		auth_result(c, "LOGIN", c->login_user, (char *)buf);
		break;
	default:
		break;
	}
}

/* The address in "FROM:<a@b> SIZE=1" (the brackets' content). */
static char *
path_of(const char *arg)
{
	const char *lt = strchr(arg, '<'), *gt;

	if (lt == NULL || (gt = strchr(lt, '>')) == NULL)
		return (NULL);
	return (strndup(lt + 1, (size_t)(gt - lt - 1)));
}

static int
write_file(const char *name, const void *p, size_t len)
{
	char path[4096], tmp[4200];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		return (-1);
	if (fwrite(p, 1, len, f) != len) {
		fclose(f);
		return (-1);
	}
	if (fclose(f) != 0 || rename(tmp, path) == -1)
		return (-1);
	return (0);
}

static void
message_done(struct conn *c)
{
	struct evbuffer *env = evbuffer_new();
	size_t len = evbuffer_get_length(c->data), elen;
	char name[64], rcpts[4096];
	int i;

	c->state = ST_CMD;
	if (stage(c, "end")) {
		reset(c);
		evbuffer_free(env);
		return;
	}
	nmessages++;
	rcpts[0] = '\0';
	evbuffer_add_printf(env, "from=%s\n", c->from);
	for (i = 0; i < c->nrcpt; i++) {
		evbuffer_add_printf(env, "rcpt=%s\n", c->rcpt[i]);
		snprintf(rcpts + strlen(rcpts), sizeof rcpts - strlen(rcpts),
		    "%s%s", i ? "," : "", c->rcpt[i]);
	}
	evbuffer_add_printf(
	    env, "tls=%d\nauth=%s\n", c->tls, c->auth ? c->auth : "-");
	snprintf(name, sizeof name, "%lu.eml", nmessages);
	elen = evbuffer_get_length(env);
	if (write_file(name, evbuffer_pullup(c->data, -1), len) == -1) {
		reply(c, "451 4.3.0 cannot write the message");
		evbuffer_free(env);
		reset(c);
		return;
	}
	snprintf(name, sizeof name, "%lu.env", nmessages);
	if (write_file(name, evbuffer_pullup(env, -1), elen) == -1) {
		reply(c, "451 4.3.0 cannot write the envelope");
		evbuffer_free(env);
		reset(c);
		return;
	}
	logline("n=%lu from=%s rcpt=%s tls=%d auth=%s size=%zu", nmessages,
	    c->from, rcpts, c->tls, c->auth ? c->auth : "-", len);
	reply(c, "250 2.0.0 OK queued as %lu", nmessages);
	evbuffer_free(env);
	reset(c);
}

static void
data_line(struct conn *c, const char *line, size_t len)
{
	if (len == 1 && line[0] == '.') {
		message_done(c);
		return;
	}
	if (line[0] == '.') {
		line++;
		len--;
	}
	if (evbuffer_get_length(c->data) + len > MESSAGE_MAX) {
		c->state = ST_DEAD;
		reply(c, "552 5.3.4 message too big");
		return;
	}
	evbuffer_add(c->data, line, len);
	evbuffer_add(c->data, "\r\n", 2);
}

static void
starttls(struct conn *c)
{
	struct bufferevent *tls;
	SSL *ssl;

	if (ssl_ctx == NULL || c->tls) {
		reply(c, "502 5.5.1 no STARTTLS here");
		return;
	}
	reply(c, "220 2.0.0 ready for TLS");
	if ((ssl = SSL_new(ssl_ctx)) == NULL ||
	    (tls = bufferevent_openssl_filter_new(base, c->bev, ssl,
		 BUFFEREVENT_SSL_ACCEPTING,
		 BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS)) == NULL) {
		fprintf(stderr, "fake_smtp: cannot start TLS\n");
		exit(1);
	}
	/* Anything pipelined after STARTTLS is dropped (RFC 3207). */
	evbuffer_drain(bufferevent_get_input(c->bev),
	    evbuffer_get_length(bufferevent_get_input(c->bev)));
	c->bev = tls;
	c->tls = 1;
	c->ehlo = 0;
	c->auth = NULL;
	reset(c);
	bufferevent_setcb(tls, on_read, NULL, on_event, c);
	bufferevent_enable(tls, EV_READ | EV_WRITE);
}

static void
command(struct conn *c, char *line)
{
	char verb[16], *arg;
	size_t vl = strcspn(line, " ");

	snprintf(verb, sizeof verb, "%.*s", (int)(vl < 15 ? vl : 15), line);
	arg = line + vl;
	arg += strspn(arg, " ");

	if (strcasecmp(verb, "EHLO") == 0) {
		c->ehlo = 1;
		reset(c);
		reply(c, "250-fake_smtp greets %s", *arg ? arg : "you");
		reply(c, "250-8BITMIME");
		reply(c, "250-PIPELINING");
		if (ssl_ctx != NULL && !c->tls)
			reply(c, "250-STARTTLS");
		if (user != NULL)
			reply(c, "250-AUTH %s", mechs);
		reply(c, "250 SIZE %d", MESSAGE_MAX);
	} else if (strcasecmp(verb, "HELO") == 0) {
		c->ehlo = 1;
		reset(c);
		reply(c, "250 fake_smtp");
	} else if (strcasecmp(verb, "STARTTLS") == 0)
		starttls(c);
	else if (strcasecmp(verb, "AUTH") == 0)
		cmd_auth(c, arg);
	else if (strcasecmp(verb, "MAIL") == 0) {
		if (!c->ehlo)
			reply(c, "503 5.5.1 EHLO first");
		else if (user != NULL && c->auth == NULL)
			reply(c, "530 5.7.0 authentication required");
		else if (c->from != NULL)
			reply(c, "503 5.5.1 nested MAIL");
		else if (stage(c, "mail"))
			;
		else if ((c->from = path_of(arg)) == NULL)
			reply(c, "501 5.1.7 bad sender");
		else
			reply(c, "250 2.1.0 OK");
	} else if (strcasecmp(verb, "RCPT") == 0) {
		if (c->from == NULL)
			reply(c, "503 5.5.1 MAIL first");
		else if (c->nrcpt >= RCPT_MAX)
			reply(c, "452 4.5.3 too many recipients");
		else if (stage(c, "rcpt"))
			;
		else if ((c->rcpt[c->nrcpt] = path_of(arg)) == NULL)
			reply(c, "501 5.1.3 bad recipient");
		else {
			c->nrcpt++;
			reply(c, "250 2.1.5 OK");
		}
	} else if (strcasecmp(verb, "DATA") == 0) {
		if (c->nrcpt == 0)
			reply(c, "503 5.5.1 RCPT first");
		else if (stage(c, "data"))
			;
		else {
			c->state = ST_DATA;
			reply(c, "354 end with <CRLF>.<CRLF>");
		}
	} else if (strcasecmp(verb, "RSET") == 0) {
		reset(c);
		reply(c, "250 2.0.0 OK");
	} else if (strcasecmp(verb, "NOOP") == 0)
		reply(c, "250 2.0.0 OK");
	else if (strcasecmp(verb, "QUIT") == 0) {
		reply(c, "221 2.0.0 bye");
		c->state = ST_DEAD;
		c->closing = 1;
	} else
		reply(c, "500 5.5.2 unknown command");
}

static void
on_write(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	(void)bev;
	if (c->closing == 1)
		conn_free(c);
}

static void
on_read(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct bufferevent *was = bev;
	char *line;
	size_t len;

	while ((line = evbuffer_readln(in, &len, EVBUFFER_EOL_CRLF)) != NULL) {
		if (c->state == ST_DEAD) {
			free(line);
			continue;
		}
		if (len > LINE_MAX_LEN && c->state != ST_DATA) {
			free(line);
			reply(c, "500 5.5.6 line too long");
			continue;
		}
		switch (c->state) {
		case ST_CMD:
			command(c, line);
			break;
		case ST_DATA:
			data_line(c, line, len);
			break;
		default:
			auth_line(c, line);
			break;
		}
		free(line);
		/* STARTTLS swapped the bufferevent; a drop freed c. */
		if (c->bev != was || c->closing)
			break;
	}
}

static void
on_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		conn_free(arg);
}

static void
on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct conn *c;
	int implicit = arg != NULL;

	(void)l;
	(void)sa;
	(void)salen;
	if ((c = calloc(1, sizeof *c)) == NULL ||
	    (c->data = evbuffer_new()) == NULL) {
		fprintf(stderr, "fake_smtp: out of memory\n");
		exit(1);
	}
	if (implicit)
		c->bev = bufferevent_openssl_socket_new(base, fd,
		    SSL_new(ssl_ctx), BUFFEREVENT_SSL_ACCEPTING,
		    BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	else
		c->bev = bufferevent_socket_new(
		    base, fd, BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	if (c->bev == NULL) {
		fprintf(stderr, "fake_smtp: bufferevent failed\n");
		exit(1);
	}
	c->tls = implicit;
	bufferevent_setcb(c->bev, on_read, on_write, on_event, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	switch (mode_for("connect")) {
	case 0:
		reply(c, "220 fake_smtp ESMTP ready");
		break;
	case -1:
		logline("refused stage=connect code=hang");
		c->state = ST_DEAD;
		break;
	case -2:
		logline("refused stage=connect code=drop");
		conn_free(c);
		break;
	default:
		logline("refused stage=connect code=%d", mode_for("connect"));
		reply(c, "%d fake_smtp refuses the connection",
		    mode_for("connect"));
		c->state = ST_DEAD;
		break;
	}
}

static struct evconnlistener *
listen_on(const char *port_file, void *arg)
{
	struct evconnlistener *l;
	struct sockaddr_in sin;
	socklen_t slen = sizeof sin;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = evconnlistener_new_bind(base, on_accept, arg,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 16,
	    (struct sockaddr *)&sin, sizeof sin);
	if (l == NULL ||
	    getsockname(evconnlistener_get_fd(l), (struct sockaddr *)&sin,
		&slen) == -1) {
		fprintf(
		    stderr, "fake_smtp: cannot listen: %s\n", strerror(errno));
		exit(1);
	}
	if (fake_write_port(port_file, ntohs(sin.sin_port)) == -1) {
		fprintf(
		    stderr, "fake_smtp: %s: %s\n", port_file, strerror(errno));
		exit(1);
	}
	return (l);
}

static char *
read_password(const char *path)
{
	char buf[512];
	FILE *f;

	if ((f = fopen(path, "r")) == NULL ||
	    fgets(buf, sizeof buf, f) == NULL) {
		fprintf(stderr, "fake_smtp: cannot read %s\n", path);
		exit(2);
	}
	fclose(f);
	buf[strcspn(buf, "\r\n")] = '\0';
	return (strdup(buf));
}

static void
on_stop(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	event_base_loopbreak(base);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port-file", required_argument, NULL, 'p' },
		{ "tls-port-file", required_argument, NULL, 'P' },
		{ "dir", required_argument, NULL, 'd' },
		{ "log", required_argument, NULL, 'l' },
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "user", required_argument, NULL, 'u' },
		{ "password-file", required_argument, NULL, 'w' },
		{ "mode-file", required_argument, NULL, 'm' },
		{ "mechs", required_argument, NULL, 'M' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	const char *port_file = NULL, *tls_port_file = NULL, *cert = NULL;
	const char *key = NULL, *log_path = NULL, *pwfile = NULL;
	struct evconnlistener *l1, *l2 = NULL;
	struct event *sigterm, *sigint, *timer;
	struct timeval tv = { 600, 0 };
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			port_file = optarg;
			break;
		case 'P':
			tls_port_file = optarg;
			break;
		case 'd':
			dir = optarg;
			break;
		case 'l':
			log_path = optarg;
			break;
		case 'c':
			cert = optarg;
			break;
		case 'k':
			key = optarg;
			break;
		case 'u':
			user = optarg;
			break;
		case 'w':
			pwfile = optarg;
			break;
		case 'm':
			mode_file = optarg;
			break;
		case 'M':
			mechs = optarg;
			break;
		case 't':
			tv.tv_sec = atol(optarg);
			break;
		default:
			usage();
		}
	}
	if (port_file == NULL || dir == NULL ||
	    (cert == NULL) != (key == NULL) ||
	    (tls_port_file != NULL && cert == NULL) ||
	    (user == NULL) != (pwfile == NULL) || tv.tv_sec <= 0)
		usage();
	if (user != NULL)
		password = read_password(pwfile);
	if (log_path != NULL && (logfp = fopen(log_path, "a")) == NULL) {
		fprintf(
		    stderr, "fake_smtp: %s: %s\n", log_path, strerror(errno));
		return (2);
	}
	signal(SIGPIPE, SIG_IGN);
	if (cert != NULL) {
		if ((ssl_ctx = SSL_CTX_new(TLS_server_method())) == NULL ||
		    SSL_CTX_use_certificate_chain_file(ssl_ctx, cert) != 1 ||
		    SSL_CTX_use_PrivateKey_file(
			ssl_ctx, key, SSL_FILETYPE_PEM) != 1) {
			fprintf(stderr, "fake_smtp: cannot load %s and %s\n",
			    cert, key);
			ERR_print_errors_fp(stderr);
			return (2);
		}
	}
	if ((base = event_base_new()) == NULL)
		return (1);
	l1 = listen_on(port_file, NULL);
	if (tls_port_file != NULL)
		l2 = listen_on(tls_port_file, (void *)1);
	sigterm = evsignal_new(base, SIGTERM, on_stop, NULL);
	sigint = evsignal_new(base, SIGINT, on_stop, NULL);
	timer = evtimer_new(base, on_stop, NULL);
	evsignal_add(sigterm, NULL);
	evsignal_add(sigint, NULL);
	evtimer_add(timer, &tv);
	event_base_dispatch(base);
	evconnlistener_free(l1);
	if (l2 != NULL)
		evconnlistener_free(l2);
	event_free(sigterm);
	event_free(sigint);
	event_free(timer);
	event_base_free(base);
	if (ssl_ctx != NULL)
		SSL_CTX_free(ssl_ctx);
	free(password);
	if (logfp != NULL)
		fclose(logfp);
	return (0);
}
