// SPDX-License-Identifier: ISC
// case.js: one case: deadlines on top, the appeals with their statements,
// the trail as a timeline, evidence (viewable) and documents (linked); for
// operators and admins the actions as forms: note, preflight check,
// appeal (materials from the vault or uploaded), decision, classify,
// acknowledge, assign, abandon; a tro case's court matter (dates in the
// court's zone, named; the next court date marked) and its form.
import { api, upload, el, t, start, fmtTime, isOverdue, nextStep,
    refused, now } from "/common.js";
import { evtext } from "/i18n.js";

const id = new URLSearchParams(location.search).get("id");
let me = null;
let c = null;
let vault = []; // the vault's documents, for an appeal's materials

function section(title, ...kids) {
	return el("section", { class: "panel" }, el("h2", { text: title }), ...kids);
}

function dl(pairs) {
	const d = el("dl", { class: "facts" });
	for (const [k, v] of pairs)
		d.append(el("dt", { text: k }), el("dd", {}, v));
	return d;
}

function deadlines() {
	const d = c.deadlines || {};
	const pairs = [];
	for (const [kind, key] of [["feedback", "feedback_due_at"],
	    ["escalate", "escalate_due_at"], ["stall", "stall_due_at"]]) {
		if (d[key])
			pairs.push([t("due." + kind), fmtTime(d[key], c.timezone)]);
	}
	const box = section(t("case.deadlines"));
	box.classList.add("deadlines");
	if (isOverdue(c))
		box.classList.add("overdue");
	// An overdue case's panel is red and its next step says so.
	box.append(el("p", { class: "nextstep", text: nextStep(c) }));
	box.append(pairs.length ? dl(pairs) :
	    el("p", { class: "muted", text: t("case.nothing") }));
	return box;
}

// The matter's members in the order a person reads them (api-tro.c).
const MATTER_TEXT = ["court", "docket", "plaintiff", "counsel"];
const MATTER_DATES = ["filed", "granted", "served", "tro_expires",
    "pi_hearing", "answer_due", "settled", "dismissed"];
const COURT_DATES = ["tro_expires", "pi_hearing", "answer_due"];

// Today in zone tz, "YYYY-MM-DD".
function today(tz) {
	try {
		return new Intl.DateTimeFormat("en-CA", { timeZone: tz,
		    year: "numeric", month: "2-digit", day: "2-digit" })
		    .format(new Date(now()));
	} catch (e) {
		return new Date(now()).toISOString().slice(0, 10);
	}
}

// The nearest court date from today on: {key, date, days} or null; none
// once the matter is dismissed or settled.
function nextCourtDate(m) {
	if (m.dismissed || m.settled)
		return null;
	const d0 = today(m.timezone);
	let best = null;
	for (const k of COURT_DATES) {
		if (m[k] && m[k] >= d0 && (!best || m[k] < best.date))
			best = { key: k, date: m[k] };
	}
	if (best)
		best.days = Math.round((Date.parse(best.date) - Date.parse(d0)) /
		    86400000);
	return best;
}

function matterDate(m, k) {
	const computed = m[k + "_computed"] ? ` ${t("tro.computed")}` : "";
	return `${m[k]} (${m.timezone})${computed}`;
}

function matter() {
	const m = c.matter;
	const box = section(t("tro.title"));
	box.classList.add("matter");
	if (!m) {
		box.append(el("p", { class: "muted", text: t("tro.none") }));
		return box;
	}
	box.append(el("p", { class: "muted", text: t("tro.zone", m.timezone) }));
	const next = nextCourtDate(m);
	if (next)
		box.append(el("p", { class: next.days <= 3 ? "nextcourt soon" :
		    "nextcourt" }, el("strong", { text: t("tro.next") }), " ",
		    t("tro.next.what", t("tro.f." + next.key),
			`${next.date} (${m.timezone})`, next.days)));
	const pairs = [];
	for (const k of [...MATTER_TEXT, ...MATTER_DATES]) {
		if (m[k])
			pairs.push([t("tro.f." + k), MATTER_DATES.includes(k) ?
			    matterDate(m, k) : m[k]]);
	}
	if (m.settlement_amount)
		pairs.push([t("tro.f.settlement"),
		    `${m.settlement_amount} ${m.settlement_currency ?? ""}`]);
	if (m.dismissal_note)
		pairs.push([t("tro.f.dismissal_note"), m.dismissal_note]);
	for (const f of m.frozen)
		pairs.push([t("tro.f.frozen"), t("tro.frozen.item", f.amount,
		    f.currency, f.account, f.as_of)]);
	box.append(dl(pairs));
	const rem = m.reminders.filter((r) => !r.fired);
	if (rem.length) {
		box.append(el("h4", { text: t("tro.reminders") }));
		box.append(el("ul", { class: "plain" }, ...rem.map((r) =>
		    el("li", { text: t("tro.reminder", fmtTime(r.at, m.timezone),
			r.days, t("tro.f." + r.deadline)) }))));
	}
	box.append(el("p", { class: "muted", text: t("tro.note") }));
	return box;
}

