"""Every request has an id: echoed in `X-Request-ID`, on its log lines, in a masked 500."""

from __future__ import annotations

import logging
import re

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.support.clients import HttpFactory
from tests.support.graphql import ORIGIN

VIEWER = {"query": "{ viewer { email } }"}
MADE_ID = re.compile(r"[0-9a-f]{16}")


def access_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "twofold.access"]


async def test_each_request_gets_its_own_id_on_its_answer_and_access_line(
    new_http: HttpFactory, caplog: pytest.LogCaptureFixture
) -> None:
    # when: two requests that name no id
    caplog.set_level(logging.INFO, logger="twofold.access")
    async with new_http() as http:
        first = await http.post("/graphql", json=VIEWER, headers={"Origin": ORIGIN})
        second = await http.post("/graphql", json=VIEWER, headers={"Origin": ORIGIN})

    # then: each has a fresh id, and the access line of each names it
    ids = [first.headers["x-request-id"], second.headers["x-request-id"]]
    assert all(MADE_ID.fullmatch(i) for i in ids), ids
    assert ids[0] != ids[1]
    assert [getattr(r, "request_id", None) for r in access_lines(caplog)] == ids


async def test_a_plain_id_sent_by_the_client_is_kept(new_http: HttpFactory) -> None:
    async with new_http() as http:
        response = await http.post(
            "/graphql", json=VIEWER, headers={"Origin": ORIGIN, "X-Request-ID": "req-42.a_b"}
        )

    assert response.headers["x-request-id"] == "req-42.a_b"


@pytest.mark.parametrize(
    "headers",
    [
        [("X-Request-ID", "x" * 65)],
        [("X-Request-ID", "<script>")],
        [("X-Request-ID", "two words")],
        [("X-Request-ID", "")],
        # Two copies: which one a proxy meant is unknowable, so neither is trusted.
        [("X-Request-ID", "first"), ("X-Request-ID", "second")],
    ],
)
async def test_an_odd_or_doubled_id_is_replaced_by_one_of_twofolds(
    new_http: HttpFactory, headers: list[tuple[str, str]]
) -> None:
    async with new_http() as http:
        response = await http.post("/graphql", json=VIEWER, headers=[("Origin", ORIGIN), *headers])

    assert response.status_code == 200
    assert MADE_ID.fullmatch(response.headers["x-request-id"])
    assert response.headers.get_list("x-request-id") == [response.headers["x-request-id"]]


async def test_a_masked_500_names_the_request_id_of_its_log_lines(
    app: Starlette, caplog: pytest.LogCaptureFixture
) -> None:
    # given: a route of the test's own on the real app, failing the way a bug would, and logging
    # on the way as Twofold's code does
    async def broken(_: Request) -> Response:
        logging.getLogger("twofold").warning("about to fail")
        raise RuntimeError("a bug")

    app.router.routes.append(Route("/broken", broken, methods=["POST"]))
    lenient = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    caplog.set_level(logging.INFO)

    # when
    async with httpx.AsyncClient(transport=lenient, base_url="https://testserver") as http:
        response = await http.post("/broken", json={}, headers={"Origin": ORIGIN})

    # then: the answer, its header and the request's log lines share one id
    request_id = response.headers["x-request-id"]
    assert MADE_ID.fullmatch(request_id)
    assert response.json()["errors"][0]["extensions"] == {
        "code": "INTERNAL_SERVER_ERROR",
        "requestId": request_id,
    }
    warning = next(r for r in caplog.records if r.getMessage() == "about to fail")
    assert warning.request_id == request_id  # type: ignore[attr-defined]
    assert [r.request_id for r in access_lines(caplog)] == [request_id]  # type: ignore[attr-defined]
