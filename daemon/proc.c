/* SPDX-License-Identifier: ISC */
/*
 * proc.c: child processes for plugins (the host table's spawn).
 *
 * A child is started with posix_spawn, never through a shell, from an
 * absolute path, with exactly the environment it is given, in a process
 * group of its own. Its stdin is a pipe fed with the request's input and
 * then closed; its stdout and stderr share one pipe read up to output_max
 * (the rest is read and dropped, so the child never blocks on a full pipe).
 * Every daemon-side descriptor is non-blocking and close-on-exec, and all
 * I/O goes through the event loop: a child that does not read its input or
 * floods its output costs the loop nothing. SIGCHLD arrives through
 * libevent; each known child is reaped with waitpid(WNOHANG), never
 * waitpid(-1), so that no one else's children are stolen.
 *
 * At the timeout the whole group gets SIGTERM, then SIGKILL 2 s later. The
 * callback runs once: when the child is reaped and its output has reached
 * EOF, or, after a timeout, once it is reaped and its group is empty or has
 * been sent SIGKILL. (A child that exits but leaves something holding its
 * output open until the timeout has that group killed; its own exit status
 * stands.) A request's timeout_ms of 0 means 30 s. A cancelled child
 * (proc_cancel_owner) is killed the same way and never calls back.
 *
 * This file must not block the loop; the one exception is proc_shutdown,
 * which calls no callback and waits at most about 3 s for the groups it
 * kills, so that no child outlives the daemon.
 */

#include "config.h"

#include <sys/queue.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "delistd.h"
#include "host.h"

#define PROC_OUTPUT_MAX (64 * 1024)
#define PROC_TIMEOUT_DEFAULT_MS 30000L
#define PROC_KILL_GRACE_MS 2000L
#define PROC_KILL_POLL_MS 50L
#define PROC_READ_SIZE 16384
#define PROC_SHUTDOWN_POLL_NS 10000000L

enum proc_kill {
	PROC_KILL_NONE, /* running, or exited on its own */
	PROC_KILL_TERM, /* SIGTERM sent; SIGKILL armed */
	PROC_KILL_KILL, /* SIGKILL sent */
};

struct proc {
	void *owner;
	delistd_spawn_cb cb;
	void *arg;
	char *path;

	pid_t pid; /* also its process group */
	int reaped;
	int status;
	int lost; /* reaped by someone else: status unknown */
	int timed_out;
	int cancelled;
	enum proc_kill killing;
	long kill_ticks; /* PROC_KILL_POLL_MS ticks since SIGTERM */

	int in_fd;
	struct event *in_ev;
	char *in_buf;
	size_t in_len;
	size_t in_off;

	int out_fd;
	struct event *out_ev;
	char *out_buf;
	size_t out_len;
	size_t out_size;
	size_t out_max;
	int truncated;

	struct event *timer; /* the timeout, then the SIGKILL */

	TAILQ_ENTRY(proc) entry;
};
TAILQ_HEAD(proc_list, proc);

static struct event_base *proc_base;
static struct event *proc_sigchld_ev;
static struct proc_list proc_list = TAILQ_HEAD_INITIALIZER(proc_list);

static int proc_fd_high(int *, char **);
static int proc_pipes(int[2], int[2], char **);
static void proc_signal(struct proc *, int);
static int proc_group_alive(struct proc *);
static void proc_close_in(struct proc *);
static void proc_close_out(struct proc *);
static void proc_kill_start(struct proc *);
static int proc_due(struct proc *);
static void proc_check(struct proc *);
static void proc_finish(struct proc *);
static void proc_free(struct proc *);
static void proc_reap(struct proc *, int);
static void proc_write(evutil_socket_t, short, void *);
static void proc_read(evutil_socket_t, short, void *);
static void proc_timer(evutil_socket_t, short, void *);
static void proc_sigchld(evutil_socket_t, short, void *);
static void proc_arm(struct proc *, long);
static size_t proc_wait_all(const struct timespec *);

