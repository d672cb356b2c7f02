// REST client for /api/v1: Bearer auth, JSON bodies, and one error type that says whether the
// key was refused (401/403), so the page can ask for a new key instead of retrying.
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
  get unauthorized() { return this.status === 401 || this.status === 403; }
}

export class Api {
  constructor(key, onResult) {
    this.key = key;
    this.onResult = onResult || (() => {});   // (ok, error) after every call: drives the REST badge
  }

  async request(method, path) {
    let res;
    try {
      res = await fetch(path, {
        method,
        headers: { Authorization: `Bearer ${this.key}`, Accept: 'application/json' },
        cache: 'no-store',
      });
    } catch (e) {
      const err = new ApiError(0, `network error: ${e.message}`);
      this.onResult(false, err);
      throw err;
    }
    const text = await res.text();
    let body = null;
    try { body = text ? JSON.parse(text) : {}; } catch { body = null; }
    if (!res.ok) {
      const msg = (body && (body.message || body.error?.message || body.error)) || res.statusText;
      const err = new ApiError(res.status, `${method} ${path}: ${res.status} ${msg}`);
      this.onResult(false, err);
      throw err;
    }
    if (body === null) {
      const err = new ApiError(res.status, `${method} ${path}: response is not JSON`);
      this.onResult(false, err);
      throw err;
    }
    this.onResult(true, null);
    return body;
  }

  get(path) { return this.request('GET', path); }
  post(path) { return this.request('POST', path); }
}
