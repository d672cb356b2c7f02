// Starts the real processes from a build dir on random loopback ports, the way `./wdp up` does
// (same flags, see service_args in the wdp script), with a temporary run folder: bus-forwarder,
// csi-sim (demo scene, frames straight onto the bus), signal-processor, pose-inference,
// mat-detector and api-gateway. stop() sends SIGTERM, then SIGKILL to what is left.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The model `./wdp up` gives pose-inference: the one shipped in the repository.
export const DEFAULT_POSE_MODEL = fileURLToPath(new URL('../../models/pose-default.onnx', import.meta.url));

// A loopback port that was free a moment ago, picked at random below the kernel's ephemeral range
// (32768+): there, client sockets (the browser's, fetch's) cannot take it before the child binds it.
const given = new Set();
function canListen(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

export async function freePort() {
  for (let tries = 0; tries < 200; tries++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (given.has(port) || !(await canListen(port))) continue;
    given.add(port);
    return port;
  }
  throw new Error('no free loopback port in 20000-32000');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function httpStatus(url, headers = {}) {
  try {
    const r = await fetch(url, { headers, signal: AbortSignal.timeout(2000) });
    return r.status;
  } catch {
    return 0;
  }
}

export class Stack {
  // options: scene (csi-sim scene, default 'default'), poseModel (ONNX file; null = none), extraArgs
  // ({service: [flags]} added to a service's command line).
  constructor(buildDir, { scene = 'default', poseModel = DEFAULT_POSE_MODEL, extraArgs = {} } = {}) {
    this.scene = scene;
    this.poseModel = poseModel;
    this.extraArgs = extraArgs;
    this.bin = path.join(buildDir, 'bin');
    this.webDir = path.join(buildDir, 'web');
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wdp-browser-'));
    this.procs = new Map();
    this.admin = new Map();
    // Whatever ends this process (watchdog, ctest's timeout signal, ^C), no child is left behind.
    process.on('exit', () => this.killAll('SIGKILL'));
    for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(1));
  }

  // Gateway flags beyond `wdp up`'s: its state (key file, database) in the run folder, and the
  // page of this build dir.
  gatewayExtraArgs() {
    return ['--admin-key-file', this.keyFile, '--db', path.join(this.dir, 'gateway.sqlite'), '--web-root', this.webDir];
  }

  async start() {
    for (const name of ['bus-forwarder', 'csi-sim', 'signal-processor', 'pose-inference', 'mat-detector', 'api-gateway']) {
      if (!fs.existsSync(path.join(this.bin, name))) throw new Error(`${path.join(this.bin, name)} not built`);
    }
    this.keyFile = path.join(this.dir, 'admin.key');
    const [front, back, http, grpc] = [await freePort(), await freePort(), await freePort(), await freePort()];
    this.httpPort = http;
    const common = async (name) => {
      const admin = await freePort();
      this.admin.set(name, admin);
      return ['--bus-pub', `>tcp://127.0.0.1:${front}`, '--bus-sub', `>tcp://127.0.0.1:${back}`,
        '--admin-address', '127.0.0.1', '--admin-port', String(admin), '--heartbeat-interval', '0.2'];
    };
    this.run('bus-forwarder', [...await common('bus-forwarder'), '--frontend', `@tcp://127.0.0.1:${front}`,
      '--backend', `@tcp://127.0.0.1:${back}`]);
    this.run('api-gateway', [...await common('api-gateway'), '--http-address', '127.0.0.1', '--http-port', String(http),
      '--grpc-address', '127.0.0.1', '--grpc-port', String(grpc), ...this.gatewayExtraArgs()]);
    const extra = (name) => this.extraArgs[name] || [];
    this.run('signal-processor', [...await common('signal-processor'), ...extra('signal-processor')]);
    this.run('pose-inference', [...await common('pose-inference'),
      ...(this.poseModel ? ['--model', this.poseModel] : []), ...extra('pose-inference')]);
    this.run('mat-detector', [...await common('mat-detector'), ...extra('mat-detector')]);
    this.run('csi-sim', [...await common('csi-sim'), '--scene', this.scene, '--output', 'bus', ...extra('csi-sim'),
      '--truth-file', path.join(this.dir, 'sim-truth.jsonl')]);
    await this.waitHealthy(15000);
    this.key = await this.readKey(10000);
  }

  run(name, args) {
    const log = fs.openSync(path.join(this.dir, `${name}.log`), 'a');
    const p = spawn(path.join(this.bin, name), args, { stdio: ['ignore', log, log], cwd: this.dir });
    fs.closeSync(log);
    p.exitInfo = null;
    p.on('exit', (code, signal) => { p.exitInfo = { code, signal }; });
    this.procs.set(name, p);
  }

  async waitHealthy(timeoutMs) {
    const end = Date.now() + timeoutMs;
    for (const [name, port] of this.admin) {
      while ((await httpStatus(`http://127.0.0.1:${port}/healthz`)) !== 200) {
        const p = this.procs.get(name);
        if (p.exitInfo) throw new Error(`${name} exited early (${JSON.stringify(p.exitInfo)}): ${this.logTail(name)}`);
        if (Date.now() > end) throw new Error(`${name} not healthy on admin port ${port}: ${this.logTail(name)}`);
        await sleep(100);
      }
    }
    while ((await httpStatus(`http://127.0.0.1:${this.admin.get('api-gateway')}/readyz`)) !== 200) {
      if (Date.now() > end) throw new Error(`api-gateway not ready: ${this.logTail('api-gateway')}`);
      await sleep(100);
    }
  }

  async readKey(timeoutMs) {
    const end = Date.now() + timeoutMs;
    while (!fs.existsSync(this.keyFile) || !fs.readFileSync(this.keyFile, 'utf8').trim()) {
      if (Date.now() > end) throw new Error(`no admin key written to ${this.keyFile} (does api-gateway support --admin-key-file?)`);
      await sleep(100);
    }
    return fs.readFileSync(this.keyFile, 'utf8').split('\n')[0].trim();   // the secret is the first line
  }

  // csi-sim's ground truth so far (--truth-file: one JSON object per line, time_ns on the CSI
  // frames' clock); a line still being written is skipped.
  readTruth() {
    const out = [];
    let text = '';
    try { text = fs.readFileSync(path.join(this.dir, 'sim-truth.jsonl'), 'utf8'); } catch { return out; }
    for (const line of text.split('\n')) {
      try { if (line.trim()) out.push(JSON.parse(line)); } catch { /* torn last line */ }
    }
    return out;
  }

  logTail(name, lines = 15) {
    try {
      return '\n' + fs.readFileSync(path.join(this.dir, `${name}.log`), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  killAll(signal) {
    for (const p of this.procs.values()) if (!p.exitInfo) { try { p.kill(signal); } catch { /* already gone */ } }
  }

  async stop({ keepDir = false } = {}) {
    this.killAll('SIGTERM');
    const end = Date.now() + 3000;
    while ([...this.procs.values()].some((p) => !p.exitInfo) && Date.now() < end) await sleep(50);
    this.killAll('SIGKILL');
    if (!keepDir) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
