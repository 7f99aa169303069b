#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# web_pages.py: the console's pages in headless Chromium (Selenium), for
# web-pages.sh. Prints "PASS desc" or "FAIL desc: why" per check; every
# wait is a WebDriverWait with a deadline. Environment: WEB, PW, SHOTS,
# CHROME, DRIVER, DELISTCTL, SOCK and the seeded cases CA (overdue), CB,
# CX (the hostile title), DOC (a CE document in the vault for case A's
# product), UPLOAD (a PDF to upload).
import http.server
import json
import re
import os
import ssl
import struct
import threading
import zlib

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browserlib import browser, check, ctl, login, run, shot, wait

E = os.environ
WEB, PW, SHOTS = E["WEB"], E["PW"], E["SHOTS"]
WORK = E["WORK"]  # the test's own temporary folder: its files go there
CA, CB, CX = E["CA"], E["CB"], E["CX"]
HOSTILE = "<img src=x onerror=alert(1)>"


def text(d, css):
    return d.find_element(By.CSS_SELECTOR, css).text


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


def show(case):
    return json.loads(ctl("--json", "case", "show", case))


def by(case, etype):
    return [e for e in show(case)["trail"] if e["type"] == etype]


def submit(d, form):
    click(d, "#%s button[type=submit]" % form)


def click(d, css):
    """Clicks the element, found again if the page re-rendered it."""
    def go(d):
        d.find_element(By.CSS_SELECTOR, css).click()
        return True
    wait(d, go)


def fill(d, css, value):
    """Types value into the field, found again if the page re-rendered."""
    def go(d):
        f = d.find_element(By.CSS_SELECTOR, css)
        f.clear()
        f.send_keys(value)
        return f.get_attribute("value") == value
    wait(d, go)


