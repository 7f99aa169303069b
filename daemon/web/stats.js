// SPDX-License-Identifier: ISC
// stats.js: the Statistics page: GET /v1/stats for a shop (or all) over
// some weeks, four charts (svgchart.js), each with its numbers in a table
// and its CSV to download.
import { api, el, t, translatePage, session, header, signIn } from "/common.js";
import { columns, rows, line } from "/svgchart.js";

// Every reason, in the daemon's order: a reason keeps its colour (c0..).
const REASONS = ["ip_infringement", "category_misplaced", "false_info",
    "prohibited_words", "unauthorized_media", "missing_certification",
    "not_as_described", "duplicate_listing", "tro", "spot_check", "other",
    "unclassified"];
const OUTCOMES = [["approved", "ok"], ["rejected", "bad"], ["pending", "wait"]];

const form = document.getElementById("stats-form");
const box = document.getElementById("charts");
const msg = document.getElementById("stats-msg");
let data = null;
let plots = []; // [chart, its box], redrawn when the window's width changes

const reasonName = (r) => t("reason." + r);
const reasonCls = (r) => "c" + Math.max(0, REASONS.indexOf(r));
const shortWeek = (w) => w.week.slice(5); // "2026-W37" -> "W37"
const days = (v) => (v === null ? t("none") : v.toFixed(1));
const bucketName = (b) => t("stats.bucket", b);

function zone(tz) {
	return tz === "Asia/Shanghai" ? t("tz.shanghai") : tz;
}

function params() {
	const p = new URLSearchParams();
	if (form.elements.shop.value)
		p.set("shop", form.elements.shop.value);
	p.set("weeks", form.elements.weeks.value);
	return p;
}

function csvHref(chart) {
	const p = params();
	p.set("chart", chart);
	p.set("format", "csv");
	return "/v1/stats?" + p.toString();
}

// <table> of head (strings) and body rows ([key, cells...]).
function table(caption, head, body) {
	const tb = el("tbody");
	for (const [key, ...cells] of body) {
		const tr = el("tr", { "data-key": key });
		cells.forEach((c, i) => tr.append(el(i ? "td" : "th",
		    { scope: i ? null : "row", text: String(c) })));
		tb.append(tr);
	}
	return el("table", { class: "numbers" }, el("caption", { text: caption }),
	    el("thead", {}, el("tr", {}, ...head.map((h) =>
		el("th", { scope: "col", text: h })))), tb);
}

function legend(items) {
	return el("ul", { class: "legend" }, ...items.map(([name, cls]) =>
	    el("li", {}, el("span", { class: "swatch " + cls }), name)));
}

