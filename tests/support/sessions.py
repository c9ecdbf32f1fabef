"""Signing in as a mobile app does and reading `viewer` with its token: the steps the session
tests share."""

from __future__ import annotations

from typing import Any

from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.constants import PASSWORD
from tests.support.graphql import GraphQLClient

SESSION_HOLDER = "session.holder@example.com"


async def native_log_in(new_http: HttpFactory, email: str = SESSION_HOLDER) -> str:
    """The token a mobile app gets from logIn: a session or a pending one."""
    async with new_http() as http:
        variables = {"input": {"email": email, "password": PASSWORD, "client": "NATIVE"}}
        started = (await GraphQLClient(http).execute(doc.LOG_IN_NATIVE, variables))["logIn"]
    token = started.get("sessionToken") or started.get("pendingToken")
    assert token, started
    return str(token)


async def as_bearer(
    new_http: HttpFactory, token: str, query: str, variables: dict | None = None
) -> dict[str, Any]:
    """The whole response body of `query` sent with `token`."""
    async with new_http() as http:
        response = await GraphQLClient(http, bearer=token).post(query, variables)
    assert response.status_code == 200, response.text
    return dict(response.json())


def error_code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors") or [{}]
    return errors[0].get("extensions", {}).get("code")


async def viewer(new_http: HttpFactory, token: str) -> dict | None:
    return (await as_bearer(new_http, token, doc.VIEWER_EMAIL))["data"]["viewer"]
