// SPDX-License-Identifier: ISC
// listings.js: the tracked listings: search, filter by shop, status and
// risk (a shared picture, a relisting, a compliance-scan finding with its
// term, where it is and the fix); for operators and admins track, untrack,
// a CSV import by upload (POST /v1/listings/import), with its summary or
// its refused lines, and a compliance scan (POST /v1/scan) with its summary.
import { api, el, t, start, fmtTime, shopZone, status, cell, fillSelect,
    say, refused } from "/common.js";

const STATES = ["unknown", "on_sale", "delisted", "offline", "under_review",
    "failed_review", "not_found"];
let me = null;
let listings = [];

const form = document.getElementById("filters");


function filters() {
	const shops = (status?.shops ?? []).map((s) => [s.name, s.name]);
	const all = t("filter.all");
	fillSelect(form.elements.shop, shops, all);
	fillSelect(form.elements.state, STATES.map((s) => [s,
	    t("lst.st." + s)]), all);
	fillSelect(form.elements.risk, [["any", t("lst.risk.any")],
	    ["linked", t("lst.risk.linked")], ["evasion", t("lst.risk.evasion")],
	    ["scan", t("lst.risk.scan")], ["none", t("lst.risk.none")]], all);
	fillSelect(document.getElementById("track").elements.shop, shops, null);
	fillSelect(document.getElementById("scan").elements.shop, shops,
	    t("lst.scan.all"));
}

// The listing's risks: its kinds, and "scan" while the compliance scan
// holds a finding on it (GET /v1/listings "at_risk").
function risks(l) {
	return (l.at_risk ?? []).length ? [...l.risks, "scan"] : l.risks;
}

function shown() {
	const f = form.elements;
	const q = f.q.value.trim().toLowerCase();
	return listings.filter((l) => (!f.shop.value || l.shop === f.shop.value) &&
	    (!f.state.value || l.status === f.state.value) &&
	    (!f.risk.value || (f.risk.value === "any" ? risks(l).length > 0 :
	    f.risk.value === "none" ? risks(l).length === 0 :
	    risks(l).includes(f.risk.value))) &&
	    (!q || l.product_id.includes(q) ||
	    (l.title ?? "").toLowerCase().includes(q)));
}


// A finding as text: the term and where it is, the listing's own words,
// the fix to make.
function finding(f) {
	return el("li", { class: "finding" },
	    el("span", { class: "term", text: t("lst.find", f.term,
		t("lst.field." + f.field)) }),
	    el("q", { class: "quote", text: f.quote }),
	    el("span", { class: "fix", text: t("lst.find.fix", f.fix) }));
}

function riskCell(l) {
	const box = el("div", { class: "risks" });
	for (const r of risks(l))
		box.append(el("span", { class: `badge risk risk-${r}`,
		    text: t("lst.risk." + r) }));
	if (!box.childNodes.length)
		box.append(el("span", { class: "muted", text: t("none") }));
	if ((l.at_risk ?? []).length)
		box.append(el("ul", { class: "findings-scan" },
		    ...l.at_risk.map(finding)));
	return cell(t("lst.risk"), box);
}

function row(l) {
	const zone = shopZone(l.shop);
	const tr = el("tr", { "data-listing": `${l.shop}/${l.product_id}` },
	    cell(t("lst.col.product"), el("div", { class: "product" },
		el("span", { class: "title", text: l.title ?? t("untitled") }),
		el("span", { class: "sub", text: `${l.shop} · ${l.product_id}` }))),
	    cell(t("lst.status"), el("span", { class: `lst-st st-${l.status}`,
		text: t("lst.st." + l.status) })),
	    riskCell(l),
	    cell(t("lst.col.case"), l.open_case ? el("a", {
		href: `/case.html?id=${l.open_case}`, class: "caseid",
		text: `#${l.open_case}` }) : el("span", { class: "muted",
		text: t("none") })),
	    cell(t("lst.col.since"), el("span", { class: "due-at",
		text: fmtTime(l.created_at, zone) })));
	const act = el("td", { class: "act" });
	if (me.role !== "viewer") {
		const b = el("button", { type: "button", class: "small untrack",
		    text: t("lst.untrack") });
		b.addEventListener("click", () => untrack(l, b));
		act.append(b);
	}
	tr.append(act);
	return tr;
}

