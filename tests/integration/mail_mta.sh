#!/bin/sh
# SPDX-License-Identifier: ISC
# mail_mta.sh: the mail sink against a real MTA: Debian's Exim
# (exim4-daemon-light), run here in the foreground on a private
# configuration, listening on a loopback port and delivering into a
# maildir that the test reads with Python's email package.
#
# Exim runs unprivileged: as the caller, or, when the caller is root, as
# nobody (setpriv). With -C it drops any privilege, so admin_groups names
# the group it runs as, to let it start a daemon. Its spool, log and
# maildir are in a directory of its own. tests/bootstrap.sh installs Exim
# and sets DELISTD_REQUIRE_MTA=1, so that in CI a missing Exim fails this
# test instead of skipping it.
. "$(dirname "$0")/lib.sh"

need_mta() {
	if [ "${DELISTD_REQUIRE_MTA:-0}" = 1 ]; then
		echo "Bail out! $1, and DELISTD_REQUIRE_MTA=1"
		exit 1
	fi
	echo "1..0 # SKIP $1"
	exit 0
}
EXIM=
for e in exim4 /usr/sbin/exim4 exim /usr/sbin/exim; do
	if command -v "$e" >/dev/null 2>&1; then EXIM=$(command -v "$e"); break; fi
done
[ -n "$EXIM" ] || need_mta "Exim is not installed (Debian: apt-get install exim4-daemon-light)"
for tool in curl python3; do
	command -v $tool >/dev/null 2>&1 || need_mta "$tool is missing"
done
RUNAS=
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null 2>&1 || need_mta "setpriv is missing (util-linux)"
	MTA_USER=nobody
	MTA_GROUP=$(id -gn nobody 2>/dev/null) || need_mta "no user nobody"
	RUNAS="setpriv --reuid=nobody --regid=$MTA_GROUP --clear-groups"
else
	MTA_USER=$(id -un)
	MTA_GROUP=$(id -gn)
fi

PLUGIN_DIR=$top_builddir/plugins/.libs
PARSE=$top_srcdir/tests/integration/mailparse.py
[ -e "$PLUGIN_DIR/mail.so" ] || { echo "Bail out! mail.so is not built"; exit 1; }

# Exim's own directory: $T is private to the caller, Exim may run as nobody.
M=$(mktemp -d /tmp/dlmta.XXXXXX) || exit 99
chmod 755 "$M"
[ "$(id -u)" = 0 ] && chown "$MTA_USER:$MTA_GROUP" "$M"
MTA_PID=
stop_mta() {
	if [ -n "$MTA_PID" ]; then
		kill "$MTA_PID" 2>/dev/null
		wait "$MTA_PID" 2>/dev/null
		MTA_PID=
	fi
}
main_shell() { [ "$(exec sh -c 'echo $PPID')" = "$$" ]; }
trap 'main_shell && { stop_mta; rm -rf "$M"; cleanup; }' EXIT

# A free loopback port (Exim cannot write back the one it got).
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
MTA_PORT=$(free_port)
cat > "$M/exim.conf" <<CONF
# A private Exim: accepts mail for shop.example on a loopback port only,
# delivers it into $M/Maildir, relays nothing.
admin_groups = $MTA_GROUP
exim_user = $MTA_USER
exim_group = $MTA_GROUP
never_users =
primary_hostname = mta.test
domainlist local_domains = shop.example
spool_directory = $M/spool
log_file_path = $M/%slog
pid_file_path = $M/exim.pid
daemon_smtp_ports = $MTA_PORT
local_interfaces = <; 127.0.0.1
acl_smtp_rcpt = acl_check_rcpt
host_lookup =
rfc1413_hosts =
tls_advertise_hosts =
keep_environment =

begin acl
acl_check_rcpt:
  accept domains = +local_domains
  deny message = relay not permitted

begin routers
local:
  driver = accept
  domains = +local_domains
  transport = maildir

begin transports
maildir:
  driver = appendfile
  directory = $M/Maildir
  maildir_format
  create_directory
  envelope_to_add
  return_path_add
  user = $MTA_USER
CONF
chmod 644 "$M/exim.conf"

