#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""mailparse.py FILE: a mail as Python's email package reads it.

Used by mail.sh and mail_mta.sh, so that the headers are checked by a real
parser (email.parser with policy.default), not by grep. Prints one
"name: value" line per header the tests look at (decoded: RFC 2047 words
become text), then the raw checks, then "body:" and the decoded body.
"""
import email.policy
import email.utils
import sys
from email.parser import BytesParser


def main():
    raw = open(sys.argv[1], "rb").read()
    msg = BytesParser(policy=email.policy.default).parsebytes(raw)
    head = raw.split(b"\r\n\r\n", 1)[0]
    lines = raw.split(b"\r\n")
    out = []
    for name in ("Subject", "From", "To", "Message-ID", "In-Reply-To",
                 "References", "Content-Type", "Content-Transfer-Encoding",
                 "MIME-Version", "Auto-Submitted"):
        v = msg[name]
        out.append("%s: %s" % (name.lower(), "" if v is None else str(v)))
    date = msg["Date"]
    out.append("date-epoch: %s" % (int(date.datetime.timestamp())
                                   if date is not None and date.datetime
                                   else "none"))
    out.append("to-addresses: %s" % ",".join(
        a.addr_spec for a in msg["To"].addresses) if msg["To"] else "")
    out.append("defects: %d" % (len(msg.defects) + sum(
        len(msg[h].defects) for h in msg.keys() if hasattr(msg[h], "defects"))))
    out.append("max-line: %d" % max(len(x) for x in lines))
    out.append("bare-lf: %d" % raw.replace(b"\r\n", b"").count(b"\n"))
    out.append("max-header-line: %d" % max(len(x) for x in head.split(b"\r\n")))
    out.append("charset: %s" % msg.get_content_charset())
    out.append("body:")
    out.append(msg.get_content())
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
