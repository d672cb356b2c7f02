// Unit tests of the dashboard's pure helpers (node:test, no browser), against hand-computed values:
// protobuf-JSON reading, the rolling chart window, vitals validity, zone outlines, pose projection.
//   node --test unit_test.mjs     (env WDP_WEB_SRC: the page's src/ folder; default the source tree)
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const src = process.env.WDP_WEB_SRC || path.join(here, '../../services/api-gateway/web/src');
const load = (m) => import(pathToFileURL(path.join(src, m)).href);
const { num, nsToSeconds, enumLabel, originTime, listOf, fmt, ago } = await load('proto.js');
const { RollingSeries } = await load('charts.js');
const { vitalRate } = await load('live.js');
const { zoneOutline, applyMatEvent } = await load('mat.js');
const { project } = await load('pose.js');

test('num reads protobuf JSON numbers, strings and omitted fields', () => {
  assert.equal(num(undefined), 0);
  assert.equal(num(undefined, null), null);
  assert.equal(num('42'), 42);
  assert.equal(num(1.5), 1.5);
  assert.equal(num('NaN', -1), -1);
  assert.equal(num('Infinity', -1), -1);
});

test('nsToSeconds keeps sub-millisecond precision of int64 strings', () => {
  assert.equal(nsToSeconds('1795446351623458560'), 1795446351.623458560);
  assert.equal(nsToSeconds('1500000000'), 1.5);
  assert.equal(nsToSeconds('250'), 250e-9);
  assert.equal(nsToSeconds('0'), null);
  assert.equal(nsToSeconds(undefined), null);
  // 2^53 ns is only 104 days: a plain Number(ns)/1e9 would lose the microseconds here.
  assert.equal(Math.round((nsToSeconds('1795446351000001000') - 1795446351) * 1e6), 1);
});

test('originTime prefers capture time, then publish time', () => {
  assert.equal(originTime({ capture_time_ns: '2000000000', publish_time_ns: '3000000000' }), 2);
  assert.equal(originTime({ publish_time_ns: '3000000000' }), 3);
  const now = Date.now() / 1000;
  assert.ok(Math.abs(originTime({}) - now) < 5);
});

test('enumLabel strips the type prefix; omitted enums are unspecified', () => {
  assert.equal(enumLabel('MOTION_STATE_PRESENT_STILL', 'MOTION_STATE_'), 'present still');
  assert.equal(enumLabel(undefined, 'MOTION_STATE_'), 'unspecified');
  assert.equal(enumLabel('TRIAGE_CLASS_IMMEDIATE', 'TRIAGE_CLASS_'), 'immediate');
});

test('listOf accepts wrapped and bare lists', () => {
  assert.deepEqual(listOf({ zones: [1, 2] }, 'zones'), [1, 2]);
  assert.deepEqual(listOf([3], 'zones'), [3]);
  assert.deepEqual(listOf({}, 'zones'), []);
  assert.deepEqual(listOf(null, 'zones'), []);
});

test('fmt and ago', () => {
  assert.equal(fmt(13.84), '13.8');
  assert.equal(fmt(null), '–');
  assert.equal(fmt(NaN), '–');
  assert.equal(ago(0.4), 'now');
  assert.equal(ago(42), '42 s ago');
  assert.equal(ago(600), '10 min ago');
  assert.equal(ago(null), '–');
});

test('vitalRate: only valid, measured rates are plotted', () => {
  assert.equal(vitalRate({ rate_per_min: 14.2, confidence: 0.9, valid: true }), 14.2);
  assert.equal(vitalRate({ rate_per_min: 14.2, confidence: 0.9 }), null);        // valid omitted = false
  assert.equal(vitalRate({ rate_per_min: 0, confidence: 0, valid: false }), null);
  assert.equal(vitalRate({ rate_per_min: 14.2, valid: true }), null);            // confidence 0 = not measured
  assert.equal(vitalRate(undefined), null);
});

test('RollingSeries keeps a time window and drops out-of-order samples', () => {
  const r = new RollingSeries(2, 10);
  assert.ok(r.push(100, [1, 10]));
  assert.ok(r.push(105, [2, 20]));
  assert.ok(!r.push(104, [9, 90]));       // older than the last: refused
  assert.ok(r.push(112, [3, null]));      // 100 is now more than 10 s old
  assert.deepEqual(r.cols, [[105, 112], [2, 3], [20, null]]);
  r.clear();
  assert.deepEqual(r.cols, [[], [], []]);
});