$RUNAS "$EXIM" -C "$M/exim.conf" -bdf -odi >> "$M/exim.out" 2>&1 &
MTA_PID=$!
mta_up() { curl -s --max-time 2 "telnet://127.0.0.1:$MTA_PORT" </dev/null 2>/dev/null | grep -q "^220 "; }
mta_listening() { grep -q "daemon started" "$M/mainlog" 2>/dev/null || mta_up; }
if ! wait_for 10 mta_listening; then
	echo "Bail out! Exim did not start: $(cat "$M/exim.out" "$M/paniclog" 2>/dev/null | tail -n 5)"
	exit 1
fi
pass "Exim ($EXIM) listens on 127.0.0.1:$MTA_PORT as $MTA_USER"

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
echo 1790557200 > "$T/clock" # 2026-09-28T01:00:00Z
P1=1005001000000001
RULE='3.2 标题含有绝对化用语“最好”、“第一”'

conf=$T/delistd.conf
cat > "$conf" <<CONF
daemon: {
	state_dir = "$STATE";
	log_level = "debug";
	plugin_dir = "$PLUGIN_DIR";
};
shops = ( { name = "main"; } );
plugins = (
	{ name = "mail"; module = "mail"; url = "smtp://127.0.0.1:$MTA_PORT";
	  from = "delistd@shop.example";
	  to = [ "ops@shop.example", "boss@shop.example" ];
	  events = [ "case.*" ]; timeout = "10s"; }
);
CONF
check "delistd starts with a mail sink pointing at Exim" start_daemon "$conf"

# maildir_with TEXT: the delivered mails (parsed) that contain TEXT.
parse_maildir() {
	for f in "$M"/Maildir/new/*; do
		[ -f "$f" ] || continue
		b=$(basename "$f")
		[ -e "$T/parsed.$b" ] || python3 "$PARSE" "$f" > "$T/parsed.$b" 2>&1
	done
}
maildir_with() { parse_maildir; grep -lF -- "$1" "$T"/parsed.* 2>/dev/null; }
count_with() { maildir_with "$1" | wc -l | tr -d ' '; }
has_n() { [ "$(count_with "$2")" -ge "$1" ]; }
field() { sed -n "s/^$2: //p" "$1" | sed -n 1p; }

run ctl case open main $P1 --reason prohibited_words --rule "$RULE"
C1=$OUT
check "case open succeeds" expect_rc 0
ROOT="<delistd.case-$C1.mail@shop.example>"
check "Exim delivers the case.opened mail to both recipients' maildir" wait_for 20 has_n 2 "message-id: $ROOT"
m=$(maildir_with "message-id: $ROOT" | sed -n 1p)
check "... the Chinese subject round-trips" equals "$(field "$m" subject)" \
    "[delistd] main $P1: listing delisted, case opened: $RULE (case $C1)"
check "... Date survives the MTA" equals "$(field "$m" date-epoch)" 1790557200
check "... From" equals "$(field "$m" from)" "delistd <delistd@shop.example>"
check "... To: the configured recipients" equals "$(field "$m" to-addresses)" "ops@shop.example,boss@shop.example"
check "... Python's parser finds no defect" equals "$(field "$m" defects)" 0
check "... the body says what to do next" grep -q "fix every cited point" "$m"
check "... and the command to see the case" grep -q "delistctl case show $C1" "$m"
envs=$(grep -h "^Envelope-to:" "$M"/Maildir/new/* | sort | tr '\n' ' ')
check "Exim's Envelope-to: one copy per recipient" equals "$envs" "Envelope-to: boss@shop.example Envelope-to: ops@shop.example "

run ctl case note "$C1" "removed the absolute terms from the title" --field title --before "Best LED strip No.1" --after "LED strip 5m warm white"
check "case note succeeds" expect_rc 0
check "the note's mail is delivered" wait_for 20 has_n 2 "rectification recorded (case $C1)"
m=$(maildir_with "rectification recorded (case $C1)" | sed -n 1p)
check "... In-Reply-To: the case's first mail" equals "$(field "$m" in-reply-to)" "$ROOT"
check "... References: the same" equals "$(field "$m" references)" "$ROOT"
check "... its own Message-ID" sh -c 'case "$1" in "<delistd."*"-mail@shop.example>") ;; *) exit 1;; esac' _ "$(field "$m" message-id)"

check "delistd stops cleanly" stop_daemon TERM
stop_mta
finish
