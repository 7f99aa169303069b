/* SPDX-License-Identifier: ISC */
/*
 * test_proc.c: child processes as plugins get them (proc.c).
 *
 * Each test runs real programs under a private event_base and runs the loop
 * until the callback came (or nothing is left), with a safety timeout; it
 * never sleeps to wait for something proc.c does. Where a test needs the
 * pids of a child and of its grandchild before any callback, the child
 * writes them into a FIFO the test reads with a deadline. A process "left"
 * is one kill(pid, 0) still finds that is not a zombie (a zombie is dead;
 * reaping orphans is init's job, and not every container's init does it).
 */

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>

#include "delistd.h"
#include "host.h"

#define SAFETY_SECONDS 10

struct outcome {
	int calls;
	struct delistd_spawn_result r;
	char *output;
};

static struct event_base *base;
static int expired;
static char tmpdir[] = "/tmp/test_proc.XXXXXX";
static const char *const test_env[] = { "PATH=/usr/bin:/bin", NULL };

static void
on_done(const struct delistd_spawn_result *r, void *arg)
{
	struct outcome *o = arg;

	o->calls++;
	o->r = *r;
	free(o->output);
	o->output = malloc(r->output_len + 1);
	assert_non_null(o->output);
	memcpy(o->output, r->output, r->output_len + 1);
	o->r.output = o->output;
	o->r.error_text = NULL;
}

static void
on_expire(evutil_socket_t fd, short events, void *arg)
{
	(void)fd;
	(void)events;
	(void)arg;
	expired = 1;
}

/* Runs the loop until pred holds, for SAFETY_SECONDS at most. */
static int
run_until(int (*pred)(void *), void *arg)
{
	struct event *t;
	struct timeval tv = { SAFETY_SECONDS, 0 };

	t = evtimer_new(base, on_expire, NULL);
	assert_non_null(t);
	expired = 0;
	evtimer_add(t, &tv);
	while (!pred(arg) && !expired)
		event_base_loop(base, EVLOOP_ONCE);
	event_free(t);
	return (pred(arg));
}

static int
called(void *arg)
{
	return (((struct outcome *)arg)->calls > 0);
}

static int
nothing_left(void *arg)
{
	(void)arg;
	return (proc_running() == 0);
}

static void
wait_called(struct outcome *o)
{
	if (!run_until(called, o))
		fail_msg("no callback within %d s", SAFETY_SECONDS);
	assert_int_equal(o->calls, 1);
}

static void
spawn(void *owner, const char *const *argv, const void *input, size_t len,
    long timeout_ms, size_t output_max, struct outcome *o)
{
	struct delistd_spawn_request req;
	char *cause = NULL;

	memset(&req, 0, sizeof req);
	req.argv = argv;
	req.envp = test_env;
	req.input = input;
	req.input_len = len;
	req.timeout_ms = timeout_ms;
	req.output_max = output_max;
	if (proc_spawn(owner, &req, on_done, o, &cause) != 0)
		fail_msg("proc_spawn %s: %s", argv[0], cause);
}

/* Whether pid is still a live process (not gone, not a zombie). */
static int
alive(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	int live = 1;

	if (kill(pid, 0) == -1 && errno == ESRCH)
		return (0);
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return (kill(pid, 0) == 0);
	if (fgets(buf, sizeof buf, f) != NULL &&
	    (p = strrchr(buf, ')')) != NULL && p[1] == ' ' &&
	    (p[2] == 'Z' || p[2] == 'X'))
		live = 0;
	fclose(f);
	return (live);
}

static char *
fifo_new(const char *name)
{
	char *path;

	if (asprintf(&path, "%s/%s", tmpdir, name) == -1)
		fail_msg("asprintf");
	unlink(path);
	if (mkfifo(path, 0600) == -1)
		fail_msg("mkfifo %s: %s", path, strerror(errno));
	return (path);
}

/* Reads "PID PID\n" that a child writes into the FIFO, with a deadline. */
static void
fifo_pids(const char *path, pid_t *a, pid_t *b)
{
	struct pollfd pfd;
	char buf[128];
	size_t len = 0;
	ssize_t n;
	long x, y;
	int fd, waited = 0;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		fail_msg("open %s: %s", path, strerror(errno));
	while (memchr(buf, '\n', len) == NULL) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (waited >= SAFETY_SECONDS * 1000)
			fail_msg("no pids in %s", path);
		if (poll(&pfd, 1, 100) == 0) {
			waited += 100;
			continue;
		}
		n = read(fd, buf + len, sizeof buf - 1 - len);
		if (n == -1 && errno == EAGAIN)
			continue;
		if (n <= 0) {
			/* The writer has not come yet, or came and went. */
			waited += 10;
			poll(NULL, 0, 10);
			continue;
		}
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	if (sscanf(buf, "%ld %ld", &x, &y) != 2)
		fail_msg("not two pids: %s", buf);
	*a = (pid_t)x;
	*b = (pid_t)y;
}