def case_forms(d):
    """The Case page's forms on case A (appealed, the appeal pending) and
    case X, checked with delistctl case show."""
    ready = lambda d: d.execute_script(
        "return document.body.dataset.ready === '1'")
    check("the evidence: the platform's answer and the page snapshot",
          lambda: [e.text for e in d.find_elements(
              By.CSS_SELECTOR, ".evidence .ekind")] ==
          ["Platform API answer", "Page snapshot"])
    d.find_elements(By.CSS_SELECTOR, ".evidence li")[1].find_element(
        By.CSS_SELECTOR, "button").click()
    check("... the snapshot viewable on the page, as text", lambda: wait(
        d, lambda d: "<script>alert(1)</script>" in d.find_elements(
            By.CSS_SELECTOR, ".evidence pre.evtext")[1].text) and
        no_alert(d))
    check("... and downloadable", lambda: d.find_elements(
        By.CSS_SELECTOR, ".evidence li")[0].find_element(
        By.CSS_SELECTOR, "a[download]").get_attribute("href").endswith(
        "/v1/cases/%s/evidence/%s" % (CA, E["EV1"])))
    check("the note from the form is in delistctl case show, by web:olga",
          lambda: any(HOSTILE in e["message"] and e["actor"] == "web:olga"
                      for e in by(CA, "case.note")))
    check("a pending appeal offers the decision, not a new appeal", lambda:
          d.find_elements(By.ID, "act-decision") and
          not d.find_elements(By.ID, "act-appeal"))
    Select(d.find_element(By.CSS_SELECTOR, "#act-decision select")
           ).select_by_value("rejected")
    fill(d, "#act-decision textarea", "请提供 CE 证书 (provide the CE certificate)")
    submit(d, "act-decision")
    check("a rejection from the form, with the platform's reason", lambda:
          wait(d, lambda d: d.find_elements(By.ID, "act-appeal")) and
          "provide the CE certificate" in text(d, ".appeal") and
          by(CA, "case.rejected")[0]["actor"] == "web:olga")
    check("the appeal form offers the vault's document", lambda:
          E["DOC"] in [b.get_attribute("value") for b in d.find_elements(
              By.CSS_SELECTOR, "#act-appeal input[name=doc]")])
    fill(d, "#act-appeal input[name=platform_case_id]", "5012345679")
    d.find_element(By.CSS_SELECTOR, "#act-appeal input[name=doc][value='%s']"
                   % E["DOC"]).click()
    fill(d, "#act-appeal textarea[name=statement]", "best quality No.1")
    submit(d, "act-appeal")
    check("an appeal the preflight refuses shows its findings grouped, and "
          "records nothing", lambda: wait(d, lambda d: d.find_elements(
              By.CSS_SELECTOR, "#act-appeal .msg ul.findings-error li")) and
          "Refused" in text(d, "#act-appeal .msg") and
          len(show(CA)["appeals"]) == 1)
    fill(d, "#act-appeal textarea[name=statement]",
         "We removed the absolute terms from the title and attach the CE "
         "declaration and the lab's test report for this earbud model.")
    d.find_element(By.CSS_SELECTOR, "#act-appeal input[type=file]"
                   ).send_keys(E["UPLOAD"])
    Select(d.find_element(By.CSS_SELECTOR, "#act-appeal select[name=ftype]")
           ).select_by_value("test_report")
    d.find_element(By.CSS_SELECTOR, "#act-appeal input[name=force]").click()
    submit(d, "act-appeal")
    check("an appeal from the form shows with its two materials", lambda:
          wait(d, lambda d: len(d.find_elements(By.CSS_SELECTOR,
                                                ".appeal")) == 2 and
               len(d.find_elements(By.CSS_SELECTOR,
                                   ".appeal:nth-of-type(2) .materials li, "
                                   ".appeal .materials li")) >= 2))
    ap = show(CA)["appeals"][-1]
    check("... in delistctl case show: Case ID, the vault's document and "
          "the uploaded file", lambda: ap["platform_case_id"] ==
          "5012345679" and sorted(m["type"] for m in ap["materials"]) ==
          ["ce", "test_report"] and all(m["document"] for m in
                                        ap["materials"]))
    check("... by web:olga", lambda: by(CA, "case.appealed")[-1]["actor"]
          == "web:olga")
    check("the uploaded file is in the vault (delistctl doc list)", lambda:
          "test_report" in ctl("doc", "list"))
    check("the attached document is listed with a link", lambda: d.find_element(
        By.CSS_SELECTOR, "a[href='/v1/documents/%s/content']" % E["DOC"]))
    shot(d, "case-forms-en.png")

    # Case X: classify, assign, abandon with a reason.
    d.get("%s/case.html?id=%s" % (WEB, CX))
    wait(d, ready)
    Select(d.find_element(By.CSS_SELECTOR, "#act-classify select")
           ).select_by_value("prohibited_words")
    fill(d, "#act-classify input[name=rule]", "3.2 absolute terms")
    submit(d, "act-classify")
    check("classify from the form", lambda: wait(
        d, lambda d: "Prohibited words" in text(d, ".case-head")) and
        show(CX)["reason"] == "prohibited_words" and
        by(CX, "case.classified")[0]["actor"] == "web:olga")
    fill(d, "#act-assign input[name=user]", "olga")
    submit(d, "act-assign")
    check("assign from the form", lambda: wait(
        d, lambda d: show(CX)["assignee"] == "olga"))
    wait(d, ready)
    fill(d, "#act-abandon textarea", "Supplier discontinued the model")
    submit(d, "act-abandon")
    check("abandon from the form, with the reason in the trail", lambda:
          wait(d, lambda d: show(CX)["state"] == "abandoned") and
          "Supplier discontinued the model" in by(
              CX, "case.abandoned")[0]["message"] and
          by(CX, "case.abandoned")[0]["actor"] == "web:olga")
    check("... and a finished case shows no forms", lambda: wait(
        d, lambda d: not d.find_elements(By.ID, "act-note")))
    d.get("%s/case.html?id=%s" % (WEB, CA))
    wait(d, ready)


def ready(d):
    return wait(d, lambda d: d.execute_script(
        "return document.body.dataset.ready === '1'"))


def listed():
    return {(l["shop"], l["product_id"]): l for l in
            json.loads(ctl("--json", "listings"))["listings"]}


