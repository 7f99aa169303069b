#!/bin/sh
# SPDX-License-Identifier: ISC
# credentials.sh: systemd credentials (LoadCredential=) as secrets. A *_file
# key that names a bare credential reads $CREDENTIALS_DIRECTORY/NAME: the
# webhook signs with it (tests/fakes/fake_webhook checks the signature) and
# /metrics on the web listener takes the token from it. Without
# $CREDENTIALS_DIRECTORY such a configuration is refused, saying why.
. "$(dirname "$0")/lib.sh"

for c in curl jq; do
	command -v $c >/dev/null 2>&1 || { echo "1..0 # SKIP $c is missing"; exit 0; }
done
PLUGIN_DIR=$top_builddir/plugins/.libs
CREDS=$T/credentials
mkdir "$CREDS"
SECRET=cred-Secret-51ad7e
METRICS=cred-Metrics-c02b9f
printf '%s\n' "$SECRET" > "$CREDS/erp.secret"
printf '%s\n' "$SECRET" > "$T/fake.secret"
printf '%s\n' "$METRICS" > "$CREDS/metrics.token"
chmod 400 "$CREDS/erp.secret" "$CREDS/metrics.token"
chmod 600 "$T/fake.secret"
check "fake_webhook starts" start_fake_webhook --secret-file "$T/fake.secret"

cat > "$T/delistd.conf" <<CONF
daemon: { state_dir = "$STATE"; plugin_dir = "$PLUGIN_DIR"; };
web: { listen = "127.0.0.1:0"; metrics_token_file = "metrics.token"; };
shops = ( { name = "main"; } );
plugins = ( { name = "erp"; module = "webhook"; url = "$URL/hook";
	secret_file = "erp.secret"; events = [ "case.opened" ]; } );
CONF

unset CREDENTIALS_DIRECTORY
run "$DELISTD" -t -c "$T/delistd.conf"
check "without CREDENTIALS_DIRECTORY a credential's name is refused" expect_rc 1
check "... saying LoadCredential= is missing" contains "$ERR" \
    'secret file erp.secret: a bare name is a systemd credential, but $CREDENTIALS_DIRECTORY is not set'

CREDENTIALS_DIRECTORY=$CREDS
export CREDENTIALS_DIRECTORY
run "$DELISTD" -t -c "$T/delistd.conf"
check "with it, delistd -t accepts the configuration" expect_rc 0
check "delistd starts" start_daemon "$T/delistd.conf"
C=$(ctl case open main 1005001000000777 --reason other)
signed() { grep -q "sig=ok .* case=$C " "$HOOKLOG"; }
check "the webhook signs with the credential's secret" wait_for 20 signed

WEB=$(ctl --json status | jq -r .web.listen)
code() {
	curl -sS -o /dev/null -w '%{http_code}' "$@" "http://$WEB/metrics"
}
if [ -n "$WEB" ] && [ "$WEB" != null ]; then
	check "/metrics takes the credential's token" \
	    equals "$(code -H "Authorization: Bearer $METRICS")" 200
	check "... and refuses another" equals "$(code -H "Authorization: Bearer x")" 401
else
	fail "the web listener's address is in delistctl status"
	diag "$(cat "$T/daemon.log")"
fi
stop_daemon
finish
