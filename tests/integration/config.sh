#!/bin/sh
# SPDX-License-Identifier: ISC
# config.sh: delistd -t on good and bad configuration files. Bad input gets
# a clear error naming file:line and the key, exit 1, and changes nothing.
. "$(dirname "$0")/lib.sh"

conf=$T/delistd.conf

# The example configuration, pointed at a private state dir, with the
# calendar file it includes next to it (as "make install" puts them).
cp "$top_srcdir/etc/calendar-cn-2026.conf" "$T/" || exit 99
sed -e "s|\"/var/lib/delistd\"|\"$STATE\"|" -e "s|\"/run/delistd/delistd.sock\"|\"$SOCK\"|" \
    "$top_srcdir/etc/delistd.conf" > "$T/example.conf"
run "$DELISTD" -t -c "$T/example.conf"
check "the example delistd.conf passes delistd -t" expect_rc 0
check "... which says configuration OK" contains "$OUT" "configuration OK"

write_config "$conf"
run "$DELISTD" -t -c "$conf"
check "a minimal configuration passes -t" expect_rc 0
check "-t does not create the state dir" test ! -e "$STATE"

run "$DELISTD" -t -C
check "the built-in configuration passes -t" expect_rc 0

run "$DELISTD" -t -c "$T/missing.conf"
check "a missing file: exit 1" expect_rc 1
check "... naming the file and the reason" contains "$ERR" "$T/missing.conf: cannot read: No such file or directory"

# bad CASE TEXT NEEDLE: the file holding TEXT is refused with NEEDLE.
bad() {
	desc=$1; printf '%s\n' "$2" > "$conf"
	run "$DELISTD" -t -c "$conf"
	if [ "$RC" = 1 ] && contains "$ERR" "$3" >/dev/null && [ ! -e "$STATE" ]; then
		pass "$desc"
	else
		fail "$desc"; diag "exit $RC" "stderr: $ERR" "want: $3"
	fi
}

d="daemon: { state_dir = \"$STATE\"; };"
bad "syntax error" "$d
rules: { max_appeals = ; };" "$conf:2: syntax error"
bad "unknown key" "$d
rules: {
  max_apeals = 3; };" "$conf:3: rules.max_apeals: unknown key (known keys here: feedback_after"
bad "unknown section" "$d
deamon: { };" "$conf:2: deamon: unknown section"
bad "wrong type" "$d
rules: { max_appeals = \"three\"; };" "$conf:2: rules.max_appeals: expected an integer"
bad "bad duration 5x" "$d
rules: { stall_after = \"5x\"; };" "$conf:2: rules.stall_after: bad duration \"5x\": unknown unit 'x'"
bad "negative duration" "$d
rules: { stall_after = \"-1h\"; };" "$conf:2: rules.stall_after: bad duration \"-1h\""
bad "duration overflow" "$d
rules: { stall_after = \"999999999999999999999s\"; };" "longer than ten years"
bad "integer beyond 32 bits is not wrapped" "$d
rules: { max_appeals = 4294967299; };" "$conf:2: rules.max_appeals: 4294967299 is out of range (1 to 20)"
bad "state dir with a missing parent" "daemon: { state_dir = \"$T/no/such/state\"; };" \
    "$conf:1: daemon.state_dir: $T/no/such/state cannot be created: its parent $T/no/such does not exist"
touch "$T/afile"
bad "state dir that is a file" "daemon: { state_dir = \"$T/afile\"; };" "$T/afile is not a directory"
long=$(printf '%0120d' 0)
bad "socket path too long for sun_path" "daemon: { state_dir = \"$STATE\";
  socket = \"$T/$long.sock\"; };" "$conf:2: daemon.socket: socket path $T/$long.sock is"
bad "secret file missing" "$d
plugins = ( { name = \"erp\"; module = \"webhook\";
  secret_file = \"$T/nope.secret\"; } );" "$conf:3: plugins[0].secret_file: secret file $T/nope.secret: No such file or directory"
printf 'hunter2\n' > "$T/open.secret"; chmod 644 "$T/open.secret"
bad "secret file readable by others" "$d
plugins = ( { name = \"erp\"; module = \"webhook\";
  secret_file = \"$T/open.secret\"; } );" "$conf:3: plugins[0].secret_file: secret file $T/open.secret is accessible by group or others (mode 0644); chmod 600 it"
chmod 640 "$T/open.secret"
bad "secret file readable by group" "$d
plugins = ( { name = \"erp\"; module = \"webhook\";
  secret_file = \"$T/open.secret\"; } );" "(mode 0640)"
check "a secret's content never appears in an error" lacks "$ERR" "hunter2"
bad "unknown time zone" "daemon: { state_dir = \"$STATE\";
  timezone = \"Mars/Olympus\"; };" "$conf:2: daemon.timezone:"
bad "impossible holiday date" "$d
calendar: { holidays = [ \"2026-02-30\" ]; };" "$conf:2: calendar.holidays[0]:"
bad "a module name with a slash" "$d
plugins = ( { name = \"x\"; module = \"../../tmp/evil\"; } );" "$conf:2: plugins[0].module: \"../../tmp/evil\" is not a valid name"

printf '%s\nrules: {\n  bogus = 1;\n  max_appeals = 0;\n};\n' "$d" > "$conf"
run "$DELISTD" -t -c "$conf"
check "every error of a file is reported at once" sh -c 'case "$1" in *"$2:3: rules.bogus"*"$2:4: rules.max_appeals"*) ;; *) exit 1;; esac' _ "$ERR" "$conf"

mkdir -p "$T/conf.d"
printf 'rules: { max_appeals = 2; };\n' > "$T/conf.d/rules.inc"
printf '%s\n@include "conf.d/rules.inc"\n' "$d" > "$conf"
run "$DELISTD" -t -c "$conf"
check "@include resolves relative to the including file's directory" expect_rc 0
cd /
run "$DELISTD" -t -c "$conf"
check "... from any working directory" expect_rc 0
cd "$T" || exit 99
printf '\nrules: { max_appeals = 99; };\n' > "$T/conf.d/rules.inc"
run "$DELISTD" -t -c "$conf"
check "an error in an included file names that file and line" contains "$ERR" "conf.d/rules.inc:2: rules.max_appeals"

# A broken file given to a daemon that should start: nothing is created.
printf '%s\nrules: { max_appeals = 0; };\n' "$d" > "$conf"
run "$DELISTD" -f -c "$conf"
check "delistd refuses to start on a bad file, exit 1" expect_rc 1
check "... and creates no state dir" test ! -e "$STATE"
finish
