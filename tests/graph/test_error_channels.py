"""One test per error channel of docs/errors.md: union members, top-level errors of an
operation that never ran, of one that ran, and HTTP refusals. Each carries a documented code
and the status the GraphQL-over-HTTP specification gives it."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from domain.settings import Settings
from graph.context import SESSION_COOKIE
from graph.error_codes import TOP_LEVEL_CODES
from models.enums import PayRole
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.graphql import ORIGIN
from tests.support.records import nothing_ran
from tests.support.users import MakeUser

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
EMAIL = "channels@example.com"


async def _post(http: httpx.AsyncClient, body: dict[str, Any], accept: str) -> httpx.Response:
    return await http.post("/graphql", json=body, headers={"Origin": ORIGIN, "Accept": accept})


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, JSON])
async def test_an_expected_failure_is_a_union_member_with_its_code(
    accept: str, new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL, PayRole.NONE)
    wrong = {"input": {"email": EMAIL, "password": "not the password"}}

    # when
    async with new_http() as http:
        response = await _post(http, {"query": doc.LOG_IN, "variables": wrong}, accept)

    # then
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    body = response.json()
    assert "errors" not in body
    assert body["data"]["logIn"]["__typename"] == "InvalidCredentialsError"
    assert body["data"]["logIn"]["code"] == "INVALID_CREDENTIALS"


def _never_ran(settings: Settings) -> dict[str, tuple[dict[str, Any], str]]:
    # No field nests that deep, so the document also names unknown fields (`x`, `y`).
    fields = ["viewer", "mfa", *["x"] * (settings.graphql_max_depth - 1), "y"]
    deep = "{ " + " { ".join(fields) + " }" * (len(fields) - 1) + " }"
    aliases = "{ " + " ".join(f"a{n}: __typename" for n in range(settings.graphql_max_aliases + 1))
    return {
        "parse": ({"query": "{ viewer { email "}, "GRAPHQL_PARSE_FAILED"),
        "validation": ({"query": "{ viewer { nope } }"}, "GRAPHQL_VALIDATION_FAILED"),
        "variable-type": (
            {"query": doc.LOG_IN, "variables": {"input": {"email": 5, "password": "x"}}},
            "BAD_USER_INPUT",
        ),
        "variable-missing": ({"query": doc.LOG_IN, "variables": {}}, "BAD_USER_INPUT"),
        "tokens": (
            {"query": "{ " + "__typename " * (settings.graphql_max_tokens + 1) + "}"},
            "QUERY_TOO_COMPLEX",
        ),
        "depth": ({"query": deep}, "QUERY_TOO_COMPLEX"),
        "aliases": ({"query": aliases + " }"}, "QUERY_TOO_COMPLEX"),
    }


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, JSON])
@pytest.mark.parametrize(
    "case",
    ["parse", "validation", "variable-type", "variable-missing", "tokens", "depth", "aliases"],
)
async def test_an_operation_that_never_ran_answers_a_coded_top_level_error(
    case: str, accept: str, settings: Settings, new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL, PayRole.NONE)
    body, code = _never_ran(settings)[case]

    # when
    async with new_http() as http:
        response = await _post(http, body, accept)

    # then: graphql-response+json says 400 and no data; application/json 200 and data null
    assert response.headers["content-type"].startswith(accept)
    answer = response.json()
    codes = [e["extensions"]["code"] for e in answer["errors"]]
    assert code in codes
    assert set(codes) <= {code, "GRAPHQL_VALIDATION_FAILED"}
    if accept == GRAPHQL_RESPONSE:
        assert response.status_code == 400
        assert "data" not in answer
    else:
        assert response.status_code == 200
        assert answer["data"] is None
    assert await nothing_ran()


async def test_an_operation_that_ran_and_failed_answers_200_with_a_coded_error(
    new_http: HttpFactory,
) -> None:
    # when: a mutation that needs a session, without one
    async with new_http() as http:
        response = await _post(http, {"query": doc.LOG_OUT_EVERYWHERE}, GRAPHQL_RESPONSE)

    # then: it ran (the error has a path), so the status is 200, whatever `data` holds
    assert response.status_code == 200
    answer = response.json()
    assert "data" in answer
    assert answer["errors"][0]["path"] == ["logOutEverywhere"]
    assert answer["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def _refusals(settings: Settings) -> dict[str, tuple[str, dict[str, Any], int, str]]:
    """name: (method, httpx arguments, status, code)"""
    query = json.dumps({"query": doc.VIEWER_EMAIL})
    json_post = {"Content-Type": "application/json", "Origin": ORIGIN}
    return {
        "bad-json": ("POST", {"content": b"{nope", "headers": json_post}, 400, "BAD_REQUEST"),
        "batch": ("POST", {"content": f"[{query}]", "headers": json_post}, 400, "BAD_REQUEST"),
        "no-query": ("POST", {"content": "{}", "headers": json_post}, 400, "BAD_REQUEST"),
        "unknown-operation": (
            "POST",
            {"json": {"query": doc.VIEWER_EMAIL, "operationName": "Nope"}, "headers": json_post},
            400,
            "BAD_REQUEST",
        ),
        "get-bad-variables": (
            "GET",
            {"params": {"query": doc.VIEWER_EMAIL, "variables": "{nope"}},
            400,
            "BAD_REQUEST",
        ),
        "get-without-query": ("GET", {"headers": {"Accept": JSON}}, 400, "BAD_REQUEST"),
        "text-plain": (
            "POST",
            {"content": query, "headers": {"Content-Type": "text/plain"}},
            415,
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        "too-large": (
            "POST",
            {"content": b" " * (settings.max_request_body_bytes + 1), "headers": json_post},
            413,
            "REQUEST_TOO_LARGE",
        ),
        "put": ("PUT", {"content": query, "headers": json_post}, 405, "METHOD_NOT_ALLOWED"),
        "mutation-over-get": (
            "GET",
            {"params": {"query": doc.LOG_OUT_EVERYWHERE}},
            405,
            "METHOD_NOT_ALLOWED",
        ),
        "not-acceptable": (
            "POST",
            {"content": query, "headers": {**json_post, "Accept": "text/html"}},
            406,
            "NOT_ACCEPTABLE",
        ),
        "foreign-origin": (
            "POST",
            {
                "content": query,
                "headers": {
                    **json_post,
                    "Origin": "https://evil.example",
                    "Cookie": f"{SESSION_COOKIE}=anything",
                },
            },
            403,
            "FORBIDDEN_ORIGIN",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "bad-json",
        "batch",
        "no-query",
        "unknown-operation",
        "get-bad-variables",
        "get-without-query",
        "text-plain",
        "too-large",
        "put",
        "mutation-over-get",
        "not-acceptable",
        "foreign-origin",
    ],
)
async def test_an_http_refusal_is_json_with_a_documented_code(
    case: str, settings: Settings, new_http: HttpFactory
) -> None:
    # given
    method, arguments, status, code = _refusals(settings)[case]

    # when
    async with new_http() as http:
        response = await http.request(method, "/graphql", **arguments)

    # then
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(JSON)
    answer = response.json()
    assert list(answer) == ["errors"]
    assert answer["errors"][0]["extensions"]["code"] == code
    assert code in TOP_LEVEL_CODES
    if status == 405:
        assert response.headers["allow"] in ("POST", "GET, POST")
    assert await nothing_ran()
