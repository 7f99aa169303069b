#!/usr/bin/env python3
# web_stats.py: the Statistics page in headless Chromium (Selenium), for
# stats.sh, on the history it seeded. Prints "PASS desc" or "FAIL desc:
# why" per check; every wait is a WebDriverWait with a deadline.
# Environment: WEB, PW (user vera's), SHOTS, CHROME, DRIVER, DELISTCTL,
# SOCK.
import json
import os
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
from selenium.webdriver.support.ui import Select, WebDriverWait

E = os.environ
WEB, PW, SHOTS = E["WEB"], E["PW"], E["SHOTS"]
WAIT = 15
failures = 0

REASON_ZH = {"ip_infringement": "知识产权侵权", "false_info": "信息不实",
             "prohibited_words": "违禁词/极限词"}
REASON_EN = {"ip_infringement": "IP infringement",
             "false_info": "False information",
             "prohibited_words": "Prohibited words"}


def report(ok, desc, why=""):
    global failures
    if ok:
        print("PASS " + desc, flush=True)
    else:
        failures += 1
        print("FAIL %s: %s" % (desc, why), flush=True)


def check(desc, fn):
    try:
        r = fn()
        report(bool(r), desc, "" if r else "condition false")
    except TimeoutException as e:
        report(False, desc, "timed out %s" % (e.msg or ""))
    except Exception as e:  # a broken page must not stop the others
        report(False, desc, "%s: %s" % (type(e).__name__, e))


def browser(lang, phone=False):
    o = Options()
    o.binary_location = E["CHROME"]
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--disable-dev-shm-usage", "--lang=" + lang,
              "--user-data-dir=" + tempfile.mkdtemp(prefix="dlt-chrome."),
              "--window-size=1400,900"):
        o.add_argument(a)
    o.add_experimental_option("prefs", {"intl.accept_languages": lang})
    if phone:
        o.add_experimental_option("mobileEmulation", {"deviceMetrics": {
            "width": 375, "height": 812, "pixelRatio": 2.0}})
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(E["DRIVER"]), options=o)
    d.set_page_load_timeout(WAIT)
    return d


def wait(d, cond, t=WAIT):
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
    d.save_screenshot(os.path.join(SHOTS, name))
    if phone:
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": 375, "height": 812, "deviceScaleFactor": 2,
            "mobile": True})


def stats(*args):
    return json.loads(subprocess.run(
        [E["DELISTCTL"], "-s", E["SOCK"], "--json", "stats"] + list(args),
        check=True, capture_output=True, text=True).stdout)


def login(d):
    wait(d, lambda d: d.find_element(By.ID, "login").is_displayed())
    d.find_element(By.ID, "login-name").send_keys("vera")
    d.find_element(By.ID, "login-password").send_keys(PW)
    d.find_element(By.ID, "login-submit").click()


def ready(d):
    return wait(d, lambda d: d.execute_script(
        "return document.body.dataset.ready === '1' && "
        "document.querySelectorAll('#charts table').length === 4"))


def table(d, chart):
    """The rows of a chart's table: {key: [cell texts]} (hidden or not)."""
    return d.execute_script("""
        const out = {};
        for (const tr of document.querySelectorAll(
            '#chart-' + arguments[0] + ' tbody tr'))
            out[tr.dataset.key] = [...tr.children].map((c) => c.textContent);
        return out;""", chart)


def days(v):
    return "—" if v is None else "%.1f" % v


def expected(s, names):
    """What each table should say for the answer s of /v1/stats."""
    rs = s["reasons"]
    dl = {w["week"]: [w["week"], w["start"]] +
          [str(w["by_reason"][r]) for r in rs] + [str(w["total"])]
          for w in s["delistings"]}
    ap = {a["reason"]: [names[a["reason"]]] +
          [str(a[k]) for k in ("approved", "rejected", "pending", "total")]
          for a in s["appeals"]["by_reason"]}
    re = {r["reason"]: [names[r["reason"]], str(r["reinstated"]),
                        days(r["median_days"]), days(r["p90_days"])] +
          [str(h) for h in r["histogram"]]
          for r in s["reinstatement"]["by_reason"]}
    op = {w["week"]: [w["week"], w["start"], str(w["open"])]
          for w in s["open"]}
    return {"delistings": dl, "appeals": ap, "reinstatement": re,
            "open": op}


