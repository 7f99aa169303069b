// SPDX-License-Identifier: ISC
// alerts.js: what needs a person: the open critical conditions (take one
// on), the dead deliveries (retry) and each shop's mail snooze (set, end).
import { api, el, t, start, fmtTime, shopZone, status, cell, say,
    refused } from "/common.js";

let me = null;
let conditions = [];
let dead = [];
let snoozes = [];


function table(cls, heads, rows) {
	return el("table", { class: `cases ${cls}` },
	    el("thead", {}, el("tr", {}, ...heads.map((h) =>
		el("th", { text: h ? t(h) : "" })))),
	    el("tbody", {}, ...rows));
}

function caseLink(id) {
	return id ? el("a", { href: `/case.html?id=${id}`, class: "caseid",
	    text: `#${id}` }) : el("span", { class: "muted", text: t("none") });
}



// A small inline form: inputs [name, placeholder key], a button, a message.
function inline(id, inputs, label, send) {
	const f = el("form", { class: "inline", id });
	for (const [name, ph] of inputs)
		f.append(el("input", { name, placeholder: t(ph),
		    "aria-label": t(ph), autocomplete: "off" }));
	const msg = el("span", { class: "msg", role: "status" });
	f.append(el("button", { type: "submit", class: "small", text: t(label) }),
	    msg);
	f.addEventListener("submit", async (ev) => {
		ev.preventDefault();
		const v = (n) => f.elements[n].value.trim() || undefined;
		const r = await send(v);
		if (r.status === 200) {
			await load();
			return;
		}
		refused(msg, r);
	});
	return f;
}

function taken(ack, zone) {
	if (!ack)
		return el("span", { class: "badge unack", text: t("case.ack.not") });
	return el("div", { class: "product" },
	    el("span", { text: t("case.ack.by", ack.by, fmtTime(ack.at, zone)) }),
	    el("span", { class: "sub", text: (ack.until ? t("al.until",
		fmtTime(ack.until, zone)) : t("al.untilchange")) +
		(ack.comment ? ` · ${ack.comment}` : "") }));
}

// What a condition is about, in words where its type says what the
// subject is (a delivery's id).
const SUBJECTS = { "delivery.dead": "al.subj.delivery" };

function subject(x) {
	const k = SUBJECTS[x.type];
	return k ? t(k, x.subject) : x.subject ?? "";
}

// A dead delivery's condition is about the delivery: its case, if the
// delivery is still listed.
function deliveryCase(x) {
	if (x.type !== "delivery.dead")
		return null;
	return dead.find((o) => String(o.id) === x.subject)?.case ?? null;
}

function conditionRow(x) {
	const zone = shopZone(x.shop);
	const tr = el("tr", { "data-condition": x.id },
	    cell(t("al.col.what"), el("div", { class: "product" },
		el("span", { class: "title", text: t("cond." + x.type) }),
		el("span", { class: "sub", text: subject(x) }))),
	    cell(t("col.case"), caseLink(x.case ?? deliveryCase(x))),
	    cell(t("filter.shop"), x.shop ? `${x.shop}${x.product_id ?
		` · ${x.product_id}` : ""}` : t("none")),
	    cell(t("al.col.raised"), el("span", { class: "due-at",
		text: fmtTime(x.raised_at, zone) })),
	    cell(t("al.col.reminders"), el("div", { class: "product" },
		el("span", { text: t("al.sent", x.reminders) }),
		el("span", { class: "sub", text: x.next_reminder_at ?
		    t("al.next", fmtTime(x.next_reminder_at, zone)) :
		    t("al.nonext") }))),
	    cell(t("al.col.taken"), taken(x.ack, zone)));
	if (me.role !== "viewer")
		tr.append(cell("", inline(`ack-${x.id}`,
		    [["for", "al.ack.for"], ["comment", "act.ack.comment"]],
		    "act.ack", (v) => api("POST", `/v1/conditions/${x.id}/ack`,
			{ for: v("for"), comment: v("comment") }))));
	return tr;
}

