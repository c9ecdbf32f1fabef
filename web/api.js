// Talks to /graphql with the browser's cookie; never sees a token.
// Operations live in the files of operations/, one per area. The server builds from them the
// documents this app may send (one named operation and the fragments it spreads) and trusts
// each by its SHA-256: the app asks for the map operationName -> id once and sends ids only
// (the GraphQL-over-HTTP persisted documents form), so the server neither parses nor
// validates them per request. Every file of operations/ is listed here and in
// graph/http/web_app.py; the server reads the folder itself.

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
const DOCUMENTS_URL = new URL("documents.json", import.meta.url);

let documentIds = null;

async function load() {
  if (!documentIds) {
    const response = await fetch(DOCUMENTS_URL, { credentials: "same-origin" });
    if (!response.ok) throw new Error(t("The server answered {status}. Try again.", { status: response.status }));
    documentIds = await response.json();
  }
  return documentIds;
}

export class SessionEnded extends Error {}

export async function run(operationName, variables = {}) {
  const ids = await load();
  if (!ids[operationName]) throw new Error(`unknown operation ${operationName}`);
  const response = await fetch(GRAPHQL_URL, {
    method: "POST",
    credentials: "same-origin",
    // The app's language, so the server's error messages speak it too.
    headers: { "Content-Type": "application/json", Accept: "application/json", "Accept-Language": locale() },
    body: JSON.stringify({ documentId: ids[operationName], operationName, variables }),
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