def listing_rows(d):
    return [r.get_attribute("data-listing") for r in d.find_elements(
        By.CSS_SELECTOR, "#listings tbody tr")]


def import_csv(d, name, data):
    """Uploads data as the file name through the Listings page's import."""
    path = os.path.join(WORK, name)
    with open(path, "wb") as f:
        f.write(data)
    d.find_element(By.CSS_SELECTOR, "#import input[type=file]"
                   ).send_keys(path)
    submit(d, "import")


def listings_page(d):
    """Track, untrack, filters and a CSV import through the Listings page,
    checked with delistctl listings."""
    # A listing at risk: it shows the picture of one delisted for IP.
    # (tracked by web-pages.sh before the clock moved on)
    risky = ctl("case", "open", "main", "1005000000000040",
                "--reason", "ip_infringement")
    d.get(WEB + "/listings.html")
    ready(d)
    check("the Listings page lists the tracked listings", lambda:
          "main/1005000000000001" in listing_rows(d) and
          len(listing_rows(d)) == len(listed()))
    Select(d.find_element(By.CSS_SELECTOR, "#filters select[name=risk]")
           ).select_by_value("linked")
    check("the risk filter: the listing sharing a picture", lambda: wait(
        d, lambda d: listing_rows(d) == ["main/1005000000000041"]))
    Select(d.find_element(By.CSS_SELECTOR, "#filters select[name=risk]")
           ).select_by_value("")
    Select(d.find_element(By.CSS_SELECTOR, "#filters select[name=state]")
           ).select_by_value("delisted")
    check("the status filter", lambda: wait(
        d, lambda d: listing_rows(d) and all(
            listed()[tuple(r.split("/"))]["status"] == "delisted"
            for r in listing_rows(d)) and
        "main/1005000000000041" not in listing_rows(d)))
    Select(d.find_element(By.CSS_SELECTOR, "#filters select[name=state]")
           ).select_by_value("")
    fill(d, "#filters input[name=q]", "charger")
    check("the search", lambda: wait(
        d, lambda d: listing_rows(d) == ["eu/1005000000000002"]))
    shot(d, "listings-search-en.png")
    d.find_element(By.CSS_SELECTOR, "#filters input[name=q]").clear()
    d.execute_script("document.getElementById('filters')"
                     ".dispatchEvent(new Event('input'))")
    ctl("case", "abandon", risky)

    # Track and untrack.
    check("the track form starts on the first shop", lambda: d.execute_script(
        "return document.querySelector('#track select[name=shop]').value")
        == "main")
    Select(d.find_element(By.CSS_SELECTOR, "#track select[name=shop]")
           ).select_by_value("eu")
    fill(d, "#track input[name=product_id]", "1005000000000050")
    fill(d, "#track input[name=title]", "Travel adapter")
    submit(d, "track")
    check("track from the form: in delistctl listings", lambda: wait(
        d, lambda d: "eu/1005000000000050" in listing_rows(d)) and
        listed()[("eu", "1005000000000050")]["title"] == "Travel adapter")
    b = d.find_element(By.CSS_SELECTOR,
                       "tr[data-listing='eu/1005000000000050'] .untrack")
    b.click()
    check("untrack asks once more", lambda: ("eu", "1005000000000050")
          in listed() and "again" in b.text)
    b.click()
    check("untrack: gone from the page and from delistctl listings",
          lambda: wait(d, lambda d: "eu/1005000000000050" not in
                       listing_rows(d)) and ("eu", "1005000000000050")
          not in listed())

    # A CSV import by upload (GB18030, as a Chinese spreadsheet saves it):
    # one new, one already tracked.
    import_csv(d, "web-import.csv", "shop,product_id,title\nmain,"
               "1005000000000060,\"数据线, 编织\"\nmain,1005000000000001,\n"
               .encode("gb18030"))
    check("a CSV upload says what it did", lambda: wait(
        d, lambda d: text(d, "#import .msg") ==
        "2 lines read: 1 newly tracked, 1 already tracked."))
    check("... and delistctl listings has the new one, its GB18030 title "
          "read", lambda: listed()[("main", "1005000000000060")]["title"] ==
          "数据线, 编织")
    import_csv(d, "web-import-bad.csv", b"main,1005000000000061\n"
               b"nowhere,1005000000000062\nmain,not-an-id\n")
    check("a CSV with bad lines is refused, each named by its line",
          lambda: wait(d, lambda d: "Nothing imported" in text(
              d, "#import .msg")) and [
              e.text for e in d.find_elements(
                  By.CSS_SELECTOR, "#import .badlines .lineno")] ==
          ["Line 2:", "Line 3:"])
    check("... and nothing was imported", lambda: ("main",
          "1005000000000061") not in listed())
    shot(d, "listings-en.png")


