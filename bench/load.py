"""The load generator, run as its own process: `python -m bench.load SPEC_JSON`.

It speaks HTTP/1.1 with keep-alive over asyncio streams, so its own cost per request stays
small beside the server's. It prints one JSON object: requests, seconds, latencies (ms),
and the GraphQL `__typename`s answered.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(
        self, path: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = [
            f"POST {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Content-Type: application/json",
            f"Content-Length: {len(body)}",
        ]
        head += [f"{name}: {value}" for name, value in headers.items()]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        answer_headers: dict[str, str] = {}
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode().partition(":")
            answer_headers[name.strip().lower()] = value.strip()
        data = await self.reader.readexactly(int(answer_headers.get("content-length", "0")))
        if answer_headers.get("connection", "").lower() == "close":
            self.writer.close()
            self.writer = None
        return status, answer_headers, data


def _typename(data: bytes) -> str:
    try:
        parsed = json.loads(data)
    except ValueError:
        return "invalid-json"
    if parsed.get("errors") and not parsed.get("data"):
        return parsed["errors"][0].get("extensions", {}).get("code", "error")
    for value in (parsed.get("data") or {}).values():
        if isinstance(value, dict):
            return str(value.get("__typename", "ok"))
        return "ok" if value is not None else "null"
    return "empty"


async def _worker(
    spec: dict[str, Any],
    bodies: list[bytes],
    deadline: float | None,
    count: int | None,
    out: dict[str, Any],
    index: int,
) -> None:
    conn = Connection(spec["host"], spec["port"])
    headers = spec.get("headers", {})
    done = 0
    while True:
        if deadline is not None and time.perf_counter() >= deadline:
            break
        if count is not None and done >= count:
            break
        body = bodies[index % len(bodies)]
        started = time.perf_counter()
        try:
            status, answer_headers, data = await conn.post(
                spec.get("path", "/graphql"), body, headers
            )
        except (OSError, asyncio.IncompleteReadError) as error:
            out["errors"].append(repr(error))
            conn = Connection(spec["host"], spec["port"])
            done += 1
            continue
        out["latencies"].append((time.perf_counter() - started) * 1000)
        name = _typename(data) if status == 200 else f"HTTP {status}"
        out["answers"][name] = out["answers"].get(name, 0) + 1
        if "retry-after" in answer_headers:
            out["retry_after"].append(answer_headers["retry-after"])
        done += 1


async def _graphql(
    conn: Connection, query: str, variables: dict[str, Any], token: str | None
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = json.dumps({"query": query, "variables": variables}).encode()
    status, _, data = await conn.post("/graphql", body, headers)
    answer: dict[str, Any] = json.loads(data)
    if status != 200 or answer.get("errors"):
        raise RuntimeError(f"HTTP {status}: {answer}")
    return dict(next(iter(answer["data"].values())))


async def _enroll(spec: dict[str, Any], emails: asyncio.Queue[str], out: dict[str, Any]) -> None:
    """Whole enrollments with the authenticator app, logIn to LoggedIn, one after another."""
    import pyotp

    from tests.support import documents as doc

    conn = Connection(spec["host"], spec["port"])
    while not emails.empty():
        email = emails.get_nowait()
        started = time.perf_counter()
        try:
            given = {"input": {"email": email, "password": spec["password"], "client": "NATIVE"}}
            token = (await _graphql(conn, doc.LOG_IN_NATIVE, given, None))["pendingToken"]
            await _graphql(conn, doc.START_MFA_SETUP, {}, token)
            method = {"input": {"method": "AUTHENTICATOR_APP"}}
            secret = (await _graphql(conn, doc.CHOOSE_MFA_METHOD, method, token))["secret"]
            code = {"input": {"code": pyotp.TOTP(secret.replace(" ", "")).now()}}
            await _graphql(conn, doc.VERIFY_AUTHENTICATOR_CODE, code, token)
            done = await _graphql(conn, doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED, token)
            name = str(done["__typename"])
        except (OSError, RuntimeError, KeyError, TypeError, ValueError) as error:
            out["errors"].append(repr(error))
            conn = Connection(spec["host"], spec["port"])
            continue
        out["latencies"].append((time.perf_counter() - started) * 1000)
        out["answers"][name] = out["answers"].get(name, 0) + 1


async def _items(
    spec: dict[str, Any], items: asyncio.Queue[dict[str, Any]], out: dict[str, Any]
) -> None:
    """Requests each sent once, with headers of their own (a token per flow)."""
    conn = Connection(spec["host"], spec["port"])
    while not items.empty():
        item = items.get_nowait()
        started = time.perf_counter()
        body = json.dumps(item["body"]).encode()
        status, _, data = await conn.post("/graphql", body, item.get("headers", {}))
        out["latencies"].append((time.perf_counter() - started) * 1000)
        name = _typename(data) if status == 200 else f"HTTP {status}"
        out["answers"][name] = out["answers"].get(name, 0) + 1


async def main(spec: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"latencies": [], "answers": {}, "errors": [], "retry_after": []}
    started = time.perf_counter()
    if spec.get("mode") == "enroll":
        emails: asyncio.Queue[str] = asyncio.Queue()
        for email in spec["emails"]:
            emails.put_nowait(email)
        await asyncio.gather(*(_enroll(spec, emails, out) for _ in range(spec["concurrency"])))
    elif spec.get("mode") == "items":
        items: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        for item in spec["items"]:
            items.put_nowait(item)
        await asyncio.gather(*(_items(spec, items, out) for _ in range(spec["concurrency"])))
    else:
        bodies = [json.dumps(body).encode() for body in spec["bodies"]]
        deadline = started + spec["seconds"] if spec.get("seconds") else None
        await asyncio.gather(
            *(
                _worker(spec, bodies, deadline, spec.get("per_worker"), out, index)
                for index in range(spec["concurrency"])
            )
        )
    out["seconds"] = time.perf_counter() - started
    out["requests"] = len(out["latencies"])
    return out


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(json.loads(sys.argv[1])))))
