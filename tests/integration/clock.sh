#!/bin/sh
# SPDX-License-Identifier: ISC
# clock.sh: the test clock takes only epoch seconds the calendar handles
# (up to the year 9999): a huge, empty or malformed file is refused at
# start, and later keeps the last good value, logged once per bad spell.
. "$(dirname "$0")/lib.sh"

conf=$T/delistd.conf
write_config "$conf"
DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK

refused() { # CONTENT WHY: delistd does not start on that clock file (nor hangs)
	printf "$1" > "$T/clock"
	run timeout 10 "$DELISTD" -f -c "$conf"
	expect_rc 1 && contains "$ERR" "$2"
}
check "a clock past the year 9999 is refused at start" refused '9223372036854775807\n' "past the year 9999"
check "... as is the first second of the year 10000" refused '253402300800\n' "past the year 9999"
check "an empty clock file is refused at start" refused '' "the file is empty"
check "a clock file of blanks is refused" refused ' \n' "not epoch seconds"
check "a signed value is refused" refused '+1790000000\n' "not epoch seconds"
check "a value with junk after it is refused" refused '1790000000x\n' "not epoch seconds"

setclock 253402300799
check "the last second of 9999 is taken" start_daemon "$conf"
check "... and shown" clock_is 253402300799
setclock 1790000000

bad() { # CONTENT: written while running
	printf "$1" > "$T/clock.new" && mv "$T/clock.new" "$T/clock"
}
keeping() { grep -c "keeping the test clock at $1" "$T/daemon.log"; }
bad '9223372036854775807\n'
check "a huge value written later is refused and logged" wait_for 5 sh -c '[ "$(grep -c "past the year 9999.*keeping the test clock at 1790000000" "$1")" = 1 ]' _ "$T/daemon.log"
check "... the clock keeps its last good value" clock_is 1790000000
bad ''
check "... an empty file too" clock_is 1790000000
n=0
while [ $n -lt 5 ]; do ctl status > /dev/null; n=$((n + 1)); done
check "... logged once for the whole bad spell" equals "$(keeping 1790000000)" 1
setclock 1790000060
check "a good value is taken again" clock_is 1790000060
check "... and its return logged" grep -q "test clock readable again" "$T/daemon.log"
bad ''
check "a later empty file is logged again, once" wait_for 5 sh -c '[ "$(grep -c "the file is empty; keeping the test clock at 1790000060" "$1")" = 1 ]' _ "$T/daemon.log"
check "... and keeps the last good value" clock_is 1790000060
stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
finish
