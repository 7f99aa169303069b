// SPDX-License-Identifier: ISC
// i18n.js: every string of the console, in English and in Chinese (zh-CN),
// and the user's language: localStorage first, then the browser's. The
// Chinese is po/zh_CN.po's (i18n-zh.js, made at build time: msgctxt the
// key, msgid the English); a "zh-CN" entry still here goes into the
// catalogue with po/web-import.sh.
import zhFromPo from "./i18n-zh.js";

const KEY = "delistd.lang";

const catalogue = {
	en: {
		"app.title": "delistd console",
		"login.title": "Sign in",
		"login.name": "User name",
		"login.password": "Password",
		"login.submit": "Sign in",
		"login.bad": "Wrong user name or password.",
		"login.locked": "Too many failed attempts: try again in 15 minutes.",
		"login.failed": "Sign-in failed: {0}",
		"logout": "Sign out",
		"who": "{0} ({1})",
		"role.viewer": "viewer", "role.operator": "operator", "role.admin": "admin",
		"board.title": "Open cases",
		"board.counts": "{0} open · {1} overdue · {2} mine · {3} not acknowledged",
		"board.shown": "{0} of {1} shown",
		"board.empty": "No open case matches.",
		"board.live": "Live",
		"board.offline": "Reconnecting…",
		"filter.shop": "Shop", "filter.state": "State", "filter.reason": "Reason",
		"filter.assignee": "Assignee", "filter.mine": "Mine only",
		"filter.overdue": "Overdue only", "filter.all": "All",
		"filter.nobody": "Nobody",
		"col.case": "Case", "col.product": "Product", "col.reason": "Reason",
		"col.state": "State", "col.age": "Age", "col.due": "Next deadline",
		"col.next": "What to do next", "col.assignee": "Assignee",
		"col.ack": "Acknowledged",
		"page.prev": "Previous", "page.next": "Next", "page.of": "Page {0} of {1}",
		"overdue": "Overdue",
		"yes": "Yes", "no": "No", "none": "—", "untitled": "(no title)",
		"age.d": "{0} d", "age.h": "{0} h", "age.m": "{0} min",
		"due.feedback": "Platform feedback due", "due.escalate": "Escalate by",
		"due.stall": "Act by",
		"tz.shanghai": "Beijing time",
		"state.open": "Open", "state.rectifying": "Rectifying",
		"state.appealed": "Appealed", "state.approved": "Approved",
		"state.reinstated": "Reinstated", "state.synced": "Synced",
		"state.manual_review": "Manual review", "state.abandoned": "Abandoned",
		"state.closed": "Closed",
		"next.open": "Find the cause, rectify the listing, then appeal",
		"next.rectifying": "Finish the rectification and submit the appeal",
		"next.appealed": "Wait for the platform; chase it if feedback is late",
		"next.approved": "Check that the listing is back on sale",
		"next.reinstated": "Wait for the sync to finish",
		"next.manual_review": "Wait for the manual review and record its decision",
		"next.unclassified": "Record the reason of the delisting first",
		"next.overdue": "Overdue: act now",
		"reason.ip_infringement": "IP infringement",
		"reason.category_misplaced": "Wrong category",
		"reason.false_info": "False information",
		"reason.prohibited_words": "Prohibited words",
		"reason.unauthorized_media": "Unauthorised images/video",
		"reason.missing_certification": "Missing certification",
		"reason.not_as_described": "Not as described",
		"reason.duplicate_listing": "Duplicate listing",
		"reason.tro": "TRO (US court order)",
		"reason.spot_check": "Spot check", "reason.other": "Other",
		"reason.unclassified": "Not classified yet",
		"case.title": "Case {0}",
		"case.back": "← All open cases",
		"case.deadlines": "Deadlines", "case.opened": "Opened",
		"case.zone": "Shop time zone", "case.rule": "Rule",
		"case.trail": "Trail", "case.appeals": "Appeals",
		"case.appeal": "Appeal {0} · platform Case ID {1}",
		"case.submitted": "Submitted", "case.decision": "Decision",
		"case.pending": "Pending", "case.approved": "Approved",
		"case.rejected": "Rejected: {0}", "case.statement": "Statement",
		"case.materials": "Materials", "case.evidence": "Evidence",
		"case.documents": "Documents", "case.nothing": "None yet.",
		"case.ack.by": "by {0}, {1}",
		"case.ack.not": "Not acknowledged",
		"case.notfound": "There is no such case.",
		"act.title": "Actions",
		"act.note": "Add a note", "act.note.text": "Note",
		"act.note.submit": "Add note",
		"act.ack": "Acknowledge", "act.ack.for": "For (e.g. 4h; empty: until it changes state)",
		"act.ack.comment": "Comment",
		"act.assign": "Assign", "act.assign.user": "User (empty: nobody)",
		"act.check": "Check an appeal before sending it",
		"act.check.statement": "Statement",
		"act.check.submit": "Run the preflight",
		"act.check.ok": "No finding would get it rejected.",
		"act.done": "Done.",
		"act.failed": "Refused: {0}",
		"sev.error": "Error", "sev.warning": "Warning",
		"err.network": "The daemon does not answer.",
		// Statistics page (stats.html, stats.js) and the header's pages
		"nav.label": "Pages", "nav.stats": "Statistics",
		"stats.title": "Statistics", "stats.weeks": "Weeks",
		"stats.allshops": "All shops",
		"stats.note": "ISO weeks {0} to {1}, from Monday 00:00, {2}",
		"stats.delistings": "Delistings per week, by reason",
		"stats.appeals": "Appeal outcomes, by reason",
		"stats.reinstatement": "Days from takedown to reinstatement",
		"stats.open": "Open cases at the end of each week",
		"stats.open.series": "Open cases",
		"stats.csv": "Download CSV", "stats.numbers": "The numbers",
		"stats.week": "Week", "stats.from": "Starts", "stats.total": "Total",
		"stats.all": "All reasons",
		"stats.approved": "Approved", "stats.rejected": "Rejected",
		"stats.pending": "Pending",
		"stats.reinstated": "Reinstated", "stats.median": "Median (days)",
		"stats.p90": "90% within (days)", "stats.bucket": "{0} d",
		"stats.days": "days",
		"stats.days.summary": "{0} reinstated: half within {1} days, 90% within {2} days",
		"stats.days.none": "Nothing was reinstated in these weeks.",
		// Case page: the action forms, evidence, documents (webpages)
		"nav.board": "Board", "nav.listings": "Listings",
		"nav.documents": "Documents", "nav.alerts": "Alerts",
		"act.check.error": "Errors ({0}): the appeal would be rejected",
		"act.check.warning": "Warnings ({0})",
		"act.appeal": "Record an appeal",
		"act.appeal.pcid": "Platform Case ID",
		"act.appeal.vault": "Materials from the vault",
		"act.appeal.novault": "The vault has no valid document yet.",
		"act.appeal.file": "Or upload a file (PDF, JPG, PNG)",
		"act.appeal.ftype": "Its type",
		"act.appeal.force": "Submit even though the preflight finds errors",
		"act.appeal.submit": "Record the appeal",
		"act.decision": "Record the platform's decision",
		"act.decision.what": "Decision",
		"act.decision.rejected": "Rejected",
		"act.decision.choose": "— choose —",
		"act.decision.reason": "The platform's reason (required when rejected)",
		"act.decision.submit": "Record the decision",
		"act.classify": "Classify the delisting",
		"act.classify.rule": "Rule clause as cited (optional)",
		"act.classify.submit": "Save the reason",
		"act.abandon": "Give the case up",
		"act.abandon.reason": "Why",
		"act.abandon.relisted": "Relisted as product ID (optional)",
		"act.abandon.submit": "Abandon the case",
		"ev.before": "Before the takedown", "ev.api_response": "Platform API answer",
		"ev.snapshot": "Page snapshot", "ev.show": "View", "ev.download": "Download",
		"docs.until": "valid until {0}", "docs.removed": "(removed from the vault)",
		"doctype.ce": "CE", "doctype.fcc": "FCC", "doctype.ukca": "UKCA",
		"doctype.saso": "SASO", "doctype.test_report": "Test report",
		"doctype.trademark": "Trademark certificate",
		"doctype.brand_authorization": "Brand authorisation",
		"doctype.invoice": "Invoice", "doctype.court_order": "Court order",
		"doctype.dismissal": "Dismissal", "doctype.other": "Other",
		// Listings page (webpages)
		"lst.title": "Tracked listings",
		"lst.counts": "{0} tracked · {1} with an open case · {2} at risk · {3} shown",
		"lst.search": "Search", "lst.search.hint": "Product ID or title",
		"lst.status": "Status", "lst.risk": "Risk",
		"lst.risk.any": "At risk (any)", "lst.risk.linked": "Shares a picture",
		"lst.risk.evasion": "Looks relisted", "lst.risk.none": "Not at risk",
		"lst.st.unknown": "Not checked yet", "lst.st.on_sale": "On sale",
		"lst.st.delisted": "Delisted", "lst.st.offline": "Offline",
		"lst.st.under_review": "Under review",
		"lst.st.failed_review": "Failed review", "lst.st.not_found": "Not found",
		"lst.col.product": "Product", "lst.col.case": "Open case",
		"lst.col.since": "Tracked since",
		"lst.track": "Track a listing", "lst.pid": "Product ID",
		"lst.ttitle": "Title (optional)", "lst.track.submit": "Track",
		"lst.tracked": "Now tracking {0} · {1}.",
		"lst.already": "{0} · {1} was already tracked.",
		"lst.untrack": "Untrack", "lst.untrack.confirm": "Click again to untrack",
		"lst.import": "Import a CSV",
		"lst.import.hint": "One listing a line: shop,product_id[,title]. UTF-8 or GB18030; a bad line refuses the whole file.",
		"lst.import.file": "CSV file", "lst.import.submit": "Import",
		"lst.import.done": "{0} lines read: {1} newly tracked, {2} already tracked.",
		"lst.import.refused": "Nothing imported: the file has {0} bad line(s). Fix them and upload it again.",
		"lst.import.line": "Line {0}:",
		"lst.empty": "No tracked listing matches.",
		// Documents page (webpages)
		"doc.title": "Documents",
		"doc.counts": "{0} in the vault · {1} expiring within 30 days · {2} expired",
		"doc.soon": "Expiring within 30 days: renew them before an appeal needs them",
		"doc.upload": "Upload a document", "doc.file": "File (PDF, JPG or PNG)",
		"doc.type": "Type", "doc.expires": "Expires on",
		"doc.products": "Product IDs (comma-separated; empty: all of the shop)",
		"doc.issuer": "Issuer (optional)",
		"doc.rename": "Rename it by the naming convention (AE + product ID + type)",
		"doc.upload.submit": "Upload", "doc.anyshop": "Any shop",
		"doc.allproducts": "All products", "doc.by": "Issued by {0}",
		"doc.added": "Added as document {0}: {1}.",
		"doc.dup": "Already in the vault as document {0}: {1}.",
		"doc.attach": "Attach to a case", "doc.attach.doc": "Document",
		"doc.attach.case": "Open case",
		"doc.attach.force": "Attach even if it names neither the case's product nor its shop",
		"doc.attach.submit": "Attach", "doc.attached.pre": "Attached to ",
		"doc.search.hint": "Name, issuer or product ID",
		"doc.col.doc": "Document", "doc.col.covers": "Shop · products",
		"doc.col.expires": "Expires", "doc.col.added": "Added",
		"doc.noexpiry": "Does not expire", "doc.expired": "Expired",
		"doc.in": "in {0} d",
		"doc.empty": "No document matches.",
		// Alerts page (webpages)
		"al.title": "Alerts",
		"al.counts": "Open conditions: {0} ({1} not taken on) · dead deliveries: {2} · shops snoozed: {3}",
		"al.cond": "Open conditions",
		"al.cond.hint": "Critical conditions are reminded of until someone takes them on or they are resolved.",
		"al.cond.none": "No open condition.",
		"al.col.what": "Condition", "al.col.raised": "Raised",
		"al.col.reminders": "Reminders", "al.col.taken": "Taken on",
		"al.sent": "sent: {0}", "al.next": "next {0}", "al.nonext": "no more while taken on",
		"al.until": "until {0}", "al.untilchange": "until it changes",
		"al.subj.delivery": "delivery {0}",
		"al.ack.for": "For (e.g. 4h)",
		"al.dead": "Dead deliveries",
		"al.dead.hint": "Events a sink gave up on (the ERP, a webhook, mail). Fix the receiver, then retry.",
		"al.dead.none": "No dead delivery.", "al.dead.retryall": "Retry all",
		"al.col.sink": "Sink · event", "al.col.error": "Last error",
		"al.col.died": "Given up", "al.attempts": "attempts: {0}",
		"al.retry": "Retry",
		"al.retried": "Delivery {0} queued again.",
		"al.retried.late": "Delivery {0} queued again; a later event of its case already reached the sink, so it arrives out of order.",
		"al.retried.all": "{0} deliveries queued again.",
		"al.snooze": "Snoozes",
		"al.snooze.hint": "A snoozed shop's mail is held and sent as one summary when the snooze ends.",
		"al.snooze.none": "No shop is configured.",
		"al.col.mail": "Mail", "al.flowing": "Sent as it happens",
		"al.held": "Held until {0}",
		"al.snooze.for": "For (e.g. 2h, 1d)", "al.snooze.set": "Snooze",
		"al.unsnooze": "End the snooze",
		"cond.case.escalated": "Appeal escalated: no platform feedback",
		"cond.case.manual_review": "Manual review",
		"cond.delivery.dead": "Delivery given up",
		"cond.doc.expired": "Document expired",
		"cond.source.auth_failed": "Source cannot sign in",
		"cond.source.quota_exhausted": "Source out of quota",
		// Listings page: the compliance scan (prevent)
		"lst.risk.scan": "Scan finding",
		"lst.find": "“{0}” in the {1}",
		"lst.field.title": "title",
		"lst.find.fix": "Fix: {0}",
		"lst.scan": "Compliance scan",
		"lst.scan.hint": "Checks each tracked title against the banned and absolute terms, the unauthorised brands and the configured patterns. It makes no call to the platform.",
		"lst.scan.all": "All shops",
		"lst.scan.submit": "Scan now",
		"lst.scan.done": "{0} listing(s) scanned: {1} at risk ({2} new finding(s), {3} cleared). No call was made to the platform.",
		// Shop health page (prevent)
		"nav.health": "Shop health",
		"hl.title": "Shop health",
		"hl.counts": "{0} shop(s) · {1} ledger(s) near a threshold",
		"hl.note": "No platform API returns penalty points: these are the confirmed cases' points as configured, and the figures set by hand. Compare them with the seller backend, and set a ledger to the backend's figure when they differ.",
		"hl.col.ledger": "Ledger", "hl.col.total": "Total",
		"hl.col.next": "Next threshold", "hl.col.then": "Then",
		"hl.col.level": "Level", "hl.col.expiry": "Next expiry",
		"hl.ledger.listing_quality": "Listing-information quality",
		"hl.ledger.ip_general": "IP (general) and prohibited goods",
		"hl.ledger.ip_serious": "Serious IP (strikes)",
		"hl.ledger.trade": "Trade violations and other",
		"hl.cons.warn": "Serious warning",
		"hl.cons.restrict3": "Product operations restricted 3 days",
		"hl.cons.freeze1": "Account frozen 1 day",
		"hl.cons.freeze7": "Account frozen 7 days",
		"hl.cons.freeze14": "Account frozen 14 days",
		"hl.cons.freeze30": "Account frozen 30 days",
		"hl.cons.closed": "Account closed",
		"hl.lvl.clear": "Clear", "hl.lvl.near": "Near a threshold",
		"hl.lvl.critical": "One more freezes",
		"hl.points.1": "{0} point", "hl.points.n": "{0} points",
		"hl.strikes.1": "{0} strike", "hl.strikes.n": "{0} strikes",
		"hl.expiring": "What expires when (each entry counts {0} days)",
		"hl.expires": "expiring {0}", "hl.byhand": "set by hand",
		"hl.case": "case #{0}", "hl.colon": ": ",
		"hl.noexpiry": "Nothing counts now.",
		"hl.unreadable": "The points of this shop cannot be read.",
		"hl.fix": "Set or correct a ledger",
		"hl.fix.hint": "Without a case: the ledger is set to the backend's figure. With a case ID: that case's entry is corrected. The reason goes in the trail.",
		"hl.fix.points": "Points (or strikes)",
		"hl.fix.case": "Case ID (only to correct one case)",
		"hl.fix.reason": "Reason", "hl.fix.submit": "Record",
		"hl.fix.done": "Recorded; the ledger above is up to date.",
		// Case page: a tro case's court matter (prevent)
		"tro.title": "Court matter", "act.matter": "Record the court matter",
		"tro.none": "No court matter recorded yet.",
		"tro.zone": "Court dates are calendar days in the court's zone: {0}.",
		"tro.next": "Next court date:",
		"tro.next.what": "{0}, {1}, in {2} day(s)",
		"tro.computed": "(computed)",
		"tro.f.court": "Court", "tro.f.docket": "Docket number",
		"tro.f.plaintiff": "Plaintiff", "tro.f.counsel": "Our counsel",
		"tro.f.filed": "Filed", "tro.f.granted": "TRO granted",
		"tro.f.served": "Served on us", "tro.f.tro_expires": "TRO expires",
		"tro.f.pi_hearing": "Preliminary-injunction hearing",
		"tro.f.answer_due": "Answer due", "tro.f.settled": "Settled",
		"tro.f.dismissed": "Dismissed",
		"tro.f.settlement": "Settlement",
		"tro.f.settlement_amount": "Settlement amount",
		"tro.f.settlement_currency": "Currency (ISO 4217)",
		"tro.f.dismissal_note": "Dismissal note",
		"tro.f.frozen": "Frozen",
		"tro.f.frozen_account": "Account",
		"tro.f.frozen_amount": "Amount",
		"tro.f.frozen_currency": "Currency (ISO 4217)",
		"tro.frozen.item": "{0} {1} on {2} (as of {3})",
		"tro.frozen.add": "Funds frozen on an account",
		"tro.reminders": "Reminders to come",
		"tro.reminder": "{0}: {1} day(s) before {2}",
		"tro.note": "Answer due: served + 21 calendar days, a weekend rolled to Monday (FRCP 6(a), 12(a)); federal holidays are not counted and e-mail service adds no days: confirm every date with counsel.",
		"tro.form.hint": "Dates are the court's calendar days. A field left as it is stays; an emptied one is cleared. The answer date and the TRO expiry are computed (FRCP) unless given.",
		"tro.unchanged": "Nothing changed.",
		"tro.submit": "Record",
	},
	"zh-CN": {
	},
};

