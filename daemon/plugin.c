/* SPDX-License-Identifier: ISC */
/*
 * plugin.c: loading plugin modules and running their instances.
 *
 * A module comes only from plugin_dir (which others must not be able to
 * write), is opened with dlopen(RTLD_NOW | RTLD_LOCAL) and must export a
 * delistd_plugin of our ABI before any of its hooks is called. Each
 * configured block is one instance with a host handle: the table of
 * services in include/delistd/plugin.h is implemented here (on top of
 * http.c, proc.c and libevent timers). On reload, an instance whose block
 * did not change is kept; a changed one is re-created; everything an old
 * instance started is cancelled when it is finalised, and its unfinished
 * deliveries are retried by the outbox.
 *
 * It must not know what sinks or sources do with events or listings.
 */

#include "config.h"

#include <sys/stat.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "delistd.h"
#include "delistd/plugin.h"
#include "host.h"

/* Keys of a plugin block that the host reads itself. */
static const char *const plugin_host_keys[] = { "name", "module", "events",
	"min_severity", "retry_base", "retry_cap", "max_attempts", "rate",
	"burst", "daily_quota", "max_in_flight", NULL };

/* Keys that only a source's block may have (its call budget). */
static const char *const plugin_source_keys[] = { "rate", "burst",
	"daily_quota", "max_in_flight", NULL };

struct plugin_module {
	char *name;
	char *path;
	void *handle;
	const struct delistd_plugin *p;
	int refs;
	struct plugin_module *next;
};

struct delistd_timer {
	struct event *ev;
	struct delistd_host *host;
	delistd_timer_cb cb;
	void *arg;
	int64_t at; /* timer_at: due on the daemon's clock; 0: timer_add */
	struct delistd_timer *prev, *next;
};

struct delistd_host {
	char *name;
	struct config *config; /* held: its strings stay valid */
	const struct config_plugin *conf; /* the block, in config */
	const char *config_file;
	struct plugin_module *mod;
	void *instance;
	char *fingerprint;
	uint64_t generation; /* tokens of an older one are stale */
	int keys_checked;
	int key_error; /* the init cause came from conf_keys: has file:line */
	struct delistd_timer *timers;
};

static struct event_base *plugin_base;
static struct plugin_module *plugin_modules;
static struct delistd_host **plugin_instances;
static size_t plugin_ninstances;
static uint64_t plugin_generation;
/* Who hears that an instance is gone (registered at start-up, main.c). */
#define PLUGIN_GONE_MAX 4
static plugin_gone_cb plugin_gone_cbs[PLUGIN_GONE_MAX];
static size_t plugin_ngone;

static void plugin_instance_free(struct delistd_host *);
static struct delistd_timer *
host_timer_add(struct delistd_host *, int64_t, delistd_timer_cb, void *);
static void host_timer_arm(struct delistd_timer *);
static const char *
host_shop_setting(struct delistd_host *, const char *, const char *);
static void plugin_clock_changed(void *);
static void host_log(struct delistd_host *, enum delistd_log_level,
    const char *, ...) printflike(3, 4);

/* --- the host services table -------------------------------------------- */

static void
host_log(
    struct delistd_host *h, enum delistd_log_level level, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	switch (level) {
	case DELISTD_LOG_ERROR:
	case DELISTD_LOG_WARNING:
		log_warnx("%s: %s", h->name, msg);
		break;
	case DELISTD_LOG_NOTICE:
		log_notice("%s: %s", h->name, msg);
		break;
	case DELISTD_LOG_INFO:
		log_info("%s: %s", h->name, msg);
		break;
	default:
		log_debug("%s: %s", h->name, msg);
		break;
	}
	free(msg);
}

static int64_t
host_now(struct delistd_host *h)
{
	(void)h;
	return ((int64_t)clock_now());
}

static const char *
host_name(struct delistd_host *h)
{
	return (h->name);
}

static config_setting_t *
host_setting(struct delistd_host *h, const char *key)
{
	return (config_setting_get_member(
	    (const config_setting_t *)h->conf->setting, key));
}

