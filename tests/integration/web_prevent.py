#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# web_prevent.py: the Listings page's scan findings, the Shop health page
# and a tro case's court matter in headless Chromium (Selenium), for
# web-prevent.sh. Prints "PASS desc" or "FAIL desc: why" per check; every
# wait is a WebDriverWait with a deadline. Environment: WEB, PW (olga's
# and vera's), SHOTS, CHROME, DRIVER, DELISTCTL, SOCK, RISKY, CT.
import json
import os

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browserlib import browser, check, ctl, login, run, shot, wait

E = os.environ
WEB, PW, RISKY, CT = E["WEB"], E["PW"], E["RISKY"], E["CT"]


def ready(d):
    return wait(d, lambda d: d.execute_script(
        "return document.body.dataset.ready === '1'"))


def goto(d, path):
    d.execute_script("document.body.dataset.ready = ''")
    d.get(WEB + path)
    ready(d)


def text(d, css):
    return d.find_element(By.CSS_SELECTOR, css).text


def setv(d, css, v):
    """A form field's value, as a person would leave it (date inputs
    too), with the input event."""
    e = d.find_element(By.CSS_SELECTOR, css)
    d.execute_script("arguments[0].value = arguments[1];"
                     "arguments[0].dispatchEvent(new Event('input'))", e, v)


def visible_rows(d):
    return [r for r in d.find_elements(By.CSS_SELECTOR, "#listings tbody tr")
            if r.is_displayed()]


def fits(d):
    """Nothing wider than the phone's 375 px."""
    return d.execute_script(
        "return document.documentElement.scrollWidth <= 376")


def session(lang, user, phone=False):
    d = browser(lang, 375 if phone else 1400, 812 if phone else 900, phone)
    d.get(WEB + "/listings.html")
    d.execute_script("localStorage.setItem('delistd.lang', arguments[0])",
                     "zh-CN" if lang.startswith("zh") else "en")
    d.get(WEB + "/listings.html")
    login(d, user, PW)
    ready(d)
    return d


def operator_en():
    d = session("en-US", "olga")
    row = "#listings tr[data-listing='main/%s']" % RISKY
    check("Listings: the banned term's finding is on its row", lambda: wait(
        d, lambda d: "Scan finding" in text(d, row + " .badge.risk-scan")))
    check("... with the term and where it is", lambda: text(
        d, row + " .finding .term") == "“best quality” in the title")
    check("... the listing's own words", lambda: text(
        d, row + " .finding .quote") == "BEST QUALITY")
    check("... and the fix to make", lambda: text(
        d, row + " .finding .fix").startswith('Fix: remove "BEST QUALITY"'))
    Select(d.find_element(By.CSS_SELECTOR, "#filters select[name=risk]")
           ).select_by_value("scan")
    check("the risk filter 'Scan finding' shows that listing alone",
          lambda: wait(d, lambda d: [r.get_attribute("data-listing")
                                     for r in visible_rows(d)] ==
                       ["main/" + RISKY]))
    Select(d.find_element(By.CSS_SELECTOR, "#filters select[name=risk]")
           ).select_by_value("")
    d.find_element(By.CSS_SELECTOR, "#scan button[type=submit]").click()
    check("an operator runs a scan from the page: its summary", lambda: wait(
        d, lambda d: text(d, "#scan .msg").startswith(
            "4 listing(s) scanned: 1 at risk (0 new finding(s), 0 cleared)")))
    shot(d, "listings-en.png")

    goto(d, "/health.html")
    pts = json.loads(ctl("--json", "points", "main"))
    want = {l["ledger"]: ("%d %s" % (l["total"], ("point" if l["total"] == 1
                                                  else "points")
                                     if l["unit"] == "points" else
                                     ("strike" if l["total"] == 1
                                      else "strikes")),
                          l["next_threshold"]) for l in pts["ledgers"]}

    def ledgers():
        out = {}
        for tr in d.find_elements(By.CSS_SELECTOR,
                                  "section[data-shop=main] tbody tr"):
            out[tr.get_attribute("data-ledger")] = (
                tr.find_element(By.CSS_SELECTOR, ".total").text,
                tr.find_element(By.CSS_SELECTOR, ".next").text)
        return out
    got = ledgers()
    check("Shop health: each ledger's total is what delistctl points gives",
          lambda: {k: v[0] for k, v in got.items()} ==
          {k: v[0] for k, v in want.items()})
    check("... and its next threshold", lambda: all(
        got[k][1].startswith(str(v[1])) for k, v in want.items()))
    check("... listing_quality at 2 points, the freeze at 12 named",
          lambda: got["listing_quality"] == ("2 points", "12 points") and
          "Account frozen 7 days" in text(
              d, "tr[data-ledger=listing_quality] .then"))
    check("... what expires when, in the shop's zone, named", lambda:
          "expire 2028-01-04 10:00 (Beijing time)" in text(
              d, "section[data-shop=main] .expiring") or
          "2028-01-04 10:00" in text(d, "section[data-shop=main] .expiring"))
    check("... the note that no platform API returns points", lambda:
          "No platform API returns penalty points" in text(d, ".panel.note"))
    Select(d.find_element(By.CSS_SELECTOR, "#fix-main select[name=ledger]")
           ).select_by_value("ip_general")
    setv(d, "#fix-main input[name=points]", "3")
    setv(d, "#fix-main input[name=reason]", "backend shows 3")
    d.find_element(By.CSS_SELECTOR, "#fix-main button[type=submit]").click()
    check("an operator sets a ledger with a reason: the row follows",
          lambda: wait(d, lambda d: text(
              d, "tr[data-ledger=ip_general] .total") == "3 points"))
    check("... and says so", lambda: "Recorded" in text(d, "#fix-main .msg"))
    shot(d, "health-en.png")

    goto(d, "/case.html?id=" + CT)
    check("Case: a tro case without a matter says so", lambda: "No court "
          "matter recorded yet." in text(d, ".panel.matter"))
    for name, v in (("court", "N.D. Ill."), ("docket", "1:27-cv-00777"),
                    ("plaintiff", "Brand Holdings LLC"),
                    ("counsel", "Doe & Roe LLP"), ("served", "2027-01-08"),
                    ("frozen_account", "AliExpress main"),
                    ("frozen_amount", "2500.00"), ("frozen_currency", "USD")):
        setv(d, "#act-matter [name=%s]" % name, v)
    d.find_element(By.CSS_SELECTOR, "#act-matter button[type=submit]").click()
    check("the matter recorded through the form shows on the page",
          lambda: wait(d, lambda d: "1:27-cv-00777" in text(
              d, ".panel.matter")))
    check("... the court's zone named", lambda: "America/Chicago" in text(
        d, ".panel.matter"))
    check("... a reminder's time in the court's zone, as delistctl says it",
          lambda: "2027-01-22 09:00 CST (America/Chicago): 7 day(s) before "
          "Answer due" in text(d, ".panel.matter"))
    check("... the next court date marked: the computed answer date",
          lambda: text(d, ".nextcourt") == "Next court date: Answer due, "
          "2027-01-29 (America/Chicago), in 26 day(s)")
    check("... the frozen funds", lambda: "2500.00 USD on AliExpress main"
          in text(d, ".panel.matter"))
    check("... the form keeps what was recorded", lambda: d.find_element(
        By.CSS_SELECTOR, "#act-matter [name=docket]").get_attribute(
            "value") == "1:27-cv-00777")
    shot(d, "case-en.png")
    d.quit()


