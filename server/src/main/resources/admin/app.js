// Parley operations page: fills its plots from GET /admin/api/snapshot (the last 15 minutes), then
// appends one point a second from GET /admin/api/stream (Server-Sent Events). Plots are uPlot's
// (vendored in /admin/vendor/uplot). "cluster" shows the nodes' totals (latencies: the worst
// node); each node can be shown on its own.
/* global uPlot */

const WINDOW_SECONDS = 900;
const MIN_WINDOW_SECONDS = 60;

const PLOTS = [
  { title: "Connections and sessions", series: [["connections", "connections"], ["sessions", "sessions"]] },
  { title: "Rooms in use", series: [["rooms", "rooms"]] },
  { title: "Messages per second", series: [["stored", "stored/s"], ["delivered", "deliveries/s"]] },
  { title: "Latency (ms)", series: [["ackP50", "send-ack p50"], ["ackP99", "send-ack p99"],
    ["commitP50", "commit p50"], ["commitP99", "commit p99"]] },
  { title: "Outbound bytes queued", series: [["queued", "bytes"]] },
  { title: "Closes per second by code", series: [["close1001", "1001"], ["close1008", "1008"],
    ["close1009", "1009"], ["close1013", "1013"]] },
  { title: "Limit trips per second", series: [["rateTrips", "rate limit"], ["sizeTrips", "size limit"]] },
  { title: "NATS and store (1 up, 0 down)", series: [["nats", "NATS"], ["store", "store"]] },
  { title: "Cluster lag p99 (ms)", series: [["lagP99", "lag p99"]] },
  { title: "Webhook outbox: events waiting, oldest age (s)", series: [["webhookDepth", "waiting"],
    ["webhookAge", "oldest age s"]] },
  { title: "Backend per second: webhook failures, proxy calls", series: [["webhookFailures", "webhook failures"],
    ["proxyCalls", "proxy calls"], ["proxyRefused", "proxy refusals"], ["proxyFailed", "proxy failures"]] },
];
const COLOURS = ["#2f5fd0", "#d0702f", "#1e7a3c", "#b3261e", "#7a3cb3", "#3c9bb3"];

const state = {
  self: null,
  view: "cluster",
  views: {}, // view name -> { t: [], key: [] ... }
  plots: [],
  tables: null,
};

const $ = (id) => document.getElementById(id);

function setStatus(text, kind) {
  const status = $("status");
  status.textContent = text;
  status.dataset.state = kind;
}

function emptyColumns(keys) {
  const columns = { t: [] };
  keys.forEach((k) => { columns[k] = []; });
  return columns;
}

function allKeys() {
  return PLOTS.flatMap((p) => p.series.map(([key]) => key));
}

function append(view, sample) {
  let columns = state.views[view];
  if (!columns) {
    columns = emptyColumns(allKeys());
    state.views[view] = columns;
  }
  const last = columns.t[columns.t.length - 1];
  if (last !== undefined && sample.t <= last) {
    return;
  }
  columns.t.push(sample.t);
  for (const key of allKeys()) {
    columns[key].push(sample[key] ?? null);
  }
  const oldest = sample.t - WINDOW_SECONDS;
  while (columns.t.length > 0 && columns.t[0] <= oldest) {
    for (const k of Object.keys(columns)) {
      columns[k].shift();
    }
  }
}

function plotWidth() {
  const box = $("plots");
  const columns = box.clientWidth >= 1040 ? 2 : 1;
  return Math.max(300, Math.floor(box.clientWidth / columns) - 24);
}

function makePlots() {
  const box = $("plots");
  const width = plotWidth();
  for (const plot of PLOTS) {
    const el = document.createElement("div");
    el.className = "plot";
    const title = document.createElement("h2");
    title.textContent = plot.title;
    el.append(title);
    box.append(el);
    const opts = {
      width,
      height: 170,
      cursor: { drag: { x: false, y: false } },
      // At least the last minute, at most the last 15, ending now: the time axis does not stretch
      // a few seconds over the whole width when the node has just started.
      scales: { x: { time: true, range: (u, min, max) => [max - Math.min(WINDOW_SECONDS, Math.max(MIN_WINDOW_SECONDS, max - min)), max] } },
      series: [{}].concat(plot.series.map(([, label], i) => ({
        label, stroke: COLOURS[i % COLOURS.length], width: 1.5, spanGaps: false,
      }))),
      axes: [{}, { size: 60 }],
    };
    const u = new uPlot(opts, [[], ...plot.series.map(() => [])], el);
    u.root.dataset.title = plot.title;
    state.plots.push({ plot, u });
  }
}

function redraw() {
  const columns = state.views[state.view] || emptyColumns(allKeys());
  for (const { plot, u } of state.plots) {
    u.setData([columns.t, ...plot.series.map(([key]) => columns[key])]);
  }
}

function format(value, digits) {
  if (value === null || value === undefined) {
    return "–";
  }
  return Number.isInteger(value) ? value.toLocaleString("en") : value.toFixed(digits);
}