static int
setup(void **state)
{
	char *cause = NULL;

	(void)state;
	base = event_base_new();
	assert_non_null(base);
	if (proc_init(base, &cause) != 0)
		fail_msg("proc_init: %s", cause);
	return (0);
}

static int
teardown(void **state)
{
	(void)state;
	proc_shutdown();
	assert_int_equal(proc_running(), 0);
	event_base_free(base);
	base = NULL;
	return (0);
}

static void
test_exit_and_output(void **state)
{
	const char *const argv[] = { "/bin/sh", "-c",
		"echo hello; echo oops >&2; exit 3", NULL };
	struct outcome o = { 0 };

	(void)state;
	spawn(NULL, argv, NULL, 0, 5000, 0, &o);
	assert_int_equal(proc_running(), 1);
	wait_called(&o);
	assert_int_equal(o.r.error, 0);
	assert_int_equal(o.r.timed_out, 0);
	assert_int_equal(o.r.exit_status, 3);
	assert_int_equal(o.r.signal, 0);
	assert_string_equal(o.output, "hello\noops\n");
	assert_int_equal(o.r.output_len, 11);
	assert_int_equal(proc_running(), 0);
	free(o.output);
}

static void
test_exit_zero_no_output(void **state)
{
	const char *const argv[] = { "/bin/true", NULL };
	struct outcome o = { 0 };

	(void)state;
	spawn(NULL, argv, NULL, 0, 5000, 0, &o);
	wait_called(&o);
	assert_int_equal(o.r.exit_status, 0);
	assert_int_equal(o.r.output_len, 0);
	assert_string_equal(o.output, "");
	free(o.output);
}

static void
test_killed_by_signal(void **state)
{
	/* SIGUSR1 is blocked here: the child must not inherit the mask. */
	const char *const argv[] = { "/bin/sh", "-c", "kill -USR1 $$; exit 0",
		NULL };
	struct outcome o = { 0 };

	(void)state;
	spawn(NULL, argv, NULL, 0, 5000, 0, &o);
	wait_called(&o);
	assert_int_equal(o.r.timed_out, 0);
	assert_int_equal(o.r.exit_status, -1);
	assert_int_equal(o.r.signal, SIGUSR1);
	free(o.output);
}

static void
test_stdin_reaches_child(void **state)
{
	const char *const argv[] = { "/bin/cat", NULL };
	const char *json = "{\"type\": \"case.opened\"}\n";
	struct outcome o = { 0 };

	(void)state;
	spawn(NULL, argv, json, strlen(json), 5000, 0, &o);
	wait_called(&o);
	assert_int_equal(o.r.exit_status, 0);
	assert_string_equal(o.output, json);
	free(o.output);
}

static void
test_large_stdin_through_cat(void **state)
{
	const char *const argv[] = { "/bin/cat", NULL };
	size_t len = 1024 * 1024 + 17, i;
	struct outcome o = { 0 };
	char *in;

	(void)state;
	in = malloc(len);
	assert_non_null(in);
	for (i = 0; i < len; i++)
		in[i] = 'a' + (char)(i % 26);
	spawn(NULL, argv, in, len, 10000, 2 * len, &o);
	wait_called(&o);
	assert_int_equal(o.r.exit_status, 0);
	assert_int_equal(o.r.output_len, len);
	assert_memory_equal(o.output, in, len);
	free(in);
	free(o.output);
}

static void
test_environment_only_given(void **state)
{
	const char *const argv[] = { "/usr/bin/env", NULL };
	const char *const env[] = { "A=1", "B=two words", NULL };
	struct delistd_spawn_request req;
	struct outcome o = { 0 };
	char *cause = NULL;

	(void)state;
	setenv("TEST_PROC_LEAK", "1", 1);
	memset(&req, 0, sizeof req);
	req.argv = argv;
	req.envp = env;
	req.timeout_ms = 5000;
	if (proc_spawn(NULL, &req, on_done, &o, &cause) != 0)
		fail_msg("%s", cause);
	wait_called(&o);
	assert_string_equal(o.output, "A=1\nB=two words\n");
	free(o.output);
}

