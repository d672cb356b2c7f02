// CSI amplitude waterfall: one row per sensing update, newest on top, one column per canonical
// bin. Colours span the min..max of the rows on screen, so the structure stays visible whatever
// the absolute scale of the amplitudes (they are often all within a few per cent of each other).
const STOPS = [[13, 8, 135], [126, 3, 168], [204, 71, 120], [248, 149, 64], [240, 249, 33]];
const BACKGROUND = '#0b0f17';

function palette() {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const f = (i / 255) * (STOPS.length - 1);
    const k = Math.min(Math.floor(f), STOPS.length - 2);
    for (let j = 0; j < 3; j++) lut[i * 3 + j] = STOPS[k][j] + (STOPS[k + 1][j] - STOPS[k][j]) * (f - k);
  }
  return lut;
}

export class Waterfall {
  constructor(canvas, rowHeight = 2) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.capacity = Math.floor(canvas.height / rowHeight);
    this.lut = palette();
    this.rows = [];          // newest first
    this.pending = false;
    this.clear();
  }

  get rowCount() { return this.rows.length; }

  push(amplitude) {
    if (!amplitude || !amplitude.length) return;
    this.rows.unshift(Float32Array.from(amplitude, (v) => (Number.isFinite(Number(v)) ? Number(v) : 0)));
    if (this.rows.length > this.capacity) this.rows.length = this.capacity;
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.draw(); });
  }

  clear() {
    this.rows = [];
    this.ctx.fillStyle = BACKGROUND;
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  draw() {
    const bins = Math.max(...this.rows.map((r) => r.length));
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of this.rows) for (const v of r) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const span = hi > lo ? hi - lo : 1;
    const img = new ImageData(bins, this.capacity);
    this.rows.forEach((r, y) => {
      for (let x = 0; x < r.length; x++) {
        const level = Math.round(((r[x] - lo) / span) * 255) * 3;
        const o = (y * bins + x) * 4;
        img.data.set(this.lut.subarray(level, level + 3), o);
        img.data[o + 3] = 255;
      }
    });
    // Draw the bins x rows image scaled up, without smoothing: each value stays a sharp cell.
    const off = new OffscreenCanvas(bins, this.capacity);
    off.getContext('2d').putImageData(img, 0, 0);
    const { ctx, canvas } = this;
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(off, 0, 0, canvas.width, canvas.height);
  }
}
