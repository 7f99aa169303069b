#!/bin/sh
# SPDX-License-Identifier: ISC
# erp-receiver.sh: contrib/erp-receiver against the real delistd. The
# receiver answers the first request 429 (Retry-After), applies the next
# and then answers 500 as if it crashed after its commit; delistd retries
# with the same Idempotency-Key and the receiver answers 200 without
# applying twice: one stock-sync hold for the case, nothing left pending.
# A sink signing with another secret gets 401, which delistd gives up on
# at once (dead), and the receiver applies nothing from it.
. "$(dirname "$0")/lib.sh"

for c in curl python3; do
	command -v $c >/dev/null 2>&1 || { echo "1..0 # SKIP $c is missing"; exit 0; }
done
RECV=$top_srcdir/contrib/erp-receiver/erp-receiver.py
PLUGIN_DIR=$top_builddir/plugins/.libs
printf 'erp-Shared-91c3e0\n' > "$T/erp.secret"
printf 'not-the-Secret-00\n' > "$T/wrong.secret"
chmod 600 "$T/erp.secret" "$T/wrong.secret"

python3 "$RECV" --secret-file "$T/erp.secret" --port-file "$T/port" \
    --db "$T/erp.db" --actions "$T/actions" --busy 1 --fail-after-apply 1 \
    2>>"$T/receiver.log" &
# shellcheck disable=SC2034 # lib.sh's cleanup stops it
FAKE_PID=$!
check "erp-receiver starts" wait_for 10 test -s "$T/port"
URL=http://127.0.0.1:$(cat "$T/port")

cat > "$T/delistd.conf" <<CONF
daemon: { state_dir = "$STATE"; plugin_dir = "$PLUGIN_DIR"; };
shops = ( { name = "main"; } );
plugins = (
	{ name = "erp"; module = "webhook"; url = "$URL/hooks/delistd";
	  secret_file = "$T/erp.secret"; events = [ "case.opened" ];
	  retry_base = "1s"; retry_cap = "1s"; },
	{ name = "erp-bad"; module = "webhook"; url = "$URL/hooks/delistd";
	  secret_file = "$T/wrong.secret"; events = [ "case.opened" ];
	  retry_base = "1s"; retry_cap = "1s"; }
);
CONF
check "delistd starts" start_daemon "$T/delistd.conf"
P=1005001000000999
C=$(ctl case open main $P --reason ip_infringement)

metric() {
	api GET /metrics
	printf '%s\n' "$BODY" | awk -v m="$1" '$1 == m { print $2 }'
}
settled() {
	p=$(metric 'delistd_sink_pending{sink="erp"}')
	d=$(metric 'delistd_sink_dead{sink="erp-bad"}')
	{ [ -z "$p" ] || [ "$p" = 0 ]; } && [ "$d" = 1 ]
}
check "erp is delivered after 429 and 500, erp-bad is dead" wait_for 30 settled
run cat "$T/actions"
check "the receiver applied the case once" \
    equals "$(grep -c . "$T/actions")" 1
check "... holding the listing's stock sync" \
    contains "$OUT" "\"action\": \"hold_stock_sync\", \"shop\": \"main\", \"product_id\": \"$P\", \"case\": $C"
check "the receiver saw 429, 500 and the retry of the same key" sh -c \
    'grep -q "\" 429 " "$1" && grep -q "\" 500 " "$1" && [ "$(grep -c "\" 200 " "$1")" -ge 1 ]' \
    _ "$T/receiver.log"
check "the unsigned-for-it sink was refused (401)" grep -q '" 401 ' "$T/receiver.log"
run ctl outbox --dead
check "delistctl outbox --dead shows the refused delivery" contains "$OUT" "erp-bad"
stop_daemon
finish
