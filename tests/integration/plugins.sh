#!/bin/sh
# SPDX-License-Identifier: ISC
# plugins.sh: the loader's errors, a plugin built out of tree from the
# installed header, the sync of a reinstated case through two sinks, and
# at-least-once delivery across kill -9.
. "$(dirname "$0")/lib.sh"

FAKE=$top_builddir/tests/fakes/fake_webhook
PLUGINS=$top_builddir/plugins/.libs
CC=${CC:-cc}

# --- the loader's errors, each distinct ---------------------------------
mkdir -p "$T/mods"
chmod 755 "$T/mods"
cat > "$T/bad.c" <<'C'
#include <delistd/plugin.h>
#include <stdlib.h>
#include <string.h>
#ifndef ABI
#define ABI DELISTD_PLUGIN_ABI
#endif
static int
init(struct delistd_host *h, const struct delistd_host_api *api, void **inst,
    char **cause)
{
	const char *why;
	(void)inst;
	if (api->conf_string(h, "fail", &why) == 0) {
		*cause = strdup(why);
		return (-1);
	}
	return (api->conf_keys(h, (const char *const[]){ "fail", NULL }, cause));
}
static void fini(void *i) { (void)i; }
static int
deliver(void *i, const struct delistd_event *e, delistd_deliver_done d, void *t)
{
	(void)i; (void)e; (void)d; (void)t;
	return (-1);
}
#ifndef NOSYMBOL
const struct delistd_plugin delistd_plugin = { .abi = ABI, .name = "bad",
	.version = "1", .roles = DELISTD_ROLE_SINK, .init = init, .fini = fini,
	.deliver = deliver };
#endif
C
build() { # NAME CFLAGS...
	n=$1; shift
	"$CC" -shared -fPIC -Wl,-z,noexecstack -I"$top_srcdir/include" "$@" \
	    -o "$T/mods/$n.so" "$T/bad.c"
}
build good && build abi -DABI=999 && build nosym -DNOSYMBOL
echo "not an ELF file" > "$T/mods/text.so"

