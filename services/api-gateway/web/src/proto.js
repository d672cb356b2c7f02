// Reading protobuf JSON (preserve_proto_field_names): fields at their default value are omitted,
// int64 arrives as a string, doubles may be "NaN"/"Infinity" strings, enums are their names.
export function num(v, fallback = 0) {
  if (v === undefined || v === null || v === '') return fallback;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : fallback;
}

// Epoch seconds of an int64 nanosecond timestamp (string); null when absent or zero.
export function nsToSeconds(v) {
  if (v === undefined || v === null || v === '' || v === '0' || v === 0) return null;
  const s = String(v);
  // Split so the float keeps sub-millisecond precision (ns since 1970 exceed 2^53).
  const head = s.length > 9 ? Number(s.slice(0, -9)) : 0;
  const tail = Number(s.slice(-9)) / 1e9;
  const t = head + tail;
  return Number.isFinite(t) ? t : null;
}

// Enum name without its type prefix, lower case: ("MOTION_STATE_ACTIVE", "MOTION_STATE_") -> "active".
export function enumLabel(v, prefix, fallback = 'unspecified') {
  if (!v) return fallback;
  const s = String(v);
  return (s.startsWith(prefix) ? s.slice(prefix.length) : s).toLowerCase().replace(/_/g, ' ');
}

// The time a message is about: capture time, else publish time, else now.
export function originTime(origin) {
  return nsToSeconds(origin?.capture_time_ns) ?? nsToSeconds(origin?.publish_time_ns) ?? Date.now() / 1000;
}

// A list that a REST answer may wrap as {key: [...]} or return bare.
export function listOf(body, key) {
  if (Array.isArray(body)) return body;
  const v = body?.[key];
  return Array.isArray(v) ? v : [];
}

export function fmt(v, digits = 1) {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);
}

export function ago(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  if (seconds < 1) return 'now';
  if (seconds < 120) return `${seconds.toFixed(0)} s ago`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(0)} min ago`;
  return `${(seconds / 3600).toFixed(0)} h ago`;
}

// textContent-only element builder: data from the server never becomes markup.
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'style') e.style.cssText = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : String(c ?? ''));
  return e;
}