// The catalogue's Chinese wins over an entry not yet moved into it.
Object.assign(catalogue["zh-CN"], zhFromPo);

export const languages = [["zh-CN", "中文"], ["en", "English"]];

function pick() {
	const saved = localStorage.getItem(KEY);
	if (saved && catalogue[saved])
		return saved;
	const nav = navigator.languages || [navigator.language || "en"];
	for (const l of nav) {
		if (/^zh\b/i.test(l))
			return "zh-CN";
		if (/^en\b/i.test(l))
			return "en";
	}
	return "en";
}

export let lang = pick();

export function setLang(l) {
	if (!catalogue[l])
		return;
	lang = l;
	localStorage.setItem(KEY, l);
}

// t("key", a, b): the string in the current language, {0} {1} filled in;
// a name the catalogue lacks ("reason.new_one") as it is ("new_one").
export function t(key, ...args) {
	const s = catalogue[lang][key] ?? catalogue.en[key] ??
	    key.slice(key.indexOf(".") + 1);
	return s.replace(/\{(\d)\}/g, (_, i) => String(args[+i] ?? ""));
}

// An event's sentence (the trail) in the current language: its text, the
// daemon's English format and its arguments as strings, through the
// catalogue's "evtext:" entry (po/web.py), each conversion replaced by its
// string in order or by position (%2$s); else its English message.
const CONV = /%(?:(\d+)\$)?[-+ #0'I]*(?:\*(?:\d+\$)?|\d+)?(?:\.(?:\*(?:\d+\$)?|\d*))?(?:hh|ll|[hlqjzZtL])?([diouxXeEfFgGaAcsp%])/g;
export function evtext(e) {
	const f = e.text && catalogue[lang]["evtext:" + e.text.format];
	if (!f || !Array.isArray(e.text.args))
		return e.message;
	let next = 0, ok = true;
	const s = f.replace(CONV, (m, pos, conv) => {
		if (conv === "%")
			return "%";
		const a = e.text.args[pos ? pos - 1 : next++];
		if (typeof a !== "string")
			ok = false;
		return a ?? "";
	});
	return ok ? s : e.message;
}

// The static page's texts: every element with data-i18n.
export function translatePage() {
	document.documentElement.lang = lang;
	for (const e of document.querySelectorAll("[data-i18n]"))
		e.textContent = t(e.dataset.i18n);
	for (const e of document.querySelectorAll("[data-i18n-placeholder]"))
		e.placeholder = t(e.dataset.i18nPlaceholder);
}