loader() { # MODULE [EXTRA]: delistd -t on a config loading that module
	cat > "$T/l.conf" <<CONF
daemon: { state_dir = "$STATE"; plugin_dir = "$T/mods"; };
plugins = ( { name = "x"; module = "$1"; ${2:-} } );
CONF
	run "$DELISTD" -t -c "$T/l.conf"
}
loader good
check "a module built against plugin.h loads and inits (-t passes)" expect_rc 0
loader missing
check "a missing module: its own error" sh -c '[ "$1" = 1 ] && case "$2" in *"module \"missing\" not found: $3/missing.so: No such file"*) ;; *) exit 1;; esac' _ "$RC" "$ERR" "$T/mods"
loader text
check "not a shared object: its own error" contains "$ERR" "$T/mods/text.so is not a loadable shared object"
loader nosym
check "no delistd_plugin symbol: its own error" contains "$ERR" "has no delistd_plugin symbol: not a delistd plugin"
loader abi
check "an ABI mismatch names both versions" sh -c 'case "$1" in *"built for plugin ABI 999; this delistd speaks ABI "[0-9]*) ;; *) exit 1;; esac' _ "$ERR"
loader good 'fail = "the ERP token is expired";'
check "an init failure carries the plugin's own message, with file:line" sh -c 'case "$1" in *"l.conf:2: plugin x (module good): the ERP token is expired"*) ;; *) exit 1;; esac' _ "$ERR"
loader good 'colour = "blue";'
check "a key the module does not know is refused with file:line" contains "$ERR" "l.conf:2: plugins.x.colour: unknown key for module good"
loader "../mods/good"
check "a module name with a slash is refused" contains "$ERR" "is not a valid name"
chmod 777 "$T/mods"
loader good
check "a plugin_dir writable by others is refused" contains "$ERR" "is writable by others"
chmod 755 "$T/mods"
write_config "$T/d.conf" "shops = ( { name = \"main\"; } );
plugins = ( { name = \"x\"; module = \"abi\"; } );"
sed -i "s|state_dir = \"$STATE\";|state_dir = \"$STATE\"; plugin_dir = \"$T/mods\";|" "$T/d.conf"
run "$DELISTD" -f -c "$T/d.conf"
check "delistd refuses to start on a plugin error (exit 1)" expect_rc 1
check "... saying why" contains "$ERR" "ABI 999"

# --- out of tree, from the installed header and pkg-config file --------
if make -C "$top_builddir" install DESTDIR="$T/dest" >"$T/install.log" 2>&1; then
	pc=$(find "$T/dest" -name delistd-plugin.pc | head -n 1)
	export PKG_CONFIG_PATH="${pc%/*}" PKG_CONFIG_SYSROOT_DIR="$T/dest"
	if cflags=$(pkg-config --cflags delistd-plugin) &&
	    "$CC" -shared -fPIC -Wl,-z,noexecstack $cflags -o "$T/mods/oot.so" "$T/bad.c"; then
		pass "a third-party plugin builds from the installed header with pkg-config"
	else
		fail "a third-party plugin builds from the installed header with pkg-config"
	fi
	unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
	loader oot
	check "... and delistd loads it" expect_rc 0
	check "the installed plugins include webhook and exec" sh -c 'find "$1" -name webhook.so | grep -q . && find "$1" -name exec.so | grep -q .' _ "$T/dest"
else
	fail "make install DESTDIR=... works"
	diag "$(tail -n 20 "$T/install.log")"
fi

# --- sync: a reinstated case waits for every subscribed sink -----------
"$FAKE" --port-file "$T/p1" --log "$T/erp.log" --mode ok &
f1=$!
"$FAKE" --port-file "$T/p2" --log "$T/ads.log" --mode fail500 &
f2=$!
wait_for 5 test -s "$T/p1" && wait_for 5 test -s "$T/p2" || { fail "the fake receivers start"; finish; }
cat > "$T/s.conf" <<CONF
daemon: { state_dir = "$STATE"; plugin_dir = "$PLUGINS"; };
shops = ( { name = "main"; } );
plugins = (
  { name = "erp"; module = "webhook"; url = "http://127.0.0.1:$(cat "$T/p1")/erp";
    events = [ "case.reinstated" ]; retry_base = "1s"; retry_cap = "1s"; },
  { name = "ads"; module = "webhook"; url = "http://127.0.0.1:$(cat "$T/p2")/ads";
    events = [ "case.reinstated" ]; retry_base = "1s"; retry_cap = "1s"; max_attempts = 100; } );
CONF
check "delistd starts with two webhook sinks" start_daemon "$T/s.conf"
id=$(ctl case open main 1005001 --reason other)
run ctl case reinstated "$id"
check "a reinstated case with subscribers stays reinstated" contains "$OUT" "state reinstated"
check "the first sink acknowledges" wait_for 10 grep -q "event=case.reinstated.*status=200" "$T/erp.log"
check "the second keeps failing, and is retried" wait_for 10 sh -c '[ "$(grep -c "event=case.reinstated" "$1")" -ge 2 ]' _ "$T/ads.log"
run ctl --json case show "$id"
check "case show says which sink is still pending" sh -c 'printf "%s" "$1" | tr -d "\n " | grep -q "\"sync\":\[.*\"sink\":\"ads\",[^]]*\"state\":\"pending\".*\"sink\":\"erp\",[^]]*\"state\":\"done\""' _ "$OUT"
check "... and the case is still reinstated" contains "$OUT" '"state": "reinstated"'
run ctl case show "$id"
check "... and so does the page for people" sh -c 'printf "%s\n" "$1" | grep -A3 "^sync of the reinstatement" | grep -q "^ads  *pending"' _ "$OUT"
curl -s -o /dev/null -X POST -d ok "http://127.0.0.1:$(cat "$T/p2")/_mode"
synced() { ctl --json case show "$id" | grep -q '"state": "synced"'; }
check "once both acknowledged, the case is synced" wait_for 20 synced
run ctl --json events --case "$id"
check "... with a case.synced event" contains "$OUT" '"type": "case.synced"'
stop_daemon
kill "$f1" "$f2" 2>/dev/null

# --- kill -9 during a burst: at least once, none lost ----------------------
rm -rf "$STATE"
"$FAKE" --port-file "$T/p3" --log "$T/burst.log" --mode ok &
f3=$!
wait_for 5 test -s "$T/p3"
cat > "$T/b.conf" <<CONF
daemon: { state_dir = "$STATE"; plugin_dir = "$PLUGINS"; };
shops = ( { name = "main"; } );
plugins = ( { name = "erp"; module = "webhook"; url = "http://127.0.0.1:$(cat "$T/p3")/b";
    events = [ "listing.tracked" ]; retry_base = "1s"; } );
CONF
start_daemon "$T/b.conf" >/dev/null
N=${BURST:-1000}
KILL_AT=$((N * 2 / 5))
i=1
while [ $i -le $N ]; do
	curl -s --unix-socket "$SOCK" -o /dev/null -X POST -d "{\"shop\":\"main\",\"product_id\":\"$((1005000000 + i))\"}" http://x/v1/listings
	if [ $i = $KILL_AT ]; then
		stop_daemon KILL
		start_daemon "$T/b.conf" >/dev/null
	fi
	i=$((i + 1))
done
check "after kill -9 mid-burst, all $N events reach the sink" wait_for 60 sh -c '[ "$(sed -n "s/.* key=\([^ ]*\) .*/\1/p" "$1" | sort -u | wc -l)" -ge "$2" ]' _ "$T/burst.log" "$N"
check "... each under its event's idempotency key" sh -c '[ "$(sed -n "s/.* key=\([0-9]*\)-erp .*/\1/p" "$1" | sort -un | wc -l)" = "$2" ]' _ "$T/burst.log" "$N"
diag "deliveries received: $(grep -c "key=" "$T/burst.log") for $N events"
run ctl outbox
check "... and the outbox is empty" contains "$OUT" "nothing pending, held or dead"
stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
kill "$f3" 2>/dev/null
finish