def documents_page(d):
    """The vault through the Documents page: what expires soon, an upload,
    attaching to a case; checked with delistctl doc list and case show."""
    d.get(WEB + "/documents.html")
    ready(d)
    check("the Documents page lists the vault", lambda: E["DOC"] in [
        r.get_attribute("data-doc") for r in d.find_elements(
            By.CSS_SELECTOR, "#docs tbody tr")])
    check("what expires within 30 days is on top and marked", lambda:
          d.find_element(By.CSS_SELECTOR, "#soon li[data-doc='%s']"
                         % E["SOON"]) and "soon" in d.find_element(
              By.CSS_SELECTOR, "#docs tr[data-doc='%s']" % E["SOON"]
          ).get_attribute("class") and "soon" not in (d.find_element(
              By.CSS_SELECTOR, "#docs tr[data-doc='%s']" % E["DOC"]
          ).get_attribute("class") or ""))
    pdf = os.path.join(WORK, "UKCA_Declaration.pdf")
    with open(pdf, "w") as f:
        f.write("%PDF-1.4\n% ukca\ntrailer << >>\n%%EOF\n")
    d.find_element(By.CSS_SELECTOR, "#upload input[type=file]").send_keys(pdf)
    Select(d.find_element(By.CSS_SELECTOR, "#upload select[name=type]")
           ).select_by_value("ukca")
    Select(d.find_element(By.CSS_SELECTOR, "#upload select[name=shop]")
           ).select_by_value("main")
    fill(d, "#upload input[name=products]", "1005000000000001")
    fill(d, "#upload input[name=issuer]", "BSI")
    d.execute_script("document.querySelector('#upload input[name=expires]')"
                     ".value = '2027-06-30'")
    submit(d, "upload")
    check("an upload says what it added", lambda: wait(
        d, lambda d: text(d, "#upload .msg").startswith("Added as document")))
    new = [x for x in json.loads(ctl("--json", "doc", "list"))["documents"]
           if x["type"] == "ukca"]
    check("... in delistctl doc list with its type, shop, products, issuer "
          "and expiry, by web:olga", lambda: len(new) == 1 and
          new[0]["shop"] == "main" and new[0]["products"] ==
          ["1005000000000001"] and new[0]["issuer"] == "BSI" and
          new[0]["expires"] == "2027-06-30" and
          new[0]["added_by"] == "web:olga")
    doc = str(new[0]["id"]) if new else "0"
    check("... and listed on the page", lambda: wait(
        d, lambda d: d.find_elements(By.CSS_SELECTOR,
                                     "#docs tr[data-doc='%s']" % doc)))
    Select(d.find_element(By.CSS_SELECTOR, "#attach select[name=document]")
           ).select_by_value(doc)
    Select(d.find_element(By.CSS_SELECTOR, "#attach select[name=case]")
           ).select_by_value(CA)
    submit(d, "attach")
    check("attach to a case from the page", lambda: wait(
        d, lambda d: text(d, "#attach .msg").startswith("Attached to")))
    check("... in delistctl case show, by web:olga", lambda: int(doc) in [
        x["id"] for x in show(CA)["documents"]] and
        by(CA, "case.document")[-1]["actor"] == "web:olga")
    shot(d, "documents-en.png")
    d.get("%s/case.html?id=%s" % (WEB, CA))
    ready(d)
    check("the case page lists the attached document with its link", lambda:
          d.find_element(By.CSS_SELECTOR, "#case a[href='/v1/documents/%s/"
                         "content']" % doc).text == new[0]["name"])
    return doc