def same(d, s, names, all_name):
    want = expected(s, names)
    for chart, rows in want.items():
        got = table(d, chart)
        if chart in ("appeals", "reinstatement"):
            a = s[chart]["all"]
            got_all = got.pop("all", None)
            all_row = [all_name] + (
                [str(a[k]) for k in ("approved", "rejected", "pending",
                                     "total")] if chart == "appeals" else
                [str(a["reinstated"]), days(a["median_days"]),
                 days(a["p90_days"])] + [str(h) for h in a["histogram"]])
            if got_all != all_row:
                raise AssertionError("%s all: %s, want %s" %
                                     (chart, got_all, all_row))
        if got != rows:
            raise AssertionError("%s: %s, want %s" % (chart, got, rows))
    return True


def csp_clean(d):
    # (a 401 before signing in and the favicon's 404 are no error here)
    bad = [e["message"] for e in d.get_log("browser")
           if "Content Security Policy" in e["message"] or
           "Uncaught" in e["message"]]
    if bad:
        raise AssertionError("; ".join(bad))
    return True


def desktop():
    d = browser("en-US")
    try:
        d.get(WEB + "/stats.html")
        login(d)
        check("the Statistics page shows after sign-in", lambda: ready(d))
        s_all = stats()
        check("its tables give /v1/stats's numbers for all shops (en)",
              lambda: same(d, s_all, REASON_EN, "All reasons"))
        check("the weeks and their zone are named", lambda: d.find_element(
            By.ID, "stats-note").text == "ISO weeks 2026-W15 to 2026-W40, "
            "from Monday 00:00, Beijing time")
        check("four charts drawn as SVG", lambda: d.execute_script(
            "return [...document.querySelectorAll('#charts .plot svg')]"
            ".filter((s) => s.querySelector('.mark')).length") == 4)
        check("the header links the page, marked current",
              lambda: d.find_element(
                  By.CSS_SELECTOR, ".pages a[aria-current=page]")
              .get_attribute("href").endswith("/stats.html"))
        Select(d.find_element(By.CSS_SELECTOR, "select[name=shop]")) \
            .select_by_value("main")
        s_main = stats("main")
        check("the shop selector: main's numbers", lambda: wait(
            d, lambda d: ready(d) and table(d, "appeals")["all"][4] == "4")
            and same(d, s_main, REASON_EN, "All reasons"))
        check("each chart's CSV link asks for its chart of this shop",
              lambda: all(
                  "chart=%s" % c in h and "shop=main" in h and
                  "format=csv" in h for c, h in zip(
                      ("delistings", "appeals", "reinstatement", "open"),
                      [a.get_attribute("href") for a in d.find_elements(
                          By.CSS_SELECTOR, "#charts a.csv")])))
        check("... and downloads it: a header row, then main's numbers",
              lambda: d.execute_script(
                  "const r = await fetch(document.querySelector("
                  "'#chart-appeals a.csv').href); return await r.text();")
              .replace("\r", "").split("\n")[:2] ==
              ["reason,approved,rejected,pending,total",
               "ip_infringement,1,1,1,3"])
        check("no CSP violation, no error", lambda: csp_clean(d))
        d.find_element(By.CSS_SELECTOR, "#chart-delistings summary").click()
        shot(d, "stats-en.png")
        Select(d.find_element(By.ID, "lang")).select_by_value("zh-CN")
        check("in Chinese: the same numbers, the reasons in Chinese",
              lambda: wait(d, lambda d: d.find_element(
                  By.CSS_SELECTOR, "#stats h1").text == "数据统计") and
              same(d, s_main, REASON_ZH, "全部原因"))
        check("... the chart titles and the zone in Chinese", lambda:
              d.find_element(By.CSS_SELECTOR, "#chart-appeals h2").text ==
              "申诉结果（按下架原因）" and "北京时间" in
              d.find_element(By.ID, "stats-note").text)
        shot(d, "stats-zh.png")
    finally:
        d.quit()


def phone():
    for lang, name in (("zh-CN", "stats-phone-zh.png"),
                       ("en-US", "stats-phone-en.png")):
        d = browser(lang, phone=True)
        try:
            d.get(WEB + "/stats.html")
            login(d)
            check("the page on a 375-px phone (%s)" % lang,
                  lambda: ready(d))
            check("... no sideways scrolling (%s)" % lang, lambda:
                  d.execute_script("return document.documentElement"
                                   ".scrollWidth") <= 375)
            check("... the charts fit the screen (%s)" % lang, lambda: all(
                w <= 375 for w in d.execute_script(
                    "return [...document.querySelectorAll('.plot svg')]"
                    ".map((s) => s.getBoundingClientRect().right)")))
            shot(d, name, phone=True)
        finally:
            d.quit()


for part in (desktop, phone):
    try:
        part()
    except Exception as e:
        report(False, part.__name__, "%s: %s" % (type(e).__name__, e))
sys.exit(0)
