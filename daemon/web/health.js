// SPDX-License-Identifier: ISC
// health.js: each shop's penalty ledgers (GET /v1/shops/SHOP/points):
// the total, the next threshold and what it brings, the level, what
// expires when (in the shop's zone, named); no platform API returns
// points, so operators and admins set a ledger to the backend's figure or
// correct a case's entry, with a reason (POST, kept in the trail);
// viewers only read.
import { api, el, t, start, fmtTime, status, cell, say,
    refused } from "/common.js";

let me = null;
const points = {}; // shop: the answer of GET /v1/shops/SHOP/points

// The default consequences (core points.c), as words of the page; one
// configured otherwise is shown as it is.
const CONSEQUENCES = {
	"serious warning": "warn",
	"product operations restricted 3 days": "restrict3",
	"account frozen 1 day": "freeze1",
	"account frozen 7 days": "freeze7",
	"account frozen 14 days": "freeze14",
	"account frozen 30 days": "freeze30",
	"account closed": "closed",
};

// t(key), or fallback when the page has no words for it.
function tOr(key, fallback) {
	const s = t(key);
	return s === key.slice(key.indexOf(".") + 1) ? fallback : s;
}

function ledgerName(l) {
	return tOr("hl.ledger." + l.ledger, l.label);
}

function consequence(c) {
	if (!c)
		return t("none");
	return CONSEQUENCES[c] ? t("hl.cons." + CONSEQUENCES[c]) : c;
}

// "12 points", "1 strike".
function count(n, unit) {
	const one = n === 1 ? "1" : "n";
	return t(`hl.${unit === "strikes" ? "strikes" : "points"}.${one}`, n);
}

function ledgerRow(l, zone) {
	const tr = el("tr", { "data-ledger": l.ledger, class: `lvl-${l.level}` },
	    cell(t("hl.col.ledger"), el("div", { class: "product" },
		el("span", { class: "title", text: ledgerName(l) }),
		el("span", { class: "sub", text: l.ledger }))),
	    cell(t("hl.col.total"), el("span", { class: "total",
		text: count(l.total, l.unit) })),
	    cell(t("hl.col.next"), el("span", { class: "next",
		text: l.next_threshold === null ? t("none") :
		count(l.next_threshold, l.unit) })),
	    cell(t("hl.col.then"), el("span", {
		class: l.severe ? "then severe" : "then",
		text: consequence(l.consequence) })),
	    cell(t("hl.col.level"), el("span", { class: `badge lvl lvl-${l.level}`,
		text: t("hl.lvl." + l.level) })),
	    cell(t("hl.col.expiry"), el("span", { class: "due-at",
		text: fmtTime(l.next_expiry_at, zone) })));
	return tr;
}

// What expires when: each counting entry, its case linked.
function expiring(doc) {
	const ul = el("ul", { class: "plain expiring" });
	for (const l of doc.ledgers) {
		for (const e of l.expiring)
			ul.append(el("li", {}, ledgerName(l), t("hl.colon"),
			    count(e.points, l.unit), " · ",
			    e.case ? el("a", { href: `/case.html?id=${e.case}`,
				class: "caseid", text: t("hl.case", e.case) }) :
			    el("span", { class: "muted", text: t("hl.byhand") }),
			    " · ", t("hl.expires", fmtTime(e.at, doc.timezone))));
	}
	return ul.childNodes.length ? ul : el("p", { class: "muted",
	    text: t("hl.noexpiry") });
}

// Set a ledger to the backend's figure, or (a case given) correct that
// case's entry; the reason goes in the trail.
function fixForm(shop, doc) {
	const f = el("form", { class: "tool fix", id: `fix-${shop}` },
	    el("h3", { text: t("hl.fix") }),
	    el("p", { class: "muted", text: t("hl.fix.hint") }));
	const sel = el("select", { name: "ledger", required: true });
	for (const l of doc.ledgers)
		sel.append(el("option", { value: l.ledger }, ledgerName(l)));
	const label = (key, input) => el("label", {},
	    el("span", { text: t(key) }), input);
	f.append(el("div", { class: "row3" },
	    label("hl.col.ledger", sel),
	    label("hl.fix.points", el("input", { name: "points", type: "number",
		min: 0, max: 100000, required: true, inputmode: "numeric" })),
	    label("hl.fix.case", el("input", { name: "case", type: "number",
		min: 1, inputmode: "numeric" }))),
	    label("hl.fix.reason", el("input", { name: "reason", required: true,
		autocomplete: "off" })));
	const msg = el("p", { class: "msg", role: "status" });
	f.append(el("button", { type: "submit", text: t("hl.fix.submit") }), msg);
	f.addEventListener("submit", async (ev) => {
		ev.preventDefault();
		const e = f.elements;
		const n = Number(e.points.value);
		const body = { reason: e.reason.value.trim() };
		if (e.case.value)
			body.correct = { case: Number(e.case.value),
			    ledger: e.ledger.value, points: n };
		else
			body.set = { ledger: e.ledger.value, points: n };
		const r = await api("POST",
		    `/v1/shops/${encodeURIComponent(shop)}/points`, body);
		if (r.status !== 200) {
			refused(msg, r);
			return;
		}
		points[shop] = r.data;
		render();
		say(document.querySelector(`#fix-${CSS.escape(shop)} .msg`),
		    t("hl.fix.done"));
	});
	return f;
}

function shopPanel(shop) {
	const doc = points[shop];
	const box = el("section", { class: "panel shop", "data-shop": shop },
	    el("h2", {}, shop, " ", el("span", { class: "muted zone",
		text: doc?.timezone ?? "" })));
	if (!doc) {
		box.append(el("p", { class: "error", text: t("hl.unreadable") }));
		return box;
	}
	box.append(el("table", { class: "cases ledgers" },
	    el("thead", {}, el("tr", {}, ...["hl.col.ledger", "hl.col.total",
		"hl.col.next", "hl.col.then", "hl.col.level",
		"hl.col.expiry"].map((h) => el("th", { text: t(h) })))),
	    el("tbody", {}, ...doc.ledgers.map((l) =>
		ledgerRow(l, doc.timezone)))),
	    el("h3", { text: t("hl.expiring", doc.expiry_days) }),
	    expiring(doc));
	if (me.role !== "viewer")
		box.append(fixForm(shop, doc));
	return box;
}

function render() {
	const shops = (status?.shops ?? []).map((s) => s.name);
	document.getElementById("shops").replaceChildren(
	    ...shops.map(shopPanel));
	const near = shops.reduce((a, s) => a + (points[s]?.ledgers ?? [])
	    .filter((l) => l.level !== "clear").length, 0);
	document.getElementById("counts").textContent = t("hl.counts",
	    shops.length, near);
	document.body.dataset.ready = "1";
}

async function load() {
	await Promise.all((status?.shops ?? []).map(async (s) => {
		const r = await api("GET",
		    `/v1/shops/${encodeURIComponent(s.name)}/points`);
		points[s.name] = r.status === 200 ? r.data : null;
	}));
	render();
}

async function main() {
	me = await start(() => render());
	document.getElementById("page").hidden = false;
	await load();
}

main();
