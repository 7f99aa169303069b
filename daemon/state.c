/* SPDX-License-Identifier: ISC */
/*
 * state.c: the daemon's running state: the event base, the running
 * configuration, the store, the API, the reload counters and the reload
 * itself, as main.c sets them. One instance, here, so that the shell's
 * files share it without reaching into main.c.
 *
 * It must not do anything: main.c fills it, the others read it.
 */

#include "config.h"

#include <stdint.h>
#include <time.h>

#include "delistd.h"

static struct daemon_state daemon_state_running;
struct daemon_state *daemon_state = &daemon_state_running;
