// Browser test of the page's own behaviour, against fake_server.mjs (synthetic data in the
// contract's shapes): no key and a wrong key show "invalid or missing key" and the key form;
// survivors get their START triage colours; acknowledging an alert sends the POST and the alert
// leaves the open state; streams reconnect after the server restarts; the pose panel says
// "no pose model" until pose frames arrive.
//   node ui_test.mjs --web DIR --out DIR
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Checks, canvasPixels, launch, waitFor } from './browser.mjs';

const arg = (name, def) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : def; };
const WEB = path.resolve(arg('--web', 'build/web'));
const OUT = path.resolve(arg('--out', 'browser-test-output'));
const here = path.dirname(fileURLToPath(import.meta.url));
const watchdog = setTimeout(() => { console.error('FAIL timed out'); process.exit(1); }, 50000);
fs.mkdirSync(OUT, { recursive: true });
const checks = new Checks();

function startFake(extra = []) {   // extra: more fake_server.mjs flags (--port N, --no-pose)
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [path.join(here, 'fake_server.mjs'), '--web', WEB, '--key', 'ui-key', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
    p.stdout.once('data', (d) => resolve({ proc: p, port: JSON.parse(String(d)).port }));
    p.once('exit', (code) => reject(new Error(`fake server exited with ${code}`)));
  });
}

const fakes = [];
process.on('exit', () => fakes.forEach((f) => f.proc.kill('SIGKILL')));

async function main() {
  const browser = await launch();
  try {
    const fake = await startFake();
    fakes.push(fake);
    const base = `http://127.0.0.1:${fake.port}`;
    const errors = [];

    for (const [what, url] of [['no key', `${base}/`], ['a wrong key', `${base}/#key=wrong`]]) {
      const p = await browser.newPage();
      await p.goto(url);
      const shown = await waitFor(() => p.evaluate(() => !document.getElementById('banner').hidden
        && document.getElementById('banner').textContent.includes('invalid or missing key')
        && !document.getElementById('key-form').hidden), 8000);
      checks.ok(shown, `${what}: "invalid or missing key" and the key form are shown`);
      await p.close();
    }

    const page = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
    page.on('pageerror', (e) => errors.push(e.message));
    const posts = [];
    page.on('request', (r) => { if (r.method() === 'POST') posts.push({ url: r.url(), auth: r.headers().authorization }); });
    await page.goto(`${base}/#key=ui-key`);
    checks.ok(await waitFor(() => page.evaluate(() => window.__wdp.firstStreamMs !== null), 8000), 'live data arrives');
    checks.ok(await page.evaluate(() => document.getElementById('key-form').hidden), 'the key form stays hidden with a valid key');

    const triage = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#survivors tbody tr')]
      .map((tr) => [tr.dataset.triage, getComputedStyle(tr.querySelector('.triage')).backgroundColor])));
    checks.ok(triage.immediate === 'rgb(229, 56, 59)' && triage.delayed === 'rgb(244, 196, 48)'
      && triage.minor === 'rgb(47, 191, 113)' && triage.deceased === 'rgb(0, 0, 0)', 'survivors carry START triage colours', JSON.stringify(triage));
    const map = await canvasPixels(page, '#site-map', [229, 56, 59]);
    checks.ok(map.match > 20, 'the site map draws the immediate (red) survivor', JSON.stringify(map));

    const openBefore = await page.locator('#alerts li.open').count();
    await page.locator('#alerts li.open button').first().click();
    const acked = await waitFor(async () => (await page.locator('#alerts li.open').count()) === openBefore - 1, 5000);
    checks.ok(acked && posts.some((p) => p.url.endsWith('/api/v1/mat/alerts/a1/ack') && p.auth === 'Bearer ui-key'),
      'acknowledge POSTs /api/v1/mat/alerts/{id}/ack with the key and the alert leaves the open state', JSON.stringify(posts));
    checks.ok(errors.length === 0, 'no script errors', errors.join(' | '));
    await page.screenshot({ path: path.join(OUT, 'ui-fake.png'), fullPage: true });

    // The server goes away and comes back on the same port: the streams say so, then recover.
    const links = () => page.evaluate(() => ['sensing', 'pose', 'mat'].map((n) => document.getElementById(`link-${n}`).dataset.state));
    fake.proc.kill('SIGKILL');
    const down = await waitFor(async () => (await links()).every((st) => st === 'retry' || st === 'connecting'), 5000);
    checks.ok(down, 'a lost server shows the streams reconnecting', (await links()).join(','));
    const back = await startFake(['--port', String(fake.port)]);
    fakes.push(back);
    const before = await page.evaluate(() => window.__wdp.messages.sensing);
    const again = await waitFor(async () => (await links()).every((st) => st === 'live')
      && (await page.evaluate(() => window.__wdp.messages.sensing)) > before + 5, 10000);
    checks.ok(again, 'the streams reconnect and data flows again once the server is back', (await links()).join(','));

    // A gateway without pose frames: the panel must say so rather than draw an empty canvas.
    const quiet = await startFake(['--no-pose']);
    fakes.push(quiet);
    const p2 = await browser.newPage();
    await p2.goto(`http://127.0.0.1:${quiet.port}/#key=ui-key`);
    await waitFor(() => p2.evaluate(() => window.__wdp.firstStreamMs !== null), 8000);
    await p2.waitForTimeout(500);
    checks.ok(await p2.evaluate(() => !document.getElementById('pose-empty').hidden
      && document.getElementById('pose-empty').textContent === 'no pose model'), 'without pose frames the pose panel says "no pose model"');
  } finally {
    await browser.close();
  }
}

let error = null;
try { await main(); } catch (e) { error = e; console.error(`FAIL ${e.stack || e}`); }
fakes.forEach((f) => f.proc.kill('SIGTERM'));
clearTimeout(watchdog);
const failed = Boolean(error) || checks.failed.length > 0;
console.log(failed ? `FAILED: ${checks.failed.join('; ')}` : 'ALL PASSED');
process.exit(failed ? 1 : 0);
