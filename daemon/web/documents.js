// SPDX-License-Identifier: ISC
// documents.js: the vault: every document, those expiring within 30 days
// on top and marked; for operators and admins an upload (type, shop,
// products, expiry) and attaching a document to an open case.
import { api, upload, el, t, start, fmtTime, shopZone, status, now, cell,
    fillSelect, say, refused } from "/common.js";

const TYPES = ["ce", "fcc", "ukca", "saso", "test_report", "trademark",
    "brand_authorization", "invoice", "court_order", "dismissal", "other"];
const OPEN = new Set(["open", "rectifying", "appealed", "approved",
    "reinstated", "manual_review"]);
let me = null;
let docs = [];
let soon = new Set();
let cases = [];

const form = document.getElementById("filters");


function selects() {
	const shops = (status?.shops ?? []).map((s) => [s.name, s.name]);
	const types = TYPES.map((x) => [x, t("doctype." + x)]);
	fillSelect(form.elements.shop, shops, t("filter.all"));
	fillSelect(form.elements.type, types, t("filter.all"));
	const up = document.getElementById("upload").elements;
	fillSelect(up.type, types, null);
	fillSelect(up.shop, shops, t("doc.anyshop"));
	const at = document.getElementById("attach").elements;
	fillSelect(at.document, docs.map((d) => [String(d.id),
	    `#${d.id} ${t("doctype." + d.type)} · ${d.name}`]), null);
	fillSelect(at.case, cases.map((c) => [String(c.id),
	    `#${c.id} ${c.shop} · ${c.product_id} · ${c.title ?? t("untitled")}`]),
	    null);
}

function shown() {
	const f = form.elements;
	const q = f.q.value.trim().toLowerCase();
	return docs.filter((d) => (!f.shop.value || d.shop === f.shop.value) &&
	    (!f.type.value || d.type === f.type.value) &&
	    (!q || d.name.toLowerCase().includes(q) ||
	    (d.original_name ?? "").toLowerCase().includes(q) ||
	    (d.issuer ?? "").toLowerCase().includes(q) ||
	    (d.products ?? []).some((p) => p.includes(q))));
}

// "2027-03-01 · in 84 d", "2026-10-20 · in 13 d", "expired".
function expiry(d) {
	if (!d.expires)
		return el("span", { class: "muted", text: t("doc.noexpiry") });
	const days = Math.ceil((new Date(d.expires_at).getTime() - now()) /
	    86400000);
	return el("span", { class: "expiry" },
	    el("span", { class: "due-at", text: d.expires }),
	    el("span", { class: d.expired ? "badge overdue" : soon.has(d.id) ?
		"badge unack" : "due-kind", text: d.expired ? t("doc.expired") :
		t("doc.in", days) }));
}

function link(d) {
	return el("a", { href: `/v1/documents/${d.id}/content`, target: "_blank",
	    rel: "noopener", class: "title", text: d.name });
}


function row(d) {
	const cls = d.expired ? "overdue" : soon.has(d.id) ? "soon" : null;
	return el("tr", { "data-doc": d.id, class: cls },
	    cell(t("doc.col.doc"), el("div", { class: "product" }, link(d),
		d.original_name && d.original_name !== d.name ?
		el("span", { class: "sub", text: d.original_name }) : null,
		d.issuer ? el("span", { class: "sub",
		    text: t("doc.by", d.issuer) }) : null)),
	    cell(t("doc.type"), t("doctype." + d.type)),
	    cell(t("doc.col.covers"), el("div", { class: "product" },
		el("span", { text: d.shop ?? t("doc.anyshop") }),
		el("span", { class: "sub", text: (d.products ?? []).join(", ") ||
		    t("doc.allproducts") }))),
	    cell(t("doc.col.expires"), expiry(d)),
	    cell(t("doc.col.added"), el("div", { class: "product" },
		el("span", { class: "due-at", text: fmtTime(d.added_at,
		    shopZone(d.shop)) }),
		el("span", { class: "sub", text: d.added_by }))));
}

function render() {
	const rows = shown();
	document.querySelector("#docs tbody").replaceChildren(...rows.map(row));
	document.getElementById("counts").textContent = t("doc.counts",
	    docs.length, soon.size, docs.filter((d) => d.expired).length);
	const box = document.getElementById("soon");
	const list = docs.filter((d) => soon.has(d.id)).sort((a, b) =>
	    a.expires_at < b.expires_at ? -1 : 1);
	box.hidden = list.length === 0;
	box.querySelector("ul").replaceChildren(...list.map((d) =>
	    el("li", { "data-doc": d.id }, expiry(d), " ", link(d),
		el("span", { class: "muted", text: ` · ${t("doctype." + d.type)}` +
		    (d.shop ? ` · ${d.shop}` : "") }))));
	const empty = document.getElementById("empty");
	empty.hidden = rows.length > 0;
	empty.textContent = t("doc.empty");
	document.getElementById("tools").hidden = me.role === "viewer";
	document.body.dataset.ready = "1";
}

async function load() {
	const [all, exp, cs] = await Promise.all([api("GET", "/v1/documents"),
	    api("GET", "/v1/documents?expiring=30d"),
	    api("GET", "/v1/cases")]);
	docs = all.status === 200 ? all.data.documents : [];
	soon = new Set(exp.status === 200 ?
	    exp.data.documents.map((d) => d.id) : []);
	cases = cs.status === 200 ?
	    cs.data.cases.filter((c) => OPEN.has(c.state)) : [];
	selects();
	render();
}


async function send(ev) {
	ev.preventDefault();
	const f = ev.target;
	const e = f.elements;
	const msg = f.querySelector(".msg");
	const file = e.file.files[0];
	const q = new URLSearchParams({ type: e.type.value, name: file.name });
	if (e.shop.value)
		q.set("shop", e.shop.value);
	const products = e.products.value.split(/[\s,，、]+/).filter((x) => x);
	if (products.length)
		q.set("products", products.join(","));
	if (e.issuer.value.trim())
		q.set("issuer", e.issuer.value.trim());
	if (e.expires.value)
		q.set("expires", e.expires.value);
	if (e.rename.checked)
		q.set("rename", "1");
	const r = await upload(`/v1/documents?${q}`, file);
	if (r.status !== 200 && r.status !== 201) {
		refused(msg, r);
		return;
	}
	say(msg, t(r.data.duplicate ? "doc.dup" : "doc.added", r.data.id,
	    r.data.name));
	if (r.data.warnings?.length) {
		const ul = el("ul", { class: "warnings" });
		for (const w of r.data.warnings)
			ul.append(el("li", { text: w }));
		msg.append(ul);
	}
	f.reset();
	await load();
}

async function attach(ev) {
	ev.preventDefault();
	const f = ev.target;
	const e = f.elements;
	const msg = f.querySelector(".msg");
	const r = await api("POST", `/v1/cases/${e.case.value}/documents`,
	    { document: Number(e.document.value),
	    force: e.force.checked || undefined });
	if (r.status === 201) {
		msg.replaceChildren(t("doc.attached.pre"), el("a", {
		    href: `/case.html?id=${e.case.value}`,
		    text: t("case.title", e.case.value) }));
		msg.className = "msg";
		return;
	}
	refused(msg, r);
}

async function main() {
	me = await start(() => {
		selects();
		render();
	});
	document.getElementById("page").hidden = false;
	form.addEventListener("input", render);
	form.addEventListener("change", render);
	form.addEventListener("submit", (ev) => ev.preventDefault());
	document.getElementById("upload").addEventListener("submit", send);
	document.getElementById("attach").addEventListener("submit", attach);
	await load();
}

main();