// The first click asks, the second untracks.
async function untrack(l, b) {
	if (!b.classList.contains("armed")) {
		b.classList.add("armed");
		b.textContent = t("lst.untrack.confirm");
		return;
	}
	b.disabled = true;
	const r = await api("DELETE", `/v1/listings/${encodeURIComponent(l.shop)}/${encodeURIComponent(l.product_id)}`);
	if (r.status !== 200) {
		b.disabled = false;
		const msg = el("span", { class: "msg" });
		refused(msg, r);
		b.replaceWith(msg);
		return;
	}
	await load();
}

function render() {
	const rows = shown();
	const body = document.querySelector("#listings tbody");
	body.replaceChildren(...rows.map(row));
	const risky = listings.filter((l) => risks(l).length).length;
	document.getElementById("counts").textContent = t("lst.counts",
	    listings.length, listings.filter((l) => l.open_case).length, risky,
	    rows.length);
	const empty = document.getElementById("empty");
	empty.hidden = rows.length > 0;
	empty.textContent = t("lst.empty");
	document.getElementById("tools").hidden = me.role === "viewer";
	document.body.dataset.ready = "1";
}

async function load() {
	const r = await api("GET", "/v1/listings");
	listings = r.status === 200 ? r.data.listings : [];
	filters();
	render();
}


async function track(ev) {
	ev.preventDefault();
	const f = ev.target;
	const msg = f.querySelector(".msg");
	const body = { shop: f.elements.shop.value,
	    product_id: f.elements.product_id.value.trim() };
	if (f.elements.title.value.trim())
		body.title = f.elements.title.value.trim();
	const r = await api("POST", "/v1/listings", body);
	if (r.status === 201 || r.status === 200) {
		say(msg, t(r.status === 201 ? "lst.tracked" : "lst.already",
		    body.shop, body.product_id));
		f.elements.product_id.value = "";
		f.elements.title.value = "";
		await load();
	} else
		refused(msg, r);
}

// The file's text: UTF-8 (a BOM is the daemon's to skip), else GB18030 as
// Chinese spreadsheets save it.
async function csvText(file) {
	const buf = await file.arrayBuffer();
	try {
		return new TextDecoder("utf-8", { fatal: true }).decode(buf);
	} catch (e) {
		return new TextDecoder("gb18030").decode(buf);
	}
}

async function importCsv(ev) {
	ev.preventDefault();
	const f = ev.target;
	const msg = f.querySelector(".msg");
	const file = f.elements.file.files[0];
	if (!file)
		return;
	const r = await api("POST", "/v1/listings/import",
	    { csv: await csvText(file) });
	if (r.status === 200) {
		const d = r.data;
		say(msg, t("lst.import.done", d.imported, d.created,
		    d.imported - d.created));
		msg.classList.add("summary");
		f.reset();
		await load();
		return;
	}
	if (r.data?.error?.code === "bad_csv") {
		say(msg, t("lst.import.refused", r.data.error.bad_lines ??
		    r.data.error.lines.length), true);
		const ul = el("ul", { class: "badlines" });
		for (const x of r.data.error.lines)
			ul.append(el("li", {}, el("span", { class: "lineno",
			    text: t("lst.import.line", x.line) }), ` ${x.message}`));
		msg.append(ul);
		return;
	}
	refused(msg, r);
}

// A compliance scan of one shop or all, then its summary and the list.
async function scan(ev) {
	ev.preventDefault();
	const f = ev.target;
	const msg = f.querySelector(".msg");
	const btn = f.querySelector("button");
	btn.disabled = true;
	const r = await api("POST", "/v1/scan", f.elements.shop.value ?
	    { shop: f.elements.shop.value } : {});
	btn.disabled = false;
	if (r.status !== 200) {
		refused(msg, r);
		return;
	}
	await load();
	say(msg, t("lst.scan.done", r.data.scanned, r.data.at_risk,
	    r.data.raised, r.data.cleared));
	msg.classList.add("summary");
}

async function main() {
	me = await start(() => {
		filters();
		render();
	});
	document.getElementById("page").hidden = false;
	form.addEventListener("input", render);
	form.addEventListener("change", render);
	form.addEventListener("submit", (ev) => ev.preventDefault());
	document.getElementById("track").addEventListener("submit", track);
	document.getElementById("import").addEventListener("submit", importCsv);
	document.getElementById("scan").addEventListener("submit", scan);
	await load();
}

main();