int
proc_init(struct event_base *base, char **cause)
{
	if (proc_base != NULL) {
		if (proc_base == base)
			return (0);
		xasprintf(cause, "child processes: already started");
		return (-1);
	}
	proc_sigchld_ev = evsignal_new(base, SIGCHLD, proc_sigchld, NULL);
	if (proc_sigchld_ev == NULL ||
	    evsignal_add(proc_sigchld_ev, NULL) == -1) {
		if (proc_sigchld_ev != NULL)
			event_free(proc_sigchld_ev);
		proc_sigchld_ev = NULL;
		xasprintf(cause, "child processes: cannot watch SIGCHLD");
		return (-1);
	}
	proc_base = base;
	return (0);
}

/* Moves a descriptor above stderr, so that the child's dup2 never no-ops. */
static int
proc_fd_high(int *fd, char **cause)
{
	int nfd;

	if (*fd > STDERR_FILENO)
		return (0);
	if ((nfd = fcntl(*fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1)) == -1) {
		xasprintf(cause, "fcntl: %s", strerror(errno));
		return (-1);
	}
	close(*fd);
	*fd = nfd;
	return (0);
}

/* Both pipes close-on-exec; the daemon's ends non-blocking. */
static int
proc_pipes(int in[2], int out[2], char **cause)
{
	int i;

	in[0] = in[1] = out[0] = out[1] = -1;
	if (pipe2(in, O_CLOEXEC) == -1 || pipe2(out, O_CLOEXEC) == -1) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		goto fail;
	}
	for (i = 0; i < 2; i++) {
		if (proc_fd_high(&in[i], cause) == -1 ||
		    proc_fd_high(&out[i], cause) == -1)
			goto fail;
	}
	if (fcntl(in[1], F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(out[0], F_SETFL, O_NONBLOCK) == -1) {
		xasprintf(cause, "fcntl: %s", strerror(errno));
		goto fail;
	}
	return (0);

fail:
	for (i = 0; i < 2; i++) {
		if (in[i] != -1)
			close(in[i]);
		if (out[i] != -1)
			close(out[i]);
	}
	return (-1);
}

int
proc_spawn(void *owner, const struct delistd_spawn_request *req,
    delistd_spawn_cb cb, void *arg, char **cause)
{
	static const char *const empty_env[] = { NULL };
	const char *const *envp;
	struct proc *p;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	int in[2], out[2], error;
	pid_t pid;

	if (proc_base == NULL) {
		xasprintf(cause, "child processes are not available");
		return (-1);
	}
	if (req->argv == NULL || req->argv[0] == NULL ||
	    req->argv[0][0] == '\0') {
		xasprintf(cause, "no program to run");
		return (-1);
	}
	if (req->argv[0][0] != '/') {
		xasprintf(cause, "%s: not an absolute path", req->argv[0]);
		return (-1);
	}
	if (req->timeout_ms < 0) {
		xasprintf(cause, "%s: negative timeout", req->argv[0]);
		return (-1);
	}
	if (req->input_len != 0 && req->input == NULL) {
		xasprintf(cause, "%s: input without data", req->argv[0]);
		return (-1);
	}
	envp = req->envp != NULL ? req->envp : empty_env;

	if (proc_pipes(in, out, cause) == -1)
		return (-1);

	/*
	 * The child gets the pipes as 0, 1 and 2 and nothing else; every
	 * signal back to its default (the daemon ignores SIGPIPE, and an
	 * ignored signal survives exec) and none blocked.
	 */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, out[1], STDERR_FILENO);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 34)
	/* Close-on-exec should cover it; this covers a library that forgot. */
	posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1);