static void
test_signals_default_in_child(void **state)
{
	/* main() ignores SIGPIPE and blocks SIGUSR1, as the daemon might. */
	const char *const argv[] = { "/bin/grep", "-E", "^Sig(Blk|Ign)",
		"/proc/self/status", NULL };
	struct outcome o = { 0 };
	unsigned long long blk, ign;

	(void)state;
	spawn(NULL, argv, NULL, 0, 5000, 0, &o);
	wait_called(&o);
	assert_int_equal(o.r.exit_status, 0);
	assert_int_equal(
	    sscanf(o.output, "SigBlk: %llx SigIgn: %llx", &blk, &ign), 2);
	assert_int_equal(blk, 0);
	/* 1-31 at their defaults; glibc leaves its own 32 and 33 ignored. */
	assert_int_equal(ign & 0x7fffffffULL, 0);
	free(o.output);
}

static void
test_only_std_fds(void **state)
{
	const char *const argv[] = { "/bin/ls", "/proc/self/fd", NULL };
	struct outcome o = { 0 };
	int fd;

	(void)state;
	/* A descriptor someone forgot to mark close-on-exec. */
	fd = open("/dev/null", O_RDONLY);
	assert_true(fd > 2);
	spawn(NULL, argv, NULL, 0, 5000, 0, &o);
	wait_called(&o);
	close(fd);
	/* ls's own directory handle is the 3. */
	assert_string_equal(o.output, "0\n1\n2\n3\n");
	free(o.output);
}

static void
test_own_process_group(void **state)
{
	const char *const argv[] = { "/bin/sh", "-c",
		"echo $$ $(ps -o pgid= -p $$)", NULL };
	struct outcome o = { 0 };
	long pid, pgid;

	(void)state;
	if (access("/bin/ps", X_OK) != 0 && access("/usr/bin/ps", X_OK) != 0)
		skip();
	spawn(NULL, argv, NULL, 0, 5000, 0, &o);
	wait_called(&o);
	assert_int_equal(sscanf(o.output, "%ld %ld", &pid, &pgid), 2);
	assert_int_equal(pid, pgid);
	assert_int_not_equal(pgid, getpgrp());
	free(o.output);
}

static void
test_timeout_kills_group(void **state)
{
	const char *const argv[] = { "/bin/sh", "-c",
		"sleep 30 & echo $$ $!; wait", NULL };
	struct outcome o = { 0 };
	long child, grandchild;

	(void)state;
	spawn(NULL, argv, NULL, 0, 300, 0, &o);
	wait_called(&o);
	assert_int_equal(o.r.timed_out, 1);
	assert_int_equal(o.r.exit_status, -1);
	assert_int_equal(o.r.signal, SIGTERM);
	assert_int_equal(sscanf(o.output, "%ld %ld", &child, &grandchild), 2);
	assert_false(alive((pid_t)child));
	assert_false(alive((pid_t)grandchild));
	assert_int_equal(proc_running(), 0);
	free(o.output);
}

static void
test_timeout_then_sigkill(void **state)
{
	/* Ignores SIGTERM (sleep inherits that): SIGKILL after the grace. */
	const char *const argv[] = { "/bin/sh", "-c",
		"trap '' TERM; echo $$; exec sleep 30", NULL };
	struct outcome o = { 0 };
	long child;

	(void)state;
	spawn(NULL, argv, NULL, 0, 200, 0, &o);
	wait_called(&o);
	assert_int_equal(o.r.timed_out, 1);
	assert_int_equal(o.r.signal, SIGKILL);
	assert_int_equal(sscanf(o.output, "%ld", &child), 1);
	assert_false(alive((pid_t)child));
	free(o.output);
}

static void
test_exited_but_output_held(void **state)
{
	/* The child exits 0 at once; its background job holds the pipe. */
	const char *const argv[] = { "/bin/sh", "-c", "sleep 30 & exit 0",
		NULL };
	struct outcome o = { 0 };

	(void)state;
	spawn(NULL, argv, NULL, 0, 300, 0, &o);
	wait_called(&o);
	assert_int_equal(o.r.timed_out, 0);
	assert_int_equal(o.r.exit_status, 0);
	assert_int_equal(proc_running(), 0);
	free(o.output);
}

