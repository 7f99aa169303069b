// SPDX-License-Identifier: ISC
// common.js: what the pages share: the API with the session's CSRF token,
// elements built with textContent only, times in the shop's zone, the
// header (who, language switch, sign out) and the sign-in form.
import { t, lang, languages, setLang, translatePage } from "/i18n.js";

let csrf = null;
let clockSkew = 0; // the daemon's clock minus the browser's, in ms

// api(method, path, body): {status, data}; data is the parsed JSON or null.
export async function api(method, path, body) {
	const opt = { method, credentials: "same-origin", headers: {} };
	if (body !== undefined) {
		opt.headers["Content-Type"] = "application/json";
		opt.body = JSON.stringify(body);
	}
	if (method !== "GET" && csrf)
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
	return s.data;
}

// The header: the user and role, the language switch, sign out.
export function header(who, rerender) {
	const bar = document.getElementById("bar");
	bar.replaceChildren();
	bar.append(el("a", { href: "/", class: "brand", text: t("app.title") }));
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