#endif
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr,
	    POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
		POSIX_SPAWN_SETSIGDEF);

	error = posix_spawn(&pid, req->argv[0], &fa, &attr,
	    (char *const *)req->argv, (char *const *)envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(in[0]);
	close(out[1]);
	if (error != 0) {
		close(in[1]);
		close(out[0]);
		xasprintf(cause, "%s: %s", req->argv[0], strerror(error));
		return (-1);
	}

	p = xcalloc(1, sizeof *p);
	p->owner = owner;
	p->cb = cb;
	p->arg = arg;
	p->path = xstrdup(req->argv[0]);
	p->pid = pid;
	p->in_fd = in[1];
	p->out_fd = out[0];
	p->out_max = req->output_max != 0 ? req->output_max : PROC_OUTPUT_MAX;
	p->timer = evtimer_new(proc_base, proc_timer, p);
	p->out_ev =
	    event_new(proc_base, p->out_fd, EV_READ | EV_PERSIST, proc_read, p);
	if (p->timer == NULL || p->out_ev == NULL)
		fatalx("proc_spawn: cannot create events");
	event_add(p->out_ev, NULL);
	if (req->input_len == 0)
		proc_close_in(p);
	else {
		p->in_buf = xmalloc(req->input_len);
		memcpy(p->in_buf, req->input, req->input_len);
		p->in_len = req->input_len;
		p->in_ev = event_new(
		    proc_base, p->in_fd, EV_WRITE | EV_PERSIST, proc_write, p);
		if (p->in_ev == NULL)
			fatalx("proc_spawn: cannot create events");
		event_add(p->in_ev, NULL);
	}
	proc_arm(p,
	    req->timeout_ms != 0 ? req->timeout_ms : PROC_TIMEOUT_DEFAULT_MS);
	TAILQ_INSERT_TAIL(&proc_list, p, entry);
	log_debug("child %ld started: %s", (long)pid, p->path);
	return (0);
}

static void
proc_arm(struct proc *p, long ms)
{
	struct timeval tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(p->timer, &tv);
}

/* Signals the child's group, and the child itself if it left the group. */
static void
proc_signal(struct proc *p, int sig)
{
	if (kill(-p->pid, sig) == -1 && errno != ESRCH)
		log_warn("child %ld: kill", (long)p->pid);
	if (!p->reaped)
		kill(p->pid, sig);
}

/* Whether anything (a grandchild, a zombie) is still in the child's group. */
static int
proc_group_alive(struct proc *p)
{
	return (kill(-p->pid, 0) == 0 || errno == EPERM);
}

static void
proc_close_in(struct proc *p)
{
	if (p->in_ev != NULL) {
		event_free(p->in_ev);
		p->in_ev = NULL;
	}
	if (p->in_fd != -1) {
		close(p->in_fd);
		p->in_fd = -1;
	}
	free(p->in_buf);
	p->in_buf = NULL;
	p->in_len = p->in_off = 0;
}

static void
proc_close_out(struct proc *p)
{
	if (p->out_ev != NULL) {
		event_free(p->out_ev);
		p->out_ev = NULL;
	}
	if (p->out_fd != -1) {
		close(p->out_fd);
		p->out_fd = -1;
	}
}

/*
 * SIGTERM to the group, then a tick every PROC_KILL_POLL_MS: the child is
 * done with as soon as its group is empty (its leftovers send us no
 * SIGCHLD), else the group gets SIGKILL at the end of the grace.
 */
static void
proc_kill_start(struct proc *p)
{
	proc_signal(p, SIGTERM);
	p->killing = PROC_KILL_TERM;
	p->kill_ticks = 0;
	proc_arm(p, PROC_KILL_POLL_MS);
}

/* Whether the child is finished with: see the comment at the top. */
static int
proc_due(struct proc *p)
{
	if (!p->reaped)
		return (0);
	if (p->killing == PROC_KILL_TERM && proc_group_alive(p))
		return (0);
	if (p->cancelled || p->timed_out || p->killing != PROC_KILL_NONE)
		return (1);
	return (p->out_fd == -1);
}

static void
proc_check(struct proc *p)
{
	if (proc_due(p))
		proc_finish(p);
}

