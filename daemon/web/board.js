// SPDX-License-Identifier: ISC
// board.js: the Board: every open case in one row, filtered, sorted by the
// nearest deadline, kept current by the event stream (GET /v1/events?follow=1).
import { api, el, t, translatePage, session, header, signIn, fmtTime, age,
    nextDeadline, isOverdue, nextStep } from "/common.js";

const PAGE = 25;
const CLOSED = new Set(["synced", "abandoned", "closed"]);
let me = null;
let cases = [];
let page = 0;
let lastEvent = 0;

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

function uniq(key) {
	return [...new Set(cases.map((c) => c[key]).filter((v) => v))].sort();
}

function filtered() {
	const f = form.elements;
	return cases.filter((c) => (!f.shop.value || c.shop === f.shop.value) &&
	    (!f.state.value || c.state === f.state.value) &&
	    (!f.reason.value || c.reason === f.reason.value) &&
	    (!f.assignee.value || (f.assignee.value === "-" ? !c.assignee :
	    c.assignee === f.assignee.value)) &&
	    (!f.mine.checked || c.assignee === me.user) &&
	    (!f.overdue.checked || isOverdue(c)));
}

// Nearest deadline first; cases without one last, the oldest first.
function byDeadline(a, b) {
	const da = nextDeadline(a), db = nextDeadline(b);
	if (da && db)
		return da.at < db.at ? -1 : da.at > db.at ? 1 : a.id - b.id;
	if (da || db)
		return da ? -1 : 1;
	return a.opened_at < b.opened_at ? -1 : 1;
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
	options("shop", uniq("shop"));
	options("state", uniq("state"), (s) => t("state." + s));
	options("reason", uniq("reason"), (r) => t("reason." + r));
	options("assignee", uniq("assignee"));
	const all = cases.length;
	const late = cases.filter(isOverdue).length;
	const mine = cases.filter((c) => c.assignee === me.user).length;
	const unack = cases.filter((c) => !c.ack).length;
	document.getElementById("counts").textContent =
	    t("board.counts", all, late, mine, unack);
	const rows = filtered().sort(byDeadline);
	const pages = Math.max(1, Math.ceil(rows.length / PAGE));
	page = Math.min(page, pages - 1);
	const body = document.querySelector("#cases tbody");
	body.replaceChildren(...rows.slice(page * PAGE, page * PAGE + PAGE).map(row));
	const empty = document.getElementById("empty");
	empty.hidden = rows.length > 0;
	empty.textContent = t("board.empty");
	document.getElementById("cases").hidden = rows.length === 0;
	document.getElementById("pageinfo").textContent =
	    `${t("page.of", page + 1, pages)} · ${t("board.shown",
	    Math.min(PAGE, rows.length - page * PAGE), rows.length)}`;
	document.getElementById("prev").disabled = page === 0;
	document.getElementById("next").disabled = page >= pages - 1;
}

async function load() {
	const r = await api("GET", "/v1/cases");
	if (r.status === 401) {
		location.reload();
		return;
	}
	if (r.status !== 200)
		return;
	cases = r.data.cases.filter((c) => !CLOSED.has(c.state));
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
	form.addEventListener("change", () => { page = 0; render(); });
	document.getElementById("prev").addEventListener("click",
	    () => { page--; render(); });
	document.getElementById("next").addEventListener("click",
	    () => { page++; render(); });
	const st = await api("GET", "/v1/status");
	lastEvent = st.data?.last_event_id ?? 0;
	await load();
	document.body.dataset.ready = "1";
	follow();
}

main();
