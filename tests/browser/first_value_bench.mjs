// Measures page load → first live value of the dashboard against the real stack: starts it once,
// then loads the page N times in fresh browser contexts and reports the median and range of
// (a) the first SensingUpdate shown and (b) the first one from the WebSocket, both from
// navigation start (performance.now() in the page).
//   node first_value_bench.mjs --build-dir DIR [--runs 10]     (env WDP_BUILD_DIR overrides)
import path from 'node:path';
import { launch, waitFor } from './browser.mjs';
import { Stack } from './stack.mjs';

const arg = (name, def) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : def; };
const RUNS = Number(arg('--runs', '10'));
const stack = new Stack(process.env.WDP_BUILD_DIR || arg('--build-dir', path.resolve('build')));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

let browser;
try {
  await stack.start();
  browser = await launch();
  const url = `http://127.0.0.1:${stack.httpPort}/#key=${encodeURIComponent(stack.key)}`;
  const value = [];
  const streamed = [];
  for (let i = 0; i < RUNS; i++) {
    const ctx = await browser.newContext();   // empty cache, like a first visit
    const page = await ctx.newPage();
    await page.goto(url);
    if (!await waitFor(() => page.evaluate(() => window.__wdp.firstStreamMs !== null), 15000, 20)) throw new Error(`run ${i}: no live data`);
    const r = await page.evaluate(() => [window.__wdp.firstValueMs, window.__wdp.firstStreamMs]);
    value.push(r[0]);
    streamed.push(r[1]);
    await ctx.close();
  }
  const line = (name, xs) => `${name}: median ${median(xs)} ms, min ${Math.min(...xs)}, max ${Math.max(...xs)} (n=${xs.length})`;
  console.log(line('first value shown', value));
  console.log(line('first streamed value', streamed));
} finally {
  if (browser) await browser.close();
  await stack.stop();
}
