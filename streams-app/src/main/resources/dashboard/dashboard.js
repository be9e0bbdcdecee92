// The dashboard: live figures from the server-sent events of /events/metrics (records of the
// `metrics` topic, see the schemas README), and a user lookup against the query API.
"use strict";

const DASH = "—";
const MAX_POINTS = 120;
const fixed = (digits) => (v) => (v === undefined || v === null || !isFinite(v) ? DASH : Number(v).toFixed(digits));

function setText(id, text) {
  document.getElementById(id).textContent = text;
}

function lineChart(id, title, series) {
  if (typeof Chart === "undefined") {
    return null; // The library is missing (a build without npm): figures still update.
  }
  return new Chart(document.getElementById(id), {
    type: "line",
    data: { labels: [], datasets: series.map((s) => ({ label: s, data: [], spanGaps: true, pointRadius: 0, borderWidth: 2 })) },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      plugins: { title: { display: true, text: title } },
      scales: { x: { ticks: { maxTicksLimit: 6 } }, y: { beginAtZero: true } },
    },
  });
}

const charts = {
  throughput: lineChart("throughputChart", "per second", ["events", "recommendations", "DLQ"]),
  latency: lineChart("latencyChart", "event → recommendation latency (ms)", ["p50", "p99"]),
  quality: lineChart("qualityChart", "prequential HR@10", ["served", "model", "co-occurrence", "popularity", "blend"]),
};

function push(chart, label, values) {
  if (!chart) return;
  chart.data.labels.push(label);
  values.forEach((v, i) => chart.data.datasets[i].data.push(v === undefined ? null : v));
  if (chart.data.labels.length > MAX_POINTS) {
    chart.data.labels.shift();
    chart.data.datasets.forEach((d) => d.data.shift());
  }
  chart.update("none");
}

function quality(q, field) {
  return q && q.events > 0 ? q[field] : undefined;
}

let received = 0;
const latestByInstance = new Map();

// Each strategy's share of the lists of every instance, weighted by how many lists each made.
function shares(records) {
  const total = {};
  let lists = 0;
  records.forEach((r) => {
    if (!r.servedShares) return;
    const weight = r.recommendationsPerSecond || 0;
    lists += weight;
    Object.entries(r.servedShares).forEach(([s, share]) => { total[s] = (total[s] || 0) + share * weight; });
  });
  if (!lists) return undefined;
  Object.keys(total).forEach((s) => { total[s] /= lists; });
  return total;
}

// Several instances publish to the same topic: sum their rates and take the worst latency over
// those that reported recently, so that the figures describe the whole application.
function aggregate(m) {
  latestByInstance.set(m.instance, m);
  const window = Math.max(1000, m.windowEnd - m.windowStart);
  const fresh = [...latestByInstance.values()].filter((r) => m.windowEnd - r.windowEnd <= 3 * window);
  if (fresh.length <= 1) return m;
  const sum = (f) => fresh.reduce((a, r) => a + (r[f] || 0), 0);
  const max = (f) => {
    const values = fresh.map((r) => r[f]).filter((v) => v !== undefined && v !== null);
    return values.length ? Math.max(...values) : undefined;
  };
  const quality = (f) => {
    const qs = fresh.map((r) => r[f]).filter((q) => q && q.events > 0);
    const events = qs.reduce((a, q) => a + q.events, 0);
    if (!events) return undefined;
    return {
      events,
      hitRate10: qs.reduce((a, q) => a + q.hitRate10 * q.events, 0) / events,
      ndcg10: qs.reduce((a, q) => a + q.ndcg10 * q.events, 0) / events,
    };
  };
  return {
    ...m,
    instance: fresh.length + " instances",
    eventsPerSecond: sum("eventsPerSecond"),
    recommendationsPerSecond: sum("recommendationsPerSecond"),
    deadLettersPerSecond: sum("deadLettersPerSecond"),
    latencyP50Ms: max("latencyP50Ms"),
    latencyP99Ms: max("latencyP99Ms"),
    trainerLag: max("trainerLag"),
    prequentialModel: quality("prequentialModel"),
    prequentialPopularity: quality("prequentialPopularity"),
    prequentialCooccurrence: quality("prequentialCooccurrence"),
    prequentialBlend: quality("prequentialBlend"),
    prequentialServed: quality("prequentialServed"),
    servedShares: shares(fresh),
  };
}

