// The REST API with the signed-in token. The token lives in sessionStorage only: it is gone
// when the tab closes or the user signs out.
const KEY = "lianxin.console.token";

export const session = {
  get token() { return sessionStorage.getItem(KEY) || ""; },
  set(token) { sessionStorage.setItem(KEY, token); },
  clear() { sessionStorage.removeItem(KEY); },
};

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || (status === 0 ? "network" : "http_" + status);
    this.field = e.field || "";
    this.body = body;
  }
}

let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  }
  const s = q.toString();
  return s ? "?" + s : "";
}

// api("GET", "/api/v1/cases", {query: {...}}) → parsed JSON; throws ApiError.
// opts.text: send a text body with opts.contentType; opts.token: use this token instead.
export async function api(method, path, opts = {}) {
  const token = opts.token ?? session.token;
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  Object.assign(headers, opts.headers || {});
  let body;
  if (opts.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(opts.body);
  } else if (opts.text !== undefined) {
    headers["Content-Type"] = opts.contentType || "text/plain; charset=utf-8";
    body = opts.text;
  }
  let res;
  try {
    res = await fetch(path + query(opts.query), { method, headers, body, cache: "no-store" });
  } catch {
    throw new ApiError(0, null);
  }
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!res.ok) {
    const err = new ApiError(res.status, json);
    if (res.status === 401 && !opts.token) onUnauthorized(err);
    throw err;
  }
  return json;
}

// A file the browser downloads with the token (an <a href> cannot send the header).
export async function download(path, filename) {
  const res = await fetch(path, { headers: { Authorization: "Bearer " + session.token }, cache: "no-store" });
  if (!res.ok) {
    let json = null;
    try { json = await res.json(); } catch { json = null; }
    throw new ApiError(res.status, json);
  }
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