static int
host_conf_string(struct delistd_host *h, const char *key, const char **out)
{
	config_setting_t *s = host_setting(h, key);

	if (s == NULL || config_setting_type(s) != CONFIG_TYPE_STRING)
		return (-1);
	*out = config_setting_get_string(s);
	return (0);
}

static int
host_conf_int(struct delistd_host *h, const char *key, int64_t *out)
{
	config_setting_t *s = host_setting(h, key);

	if (s == NULL ||
	    (config_setting_type(s) != CONFIG_TYPE_INT &&
		config_setting_type(s) != CONFIG_TYPE_INT64))
		return (-1);
	*out = config_setting_get_int64(s);
	return (0);
}

static int
host_conf_bool(struct delistd_host *h, const char *key, int *out)
{
	config_setting_t *s = host_setting(h, key);

	if (s == NULL || config_setting_type(s) != CONFIG_TYPE_BOOL)
		return (-1);
	*out = config_setting_get_bool(s);
	return (0);
}

static int
host_conf_duration(struct delistd_host *h, const char *key, int64_t *secs)
{
	const char *s;
	char *cause = NULL;

	if (host_conf_string(h, key, &s) == -1)
		return (-1);
	if (duration_parse(s, secs, &cause) == -1) {
		free(cause);
		return (-1);
	}
	return (0);
}

static int
host_conf_list_len(struct delistd_host *h, const char *key)
{
	config_setting_t *s = host_setting(h, key);

	if (s == NULL ||
	    (config_setting_type(s) != CONFIG_TYPE_ARRAY &&
		config_setting_type(s) != CONFIG_TYPE_LIST))
		return (-1);
	return (config_setting_length(s));
}

static const char *
host_conf_list_string(struct delistd_host *h, const char *key, int i)
{
	config_setting_t *s = host_setting(h, key), *e;

	if (s == NULL || (e = config_setting_get_elem(s, i)) == NULL ||
	    config_setting_type(e) != CONFIG_TYPE_STRING)
		return (NULL);
	return (config_setting_get_string(e));
}

static int
host_conf_keys(struct delistd_host *h, const char *const *keys, char **cause)
{
	const config_setting_t *g = h->conf->setting, *s;
	const char *name;
	size_t k;
	int i, found;

	h->keys_checked = 1;
	for (i = 0; i < config_setting_length(g); i++) {
		s = config_setting_get_elem(g, i);
		name = config_setting_name(s);
		found = 0;
		for (k = 0; plugin_host_keys[k] != NULL && !found; k++)
			found = strcmp(name, plugin_host_keys[k]) == 0;
		for (k = 0; keys != NULL && keys[k] != NULL && !found; k++)
			found = strcmp(name, keys[k]) == 0;
		if (!found) {
			h->key_error = 1;
			xasprintf(cause,
			    "%s:%d: plugins.%s.%s: unknown key for "
			    "module %s",
			    config_setting_source_file(s)
				? config_setting_source_file(s)
				: h->config_file,
			    config_setting_source_line(s), h->name, name,
			    h->mod->name);
			return (-1);
		}
	}
	return (0);
}

static char *
host_secret(struct delistd_host *h, const char *key, char **cause)
{
	const char *value;
	char buf[8192], *secret, *path;
	ssize_t n;
	size_t len;
	int fd;

	if (host_conf_string(h, key, &value) == -1) {
		xasprintf(cause, "%s is not set", key);
		return (NULL);
	}
	if (config_check_secret_file(value, cause) == -1 ||
	    (path = config_secret_path(value, cause)) == NULL)
		return (NULL);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		xasprintf(cause, "secret file %s: %s", path, strerror(errno));
		free(path);
		return (NULL);
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0) {
		xasprintf(cause, "secret file %s: %s", path, strerror(errno));
		free(path);
		return (NULL);
	}
	buf[n] = '\0';
	len = strcspn(buf, "\r\n");
	buf[len] = '\0';
	if (len == 0) {
		explicit_bzero(buf, sizeof buf);
		xasprintf(cause, "secret file %s is empty", path);
		free(path);
		return (NULL);
	}
	free(path);
	secret = xstrdup(buf);
	explicit_bzero(buf, sizeof buf);
	return (secret);
}

