// Dashboard entry: reads the key, loads the current state over REST, then follows the live
// WebSocket streams. Every panel lives in its own module; this file only wires them together.
import { Api } from './api.js';
import { EventsView } from './events.js';
import { forgetKey, loadKey, saveKey } from './key.js';
import { LiveView } from './live.js';
import { MatBoard } from './mat.js';
import { NodesView } from './nodes.js';
import { PoseView } from './pose.js';
import { listOf } from './proto.js';
import { Stream } from './stream.js';

const LINK_TEXT = { idle: '', connecting: 'connecting', live: 'live', retry: 'reconnecting', unauthorized: 'invalid key', error: 'error' };
const stats = { firstValueMs: null, firstStreamMs: null, messages: { sensing: 0, pose: 0, mat: 0 } };
window.__wdp = stats;   // read by the browser test and handy in the console

function setLink(name, state, extra = '') {
  const e = document.getElementById(`link-${name}`);
  e.dataset.state = state;
  e.textContent = `${name}${LINK_TEXT[state] ? ' · ' + LINK_TEXT[state] : ''}${extra}`;
}

// Transient errors fade after 10 s; the missing-key message stays.
let bannerTimer = 0;
function banner(text, sticky = false) {
  const b = document.getElementById('banner');
  b.hidden = !text;
  b.textContent = text || '';
  clearTimeout(bannerTimer);
  if (text && !sticky) bannerTimer = setTimeout(() => { b.hidden = true; }, 10000);
}

const streams = [];
const timers = [];
let unauthorized = false;

function showUnauthorized() {
  if (unauthorized) return;
  unauthorized = true;
  streams.forEach((s) => s.stop());
  timers.forEach((t) => clearInterval(t));
  for (const n of ['sensing', 'pose', 'mat']) setLink(n, 'unauthorized');
  banner('invalid or missing key — open the URL printed by `./wdp up` (or `./wdp key`), or paste a key below', true);
  forgetKey();
  document.getElementById('key-form').hidden = false;
}

function setupKeyForm() {
  document.getElementById('key-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const key = document.getElementById('key-input').value.trim();
    if (!key) return;
    saveKey(key);
    location.reload();
  });
}

// Runs a REST task; a refused key stops everything, other failures only show in the banner.
async function guarded(what, task) {
  try {
    await task();
  } catch (e) {
    if (e.unauthorized) showUnauthorized();
    else banner(`${what}: ${e.message}`);
  }
}

function firstValue(fromStream) {
  const now = Math.round(performance.now());
  if (stats.firstValueMs === null) stats.firstValueMs = now;
  if (fromStream && stats.firstStreamMs === null) stats.firstStreamMs = now;
}

async function start() {
  setupKeyForm();
  const key = loadKey();
  if (!key) { showUnauthorized(); return; }
  const api = new Api(key, (ok, err) => setLink('rest', ok ? 'live' : err?.unauthorized ? 'unauthorized' : 'error'));
  const live = new LiveView();
  const nodes = new NodesView(live);
  const pose = new PoseView();
  const mat = new MatBoard(api, (msg) => banner(msg));
  const events = new EventsView(api);
  live.onSelect = (node) => { pose.select(node); nodes.render(); };
  Object.assign(stats, { live, pose, mat, events });

  const probeAuth = async () => {
    try { await api.get('/api/v1/status'); return true; } catch (e) { return !e.unauthorized; }
  };
  const open = (name, path, onMessage) => {
    const s = new Stream({
      path, key, probeAuth,
      onMessage: (m) => { stats.messages[name]++; onMessage(m); },
      onState: (state, wait) => {
        if (state === 'unauthorized') showUnauthorized();
        else setLink(name, state, state === 'retry' ? ` in ${(wait / 1000).toFixed(1)} s` : '');
      },
    });
    streams.push(s);
    s.start();
  };

  // The status call doubles as the key check; then streams open at once, while the current
  // state loads beside them (older REST values never overwrite newer streamed ones).
  await guarded('status', async () => nodes.setStatus(await api.get('/api/v1/status')));
  if (unauthorized) return;
  open('sensing', '/api/v1/stream/sensing', (u) => { live.ingest(u); firstValue(true); });
  open('pose', '/api/v1/stream/pose', (f) => pose.ingest(f));
  open('mat', '/api/v1/stream/mat', (e) => mat.apply(e));
  await Promise.all([
    guarded('latest sensing', async () => {
      for (const u of listOf(await api.get('/api/v1/sensing/latest'), 'updates')) { live.ingest(u); firstValue(false); }
    }),
    guarded('latest poses', async () => {
      for (const f of listOf(await api.get('/api/v1/poses/latest'), 'frames')) pose.ingest(f);
    }),
    guarded('WiFi-Mat', () => mat.load()),
    guarded('events', () => events.poll()),
  ]);
  if (unauthorized) return;

  timers.push(setInterval(() => guarded('status', async () => nodes.setStatus(await api.get('/api/v1/status'))), 2000));
  timers.push(setInterval(() => guarded('events', () => events.poll()), 5000));
  timers.push(setInterval(() => nodes.render(), 1000));
}

start();