// The form of the court matter, filled with what is recorded; only the
// members changed are sent ("" clears one), so that a computed date stays
// computed until someone gives it.
function matterForm() {
	const m = c.matter ?? {};
	const input = (name, type, attrs) => el("label", {},
	    el("span", { text: t("tro.f." + name) }),
	    el("input", { name, type, value: m[name] ?? "", autocomplete: "off",
		...attrs }));
	const frozen = el("fieldset", { class: "frozen" },
	    el("legend", { text: t("tro.frozen.add") }),
	    input("frozen_account", "text"),
	    el("div", { class: "row2" }, input("frozen_amount", "text",
		{ inputmode: "decimal", placeholder: "1234.50" }),
		input("frozen_currency", "text", { placeholder: "USD",
		    maxlength: 3 })));
	const build = (e, msg) => {
		const body = {};
		for (const k of [...MATTER_TEXT, ...MATTER_DATES,
		    "settlement_amount", "settlement_currency", "dismissal_note"]) {
			const v = e[k].value.trim();
			if (v !== (m[k] ?? ""))
				body[k] = v === "" ? null : v;
		}
		const acct = e.frozen_account.value.trim();
		if (acct)
			body.frozen = { account: acct,
			    amount: e.frozen_amount.value.trim(),
			    currency: e.frozen_currency.value.trim() };
		if (!Object.keys(body).length) {
			msg.textContent = t("tro.unchanged");
			return null;
		}
		return body;
	};
	return action("matter", [
	    el("p", { class: "muted", text: t("tro.form.hint") }),
	    el("div", { class: "row2" }, input("court", "text"),
		input("docket", "text")),
	    el("div", { class: "row2" }, input("plaintiff", "text"),
		input("counsel", "text")),
	    el("div", { class: "row2" }, input("filed", "date"),
		input("granted", "date")),
	    el("div", { class: "row2" }, input("served", "date"),
		input("tro_expires", "date")),
	    el("div", { class: "row2" }, input("pi_hearing", "date"),
		input("answer_due", "date")),
	    el("div", { class: "row2" }, input("settled", "date"),
		input("dismissed", "date")),
	    el("div", { class: "row2" }, input("settlement_amount", "text",
		{ inputmode: "decimal" }), input("settlement_currency", "text",
		{ maxlength: 3 })),
	    input("dismissal_note", "text"), frozen],
	    "tro.submit", build, "matter", () => load());
}

function appeals() {
	const box = section(t("case.appeals"));
	if (!c.appeals.length)
		box.append(el("p", { class: "muted", text: t("case.nothing") }));
	for (const a of c.appeals) {
		const decision = a.decision === null ? t("case.pending") :
		    a.decision === "approved" ? t("case.approved") :
		    t("case.rejected", a.reject_reason ?? "");
		const mats = el("ul", { class: "materials" });
		for (const m of a.materials)
			mats.append(el("li", {}, `${t("doctype." + m.type)}: `,
			    m.document ? el("a", { href:
				`/v1/documents/${m.document}/content`,
				target: "_blank", rel: "noopener",
				text: m.name }) : m.name));
		box.append(el("div", { class: "appeal" },
		    el("h3", { text: t("case.appeal", a.n, a.platform_case_id) }),
		    dl([[t("case.submitted"), fmtTime(a.submitted_at, c.timezone)],
			[t("case.decision"), decision]]),
		    el("h4", { text: t("case.statement") }),
		    el("pre", { class: "statement", text: a.statement }),
		    a.materials.length ? el("h4", { text: t("case.materials") }) : null,
		    a.materials.length ? mats : null));
	}
	return box;
}

