/* SPDX-License-Identifier: ISC */
/*
 * main.c: delistd's start-up, signals, reload and shutdown.
 *
 * Start-up order: arguments; the configuration (all of it valid, or exit 1
 * naming file:line); the state dir lock and the control socket (so a second
 * daemon is refused on the terminal); then, unless in the foreground or
 * supervised by systemd, a fork whose parent waits until the child is ready
 * or has failed and exits accordingly; the event loop, the store and the API;
 * READY=1. TERM/INT stop gracefully; HUP reloads (a new configuration is
 * swapped in only if valid).
 */

#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "delistd.h"
#include "api.h"
#include "backup.h"
#include "event.h"
#include "host.h"
#include "lifecycle.h"
#include "text.h"
#include "scheduler.h"
#include "vault.h"
#include "i18n.h"

#ifndef DELISTD_CONF
#define DELISTD_CONF "/etc/delistd/delistd.conf"
#endif

static int startup_pipe = -1;
static int lock_fd = -1;
static struct event *ev_term, *ev_int, *ev_hup, *ev_deadline;

static __dead void usage(int);
static __dead void startup_fail(const char *);
static void daemonize(void);
static void on_signal(evutil_socket_t, short, void *);
static void on_deadline(evutil_socket_t, short, void *);
static void daemon_stop(void);
static void daemon_status(const char *);
static int check_plugins(struct config *);
static int main_restore(const char *, struct config *);
static int daemon_reload(char **);

/* The configuration builds the web listener's TLS context with these. */
static const struct config_tls_ops main_tls = { tls_ctx_new, tls_ctx_free };
static void on_idle(void);
static void log_lines(const char *);

static const struct option longopts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "builtin-config", no_argument, NULL, 'C' },
	{ "foreground", no_argument, NULL, 'f' },
	{ "check-config", no_argument, NULL, 't' },
	{ "dump-config", no_argument, NULL, 'T' },
	{ "restore", required_argument, NULL, 'R' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static __dead void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: delistd [-CftTVh] [-c file] [--restore dir]\n"
	    "  -c, --config FILE      configuration file (default %s)\n"
	    "  -C, --builtin-config   use the built-in configuration "
	    "(state and socket under ./state)\n"
	    "  -f, --foreground       stay in the foreground, log to stderr\n"
	    "  -t, --check-config     check the configuration and exit\n"
	    "  -T, --dump-config      check it, print it with every default "
	    "filled in, and exit\n"
	    "  --restore DIR          restore a delistctl backup into the "
	    "empty state directory\n"
	    "  -V, --version          print the version and exit\n"
	    "  -h, --help             print this help and exit\n",
	    DELISTD_CONF);
	exit(status);
}

/* delistd -t: every plugin instance is created and closed again. */
static int
check_plugins(struct config *conf)
{
	struct event_base *base;
	char *cause = NULL;
	int rc = 0;

	if (conf->nplugins == 0)
		return (0);
	if ((base = event_base_new()) == NULL)
		fatalx("cannot create an event loop");
	if (http_init(base, 8, &cause) == -1 || proc_init(base, &cause) == -1)
		fatalx("%s", cause);
	plugin_init(base);
	if (plugin_apply(conf, &cause) == -1) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		rc = -1;
	}
	plugin_shutdown();
	proc_shutdown();
	http_shutdown();
	event_base_free(base);
	return (rc);
}

/* A start-up failure after the fork: logged, and told to the parent. */
static __dead void
startup_fail(const char *cause)
{
	log_warnx("%s", cause);
	if (startup_pipe != -1) {
		(void)!write(startup_pipe, cause, strlen(cause));
		close(startup_pipe);
	}
	exit(1);
}

static void
startup_done(void)
{
	int fd;

	if (startup_pipe == -1)
		return;
	(void)!write(startup_pipe, "", 1);
	close(startup_pipe);
	startup_pipe = -1;
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
}

/*
 * The parent waits for the child's word: nothing but a NUL byte means ready
 * (exit 0); text is the reason it failed (printed, exit 1).
 */
static void
daemonize(void)
{
	int fds[2];
	pid_t pid;
	char buf[1024];
	ssize_t n;
	size_t off = 0;

	if (pipe2(fds, O_CLOEXEC) == -1)
		fatal("pipe");
	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid != 0) {
		close(fds[1]);
		while (off < sizeof buf - 1 &&
		    (n = read(fds[0], buf + off, sizeof buf - 1 - off)) > 0)
			off += n;
		buf[off] = '\0';
		if (off == 1 && buf[0] == '\0')
			_exit(0);
		fprintf(stderr, "delistd: %s\n",
		    off ? buf : "exited during start-up (see syslog)");
		_exit(1);
	}
	close(fds[0]);
	startup_pipe = fds[1];
	if (setsid() == -1)
		fatal("setsid");
	if (chdir("/") == -1)
		fatal("chdir");
}

