// Browser test of the dashboard against the real stack: starts the processes from a build dir on
// random loopback ports (demo scene), opens the page in headless chromium with the admin key in
// the URL fragment, waits for live data, checks that values update and that the charts, the
// waterfall and the pose/WiFi-Mat panels render, checks a wrong key gets "invalid or missing key",
// saves a screenshot and a metrics file, and stops everything.
//   node dashboard_test.mjs --build-dir DIR --out DIR     (env WDP_BUILD_DIR overrides --build-dir)
import fs from 'node:fs';
import path from 'node:path';
import { Checks, runStackTest, canvasHash, canvasPixels, launch, waitFor } from './browser.mjs';
import { Stack } from './stack.mjs';

const arg = (name, def) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : def; };
const BUILD = process.env.WDP_BUILD_DIR || arg('--build-dir', path.resolve('build'));
const OUT = path.resolve(arg('--out', 'browser-test-output'));
const LIMIT_MS = 110000;   // under ctest's 120 s, so we always clean up ourselves
const RGB = { motion: [247, 127, 0], breathing: [6, 214, 160], heart: [239, 71, 111] };   // series colours in live.js

const watchdog = setTimeout(() => { console.error('FAIL timed out'); process.exit(1); }, LIMIT_MS);
fs.mkdirSync(OUT, { recursive: true });
const checks = new Checks();
const metrics = {};
const stack = new Stack(BUILD);
let browser;

// What the page shows now: counters, readouts, charts' point counts, stream message counts.
const snapshot = (page) => page.evaluate(() => {
  const w = window.__wdp;
  const text = (id) => document.getElementById(id).textContent;
  return {
    updates: w.live?.count ?? 0,
    readouts: ['v-presence', 'v-motion', 'v-breathing', 'v-heart', 'v-updates'].map(text),
    timelinePoints: w.live?.timeline.pointCount(3) ?? 0,
    lastT: w.live?.timeline.buffer.cols[0].at(-1) ?? null,
    breathingPoints: w.live?.breathing.pointCount(1) ?? 0,
    heartPoints: w.live?.heart.pointCount(1) ?? 0,
    waterfallRows: w.live?.waterfall.rowCount ?? 0,
    messages: { ...w.messages },
    poseFrames: w.pose?.frames ?? 0,
    poseOverlay: !document.getElementById('pose-empty').hidden,
    poseOverlayText: text('pose-empty'),
    nodes: [...document.querySelectorAll('#nodes tbody tr')].map((tr) => tr.textContent),
    services: document.querySelectorAll('#services li').length,
    survivorRows: document.querySelectorAll('#survivors tbody tr').length,
    zoneItems: document.querySelectorAll('#zones li').length,
    banner: document.getElementById('banner').hidden ? '' : text('banner'),
    links: [...document.querySelectorAll('.link')].map((e) => e.dataset.state),
  };
});

