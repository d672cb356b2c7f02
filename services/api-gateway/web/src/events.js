// Recent persisted events (presence/motion changes, vitals summaries, WiFi-Mat changes), newest
// first. Polled: each call asks from the newest time already shown (the bound is inclusive, so
// ids de-duplicate) and follows next_page_token for a bounded number of pages.
import { el, enumLabel, listOf, nsToSeconds } from './proto.js';

const KEEP = 60;
const MAX_PAGES = 5;

export class EventsView {
  constructor(api) {
    this.api = api;
    this.list = document.getElementById('events');
    this.seen = new Map();   // id -> Event
    this.since = String(BigInt(Date.now() - 30 * 60 * 1000) * 1000000n);
  }

  async poll() {
    let token = '';
    for (let page = 0; page < MAX_PAGES; page++) {
      const q = new URLSearchParams({ since: this.since });
      if (token) q.set('page_token', token);
      const body = await this.api.get(`/api/v1/events?${q}`);
      for (const e of listOf(body, 'events')) {
        this.seen.set(String(e.id), e);
        if (e.time_ns && BigInt(e.time_ns) > BigInt(this.since)) this.since = String(e.time_ns);
      }
      token = body.next_page_token || '';
      if (!token) break;
    }
    this.render();
  }

  render() {
    const newest = [...this.seen.values()].sort((a, b) => {
      const d = (nsToSeconds(b.time_ns) ?? 0) - (nsToSeconds(a.time_ns) ?? 0);
      return d || Number(b.id || 0) - Number(a.id || 0);
    });
    for (const e of newest.slice(KEEP)) this.seen.delete(String(e.id));
    this.list.replaceChildren(...newest.slice(0, KEEP).map((e) => {
      const t = nsToSeconds(e.time_ns);
      return el('li', { 'data-kind': enumLabel(e.kind, 'EVENT_KIND_') },
        el('span', { class: 'muted' }, t ? new Date(t * 1000).toLocaleTimeString() : '–'), ' ',
        el('b', {}, enumLabel(e.kind, 'EVENT_KIND_')), ' ', e.node_id ? `[${e.node_id}] ` : '', e.summary || '');
    }));
  }
}
