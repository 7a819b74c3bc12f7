/**
 * The page at `/` on the HTTP port: plain HTML and a small script (no build step, no library).
 * It draws the 256-bit keyspace as a ring (an id's angle is its first 32 bits): this node, the
 * contacts its table holds, and for a key typed in, the record id, its k closest nodes, which of
 * them hold the record, and the path the Get took, hop by hop. Beside the ring: the buckets, the
 * closest nodes, the path, and the last lookups. Data from /api/table, /api/key and /api/lookups.
 */
export const KEYSPACE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kad: keyspace</title>
<style>
  :root { --ink: #1d2330; --muted: #6b7385; --line: #d9dde6; --self: #d1495b; --node: #30638e; --key: #edae49; --holder: #00798c; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f7f8fb; }
  header { padding: 14px 24px; background: #fff; border-bottom: 1px solid var(--line); display: flex; gap: 24px; align-items: baseline; flex-wrap: wrap; }
  header h1 { font-size: 18px; margin: 0; }
  .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
  .muted { color: var(--muted); }
  main { display: grid; grid-template-columns: minmax(320px, 560px) 1fr; gap: 24px; padding: 24px; }
  section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin-bottom: 24px; }
  h2 { font-size: 15px; margin: 0 0 10px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); }
  th { font-weight: 600; color: var(--muted); font-size: 12px; }
  form { display: flex; gap: 8px; margin-bottom: 12px; }
  input { flex: 1; padding: 6px 10px; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
  button { padding: 6px 14px; border: 0; border-radius: 6px; background: var(--node); color: #fff; font: inherit; cursor: pointer; }
  .yes { color: var(--holder); font-weight: 600; } .no { color: var(--muted); } .unknown { color: var(--self); }
  .legend span { margin-right: 14px; } .dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px; vertical-align: middle; }
  svg text { font: 11px system-ui, sans-serif; fill: var(--muted); }
  @media (max-width: 900px) { main { grid-template-columns: 1fr; } }
</style>
</head>
<body>
<header>
  <h1>kad <span id="node" class="muted"></span></h1>
  <span>id <span id="self-id" class="mono"></span></span>
  <span>at <span id="self-address" class="mono"></span></span>
  <span id="status" class="muted">loading...</span>
</header>
<main>
  <div>
    <section>
      <h2>The keyspace</h2>
      <svg id="ring" viewBox="-300 -290 600 580" width="100%" role="img" aria-label="the keyspace as a ring"></svg>
      <div class="legend muted">
        <span><i class="dot" style="background:var(--self)"></i>this node</span>
        <span><i class="dot" style="background:var(--node)"></i>in its table</span>
        <span><i class="dot" style="background:var(--key)"></i>the key</span>
        <span><i class="dot" style="background:var(--holder)"></i>holds the record</span>
      </div>
    </section>
    <section>
      <h2>Buckets</h2>
      <table id="buckets"><thead><tr><th>depth</th><th>contacts</th><th>replacements</th></tr></thead><tbody></tbody></table>
    </section>
  </div>
  <div>
    <section>
      <h2>A key</h2>
      <form id="key-form"><input id="key-input" name="key" placeholder="a key, as text" autocomplete="off" required maxlength="1024"><button id="lookup-button" type="submit">Look up</button></form>
      <div id="key-summary" class="muted">Type a key to see its k closest nodes, who holds it, and the path a Get takes.</div>
      <h2 style="margin-top:14px">The k closest nodes</h2>
      <table id="closest"><thead><tr><th>#</th><th>node id</th><th>address</th><th>distance (bits)</th><th>holds it</th></tr></thead><tbody></tbody></table>
      <h2 style="margin-top:14px">The path of the Get</h2>
      <table id="path"><thead><tr><th>round</th><th>RPC</th><th>peer</th><th>distance (bits)</th><th>latency</th><th>outcome</th></tr></thead><tbody></tbody></table>
    </section>
    <section>
      <h2>Last lookups</h2>
      <table id="lookups"><thead><tr><th>key</th><th>found</th><th>hops</th><th>holders</th></tr></thead><tbody></tbody></table>
    </section>
  </div>
</main>
<script>
"use strict";
const R = 220;
const $ = (id) => document.getElementById(id);
const short = (hex) => hex ? hex.slice(0, 8) + "\\u2026" + hex.slice(-4) : "";
const angle = (hex) => (parseInt(hex.slice(0, 8), 16) / 4294967296) * 2 * Math.PI - Math.PI / 2;
const at = (hex, r) => [Math.cos(angle(hex)) * r, Math.sin(angle(hex)) * r];
const NS = "http://www.w3.org/2000/svg";
function el(name, attrs, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}
function row(cells, cls) {
  const tr = document.createElement("tr");
  for (const c of cells) { const td = document.createElement("td"); td.textContent = c; tr.append(td); }
  if (cls) tr.className = cls;
  return tr;
}
let table = null;
let keyView = null;
function draw() {
  const svg = $("ring");
  svg.replaceChildren(el("circle", { r: R, fill: "none", stroke: "#d9dde6", "stroke-width": 2 }));
  for (const [label, a] of [["0", 0], ["2^254", 0.25], ["2^255", 0.5], ["3\\u00b72^254", 0.75]]) {
    const t = a * 2 * Math.PI - Math.PI / 2;
    svg.append(el("text", { x: Math.cos(t) * (R + 22), y: Math.sin(t) * (R + 22) + 4, "text-anchor": "middle" }, label));
  }
  if (!table) return;
  const selfXY = at(table.self.id, R);
  if (keyView) {
    const holders = new Set(keyView.closest.filter((c) => c.holds).map((c) => c.id));
    const [kx, ky] = at(keyView.recordId, R);
    let from = selfXY;
    for (const hop of keyView.path) {
      const to = at(hop.peer.id, R);
      svg.append(el("line", { x1: from[0] * 0.98, y1: from[1] * 0.98, x2: to[0] * 0.98, y2: to[1] * 0.98, stroke: "#edae49", "stroke-width": 1.5, "stroke-dasharray": "4 3" }));
      if (hop.outcome === "value") from = to;
    }
    for (const c of keyView.closest) {
      const [x, y] = at(c.id, R);
      svg.append(el("circle", { cx: x, cy: y, r: 11, fill: "none", stroke: holders.has(c.id) ? "#00798c" : "#6b7385", "stroke-width": 2 }));
    }
    svg.append(el("line", { x1: kx * 0.85, y1: ky * 0.85, x2: kx * 1.08, y2: ky * 1.08, stroke: "#edae49", "stroke-width": 3 }));
    svg.append(el("text", { x: kx * 1.16, y: ky * 1.16 + 4, "text-anchor": "middle" }, keyView.key.slice(0, 16)));
    for (const c of keyView.closest) if (holders.has(c.id)) { const [x, y] = at(c.id, R); svg.append(el("circle", { cx: x, cy: y, r: 6, fill: "#00798c" })); }
  }
  for (const b of table.buckets) for (const c of b.contacts) {
    const [x, y] = at(c.id, R);
    const dot = el("circle", { cx: x, cy: y, r: 4.5, fill: "#30638e" });
    dot.append(el("title", {}, c.address + " " + short(c.id)));
    svg.append(dot);
  }
  svg.append(el("circle", { cx: selfXY[0], cy: selfXY[1], r: 7, fill: "#d1495b" }));
  svg.append(el("text", { x: 0, y: 0, "text-anchor": "middle" }, table.node));
}
async function loadTable() {
  try {
    const res = await fetch("/api/table");
    if (!res.ok) throw new Error(await res.text());
    table = await res.json();
    $("node").textContent = table.node;
    $("self-id").textContent = short(table.self.id);
    $("self-address").textContent = table.self.address;
    const contacts = table.buckets.reduce((n, b) => n + b.contacts.length, 0);
    $("status").textContent = contacts + " contacts in " + table.buckets.length + " buckets, k = " + table.k;
    $("buckets").tBodies[0].replaceChildren(...table.buckets.map((b) => row([b.depth, b.contacts.length + " / " + table.k, b.replacements])));
    draw();
  } catch (err) {
    $("status").textContent = "the routing table did not answer: " + err.message;
  }
}
async function loadLookups() {
  const res = await fetch("/api/lookups");
  if (!res.ok) return;
  const { lookups } = await res.json();
  $("lookups").tBodies[0].replaceChildren(...lookups.map((l) => row([l.key, l.found ? "yes" : "no", l.path.length, l.closest.filter((c) => c.holds).length + " of " + l.closest.length])));
}
$("key-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const key = $("key-input").value;
  $("key-summary").textContent = "looking up " + key + "...";
  const res = await fetch("/api/key?key=" + encodeURIComponent(key));
  if (!res.ok) { $("key-summary").textContent = "failed: " + (await res.text()); return; }
  keyView = await res.json();
  const holders = keyView.closest.filter((c) => c.holds).length;
  $("key-summary").textContent = "record id " + short(keyView.recordId) + ": " + (keyView.found ? "found" : "not found") + ", held by " + holders + " of the " + keyView.closest.length + " closest; the Get took " + keyView.path.length + " peer RPCs";
  $("key-summary").dataset.holders = String(holders);
  $("closest").tBodies[0].replaceChildren(...keyView.closest.map((c, i) => {
    const tr = row([i + 1, short(c.id) + (c.self ? " (this node)" : ""), c.address, c.distanceBits, c.holds === undefined ? "no answer" : c.holds ? "yes" : "no"]);
    tr.lastChild.className = c.holds === undefined ? "unknown" : c.holds ? "yes" : "no";
    return tr;
  }));
  $("path").tBodies[0].replaceChildren(...(keyView.path.length === 0 ? [row(["-", "-", "answered from this node's own copy", "-", "-", "value"])] : keyView.path.map((h) => row([h.round, h.rpc, h.peer.address + " " + short(h.peer.id), h.distanceBits, h.latencyMs.toFixed(1) + " ms", h.outcome]))));
  draw();
  loadLookups();
});
loadTable();
loadLookups();
setInterval(loadTable, 5000);
</script>
</body>
</html>
`;