function showFigures(nodeCount) {
  const columns = state.views[state.view];
  if (!columns || columns.t.length === 0) {
    return;
  }
  const last = (key) => columns[key][columns[key].length - 1];
  for (const key of ["connections", "sessions", "rooms", "stored", "delivered", "ackP99", "queued"]) {
    $("fig-" + key).textContent = format(last(key), key === "ackP99" ? 2 : 1);
  }
  const up = (v) => (v === null || v === undefined ? "none" : v >= 1 ? "up" : "down");
  $("fig-nats").textContent = up(last("nats"));
  $("fig-store").textContent = up(last("store"));
  $("fig-nodes").textContent = String(nodeCount);
}

function cell(row, text, numeric) {
  const td = document.createElement("td");
  td.textContent = text;
  if (numeric) {
    td.className = "num";
  }
  row.append(td);
  return td;
}

function age(seconds) {
  if (seconds < 120) return seconds + " s";
  if (seconds < 7200) return Math.floor(seconds / 60) + " min";
  return Math.floor(seconds / 3600) + " h";
}

function showTables(tables) {
  const rooms = $("rooms").tBodies[0];
  rooms.replaceChildren();
  for (const r of tables.rooms) {
    const row = rooms.insertRow();
    cell(row, r.room);
    cell(row, r.node);
    cell(row, format(r.members, 0), true);
    cell(row, format(r.perSecond, 1), true);
  }
  $("room-count").textContent = "(" + tables.roomCount + " in use)";
  $("session-count").textContent = "(" + tables.sessionCount + " open)";
  const sessions = $("sessions").tBodies[0];
  if ($("sessions").matches(":hover")) {
    return; // the operator may be about to press Disconnect: keep the rows still under the pointer
  }
  sessions.replaceChildren();
  for (const s of tables.sessions) {
    const row = sessions.insertRow();
    row.dataset.session = s.id;
    cell(row, s.user);
    cell(row, s.address);
    cell(row, s.node);
    cell(row, s.transport === "sse" ? "SSE" : "WebSocket");
    cell(row, s.rooms.join(", ") + (s.roomCount > s.rooms.length ? " and " + (s.roomCount - s.rooms.length) + " more" : ""));
    cell(row, format(s.queued, 0), true);
    cell(row, age(s.ageSeconds), true);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "danger disconnect";
    button.textContent = "Disconnect";
    button.addEventListener("click", () => disconnect(s));
    cell(row, "").append(button);
  }
}

async function disconnect(session) {
  if (!window.confirm("Disconnect " + session.user + " (" + session.address + ")?")) {
    return;
  }
  const answer = await fetch("/admin/api/sessions/" + encodeURIComponent(session.id) + "/disconnect",
    { method: "POST" });
  const body = await answer.json().catch(() => ({}));
  $("disconnect-result").textContent = answer.status === 200
    ? "disconnected " + session.user + " (close " + body.code + ")"
    : answer.status === 202
      ? "asked node " + body.node + " to disconnect " + session.user + " (close " + body.code + ")"
      : "not disconnected: " + (body.error ? body.error.message : answer.status);
}

function updateViews(nodes) {
  const select = $("view");
  const known = new Set(Array.from(select.options, (o) => o.value));
  for (const node of nodes) {
    if (!known.has("node:" + node)) {
      const option = document.createElement("option");
      option.value = "node:" + node;
      option.textContent = "node " + node + (node === state.self ? " (this one)" : "");
      select.append(option);
    }
  }
}

function fromColumns(columns) {
  const out = emptyColumns(allKeys());
  const n = columns.t.length;
  for (let i = 0; i < n; i++) {
    out.t.push(columns.t[i]);
    for (const key of allKeys()) {
      out[key].push(columns[key] ? columns[key][i] : null);
    }
  }
  return out;
}

async function loadSnapshot() {
  const answer = await fetch("/admin/api/snapshot");
  if (!answer.ok) {
    throw new Error("snapshot refused: " + answer.status);
  }
  const snapshot = await answer.json();
  state.self = snapshot.self;
  $("logout").hidden = !snapshot.login;
  state.views.cluster = fromColumns(snapshot.cluster);
  for (const [node, columns] of Object.entries(snapshot.nodes)) {
    state.views["node:" + node] = fromColumns(columns);
  }
  updateViews(Object.keys(snapshot.nodes));
  state.tables = snapshot.tables;
  showTables(snapshot.tables);
  showFigures(Object.keys(snapshot.nodes).length);
  redraw();
}

function listen() {
  const events = new EventSource("/admin/api/stream");
  events.onopen = () => setStatus("live: node " + state.self, "live");
  events.onerror = () => setStatus("stream interrupted; retrying", "down");
  events.onmessage = (message) => {
    const event = JSON.parse(message.data);
    append("cluster", event.cluster);
    for (const [node, sample] of Object.entries(event.nodes)) {
      append("node:" + node, sample);
    }
    updateViews(Object.keys(event.nodes));
    showFigures(Object.keys(event.nodes).length);
    showTables(event.tables);
    redraw();
  };
}

async function main() {
  makePlots();
  $("view").addEventListener("change", (e) => {
    state.view = e.target.value;
    redraw();
    showFigures($("view").options.length - 1);
  });
  window.addEventListener("resize", () => {
    const width = plotWidth();
    state.plots.forEach(({ u }) => u.setSize({ width, height: u.height }));
  });
  $("logout").addEventListener("click", async () => {
    await fetch("/admin/login", { method: "DELETE" });
    location.assign("/admin/login");
  });
  try {
    await loadSnapshot();
    listen();
  } catch (e) {
    setStatus(e.message, "down");
  }
}

main();
