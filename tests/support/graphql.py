"""Sending GraphQL documents over HTTP, the way single-page and mobile apps do."""

from __future__ import annotations

from typing import Any

import httpx

ORIGIN = "https://app.twofold.test"


class GraphQLClient:
    """Wraps an httpx client; keeps cookies like a browser, or a bearer token like an app."""

    def __init__(self, http: httpx.AsyncClient, bearer: str | None = None) -> None:
        self.http = http
        self.bearer = bearer

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        operation_name: str | None = None,
    ) -> httpx.Response:
        headers = {"Origin": ORIGIN}
        if self.bearer:
            headers["Authorization"] = f"Bearer {self.bearer}"
        body: dict[str, Any] = {"query": query, "variables": variables or {}}
        if operation_name is not None:
            body["operationName"] = operation_name
        return await self.http.post("/graphql", json=body, headers=headers)

    async def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The `data` of a response that must have no top-level errors."""
        response = await self.post(query, variables)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    async def errors(
        self, query: str, variables: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """The top-level `errors` of a response that must have them."""
        response = await self.post(query, variables)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body.get("errors"), body
        return body["errors"]


def outcome(response: httpx.Response, field: str) -> str:
    """The `__typename` of `field`'s result, or the code of the first top-level error."""
    assert response.status_code == 200, response.text
    body = response.json()
    if body.get("errors"):
        return str(body["errors"][0].get("extensions", {}).get("code", "ERROR"))
    return str(body["data"][field]["__typename"])


async def error_codes(
    client: GraphQLClient, query: str, variables: dict[str, Any] | None = None
) -> list[str]:
    """The `extensions.code` of each top-level error of a response that must have them."""
    return [e["extensions"]["code"] for e in await client.errors(query, variables)]