function trail() {
	const ol = el("ol", { class: "timeline" });
	for (const e of [...c.trail].reverse())
		ol.append(el("li", { class: `sev-${e.severity}` },
		    el("time", { text: fmtTime(e.at, c.timezone) }),
		    el("span", { class: "etype", text: e.type }),
		    el("span", { class: "actor", text: e.actor }),
		    el("p", { text: evtext(e) })));
	return section(t("case.trail"), ol);
}

function list(title, items, fmt) {
	const box = section(title);
	if (!items || !items.length) {
		box.append(el("p", { class: "muted", text: t("case.nothing") }));
		return box;
	}
	const ul = el("ul", { class: "plain" });
	for (const x of items)
		ul.append(el("li", {}, fmt(x)));
	box.append(ul);
	return box;
}

// A labelled field: [name, label key, kind, extra]; kind "textarea",
// "select" (extra: [[value, text]...]), "file", or an input type.
function field([name, label, kind, extra, value]) {
	let input;
	if (kind === "textarea")
		input = el("textarea", { name, rows: 4 });
	else if (kind === "select") {
		input = el("select", { name, required: true });
		for (const [v, txt] of extra)
			input.append(el("option", { value: v,
			    selected: v === value }, txt));
	} else
		input = el("input", { name, type: kind || "text" });
	return el("label", {}, el("span", { text: t(label) }), input);
}


// A form that posts JSON to the case; the answer replaces the page. A
// field is a [name, label, kind, extra] or a node; build may be async and
// may return null (it said why in msg).
function action(key, fields, submitKey, build, path, after) {
	const f = el("form", { class: "action", id: `act-${key}` },
	    el("h3", { text: t(`act.${key}`) }));
	for (const x of fields)
		f.append(Array.isArray(x) ? field(x) : x);
	const msg = el("div", { class: "msg", role: "status" });
	const btn = el("button", { type: "submit", text: t(submitKey) });
	f.append(btn, msg);
	f.addEventListener("submit", async (ev) => {
		ev.preventDefault();
		msg.textContent = "";
		msg.className = "msg";
		btn.disabled = true;
		try {
			const body = await build(f.elements, msg);
			if (body === null)
				return;
			const p = typeof path === "function" ? path(f.elements) :
			    path;
			const r = await api("POST", `/v1/cases/${c.id}/${p}`, body);
			if (r.status >= 200 && r.status < 300) {
				if (after) {
					after(r.data, msg);
					return;
				}
				c = r.data;
				render();
			} else if (r.data?.error?.findings) {
				refused(msg, r);
				msg.append(findingList(r.data.error.findings));
			} else
				refused(msg, r);
		} catch (e) {
			msg.textContent = t("err.network");
			msg.className = "msg error";
		} finally {
			btn.disabled = false;
		}
	});
	return f;
}

// The preflight's findings, grouped by severity: errors, then warnings.
function findingList(list) {
	const box = el("div", { class: "findings" });
	for (const sev of ["error", "warning"]) {
		const of = list.filter((x) => x.severity === sev);
		if (!of.length)
			continue;
		const ul = el("ul", { class: `findings-${sev}` });
		for (const x of of)
			ul.append(el("li", { class: `sev-${sev}` },
			    el("span", { class: "badge", text: t("sev." + sev) }),
			    el("span", { class: "code", text: x.code }),
			    el("span", { class: "fmsg", text: x.message })));
		box.append(el("h4", { text: t("act.check." + sev, of.length) }),
		    ul);
	}
	return box;
}

function findings(data, msg) {
	msg.replaceChildren();
	if (!data.findings.length) {
		msg.textContent = t("act.check.ok");
		return;
	}
	msg.append(findingList(data.findings));
}

// The vault's documents as checkboxes (materials of an appeal); those of
// the case's product or shop first.
function vaultPicker() {
	const box = el("fieldset", { class: "picker" },
	    el("legend", { text: t("act.appeal.vault") }));
	const mine = (d) => (d.products || []).includes(c.product_id) ? 0 :
	    d.shop === c.shop ? 1 : d.shop ? 3 : 2;
	const docs = [...vault].filter((d) => !d.expired)
	    .sort((a, b) => mine(a) - mine(b) || a.id - b.id);
	if (!docs.length)
		box.append(el("p", { class: "muted", text: t("act.appeal.novault") }));
	for (const d of docs)
		box.append(el("label", { class: "check" },
		    el("input", { type: "checkbox", name: "doc", value: d.id }),
		    ` ${t("doctype." + d.type)} · ${d.name}`,
		    d.expires ? el("span", { class: "muted",
			text: ` (${t("docs.until", d.expires)})` }) : null));
	return box;
}

