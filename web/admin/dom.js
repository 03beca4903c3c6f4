// Building DOM nodes without innerHTML: every value becomes a text node or an attribute, so
// nothing from the API is ever parsed as markup.
const SVG_NS = "http://www.w3.org/2000/svg";

function append(node, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else if (c instanceof Node) node.appendChild(c);
    else node.appendChild(document.createTextNode(String(c)));
  }
}

function apply(node, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "style" || k === "innerHTML" || k === "outerHTML") throw new Error("not allowed: " + k);
    if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else if (k === "class") node.setAttribute("class", Array.isArray(v) ? v.filter(Boolean).join(" ") : v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k === "value" && "value" in node) node.value = v;
    else if (k === "checked" || k === "selected" || k === "disabled") node[k] = Boolean(v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
}

// h("button", {class: "primary", onclick: fn}, "保存")
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  apply(node, attrs);
  append(node, children);
  return node;
}

export function s(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  apply(node, attrs);
  append(node, children);
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function replace(node, ...children) {
  clear(node);
  append(node, children);
  return node;
}

// A <select> from [value, label] pairs.
export function select(attrs, options, current) {
  return h("select", attrs, options.map(([v, l]) => h("option", { value: v, selected: String(v) === String(current ?? "") }, l)));
}

// A labelled field: <label><span>text</span>control</label>
export function field(text, control, hint) {
  return h("label", { class: "field" }, h("span", { class: "field-label" }, text), control,
           hint ? h("small", { class: "hint" }, hint) : null);
}

export function formatTime(unixSeconds) {
  if (!unixSeconds) return "";
  const d = new Date(Number(unixSeconds) * 1000);
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

// Accepts unix seconds, milliseconds or an ISO string.
export function formatWhen(v) {
  if (v === null || v === undefined || v === "") return "";
  if (typeof v === "number") return formatTime(v > 1e12 ? Math.floor(v / 1000) : v);
  if (/^\d+$/.test(String(v))) return formatWhen(Number(v));
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? String(v) : formatTime(Math.floor(d.getTime() / 1000));
}