async function main() {
  const t0 = Date.now();
  await stack.start();
  metrics.stack_start_ms = Date.now() - t0;
  const base = `http://127.0.0.1:${stack.httpPort}`;
  console.log(`stack up in ${metrics.stack_start_ms} ms, gateway ${base}, run dir ${stack.dir}`);

  const page0 = await fetch(`${base}/`);
  const html = await page0.text();
  checks.ok(page0.status === 200 && html.includes('src/main.js'), 'gateway serves the dashboard at /', `HTTP ${page0.status}`);
  const noKey = await fetch(`${base}/api/v1/status`);
  checks.ok(noKey.status === 401, 'REST without a key is refused with 401', `HTTP ${noKey.status}`);

  browser = await launch();
  const page = await browser.newPage({ viewport: { width: 1400, height: 1500 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  const tNav = Date.now();
  await page.goto(`${base}/#key=${encodeURIComponent(stack.key)}`);
  metrics.dom_content_loaded_ms = await page.evaluate(() => Math.round(performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd));

  const live = await waitFor(() => page.evaluate(() => window.__wdp.firstStreamMs !== null), 30000);
  metrics.wait_for_live_wall_ms = Date.now() - tNav;
  const first = await page.evaluate(() => ({ value: window.__wdp.firstValueMs, stream: window.__wdp.firstStreamMs }));
  metrics.page_load_to_first_value_ms = first.value;
  metrics.page_load_to_first_stream_value_ms = first.stream;
  checks.ok(live, 'a live sensing update reaches the page over the WebSocket', `first value ${first.value} ms, first streamed ${first.stream} ms after navigation`);
  checks.ok(!page.url().includes(stack.key), 'the key is removed from the address bar');
  if (!live) throw new Error(`no live data; page state: ${JSON.stringify(await snapshot(page))}`);

  const a = await snapshot(page);
  const wf0 = await canvasHash(page, '#waterfall');
  await page.waitForTimeout(4000);
  const b = await snapshot(page);
  checks.ok(wf0 !== await canvasHash(page, '#waterfall'), 'the waterfall scrolls with new amplitudes');
  checks.ok(b.updates >= a.updates + 10, 'sensing updates keep arriving', `${a.updates} -> ${b.updates} in 4 s`);
  checks.ok(b.lastT > a.lastT && b.timelinePoints > 0, 'the timeline advances', `last t ${a.lastT} -> ${b.lastT}`);
  checks.ok(b.readouts[4] !== a.readouts[4], 'the readouts update (updates counter)', `${a.readouts.join(' | ')}  ->  ${b.readouts.join(' | ')}`);
  checks.ok(b.nodes.some((t) => t.includes('online')), 'the node list shows an online node', b.nodes.join(' / '));
  checks.ok(b.services >= 4, 'the services list shows heartbeats', `${b.services} services`);
  checks.ok(b.links.slice(1).every((s) => s === 'live'), 'all three streams are connected', b.links.join(','));

  const timeline = await canvasPixels(page, '#chart-timeline canvas', RGB.motion);
  checks.ok(timeline.match > 30, 'the presence/motion chart draws the motion series', JSON.stringify(timeline));
  const wf1 = await canvasPixels(page, '#waterfall');
  checks.ok(b.waterfallRows > 20 && wf1.differ > 20 * 560, 'the waterfall draws amplitude rows', `${b.waterfallRows} rows, ${wf1.differ} painted pixels`);

  // Vital signs: signal-processor marks a rate valid only after ~15 s without motion (the demo
  // person sits down ~10 s in), so wait for one, select that node like an operator would (click its
  // row), and check its chart draws the series.
  const vitalNode = (key) => page.evaluate((k) => {
    for (const [node, hist] of window.__wdp.live.history) if (hist.some((r) => r[k] !== null)) return node;
    return null;
  }, key);
  const brNode = await waitFor(() => vitalNode('br'), Math.max(5000, 75000 - (Date.now() - t0)), 500);
  metrics.first_valid_breathing_s = brNode ? Math.round((Date.now() - t0) / 1000) : null;
  checks.ok(Boolean(brNode), 'a valid breathing rate reaches the page', brNode ? `node ${brNode}, ${metrics.first_valid_breathing_s} s after start` : 'none');
  if (brNode) {
    await page.click(`#nodes tr[data-node="${brNode}"]`);
    // 20 valid points (2 s of updates) make a line segment long enough to count its pixels.
    await waitFor(() => page.evaluate((n) => document.getElementById('selected-node').textContent === n
      && window.__wdp.live.breathing.pointCount(1) >= 20, brNode), 15000);
    await page.waitForTimeout(300);   // one animation frame for the redraw
    const br = await canvasPixels(page, '#chart-breathing canvas', RGB.breathing);
    metrics.breathing_points = await page.evaluate(() => window.__wdp.live.breathing.pointCount(1));
    checks.ok(br.match > 20, 'clicking the node selects it and its breathing chart draws the rates',
      `${metrics.breathing_points} points, ${br.match} series pixels, readout ${await page.textContent('#v-breathing')}`);
  }
  // Heart rate: signal-processor rarely reports a valid one yet (its README: "not reliable yet").
  // The chart must plot whatever valid values arrive; with none it still has to render its axes.
  const hrNode = await vitalNode('hr');
  if (hrNode) {
    await page.click(`#nodes tr[data-node="${hrNode}"]`);
    await page.waitForTimeout(500);
    const hr = await canvasPixels(page, '#chart-heart canvas', RGB.heart);
    metrics.heart_points = await page.evaluate(() => window.__wdp.live.heart.pointCount(1));
    checks.ok(hr.match > 0, 'the heart-rate chart draws the valid rates', `${metrics.heart_points} points, ${hr.match} series pixels`);
  } else {
    const hr = await canvasPixels(page, '#chart-heart canvas');
    metrics.heart_points = 0;
    checks.ok(hr.differ > 500, 'the heart-rate chart renders (no valid heart rate from signal-processor in this run)', JSON.stringify(hr));
  }

  if (stack.poseModel) {
    // pose-inference runs the shipped model, as under `./wdp up`: skeletons must arrive and move.
    const got = await waitFor(async () => (await snapshot(page)).poseFrames >= 5, 30000);
    const first = await canvasHash(page, '#pose');
    const moved = got && await waitFor(async () => (await canvasHash(page, '#pose')) !== first, 10000);
    const c2 = await snapshot(page);
    metrics.pose_frames = c2.poseFrames;
    checks.ok(got && !c2.poseOverlay, 'pose frames from the shipped model reach the page', `${c2.poseFrames} frames`);
    checks.ok(moved, 'the skeleton is redrawn as new poses arrive');
  }
  const c = await snapshot(page);
  const pose = await canvasPixels(page, '#pose');
  if (c.messages.pose > 0 || c.poseFrames > 0) {
    checks.ok(!c.poseOverlay && pose.differ > 0, 'pose frames are drawn', `${c.poseFrames} frames, ${pose.differ} painted pixels`);
  } else if (!stack.poseModel) {
    checks.ok(c.poseOverlay && c.poseOverlayText === 'no pose model', 'without pose frames the panel says "no pose model"');
  }
  const survivors = await (await fetch(`${base}/api/v1/mat/survivors`, { headers: { Authorization: `Bearer ${stack.key}` } })).json();
  const nSurvivors = (survivors.survivors || []).length;
  const shown = await waitFor(async () => (await snapshot(page)).survivorRows === nSurvivors, 5000);
  checks.ok(shown, 'the WiFi-Mat board lists the survivors the REST API reports', `${nSurvivors} survivors`);
  checks.ok(pageErrors.length === 0, 'no script errors on the page', pageErrors.join(' | '));

  // The screenshot shows the node with a person (the breathing one) selected.
  if (brNode) await page.click(`#nodes tr[data-node="${brNode}"]`);
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(OUT, 'dashboard.png'), fullPage: true });

  const bad = await browser.newPage();
  await bad.goto(`${base}/#key=not-a-valid-key`);
  const refused = await waitFor(() => bad.evaluate(() => !document.getElementById('banner').hidden
    && document.getElementById('banner').textContent.includes('invalid or missing key')), 10000);
  checks.ok(refused, 'a wrong key shows "invalid or missing key"');
  await bad.screenshot({ path: path.join(OUT, 'dashboard-bad-key.png') });
}

await runStackTest({
  main, checks, stack, metrics, watchdog, browser: () => browser,
  metricsFile: path.join(OUT, 'metrics.json'), logsOnFailure: ['api-gateway', 'signal-processor', 'mat-detector'],
});
