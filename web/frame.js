// The screen frame (title, alert, notices) and the form pieces every screen is built from.
import { field, h, nextId } from "./dom.js";
import { app, state } from "./state.js";
import { t } from "./i18n.js";

let alertBox = null;

export function screen(title, ...content) {
  for (const timer of state.timers) clearInterval(timer);
  state.timers = [];
  for (const stop of state.leaving.splice(0)) stop();
  const heading = h("h1", { tabindex: "-1" }, title);
  alertBox = h("div", { class: "alert", role: "alert", tabindex: "-1", hidden: true });
  const card = h("section", { class: "card", "aria-labelledby": nextId("t") }, heading, alertBox);
  heading.id = card.getAttribute("aria-labelledby");
  card.append(...content.flat().filter(Boolean));
  app.replaceChildren(card);
  document.title = `${title} · Twofold`;
  heading.focus();
  return card;
}

export function notice(text) {
  return text ? h("p", { class: "notice", role: "status" }, text) : null;
}

export function stepError(text) {
  // An earlier success notice would contradict the error: only the error stays.
  for (const old of app.querySelectorAll(".notice")) old.hidden = true;
  alertBox.textContent = text;
  alertBox.hidden = false;
  alertBox.focus();
}

export function clearErrors(...fields) {
  alertBox.hidden = true;
  alertBox.textContent = "";
  for (const f of fields) f.error(null);
}

// Keeps the button busy while the browser talks to the key.
export async function busy(submit, work) {
  if (!submit) return work();
  submit.disabled = true;
  submit.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    submit.disabled = false;
    submit.removeAttribute("aria-busy");
  }
}

export function form(onSubmit, ...children) {
  const node = h("form", { novalidate: true }, ...children);
  node.addEventListener("submit", (event) => {
    event.preventDefault();
    onSubmit(event.submitter || node.querySelector("button[type=submit]"));
  });
  return node;
}

export function button(text, attrs = {}) {
  return h("button", { type: "button", ...attrs }, text);
}

export function codeField(label = t("6-digit verification code")) {
  return field({
    label,
    name: "code",
    autocomplete: "one-time-code",
    inputmode: "numeric",
    pattern: "[0-9]*",
    maxlength: "6",
    required: true,
    class: "code-input",
  });
}

export function privacyNotice() {
  return h(
    "aside",
    { class: "important", "aria-label": t("Important") },
    h("strong", {}, t("Keep your verification code private. ")),
    t("Twofold generates a unique code just for you. Never share it with anyone. " +
      "Our employees will never ask for it."),
  );
}
