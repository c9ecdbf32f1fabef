"""Apollo Client's persisted-query link with its default options against a served Twofold:
its hash-only request, its retry with the text on `PersistedQueryNotFound`, a document an
operator registered (`twofold documents add`) running by hash alone, and, under
TRUSTED_DOCUMENTS_ONLY, a document nobody registered refused after Apollo's retry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.node import npm_folder, run_node
from tests.support.served import run_twofold, serve, server_environment

pytestmark = pytest.mark.server

APOLLO = ("@apollo/client@4.3.8", "graphql@16.15.0", "rxjs@7.8.2")
MOBILE_FLAGS = "query MobileFlags { passkeySignInEnabled }"
OTHER = "query MobileFlagsAgain { passkeySignInEnabled }"

# The link's documented set-up: a SHA-256 function and nothing else; the function also records
# the text Apollo hashes (its printed document), which is what an operator registers.
APOLLO_QUERY = """
import { createHash } from 'node:crypto';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';

const [url, query] = process.argv.slice(2);
const hashed = [];
const requests = [];
const sha256 = (text) => {
  hashed.push(text);
  return createHash('sha256').update(text).digest('hex');
};
const fetchAndRecord = async (input, init) => {
  const body = JSON.parse(init.body);
  const response = await fetch(input, init);
  const answer = await response.clone().json();
  requests.push({
    method: init.method,
    query: 'query' in body,
    hash: body.extensions?.persistedQuery?.sha256Hash ?? null,
    status: response.status,
    codes: (answer.errors ?? []).map((e) => e.extensions?.code),
  });
  return response;
};
const client = new ApolloClient({
  cache: new InMemoryCache(),
  link: new PersistedQueryLink({ sha256 }).concat(new HttpLink({ uri: url, fetch: fetchAndRecord })),
});
let data = null, error = null;
try {
  data = (await client.query({ query: gql(query) })).data;
} catch (e) {
  error = e.message;
}
console.log(JSON.stringify({ data: data ?? null, error, hashed, requests }));
"""


def apollo(folder: Path, base: str, query: str) -> dict[str, Any]:
    ran = run_node(folder, "apollo_query.mjs", APOLLO_QUERY, f"{base}/graphql", query)
    assert ran.returncode == 0, ran.stderr
    answer: dict[str, Any] = json.loads(ran.stdout)
    return answer


async def test_apollos_persisted_queries_with_default_options(
    database_url: str,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    tmp_path: Path,
    app: Starlette,  # empties the shared database first
) -> None:
    # given: Apollo Client installed and a development server (free documents allowed)
    folder = npm_folder(APOLLO)
    env = server_environment(database_url, messagebird, mailbox)
    with serve(env, tmp_path) as server:
        # when: a document the server does not know yet
        first = apollo(folder, server.base, MOBILE_FLAGS)

    # then: the hash alone, PersistedQueryNotFound, then the text with its hash: the data
    assert first["error"] is None, first
    assert first["data"] == {"passkeySignInEnabled": False}
    assert [(r["method"], r["query"], r["status"]) for r in first["requests"]] == [
        ("POST", False, 404),
        ("POST", True, 200),
    ]
    assert first["requests"][0]["codes"] == ["PERSISTED_QUERY_NOT_FOUND"]
    printed = first["hashed"][0]

    # given: the operator registers the text Apollo hashes; production's rule is on
    (tmp_path / "mobile.graphql").write_text(printed, encoding="utf-8")
    added = run_twofold(env, tmp_path, "documents", "add", "mobile.graphql", "--name", "ios")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == f"sha256:{first['requests'][0]['hash']}"
    with serve({**env, "TRUSTED_DOCUMENTS_ONLY": "true"}, tmp_path) as server:
        # when
        registered = apollo(folder, server.base, MOBILE_FLAGS)
        unknown = apollo(folder, server.base, OTHER)

    # then: the registered document runs by its hash alone, in one request
    assert registered["error"] is None, registered
    assert registered["data"] == {"passkeySignInEnabled": False}
    assert [r["query"] for r in registered["requests"]] == [False]
    # and: a document nobody registered is refused even when Apollo retries with its text
    assert unknown["data"] is None
    assert [(r["query"], r["status"]) for r in unknown["requests"]] == [(False, 404), (True, 404)]
    assert [r["codes"] for r in unknown["requests"]] == [["PERSISTED_QUERY_NOT_FOUND"]] * 2
    assert unknown["error"] == "Response not successful: Received status code 404"
