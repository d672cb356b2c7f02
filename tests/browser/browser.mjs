// Headless Debian chromium driven by playwright-core (never a downloaded browser), plus the page
// probes the tests share.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// node_modules lives in the build tree (npm ci there) or, for a developer, next to this file.
const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(process.env.WDP_BROWSER_NODE_MODULES || here, 'node_modules', 'x.js'));
const { chromium } = require('playwright-core');

export const CHROMIUM = process.env.WDP_CHROMIUM || '/usr/bin/chromium';

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// Counts pixels of a canvas that differ from its background (the colour of pixel 0,0), and those
// close to `rgb` (a series colour) when given. Runs in the page.
export function canvasPixels(page, selector, rgb = null) {
  return page.evaluate(([sel, want]) => {
    const c = document.querySelector(sel);
    if (!c) return { missing: true, differ: 0, match: 0 };
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let differ = 0;
    let match = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) differ++;
      if (want && Math.abs(d[i] - want[0]) + Math.abs(d[i + 1] - want[1]) + Math.abs(d[i + 2] - want[2]) < 40) match++;
    }
    return { differ, match, total: d.length / 4 };
  }, [selector, rgb]);
}

// A check that records its outcome instead of throwing, so one run reports every failure.
export class Checks {
  constructor() { this.failed = []; }
  ok(cond, what, detail = '') {
    console.log(`${cond ? 'PASS' : 'FAIL'} ${what}${detail ? ' — ' + detail : ''}`);
    if (!cond) this.failed.push(what);
    return cond;
  }
}

export async function waitFor(fn, timeoutMs, everyMs = 200) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// A cheap fingerprint of a canvas's pixels, to tell whether it changed between two moments.
export function canvasHash(page, selector) {
  return page.evaluate((sel) => {
    const c = document.querySelector(sel);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let h = 2166136261;
    for (let i = 0; i < d.length; i += 7) h = Math.imul(h ^ d[i], 16777619) >>> 0;
    return h;
  }, selector);
}

// Runs a real-stack test's main() and then, whatever happened: closes the browser, prints the
// tails of the named services' logs on failure (and keeps the run folder), stops the stack,
// writes the metrics file, prints the verdict and exits 0 or 1.
export async function runStackTest({ main, checks, stack, browser, metrics, metricsFile, logsOnFailure, watchdog }) {
  let error = null;
  try {
    await main();
  } catch (e) {
    error = e;
    console.error(`FAIL ${e.stack || e}`);
  }
  const b = browser();
  if (b) await b.close();
  const failed = Boolean(error) || checks.failed.length > 0;
  if (failed) for (const n of logsOnFailure) console.error(`--- ${n} log:${stack.logTail(n, 8)}`);
  await stack.stop({ keepDir: failed });
  fs.writeFileSync(metricsFile, JSON.stringify(metrics, null, 2) + '\n');
  console.log(`metrics: ${JSON.stringify(metrics)}`);
  console.log(failed ? `FAILED: ${[...checks.failed, ...(error ? [String(error.message)] : [])].join('; ')}` : 'ALL PASSED');
  clearTimeout(watchdog);
  process.exit(failed ? 1 : 0);
}
