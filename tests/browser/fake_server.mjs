// Development stand-in for the api-gateway: serves a built dashboard (build/web) and the routes of
// the dashboard's contract with synthetic, changing data in protobuf-JSON form (defaults omitted,
// int64 as strings). For iterating on the page and for the UI test of its own behaviour (401,
// acknowledge); the stack test runs the real gateway instead.
//   node fake_server.mjs --web DIR [--port N] [--key KEY] [--no-pose]
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { acceptWebSocket, refuseUpgrade } from './ws_server.mjs';

const arg = (name, def) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : def; };
const WEB = arg('--web', 'build/web');
const KEY = arg('--key', 'test-key');
const PORT = Number(arg('--port', '0'));
const POSE = !process.argv.includes('--no-pose');
const NODES = ['esp32-1', 'esp32-2'];
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

const nowNs = () => String(BigInt(Date.now()) * 1000000n);
const origin = (service, node, seq) => ({ service, instance: 'fake:1', node_id: node, sequence: String(seq), capture_time_ns: nowNs(), publish_time_ns: nowNs() });
let seq = 0;
const latest = new Map();
const poses = new Map();
const clients = { sensing: new Set(), pose: new Set(), mat: new Set() };
const broadcast = (kind, msg) => { const text = JSON.stringify(msg); for (const c of clients[kind]) c.send(text); };

function sensing(node, t) {
  const k = NODES.indexOf(node);
  const present = Math.sin(t / 7 + k) > -0.3;
  const motion = present ? 0.5 + 0.45 * Math.sin(t / 2 + k) : 0.01;
  const u = { origin: origin('signal-processor', node, seq), calibrated: true, frame_rate_hz: 50,
    motion_state: !present ? 'MOTION_STATE_NONE' : motion > 0.5 ? 'MOTION_STATE_ACTIVE' : 'MOTION_STATE_PRESENT_STILL',
    amplitude: Array.from({ length: 56 }, (_, b) => 20 + 10 * Math.sin(b / 5 + t * 2 + k) + 3 * Math.random()) };
  if (present) Object.assign(u, { presence: true, presence_confidence: 0.9, motion, person_count: 1, person_count_confidence: 0.8,
    breathing: { rate_per_min: 14 + Math.sin(t / 10), confidence: 0.8, valid: true },
    heart: { rate_per_min: 70 + 4 * Math.sin(t / 13), confidence: 0.6, valid: true } });
  else u.motion = motion;
  return u;
}

function pose(node, t) {
  const kp = [[0, 1.7], [-0.04, 1.74], [0.04, 1.74], [-0.08, 1.72], [0.08, 1.72], [-0.2, 1.45], [0.2, 1.45], [-0.3, 1.15],
    [0.3, 1.15], [-0.32, 0.9], [0.32, 0.9], [-0.12, 0.95], [0.12, 0.95], [-0.14, 0.5], [0.14, 0.5], [-0.15, 0.05], [0.15, 0.05]];
  const sway = 0.1 * Math.sin(t * 3);
  return { origin: origin('pose-inference', node, seq), frame: 'COORDINATE_FRAME_ROOM_METERS', model_version: 'fake-0',
    inference_latency_ms: 4.2, persons: [{ track_id: 1, score: 0.9,
      keypoints: kp.map(([y, z], i) => ({ x: 2, y: 1 + y + (i >= 7 && i <= 10 ? sway : 0), z, confidence: 0.9 })) }] };
}

const mat = {
  zones: [{ zone_id: 'z1', event_id: 'e1', name: 'North wing', rectangle: { min: { x_m: 0, y_m: 0 }, max: { x_m: 10, y_m: 6 } }, node_ids: ['esp32-1'] },
    { zone_id: 'z2', event_id: 'e1', name: 'Stairwell', circle: { center: { x_m: 14, y_m: 3 }, radius_m: 2.5 } }],
  survivors: [
    { survivor_id: 's1', zone_id: 'z1', state: 'TRACK_STATE_ACTIVE', triage: 'TRIAGE_CLASS_IMMEDIATE', position: { x_m: 2, y_m: 3 }, uncertainty_radius_m: 0.8, confidence: 0.9, vitals: [{ time_ns: nowNs(), breathing_bpm: 28 }] },
    { survivor_id: 's2', zone_id: 'z1', state: 'TRACK_STATE_ACTIVE', triage: 'TRIAGE_CLASS_DELAYED', position: { x_m: 7, y_m: 4 }, uncertainty_radius_m: 1.2, confidence: 0.7 },
    { survivor_id: 's3', zone_id: 'z2', state: 'TRACK_STATE_ACTIVE', triage: 'TRIAGE_CLASS_MINOR', position: { x_m: 14, y_m: 2 }, confidence: 0.6 },
    { survivor_id: 's4', zone_id: 'z2', state: 'TRACK_STATE_LOST', triage: 'TRIAGE_CLASS_DECEASED', position: { x_m: 15, y_m: 4 }, confidence: 0.5 }],
  alerts: [{ alert_id: 'a1', survivor_id: 's1', priority: 'ALERT_PRIORITY_CRITICAL', state: 'ALERT_STATE_OPEN', message: 'Immediate: survivor s1 in North wing', raised_ns: nowNs() },
    { alert_id: 'a2', survivor_id: 's2', priority: 'ALERT_PRIORITY_HIGH', state: 'ALERT_STATE_OPEN', message: 'Delayed: survivor s2', raised_ns: nowNs() }],
};
const events = [];

