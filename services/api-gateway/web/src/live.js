// Live sensing of the selected node: readouts, presence/motion timeline, breathing and heart-rate
// charts and the amplitude waterfall. Keeps two minutes of history per node, so selecting another
// node redraws its recent past instead of starting empty.
import { TimeChart } from './charts.js';
import { Waterfall } from './waterfall.js';
import { enumLabel, fmt, num, originTime } from './proto.js';

const HISTORY_S = 120;
// Valid rates often come in short runs between gaps; dots keep a lone value visible.
const VITAL_POINTS = (colour) => ({ show: true, size: 4, stroke: colour, fill: colour });

// A VitalSign's rate, or null when it is not a valid measurement (omitted fields = defaults).
export function vitalRate(v) {
  return v && v.valid && num(v.confidence) > 0 ? num(v.rate_per_min, null) : null;
}

export function nodeOf(msg) {
  return msg?.origin?.node_id || 'unknown';
}

export class LiveView {
  constructor() {
    this.latest = new Map();     // node -> last SensingUpdate
    this.history = new Map();    // node -> [{t, presence, pconf, motion, br, hr}]
    this.selected = null;
    this.count = 0;
    this.onSelect = () => {};
    this.timeline = new TimeChart(document.getElementById('chart-timeline'), {
      title: 'presence / motion',
      yRange: [0, 1.05],
      series: [
        { label: 'presence', stroke: '#4cc9f0', fill: 'rgba(76,201,240,0.18)', paths: uPlot.paths.stepped({ align: 1 }) },
        { label: 'presence conf.', stroke: '#8d99ae', dash: [4, 4], width: 1 },
        { label: 'motion', stroke: '#f77f00', width: 2 },
      ],
    });
    this.breathing = new TimeChart(document.getElementById('chart-breathing'), {
      title: 'breathing (breaths/min)', yRange: [0, 35],
      series: [{ label: 'breathing', stroke: '#06d6a0', width: 2, points: VITAL_POINTS('#06d6a0') }],
    });
    this.heart = new TimeChart(document.getElementById('chart-heart'), {
      title: 'heart rate (beats/min)', yRange: [40, 130],
      series: [{ label: 'heart', stroke: '#ef476f', width: 2, points: VITAL_POINTS('#ef476f') }],
    });
    this.waterfall = new Waterfall(document.getElementById('waterfall'));
  }

  ingest(update) {
    const node = nodeOf(update);
    const rec = {
      t: originTime(update.origin),
      presence: update.presence ? 1 : 0,
      pconf: num(update.presence_confidence),
      motion: num(update.motion),
      br: vitalRate(update.breathing),
      hr: vitalRate(update.heart),
      amp: update.amplitude || [],
    };
    const hist = this.history.get(node) || [];
    if (hist.length && rec.t < hist[hist.length - 1].t) return;   // older than what we have
    hist.push(rec);
    while (hist.length && hist[0].t < rec.t - HISTORY_S) hist.shift();
    this.history.set(node, hist);
    this.latest.set(node, update);
    this.count++;
    if (this.selected === null) this.select(node);
    else if (node === this.selected) this.draw(rec, update);
  }

  select(node) {
    this.selected = node;
    document.getElementById('selected-node').textContent = node;
    for (const c of [this.timeline, this.breathing, this.heart]) c.reset();
    this.waterfall.clear();
    for (const rec of this.history.get(node) || []) { this.plot(rec); this.waterfall.push(rec.amp); }
    const last = this.latest.get(node);
    if (last) this.readouts(last);
    this.onSelect(node);
  }

  plot(rec) {
    this.timeline.push(rec.t, [rec.presence, rec.pconf, rec.motion]);
    this.breathing.push(rec.t, [rec.br]);
    this.heart.push(rec.t, [rec.hr]);
  }

  draw(rec, u) {
    this.plot(rec);
    this.waterfall.push(rec.amp);
    this.readouts(u);
  }

  readouts(u) {
    const set = (id, text) => { document.getElementById(id).textContent = text; };
    set('v-presence', u.presence ? `yes ${fmt(num(u.presence_confidence), 2)}` : (u.calibrated ? 'no' : 'calibrating'));
    set('v-motion', `${enumLabel(u.motion_state, 'MOTION_STATE_')} ${fmt(num(u.motion), 2)}`);
    set('v-breathing', fmt(vitalRate(u.breathing)));
    set('v-heart', fmt(vitalRate(u.heart)));
    set('v-updates', String(this.count));
  }
}
