#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# browserlib.py: what the console's browser scripts (web_pages.py,
# web_stats.py) share: "PASS desc" / "FAIL desc: why" lines, headless
# Chromium with its options, waits with a deadline, whole-page screenshots
# and delistctl. Environment: CHROME, DRIVER, SHOTS, DELISTCTL, SOCK.
import atexit
import os
import shutil
import subprocess
import sys
import tempfile

from selenium import webdriver
from selenium.common.exceptions import (NoSuchElementException,
                                        StaleElementReferenceException,
                                        TimeoutException)
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

E = os.environ
WAIT = 15
failures = 0


def report(ok, desc, why=""):
    global failures
    if ok:
        print("PASS " + desc, flush=True)
    else:
        failures += 1
        print("FAIL %s: %s" % (desc, why), flush=True)


def check(desc, fn):
    """Runs fn; a falsy result or an exception is a failure."""
    try:
        r = fn()
        report(bool(r), desc, "" if r else "condition false")
    except TimeoutException as e:
        report(False, desc, "timed out %s" % (e.msg or ""))
    except Exception as e:  # a broken page must not stop the others
        report(False, desc, "%s: %s" % (type(e).__name__, e))


def browser(lang, width, height, phone=False):
    # Chromium's profile is a folder of its own, removed at exit (after
    # the browser is gone: atexit runs the latest registered first).
    profile = tempfile.mkdtemp(prefix="dlt-chrome.")
    atexit.register(shutil.rmtree, profile, True)
    o = Options()
    o.binary_location = E["CHROME"]
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--disable-dev-shm-usage", "--lang=" + lang,
              "--user-data-dir=" + profile,
              # the picture server's self-signed certificate
              "--ignore-certificate-errors",
              "--window-size=%d,%d" % (width, height)):
        o.add_argument(a)
    o.add_experimental_option("prefs", {"intl.accept_languages": lang})
    if phone:  # a desktop window cannot be narrower than 500 px
        o.add_experimental_option("mobileEmulation", {"deviceMetrics": {
            "width": width, "height": height, "pixelRatio": 2.0}})
    # An alert must not be closed for us: the XSS check looks for one.
    o.set_capability("unhandledPromptBehavior", "ignore")
    # The console's messages, for a check that no CSP violation is logged.
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(E["DRIVER"]), options=o)
    atexit.register(_quit, d)
    d.set_page_load_timeout(WAIT)
    return d


def _quit(d):
    try:  # the script may have quit it already
        d.quit()
    except Exception:
        pass


def wait(d, cond, t=WAIT):
    # Pages re-render and navigate: an element may go while it is read.
    return WebDriverWait(d, t, poll_frequency=0.1, ignored_exceptions=(
        NoSuchElementException, StaleElementReferenceException)).until(cond)


def shot(d, name, phone=False):
    """The whole page, from its top."""
    d.execute_script("window.scrollTo(0, 0)")
    h = d.execute_script("return document.body.scrollHeight")
    if phone:
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": 375, "height": min(h, 6000), "deviceScaleFactor": 1,
            "mobile": True})
    else:
        d.set_window_size(1400, min(max(h + 140, 600), 6000))
    d.save_screenshot(os.path.join(E["SHOTS"], name))
    if phone:
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": 375, "height": 812, "deviceScaleFactor": 2,
            "mobile": True})


def ctl(*args):
    return subprocess.run([E["DELISTCTL"], "-s", E["SOCK"]] + list(args),
                          check=True, capture_output=True,
                          text=True).stdout.strip()


def login(d, name, pw):
    wait(d, lambda d: d.find_element(By.ID, "login").is_displayed())
    f = d.find_element(By.ID, "login-name")
    f.clear()
    f.send_keys(name)
    p = d.find_element(By.ID, "login-password")
    p.clear()
    p.send_keys(pw)
    d.find_element(By.ID, "login-submit").click()


def run(*parts):
    """Runs each part (a function), a failure in one not stopping the
    next; the exit status is 0: the checks' lines say what failed."""
    for part in parts:
        try:
            part()
        except Exception as e:
            report(False, part.__name__ + " ran to its end",
                   "%s: %s" % (type(e).__name__, e))
    sys.exit(0)