def outbox(dead=False):
    """The dead deliveries, or all not done."""
    return json.loads(ctl("--json", "outbox", *(["--dead"] if dead else [])
                          ))["deliveries"]


def alerts_page(d):
    """The Alerts page: a condition taken on, a shop snoozed and woken, a
    dead delivery retried; checked with delistctl conditions, status and
    outbox. The ERP's hook refused case X's abandonment once."""
    wait(d, lambda d: len(outbox(True)) >= 1 and json.loads(
        ctl("--json", "conditions"))["conditions"])
    dl = outbox(True)[0]
    cond = [x for x in json.loads(ctl("--json", "conditions"))["conditions"]
            if x["type"] == "delivery.dead"][0]
    d.get(WEB + "/alerts.html")
    ready(d)
    check("the Alerts page lists the open condition, not taken on", lambda:
          "Delivery given up" in text(
              d, "tr[data-condition='%s']" % cond["id"]) and "Not "
          "acknowledged" in text(d, "tr[data-condition='%s']" % cond["id"]))
    check("... naming the delivery's case", lambda: d.find_element(
        By.CSS_SELECTOR, "tr[data-condition='%s'] a.caseid" % cond["id"]
    ).text == "#%s" % dl["case"])
    check("... and the dead delivery with the sink's error", lambda:
          "ERP refused: SKU locked" in text(
              d, "tr[data-delivery='%s']" % dl["id"]))
    fill(d, "#ack-%s input[name=for]" % cond["id"], "4h")
    fill(d, "#ack-%s input[name=comment]" % cond["id"], "calling the ERP team")
    submit(d, "ack-%s" % cond["id"])
    check("a condition taken on from the page: delistctl conditions says "
          "by whom", lambda: wait(d, lambda d: [
              x for x in json.loads(ctl("--json", "conditions"))[
                  "conditions"] if x["id"] == cond["id"] and x["ack"] and
              x["ack"]["by"] == "web:olga" and x["ack"]["comment"] ==
              "calling the ERP team"]) and "web:olga" in ctl("conditions"))
    check("... and the page shows it", lambda: wait(
        d, lambda d: "web:olga" in text(
            d, "tr[data-condition='%s']" % cond["id"])))
    fill(d, "#snooze-eu input[name=for]", "2h")
    fill(d, "#snooze-eu input[name=comment]", "public holiday")
    submit(d, "snooze-eu")
    check("snooze a shop from the page: in delistctl status", lambda: wait(
        d, lambda d: re.search(r"snoozed +eu until", ctl("status"))) and
        "web:olga" in ctl("status"))
    check("... the page shows it held", lambda: wait(
        d, lambda d: "Held until" in text(d, "tr[data-shop='eu']")))
    shot(d, "alerts-en.png")
    submit(d, "snooze-eu")
    check("... and ends it", lambda: wait(
        d, lambda d: not re.search(r"snoozed +eu", ctl("status")) and
        "Sent as it happens" in text(d, "tr[data-shop='eu']")))
    click(d, "tr[data-delivery='%s'] button.retry" % dl["id"])
    check("a dead delivery retried from the page is delivered (delistctl "
          "outbox)", lambda: wait(d, lambda d: dl["id"] not in [
              x["id"] for x in outbox()]))
    check("... the page says so and no longer lists it", lambda: wait(
        d, lambda d: "queued again" in text(d, "#dead > .msg") and not
        d.find_elements(By.CSS_SELECTOR, "tr[data-delivery='%s']"
                        % dl["id"])))
    check("... its condition is resolved", lambda: cond["id"] not in [
        x["id"] for x in json.loads(ctl("--json", "conditions"))[
            "conditions"]])


PAGES = (("listings", "/listings.html"), ("documents", "/documents.html"),
         ("alerts", "/alerts.html"), ("case-forms", "/case.html?id=" + CA))


