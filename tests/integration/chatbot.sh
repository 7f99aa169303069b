#!/bin/sh
# chatbot.sh: the chatbot sink against fakes of a WeCom group robot, a
# DingTalk custom robot and a Feishu custom bot (tests/fakes/fake_chatbot,
# which check the credential, the signature, the message's shape and the
# robot's rate limit per minute of the test clock), through the real
# delistd and delistctl.
#
# Covered: each fake sees signed, well-formed markdown messages; the
# assignee of a case is mentioned in each service's way; Feishu folds what is not
# critical into one digest per window, and sends a critical event at once
# (flushing the window before it, the case's order kept); a DingTalk or
# Feishu robot with a wrong secret is a dead letter with the service's own
# message;
# a burst of 100 events to WeCom never exceeds its 20 a minute, and all
# arrive as the clock moves.
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is missing"; exit 0; }

FAKE=$top_builddir/tests/fakes/fake_chatbot
PLUGIN_DIR=$top_builddir/plugins/.libs
for f in "$FAKE" "$PLUGIN_DIR/chatbot.so"; do
	[ -e "$f" ] || { echo "Bail out! $f is not built"; exit 1; }
done

PIDS=
stop_fakes() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	PIDS=
}
main_shell() { [ "$(exec sh -c 'echo $PPID')" = "$$" ]; }
trap 'main_shell && { stop_fakes; cleanup; }' EXIT

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
T0=1796090400
setclock $T0

secret() { printf '%s\n' "$2" > "$T/$1"; chmod 600 "$T/$1"; }
secret wecom.key wc-Key-0c1d2e
secret dingtalk.token dt-Token-4a5b6c
secret dingtalk.secret SECdt-9f8e7d6c5b4a
secret dingtalk.wrong SECdt-not-the-one
secret feishu.hook fs-Hook-1a2b3c
secret feishu.secret fs-Sec-7e6d5c
secret feishu.wrong fs-Sec-not-the-one

# start SERVICE TOKEN [ARGS...]: a fake on a random port; its URL in
# URL_<SERVICE>.
start() {
	_svc=$1; _tok=$2; shift 2
	"$FAKE" --service "$_svc" --token "$_tok" --port-file "$T/$_svc.port" \
	    --log "$T/$_svc.log" --clock-file "$T/clock" "$@" \
	    2>>"$T/fake.err" &
	PIDS="$PIDS $!"
	wait_for 10 test -s "$T/$_svc.port" || return 1
	eval "URL_$_svc=http://127.0.0.1:$(cat "$T/$_svc.port")"
}
check "a fake WeCom robot starts" start wecom wc-Key-0c1d2e --limit 20
check "a fake DingTalk robot starts" start dingtalk dt-Token-4a5b6c \
    --secret-file "$T/dingtalk.secret" --limit 20
check "a fake Feishu bot starts" start feishu fs-Hook-1a2b3c \
    --secret-file "$T/feishu.secret" --limit 100
# stat SERVICE KEY: a figure of the fake's /_fake/stats.
stat() {
	eval "_u=\$URL_$1"
	curl -sS "$_u/_fake/stats" | sed -n "s/.*\"$2\": *\([0-9]*\).*/\1/p"
}
stat_is() { [ "$(stat "$1" "$2")" = "$3" ]; }
stat_ge() { [ "$(stat "$1" "$2")" -ge "$3" ]; }

