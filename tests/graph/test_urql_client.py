"""urql's client with its default options (queries as GET, `Accept` preferring
application/graphql-response+json) reads data from a served Twofold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.applications import Starlette

from models.enums import PayRole
from tests.support import documents as doc
from tests.support.constants import PASSWORD
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.node import npm_folder, run_node
from tests.support.served import post, serve, server_environment
from tests.support.users import MakeUser

pytestmark = pytest.mark.server

EMAIL = "urql.user@example.com"
URQL = ("@urql/core@6.0.3", "graphql@16.15.0")

# createClient with urql's documented exchanges and nothing else set, except the app's token;
# `fetch` only records the method of each request urql makes.
URQL_QUERY = """
import { createClient, cacheExchange, fetchExchange } from '@urql/core';

const [url, token, query] = process.argv.slice(2);
const requests = [];
const client = createClient({
  url,
  exchanges: [cacheExchange, fetchExchange],
  fetchOptions: { headers: { Authorization: `Bearer ${token}` } },
  fetch: (input, init) => {
    requests.push({ method: init?.method ?? 'GET', accept: init?.headers?.accept ?? null });
    return fetch(input, init);
  },
});
const result = await client.query(query, {}).toPromise();
console.log(JSON.stringify({
  data: result.data ?? null,
  error: result.error ? result.error.message : null,
  requests,
}));
"""


async def test_urql_with_default_options_reads_data_by_get(
    database_url: str,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    tmp_path: Path,
    app: Starlette,  # empties the shared database first
    make_user: MakeUser,
) -> None:
    # given: urql installed, a served Twofold, and a signed-in app's token
    folder = npm_folder(URQL)
    await make_user(EMAIL, PayRole.NONE)
    env = server_environment(database_url, messagebird, mailbox)
    with serve(env, tmp_path) as server:
        variables = {"input": {"email": EMAIL, "password": PASSWORD, "client": "NATIVE"}}
        data = post(server.base, doc.LOG_IN_NATIVE, variables)
        token = data["logIn"]["sessionToken"]

        # when
        ran = run_node(
            folder, "urql_query.mjs", URQL_QUERY, f"{server.base}/graphql", token, doc.VIEWER_EMAIL
        )

    # then
    assert ran.returncode == 0, ran.stderr
    answer = json.loads(ran.stdout)
    assert answer["error"] is None, answer
    assert answer["data"]["viewer"]["email"] == EMAIL
    assert [r["method"] for r in answer["requests"]] == ["GET"]
    assert "application/graphql-response+json" in answer["requests"][0]["accept"]
