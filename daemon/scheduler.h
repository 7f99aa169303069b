/* SPDX-License-Identifier: ISC */
/*
 * scheduler.h: the timers (sched.c) and the source scheduler
 * (sched-source.c). They call down into the lifecycle; the lifecycle
 * reaches them only through the event bus (event.c), so only the shell
 * above it includes this. (Not sched.h: that is the system's.)
 */

#ifndef SCHEDULER_H
#define SCHEDULER_H

struct event_base;
struct evbuffer;
struct json_t;

/* sched.c */
void sched_init(struct event_base *);
void sched_rearm(void);
void sched_shutdown(void);

/* sched-source.c: sweeps, checks and the call budget of source plugins. */
void sched_source_init(struct event_base *);
void sched_source_kick(void);
void sched_source_replan(void);
void sched_source_reload(void);
void sched_source_stop(void);
void sched_source_shutdown(void);
struct json_t *sched_source_status(void);
void sched_source_metrics(struct evbuffer *);

#endif
