// The API key: taken from the URL fragment (#key=...), which browsers never send to the server,
// kept in sessionStorage for this tab, and removed from the address bar so it is not shared by
// copying the URL or shown on screen.
const STORAGE = 'wdp.apiKey';

export function loadKey() {
  const params = new URLSearchParams(location.hash.slice(1));
  const fromHash = params.get('key');
  if (fromHash) {
    sessionStorage.setItem(STORAGE, fromHash);
    params.delete('key');
    const rest = params.toString();
    history.replaceState(null, '', location.pathname + location.search + (rest ? '#' + rest : ''));
  }
  return sessionStorage.getItem(STORAGE) || '';
}

export function saveKey(key) {
  sessionStorage.setItem(STORAGE, key);
}

export function forgetKey() {
  sessionStorage.removeItem(STORAGE);
}