def operator_zh():
    d = session("zh-CN", "olga")
    row = "#listings tr[data-listing='main/%s']" % RISKY
    check("中文: the finding's badge and where it is", lambda: wait(
        d, lambda d: text(d, row + " .badge.risk-scan") == "合规扫描命中" and
        text(d, row + " .finding .term") == "标题中含“best quality”"))
    shot(d, "listings-zh.png")
    goto(d, "/health.html")
    check("中文: Shop health in Chinese", lambda: text(d, "h1") == "店铺健康"
          and text(d, "tr[data-ledger=listing_quality] .total") == "2 分" and
          "冻结账号 7 天" in text(d, "tr[data-ledger=listing_quality] .then"))
    check("... times in Beijing time, named", lambda: "(北京时间)" in text(
        d, "tr[data-ledger=listing_quality]"))
    shot(d, "health-zh.png")
    goto(d, "/case.html?id=" + CT)
    check("中文: the court matter in Chinese", lambda: "诉讼信息" in text(
        d, ".panel.matter") and text(d, ".nextcourt").startswith(
            "下一个法院期限： 答辩截止，2027-01-29 (America/Chicago)"))
    shot(d, "case-zh.png")
    d.quit()


def phone():
    d = session("zh-CN", "olga", phone=True)
    check("phone: Listings fits 375 px", lambda: fits(d))
    shot(d, "listings-phone.png", phone=True)
    goto(d, "/health.html")
    check("phone: Shop health fits 375 px", lambda: fits(d))
    shot(d, "health-phone.png", phone=True)
    goto(d, "/case.html?id=" + CT)
    check("phone: the Case page fits 375 px", lambda: fits(d))
    shot(d, "case-phone.png", phone=True)
    d.quit()


def viewer():
    d = session("en-US", "vera")
    check("viewer: no scan form on Listings", lambda: not d.find_element(
        By.ID, "scan").is_displayed())
    check("... but the finding", lambda: d.find_elements(
        By.CSS_SELECTOR, "#listings .finding"))
    goto(d, "/health.html")
    check("viewer: the ledgers without a form", lambda: d.find_elements(
        By.CSS_SELECTOR, "tr[data-ledger]") and not d.find_elements(
            By.CSS_SELECTOR, "form.fix"))
    goto(d, "/case.html?id=" + CT)
    check("viewer: the court matter without its form", lambda:
          "1:27-cv-00777" in text(d, ".panel.matter") and
          not d.find_elements(By.ID, "act-matter"))
    d.quit()


run(operator_en, operator_zh, phone, viewer)