conf=$T/delistd.conf
cat > "$conf" <<CONF
daemon: {
	state_dir = "$STATE";
	log_level = "debug";
	plugin_dir = "$PLUGIN_DIR";
};
shops = ( { name = "main"; } );
plugins = (
	{ name = "wecom"; module = "chatbot"; service = "wecom";
	  url = "$URL_wecom/cgi-bin/webhook/send";
	  token_file = "$T/wecom.key"; immediate_severity = "info";
	  events = [ "listing.tracked" ]; min_severity = "info"; },
	{ name = "dingtalk"; module = "chatbot"; service = "dingtalk";
	  url = "$URL_dingtalk/robot/send";
	  token_file = "$T/dingtalk.token";
	  secret_file = "$T/dingtalk.secret"; immediate_severity = "info";
	  mentions = [ "alice=13800000000" ];
	  events = [ "case.*" ]; min_severity = "info"; },
	{ name = "feishu"; module = "chatbot"; service = "feishu";
	  url = "$URL_feishu/open-apis/bot/v2/hook";
	  token_file = "$T/feishu.hook"; secret_file = "$T/feishu.secret";
	  digest = "5m"; events = [ "case.*", "delivery.dead" ];
	  min_severity = "info"; },
	{ name = "dtbad"; module = "chatbot"; service = "dingtalk";
	  url = "$URL_dingtalk/robot/send";
	  token_file = "$T/dingtalk.token";
	  secret_file = "$T/dingtalk.wrong";
	  immediate_severity = "info"; events = [ "case.opened" ];
	  min_severity = "info"; max_attempts = 3; },
	{ name = "fsbad"; module = "chatbot"; service = "feishu";
	  url = "$URL_feishu/open-apis/bot/v2/hook";
	  token_file = "$T/feishu.hook"; secret_file = "$T/feishu.wrong";
	  immediate_severity = "info"; events = [ "case.opened" ];
	  min_severity = "info"; max_attempts = 3; }
);
CONF

run "$DELISTD" -t -c "$conf"
check "the chatbot configuration passes delistd -t" expect_rc 0
check "delistd starts with five chatbot instances" start_daemon "$conf"

# --- a case: a dead letter, Feishu's digest and critical event, DingTalk ----
printf 'alice-pw-123456\n' > "$T/pw"
check "a console user alice" ctl user add alice --role operator --password-file "$T/pw"
C1=$(ctl case open main 1005001000000001 --reason prohibited_words)
check "a case is opened" test -n "$C1"

# dtbad signs with the wrong secret: DingTalk answers 310000.
dead_with() {
	curl -sS --unix-socket "$SOCK" "http://localhost/v1/outbox?state=dead" |
	    grep -q "$1"
}
check "a wrong secret is a dead letter at once" wait_for 10 dead_with '"sink": *"dtbad"'
check "... with DingTalk's own message" dead_with 'dingtalk errcode 310000: sign not match'
check "... counted by the fake as a bad signature" stat_is dingtalk bad_sign 1
check "a wrong Feishu secret is a dead letter too" wait_for 10 dead_with '"sink": *"fsbad"'
check "... with Feishu's own message" dead_with 'feishu code 19021: sign match fail or timestamp is not within one hour'

# delivery.dead is critical: Feishu sends it at once, and the window that
# held the case's earlier event goes first, as a digest.
check "Feishu gets a digest and both critical events without the clock moving" wait_for 10 stat_is feishu accepted 3
check "... signed (the one bad signature is fsbad's) and well-formed" sh -c '[ "$1" = 1 ] && [ "$2" = 0 ]' _ "$(stat feishu bad_sign)" "$(stat feishu malformed)"
check "... the digest first, with the case's first event" sh -c 'head -n 1 "$1" | grep "digest: 1 event" | grep -q case.opened' _ "$T/feishu.log"
check "... then the critical ones, marked urgent" sh -c 'sed -n 2,3p "$1" | grep -c "URGENT: .*delivery.dead" | grep -qx 2' _ "$T/feishu.log"
check "... as a card with markdown" grep -q '"msg_type":"interactive"' "$T/feishu.log"

run ctl case assign "$C1" alice
check "the case is assigned to alice" expect_rc 0
check "DingTalk receives its events at once (the clock unmoved)" wait_for 10 stat_is dingtalk accepted 2
check "... signed (the fake saw no other bad signature)" stat_is dingtalk bad_sign 1
check "... well-formed markdown" stat_is dingtalk malformed 0
check "... the case's listing in the text" grep -q "1005001000000001" "$T/dingtalk.log"
check "... alice mentioned by her mobile (at.atMobiles)" grep -q '"atMobiles":\["13800000000"\]' "$T/dingtalk.log"
check "... and @ her in the text, as DingTalk wants" grep -q '@13800000000' "$T/dingtalk.log"
run ctl case note "$C1" "removed the banned words"
check "a note goes to DingTalk at once" wait_for 10 stat_is dingtalk accepted 3
check "... but Feishu holds the case's events for the window" stat_is feishu accepted 3
setclock $((T0 + 301))
check "when the window ends, Feishu gets one digest" wait_for 10 stat_is feishu accepted 4
check "... with the assignment" sh -c 'sed -n 4p "$1" | grep -q "case.assigned"' _ "$T/feishu.log"
setclock $((T0 + 602))
check "the note, behind it in the case's order, goes in the next window" wait_for 10 stat_is feishu accepted 5
check "... the note in it" sh -c 'sed -n 5p "$1" | grep -q "case.note"' _ "$T/feishu.log"