// A file put in the vault first (type, the case's shop and product):
// the document, or null with the refusal in msg.
async function uploadDoc(file, type, msg) {
	const q = new URLSearchParams({ type, name: file.name, shop: c.shop,
	    products: c.product_id });
	const r = await upload(`/v1/documents?${q}`, file);
	if (r.status === 200 || r.status === 201)
		return r.data;
	refused(msg, r);
	return null;
}

function material(d) {
	return { name: d.name, type: d.type, sha256: d.sha256, size: d.size };
}

async function appealBody(e, msg) {
	const mats = [];
	for (const box of e.doc ? (e.doc.length === undefined ? [e.doc] :
	    [...e.doc]) : []) {
		if (box.checked)
			mats.push(material(vault.find((d) => String(d.id) ===
			    box.value)));
	}
	if (e.file.files.length) {
		const d = await uploadDoc(e.file.files[0], e.ftype.value, msg);
		if (d === null)
			return null;
		if (!vault.some((x) => x.id === d.id))
			vault.push(d);
		mats.push(material(d));
	}
	return { platform_case_id: e.platform_case_id.value.trim(),
	    statement: e.statement.value, materials: mats,
	    force: e.force.checked || undefined };
}

function pendingAppeal() {
	return c.appeals.find((a) => a.decision === null) ?? null;
}

const REASONS = ["ip_infringement", "category_misplaced", "false_info",
    "prohibited_words", "unauthorized_media", "missing_certification",
    "not_as_described", "duplicate_listing", "tro", "spot_check", "other"];
const DOCTYPES = ["ce", "fcc", "ukca", "saso", "test_report", "trademark",
    "brand_authorization", "invoice", "court_order", "dismissal", "other"];

function actions() {
	const v = (s) => (s.trim() === "" ? undefined : s.trim());
	const pending = pendingAppeal();
	const types = DOCTYPES.map((x) => [x, t("doctype." + x)]);
	const force = el("label", { class: "check" },
	    el("input", { type: "checkbox", name: "force" }),
	    ` ${t("act.appeal.force")}`);
	return section(t("act.title"),
	    c.reason === "tro" ? matterForm() : null,
	    action("note", [["text", "act.note.text", "textarea"]],
		"act.note.submit", (e) => ({ text: e.text.value }), "notes"),
	    action("check", [["statement", "act.check.statement", "textarea"]],
		"act.check.submit", (e) => ({ statement: e.statement.value }),
		"preflight", findings),
	    pending ? null : action("appeal", [
		["platform_case_id", "act.appeal.pcid"],
		["statement", "act.check.statement", "textarea"],
		vaultPicker(),
		el("div", { class: "row2" },
		    field(["file", "act.appeal.file", "file"]),
		    field(["ftype", "act.appeal.ftype", "select", types])),
		force], "act.appeal.submit", appealBody, "appeals"),
	    pending ? action("decision", [
		el("p", { class: "muted", text: t("case.appeal", pending.n,
		    pending.platform_case_id) }),
		["decision", "act.decision.what", "select",
		    [["", t("act.decision.choose")],
		     ["approved", t("case.approved")],
		     ["rejected", t("act.decision.rejected")]]],
		["reason", "act.decision.reason", "textarea"]],
		"act.decision.submit", (e) => ({ decision: e.decision.value,
		reason: e.decision.value === "rejected" ? e.reason.value :
		    undefined }), `appeals/${pending.n}/decision`) : null,
	    action("classify", [
		["reason", "col.reason", "select",
		    REASONS.map((x) => [x, t("reason." + x)]), c.reason],
		["rule", "act.classify.rule"]], "act.classify.submit",
		(e) => ({ reason: e.reason.value, rule: v(e.rule.value) }),
		"classify"),
	    action("ack", [["for", "act.ack.for"], ["comment", "act.ack.comment"]],
		"act.ack", (e) => ({ for: v(e.for.value),
		comment: v(e.comment.value) }), "ack"),
	    action("assign", [["user", "act.assign.user"]], "act.assign",
		(e) => ({ user: v(e.user.value) ?? null }), "assign"),
	    action("abandon", [["reason", "act.abandon.reason", "textarea"],
		["relisted_as", "act.abandon.relisted"]], "act.abandon.submit",
		(e) => ({ reason: e.reason.value.trim(),
		relisted_as: v(e.relisted_as.value) }), "abandon"));
}