// The four charts: what each draws and the table of its numbers.
const charts = [
	{
		id: "delistings",
		legend: () => data.reasons.map((r) => [reasonName(r), reasonCls(r)]),
		draw: (plot) => columns(plot, {
			label: t("stats.delistings"),
			labels: data.delistings.map(shortWeek),
			series: data.reasons.map((r) => ({ name: reasonName(r),
			    cls: reasonCls(r),
			    values: data.delistings.map((w) => w.by_reason[r]) })),
		}),
		table: () => table(t("stats.delistings"),
		    [t("stats.week"), t("stats.from"),
			...data.reasons.map(reasonName), t("stats.total")],
		    data.delistings.map((w) => [w.week, w.week, w.start,
			...data.reasons.map((r) => w.by_reason[r]), w.total])),
	},
	{
		id: "appeals",
		legend: () => OUTCOMES.map(([o, cls]) => [t("stats." + o), cls]),
		draw: (plot) => rows(plot, {
			label: t("stats.appeals"),
			labels: data.appeals.by_reason.map((a) => reasonName(a.reason)),
			series: OUTCOMES.map(([o, cls]) => ({ name: t("stats." + o),
			    cls, values: data.appeals.by_reason.map((a) => a[o]) })),
		}),
		table: () => table(t("stats.appeals"),
		    [t("col.reason"), ...OUTCOMES.map(([o]) => t("stats." + o)),
			t("stats.total")],
		    [...data.appeals.by_reason, { reason: null, ...data.appeals.all }]
			.map((a) => [a.reason ?? "all",
			    a.reason ? reasonName(a.reason) : t("stats.all"),
			    ...OUTCOMES.map(([o]) => a[o]), a.total])),
	},
	{
		id: "reinstatement",
		legend: () => data.reinstatement.by_reason.filter((r) => r.reinstated)
		    .map((r) => [reasonName(r.reason), reasonCls(r.reason)]),
		summary: () => data.reinstatement.all.reinstated
		    ? t("stats.days.summary", data.reinstatement.all.reinstated,
			days(data.reinstatement.all.median_days),
			days(data.reinstatement.all.p90_days))
		    : t("stats.days.none"),
		draw: (plot) => columns(plot, {
			label: t("stats.reinstatement"),
			labels: data.buckets, unit: t("stats.days"),
			series: data.reinstatement.by_reason.map((r) => ({
			    name: reasonName(r.reason), cls: reasonCls(r.reason),
			    values: r.histogram })),
		}),
		table: () => table(t("stats.reinstatement"),
		    [t("col.reason"), t("stats.reinstated"), t("stats.median"),
			t("stats.p90"), ...data.buckets.map(bucketName)],
		    [...data.reinstatement.by_reason,
			{ reason: null, ...data.reinstatement.all }]
			.map((r) => [r.reason ?? "all",
			    r.reason ? reasonName(r.reason) : t("stats.all"),
			    r.reinstated, days(r.median_days), days(r.p90_days),
			    ...r.histogram])),
	},
	{
		id: "open",
		legend: () => [[t("stats.open.series"), "c-open"]],
		draw: (plot) => line(plot, {
			label: t("stats.open"),
			labels: data.open.map(shortWeek),
			values: data.open.map((w) => w.open),
			name: t("stats.open.series"), cls: "c-open",
		}),
		table: () => table(t("stats.open"),
		    [t("stats.week"), t("stats.from"), t("stats.open.series")],
		    data.open.map((w) => [w.week, w.week, w.start, w.open])),
	},
];

function render() {
	if (!data)
		return;
	const first = data.delistings[0]?.week ?? "";
	const last = data.delistings[data.delistings.length - 1]?.week ?? "";
	document.getElementById("stats-note").textContent =
	    t("stats.note", first, last, zone(data.timezone));
	plots = [];
	box.replaceChildren();
	for (const c of charts) {
		const plot = el("div", { class: "plot" });
		const fig = el("section", { class: "chart panel", id: "chart-" + c.id },
		    el("div", { class: "chart-head" },
			el("h2", { text: t("stats." + c.id) }),
			el("a", { class: "csv", href: csvHref(c.id),
			    download: true, text: t("stats.csv") })),
		    c.summary ? el("p", { class: "summary", text: c.summary() }) : null,
		    plot, legend(c.legend()),
		    el("details", {}, el("summary", { text: t("stats.numbers") }),
			el("div", { class: "scroll" }, c.table())));
		box.append(fig);
		plots.push([c, plot]);
	}
	draw();
}

function draw() {
	for (const [c, plot] of plots)
		c.draw(plot);
}

async function load() {
	msg.textContent = "";
	let r;
	try {
		r = await api("GET", "/v1/stats?" + params().toString());
	} catch (e) {
		msg.textContent = t("err.network");
		return;
	}
	if (r.status !== 200) {
		msg.textContent = t("act.failed", r.data?.error?.message ?? r.status);
		return;
	}
	data = r.data;
	render();
	document.body.dataset.ready = "1";
}

async function main() {
	translatePage();
	let me = await session();
	if (!me) {
		header(null, () => {});
		await signIn();
		me = await session();
	}
	header(me, render);
	const shops = form.elements.shop;
	shops.replaceChildren(el("option", { value: "", "data-i18n": "stats.allshops",
	    text: t("stats.allshops") }));
	const st = await api("GET", "/v1/status");
	for (const s of st.data?.shops ?? [])
		shops.append(el("option", { value: s.name, text: s.name }));
	document.getElementById("stats").hidden = false;
	form.addEventListener("change", () => {
		document.body.dataset.ready = "0";
		load();
	});
	let pending = false, width = window.innerWidth;
	window.addEventListener("resize", () => {
		if (pending || window.innerWidth === width)
			return;
		pending = true;
		requestAnimationFrame(() => {
			pending = false;
			width = window.innerWidth;
			draw();
		});
	});
	await load();
}

main();