/* One log message per line of a multi-line error (one per config error). */
static void
log_lines(const char *text)
{
	const char *p = text, *nl;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		log_warnx("%.*s", nl ? (int)(nl - p) : (int)strlen(p), p);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

static void
daemon_status(const char *what)
{
	struct store_counts c;

	if (store_counts(daemon_state->store, &c) == -1)
		memset(&c, 0, sizeof c);
	notify_status("%s: %lld listings tracked, %lld open cases", what,
	    (long long)c.listings, (long long)c.cases_open);
}

/*
 * Builds a new configuration and swaps it in only if it is valid and does
 * not change what needs a restart. *cause says why not.
 */
static int
daemon_reload(char **cause)
{
	struct config *new, *old = daemon_state->config;
	char *why = NULL;

	notify_reloading();
	log_info("reloading %s", daemon_state->config_path);
	if (daemon_state->builtin_config)
		new = config_load_string(
		    daemon_state->config_path, config_builtin, &why);
	else
		new = config_load(daemon_state->config_path, &why);
	if (new != NULL) {
		if (strcmp(new->state_dir, old->state_dir) != 0)
			xasprintf(&why,
			    "%s: state_dir changed (%s -> %s); "
			    "restart delistd to move it",
			    daemon_state->config_path, old->state_dir,
			    new->state_dir);
		else if (strcmp(new->socket, old->socket) != 0)
			xasprintf(&why,
			    "%s: socket changed (%s -> %s); "
			    "restart delistd to move it",
			    daemon_state->config_path, old->socket,
			    new->socket);
		else if ((new->socket_group == NULL) !=
			(old->socket_group == NULL) ||
		    (new->socket_group !=
			NULL &&strcmp(new->socket_group, old->socket_group) !=
			0))
			xasprintf(&why,
			    "%s: socket_group changed; restart "
			    "delistd to apply it",
			    daemon_state->config_path);
		else if ((new->web_listen == NULL) !=
			(old->web_listen == NULL) ||
		    (new->web_listen !=
			NULL &&strcmp(new->web_listen, old->web_listen) != 0))
			xasprintf(&why,
			    "%s: web.listen changed; restart delistd to "
			    "move the web console",
			    daemon_state->config_path);
		else if ((new->web_tls == NULL) != (old->web_tls == NULL))
			xasprintf(&why,
			    "%s: web TLS turned %s; restart delistd to "
			    "apply it",
			    daemon_state->config_path,
			    new->web_tls != NULL ? "on" : "off");
		if (why != NULL) {
			config_free(new);
			new = NULL;
		}
	}
	if (new != NULL && plugin_apply(new, &why) == -1) {
		config_free(new);
		new = NULL;
	}
	free(daemon_state->last_reload_error);
	daemon_state->last_reload_error = NULL;
	daemon_state->last_reload = clock_now();
	if (new == NULL) {
		/*
		 * It quotes the file: made text here, once, for the log, the
		 * status and the API alike (a byte that is not UTF-8 would
		 * make the status's JSON fail to render).
		 */
		text_scrub(why);
		daemon_state->reloads_failed++;
		log_warnx("reload failed, keeping the running configuration:");
		log_lines(why);
		daemon_state->last_reload_error = xstrdup(why);
		daemon_status("reload failed");
		notify_ready("reload failed; running on the previous "
			     "configuration");
		*cause = why;
		return (-1);
	}
	daemon_state->config = new;
	api_set_config(daemon_state->api, new);
	log_setlevel(new->log_level);
	config_free(old);
	daemon_state->reloads_ok++;
	log_info("reloaded %s", daemon_state->config_path);
	outbox_kick();
	/* Logged on every reload, raised once; the timer follows below. */
	lifecycle_calendar_check(1);
	if (lifecycle_recompute() == -1)
		log_warnx("reload: cannot recompute the appeals' deadlines");
	if (vault_recompute() == -1)
		log_warnx("reload: cannot recompute the documents' alerts");
	sched_source_reload();
	notify_ready("reloaded");
	daemon_status("ready");
	return (0);
}

static void
on_deadline(evutil_socket_t fd, short events, void *arg)
{
	(void)fd;
	(void)events;
	(void)arg;
	log_warnx("shutdown: %zu deliveries did not finish in time; they "
		  "will be retried after the restart",
	    outbox_in_flight());
	event_base_loopbreak(daemon_state->base);
}

static void
daemon_stop(void)
{
	struct timeval tv = { daemon_state->config->shutdown_timeout, 0 };

	if (ev_deadline != NULL)
		return;
	notify_stopping();
	log_info("stopping");
	api_stop_accepting(daemon_state->api);
	/*
	 * The source's answers in are recorded (their events are delivered
	 * after the restart: no delivery starts from here on).
	 */
	sched_source_stop();
	ev_deadline = evtimer_new(daemon_state->base, on_deadline, NULL);
	evtimer_add(ev_deadline, &tv);
	if (outbox_in_flight() > 0)
		log_info("waiting up to %llds for %zu deliveries in flight",
		    (long long)daemon_state->config->shutdown_timeout,
		    outbox_in_flight());
	/* Ends the loop once no delivery is in flight (at once if none). */
	outbox_stop(on_idle);
}

static void
on_idle(void)
{
	event_base_loopexit(daemon_state->base, NULL);
}

static void
on_signal(evutil_socket_t sig, short events, void *arg)
{
	char *cause = NULL;

	(void)events;
	(void)arg;
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		daemon_stop();
		break;
	case SIGHUP:
		if (daemon_reload(&cause) == -1)
			free(cause);
		break;
	}
}