test('zoneOutline: rectangle corners, circle points on the radius, polygon vertices', () => {
  assert.deepEqual(zoneOutline({ rectangle: { min: { x_m: 2, y_m: 2 }, max: { x_m: 6 } } }),
    [{ x: 2, y: 2 }, { x: 6, y: 2 }, { x: 6, y: 0 }, { x: 2, y: 0 }]);   // max.y_m omitted = 0
  const c = zoneOutline({ circle: { center: { x_m: 1, y_m: -1 }, radius_m: 2 } });
  assert.equal(c.length, 48);
  for (const p of c) assert.ok(Math.abs(Math.hypot(p.x - 1, p.y + 1) - 2) < 1e-9);
  assert.deepEqual(c[0], { x: 3, y: -1 });
  assert.deepEqual(zoneOutline({ polygon: { vertices: [{ x_m: 1 }, { y_m: 2 }, { x_m: 3, y_m: 3 }] } }),
    [{ x: 1, y: 0 }, { x: 0, y: 2 }, { x: 3, y: 3 }]);
  assert.deepEqual(zoneOutline({}), []);
});

test('applyMatEvent: latest item per id; a zone without a shape is deleted', () => {
  const b = { zones: new Map(), survivors: new Map(), alerts: new Map(), events: new Map() };
  const zone = { zone_id: 'z1', rectangle: { min: {}, max: { x_m: 1, y_m: 1 } } };
  assert.equal(applyMatEvent(b, { zone }), true);
  assert.equal(applyMatEvent(b, { survivor: { survivor_id: 's1', triage: 'TRIAGE_CLASS_IMMEDIATE' } }), true);
  assert.equal(applyMatEvent(b, { survivor: { survivor_id: 's1', triage: 'TRIAGE_CLASS_DELAYED' } }), true);
  assert.deepEqual([...b.zones.keys()], ['z1']);
  assert.equal(b.survivors.get('s1').triage, 'TRIAGE_CLASS_DELAYED');
  assert.equal(applyMatEvent(b, { zone: { zone_id: 'z1', name: 'gone' } }), true);
  assert.equal(b.zones.size, 0);
  assert.equal(applyMatEvent(b, { origin: {} }), false);
});

test('pose projection: body frame as a fixed frontal view (u = -y, v = -z)', () => {
  const kp = (x, y, z) => ({ x, y, z, confidence: 0.5 });
  // Nose 1.6 m up, left hip 0.1 m to the person's left at 0.9 m: drawn left hip at u = -0.1.
  const body = project('COORDINATE_FRAME_BODY_METERS', [{ keypoints: [kp(0.05, 0, 1.6), kp(0, 0.1, 0.9)] }]);
  assert.deepEqual(body.box, [-1, -2, 1, 0]);
  assert.deepEqual(body.pts[0].map((p) => [p.u, p.v, p.c]), [[-0, -1.6, 0.5], [-0.1, -0.9, 0.5]]);
});

test('pose projection: image frames as given, room frames as a front view with z up', () => {
  const kp = (x, y, z) => ({ x, y, z, confidence: 1 });
  const img = project('COORDINATE_FRAME_IMAGE_NORMALIZED', [{ keypoints: [kp(0.25, 0.75, 0)] }]);
  assert.deepEqual(img.box, [0, 0, 1, 1]);
  assert.deepEqual(img.pts[0][0], { u: 0.25, v: 0.75, c: 1 });
  // A person spread along y (shoulders 0.4 m apart), 1.7 m tall: horizontal = y, vertical = -z.
  const room = project('COORDINATE_FRAME_ROOM_METERS', [{ keypoints: [kp(2, 0.8, 1.7), kp(2, 1.2, 0)] }]);
  assert.deepEqual(room.pts[0].map((p) => [p.u, p.v]), [[0.8, -1.7], [1.2, -0]]);
  // Square box: max(2 m, width + 0.4, height + 0.4) = 1.7 + 0.4 = 2.1 m, centred on the body
  // horizontally, its top 0.2 m above the head.
  assert.ok(Math.abs(room.box[2] - room.box[0] - 2.1) < 1e-9);
  assert.ok(Math.abs(room.box[3] - room.box[1] - 2.1) < 1e-9);
  assert.ok(Math.abs((room.box[0] + room.box[2]) / 2 - 1.0) < 1e-9);
  assert.ok(Math.abs(room.box[1] - (-1.9)) < 1e-9);
});
