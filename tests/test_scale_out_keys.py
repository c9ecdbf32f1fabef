"""Signing keys on one PostgreSQL database shared by processes that start at once: they make
one key between them and serve the same key set."""

from __future__ import annotations

import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.postgres import own_postgres_database
from tests.support.served import free_port, run_twofold, server_environment, twofold_command

pytestmark = pytest.mark.server


@pytest.fixture
async def migrated_postgres_database(tmp_path: Path) -> AsyncIterator[str]:
    """A database of its own: the test migrates it, so it holds no signing key yet."""
    async with own_postgres_database("twofold_keys", ": SQLite serves one process") as url:
        yield url


def key_set_when_up(base: str, process: subprocess.Popen[bytes], log: Path) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            answer = httpx.get(f"{base}/.well-known/jwks.json", timeout=1)
            if answer.status_code == 200:
                return dict(answer.json())
        except httpx.TransportError:
            time.sleep(0.05)
    pytest.fail(f"no answer from {base}:\n{log.read_text()}")


def test_processes_starting_at_once_agree_on_one_signing_key(
    migrated_postgres_database: str,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    tmp_path: Path,
) -> None:
    # given: a migrated database without a key
    env = server_environment(migrated_postgres_database, messagebird, mailbox)
    assert run_twofold(env, tmp_path, "migrate").returncode == 0
    started: list[tuple[str, subprocess.Popen[bytes], Path]] = []
    try:
        # when: three processes (one with two workers) start at the same moment
        for name, extra in (("one", []), ("two", []), ("workers", ["--workers", "2"])):
            port, log = free_port(), tmp_path / f"{name}.log"
            with log.open("w") as sink:
                command = twofold_command("serve", "--port", str(port), *extra)
                process = subprocess.Popen(
                    command, env=env, cwd=tmp_path, stdout=sink, stderr=subprocess.STDOUT
                )
            started.append((f"http://127.0.0.1:{port}", process, log))
        key_sets = [key_set_when_up(base, process, log) for base, process, log in started]
        # the workers behind one port: several answers, whichever worker takes each
        key_sets += [httpx.get(f"{started[2][0]}/.well-known/jwks.json").json() for _ in range(6)]
    finally:
        for _, process, _ in started:
            process.terminate()
            process.wait(timeout=30)

    # then: one key, the same everywhere, and the command line sees just that one
    kids = {tuple(key["kid"] for key in key_set["keys"]) for key_set in key_sets}
    assert len(kids) == 1
    [only] = kids
    assert len(only) == 1
    listed = run_twofold(env, tmp_path, "keys", "list")
    assert listed.stdout.split()[0] == only[0] and "active" in listed.stdout
    assert len(listed.stdout.splitlines()) == 1
