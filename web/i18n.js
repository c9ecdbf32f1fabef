// The app's language: the catalog of its texts (gettext domain "web", served by the server as
// JSON from i18n/locales/<lang>/LC_MESSAGES/web.po) and t(), which every text goes through.
// English needs no catalog: each msgid is the English text itself.

const STORED = "twofold.locale"; // the choice made with the switcher, on this browser
const ENGLISH = "en";

let current = ENGLISH;
let messages = {};
let supported = [ENGLISH];

// The text in the chosen language, its {name} placeholders filled from `vars`.
export function t(text, vars = {}) {
  const template = messages[text] || text;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

// A table of texts (method names, reasons...) built at each use, so a module-level table speaks
// the language chosen when it is read, not the one of the moment the module loaded. For
// lookups by key (`NAMES[method]`); a list is a function instead (Array methods need `has`).
export function translated(build) {
  return new Proxy({}, { get: (_, key) => build()[key], has: (_, key) => key in build() });
}

export function locale() {
  return current;
}

export function languages() {
  return supported;
}

// The first of the browser's languages the app speaks: "es-ES" matches "es".
export function bestMatch(wanted, available) {
  for (const tag of wanted || []) {
    const lower = String(tag).toLowerCase();
    const exact = available.find((a) => a.toLowerCase() === lower);
    if (exact) return exact;
    const primary = available.find((a) => a.toLowerCase() === lower.split("-")[0]);
    if (primary) return primary;
  }
  return null;
}

async function fetchJson(name) {
  try {
    const response = await fetch(new URL(`i18n/${name}`, import.meta.url), { credentials: "same-origin" });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

// Loads a language's catalog (English when it is not one the app speaks, or fails to load).
export async function useLanguage(wanted) {
  const chosen = supported.includes(wanted) ? wanted : ENGLISH;
  const catalog = chosen === ENGLISH ? null : await fetchJson(`${chosen}.json`);
  messages = catalog ? catalog.messages : {};
  current = catalog ? chosen : ENGLISH;
  document.documentElement.lang = current;
}

export function storedChoice() {
  try {
    return localStorage.getItem(STORED);
  } catch {
    return null; // storage blocked: the browser's languages decide
  }
}

export function storeChoice(code) {
  try {
    localStorage.setItem(STORED, code);
  } catch {
    // storage blocked: the choice lasts as long as the page
  }
}

// At start: the choice made on this browser, else the browser's languages, else English.
// (Signed in, the user's own setting then takes over: see router.js.)
export async function startLanguage() {
  const index = await fetchJson("languages.json");
  if (index && Array.isArray(index.locales)) supported = index.locales;
  const stored = storedChoice();
  const wanted = stored && supported.includes(stored) ? stored : bestMatch(navigator.languages, supported);
  await useLanguage(wanted || ENGLISH);
}
