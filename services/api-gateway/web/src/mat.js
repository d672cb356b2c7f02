// WiFi-Mat board: zones and survivors on a site map (metres, y up), survivors with their START
// triage colour, and alerts with an acknowledge button. State comes from the REST lists and is
// then kept current by MatEvents from the stream.
import { ago, el, enumLabel, fmt, listOf, nsToSeconds, num } from './proto.js';

export const TRIAGE = {
  TRIAGE_CLASS_IMMEDIATE: { colour: '#e5383b', label: 'immediate', rank: 0 },
  TRIAGE_CLASS_DELAYED: { colour: '#f4c430', label: 'delayed', rank: 1 },
  TRIAGE_CLASS_MINOR: { colour: '#2fbf71', label: 'minor', rank: 2 },
  TRIAGE_CLASS_DECEASED: { colour: '#000000', label: 'deceased', rank: 3 },
};
const UNKNOWN_TRIAGE = { colour: '#8d99ae', label: 'unknown', rank: 4 };
const triageOf = (s) => TRIAGE[s.triage] || UNKNOWN_TRIAGE;
const PRIORITY_RANK = { ALERT_PRIORITY_CRITICAL: 0, ALERT_PRIORITY_HIGH: 1, ALERT_PRIORITY_MEDIUM: 2, ALERT_PRIORITY_LOW: 3 };

// Outline points of a ScanZone in metres (a circle as a polygon).
export function zoneOutline(z) {
  const p = (q) => ({ x: num(q?.x_m), y: num(q?.y_m) });
  if (z.rectangle) {
    const a = p(z.rectangle.min);
    const b = p(z.rectangle.max);
    return [a, { x: b.x, y: a.y }, b, { x: a.x, y: b.y }];
  }
  if (z.circle) {
    const c = p(z.circle.center);
    const r = num(z.circle.radius_m);
    return Array.from({ length: 48 }, (_, i) => ({ x: c.x + r * Math.cos(i * Math.PI / 24), y: c.y + r * Math.sin(i * Math.PI / 24) }));
  }
  return (z.polygon?.vertices || []).map(p);
}

// Applies one MatEvent to the maps of `board` (zones, survivors, alerts, events by id); false
// when the event carries nothing the board shows.
export function applyMatEvent(board, ev) {
  if (ev.zone) {
    // A zone without a shape is mat-detector's "deleted".
    if (ev.zone.rectangle || ev.zone.circle || ev.zone.polygon) board.zones.set(ev.zone.zone_id, ev.zone);
    else board.zones.delete(ev.zone.zone_id);
  } else if (ev.survivor) board.survivors.set(ev.survivor.survivor_id, ev.survivor);
  else if (ev.alert) board.alerts.set(ev.alert.alert_id, ev.alert);
  else if (ev.event) board.events.set(ev.event.event_id, ev.event);
  else return false;
  return true;
}

export class MatBoard {
  constructor(api, onError) {
    this.api = api;
    this.onError = onError;
    this.zones = new Map();
    this.survivors = new Map();
    this.alerts = new Map();
    this.events = new Map();
    this.pending = [];   // stream events that arrived before the lists: replayed on top of them
    this.loaded = false;
    this.canvas = document.getElementById('site-map');
    this.ctx = this.canvas.getContext('2d');
  }

  async load() {
    try {
      const [zones, survivors, alerts] = await Promise.all([
        this.api.get('/api/v1/mat/zones'), this.api.get('/api/v1/mat/survivors'), this.api.get('/api/v1/mat/alerts')]);
      this.zones = new Map(listOf(zones, 'zones').map((z) => [z.zone_id, z]));
      this.survivors = new Map(listOf(survivors, 'survivors').map((s) => [s.survivor_id, s]));
      this.alerts = new Map(listOf(alerts, 'alerts').map((a) => [a.alert_id, a]));
    } finally {
      // Even when the lists failed, changes from the stream are better than nothing.
      this.loaded = true;
      for (const ev of this.pending.splice(0)) this.apply(ev);
      this.render();
    }
  }

  apply(ev) {
    if (!this.loaded) { this.pending.push(ev); return; }
    if (applyMatEvent(this, ev)) this.render();
  }

  async acknowledge(alert, button) {
    button.disabled = true;
    button.textContent = 'sending…';
    try {
      await this.api.post(`/api/v1/mat/alerts/${encodeURIComponent(alert.alert_id)}/ack`);
      button.textContent = 'acknowledged';
      // The stream normally brings the new state; the list is refreshed in case it does not.
      const body = await this.api.get('/api/v1/mat/alerts');
      for (const a of listOf(body, 'alerts')) this.alerts.set(a.alert_id, a);
      this.render();
    } catch (e) {
      button.disabled = false;
      button.textContent = 'acknowledge';
      this.onError(`acknowledge ${alert.alert_id}: ${e.message}`);
    }
  }

