// 2-D skeleton of the latest PoseFrame (COCO-17). Image-normalised frames are drawn as given;
// room-frame (metres) keypoints are drawn as a front view: vertical = z, horizontal = whichever
// floor axis the body spreads along most. Body-frame keypoints (metres, origin under the mid-hip,
// x forward, y left, z up) are drawn as the frontal view u = -y, v = z in a fixed box, so the
// skeleton keeps its scale. Until a frame arrives the panel says "no pose model".
import { fmt, num } from './proto.js';

const EDGES = [[0, 1], [0, 2], [1, 3], [2, 4], [5, 6], [5, 7], [7, 9], [6, 8], [8, 10], [5, 11], [6, 12],
  [11, 12], [11, 13], [13, 15], [12, 14], [14, 16]];
const COLOURS = ['#4cc9f0', '#f77f00', '#06d6a0', '#ef476f', '#ffd166'];
const RECENT = 600;   // 5 min of one model group at 2 frames/s

export function project(frame, persons) {
  const pts = persons.map((p) => (p.keypoints || []).map((k) => ({
    x: num(k.x), y: num(k.y), z: num(k.z), c: num(k.confidence),
  })));
  if (frame === 'COORDINATE_FRAME_BODY_METERS') {
    return { pts: pts.map((ps) => ps.map((k) => ({ u: -k.y, v: -k.z, c: k.c }))), box: [-1, -2, 1, 0] };
  }
  if (frame !== 'COORDINATE_FRAME_ROOM_METERS') return { pts: pts.map((ps) => ps.map((k) => ({ u: k.x, v: k.y, c: k.c }))), box: [0, 0, 1, 1] };
  const all = pts.flat();
  const spread = (key) => Math.max(...all.map((k) => k[key])) - Math.min(...all.map((k) => k[key]));
  const axis = spread('x') >= spread('y') ? 'x' : 'y';
  const flat = pts.map((ps) => ps.map((k) => ({ u: k[axis], v: -k.z, c: k.c })));
  const us = flat.flat().map((k) => k.u);
  const vs = flat.flat().map((k) => k.v);
  const cu = (Math.min(...us) + Math.max(...us)) / 2;
  const size = Math.max(2.0, Math.max(...us) - Math.min(...us) + 0.4, Math.max(...vs) - Math.min(...vs) + 0.4);
  const top = Math.min(...vs) - 0.2;
  return { pts: flat, box: [cu - size / 2, top, cu + size / 2, top + size] };
}

export class PoseView {
  constructor() {
    this.canvas = document.getElementById('pose');
    this.ctx = this.canvas.getContext('2d');
    this.empty = document.getElementById('pose-empty');
    this.info = document.getElementById('pose-info');
    this.latest = new Map();   // node -> PoseFrame
    this.recent = [];          // the last RECENT frames received, oldest first (console, browser test)
    this.frames = 0;
    this.node = null;
    this.clear();
  }

  clear() {
    this.ctx.fillStyle = '#0b0f17';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  ingest(frame) {
    const node = frame?.origin?.node_id || 'unknown';
    this.latest.set(node, frame);
    this.recent.push(frame);
    if (this.recent.length > RECENT) this.recent.shift();
    this.frames++;
    this.empty.hidden = true;
    if (this.node === null || node === this.node || !this.latest.has(this.node)) this.draw(frame);
  }

  select(node) {
    this.node = node;
    const f = this.latest.get(node);
    if (f) this.draw(f);
  }

  draw(frame) {
    const persons = (frame.persons || []).filter((p) => (p.keypoints || []).length === 17);
    this.info.textContent = `${frame.model_version || 'model ?'} · ${fmt(num(frame.inference_latency_ms))} ms · ${persons.length} person(s)`;
    this.clear();
    const { ctx, canvas } = this;
    if (!persons.length) {
      ctx.fillStyle = '#9aa4b2';
      ctx.font = '14px sans-serif';
      ctx.fillText('no person detected', 12, 24);
      return;
    }
    const { pts, box } = project(frame.frame, persons);
    const sx = canvas.width / (box[2] - box[0]);
    const sy = canvas.height / (box[3] - box[1]);
    const s = Math.min(sx, sy);
    const map = (k) => [(k.u - box[0]) * s + (canvas.width - (box[2] - box[0]) * s) / 2, (k.v - box[1]) * s];
    pts.forEach((ps, i) => {
      const colour = COLOURS[i % COLOURS.length];
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.lineWidth = 3;
      for (const [a, b] of EDGES) {
        if (ps[a].c <= 0.05 || ps[b].c <= 0.05) continue;
        ctx.globalAlpha = Math.max(0.3, Math.min(ps[a].c, ps[b].c));
        ctx.beginPath();
        ctx.moveTo(...map(ps[a]));
        ctx.lineTo(...map(ps[b]));
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
      for (const k of ps) {
        if (k.c <= 0.05) continue;
        const [x, y] = map(k);
        ctx.beginPath();
        ctx.arc(x, y, 3.5, 0, 2 * Math.PI);
        ctx.fill();
      }
    });
  }
}