static void
host_secret_free(char *s)
{
	freezero_str(s);
}

static int
host_http(struct delistd_host *h, const struct delistd_http_request *req,
    delistd_http_cb cb, void *arg)
{
	char *cause = NULL;

	if (http_start(h, req, cb, arg, &cause) == -1) {
		log_warnx("%s: HTTP request not started: %s", h->name, cause);
		free(cause);
		return (-1);
	}
	return (0);
}

static int
host_smtp(struct delistd_host *h, const struct delistd_smtp_request *req,
    delistd_smtp_cb cb, void *arg)
{
	char *cause = NULL;

	if (http_start_smtp(h, req, cb, arg, &cause) == -1) {
		log_warnx("%s: SMTP transfer not started: %s", h->name, cause);
		free(cause);
		return (-1);
	}
	return (0);
}

static void
host_timer_fire(evutil_socket_t fd, short events, void *arg)
{
	struct delistd_timer *t = arg;
	struct delistd_host *h = t->host;
	delistd_timer_cb cb = t->cb;
	void *cbarg = t->arg;

	(void)fd;
	(void)events;
	/* On the daemon's clock: not yet (a test clock stands still). */
	if (t->at != 0 && clock_now() < t->at) {
		host_timer_arm(t);
		return;
	}
	if (t->prev != NULL)
		t->prev->next = t->next;
	else
		h->timers = t->next;
	if (t->next != NULL)
		t->next->prev = t->prev;
	event_free(t->ev);
	free(t);
	cb(cbarg);
}

/* A timer_at timer: due in at - now seconds of the daemon's clock. */
static void
host_timer_arm(struct delistd_timer *t)
{
	struct timeval tv = { 0, 0 };
	time_t now = clock_now();

	if (t->at > now)
		tv.tv_sec = t->at - now;
	evtimer_add(t->ev, &tv);
}

/* The test clock moved: every timer_at timer is due anew. */
static void
plugin_clock_changed(void *arg)
{
	struct delistd_timer *t;
	size_t i;

	(void)arg;
	for (i = 0; i < plugin_ninstances; i++) {
		for (t = plugin_instances[i]->timers; t != NULL; t = t->next) {
			if (t->at != 0)
				host_timer_arm(t);
		}
	}
}

static struct delistd_timer *
host_timer_at(
    struct delistd_host *h, int64_t when, delistd_timer_cb cb, void *arg)
{
	struct delistd_timer *t;

	if ((t = host_timer_add(h, 0, cb, arg)) == NULL)
		return (NULL);
	t->at = when > 0 ? when : 1;
	host_timer_arm(t);
	return (t);
}

static struct delistd_timer *
host_timer_add(
    struct delistd_host *h, int64_t ms, delistd_timer_cb cb, void *arg)
{
	struct delistd_timer *t;
	struct timeval tv;

	if (ms < 0)
		ms = 0;
	t = xcalloc(1, sizeof *t);
	t->host = h;
	t->cb = cb;
	t->arg = arg;
	if ((t->ev = evtimer_new(plugin_base, host_timer_fire, t)) == NULL) {
		free(t);
		return (NULL);
	}
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(t->ev, &tv);
	t->next = h->timers;
	if (h->timers != NULL)
		h->timers->prev = t;
	h->timers = t;
	return (t);
}

static void
host_timer_cancel(struct delistd_timer *t)
{
	struct delistd_host *h;

	if (t == NULL)
		return;
	h = t->host;
	if (t->prev != NULL)
		t->prev->next = t->next;
	else
		h->timers = t->next;
	if (t->next != NULL)
		t->next->prev = t->prev;
	event_free(t->ev);
	free(t);
}

static int
host_spawn(struct delistd_host *h, const struct delistd_spawn_request *req,
    delistd_spawn_cb cb, void *arg)
{
	char *cause = NULL;

	if (proc_spawn(h, req, cb, arg, &cause) == -1) {
		log_warnx("%s: cannot run %s: %s", h->name,
		    req->argv && req->argv[0] ? req->argv[0] : "?", cause);
		free(cause);
		return (-1);
	}
	return (0);
}

