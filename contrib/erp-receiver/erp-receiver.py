#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""erp-receiver: a small receiver of delistd's webhook, for an ERP.

It shows the contract a receiver keeps with delistd (delistd-events(7)):

  * The signature: X-Delistd-Signature is "sha256=" and the hex HMAC-SHA256
    of the raw body keyed with the shared secret (the file delistd's
    secret_file names). Compare in constant time; a bad or missing one is
    answered 401, which delistd does not retry (the delivery goes dead and
    shows in "delistctl outbox --dead").
  * The idempotency key: Idempotency-Key names the delivery; delistd sends
    it again, unchanged, on every retry. The receiver records the keys it
    has applied in the same transaction as the change, so a retry after a
    crash (or a lost answer) is answered 200 without applying twice.
  * The answer: 2xx means done; 429 (with Retry-After: seconds) means "not
    now, come back"; 5xx (or no answer) means "failed, try again"; any
    other 4xx means "never": delistd gives up on the delivery at once.

What it does with the events: case.opened holds the listing's stock sync,
case.reinstated resumes it (one JSON line per change in --actions).

usage: erp-receiver.py --secret-file FILE [--port N] [--port-file FILE]
           [--db FILE] [--actions FILE] [--busy N] [--fail-after-apply N]

--busy N answers the first N requests 429 (Retry-After: 1), and
--fail-after-apply N applies the first N changes and then answers 500, as a
crash right after the commit would: both show delistd's retries.
"""

import argparse
import hashlib
import hmac
import http.server
import json
import os
import sqlite3
import sys
import threading

ACTIONS = {
    "case.opened": "hold_stock_sync",
    "case.reinstated": "resume_stock_sync",
}


class Receiver(http.server.BaseHTTPRequestHandler):
    server_version = "erp-receiver/1"

    def log_message(self, fmt, *args):
        sys.stderr.write("erp-receiver: " + (fmt % args) + "\n")

    def answer(self, status, doc, headers=()):
        body = (json.dumps(doc) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        cfg = self.server.cfg
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        with cfg.lock:
            if cfg.busy > 0:
                cfg.busy -= 1
                self.answer(429, {"error": "busy"}, [("Retry-After", "1")])
                return
        # The signature first: nothing unsigned is looked at.
        want = "sha256=" + hmac.new(cfg.secret, body, hashlib.sha256).hexdigest()
        got = self.headers.get("X-Delistd-Signature", "")
        if not hmac.compare_digest(want.encode(), got.encode()):
            self.answer(401, {"error": "bad signature"})
            return
        key = self.headers.get("Idempotency-Key")
        try:
            event = json.loads(body)
        except ValueError:
            self.answer(400, {"error": "not JSON"})
            return
        if not key or not isinstance(event, dict):
            self.answer(400, {"error": "no Idempotency-Key or not an event"})
            return
        with cfg.lock:
            db = cfg.db
            if db.execute("SELECT 1 FROM applied WHERE key = ?", (key,)).fetchone():
                self.answer(200, {"status": "already applied", "key": key})
                return
            action = ACTIONS.get(event.get("type"))
            try:
                with db:  # the change and its key in one transaction
                    db.execute("INSERT INTO applied (key) VALUES (?)", (key,))
                    if action is not None:
                        line = json.dumps({"key": key, "action": action,
                                           "shop": event.get("shop"),
                                           "product_id": event.get("product_id"),
                                           "case": event.get("case")})
                        with open(cfg.actions, "a") as out:
                            out.write(line + "\n")
            except sqlite3.Error as e:
                self.answer(503, {"error": str(e)}, [("Retry-After", "5")])
                return
            if cfg.fail_after_apply > 0:
                cfg.fail_after_apply -= 1
                self.answer(500, {"error": "crashed after the commit"})
                return
        self.answer(200, {"status": "applied" if action else "ignored",
                          "key": key})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--secret-file", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--db", default="erp-receiver.db")
    ap.add_argument("--actions", default="erp-actions.jsonl")
    ap.add_argument("--busy", type=int, default=0)
    ap.add_argument("--fail-after-apply", type=int, default=0)
    cfg = ap.parse_args()
    with open(cfg.secret_file, "rb") as f:
        cfg.secret = f.readline().rstrip(b"\r\n")
    if not cfg.secret:
        sys.exit("erp-receiver: %s is empty" % cfg.secret_file)
    cfg.db = sqlite3.connect(cfg.db, check_same_thread=False)
    cfg.db.execute("CREATE TABLE IF NOT EXISTS applied (key TEXT PRIMARY KEY)")
    cfg.lock = threading.Lock()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", cfg.port), Receiver)
    srv.cfg = cfg
    if cfg.port_file:
        tmp = cfg.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % srv.server_address[1])
        os.rename(tmp, cfg.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
