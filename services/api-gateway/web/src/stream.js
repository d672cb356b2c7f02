// One WebSocket stream with reconnect and exponential backoff (0.5 s doubling to 15 s, with
// jitter). Browsers hide the HTTP status of a refused handshake, so when a socket closes before
// it ever opened, `probeAuth` (a REST call) tells a bad key apart from a server that is down.
export class Stream {
  constructor({ path, key, onMessage, onState, probeAuth }) {
    Object.assign(this, { path, key, onMessage, onState, probeAuth });
    this.delay = 500;
    this.ws = null;
    this.stopped = false;
    this.timer = 0;
  }

  url() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}${this.path}?access_token=${encodeURIComponent(this.key)}`;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.ws) this.ws.close();
  }

  connect() {
    this.onState('connecting');
    let opened = false;
    const ws = new WebSocket(this.url());
    this.ws = ws;
    ws.onopen = () => {
      opened = true;
      this.delay = 500;
      this.onState('live');
    };
    ws.onmessage = (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch { return; }   // not ours to show
      this.onMessage(msg);
    };
    ws.onclose = async () => {
      if (this.ws !== ws || this.stopped) return;
      if (!opened && this.probeAuth && !(await this.probeAuth())) {
        this.onState('unauthorized');
        return;   // retrying with the same key cannot succeed
      }
      this.schedule();
    };
  }

  schedule() {
    const wait = this.delay * (0.75 + Math.random() * 0.5);
    this.delay = Math.min(this.delay * 2, 15000);
    this.onState('retry', wait);
    this.timer = setTimeout(() => this.connect(), wait);
  }
}
