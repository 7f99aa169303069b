#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""ttypass.py: a command run on a terminal whose two password prompts
("Password: ", "Again: ") are answered, for the tests.

    ttypass.py FIRST SECOND CMD...

Prints everything the terminal showed (so a test sees whether a password
was echoed) and exits with CMD's status; gives up after 20 seconds.
"""

import os
import pty
import sys
import time

pw1, pw2, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
out = b""
answers = [pw1, pw2]
deadline = time.monotonic() + 20
while time.monotonic() < deadline:
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    out += data
    prompt = b"Password: " if len(answers) == 2 else b"Again: "
    if answers and prompt in out:
        os.write(fd, (answers.pop(0) + "\n").encode())
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
