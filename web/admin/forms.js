// Form controls for roster items: each kind lists its fields once, with how a value is shown in
// an input and read back. Fields the form does not know are kept as they were.
import { h, field, select } from "./dom.js";
import { t, label } from "./i18n.js";

function parties(text) {
  return text.split("\n").map((l) => l.trim()).filter(Boolean).map((l) => {
    const i = l.indexOf(":");
    return i < 0 ? { platform: "", id: l } : { platform: l.slice(0, i).trim(), id: l.slice(i + 1).trim() };
  });
}

export const TYPES = {
  text: {
    control: (name, v) => h("input", { name, value: v ?? "" }),
    read: (el) => el.value.trim(),
  },
  list: {
    control: (name, v) => h("input", { name, value: (v || []).join(", ") }),
    read: (el) => el.value.split(/[,，\s]+/).map((x) => x.trim()).filter(Boolean),
    hint: () => t("common.comma_list"),
  },
  contacts: {
    control: (name, v) => h("textarea", { name, rows: 3 }, Object.entries(v || {}).map(([p, id]) => `${p}:${id}`).join("\n")),
    read: (el) => Object.fromEntries(parties(el.value).map((p) => [p.platform, p.id])),
  },
  parties: {
    control: (name, v) => h("textarea", { name, rows: 3 }, (v || []).map((p) => `${p.platform}:${p.id}`).join("\n")),
    read: (el) => parties(el.value),
  },
  level: {
    control: (name, v) => select({ name }, ["province", "city", "county", "township"].map((l) => [l, label("level", l)]), v || "township"),
    read: (el) => el.value,
  },
  phrases: {
    control: (name, v) => h("textarea", { name, rows: 8 }, Object.entries(v || {}).map(([p, w]) => `${p} ${w}`).join("\n")),
    read: (el) => Object.fromEntries(el.value.split("\n").map((l) => l.trim()).filter(Boolean).map((l) => {
      const m = l.match(/^(.*?)\s+(-?\d+(?:\.\d+)?)$/);
      return m ? [m[1], Number(m[2])] : [l, 1];
    })),
  },
  deadline_class: {
    control: (name, v) => select({ name }, ["urgent", "standard", "complex"].map((c) => [c, label("class", c)]), v || "standard"),
    read: (el) => el.value,
  },
};

// [name, type, label key]
export const KINDS = {
  townships: { key: "id", fields: [["id", "text", "field.id"], ["name", "text", "field.name"]] },
  villages: {
    key: "id", filters: ["township", "station"], columns: ["township", "station"],
    fields: [["id", "text", "field.id"], ["name", "text", "field.name"], ["township", "text", "field.township"],
             ["station", "text", "field.station"]],
  },
  stations: {
    key: "id", filters: ["township"], columns: ["township", "head"],
    fields: [["id", "text", "field.id"], ["name", "text", "field.name"], ["township", "text", "field.township"],
             ["head", "text", "field.head"], ["deputy_heads", "list", "field.deputy_heads"],
             ["members", "list", "field.members"]],
  },
  specialty_groups: {
    key: "id", filters: ["station"], columns: ["station"],
    fields: [["id", "text", "field.id"], ["name", "text", "field.name"], ["station", "text", "field.station"],
             ["categories", "list", "field.categories"], ["members", "list", "field.members"]],
  },
  deputies: {
    key: "code", filters: ["village", "station", "township"], columns: ["level", "village", "station"],
    fields: [["code", "text", "field.code"], ["name", "text", "field.person_name"], ["level", "level", "field.level"],
             ["village", "text", "field.village"], ["constituency", "text", "field.constituency"],
             ["station", "text", "field.station"], ["specialty_group", "text", "field.specialty_group"],
             ["contacts", "contacts", "field.contacts"]],
  },
  enterprises: {
    key: "id", filters: ["village"], columns: ["village"],
    fields: [["id", "text", "field.id"], ["name", "text", "field.name"], ["village", "text", "field.village"],
             ["deputies", "list", "field.deputies"], ["members", "parties", "field.member_identities"]],
  },
  departments: {
    key: "id",
    fields: [["id", "text", "field.id"], ["name", "text", "field.name"], ["handlers", "parties", "field.handlers"]],
  },
  committees: {
    key: "id",
    fields: [["id", "text", "field.id"], ["name", "text", "field.name"], ["members", "parties", "field.member_identities"]],
  },
  categories: {
    key: "id",
    fields: [["id", "text", "field.id"], ["name", "text", "field.name"], ["department", "text", "field.department"],
             ["deadline_class", "deadline_class", "field.deadline_class"], ["phrases", "phrases", "field.phrases"]],
  },
};

// The form's controls for `item` (empty for a new one); returns {node, read(), mark(field)}.
export function itemForm(kind, item, isNew) {
  const spec = KINDS[kind];
  const controls = {};
  const nodes = spec.fields.map(([name, type, key]) => {
    const control = TYPES[type].control(name, item ? item[name] : undefined);
    if (name === spec.key && !isNew) control.readOnly = true;
    if (name === spec.key || name === "name") control.required = true;
    controls[name] = control;
    return field(t(key), control, TYPES[type].hint ? TYPES[type].hint() : null);
  });
  return {
    nodes,
    read() {
      const out = { ...(item || {}) };
      for (const [name, type] of spec.fields) {
        const v = TYPES[type].read(controls[name]);
        const empty = v === "" || (Array.isArray(v) && !v.length) || (v && typeof v === "object" && !Array.isArray(v) && !Object.keys(v).length);
        if (empty && !(item && name in item)) delete out[name];
        else out[name] = v;
      }
      return out;
    },
    // Marks the control the server's error names ("deputies[0].station" or "station").
    mark(fieldPath) {
      for (const c of Object.values(controls)) c.removeAttribute("aria-invalid");
      if (!fieldPath) return;
      const name = String(fieldPath).replace(/^.*?\]\./, "").split(/[.[]/)[0];
      if (controls[name]) {
        controls[name].setAttribute("aria-invalid", "true");
        controls[name].focus();
      }
    },
  };
}