/* Takes the child off the list, calls back (unless cancelled) and frees. */
static void
proc_finish(struct proc *p)
{
	struct delistd_spawn_result res;

	TAILQ_REMOVE(&proc_list, p, entry);
	proc_close_in(p);
	proc_close_out(p);
	evtimer_del(p->timer);

	memset(&res, 0, sizeof res);
	res.timed_out = p->timed_out;
	res.exit_status = -1;
	if (!p->lost && WIFEXITED(p->status))
		res.exit_status = WEXITSTATUS(p->status);
	else if (!p->lost && WIFSIGNALED(p->status))
		res.signal = WTERMSIG(p->status);
	if (p->out_buf == NULL) {
		p->out_buf = xstrdup("");
		p->out_len = 0;
	} else
		p->out_buf[p->out_len] = '\0';
	res.output = p->out_buf;
	res.output_len = p->out_len;

	log_debug("child %ld (%s) done: exit %d, signal %d%s%s%s", (long)p->pid,
	    p->path, res.exit_status, res.signal,
	    p->timed_out ? ", timed out" : "",
	    p->truncated ? ", output truncated" : "",
	    p->cancelled ? ", cancelled" : "");
	if (!p->cancelled && p->cb != NULL)
		p->cb(&res, p->arg);
	proc_free(p);
}

static void
proc_free(struct proc *p)
{
	proc_close_in(p);
	proc_close_out(p);
	if (p->timer != NULL)
		event_free(p->timer);
	free(p->out_buf);
	free(p->path);
	free(p);
}

static void
proc_write(evutil_socket_t fd, short events, void *arg)
{
	struct proc *p = arg;
	ssize_t n;

	(void)events;
	n = write(fd, p->in_buf + p->in_off, p->in_len - p->in_off);
	if (n == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		/* EPIPE: the child does not want the rest. */
		if (errno != EPIPE)
			log_warn("child %ld: write", (long)p->pid);
		proc_close_in(p);
		return;
	}
	p->in_off += (size_t)n;
	if (p->in_off == p->in_len)
		proc_close_in(p);
}

static void
proc_read(evutil_socket_t fd, short events, void *arg)
{
	struct proc *p = arg;
	char buf[PROC_READ_SIZE];
	size_t keep, size;
	ssize_t n;

	(void)events;
	n = read(fd, buf, sizeof buf);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		if (n == -1)
			log_warn("child %ld: read", (long)p->pid);
		proc_close_out(p);
		proc_check(p);
		return;
	}
	keep = p->out_max - p->out_len;
	if ((size_t)n < keep)
		keep = (size_t)n;
	if (keep < (size_t)n)
		p->truncated = 1;
	if (keep == 0)
		return;
	if (p->out_len + keep + 1 > p->out_size) {
		size = p->out_size != 0 ? p->out_size : 1024;
		while (size < p->out_len + keep + 1)
			size *= 2;
		if (size > p->out_max + 1)
			size = p->out_max + 1;
		p->out_buf = xreallocarray(p->out_buf, 1, size);
		p->out_size = size;
	}
	memcpy(p->out_buf + p->out_len, buf, keep);
	p->out_len += keep;
}

static void
proc_timer(evutil_socket_t fd, short events, void *arg)
{
	struct proc *p = arg;

	(void)fd;
	(void)events;
	switch (p->killing) {
	case PROC_KILL_NONE:
		if (p->reaped) {
			/* It exited; what it left behind holds the pipe. */
			log_warnx("child %ld (%s): output still open at the "
				  "timeout, killing its process group",
			    (long)p->pid, p->path);
			proc_signal(p, SIGKILL);
			proc_close_out(p);
			proc_check(p);
			return;
		}
		log_warnx("child %ld (%s) timed out, killing its process group",
		    (long)p->pid, p->path);
		p->timed_out = 1;
		proc_kill_start(p);
		break;
	case PROC_KILL_TERM:
		if (++p->kill_ticks < PROC_KILL_GRACE_MS / PROC_KILL_POLL_MS) {
			if (proc_due(p))
				proc_finish(p);
			else
				proc_arm(p, PROC_KILL_POLL_MS);
			return;
		}
		log_warnx("child %ld (%s): its process group outlived SIGTERM, "
			  "sending SIGKILL",
		    (long)p->pid, p->path);
		proc_signal(p, SIGKILL);
		p->killing = PROC_KILL_KILL;
		proc_check(p);
		break;
	case PROC_KILL_KILL:
		break;
	}
}

static void
proc_reap(struct proc *p, int options)
{
	int status;
	pid_t pid;

	if (p->reaped)
		return;
	do
		pid = waitpid(p->pid, &status, options);
	while (pid == -1 && errno == EINTR);
	if (pid == 0)
		return;
	p->reaped = 1;
	if (pid == -1) {
		log_warn("child %ld: waitpid", (long)p->pid);
		p->lost = 1;
	} else
		p->status = status;
}

