// Talks to /graphql with the browser's cookie; never sees a token.
// Operations come from the files of operations/, one per area: each request sends one named
// operation and the fragments it spreads (a document stays small, so it passes the server's
// token limit).

import { locale, t } from "./i18n.js";

// Both beside this module, so the page works wherever it is served (/ or /approve/<id>).
export const OPERATION_FILES = [
  "sign-in.graphql",
  "account.graphql",
  "password-and-invitations.graphql",
  "admin.graphql",
  "transactions.graphql",
  "language.graphql",
];
const GRAPHQL_URL = new URL("../graphql", import.meta.url);

let definitions = null;

async function fetchText(name) {
  const response = await fetch(new URL(`operations/${name}`, import.meta.url), {
    credentials: "same-origin",
  });
  return response.text();
}

async function load() {
  if (definitions) return definitions;
  const texts = await Promise.all(OPERATION_FILES.map(fetchText));
  const text = texts.join("\n").replace(/^#.*$/gm, "");
  definitions = {};
  const starts = [...text.matchAll(/^(query|mutation|fragment)\s+(\w+)/gm)];
  starts.forEach((match, i) => {
    const end = i + 1 < starts.length ? starts[i + 1].index : text.length;
    definitions[match[2]] = text.slice(match.index, end).trim();
  });
  return definitions;
}

function withFragments(defs, name) {
  const wanted = [name];
  const seen = new Set();
  while (wanted.length) {
    const next = wanted.pop();
    if (seen.has(next)) continue;
    seen.add(next);
    for (const m of defs[next].matchAll(/\.\.\.\s*(\w+)/g)) {
      if (m[1] !== "on") wanted.push(m[1]);
    }
  }
  return [...seen].map((n) => defs[n]).join("\n\n");
}

export class SessionEnded extends Error {}

export async function run(operationName, variables = {}) {
  const defs = await load();
  if (!defs[operationName]) throw new Error(`unknown operation ${operationName}`);
  const response = await fetch(GRAPHQL_URL, {
    method: "POST",
    credentials: "same-origin",
    // The app's language, so the server's error messages speak it too.
    headers: { "Content-Type": "application/json", Accept: "application/json", "Accept-Language": locale() },
    body: JSON.stringify({ query: withFragments(defs, operationName), operationName, variables }),
  });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new Error(t("The server answered {status}. Try again.", { status: response.status }));
  }
  if (body.errors && body.errors.length) {
    const code = body.errors[0].extensions && body.errors[0].extensions.code;
    if (code === "UNAUTHENTICATED") throw new SessionEnded(body.errors[0].message);
    throw new Error(body.errors[0].message);
  }
  return body.data;
}