function onMetrics(record) {
  const m = aggregate(record);
  received++;
  document.body.dataset.received = String(received);
  setText("instance", m.instance || "");
  setText("eventsPerSecond", fixed(1)(m.eventsPerSecond));
  setText("recommendationsPerSecond", fixed(1)(m.recommendationsPerSecond));
  setText("deadLettersPerSecond", fixed(2)(m.deadLettersPerSecond));
  setText("latencyP50Ms", fixed(1)(m.latencyP50Ms));
  setText("latencyP99Ms", fixed(1)(m.latencyP99Ms));
  setText("trainerLag", m.trainerLag === undefined ? DASH : String(m.trainerLag));
  setText("modelVersion", m.modelVersion || DASH);
  const hrM = quality(m.prequentialModel, "hitRate10"), hrP = quality(m.prequentialPopularity, "hitRate10");
  const nM = quality(m.prequentialModel, "ndcg10"), nP = quality(m.prequentialPopularity, "ndcg10");
  setText("hr10", fixed(3)(hrM) + " / " + fixed(3)(hrP));
  setText("ndcg10", fixed(3)(nM) + " / " + fixed(3)(nP));
  const hrS = quality(m.prequentialServed, "hitRate10"), hrC = quality(m.prequentialCooccurrence, "hitRate10");
  const hrB = quality(m.prequentialBlend, "hitRate10");
  setText("hr10Served", fixed(3)(hrS) + " / " + fixed(3)(hrC));
  setText("servedShares", m.servedShares
    ? Object.entries(m.servedShares).filter(([, v]) => v > 0).map(([s, v]) => s + " " + Math.round(v * 100) + "%").join(", ") || DASH
    : DASH);
  const label = new Date(m.windowEnd).toLocaleTimeString();
  push(charts.throughput, label, [m.eventsPerSecond, m.recommendationsPerSecond, m.deadLettersPerSecond]);
  push(charts.latency, label, [m.latencyP50Ms, m.latencyP99Ms]);
  push(charts.quality, label, [hrS, hrM, hrC, hrP, hrB]);
}

// With recsys.http.auth.token set, the page is opened as /?access_token=<token>: a browser cannot
// put a header on an EventSource, so the token travels in the query of every request it makes.
const ACCESS_TOKEN = new URLSearchParams(window.location.search).get("access_token");

function withToken(url) {
  if (!ACCESS_TOKEN) return url;
  return url + (url.includes("?") ? "&" : "?") + "access_token=" + encodeURIComponent(ACCESS_TOKEN);
}

function connect() {
  const source = new EventSource(withToken("/events/metrics"));
  const status = document.getElementById("connection");
  source.onopen = () => { status.textContent = "live"; status.className = "status live"; };
  source.onerror = () => { status.textContent = "reconnecting…"; status.className = "status down"; };
  source.addEventListener("metrics", (e) => onMetrics(JSON.parse(e.data)));
}

function fill(listId, entries) {
  const list = document.getElementById(listId);
  list.replaceChildren();
  entries.forEach((text) => {
    const li = document.createElement("li");
    li.textContent = text;
    list.appendChild(li);
  });
}

const LOOKUP_RETRY_MS = 30000;

// A 503 means the user's state is moving between instances (start-up or rebalance): the API says
// when to ask again (Retry-After), so a lookup waits that out instead of showing a transient error.
async function getJson(url) {
  const giveUpAt = Date.now() + LOOKUP_RETRY_MS;
  for (;;) {
    const response = await fetch(withToken(url));
    const body = await response.json();
    if (response.status !== 503 || Date.now() >= giveUpAt) {
      return { ok: response.ok, status: response.status, body };
    }
    setText("lookupError", body.error + "; retrying");
    const seconds = Number(response.headers.get("Retry-After")) || 1;
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }
}

async function lookup(event) {
  event.preventDefault();
  const id = document.getElementById("userId").value.trim();
  setText("lookupError", "");
  if (!id) return;
  const path = "/users/" + encodeURIComponent(id);
  try {
    const [user, recs] = await Promise.all([getJson(path), getJson(path + "/recommendations?k=10")]);
    setText("lookupError", "");
    if (user.ok) {
      fill("recentItems", user.body.recentItems);
    } else {
      fill("recentItems", []);
      if (user.status !== 404) setText("lookupError", user.body.error);
    }
    if (recs.ok) {
      const r = recs.body;
      const source = r.strategy === "model" ? "model " + r.modelVersion : "popularity";
      setText("recommendationMeta", "(" + source + (r.knownUser ? "" : "; unknown user, so popular items") + ")");
      setText("recommendationReason", r.reason ? "Why: " + r.reason : "");
      fill("recommendedItems", r.items.map((i) => i.itemId + "  (" + Number(i.score).toFixed(3) + ")"));
    } else {
      setText("lookupError", recs.body.error);
    }
    document.body.dataset.lookedUp = id;
  } catch (e) {
    setText("lookupError", "lookup failed: " + e);
  }
}

document.getElementById("lookupForm").addEventListener("submit", lookup);
connect();