static const char *
host_shop_setting(struct delistd_host *h, const char *shop, const char *key)
{
	const struct config *conf = daemon_state->config;
	const struct config_shop *cs;

	(void)h;
	if (key == NULL)
		return (NULL);
	/* No shop: the daemon's own zone. */
	if (shop == NULL)
		return (strcmp(key, "timezone") == 0 ? conf->timezone : NULL);
	if ((cs = config_shop(conf, shop)) == NULL)
		return (NULL);
	if (strcmp(key, "timezone") == 0)
		return (cs->timezone != NULL ? cs->timezone : conf->timezone);
	if (strcmp(key, "language") == 0)
		return (cs->language);
	return (NULL);
}

static const struct delistd_host_api plugin_api = {
	.version = DELISTD_HOST_API_VERSION,
	.size = sizeof(struct delistd_host_api),
	.daemon_version = PACKAGE_VERSION,
	.log = host_log,
	.now = host_now,
	.name = host_name,
	.conf_string = host_conf_string,
	.conf_int = host_conf_int,
	.conf_bool = host_conf_bool,
	.conf_duration = host_conf_duration,
	.conf_list_len = host_conf_list_len,
	.conf_list_string = host_conf_list_string,
	.conf_keys = host_conf_keys,
	.secret = host_secret,
	.secret_free = host_secret_free,
	.http = host_http,
	.http_header = http_response_header,
	.timer_add = host_timer_add,
	.timer_cancel = host_timer_cancel,
	.spawn = host_spawn,
	.smtp = host_smtp,
	.timer_at = host_timer_at,
	.shop_setting = host_shop_setting,
};

/* --- modules and instances ---------------------------------------------- */

static struct plugin_module *
plugin_module_load(const struct config *conf, const char *name, char **cause)
{
	struct plugin_module *m;
	struct stat sb;
	const struct delistd_plugin *p;
	char *path;
	void *handle;

	for (m = plugin_modules; m != NULL; m = m->next) {
		if (strcmp(m->name, name) == 0) {
			m->refs++;
			return (m);
		}
	}
	if (strchr(name, '/') != NULL) {
		xasprintf(cause,
		    "module \"%s\": a module is a name, not a "
		    "path",
		    name);
		return (NULL);
	}
	if (stat(conf->plugin_dir, &sb) == -1) {
		xasprintf(cause, "plugin_dir %s: %s", conf->plugin_dir,
		    strerror(errno));
		return (NULL);
	}
	if (sb.st_mode & S_IWOTH) {
		xasprintf(cause,
		    "plugin_dir %s is writable by others (mode "
		    "%04o): refusing to load code from it; chmod o-w it",
		    conf->plugin_dir, (unsigned)(sb.st_mode & 07777));
		return (NULL);
	}
	xasprintf(&path, "%s/%s.so", conf->plugin_dir, name);
	if (stat(path, &sb) == -1) {
		xasprintf(cause, "module \"%s\" not found: %s: %s", name, path,
		    strerror(errno));
		free(path);
		return (NULL);
	}
	if (sb.st_mode & S_IWOTH) {
		xasprintf(cause,
		    "module %s is writable by others: refusing "
		    "to load it",
		    path);
		free(path);
		return (NULL);
	}
	dlerror();
	if ((handle = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		xasprintf(cause,
		    "module %s is not a loadable shared object: "
		    "%s",
		    path, dlerror());
		free(path);
		return (NULL);
	}
	p = dlsym(handle, DELISTD_PLUGIN_SYMBOL);
	if (p == NULL) {
		xasprintf(cause,
		    "module %s has no %s symbol: not a delistd "
		    "plugin",
		    path, DELISTD_PLUGIN_SYMBOL);
		dlclose(handle);
		free(path);
		return (NULL);
	}
	if (p->abi != DELISTD_PLUGIN_ABI) {
		xasprintf(cause,
		    "module %s was built for plugin ABI %u; this "
		    "delistd speaks ABI %u: rebuild the module against this "
		    "delistd's <delistd/plugin.h>",
		    path, (unsigned)p->abi, (unsigned)DELISTD_PLUGIN_ABI);
		dlclose(handle);
		free(path);
		return (NULL);
	}
	if (p->init == NULL || p->fini == NULL ||
	    ((p->roles & DELISTD_ROLE_SINK) && p->deliver == NULL) ||
	    ((p->roles & DELISTD_ROLE_SOURCE) &&
		(p->check == NULL || p->sweep == NULL)) ||
	    (p->roles & (DELISTD_ROLE_SINK | DELISTD_ROLE_SOURCE)) == 0) {
		xasprintf(cause, "module %s lacks a hook its roles need", path);
		dlclose(handle);
		free(path);
		return (NULL);
	}
	m = xcalloc(1, sizeof *m);
	m->name = xstrdup(name);
	m->path = path;
	m->handle = handle;
	m->p = p;
	m->refs = 1;
	m->next = plugin_modules;
	plugin_modules = m;
	log_debug("loaded module %s (%s %s)", path, p->name,
	    p->version ? p->version : "?");
	return (m);
}

static void
plugin_module_unref(struct plugin_module *m)
{
	struct plugin_module **pp;

	if (--m->refs > 0)
		return;
	for (pp = &plugin_modules; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == m) {
			*pp = m->next;
			break;
		}
	}
	dlclose(m->handle);
	free(m->name);
	free(m->path);
	free(m);
}