function deadRow(x) {
	const zone = shopZone(x.shop);
	const tr = el("tr", { "data-delivery": x.id },
	    cell(t("al.col.sink"), el("div", { class: "product" },
		el("span", { class: "title", text: x.sink }),
		el("span", { class: "sub", text: x.event_type }))),
	    cell(t("col.case"), caseLink(x.case)),
	    cell(t("filter.shop"), x.shop ?? t("none")),
	    cell(t("al.col.error"), el("span", { class: "error",
		text: x.last_error ?? "" })),
	    cell(t("al.col.died"), el("div", { class: "product" },
		el("span", { class: "due-at", text: fmtTime(x.done_at, zone) }),
		el("span", { class: "sub", text: t("al.attempts",
		    x.attempts) }))));
	if (me.role !== "viewer") {
		const b = el("button", { type: "button", class: "small retry",
		    text: t("al.retry") });
		const msg = el("span", { class: "msg", role: "status" });
		b.addEventListener("click", async () => {
			b.disabled = true;
			const r = await api("POST", `/v1/outbox/${x.id}/retry`);
			if (r.status !== 200) {
				b.disabled = false;
				refused(msg, r);
				return;
			}
			await load();
			say(document.querySelector("#dead > .msg"),
			    t(r.data.overtaken ? "al.retried.late" : "al.retried",
			    x.id));
		});
		tr.append(cell("", b, msg));
	}
	return tr;
}

function snoozeRow(shop) {
	const zone = shopZone(shop);
	const s = snoozes.find((x) => x.shop === shop);
	const tr = el("tr", { "data-shop": shop, class: s ? "snoozed" : null },
	    cell(t("filter.shop"), el("span", { class: "title", text: shop })),
	    cell(t("al.col.mail"), s ? el("div", { class: "product" },
		el("span", { text: t("al.held", fmtTime(s.until, zone)) }),
		el("span", { class: "sub", text: t("case.ack.by", s.by,
		    fmtTime(s.at, zone)) + (s.comment ? ` · ${s.comment}` : "") })) :
		el("span", { class: "muted", text: t("al.flowing") })));
	if (me.role !== "viewer") {
		const path = `/v1/shops/${encodeURIComponent(shop)}/snooze`;
		tr.append(cell("", s ? inline(`snooze-${shop}`, [], "al.unsnooze",
		    () => api("POST", path, { off: true })) :
		    inline(`snooze-${shop}`, [["for", "al.snooze.for"],
			["comment", "act.ack.comment"]], "al.snooze.set",
			(v) => api("POST", path, { for: v("for") ?? "",
			comment: v("comment") }))));
	}
	return tr;
}

function fillList(id, cls, heads, rows, empty) {
	const box = document.querySelector(`#${id} .list`);
	box.replaceChildren(rows.length ? table(cls, heads, rows) :
	    el("p", { class: "muted empty-line", text: t(empty) }));
}

function render() {
	const acts = me.role !== "viewer" ? [""] : [];
	fillList("conditions", "conds", ["al.col.what", "col.case",
	    "filter.shop", "al.col.raised", "al.col.reminders", "al.col.taken",
	    ...acts], conditions.map(conditionRow), "al.cond.none");
	fillList("dead", "deadlist", ["al.col.sink", "col.case", "filter.shop",
	    "al.col.error", "al.col.died", ...acts], dead.map(deadRow),
	    "al.dead.none");
	fillList("snoozes", "snoozelist", ["filter.shop", "al.col.mail",
	    ...acts], (status?.shops ?? []).map((s) => snoozeRow(s.name)),
	    "al.snooze.none");
	document.getElementById("retry-all").hidden = me.role === "viewer" ||
	    dead.length < 2;
	document.getElementById("counts").textContent = t("al.counts",
	    conditions.length, conditions.filter((x) => !x.ack).length,
	    dead.length, snoozes.length);
	document.body.dataset.ready = "1";
}

async function load() {
	const [c, o, s] = await Promise.all([api("GET", "/v1/conditions"),
	    api("GET", "/v1/outbox?state=dead"), api("GET", "/v1/status")]);
	conditions = c.status === 200 ? c.data.conditions : [];
	dead = o.status === 200 ? o.data.deliveries : [];
	snoozes = s.status === 200 ? s.data.snoozes ?? [] : [];
	render();
}

async function main() {
	me = await start(() => render());
	document.getElementById("page").hidden = false;
	document.getElementById("retry-all").addEventListener("click",
	    async () => {
		const r = await api("POST", "/v1/outbox/retry");
		const msg = document.querySelector("#dead > .msg");
		if (r.status !== 200) {
			refused(msg, r);
			return;
		}
		await load();
		say(msg, t("al.retried.all", r.data.requeued));
	});
	await load();
}

main();
