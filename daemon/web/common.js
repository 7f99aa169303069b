// SPDX-License-Identifier: ISC
// common.js: what the pages share: the API with the session's CSRF token,
// elements built with textContent only, times in the shop's zone, the
// header (who, language switch, sign out) and the sign-in form.
import { t, lang, languages, setLang, translatePage } from "/i18n.js";

let csrf = null;
let clockSkew = 0; // the daemon's clock minus the browser's, in ms

// api(method, path, body): {status, data}; data is the parsed JSON or null.
export async function api(method, path, body) {
	const headers = {};
	if (body !== undefined)
		headers["Content-Type"] = "application/json";
	return call(path, { method, headers,
	    body: body === undefined ? undefined : JSON.stringify(body) });
}

// upload(path, file): POST the file's bytes as they are (a document for
// the vault); {status, data} as api().
export async function upload(path, file) {
	return call(path, { method: "POST",
	    headers: { "Content-Type": "application/octet-stream" }, body: file });
}

async function call(path, opt) {
	opt.credentials = "same-origin";
	if (opt.method !== "GET" && csrf)
		opt.headers["X-CSRF-Token"] = csrf;
	const res = await fetch(path, opt);
	let data = null;
	try {
		data = await res.json();
	} catch (e) {
		data = null;
	}
	return { status: res.status, data };
}

// el("td", {class: "x"}, child...): children are nodes or text (never HTML).
export function el(tag, attrs, ...kids) {
	const e = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === null || v === undefined || v === false)
			continue;
		if (k === "class")
			e.className = v;
		else if (k === "text")
			e.textContent = v;
		else
			e.setAttribute(k, v === true ? "" : v);
	}
	for (const k of kids) {
		if (k === null || k === undefined)
			continue;
		e.append(typeof k === "string" ? document.createTextNode(k) : k);
	}
	return e;
}

// The daemon's now (its clock may be a test clock), in ms.
export function now() {
	return Date.now() + clockSkew;
}

// "2026-10-09 14:00 (北京时间)" for Asia/Shanghai, else
// "2026-10-09 14:00 CET (Europe/Berlin)": the instant in the shop's zone.
export function fmtTime(iso, tz) {
	if (!iso)
		return t("none");
	const d = new Date(iso);
	const zone = tz || "UTC";
	let parts;
	try {
		parts = new Intl.DateTimeFormat("en-GB", {
			timeZone: zone, year: "numeric", month: "2-digit",
			day: "2-digit", hour: "2-digit", minute: "2-digit",
			hourCycle: "h23", timeZoneName: "short",
		}).formatToParts(d);
	} catch (e) {
		return iso;
	}
	const p = {};
	for (const x of parts)
		p[x.type] = x.value;
	const base = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
	if (zone === "Asia/Shanghai")
		return `${base} (${t("tz.shanghai")})`;
	return `${base} ${p.timeZoneName} (${zone})`;
}

// How long ago: "3 d", "5 h", "12 min".
export function age(iso) {
	const ms = now() - new Date(iso).getTime();
	const min = Math.max(0, Math.floor(ms / 60000));
	if (min >= 48 * 60)
		return t("age.d", Math.floor(min / 1440));
	if (min >= 60)
		return t("age.h", Math.floor(min / 60));
	return t("age.m", min);
}

// The nearest open deadline of a case: {kind, at} or null.
export function nextDeadline(c) {
	const d = c.deadlines || {};
	let best = null;
	for (const [kind, key] of [["feedback", "feedback_due_at"],
	    ["escalate", "escalate_due_at"], ["stall", "stall_due_at"]]) {
		if (d[key] && (!best || d[key] < best.at))
			best = { kind, at: d[key] };
	}
	return best;
}

export function isOverdue(c) {
	const n = nextDeadline(c);
	return n !== null && new Date(n.at).getTime() <= now();
}

// What a person should do next, in words.
export function nextStep(c) {
	if (isOverdue(c))
		return t("next.overdue");
	if (c.reason === "unclassified")
		return t("next.unclassified");
	return t("next." + c.state);
}

// The session: {user, role}, or null (not signed in). Sets the CSRF token
// and the daemon's clock.
export async function session() {
	const s = await api("GET", "/v1/session");
	if (s.status !== 200)
		return null;
	csrf = s.data.csrf_token;
	const st = await api("GET", "/v1/status");
	if (st.status === 200 && typeof st.data.now === "number")
		clockSkew = st.data.now * 1000 - Date.now(); // epoch seconds
	if (st.status === 200)
		status = st.data;
	return s.data;
}

// The daemon's status as the session read it (shops and their zones,
// snoozes), or null.
export let status = null;

