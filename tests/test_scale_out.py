"""Scale-out: several server processes on one PostgreSQL database, never on SQLite."""

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
async def fresh_postgres_database() -> AsyncIterator[str]:
    """An empty database of its own (the suite's is migrated already)."""
    async with own_postgres_database("twofold_fresh", "") as url:
        yield url


def wait_for_health(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail(f"no answer from {base}:\n{log.read_text()}")


def test_two_processes_started_at_once_on_a_fresh_database_both_serve(
    fresh_postgres_database: str,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    tmp_path: Path,
) -> None:
    # given: a database no process has migrated yet
    env = server_environment(fresh_postgres_database, messagebird, mailbox)
    started: list[tuple[str, subprocess.Popen[bytes], Path]] = []
    try:
        # when: one single process and one with two workers start at the same moment
        for name, extra in (("single", []), ("workers", ["--workers", "2"])):
            port = free_port()
            log = tmp_path / f"{name}.log"
            with log.open("w") as sink:
                command = twofold_command("serve", "--port", str(port), *extra)
                process = subprocess.Popen(
                    command, env=env, cwd=tmp_path, stdout=sink, stderr=subprocess.STDOUT
                )
            started.append((f"http://127.0.0.1:{port}", process, log))

        # then: both come up and answer GraphQL from the one migrated database
        for base, process, log in started:
            wait_for_health(base, process, log)
            answer = httpx.post(f"{base}/graphql", json={"query": "{ viewer { id } }"}, timeout=10)
            assert answer.json() == {"data": {"viewer": None}}, log.read_text()
    finally:
        for _, process, _ in started:
            process.terminate()
            process.wait(timeout=30)


def test_several_workers_are_refused_on_sqlite(
    messagebird: MessageBirdStandIn, mailbox: Mailbox, tmp_path: Path
) -> None:
    # given
    env = server_environment(f"sqlite://{tmp_path}/one.sqlite3", messagebird, mailbox)

    # when
    served = run_twofold(env, tmp_path, "serve", "--workers", "2", "--port", str(free_port()))

    # then
    assert served.returncode == 2
    assert "--workers above 1 needs PostgreSQL" in served.stderr