/* delistd --restore DIR: a backup into the configuration's state dir. */
static int
main_restore(const char *dir, struct config *conf)
{
	char *cause = NULL;
	size_t n = 0;

	if (backup_restore(dir, conf->state_dir, &n, &cause) == -1) {
		fprintf(stderr, "delistd: %s\n", cause);
		free(cause);
		config_free(conf);
		return (1);
	}
	printf(
	    _("restored %zu files from %s into %s\n"), n, dir, conf->state_dir);
	config_free(conf);
	return (0);
}

int
main(int argc, char **argv)
{
	const char *path = DELISTD_CONF, *restore = NULL;
	int ch, foreground = 0, check = 0, builtin = 0, sockfd;
	char *cause = NULL, pidbuf[32], cwd[PATH_MAX], *abspath = NULL;
	sigset_t startup_sigs;
	struct config *conf;

	config_tls = &main_tls;
	while (
	    (ch = getopt_long(argc, argv, "c:CftTVh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'C':
			builtin = 1;
			break;
		case 'f':
			foreground = 1;
			break;
		case 't':
			check = 1;
			break;
		case 'T':
			check = 2;
			break;
		case 'R':
			restore = optarg;
			break;
		case 'V':
			printf("delistd %s\n", PACKAGE_VERSION);
			return (0);
		case 'h':
			usage(0);
		default:
			usage(2);
		}
	}
	if (optind != argc)
		usage(2);
	umask(077);
	log_init(1, LOG_LEVEL_INFO);
	/* Relative paths keep meaning what they meant here after chdir("/"). */
	if (getcwd(cwd, sizeof cwd) == NULL)
		fatal("getcwd");
	config_set_base_dir(cwd);
	if (!builtin && path[0] != '/') {
		xasprintf(&abspath, "%s/%s", cwd, path);
		path = abspath;
	}

	if (builtin) {
		path = "(built-in)";
		conf = config_load_string(path, config_builtin, &cause);
	} else
		conf = config_load(path, &cause);
	if (conf == NULL) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return (1);
	}
	if (restore != NULL)
		return (main_restore(restore, conf));
	if (check) {
		/* Plugins check their own blocks: load and init each once. */
		log_setlevel(LOG_LEVEL_WARNING);
		if (check_plugins(conf) == -1) {
			config_free(conf);
			free(abspath);
			return (1);
		}
		if (check == 2)
			config_dump(conf, stdout);
		else
			printf("%s: configuration OK\n", path);
		config_free(conf);
		free(abspath);
		return (0);
	}

	signal(SIGPIPE, SIG_IGN);
	if (store_lock(conf->state_dir, &lock_fd, &cause) == -1) {
		fprintf(stderr, "delistd: %s\n", cause);
		return (1);
	}
	if ((sockfd = api_socket_prepare(
		 conf->socket, conf->socket_group, &cause)) == -1) {
		fprintf(stderr, "delistd: %s\n", cause);
		return (1);
	}

	/*
	 * Until libevent's handlers are in place, TERM/INT/HUP wait (blocked)
	 * instead of killing a daemon in the middle of its migrations.
	 */
	sigemptyset(&startup_sigs);
	sigaddset(&startup_sigs, SIGTERM);
	sigaddset(&startup_sigs, SIGINT);
	sigaddset(&startup_sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &startup_sigs, NULL);
	if (!foreground && !notify_supervised())
		daemonize();
	log_init(foreground, conf->log_level);
	/* Events go to the journal with their fields, when it is there. */
	if (!foreground)
		log_set_journal(journal_send);
	snprintf(pidbuf, sizeof pidbuf, "%ld\n", (long)getpid());
	if (ftruncate(lock_fd, 0) == -1 ||
	    pwrite(lock_fd, pidbuf, strlen(pidbuf), 0) == -1)
		log_warn("cannot write the pid to the lock file");

	memset(daemon_state, 0, sizeof *daemon_state);
	daemon_state->reload = daemon_reload;
	daemon_state->config = conf;
	daemon_state->config_path = path;
	daemon_state->builtin_config = builtin;
	if ((daemon_state->base = event_base_new()) == NULL)
		startup_fail("cannot create the event loop");
	if (clock_init(daemon_state->base, &cause) == -1)
		startup_fail(cause);
	daemon_state->started = clock_now();
	if ((daemon_state->store = store_open(conf->state_dir, &cause)) == NULL)
		startup_fail(cause);
	if (http_init(daemon_state->base, 4 * CONFIG_MAX_IN_FLIGHT, &cause) ==
		-1 ||
	    proc_init(daemon_state->base, &cause) == -1)
		startup_fail(cause);
	plugin_init(daemon_state->base);
	/* An instance gone: its deliveries retried, its checks forgotten. */
	plugin_on_gone(outbox_instance_gone);
	plugin_on_gone(sched_source_gone);
	if (plugin_apply(conf, &cause) == -1)
		startup_fail(cause);
	if ((daemon_state->api =
		    api_new(daemon_state->base, sockfd, conf, &cause)) == NULL)
		startup_fail(cause);

	ev_term = evsignal_new(daemon_state->base, SIGTERM, on_signal, NULL);
	ev_int = evsignal_new(daemon_state->base, SIGINT, on_signal, NULL);
	ev_hup = evsignal_new(daemon_state->base, SIGHUP, on_signal, NULL);
	if (ev_term == NULL || ev_int == NULL || ev_hup == NULL ||
	    evsignal_add(ev_term, NULL) == -1 ||
	    evsignal_add(ev_int, NULL) == -1 ||
	    evsignal_add(ev_hup, NULL) == -1)
		startup_fail("cannot install signal handlers");
	sigprocmask(SIG_UNBLOCK, &startup_sigs, NULL);
	notify_init(daemon_state->base);
	/* The event bus's subscribers, before anything is appended. */
	event_subscribe_route(outbox_enqueue, outbox_subscribers);
	event_subscribe_publish(api_events_publish);
	event_subscribe_change(EVENT_CHANGE_PUBLISHED, outbox_kick);
	event_subscribe_change(EVENT_CHANGE_DUE, sched_rearm);
	event_subscribe_change(EVENT_CHANGE_LISTINGS, sched_source_replan);
	event_subscribe_change(EVENT_CHANGE_SNOOZE, outbox_snooze_changed);
	event_start();
	/* Logged at every start, raised once; sched_init arms its timer. */
	lifecycle_calendar_check(1);
	sched_init(daemon_state->base);
	sched_source_init(daemon_state->base);
	/* A shop's zone may have changed while stopped, as on a reload. */
	if (vault_recompute() == -1)
		log_warnx("startup: cannot recompute the documents' alerts");
	/* The same for the appeals (and their escalation tiers, by value). */
	if (lifecycle_recompute() == -1)
		log_warnx("startup: cannot recompute the appeals' deadlines");
	outbox_init(daemon_state->base);

	log_info("delistd %s ready: config %s, state %s, socket %s",
	    PACKAGE_VERSION, path, conf->state_dir, conf->socket);
	notify_ready("ready");
	daemon_status("ready");
	startup_done();

	event_base_dispatch(daemon_state->base);

	log_info("stopped");
	api_free(daemon_state->api);
	outbox_shutdown();
	evidence_shutdown();
	plugin_shutdown();
	sched_source_shutdown();
	proc_shutdown();
	http_shutdown();
	sched_shutdown();
	store_close(daemon_state->store);
	event_free(ev_term);
	event_free(ev_int);
	event_free(ev_hup);
	if (ev_deadline != NULL)
		event_free(ev_deadline);
	notify_shutdown();
	clock_shutdown();
	config_free(daemon_state->config);
	free(daemon_state->last_reload_error);
	free(abspath);
	event_base_free(daemon_state->base);
	close(lock_fd);
	return (0);
}