def tour(d, suffix, phone=False):
    """Each of the pages, a screenshot of each; on a phone, none wider
    than the screen."""
    for name, path in PAGES:
        d.get(WEB + path)
        ready(d)
        if phone:
            check("the %s page fits a 375-px phone" % name, lambda:
                  d.execute_script("return document.documentElement"
                                   ".scrollWidth <= 375"))
        shot(d, "%s-%s.png" % (name, suffix), phone)


def post_status(d, path, body):
    """A POST from the page's own session (with its CSRF token)."""
    return d.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch('/v1/session').then((r) => r.json()).then((s) =>
          fetch(arguments[0], {method: 'POST',
            headers: {'Content-Type': 'application/json',
                      'X-CSRF-Token': s.csrf_token},
            body: JSON.stringify(arguments[1])}))
        .then((r) => done(r.status), () => done(-1));""", path, body)


def viewer_pages(d):
    """A viewer reads the Listings, Documents and Alerts pages without a
    form, and the API refuses what the forms would do."""
    for name, path in PAGES[:3]:
        d.get(WEB + path)
        ready(d)
        check("a viewer sees the %s page without forms" % name, lambda:
              not [f for f in d.find_elements(By.CSS_SELECTOR,
                                              "#page form:not(#filters)")
                   if f.is_displayed()] and not d.find_elements(
                  By.CSS_SELECTOR, "#page tbody button"))
    before = sorted(listed())
    check("a viewer's track is 403 and nothing is tracked", lambda:
          post_status(d, "/v1/listings", {"shop": "main", "product_id":
                                          "1005000000000070"}) == 403 and
          sorted(listed()) == before)
    st = json.loads(ctl("--json", "status"))["snoozes"]
    check("a viewer's snooze is 403 and nothing is snoozed", lambda:
          post_status(d, "/v1/shops/main/snooze", {"for": "1h"}) == 403 and
          json.loads(ctl("--json", "status"))["snoozes"] == st)


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
        check("... grouped by severity under headings", lambda: text(
            d, "#act-check .findings h4").startswith("Errors (") and
            d.find_elements(By.CSS_SELECTOR,
                            "#act-check .findings ul.findings-error li"))
        d.find_element(By.CSS_SELECTOR, "#act-ack button").click()
        check("acknowledge from the form", lambda: wait(
            d, lambda d: "by web:olga" in text(d, ".case-head")))
        case_forms(d)
        shot(d, "case-en.png")
        listings_page(d)
        documents_page(d)
        alerts_page(d)
        tour(d, "en")
        d.execute_script("localStorage.setItem('delistd.lang', 'zh-CN')")
        tour(d, "zh")
        d.get("%s/case.html?id=%s" % (WEB, CA))
        ready(d)
        check("the Case page in Chinese: the trail's sentences in Chinese",
              lambda: wait(d, lambda d: "审核期间请勿重复提交" in
                           text(d, ".timeline") and "do not resubmit" not in
                           text(d, ".timeline")))
        d.execute_script("localStorage.setItem('delistd.lang', 'en')")
        d.get("%s/case.html?id=%s" % (WEB, CA))
        ready(d)
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
        before = len(show(CA)["trail"])
        st = d.execute_async_script("""
            const done = arguments[arguments.length - 1];
            fetch('/v1/session').then((r) => r.json()).then((s) =>
              fetch('/v1/cases/%s/notes', {method: 'POST',
                headers: {'Content-Type': 'application/json',
                          'X-CSRF-Token': s.csrf_token},
                body: JSON.stringify({text: 'viewer note'})}))
            .then((r) => done(r.status), () => done(-1));""" % CA)
        check("... and a viewer's change is 403", lambda: st == 403)
        check("... with nothing changed (delistctl case show)", lambda:
              len(show(CA)["trail"]) == before and not any(
                  e["message"] == "viewer note" for e in show(CA)["trail"]))
        shot(d, "case-viewer-en.png")
        viewer_pages(d)
        shot(d, "alerts-viewer-en.png")
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
        tour(d, "phone-zh", True)

        # 23 more open cases: 26 in all (X was abandoned), 25 a page.
        d.get(WEB + "/")
        board_ready(d)
        for i in range(23):  # case X was abandoned
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


run(desktop, phone)
