#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""hold.py: clients of the daemon's socket that misbehave, for the tests.

    hold.py SOCKET N silent READY   N connections that send nothing
    hold.py SOCKET N follow READY   N event followers that never read
    hold.py SOCKET 1 trickle READY  one request, a header line every 0.2 s
    hold.py SOCKET N drip READY     N requests, each a byte a second

The first two connect (as many as they can, up to N), write how many to
READY, then hold the connections until killed. trickle writes "sending" to
READY when it starts, and exits 0 once the daemon closes the connection,
printing after how many seconds; it gives up (exit 1) after 15 seconds.
drip connects N clients (as many as it can), writes how many to READY,
then sends each one byte of a request every second until killed; it
counts on stdout, once a second, the clients the daemon has closed.
"""

import socket
import sys
import time


def connect(path, timeout=2):
    """Connects within timeout seconds. A Unix socket whose backlog is full
    answers EAGAIN at once instead of waiting: try again until the
    deadline, as a client in no hurry would."""
    deadline = time.monotonic() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(timeout)
        try:
            s.connect(path)
            return s
        except BlockingIOError:
            s.close()
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def hold(path, n, first, ready):
    conns = []
    for _ in range(n):
        try:
            s = connect(path)
            if first:
                s.sendall(first)
        except OSError:
            break
        conns.append(s)
    with open(ready, "w") as f:
        f.write("%d\n" % len(conns))
    while True:
        time.sleep(3600)


def trickle(path, ready):
    s = connect(path)
    s.setblocking(False)
    s.sendall(b"GET /v1/status HTTP/1.1\r\nHost: x\r\n")
    with open(ready, "w") as f:
        f.write("sending\n")
    start = time.monotonic()
    i = 0
    while time.monotonic() - start < 15:
        try:
            if s.recv(4096) == b"":
                break
        except BlockingIOError:
            pass
        except OSError:
            break
        try:
            s.sendall(b"X-Slow-%d: a\r\n" % i)
        except OSError:
            break
        i += 1
        time.sleep(0.2)
    else:
        print("still open after 15 s")
        sys.exit(1)
    print("closed after %.1f s" % (time.monotonic() - start))


def drip(path, n, ready):
    request = b"GET /v1/status HTTP/1.1\r\nHost: x\r\n" + b"X-Pad: " + \
        b"a" * 4096 + b"\r\n\r\n"
    conns = []
    for _ in range(n):
        try:
            # A busy machine: the backlog may be full for a while.
            s = connect(path, 10)
        except OSError:
            break
        s.setblocking(False)
        conns.append(s)
    with open(ready, "w") as f:
        f.write("%d\n" % len(conns))
    i = 0
    closed = 0
    while True:
        tick = time.monotonic()
        for k, s in enumerate(conns):
            if s is None:
                continue
            try:
                s.send(request[i % len(request):i % len(request) + 1])
            except OSError:
                s.close()
                conns[k] = None
                closed += 1
        i += 1
        print("closed %d" % closed, flush=True)
        time.sleep(max(0, 1 - (time.monotonic() - tick)))


def main():
    path, n, mode, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    if mode == "silent":
        hold(path, n, None, ready)
    elif mode == "follow":
        hold(path, n, b"GET /v1/events?follow=1 HTTP/1.1\r\nHost: x\r\n\r\n",
             ready)
    elif mode == "drip":
        drip(path, n, ready)
    elif mode == "trickle":
        trickle(path, ready)
    else:
        sys.exit("hold.py: unknown mode " + mode)


main()
