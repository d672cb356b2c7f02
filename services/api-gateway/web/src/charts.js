// uPlot time charts fed from a rolling window. Redraws are batched to one per animation frame,
// however fast updates arrive.
const AXIS = { stroke: '#9aa4b2', grid: { stroke: '#263041', width: 1 }, ticks: { stroke: '#263041' } };

export class RollingSeries {
  constructor(count, windowSeconds) {
    this.windowSeconds = windowSeconds;
    this.cols = Array.from({ length: count + 1 }, () => []);
  }

  push(t, values) {
    const x = this.cols[0];
    if (x.length && t < x[x.length - 1]) return false;   // out of order: drop, uPlot needs sorted x
    x.push(t);
    values.forEach((v, i) => this.cols[i + 1].push(v));
    const cutoff = t - this.windowSeconds;
    let drop = 0;
    while (drop < x.length && x[drop] < cutoff) drop++;
    if (drop) this.cols.forEach((c) => c.splice(0, drop));
    return true;
  }

  clear() { this.cols.forEach((c) => { c.length = 0; }); }
}

export class TimeChart {
  constructor(container, { title, series, height = 170, yRange }) {
    this.container = container;
    this.height = height;
    this.buffer = new RollingSeries(series.length, 120);
    this.pending = false;
    const opts = {
      title,
      width: Math.max(container.clientWidth, 300),
      height,
      scales: { x: { time: true }, y: yRange ? { range: yRange } : { auto: true } },
      series: [{}, ...series.map((s) => ({ spanGaps: false, points: { show: false }, ...s }))],
      axes: [{ ...AXIS }, { ...AXIS, size: 44 }],
      legend: { live: false },
    };
    this.plot = new uPlot(opts, this.buffer.cols, container);
    new ResizeObserver(() => {
      const w = Math.max(container.clientWidth, 300);
      if (w !== this.plot.width) this.plot.setSize({ width: w, height });
    }).observe(container);
  }

  push(t, values) {
    if (this.buffer.push(t, values)) this.redraw();
  }

  reset() {
    this.buffer.clear();
    this.redraw();
  }

  // Points drawn for series i (1-based, as in uPlot): what the browser test checks.
  pointCount(i) {
    return this.buffer.cols[i].filter((v) => v !== null && v !== undefined).length;
  }

  redraw() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.plot.setData(this.buffer.cols);
    });
  }
}
