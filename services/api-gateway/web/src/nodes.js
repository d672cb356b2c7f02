// Node list (health from /api/v1/status joined with each node's latest sensing update) and the
// services' heartbeat states. Clicking a node selects it for the live panels.
import { ago, el, enumLabel, fmt, num } from './proto.js';

export class NodesView {
  constructor(live) {
    this.live = live;
    this.status = { nodes: [], services: [] };
    this.body = document.querySelector('#nodes tbody');
    this.services = document.getElementById('services');
  }

  setStatus(status) {
    this.status = { nodes: status?.nodes || [], services: status?.services || [] };
    this.render();
  }

  render() {
    const byId = new Map(this.status.nodes.map((n) => [n.node_id || '', n]));
    const ids = [...new Set([...byId.keys(), ...this.live.latest.keys()])].filter(Boolean).sort();
    this.body.replaceChildren(...ids.map((id) => this.row(id, byId.get(id), this.live.latest.get(id))));
    this.services.replaceChildren(...this.status.services.map((s) => {
      const state = enumLabel(s.state, 'SERVICE_STATE_');
      return el('li', { 'data-state': state },
        el('span', { class: 'dot' }), `${s.service || '?'} `,
        el('span', { class: 'muted' }, `${state}${s.reason ? ' — ' + s.reason : ''} · ${ago(num(s.seconds_since_heartbeat))}`));
    }));
  }

  row(id, status, update) {
    const online = status ? Boolean(status.online) : null;
    const tr = el('tr', {
      class: id === this.live.selected ? 'selected' : '',
      'data-node': id,
      onclick: () => this.live.select(id),
    },
    el('td', {}, id),
    el('td', {}, el('span', { class: `dot ${online === null ? '' : online ? 'ok' : 'bad'}` }), online === null ? '?' : online ? 'online' : 'offline'),
    el('td', {}, fmt(num(status?.frame_rate_hz ?? update?.frame_rate_hz, null))),
    el('td', {}, status ? ago(num(status.seconds_since_frame)) : '–'),   // omitted = 0
    el('td', {}, update ? (update.presence ? 'yes' : 'no') : '–'),
    el('td', {}, update ? enumLabel(update.motion_state, 'MOTION_STATE_') : '–'),
    el('td', {}, update ? String(num(update.person_count)) : '–'));
    return tr;
  }
}