static void
proc_sigchld(evutil_socket_t sig, short events, void *arg)
{
	struct proc *p;

	(void)sig;
	(void)events;
	(void)arg;
	for (p = TAILQ_FIRST(&proc_list); p != NULL; p = TAILQ_NEXT(p, entry))
		proc_reap(p, WNOHANG);
	/* A callback may spawn or cancel: rescan after each one. */
	for (;;) {
		for (p = TAILQ_FIRST(&proc_list); p != NULL;
		     p = TAILQ_NEXT(p, entry)) {
			if (proc_due(p))
				break;
		}
		if (p == NULL)
			break;
		proc_finish(p);
	}
}

void
proc_cancel_owner(void *owner)
{
	struct proc *p, *next;

	for (p = TAILQ_FIRST(&proc_list); p != NULL; p = next) {
		next = TAILQ_NEXT(p, entry);
		if (p->owner != owner || p->cancelled)
			continue;
		log_debug("child %ld (%s) cancelled", (long)p->pid, p->path);
		p->cancelled = 1;
		p->cb = NULL;
		p->arg = NULL;
		proc_close_in(p);
		proc_close_out(p);
		if (p->reaped) {
			proc_signal(p, SIGKILL);
			proc_finish(p);
		} else if (p->killing == PROC_KILL_NONE)
			proc_kill_start(p);
	}
}

/* Children not done with yet: running, or being killed (cancelled too). */
size_t
proc_running(void)
{
	struct proc *p;
	size_t n = 0;

	for (p = TAILQ_FIRST(&proc_list); p != NULL; p = TAILQ_NEXT(p, entry))
		n++;
	return (n);
}

/*
 * Until the deadline, reaps every child and waits for its group to empty;
 * returns how many children or groups are left.
 */
static size_t
proc_wait_all(const struct timespec *deadline)
{
	struct timespec now, nap = { 0, PROC_SHUTDOWN_POLL_NS };
	struct proc *p;
	size_t left;

	for (;;) {
		left = 0;
		for (p = TAILQ_FIRST(&proc_list); p != NULL;
		     p = TAILQ_NEXT(p, entry)) {
			proc_reap(p, WNOHANG);
			if (!p->reaped || proc_group_alive(p))
				left++;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (left == 0 || now.tv_sec > deadline->tv_sec ||
		    (now.tv_sec == deadline->tv_sec &&
			now.tv_nsec >= deadline->tv_nsec))
			return (left);
		nanosleep(&nap, NULL);
	}
}

void
proc_shutdown(void)
{
	struct timespec deadline;
	struct proc *p;
	size_t left;

	if (!TAILQ_EMPTY(&proc_list))
		log_info("stopping %zu child process(es)", proc_running());
	for (p = TAILQ_FIRST(&proc_list); p != NULL; p = TAILQ_NEXT(p, entry)) {
		proc_close_in(p);
		proc_close_out(p);
		proc_signal(p, p->reaped ? SIGKILL : SIGTERM);
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += PROC_KILL_GRACE_MS / 1000;
	proc_wait_all(&deadline);

	/* Whatever is left in any group, leader or not, gets SIGKILL. */
	for (p = TAILQ_FIRST(&proc_list); p != NULL; p = TAILQ_NEXT(p, entry)) {
		if (!p->reaped)
			log_warnx("child %ld (%s) outlived SIGTERM at shutdown",
			    (long)p->pid, p->path);
		proc_signal(p, SIGKILL);
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += 1;
	if ((left = proc_wait_all(&deadline)) != 0)
		log_debug("%zu child process group(s) not empty at shutdown "
			  "(zombies left to init?)",
		    left);

	while ((p = TAILQ_FIRST(&proc_list)) != NULL) {
		TAILQ_REMOVE(&proc_list, p, entry);
		proc_free(p);
	}
	if (proc_sigchld_ev != NULL)
		event_free(proc_sigchld_ev);
	proc_sigchld_ev = NULL;
	proc_base = NULL;
}