static struct delistd_host *
plugin_instance_new(
    struct config *conf, const struct config_plugin *pc, char **cause)
{
	struct delistd_host *h;
	struct plugin_module *m;
	const char *file;
	char *why = NULL;

	/* The block may come from an @include'd file: name that one. */
	file =
	    config_setting_source_file((const config_setting_t *)pc->setting);
	if (file == NULL)
		file = conf->path;
	if ((m = plugin_module_load(conf, pc->module, &why)) == NULL) {
		xasprintf(cause, "%s:%d: plugin %s: %s", file, pc->line,
		    pc->name, why);
		free(why);
		return (NULL);
	}
	h = xcalloc(1, sizeof *h);
	h->name = xstrdup(pc->name);
	h->conf = pc;
	h->config_file = conf->path;
	h->mod = m;
	h->fingerprint = xstrdup(pc->fingerprint);
	h->generation = ++plugin_generation;
	h->config = config_ref(conf);
	if (m->p->init(h, &plugin_api, &h->instance, &why) == -1) {
		/* A cause from conf_keys names its own file:line. */
		if (why != NULL && h->key_error)
			*cause = xstrdup(why);
		else
			xasprintf(cause, "%s:%d: plugin %s (module %s): %s",
			    file, pc->line, pc->name, pc->module,
			    why ? why : "init failed (no reason given)");
		config_free(h->config);
		free(why);
		http_cancel_owner(h);
		proc_cancel_owner(h);
		while (h->timers != NULL)
			host_timer_cancel(h->timers);
		plugin_module_unref(m);
		freezero_str(h->fingerprint);
		free(h->name);
		free(h);
		return (NULL);
	}
	if (!(m->p->roles & DELISTD_ROLE_SOURCE)) {
		size_t k;
		const config_setting_t *ks;

		for (k = 0; plugin_source_keys[k] != NULL; k++) {
			ks = config_setting_get_member(
			    (const config_setting_t *)pc->setting,
			    plugin_source_keys[k]);
			if (ks == NULL)
				continue;
			xasprintf(cause,
			    "%s:%d: plugins.%s.%s: only a source has a call "
			    "budget, and module %s is not one",
			    file, config_setting_source_line(ks), pc->name,
			    plugin_source_keys[k], pc->module);
			plugin_instance_free(h);
			return (NULL);
		}
	}
	if (!h->keys_checked)
		log_warnx(
		    "%s: module %s does not check its keys; a typo in its "
		    "block would pass unnoticed",
		    pc->name, pc->module);
	log_info("plugin %s: module %s %s ready", pc->name, m->p->name,
	    m->p->version ? m->p->version : "");
	return (h);
}