  render() {
    this.renderMap();
    document.getElementById('mat-empty').hidden = this.zones.size > 0 || this.survivors.size > 0;
    document.getElementById('zones').replaceChildren(...[...this.zones.values()].map((z) => el('li', {},
      el('b', {}, z.name || z.zone_id), ` ${z.zone_id}`, el('span', { class: 'muted' }, ` nodes: ${(z.node_ids || []).join(', ') || '–'}`))));
    const survivors = [...this.survivors.values()].sort((a, b) => triageOf(a).rank - triageOf(b).rank);
    document.querySelector('#survivors tbody').replaceChildren(...survivors.map((s) => {
      const t = triageOf(s);
      const v = (s.vitals || []).at(-1);
      return el('tr', { 'data-triage': t.label },
        el('td', {}, el('span', { class: 'triage', style: `background:${t.colour}` }), t.label),
        el('td', {}, s.survivor_id), el('td', {}, s.zone_id || '–'),
        el('td', {}, enumLabel(s.state, 'TRACK_STATE_')),
        el('td', {}, v && num(v.breathing_bpm) > 0 ? fmt(num(v.breathing_bpm)) : '–'),
        el('td', {}, fmt(num(s.confidence), 2)));
    }));
    const alerts = [...this.alerts.values()].sort((a, b) =>
      (a.state === 'ALERT_STATE_OPEN' ? 0 : 1) - (b.state === 'ALERT_STATE_OPEN' ? 0 : 1)
      || (PRIORITY_RANK[a.priority] ?? 9) - (PRIORITY_RANK[b.priority] ?? 9));
    document.getElementById('alerts').replaceChildren(...alerts.map((a) => this.alertItem(a)));
  }

  alertItem(a) {
    const open = a.state === 'ALERT_STATE_OPEN';
    const raised = nsToSeconds(a.raised_ns);
    const item = el('li', { class: `alert ${open ? 'open' : ''}`, 'data-priority': enumLabel(a.priority, 'ALERT_PRIORITY_') },
      el('b', {}, enumLabel(a.priority, 'ALERT_PRIORITY_')), ` ${a.message || a.alert_id}`,
      el('div', { class: 'muted' }, `${enumLabel(a.state, 'ALERT_STATE_')} · survivor ${a.survivor_id || '–'} · ` +
        `${raised ? ago(Date.now() / 1000 - raised) : ''}${a.acknowledged_by ? ' · by ' + a.acknowledged_by : ''}`));
    if (open) {
      const button = el('button', { type: 'button' }, 'acknowledge');
      button.addEventListener('click', () => this.acknowledge(a, button));
      item.append(button);
    }
    return item;
  }

  renderMap() {
    const { ctx, canvas } = this;
    ctx.fillStyle = '#0b0f17';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    const outlines = [...this.zones.values()].map((z) => ({ z, pts: zoneOutline(z) }));
    const survivors = [...this.survivors.values()].filter((s) => s.position);
    const all = [...outlines.flatMap((o) => o.pts), ...survivors.map((s) => ({ x: num(s.position.x_m), y: num(s.position.y_m) }))];
    if (!all.length) return;
    const xs = all.map((p) => p.x);
    const ys = all.map((p) => p.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const pad = 28;
    const s = Math.min((canvas.width - 2 * pad) / Math.max(x1 - x0, 1), (canvas.height - 2 * pad) / Math.max(y1 - y0, 1));
    // Centre the drawing; y grows upwards as on a site plan.
    const ox = (canvas.width - (x1 - x0) * s) / 2;
    const oy = (canvas.height - (y1 - y0) * s) / 2;
    const map = (p) => [ox + (p.x - x0) * s, canvas.height - oy - (p.y - y0) * s];
    ctx.lineWidth = 1.5;
    ctx.font = '12px sans-serif';
    for (const { z, pts } of outlines) {
      if (!pts.length) continue;
      ctx.strokeStyle = '#4cc9f0';
      ctx.fillStyle = 'rgba(76,201,240,0.08)';
      ctx.beginPath();
      pts.forEach((p, i) => (i ? ctx.lineTo(...map(p)) : ctx.moveTo(...map(p))));
      ctx.closePath();
      ctx.fill();
      ctx.stroke();
      ctx.fillStyle = '#9aa4b2';
      // Label above the zone's top-left corner, where it overlaps nothing of the zone.
      const [lx, ly] = map({ x: Math.min(...pts.map((q) => q.x)), y: Math.max(...pts.map((q) => q.y)) });
      ctx.fillText(z.name || z.zone_id, lx, ly - 5);
    }
    for (const sv of survivors) {
      const [x, y] = map({ x: num(sv.position.x_m), y: num(sv.position.y_m) });
      const t = triageOf(sv);
      ctx.strokeStyle = t.colour === '#000000' ? '#cccccc' : t.colour;
      ctx.setLineDash([3, 3]);
      ctx.beginPath();
      ctx.arc(x, y, Math.max(6, num(sv.uncertainty_radius_m) * s), 0, 2 * Math.PI);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = t.colour;
      ctx.beginPath();
      ctx.arc(x, y, 6, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
  }
}