// Evidence: each archived file viewable as text on the page (never as
// HTML), and downloadable.
function evidence() {
	const box = section(t("case.evidence"));
	if (!c.evidence || !c.evidence.length) {
		box.append(el("p", { class: "muted", text: t("case.nothing") }));
		return box;
	}
	const ul = el("ul", { class: "plain evidence" });
	for (const x of c.evidence) {
		const li = el("li", {},
		    el("span", { class: "ekind", text: t("ev." + x.kind) }), " ",
		    el("time", { text: fmtTime(x.at, c.timezone) }),
		    x.title ? el("span", { text: ` · ${x.title}` }) : null,
		    x.url ? el("span", { class: "url", text: ` ${x.url}` }) : null);
		if (x.sha256) {
			const href = `/v1/cases/${c.id}/evidence/${x.sha256}`;
			const pre = el("pre", { class: "evtext", hidden: true });
			const show = el("button", { type: "button", class: "small",
			    text: t("ev.show") });
			show.addEventListener("click", async () => {
				if (!pre.hidden) {
					pre.hidden = true;
					return;
				}
				const r = await fetch(href, { credentials: "same-origin" });
				const body = await r.text();
				pre.textContent = body.length > 65536 ?
				    body.slice(0, 65536) + "\n…" : body;
				pre.hidden = false;
			});
			li.append(" ", show, " ", el("a", { href,
			    download: `case${c.id}-${x.kind}-${x.sha256.slice(0, 8)}`,
			    text: t("ev.download") }),
			    el("span", { class: "muted", text: ` ${x.size} B` }), pre);
		} else
			li.append(el("span", { class: "error",
			    text: ` ${x.error ?? ""}` }));
		ul.append(li);
	}
	box.append(ul);
	return box;
}

function documents() {
	return list(t("case.documents"), c.documents, (x) =>
	    el("span", {}, `${t("doctype." + x.type)}: `,
		x.removed ? el("span", { text: `${x.name} ${t("docs.removed")}` }) :
		el("a", { href: `/v1/documents/${x.id}/content`, target: "_blank",
		    rel: "noopener", text: x.name }),
		x.expires ? el("span", { class: "muted",
		    text: ` (${t("docs.until", x.expires)})` }) : null));
}

function render() {
	const root = document.getElementById("case");
	if (!c) {
		root.replaceChildren(el("p", { class: "error",
		    text: t("case.notfound") }));
		return;
	}
	document.title = `${t("case.title", c.id)} · delistd`;
	const head = el("header", { class: "case-head panel" },
	    el("h1", {}, t("case.title", c.id), " ",
		el("span", { class: `state s-${c.state}`,
		    text: t("state." + c.state) })),
	    el("p", { class: "title", text: c.title ?? t("untitled") }),
	    dl([[t("filter.shop"), `${c.shop} · ${c.product_id}`],
		[t("col.reason"), t("reason." + c.reason)],
		[t("case.rule"), c.rule ?? t("none")],
		[t("case.opened"), fmtTime(c.opened_at, c.timezone)],
		[t("case.zone"), c.timezone],
		[t("col.assignee"), c.assignee ?? t("none")],
		[t("col.ack"), c.ack ? t("case.ack.by", c.ack.by,
		    fmtTime(c.ack.at, c.timezone)) : t("case.ack.not")]]));
	// With the forms: the case in one column, the forms in the other;
	// without: the panels in two columns.
	const panels = [appeals(), trail(), evidence(), documents()];
	if (c.reason === "tro" || c.matter)
		panels.unshift(matter());
	if (me.role !== "viewer" && !c.closed_at)
		root.replaceChildren(head, deadlines(),
		    el("div", { class: "col" }, ...panels),
		    el("div", { class: "col" }, actions()));
	else
		root.replaceChildren(head, deadlines(), ...panels);
	document.body.dataset.ready = "1";
}

async function load() {
	const r = await api("GET", `/v1/cases/${encodeURIComponent(id)}`);
	c = r.status === 200 ? r.data : null;
	if (c && me.role !== "viewer") {
		const d = await api("GET", "/v1/documents");
		vault = d.status === 200 ? d.data.documents : [];
	}
	render();
}

async function main() {
	me = await start(() => render());
	await load();
}

main();
