#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# web_pages.py: the console's pages in headless Chromium (Selenium), for
# web-pages.sh. Prints "PASS desc" or "FAIL desc: why" per check; every
# wait is a WebDriverWait with a deadline. Environment: WEB, PW, SHOTS,
# CHROME, DRIVER, DELISTCTL, SOCK and the seeded cases CA (overdue), CB,
# CX (the hostile title).
import http.server
import os
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import zlib

from selenium import webdriver
from selenium.common.exceptions import (NoAlertPresentException,
                                        NoSuchElementException,
                                        StaleElementReferenceException,
                                        TimeoutException)
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

E = os.environ
WEB, PW, SHOTS = E["WEB"], E["PW"], E["SHOTS"]
CA, CB, CX = E["CA"], E["CB"], E["CX"]
HOSTILE = "<img src=x onerror=alert(1)>"
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
    o = Options()
    o.binary_location = E["CHROME"]
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--disable-dev-shm-usage", "--lang=" + lang,
              "--user-data-dir=" + tempfile.mkdtemp(prefix="dlt-chrome."),
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
    d = webdriver.Chrome(service=Service(E["DRIVER"]), options=o)
    d.set_page_load_timeout(WAIT)
    return d


def wait(d, cond, t=WAIT):
    # Pages re-render and navigate: an element may go while it is read.
    return WebDriverWait(d, t, poll_frequency=0.1, ignored_exceptions=(
        NoSuchElementException, StaleElementReferenceException)).until(cond)


def text(d, css):
    return d.find_element(By.CSS_SELECTOR, css).text


def login(d, name, pw):
    wait(d, lambda d: d.find_element(By.ID, "login").is_displayed())
    f = d.find_element(By.ID, "login-name")
    f.clear()
    f.send_keys(name)
    p = d.find_element(By.ID, "login-password")
    p.clear()
    p.send_keys(pw)
    d.find_element(By.ID, "login-submit").click()


def board_ready(d):
    return wait(d, lambda d: d.execute_script(
        "return document.body.dataset.ready === '1' && "
        "!document.getElementById('board').hidden"))


def rows(d):
    return [r.get_attribute("data-case")
            for r in d.find_elements(By.CSS_SELECTOR, "#cases tbody tr")]


def no_alert(d):
    try:
        d.switch_to.alert
        return False
    except NoAlertPresentException:
        return True


def shot(d, name, phone=False):
    """The whole page, from its top."""
    d.execute_script("window.scrollTo(0, 0)")
    h = d.execute_script("return document.body.scrollHeight")
    if phone:
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": 375, "height": min(h, 4000), "deviceScaleFactor": 1,
            "mobile": True})
    else:
        d.set_window_size(1400, min(max(h + 140, 600), 4000))
    d.save_screenshot(os.path.join(SHOTS, name))
    if phone:
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": 375, "height": 812, "deviceScaleFactor": 2,
            "mobile": True})


def ctl(*args):
    return subprocess.run([E["DELISTCTL"], "-s", E["SOCK"]] + list(args),
                          check=True, capture_output=True,
                          text=True).stdout.strip()