# --- a burst of 100 events: WeCom's 20 a minute never exceeded -------------------
awk 'BEGIN { for (i = 1; i <= 100; i++) printf "main,10050020%08d\n", i }' > "$T/burst.csv"
run ctl import "$T/burst.csv"
check "100 listings tracked: 100 listing.tracked events for WeCom" expect_rc 0
check "WeCom receives the first 20" wait_for 10 stat_is wecom accepted 20
check "... and not one more while the minute lasts" sh -c '! wait_for 2 stat_ge wecom accepted 21'
t=$((T0 + 602))
for want in 40 60 80 100; do
	t=$((t + 60))
	setclock $t
	wait_for 10 stat_is wecom accepted $want || fail "$want messages after the clock moved to $t"
done
check "all 100 arrive, a minute's worth at a time" stat_is wecom accepted 100
check "... the robot never refused one for its rate" stat_is wecom over_limit 0
check "... at most 20 in any minute at the fake" sh -c '[ "$1" -le 20 ]' _ "$(stat wecom max_per_minute)"
check "... each one well-formed markdown" stat_is wecom malformed 0
check "... with the robot's key" stat_is wecom bad_token 0
check "... as WeCom markdown" grep -q '"msgtype":"markdown"' "$T/wecom.log"

# --- mentions on WeCom and Feishu -------------------------------------------
# Two more robots, by a reload: the assignment goes at once, mentioning
# alice in each service's own way.
setclock $((t + 61))
sed -i 's|^);$|,\
	{ name = "wecom-m"; module = "chatbot"; service = "wecom";\
	  url = "'"$URL_wecom"'/cgi-bin/webhook/send";\
	  token_file = "'"$T"'/wecom.key"; immediate_severity = "info";\
	  mentions = [ "alice=alice_wx" ]; events = [ "case.assigned" ]; },\
	{ name = "feishu-m"; module = "chatbot"; service = "feishu";\
	  url = "'"$URL_feishu"'/open-apis/bot/v2/hook";\
	  token_file = "'"$T"'/feishu.hook"; secret_file = "'"$T"'/feishu.secret";\
	  immediate_severity = "info"; mentions = [ "alice=ou_alice" ];\
	  events = [ "case.assigned" ]; }\
);|' "$conf"
run ctl reload
check "a reload adds two robots that mention" expect_rc 0
run ctl case assign "$C1" alice
check "the case is assigned to alice again" expect_rc 0
check "WeCom mentions her as <@userid>" wait_for 10 grep -q '<@alice_wx>' "$T/wecom.log"
check "Feishu mentions her as <at id=open_id></at>" wait_for 10 grep -q '<at id=ou_alice></at>' "$T/feishu.log"

# --- configuration errors --------------------------------------------------
bad_conf() {
	cat > "$T/bad.conf" <<CONF
daemon: { state_dir = "$T/badstate"; plugin_dir = "$PLUGIN_DIR"; };
shops = ( { name = "main"; } );
plugins = ( { name = "x"; module = "chatbot"; $1 } );
CONF
	run "$DELISTD" -t -c "$T/bad.conf"
}
bad_conf 'service = "slack"; token_file = "'"$T/wecom.key"'";'
check "an unknown service is refused" contains "$ERR" "is not \"wecom\", \"dingtalk\" or \"feishu\""
bad_conf 'service = "wecom"; token_file = "'"$T/wecom.key"'"; rate_per_minute = 30;'
check "a rate above the robot's limit is refused" contains "$ERR" "the wecom robot's limit"
bad_conf 'service = "wecom"; token_file = "'"$T/wecom.key"'"; secret_file = "'"$T/feishu.secret"'";'
check "a secret for WeCom, which signs nothing, is refused" contains "$ERR" "signs nothing"
check "no secret ever in the daemon's log" sh -c '! grep -q -e dt-Token-4a5b6c -e SECdt-9f8e7d6c5b4a -e wc-Key-0c1d2e -e fs-Sec-7e6d5c "$1"' _ "$T/daemon.log"

finish