const t0 = Date.now();
setInterval(() => {
  const t = (Date.now() - t0) / 1000;
  seq++;
  for (const n of NODES) {
    const u = sensing(n, t);
    if (latest.get(n)?.presence !== u.presence) events.push({ id: String(events.length + 1), time_ns: nowNs(), node_id: n, kind: 'EVENT_KIND_PRESENCE', summary: `presence ${u.presence ? 'on' : 'off'}`, presence: { presence: u.presence, confidence: 0.9 } });
    latest.set(n, u);
    broadcast('sensing', u);
    if (POSE && t > 2 && seq % 2 === 0) { const p = pose(n, t); poses.set(n, p); broadcast('pose', p); }
  }
}, 100);

const authed = (req, url) => req.headers.authorization === `Bearer ${KEY}` || url.searchParams.get('access_token') === KEY;
const json = (res, code, body) => { res.writeHead(code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }); res.end(JSON.stringify(body)); };

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const p = url.pathname;
  if (!p.startsWith('/api/')) {
    const file = path.join(WEB, p === '/' ? 'index.html' : path.normalize(p).replace(/^(\.\.[/\\])+/, ''));
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(data);
    });
    return;
  }
  if (!authed(req, url)) return json(res, 401, { code: 'UNAUTHENTICATED', message: 'missing or invalid API key' });
  const uptime = (Date.now() - t0) / 1000;
  const routes = {
    '/api/v1/status': () => ({ services: ['signal-processor', 'pose-inference', 'mat-detector'].map((s) => ({ service: s, instance: 'fake:1', state: 'SERVICE_STATE_READY', seconds_since_heartbeat: 0.4 })),
      nodes: NODES.map((n) => ({ node_id: n, frame_rate_hz: 50, seconds_since_frame: 0.1, online: true })) }),
    '/api/v1/nodes': () => ({ nodes: NODES.map((n) => ({ node_id: n, frame_rate_hz: 50, online: true })) }),
    '/api/v1/sensing/latest': () => ({ updates: [...latest.values()] }),
    '/api/v1/poses/latest': () => ({ frames: [...poses.values()] }),
    '/api/v1/mat/zones': () => ({ zones: mat.zones }),
    '/api/v1/mat/survivors': () => ({ survivors: mat.survivors }),
    '/api/v1/mat/alerts': () => ({ alerts: mat.alerts }),
    '/api/v1/events': () => ({ events: events.slice(-100) }),
  };
  const ack = p.match(/^\/api\/v1\/mat\/alerts\/([^/]+)\/ack$/);
  if (req.method === 'POST' && ack) {
    const a = mat.alerts.find((x) => x.alert_id === decodeURIComponent(ack[1]));
    if (!a) return json(res, 404, { code: 'NOT_FOUND', message: 'no such alert' });
    Object.assign(a, { state: 'ALERT_STATE_ACKNOWLEDGED', acknowledged_by: 'admin' });
    broadcast('mat', { origin: origin('mat-detector', '', seq), alert: a });
    return json(res, 200, { ok: true });
  }
  if (req.method === 'GET' && routes[p]) return json(res, 200, routes[p](uptime));
  return json(res, 404, { code: 'NOT_FOUND', message: `no route ${p}` });
});

server.on('upgrade', (req, socket) => {
  const url = new URL(req.url, 'http://x');
  const kind = { '/api/v1/stream/sensing': 'sensing', '/api/v1/stream/pose': 'pose', '/api/v1/stream/mat': 'mat' }[url.pathname];
  if (!kind) return refuseUpgrade(socket, 404, 'Not Found');
  if (!authed(req, url)) return refuseUpgrade(socket, 401, 'Unauthorized');
  const c = acceptWebSocket(req, socket);
  clients[kind].add(c);
  c.onClose = () => clients[kind].delete(c);
});

server.listen(PORT, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.on('SIGTERM', () => process.exit(0));