def png(w, h, rgb):
    """A solid w x h PNG."""
    def chunk(kind, data):
        c = kind + data
        return (struct.pack(">I", len(data)) + c +
                struct.pack(">I", zlib.crc32(c) & 0xffffffff))
    raw = b"".join(b"\0" + bytes(rgb) * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def picture_server():
    """An https server on 127.0.0.1 (the test's self-signed certificate)
    with one picture: the listing's, as a shop's CDN would serve it."""
    body = png(64, 64, (0x2a, 0x7a, 0xc0))

    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(E["CERT"], E["KEY"])
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return "https://127.0.0.1:%d/ae01/earbuds.png" % srv.server_address[1]


def desktop():
    ctl("track", "main", "1005000000000001", "--image", picture_server())
    d = browser("en-US", 1400, 900)
    try:
        d.get(WEB + "/")
        check("the sign-in form shows to a visitor", lambda: wait(
            d, lambda d: d.find_element(By.ID, "login-form").is_displayed()))
        d.save_screenshot(os.path.join(SHOTS, "login-en.png"))
        login(d, "olga", "not-the-password")
        check("a wrong password says so", lambda: wait(
            d, lambda d: text(d, "#login-msg") ==
            "Wrong user name or password."))
        d.save_screenshot(os.path.join(SHOTS, "login-wrong-en.png"))
        login(d, "olga", PW)
        check("the right password shows the Board", lambda: board_ready(d))
        check("the header names the user and role",
              lambda: text(d, "#who") == "olga (operator)")
        check("the Board lists the three open cases",
              lambda: sorted(rows(d)) == sorted([CA, CB, CX]))
        check("the overdue case comes first (nearest deadline)",
              lambda: rows(d)[0] == CA)
        check("... marked overdue", lambda: "overdue" in d.find_element(
            By.CSS_SELECTOR, "tr[data-case='%s']" % CA)
            .get_attribute("class") and "Overdue" in text(
            d, "tr[data-case='%s']" % CA))
        check("... and the others are not", lambda: not d.find_elements(
            By.CSS_SELECTOR, "tr.overdue:not([data-case='%s'])" % CA))
        check("the counts on top", lambda: text(d, "#counts").startswith(
            "3 open · 1 overdue · 1 mine"))
        check("times are in the shop's zone, named", lambda: "(Beijing time)"
              in text(d, "tr[data-case='%s']" % CA) and "(Europe/Berlin)"
              in text(d, "tr[data-case='%s']" % CB))
        check("what to do next, in words", lambda: "act now" in text(
            d, "tr[data-case='%s']" % CA))
        check("a hostile listing title shows as text",
              lambda: text(d, "tr[data-case='%s'] .title" % CX) == HOSTILE)
        check("... runs nothing (no alert, no img)", lambda: no_alert(d) and
              not d.find_elements(By.CSS_SELECTOR,
                                  "tr[data-case='%s'] img" % CX))
        check("the listing's picture as a thumbnail", lambda: wait(
            d, lambda d: d.execute_script(
                "const i = document.querySelector("
                "'tr[data-case=\"%s\"] img.thumb');"
                "return i !== null && i.complete && i.naturalWidth === 64"
                % CA)))
        sel = Select(d.find_element(By.CSS_SELECTOR, "select[name=shop]"))
        sel.select_by_value("eu")
        check("the shop filter", lambda: wait(d, lambda d: rows(d) == [CB]))
        sel.select_by_value("")
        d.find_element(By.CSS_SELECTOR, "input[name=overdue]").click()
        check("the overdue filter", lambda: wait(d, lambda d: rows(d) == [CA]))
        d.find_element(By.CSS_SELECTOR, "input[name=overdue]").click()
        d.find_element(By.CSS_SELECTOR, "input[name=mine]").click()
        check("the mine filter", lambda: wait(d, lambda d: rows(d) == [CB]))
        d.find_element(By.CSS_SELECTOR, "input[name=mine]").click()
        wait(d, lambda d: len(rows(d)) == 3)
        shot(d, "board-en.png")

        # A case opened now shows up by itself.
        d.execute_script("window.notReloaded = true")
        ctl("track", "main", "1005000000000004", "--title", "Phone case")
        cn = ctl("case", "open", "main", "1005000000000004",
                 "--reason", "duplicate_listing")
        check("a case opened after the page loaded appears without a reload",
              lambda: wait(d, lambda d: cn in rows(d)) and
              d.execute_script("return window.notReloaded === true"))

        # Chinese, by the switch; kept across a reload.
        Select(d.find_element(By.ID, "lang")).select_by_value("zh-CN")
        check("the switch turns the Board Chinese", lambda: wait(
            d, lambda d: text(d, "#board h1") == "未结下架工单"))
        check("... with Beijing time and the reason in Chinese", lambda:
              "北京时间" in text(d, "tr[data-case='%s']" % CA) and
              "违禁词" in text(d, "tr[data-case='%s']" % CA))
        d.refresh()
        board_ready(d)
        check("the language is kept across a reload",
              lambda: text(d, "#board h1") == "未结下架工单")
        shot(d, "board-zh.png")
        Select(d.find_element(By.ID, "lang")).select_by_value("en")
        check("... and switched back to English", lambda: wait(
            d, lambda d: text(d, "#board h1") == "Open cases"))

        # The Case page.
        d.find_element(By.CSS_SELECTOR,
                       "tr[data-case='%s'] a.caseid" % CA).click()
        wait(d, lambda d: d.execute_script(
            "return document.body.dataset.ready === '1'"))
        check("the Case page: deadlines on top, overdue", lambda:
              "overdue" in d.find_element(By.CSS_SELECTOR, ".deadlines")
              .get_attribute("class") and "Platform feedback due" in
              text(d, ".deadlines"))
        check("... the appeal with its Case ID and statement", lambda:
              "5012345678" in text(d, ".appeal") and "best quality" in
              text(d, ".appeal .statement"))
        check("... the trail as a timeline", lambda: len(
            d.find_elements(By.CSS_SELECTOR, ".timeline li")) >= 2)
        check("... an operator sees the actions",
              lambda: d.find_elements(By.ID, "act-note"))
        d.find_element(By.CSS_SELECTOR, "#act-note textarea").send_keys(
            "Called the platform's support: " + HOSTILE)
        d.find_element(By.CSS_SELECTOR, "#act-note button").click()
        check("a note from the form lands in the trail (as text)", lambda:
              wait(d, lambda d: HOSTILE in d.execute_script(
                  "return document.querySelector('.timeline')"
                  ".textContent")) and no_alert(d))
        d.find_element(By.CSS_SELECTOR, "#act-check textarea").send_keys(
            "best quality No.1")
        d.find_element(By.CSS_SELECTOR, "#act-check button").click()
        check("the preflight's findings show inline", lambda: wait(
            d, lambda d: d.find_elements(By.CSS_SELECTOR,
                                         "#act-check .msg li, #act-check .msg")
            and text(d, "#act-check .msg") != ""))
        check("... errors first, each with its severity", lambda: text(
            d, "#act-check .findings li:first-child .badge") == "Error")
        d.execute_script("document.getElementById('act-check')"
                         ".scrollIntoView()")
        d.save_screenshot(os.path.join(SHOTS, "case-preflight-en.png"))
        d.find_element(By.CSS_SELECTOR, "#act-ack button").click()
        check("acknowledge from the form", lambda: wait(
            d, lambda d: "by web:olga" in text(d, ".case-head")))
        shot(d, "case-en.png")
        d.find_element(By.ID, "logout").click()
        wait(d, lambda d: d.find_element(By.ID, "login").is_displayed())

        # A viewer: no forms, and a change is refused.
        login(d, "vera", PW)
        board_ready(d)
        d.get("%s/case.html?id=%s" % (WEB, CA))
        wait(d, lambda d: d.execute_script(
            "return document.body.dataset.ready === '1'"))
        check("a viewer sees the case but no action form", lambda:
              text(d, ".case-head") and not d.find_elements(By.ID,
                                                            "act-note"))
        st = d.execute_async_script("""
            const done = arguments[arguments.length - 1];
            fetch('/v1/session').then((r) => r.json()).then((s) =>
              fetch('/v1/cases/%s/notes', {method: 'POST',
                headers: {'Content-Type': 'application/json',
                          'X-CSRF-Token': s.csrf_token},
                body: JSON.stringify({text: 'viewer note'})}))
            .then((r) => done(r.status), () => done(-1));""" % CA)
        check("... and a viewer's change is 403", lambda: st == 403)
        shot(d, "case-viewer-en.png")
    finally:
        d.quit()


def phone():
    d = browser("zh-CN", 375, 812, phone=True)
    try:
        d.get(WEB + "/")
        check("a Chinese browser gets the Chinese sign-in", lambda: wait(
            d, lambda d: text(d, "#login h1") == "登录"))
        login(d, "olga", PW)
        board_ready(d)
        check("a phone gets the Board as cards (no table head)", lambda:
              not d.find_element(By.CSS_SELECTOR, "#cases thead")
              .is_displayed() and d.execute_script(
                  "return document.documentElement.scrollWidth <= 375"))
        shot(d, "board-phone-zh.png", True)
        d.find_element(By.CSS_SELECTOR,
                       "tr[data-case='%s'] a.caseid" % CB).click()
        wait(d, lambda d: d.execute_script(
            "return document.body.dataset.ready === '1'"))
        check("the Case page in Chinese, Berlin time named", lambda:
              "工单 %s" % CB in text(d, "#case h1") and "(Europe/Berlin)" in
              text(d, ".case-head"))
        check("... fits a phone", lambda: d.execute_script(
            "return document.documentElement.scrollWidth <= 375"))
        shot(d, "case-phone-zh.png", True)

        # 22 more open cases: 26 in all, 25 a page.
        d.get(WEB + "/")
        board_ready(d)
        for i in range(22):
            pid = "10050000000001%02d" % i
            ctl("track", "eu", pid, "--title", "Bulk item %d" % i)
            ctl("case", "open", "eu", pid, "--reason", "other")
        check("the Board pages 25 rows at a time", lambda: wait(
            d, lambda d: len(rows(d)) == 25 and
            "26" in text(d, "#counts")) and d.find_element(
            By.ID, "next").is_enabled())
        d.find_element(By.ID, "next").click()
        check("... the next page has the rest", lambda: wait(
            d, lambda d: len(rows(d)) == 1) and not d.find_element(
            By.ID, "next").is_enabled())
    finally:
        d.quit()


for part in (desktop, phone):
    try:
        part()
    except Exception as e:
        report(False, part.__name__ + " ran to its end",
               "%s: %s" % (type(e).__name__, e))
sys.exit(0)