// The zone of a shop (the daemon's for another or none).
export function shopZone(shop) {
	const s = status?.shops?.find((x) => x.name === shop);
	return s?.timezone ?? status?.timezone ?? "UTC";
}

// The header: the user and role, the language switch, sign out.
export function header(who, rerender) {
	const bar = document.getElementById("bar");
	bar.replaceChildren();
	bar.append(el("a", { href: "/", class: "brand", text: t("app.title") }));
	bar.append(nav());
	const right = el("div", { class: "bar-right" });
	const sw = el("select", { id: "lang", "aria-label": "Language / 语言" });
	for (const [code, name] of languages)
		sw.append(el("option", { value: code, selected: code === lang }, name));
	sw.addEventListener("change", () => {
		setLang(sw.value);
		translatePage();
		header(who, rerender);
		rerender();
	});
	right.append(sw);
	if (who) {
		right.append(el("span", { id: "who", class: "who",
		    text: t("who", who.user, t("role." + who.role)) }));
		const out = el("button", { id: "logout", type: "button",
		    class: "link", text: t("logout") });
		out.addEventListener("click", async () => {
			await api("POST", "/v1/logout");
			location.href = "/";
		});
		right.append(out);
	}
	bar.append(right);
}

// The pages, the current one marked.
const pages = [["/", "nav.board"], ["/listings.html", "nav.listings"],
    ["/documents.html", "nav.documents"], ["/alerts.html", "nav.alerts"],
    ["/stats.html", "nav.stats"]];

function nav() {
	const n = el("nav", { class: "pages", "aria-label": t("nav.label") });
	const here = location.pathname === "/index.html" ? "/" :
	    location.pathname;
	for (const [href, key] of pages)
		n.append(el("a", { href, text: t(key),
		    "aria-current": href === here ? "page" : null }));
	return n;
}

// A page's start: its static texts, the session (the sign-in form
// first if there is none) and the header; rerender on a language switch.
// Resolves to the session.
export async function start(rerender) {
	translatePage();
	let me = await session();
	if (!me) {
		header(null, () => {});
		await signIn();
		me = await session();
	}
	header(me, rerender);
	return me;
}

// A table cell with its label (the phone's card layout shows it).
export function cell(label, ...kids) {
	return el("td", { "data-label": label }, ...kids);
}

// A select's options [[value, text]...], after first ("All") as "" when
// given; keeps the choice if it is still there, else the first option.
export function fillSelect(sel, values, first) {
	const keep = sel.value;
	sel.replaceChildren();
	if (first)
		sel.append(el("option", { value: "" }, first));
	for (const [v, txt] of values)
		sel.append(el("option", { value: v }, txt));
	sel.value = keep;
	if (sel.value !== keep || sel.selectedIndex === -1)
		sel.value = first ? "" : values[0]?.[0] ?? "";
}

// A form's message: text, an error (red) or not.
export function say(msg, text, error) {
	msg.replaceChildren();
	msg.textContent = text;
	msg.className = error ? "msg error" : "msg";
}

// The daemon's refusal of r in msg.
export function refused(msg, r) {
	say(msg, t("act.failed", r.data?.error?.message ?? r.status), true);
}

// The sign-in form, in #login of either page; resolves once signed in.
export function signIn() {
	const box = document.getElementById("login");
	const input = (name, type, auto) => el("label", {},
	    el("span", { "data-i18n": `login.${name}`, text: t(`login.${name}`) }),
	    el("input", { name, id: `login-${name}`, type, autocomplete: auto,
		required: true }));
	const msg = el("p", { id: "login-msg", class: "error", role: "alert" });
	const form = el("form", { id: "login-form" },
	    input("name", "text", "username"),
	    input("password", "password", "current-password"),
	    el("button", { type: "submit", id: "login-submit",
		"data-i18n": "login.submit", text: t("login.submit") }), msg);
	box.replaceChildren(el("h1", { "data-i18n": "login.title",
	    text: t("login.title") }), form);
	box.hidden = false;
	return new Promise((resolve) => {
		form.addEventListener("submit", async (ev) => {
			ev.preventDefault();
			msg.textContent = "";
			const body = { name: form.elements.name.value,
			    password: form.elements.password.value };
			let r;
			try {
				r = await api("POST", "/v1/login", body);
			} catch (e) {
				msg.textContent = t("err.network");
				return;
			}
			if (r.status === 200) {
				box.hidden = true;
				form.elements.password.value = "";
				resolve();
			} else if (r.status === 401) {
				msg.textContent = t("login.bad");
			} else if (r.status === 429) {
				msg.textContent = t("login.locked");
			} else {
				msg.textContent = t("login.failed",
				    r.data?.error?.message ?? r.status);
			}
		});
	});
}

export { t, lang, translatePage };
