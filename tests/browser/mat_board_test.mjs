// Browser test of the WiFi-Mat board against the real stack on the simulated rubble site, the way
// `./wdp up --scene rubble` runs it (mat-detector with the site file of the scene), except that the
// simulator runs 8x faster than real time so a survivor is confirmed within the test's budget.
// Checks: the zone is drawn, a survivor appears with its START triage colour and a position on the
// site map, the survivor's position is near the simulator's truth, an alert is listed; saves a
// screenshot.
//   node mat_board_test.mjs --build-dir DIR --out DIR     (env WDP_BUILD_DIR overrides --build-dir)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Checks, runStackTest, canvasPixels, launch, waitFor } from './browser.mjs';
import { Stack } from './stack.mjs';

const arg = (name, def) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : def; };
const BUILD = process.env.WDP_BUILD_DIR || arg('--build-dir', path.resolve('build'));
const OUT = path.resolve(arg('--out', 'browser-test-output'));
const LIMIT_MS = 140000;   // under ctest's 150 s, so we always clean up ourselves
const SITE = fileURLToPath(new URL('../../services/mat-detector/sites/rubble-sim.json', import.meta.url));
const TRIAGE_RGB = { immediate: [229, 56, 59], delayed: [244, 196, 48], minor: [47, 191, 113] };   // TRIAGE in web/src/mat.js

const watchdog = setTimeout(() => { console.error('FAIL timed out'); process.exit(1); }, LIMIT_MS);
fs.mkdirSync(OUT, { recursive: true });
const checks = new Checks();
const metrics = {};
const stack = new Stack(BUILD, {
  scene: 'rubble',
  poseModel: null,
  extraArgs: {
    'mat-detector': ['--site', SITE, '--hop', '2'],
    'csi-sim': ['--speed', '4', '--snr', '40'],
  },
});
let browser;

const board = (page) => page.evaluate(() => ({
  zones: document.querySelectorAll('#zones li').length,
  survivors: [...document.querySelectorAll('#survivors tbody tr')].map((tr) => tr.dataset.triage),
  alerts: document.querySelectorAll('#alerts li').length,
  empty: !document.getElementById('mat-empty').hidden,
}));

// The simulator's latest ground truth of the (single) buried survivor.
function lastTruth() {
  const lines = fs.readFileSync(path.join(stack.dir, 'sim-truth.jsonl'), 'utf8').trim().split('\n');
  return JSON.parse(lines.at(-1)).survivors?.[0];
}

async function main() {
  await stack.start();
  const base = `http://127.0.0.1:${stack.httpPort}`;
  browser = await launch();
  const page = await browser.newPage({ viewport: { width: 1400, height: 1500 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const t0 = Date.now();
  await page.goto(`${base}/#key=${encodeURIComponent(stack.key)}`);

  const zone = await waitFor(async () => (await board(page)).zones > 0, 15000);
  checks.ok(zone, 'the scan zone of the site file is listed and drawn');
  const found = await waitFor(async () => (await board(page)).survivors.length > 0, 90000, 500);
  metrics.first_survivor_s = (Date.now() - t0) / 1000;
  const b = await board(page);
  metrics.board = b;
  checks.ok(found, 'a survivor appears on the board', JSON.stringify(b));
  if (!found) {
    // What mat-detector saw: frames, scans, detections, bus losses.
    const m = await (await fetch(`http://127.0.0.1:${stack.admin.get('mat-detector')}/metrics`)).text();
    console.error(m.split('\n').filter((l) => /^wdp_(mat|bus_(received|lost|dropped|gap))/.test(l)).join('\n'));
    return;
  }
  checks.ok(b.survivors.length === 1, 'one buried survivor gives one survivor row', JSON.stringify(b.survivors));
  const truth = lastTruth();
  const expected = String(truth?.expected_triage || '').replace('TRIAGE_CLASS_', '').toLowerCase();
  checks.ok(b.survivors[0] === expected, 'the survivor gets the triage class the scene expects', `${b.survivors[0]} vs ${expected}`);

  // Position: wait for localization, then compare with the simulator's truth (sim-truth.jsonl).
  const key = { headers: { Authorization: `Bearer ${stack.key}` } };
  const located = await waitFor(async () => {
    const r = await (await fetch(`${base}/api/v1/mat/survivors`, key)).json();
    return (r.survivors || []).find((s) => s.position && (s.position.x_m || s.position.y_m));
  }, 30000, 500);
  checks.ok(Boolean(located), 'the survivor gets a position');
  if (located) {
    const tx = truth?.x_m;
    const ty = truth?.y_m;
    const err = Math.hypot(located.position.x_m - tx, located.position.y_m - ty);
    metrics.position = { x: located.position.x_m, y: located.position.y_m, truth_x: tx, truth_y: ty, error_m: err,
      radius_m: located.uncertainty_radius_m };
    checks.ok(Number.isFinite(err) && err <= Math.max(1.5, located.uncertainty_radius_m ?? 0),
      'the position is within max(1.5 m, the reported uncertainty radius) of the truth', JSON.stringify(metrics.position));
  }
  await page.waitForTimeout(1500);   // the next MatEvent redraws the map with the position
  const map = await canvasPixels(page, '#site-map', TRIAGE_RGB[b.survivors[0]] || [0, 0, 0]);
  checks.ok(map.match > 0, 'the site map draws the survivor in its triage colour', JSON.stringify(map));
  const alerts = await waitFor(async () => (await board(page)).alerts > 0, 15000);
  checks.ok(alerts, 'an alert for the survivor is listed');
  checks.ok(pageErrors.length === 0, 'no script errors on the page', pageErrors.join(' | '));
  await page.screenshot({ path: path.join(OUT, 'mat-board.png'), fullPage: true });
}

await runStackTest({
  main, checks, stack, metrics, watchdog, browser: () => browser,
  metricsFile: path.join(OUT, 'mat-metrics.json'), logsOnFailure: ['api-gateway', 'mat-detector', 'csi-sim'],
});
