// SPDX-License-Identifier: ISC
// svgchart.js: the Statistics' charts as SVG, drawn at the width of their
// box (so text stays readable on a phone): stacked columns, stacked
// horizontal bars and a line. Elements and attributes only (no style
// attribute, no HTML strings): the CSP holds. Colours are classes
// (stats.css); every mark has a <title> with its number.
const NS = "http://www.w3.org/2000/svg";
const FONT = 12;

function s(tag, attrs, text) {
	const e = document.createElementNS(NS, tag);
	for (const [k, v] of Object.entries(attrs))
		e.setAttribute(k, String(v));
	if (text !== undefined)
		e.textContent = text;
	return e;
}

// A round top for an axis and its step: 0..max in about 4 steps.
function scale(v) {
	if (v <= 0)
		return { max: 1, step: 1 };
	const raw = v / 4;
	const p = Math.pow(10, Math.floor(Math.log10(raw)));
	let step = p;
	for (const m of [1, 2, 5, 10]) {
		step = m * p;
		if (step >= raw)
			break;
	}
	step = Math.max(1, step);
	return { max: Math.ceil(v / step) * step, step };
}

function svg(box, height, label) {
	const width = Math.max(240, Math.floor(box.clientWidth || 320));
	const g = s("svg", { width, height, viewBox: `0 0 ${width} ${height}`,
	    role: "img", "aria-label": label, class: "svgchart" });
	box.replaceChildren(g);
	return { g, width };
}

// The value axis (left) with grid lines, from y0 (bottom) to y1 (top).
function yAxis(g, x0, x1, y0, y1, sc) {
	for (let v = 0; v <= sc.max; v += sc.step) {
		const y = y0 - (y0 - y1) * v / sc.max;
		g.append(s("line", { x1: x0, x2: x1, y1: y, y2: y, class: "grid" }));
		g.append(s("text", { x: x0 - 4, y: y + FONT / 3,
		    "text-anchor": "end", class: "tick" }, String(v)));
	}
}

// Category labels under columns, thinned so that they do not collide:
// measured in the page (the SVG is in it), every k-th one kept.
function xLabels(g, labels, x0, bw, y) {
	const texts = labels.map((l, i) => {
		const e = s("text", { x: x0 + bw * (i + 0.5), y,
		    "text-anchor": "middle", class: "tick" }, l);
		g.append(e);
		return e;
	});
	let widest = 0;
	for (const e of texts)
		widest = Math.max(widest, e.getComputedTextLength?.() ?? 0);
	const every = Math.max(1, Math.ceil((widest + 6) / bw));
	texts.forEach((e, i) => {
		// keep the last one: the current week
		if ((labels.length - 1 - i) % every !== 0)
			e.remove();
	});
}

// Stacked columns: labels (x), series [{name, cls, values}].
export function columns(box, { labels, series, label, unit, height = 240 }) {
	const { g, width } = svg(box, height + (unit ? FONT + 4 : 0), label);
	const totals = labels.map((_, i) =>
	    series.reduce((a, sr) => a + (sr.values[i] || 0), 0));
	const sc = scale(Math.max(0, ...totals));
	const x0 = 36, x1 = width - 8, y0 = height - 24, y1 = 10;
	yAxis(g, x0, x1, y0, y1, sc);
	const bw = (x1 - x0) / Math.max(1, labels.length);
	labels.forEach((l, i) => {
		let y = y0;
		for (const sr of series) {
			const v = sr.values[i] || 0;
			if (!v)
				continue;
			const h = (y0 - y1) * v / sc.max;
			y -= h;
			const r = s("rect", { x: x0 + bw * i + bw * 0.15, y,
			    width: Math.max(1, bw * 0.7), height: h,
			    class: "mark " + sr.cls });
			r.append(s("title", {}, `${l} · ${sr.name}: ${v}`));
			g.append(r);
		}
	});
	g.append(s("line", { x1: x0, x2: x1, y1: y0, y2: y0, class: "axis" }));
	xLabels(g, labels, x0, bw, y0 + FONT + 4);
	if (unit)
		g.append(s("text", { x: x1, y: y0 + 2 * FONT + 8,
		    "text-anchor": "end", class: "tick" }, unit));
}

// Stacked horizontal bars, one row per label, its name above the bar.
export function rows(box, { labels, series, label }) {
	const row = 40;
	const height = Math.max(1, labels.length) * row + 24;
	const { g, width } = svg(box, height, label);
	const totals = labels.map((_, i) =>
	    series.reduce((a, sr) => a + (sr.values[i] || 0), 0));
	const sc = scale(Math.max(0, ...totals));
	const x0 = 8, x1 = width - 40;
	labels.forEach((l, i) => {
		const top = i * row;
		g.append(s("text", { x: x0, y: top + FONT + 2, class: "rowlabel" }, l));
		let x = x0;
		for (const sr of series) {
			const v = sr.values[i] || 0;
			if (!v)
				continue;
			const w = (x1 - x0) * v / sc.max;
			const r = s("rect", { x, y: top + FONT + 6, width: w,
			    height: row - FONT - 14, class: "mark " + sr.cls });
			r.append(s("title", {}, `${l} · ${sr.name}: ${v}`));
			g.append(r);
			x += w;
		}
		g.append(s("text", { x: x + 4, y: top + row - 12, class: "tick" },
		    String(totals[i])));
	});
	for (let v = 0; v <= sc.max; v += sc.step) {
		const x = x0 + (x1 - x0) * v / sc.max;
		g.append(s("text", { x, y: height - 6, "text-anchor": "middle",
		    class: "tick" }, String(v)));
	}
}

// A line with a dot per point.
export function line(box, { labels, values, name, cls, label, height = 220 }) {
	const { g, width } = svg(box, height, label);
	const sc = scale(Math.max(0, ...values));
	const x0 = 36, x1 = width - 8, y0 = height - 24, y1 = 10;
	yAxis(g, x0, x1, y0, y1, sc);
	const bw = (x1 - x0) / Math.max(1, labels.length);
	const pts = values.map((v, i) =>
	    [x0 + bw * (i + 0.5), y0 - (y0 - y1) * v / sc.max]);
	if (pts.length > 1)
		g.append(s("polyline", { points: pts.map((p) => p.join(",")).join(" "),
		    class: "trend " + cls }));
	pts.forEach(([x, y], i) => {
		const c = s("circle", { cx: x, cy: y, r: 3.5, class: "mark " + cls });
		c.append(s("title", {}, `${labels[i]} · ${name}: ${values[i]}`));
		g.append(c);
	});
	g.append(s("line", { x1: x0, x2: x1, y1: y0, y2: y0, class: "axis" }));
	xLabels(g, labels, x0, bw, y0 + FONT + 4);
}
