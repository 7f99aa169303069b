// console.js: says who is logged in (GET /v1/session), nothing more yet.
const who = document.getElementById("who");
const res = await fetch("/v1/session", { credentials: "same-origin" });
if (res.ok) {
	const s = await res.json();
	who.textContent = `Logged in as ${s.user} (${s.role}).`;
}
