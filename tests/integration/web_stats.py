#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# web_stats.py: the Statistics page in headless Chromium (Selenium), for
# stats.sh, on the history it seeded. Prints "PASS desc" or "FAIL desc:
# why" per check; every wait is a WebDriverWait with a deadline.
# Environment: WEB, PW (user vera's), SHOTS, CHROME, DRIVER, DELISTCTL,
# SOCK.
import json
import os

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browserlib import browser, check, ctl, login, run, shot, wait

E = os.environ
WEB, PW = E["WEB"], E["PW"]

REASON_ZH = {"ip_infringement": "知识产权侵权", "false_info": "信息不实",
             "prohibited_words": "违禁词/极限词"}
REASON_EN = {"ip_infringement": "IP infringement",
             "false_info": "False information",
             "prohibited_words": "Prohibited words"}


def stats(*args):
    return json.loads(ctl("--json", "stats", *args))


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
    d = browser("en-US", 1400, 900)
    try:
        d.get(WEB + "/stats.html")
        login(d, "vera", PW)
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
        d = browser(lang, 375, 812, phone=True)
        try:
            d.get(WEB + "/stats.html")
            login(d, "vera", PW)
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


run(desktop, phone)
