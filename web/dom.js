// Tiny DOM helpers: every text from the server goes in as text, never as HTML.
import { locale, t } from "./i18n.js";

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

let uid = 0;
export function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

// A labelled input with a place for its error; returns {wrap, input, error(text)}.
export function field({ label, name, type = "text", hint, ...attrs }) {
  const id = nextId(name);
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  const input = h("input", { id, name, type, "aria-describedby": hintId, ...attrs });
  const errorNode = h("p", { id: errorId, class: "field-error", hidden: true });
  const wrap = h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    hint ? h("p", { id: hintId, class: "hint" }, hint) : null,
    input,
    errorNode,
  );
  return {
    wrap,
    input,
    error(text) {
      if (!text) {
        errorNode.hidden = true;
        errorNode.textContent = "";
        input.removeAttribute("aria-invalid");
        input.setAttribute("aria-describedby", hintId || "");
        if (!hintId) input.removeAttribute("aria-describedby");
        return;
      }
      errorNode.textContent = text;
      errorNode.hidden = false;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", [hintId, errorId].filter(Boolean).join(" "));
      input.focus();
    },
  };
}

// Times and dates in the app's language (Intl), not the browser's.
export function clock(iso) {
  return new Date(iso).toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit" });
}

export function seconds(total) {
  const s = Math.max(0, Math.ceil(total));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}:${String(s % 60).padStart(2, "0")}` : t("{seconds} s", { seconds: s });
}
