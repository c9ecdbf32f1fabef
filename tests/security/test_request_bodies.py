"""Request bodies before sign-in: a size limit enforced while the body is read, and malformed
bodies answered as typed JSON 400s that run nothing and log no traceback (ASVS 4.3)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.settings import Settings
from models.enums import PayRole
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.graphql import ORIGIN
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.records import nothing_ran
from tests.support.served import ServedProcess, post, serve, server_environment
from tests.support.users import MakeUser

KIB = 1024
MIB = 1024 * KIB
# Room for the deep-nesting bodies below (up to 500 kB), so they reach the shape check; the
# served process keeps the default limit.
LIMIT = MIB
JSON_POST = {"Content-Type": "application/json", "Origin": ORIGIN}
EMAIL = "bodies@example.com"
LOG_IN = doc.log_in_written_out(EMAIL)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, max_request_body_bytes=LIMIT)


class CountingBody:
    """A streamed request body of `total` bytes in `chunk`-sized pieces that counts what was read."""

    def __init__(self, total: int, chunk: int) -> None:
        self.total = total
        self.piece = b" " * chunk
        self.read = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.read < self.total:
            self.read += len(self.piece)
            yield self.piece

    @property
    def exhausted(self) -> bool:
        return self.read >= self.total


def code_of(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


async def test_declared_64_mib_body_is_refused_before_a_byte_is_read(
    new_http: HttpFactory,
) -> None:
    # given
    body = CountingBody(64 * MIB, 64 * KIB)
    headers = {**JSON_POST, "Content-Length": str(64 * MIB)}

    # when
    async with new_http() as http:
        response = await http.post("/graphql", content=body, headers=headers)

    # then
    assert response.status_code == 413
    assert code_of(response) == "REQUEST_TOO_LARGE"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert body.read == 0


async def test_chunked_body_is_refused_as_soon_as_it_passes_the_limit(
    new_http: HttpFactory,
) -> None:
    # given: no Content-Length, so only counting can stop it
    chunk = 16 * KIB
    body = CountingBody(64 * MIB, chunk)

    # when
    async with new_http() as http:
        response = await http.post("/graphql", content=body, headers=JSON_POST)

    # then
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert response.status_code == 413
    assert code_of(response) == "REQUEST_TOO_LARGE"
    assert LIMIT < body.read <= LIMIT + chunk
    assert not body.exhausted


def _memory_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name == field:
            return int(value.split()[0])
    raise AssertionError(f"{field} missing from /proc/{pid}/status")


@pytest.fixture
def served(
    database_url: str, messagebird: MessageBirdStandIn, mailbox: Mailbox, tmp_path: Path
) -> Iterator[ServedProcess]:
    with serve(server_environment(database_url, messagebird, mailbox), tmp_path) as process:
        yield process


@pytest.mark.server
async def test_served_process_refuses_six_parallel_64_mib_bodies_without_holding_them(
    served: ServedProcess,
) -> None:
    # given: a fresh peak-memory mark (VmHWM), so a body held even briefly shows up
    Path(f"/proc/{served.pid}/clear_refs").write_text("5")
    before = _memory_kib(served.pid, "VmRSS")
    declared = {**JSON_POST, "Content-Length": str(64 * MIB)}

    # when: three announce their length, three are chunked
    async with httpx.AsyncClient(base_url=served.base, timeout=120) as http:
        responses = await asyncio.gather(
            *[
                http.post(
                    "/graphql",
                    content=CountingBody(64 * MIB, MIB),
                    headers=declared if n % 2 else JSON_POST,
                )
                for n in range(6)
            ]
        )
    peak = _memory_kib(served.pid, "VmHWM")

    # then
    assert [(r.status_code, code_of(r)) for r in responses] == [(413, "REQUEST_TOO_LARGE")] * 6
    assert peak - before < 32 * KIB, f"peak grew by {(peak - before) // KIB} MiB"
    assert post(served.base, doc.VIEWER) == {"viewer": None}


MALFORMED = {
    "string": b'"abc"',
    "number": b"5",
    "null": b"null",
    "true": b"true",
    "batch": json.dumps([{"query": LOG_IN}]).encode(),
    "nested-arrays": b"[" * 100_000 + b"]" * 100_000,
    "nested-objects": b'{"":' * 100_000 + b"0" + b"}" * 100_000,
    "invalid-utf8": json.dumps({"query": LOG_IN, "note": "~"}).encode().replace(b"~", b"\xff"),
    "utf16-bom": json.dumps({"query": LOG_IN}).encode("utf-16"),
    "query-number": b'{"query": 5}',
    "variables-string": json.dumps({"query": LOG_IN, "variables": "x"}).encode(),
    "variables-array": json.dumps({"query": LOG_IN, "variables": [1]}).encode(),
    "operation-name-number": json.dumps({"query": LOG_IN, "operationName": 3}).encode(),
    "extensions-string": json.dumps({"query": LOG_IN, "extensions": "x"}).encode(),
    "nan": json.dumps({"query": LOG_IN, "variables": {"x": float("nan")}}).encode(),
    "truncated": json.dumps({"query": LOG_IN}).encode()[:-2],
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
async def test_malformed_body_is_a_json_400_that_runs_nothing(
    body: bytes,
    new_http: HttpFactory,
    make_user: MakeUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given: the bodies that carry a query carry a sign-in that would leave rows behind
    await make_user(EMAIL, PayRole.NONE)
    caplog.set_level(logging.INFO)

    # when
    async with new_http() as http:
        response = await http.post("/graphql", content=body, headers=JSON_POST)

    # then
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert code_of(response) == "BAD_REQUEST"
    assert await nothing_ran()
    assert [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR] == []


async def test_well_formed_body_still_signs_in(new_http: HttpFactory, make_user: MakeUser) -> None:
    # given: absent optional members, and null ones, are both fine
    await make_user(EMAIL, PayRole.NONE)
    body = {"query": LOG_IN, "variables": None, "operationName": None, "extensions": None}

    # when
    async with new_http() as http:
        response = await http.post("/graphql", json=body, headers={"Origin": ORIGIN})

    # then
    assert response.status_code == 200
    assert response.json()["data"]["logIn"]["__typename"] == "LoggedIn"


async def test_unexpected_exception_is_a_masked_json_500_with_no_store(app: Starlette) -> None:
    # given: a route of the test's own on the real app, failing the way a bug would
    async def broken(_: Request) -> Response:
        raise RuntimeError("a bug")

    app.router.routes.append(Route("/broken", broken, methods=["POST"]))
    lenient = httpx.ASGITransport(app=app, raise_app_exceptions=False)

    # when
    async with httpx.AsyncClient(transport=lenient, base_url="https://testserver") as http:
        response = await http.post("/broken", json={}, headers={"Origin": ORIGIN})

    # then: the client learns nothing of the bug, and no cache keeps the answer
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-store"
    assert code_of(response) == "INTERNAL_SERVER_ERROR"
    assert "a bug" not in response.text
    # and the exception still reaches the server, which logs it
    strict = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=strict, base_url="https://testserver") as http:
        with pytest.raises(RuntimeError, match="a bug"):
            await http.post("/broken", json={}, headers={"Origin": ORIGIN})
