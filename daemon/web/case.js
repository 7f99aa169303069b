// SPDX-License-Identifier: ISC
// case.js: one case: deadlines on top, the appeals with their statements,
// the trail as a timeline, evidence and documents; for operators and
// admins the actions (note, preflight check, acknowledge, assign).
import { api, el, t, translatePage, session, header, signIn, fmtTime,
    isOverdue, nextStep } from "/common.js";

const id = new URLSearchParams(location.search).get("id");
let me = null;
let c = null;

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
			mats.append(el("li", {}, `${m.type}: ${m.name}`));
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
		    el("p", { text: e.message })));
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

// A form that posts JSON to the case; the answer replaces the page.
function action(key, fields, submitKey, build, path, after) {
	const f = el("form", { class: "action", id: `act-${key}` },
	    el("h3", { text: t(`act.${key}`) }));
	for (const [name, label, type] of fields) {
		const input = type === "textarea" ?
		    el("textarea", { name, rows: 4 }) : el("input", { name });
		f.append(el("label", {}, el("span", { text: t(label) }), input));
	}
	const msg = el("p", { class: "msg", role: "status" });
	f.append(el("button", { type: "submit", text: t(submitKey) }), msg);
	f.addEventListener("submit", async (ev) => {
		ev.preventDefault();
		msg.textContent = "";
		const r = await api("POST", `/v1/cases/${c.id}/${path}`,
		    build(f.elements));
		if (r.status >= 200 && r.status < 300) {
			if (after) {
				after(r.data, msg);
				return;
			}
			c = r.data;
			render();
		} else {
			msg.textContent = t("act.failed",
			    r.data?.error?.message ?? r.status);
			msg.className = "msg error";
		}
	});
	return f;
}

function findings(data, msg) {
	msg.replaceChildren();
	if (!data.findings.length) {
		msg.textContent = t("act.check.ok");
		return;
	}
	const order = { error: 0, warning: 1 };
	const ul = el("ul", { class: "findings" });
	for (const x of [...data.findings].sort((a, b) =>
	    order[a.severity] - order[b.severity]))
		ul.append(el("li", { class: `sev-${x.severity}` },
		    el("span", { class: "badge", text: t("sev." + x.severity) }),
		    ` ${x.message}`));
	msg.append(ul);
}

function actions() {
	const v = (s) => (s.trim() === "" ? undefined : s.trim());
	return section(t("act.title"),
	    action("note", [["text", "act.note.text", "textarea"]],
		"act.note.submit", (e) => ({ text: e.text.value }), "notes"),
	    action("check", [["statement", "act.check.statement", "textarea"]],
		"act.check.submit", (e) => ({ statement: e.statement.value }),
		"preflight", findings),
	    action("ack", [["for", "act.ack.for"], ["comment", "act.ack.comment"]],
		"act.ack", (e) => ({ for: v(e.for.value),
		comment: v(e.comment.value) }), "ack"),
	    action("assign", [["user", "act.assign.user"]], "act.assign",
		(e) => ({ user: v(e.user.value) ?? null }), "assign"));
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
	root.replaceChildren(...[head, deadlines(),
	    appeals(),
	    me.role !== "viewer" && !c.closed_at ? actions() : null, trail(),
	    list(t("case.evidence"), c.evidence, (x) =>
		`${fmtTime(x.at, c.timezone)} · ${x.kind} · ${x.url ?? ""} ${x.sha256 ?? x.error ?? ""}`),
	    list(t("case.documents"), c.documents, (x) =>
		`${x.type}: ${x.name}${x.removed ? " (removed)" : ""}`)]
	    .filter((x) => x !== null));
	document.body.dataset.ready = "1";
}

async function load() {
	const r = await api("GET", `/v1/cases/${encodeURIComponent(id)}`);
	c = r.status === 200 ? r.data : null;
	render();
}

async function main() {
	translatePage();
	me = await session();
	if (!me) {
		header(null, () => {});
		await signIn();
		me = await session();
	}
	header(me, () => render());
	await load();
}

main();