static void
test_output_cap(void **state)
{
	const char *const argv[] = { "/bin/sh", "-c",
		"i=0; while [ $i -lt 2000 ]; do "
		"echo xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; "
		"i=$((i + 1)); done; exit 4",
		NULL };
	struct outcome o = { 0 };
	size_t i;

	(void)state;
	spawn(NULL, argv, NULL, 0, 10000, 1000, &o);
	wait_called(&o);
	assert_int_equal(o.r.exit_status, 4);
	assert_int_equal(o.r.output_len, 1000);
	assert_int_equal(strlen(o.output), 1000);
	for (i = 0; i < 1000; i++)
		assert_true(o.output[i] == 'x' || o.output[i] == '\n');
	free(o.output);
}

static void
test_default_output_cap(void **state)
{
	const char *const argv[] = { "/bin/sh", "-c",
		"head -c 300000 /dev/zero", NULL };
	struct outcome o = { 0 };

	(void)state;
	spawn(NULL, argv, NULL, 0, 10000, 0, &o);
	wait_called(&o);
	assert_int_equal(o.r.exit_status, 0);
	assert_int_equal(o.r.output_len, 64 * 1024);
	free(o.output);
}

static void
test_child_ignores_stdin_and_floods(void **state)
{
	/* 1 MiB for stdin it never reads (EPIPE), 1 MB of output. */
	const char *const argv[] = { "/bin/sh", "-c",
		"head -c 1000000 /dev/zero; exit 7", NULL };
	size_t len = 1024 * 1024;
	struct outcome o = { 0 };
	char *in;

	(void)state;
	in = calloc(1, len);
	assert_non_null(in);
	spawn(NULL, argv, in, len, 10000, 0, &o);
	free(in);
	wait_called(&o);
	assert_int_equal(o.r.timed_out, 0);
	assert_int_equal(o.r.exit_status, 7);
	assert_int_equal(o.r.output_len, 64 * 1024);
	free(o.output);
}

