// SPDX-License-Identifier: ISC
// board.js: the Board: every open case in one row, filtered, sorted by the
// nearest deadline and paged by the daemon (GET /v1/cases?view=board), kept
// current by the event stream (GET /v1/events?follow=1).
import { api, el, t, translatePage, session, header, signIn, fmtTime, age,
    nextDeadline, isOverdue, nextStep } from "/common.js";

const PAGE = 25;
let me = null;
let board = null; // the last GET /v1/cases?view=board
let page = 0;
let lastEvent = 0;
let asked = 0; // answers to older requests are dropped

const form = document.getElementById("filters");

function options(name, values, label) {
	const sel = form.elements[name];
	const keep = sel.value;
	sel.replaceChildren(el("option", { value: "" }, t("filter.all")));
	if (name === "assignee")
		sel.append(el("option", { value: "-" }, t("filter.nobody")));
	for (const v of values)
		sel.append(el("option", { value: v }, label ? label(v) : v));
	sel.value = keep;
	if (sel.value !== keep)
		sel.value = "";
}

// The Board's query: the filters and the page; the daemon filters, sorts
// by the nearest deadline and counts (delistd-web(7)).
function query() {
	const f = form.elements;
	const q = new URLSearchParams({ view: "board", limit: PAGE,
	    offset: page * PAGE });
	for (const k of ["shop", "state", "reason", "assignee"])
		if (f[k].value)
			q.set(k, f[k].value);
	if (f.mine.checked)
		q.set("mine", "1");
	if (f.overdue.checked)
		q.set("overdue", "1");
	return `/v1/cases?${q}`;
}

function cell(label, ...kids) {
	return el("td", { "data-label": label }, ...kids);
}

// The listing's picture (https only, as the CSP's img-src); gone if it
// does not load.
function thumb(url) {
	if (typeof url !== "string" || !url.startsWith("https://"))
		return null;
	const img = el("img", { class: "thumb", src: url, alt: "",
	    loading: "lazy", referrerpolicy: "no-referrer" });
	img.addEventListener("error", () => img.remove());
	return img;
}

function row(c) {
	const due = nextDeadline(c);
	const late = isOverdue(c);
	const link = el("a", { href: `/case.html?id=${c.id}`, class: "caseid" },
	    `#${c.id}`);
	const product = el("div", { class: "product" },
	    thumb(c.image),
	    el("span", { class: "title", text: c.title ?? t("untitled") }),
	    el("span", { class: "sub", text: `${c.shop} · ${c.product_id}` }));
	const dueCell = due ? el("div", {},
	    el("span", { class: "due-kind", text: t("due." + due.kind) }),
	    el("span", { class: "due-at", text: fmtTime(due.at, c.timezone) }),
	    late ? el("span", { class: "badge overdue", text: t("overdue") }) : null)
	    : t("none");
	return el("tr", { class: late ? "overdue" : null, "data-case": c.id },
	    cell(t("col.case"), link),
	    cell(t("col.product"), product),
	    cell(t("col.reason"), t("reason." + c.reason)),
	    cell(t("col.state"), el("span", { class: `state s-${c.state}`,
		text: t("state." + c.state) })),
	    cell(t("col.age"), el("span", { class: "age", text: age(c.opened_at) })),
	    cell(t("col.due"), dueCell),
	    cell(t("col.next"), nextStep(c)),
	    cell(t("col.assignee"), c.assignee ?? t("none")),
	    cell(t("col.ack"), c.ack ? t("yes") : el("span",
		{ class: "badge unack", text: t("no") })));
}

function render() {
	live(online);
	if (board === null)
		return;
	const fa = board.facets;
	options("shop", fa.shop);
	options("state", fa.state, (s) => t("state." + s));
	options("reason", fa.reason, (r) => t("reason." + r));
	options("assignee", fa.assignee);
	const n = board.counts;
	document.getElementById("counts").textContent =
	    t("board.counts", n.open, n.overdue, n.mine, n.unacknowledged);
	const total = board.total;
	const pages = Math.max(1, Math.ceil(total / PAGE));
	const body = document.querySelector("#cases tbody");
	body.replaceChildren(...board.cases.map(row));
	const empty = document.getElementById("empty");
	empty.hidden = board.cases.length > 0;
	empty.textContent = t("board.empty");
	document.getElementById("cases").hidden = board.cases.length === 0;
	document.getElementById("pageinfo").textContent =
	    `${t("page.of", page + 1, pages)} · ${t("board.shown",
	    board.cases.length, total)}`;
	document.getElementById("prev").disabled = page === 0;
	document.getElementById("next").disabled = page >= pages - 1;
}

async function load() {
	const mine = ++asked;
	const r = await api("GET", query());
	if (mine !== asked)
		return;
	if (r.status === 401) {
		location.reload();
		return;
	}
	if (r.status !== 200)
		return;
	board = r.data;
	// A page past the end (cases closed meanwhile): the last one.
	const last = Math.max(0, Math.ceil(board.total / PAGE) - 1);
	if (page > last) {
		page = last;
		return load();
	}
	render();
}

let pending = null;
function reloadSoon() {
	if (pending === null)
		pending = setTimeout(() => { pending = null; load(); }, 200);
}

let online = false;
function live(on) {
	online = on;
	const e = document.getElementById("live");
	e.textContent = on ? t("board.live") : t("board.offline");
	e.className = on ? "live on" : "live off";
}

// Follows the event stream; every event reloads the list (one request).
async function follow() {
	for (;;) {
		try {
			const res = await fetch(`/v1/events?follow=1&after=${lastEvent}`,
			    { credentials: "same-origin" });
			if (res.status === 401)
				return location.reload();
			live(res.ok);
			const reader = res.body.pipeThrough(new TextDecoderStream())
			    .getReader();
			let buf = "";
			for (;;) {
				const { value, done } = await reader.read();
				if (done)
					break;
				buf += value;
				let i;
				while ((i = buf.indexOf("\n")) >= 0) {
					const line = buf.slice(0, i).trim();
					buf = buf.slice(i + 1);
					if (!line)
						continue;
					const ev = JSON.parse(line);
					if (ev.id) {
						lastEvent = Math.max(lastEvent, ev.id);
						reloadSoon();
					}
				}
			}
		} catch (e) {
			/* the daemon went away: try again below */
		}
		live(false);
		await new Promise((ok) => setTimeout(ok, 3000));
		await load();
	}
}

async function main() {
	translatePage();
	me = await session();
	if (!me) {
		header(null, () => {});
		await signIn();
		me = await session();
	}
	header(me, render);
	document.getElementById("board").hidden = false;
	form.addEventListener("change", () => { page = 0; load(); });
	document.getElementById("prev").addEventListener("click",
	    () => { page--; load(); });
	document.getElementById("next").addEventListener("click",
	    () => { page++; load(); });
	const st = await api("GET", "/v1/status");
	lastEvent = st.data?.last_event_id ?? 0;
	await load();
	// The first page is on screen (tests/bench/board.sh reads this mark).
	performance.mark("board-rows");
	document.body.dataset.ready = "1";
	follow();
}

main();