static void
plugin_instance_free(struct delistd_host *h)
{
	size_t i;

	if (h == NULL)
		return;
	/* Nothing the old instance started may call into it again. */
	http_cancel_owner(h);
	proc_cancel_owner(h);
	while (h->timers != NULL)
		host_timer_cancel(h->timers);
	h->mod->p->fini(h->instance);
	/* ... nor anything fini itself may have started. */
	http_cancel_owner(h);
	proc_cancel_owner(h);
	while (h->timers != NULL)
		host_timer_cancel(h->timers);
	/*
	 * What it had in flight will never end: its deliveries are retried
	 * (the outbox), its checks and sweeps forgotten (the scheduler).
	 */
	for (i = 0; i < plugin_ngone; i++)
		plugin_gone_cbs[i](h->name, h->generation);
	plugin_module_unref(h->mod);
	config_free(h->config);
	freezero_str(h->fingerprint);
	free(h->name);
	free(h);
}

/*
 * Calls cb with an instance's name and generation once it is finalised:
 * nothing it started will call back.
 */
void
plugin_on_gone(plugin_gone_cb cb)
{
	if (plugin_ngone == PLUGIN_GONE_MAX)
		fatalx("plugin: too many gone callbacks");
	plugin_gone_cbs[plugin_ngone++] = cb;
}

int
plugin_init(struct event_base *base)
{
	plugin_base = base;
	if (base != NULL)
		clock_on_change(plugin_clock_changed, NULL);
	return (0);
}

/*
 * Builds the instances of a configuration: unchanged blocks keep their
 * instance, others get a new one. All or nothing: on failure nothing
 * changes and *cause says why (every failing block, one per line).
 */
int
plugin_apply(struct config *conf, char **cause)
{
	struct delistd_host **next, **prev, *h;
	size_t i, j, n = conf->nplugins, prevn;
	char *why, *all = NULL, *old;
	int *kept;

	next = xcalloc(n + 1, sizeof *next);
	kept = xcalloc(plugin_ninstances + 1, sizeof *kept);
	for (i = 0; i < n; i++) {
		const struct config_plugin *pc = &conf->plugins[i];

		for (j = 0; j < plugin_ninstances; j++) {
			h = plugin_instances[j];
			if (!kept[j] && strcmp(h->name, pc->name) == 0 &&
			    strcmp(h->fingerprint, pc->fingerprint) == 0) {
				next[i] = h;
				kept[j] = 1;
				break;
			}
		}
		if (next[i] != NULL)
			continue;
		why = NULL;
		if ((next[i] = plugin_instance_new(conf, pc, &why)) == NULL) {
			old = all;
			xasprintf(&all, "%s%s%s", old ? old : "",
			    old ? "\n" : "", why);
			free(old);
			free(why);
		}
	}
	if (all != NULL) {
		/* Undo: free the new ones, keep every old one. */
		for (i = 0; i < n; i++) {
			for (j = 0; j < plugin_ninstances; j++) {
				if (next[i] == plugin_instances[j])
					break;
			}
			if (j == plugin_ninstances)
				plugin_instance_free(next[i]);
		}
		free(next);
		free(kept);
		*cause = all;
		return (-1);
	}
	/*
	 * Swap first, then close the old ones: closing reaches the outbox,
	 * which must see only live instances.
	 */
	prev = plugin_instances;
	prevn = plugin_ninstances;
	plugin_instances = next;
	plugin_ninstances = n;
	for (j = 0; j < prevn; j++) {
		if (!kept[j]) {
			log_info("plugin %s: %s", prev[j]->name,
			    "removed or changed; its instance is closed");
			plugin_instance_free(prev[j]);
		}
	}
	/*
	 * A kept instance keeps reading the configuration it was created
	 * from (identical in its block; the strings it holds stay valid).
	 */
	free(prev);
	free(kept);
	return (0);
}