static void
test_refused(void **state)
{
	const char *const rel[] = { "sh", "-c", "true", NULL };
	const char *const dot[] = { "./bin/sh", NULL };
	const char *const none[] = { NULL };
	const char *const missing[] = { "/nonexistent/prog", NULL };
	struct delistd_spawn_request req;
	struct outcome o = { 0 };
	char *cause = NULL;

	(void)state;
	memset(&req, 0, sizeof req);
	req.envp = test_env;
	req.timeout_ms = 1000;

	req.argv = rel;
	assert_int_equal(proc_spawn(NULL, &req, on_done, &o, &cause), -1);
	assert_non_null(strstr(cause, "sh: not an absolute path"));
	free(cause);
	cause = NULL;

	req.argv = dot;
	assert_int_equal(proc_spawn(NULL, &req, on_done, &o, &cause), -1);
	assert_non_null(strstr(cause, "not an absolute path"));
	free(cause);
	cause = NULL;

	req.argv = none;
	assert_int_equal(proc_spawn(NULL, &req, on_done, &o, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;

	assert_int_equal(proc_running(), 0);
	assert_int_equal(o.calls, 0);

	/*
	 * glibc reports a failed exec at once; where posix_spawn cannot
	 * (valgrind), the child exits 127 as POSIX says.
	 */
	req.argv = missing;
	if (proc_spawn(NULL, &req, on_done, &o, &cause) == -1) {
		assert_non_null(
		    strstr(cause, "/nonexistent/prog: No such file"));
		free(cause);
		assert_int_equal(proc_running(), 0);
	} else {
		wait_called(&o);
		assert_int_equal(o.r.exit_status, 127);
		free(o.output);
	}
}

static void
test_cancel_owner(void **state)
{
	int owner_a, owner_b;
	char *fifo = fifo_new("cancel");
	const char *const slow[] = { "/bin/sh", "-c",
		"sleep 30 & echo $$ $! > \"$1\"; wait", "sh", fifo, NULL };
	const char *const quick[] = { "/bin/sh", "-c", "echo b", NULL };
	struct outcome a = { 0 }, b = { 0 };
	pid_t child, grandchild;

	(void)state;
	spawn(&owner_a, slow, "ignored", 7, 30000, 0, &a);
	spawn(&owner_b, quick, NULL, 0, 5000, 0, &b);
	fifo_pids(fifo, &child, &grandchild);
	assert_true(alive(child));
	assert_true(alive(grandchild));

	proc_cancel_owner(&owner_a);
	if (!run_until(nothing_left, NULL))
		fail_msg("children left after cancel_owner");
	assert_int_equal(a.calls, 0);
	assert_int_equal(b.calls, 1);
	assert_string_equal(b.output, "b\n");
	assert_false(alive(child));
	assert_false(alive(grandchild));
	free(b.output);
	unlink(fifo);
	free(fifo);
}

static int
on_done_spawns(void *arg)
{
	return (((struct outcome *)arg)->calls > 1);
}

static void
on_done_again(const struct delistd_spawn_result *r, void *arg)
{
	const char *const argv[] = { "/bin/sh", "-c", "exit 5", NULL };
	struct delistd_spawn_request req;
	struct outcome *o = arg;
	char *cause = NULL;

	on_done(r, arg);
	if (o->calls > 1)
		return;
	/* Spawning from within a callback works. */
	memset(&req, 0, sizeof req);
	req.argv = argv;
	req.envp = test_env;
	req.timeout_ms = 5000;
	assert_int_equal(proc_spawn(NULL, &req, on_done_again, o, &cause), 0);
}

static void
test_spawn_from_callback(void **state)
{
	const char *const argv[] = { "/bin/true", NULL };
	struct delistd_spawn_request req;
	struct outcome o = { 0 };
	char *cause = NULL;

	(void)state;
	memset(&req, 0, sizeof req);
	req.argv = argv;
	req.envp = test_env;
	req.timeout_ms = 5000;
	assert_int_equal(proc_spawn(NULL, &req, on_done_again, &o, &cause), 0);
	if (!run_until(on_done_spawns, &o))
		fail_msg("no second callback");
	assert_int_equal(o.r.exit_status, 5);
	free(o.output);
}

static void
test_many_at_once(void **state)
{
	const char *const argv[] = { "/bin/sh", "-c", "echo $$; exit 9", NULL };
	struct outcome o[20];
	size_t i;

	(void)state;
	memset(o, 0, sizeof o);
	for (i = 0; i < 20; i++)
		spawn(NULL, argv, NULL, 0, 5000, 0, &o[i]);
	if (!run_until(nothing_left, NULL))
		fail_msg("children left");
	for (i = 0; i < 20; i++) {
		assert_int_equal(o[i].calls, 1);
		assert_int_equal(o[i].r.exit_status, 9);
		free(o[i].output);
	}
}

static void
test_shutdown_leaves_nothing(void **state)
{
	char *f1 = fifo_new("down1"), *f2 = fifo_new("down2");
	const char *const plain[] = { "/bin/sh", "-c",
		"sleep 30 & echo $$ $! > \"$1\"; wait", "sh", f1, NULL };
	/* This one and its grandchild ignore SIGTERM: SIGKILL is needed. */
	const char *const stubborn[] = { "/bin/sh", "-c",
		"trap '' TERM; sleep 30 & echo $$ $! > \"$1\"; wait; wait",
		"sh", f2, NULL };
	struct outcome a = { 0 }, b = { 0 };
	pid_t pa, ga, pb, gb;

	(void)state;
	spawn(NULL, plain, NULL, 0, 30000, 0, &a);
	spawn(NULL, stubborn, NULL, 0, 30000, 0, &b);
	fifo_pids(f1, &pa, &ga);
	fifo_pids(f2, &pb, &gb);
	assert_int_equal(proc_running(), 2);

	proc_shutdown();
	assert_int_equal(proc_running(), 0);
	assert_int_equal(a.calls, 0);
	assert_int_equal(b.calls, 0);
	assert_false(alive(pa));
	assert_false(alive(ga));
	assert_false(alive(pb));
	assert_false(alive(gb));
	/* Reaped by proc_shutdown, not left as zombies of ours. */
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	unlink(f1);
	unlink(f2);
	free(f1);
	free(f2);
}

static void
test_not_initialised(void **state)
{
	const char *const argv[] = { "/bin/true", NULL };
	struct delistd_spawn_request req;
	char *cause = NULL;

	(void)state;
	proc_shutdown();
	memset(&req, 0, sizeof req);
	req.argv = argv;
	assert_int_equal(proc_spawn(NULL, &req, on_done, NULL, &cause), -1);
	assert_non_null(cause);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_exit_and_output, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_exit_zero_no_output, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_killed_by_signal, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_stdin_reaches_child, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_large_stdin_through_cat, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_environment_only_given, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_signals_default_in_child, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_only_std_fds, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_own_process_group, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_timeout_kills_group, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_timeout_then_sigkill, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_exited_but_output_held, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_output_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_default_output_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_child_ignores_stdin_and_floods, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_cancel_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_spawn_from_callback, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_many_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_shutdown_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_not_initialised, setup, teardown),
	};
	sigset_t set;
	int rc;

	/* As the daemon does; and a blocked signal the children must lose. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	log_init(1, LOG_LEVEL_WARNING);
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return (1);
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(tmpdir);
	return (rc);
}