void
plugin_shutdown(void)
{
	size_t i;

	for (i = 0; i < plugin_ninstances; i++)
		plugin_instance_free(plugin_instances[i]);
	free(plugin_instances);
	plugin_instances = NULL;
	plugin_ninstances = 0;
}

size_t
plugin_count(void)
{
	return (plugin_ninstances);
}

struct delistd_host *
plugin_at(size_t i)
{
	return (i < plugin_ninstances ? plugin_instances[i] : NULL);
}

struct delistd_host *
plugin_find(const char *name)
{
	size_t i;

	for (i = 0; i < plugin_ninstances; i++) {
		if (strcmp(plugin_instances[i]->name, name) == 0)
			return (plugin_instances[i]);
	}
	return (NULL);
}

const char *
plugin_name(const struct delistd_host *h)
{
	return (h->name);
}

const struct config_plugin *
plugin_config(const struct delistd_host *h)
{
	return (h->conf);
}

int
plugin_is_sink(const struct delistd_host *h)
{
	return ((h->mod->p->roles & DELISTD_ROLE_SINK) != 0);
}

int
plugin_is_source(const struct delistd_host *h)
{
	return ((h->mod->p->roles & DELISTD_ROLE_SOURCE) != 0);
}

/*
 * What the source of a shop declares about its platform (NULL: the shop
 * has no source, its source is not loaded, or it declares nothing); the
 * source's instance name in *source when that is not NULL.
 */
const struct delistd_source_info *
plugin_shop_source(
    const struct config *conf, const char *shop, const char **source)
{
	const struct config_shop *cs = config_shop(conf, shop);
	const struct delistd_source_info *si;
	struct delistd_host *h;

	if (cs == NULL || cs->source == NULL ||
	    (h = plugin_find(cs->source)) == NULL ||
	    (si = plugin_source_info(h)) == NULL)
		return (NULL);
	if (source != NULL)
		*source = h->name;
	return (si);
}

/* What a source instance's module declares (NULL: nothing, or no source). */
const struct delistd_source_info *
plugin_source_info(const struct delistd_host *h)
{
	const struct delistd_source_info *si = h->mod->p->source_info;

	if (!plugin_is_source(h) || si == NULL ||
	    si->size < offsetof(struct delistd_source_info, volatile_keys) +
		    sizeof si->volatile_keys)
		return (NULL);
	return (si);
}

/* 1 if pid has the syntax si declares (or si declares none), else 0. */
int
plugin_id_ok(const struct delistd_source_info *si, const char *pid)
{
	size_t n = strlen(pid);

	if (si == NULL || si->id_chars == NULL)
		return (1);
	return (n >= si->id_min && n <= si->id_max &&
	    strspn(pid, si->id_chars) == n);
}

uint64_t
plugin_generation_of(const struct delistd_host *h)
{
	return (h->generation);
}

int
plugin_check(struct delistd_host *h, const char *shop, const char *pid,
    delistd_check_done done, void *token)
{
	if (!plugin_is_source(h) || h->mod->p->check == NULL)
		return (-1);
	return (h->mod->p->check(h->instance, shop, pid, done, token));
}

int
plugin_sweep(struct delistd_host *h, const char *shop,
    enum delistd_status status, const char *cursor, delistd_sweep_done done,
    void *token)
{
	if (!plugin_is_source(h) || h->mod->p->sweep == NULL)
		return (-1);
	return (
	    h->mod->p->sweep(h->instance, shop, status, cursor, done, token));
}

int
plugin_deliver(struct delistd_host *h, const struct delistd_event *ev,
    delistd_deliver_done done, void *token)
{
	return (h->mod->p->deliver(h->instance, ev, done, token));
}

int
plugin_has_flush(const struct delistd_host *h)
{
	return (plugin_is_sink(h) && h->mod->p->flush != NULL);
}

/* Whether the instance offers flush (plugin.h): 1 if it was asked. */
int
plugin_flush(struct delistd_host *h, const struct delistd_event *next)
{
	if (!plugin_is_sink(h) || h->mod->p->flush == NULL)
		return (0);
	h->mod->p->flush(h->instance, next);
	return (1);
}
