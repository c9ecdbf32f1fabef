"""Start-up fails fast and clearly: every bad setting named in one message; a database that
cannot be reached or used named in one line, without a traceback, with a non-zero exit, within
seconds; `migrate` says what it did; signals stop the server, through `dev.py` too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.constants import SECRET_KEY
from tests.support.served import free_port, twofold_command

ROOT = Path(__file__).resolve().parent.parent
LIMIT_SECONDS = 10


def _env(**settings: str) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if k not in {"TWOFOLD_ENV", "DATABASE_URL"}}
    return {**kept, "TWOFOLD_SECRET_KEY": SECRET_KEY, **settings}


def _run(
    env: dict[str, str], cwd: Path, *args: str
) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = subprocess.run(
        twofold_command(*args),
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=LIMIT_SECONDS + 20,
    )
    return done, time.monotonic() - started


def _one_clear_line(done: subprocess.CompletedProcess[str]) -> str:
    output = (done.stdout + done.stderr).strip()
    assert "Traceback" not in output, output
    assert len(output.splitlines()) == 1, output
    return output


def test_every_bad_production_setting_is_named_in_one_message(tmp_path: Path) -> None:
    # given: production with no key, no SMS or SMTP set-up, and two malformed values
    env = {
        k: v
        for k, v in _env().items()
        if k not in {"TWOFOLD_SECRET_KEY", "MESSAGEBIRD_ACCESS_KEY", "SMTP_HOST"}
    }
    env.update(TWOFOLD_ENV="production", SMS_CODE_TTL_MINUTES="thirty", LOG_FORMAT="xml")

    # when
    done, seconds = _run(env, tmp_path, "serve", "--port", str(free_port()))

    # then: one run names them all
    assert done.returncode == 2
    assert seconds < LIMIT_SECONDS
    line = _one_clear_line(done)
    for name in (
        "TWOFOLD_SECRET_KEY",
        "MESSAGEBIRD_ACCESS_KEY",
        "SMTP_HOST",
        "SMS_CODE_TTL_MINUTES",
        "LOG_FORMAT",
    ):
        assert name in line, line


@pytest.mark.parametrize(
    "args",
    [
        ["migrate"],
        [
            "create-user",
            "--email",
            "a@example.com",
            "--password",
            "long enough pw 1",
            "--role",
            "payee",
        ],
        ["serve", "--port", "0"],
    ],
    ids=["migrate", "create-user", "serve"],
)
def test_a_sqlite_file_in_a_missing_folder_is_named_in_one_line(
    tmp_path: Path, args: list[str]
) -> None:
    # given
    missing = tmp_path / "no-such-folder" / "twofold.sqlite3"
    env = _env(DATABASE_URL=f"sqlite://{missing}")

    # when
    done, seconds = _run(env, tmp_path, *args)

    # then
    assert done.returncode == 3
    assert seconds < LIMIT_SECONDS
    line = _one_clear_line(done)
    assert str(missing) in line and "No such file or directory" in line, line


@pytest.mark.parametrize("command", ["migrate", "serve"])
def test_an_unreachable_postgresql_is_named_in_one_line_without_its_password(
    tmp_path: Path, command: str
) -> None:
    # given: a PostgreSQL URL on a port nobody listens on
    closed = free_port()
    env = _env(DATABASE_URL=f"postgres://twofold:s3cret-pw@127.0.0.1:{closed}/twofold")
    args = ["serve", "--port", str(free_port())] if command == "serve" else ["migrate"]

    # when
    done, seconds = _run(env, tmp_path, *args)

    # then
    assert done.returncode == 3
    assert seconds < LIMIT_SECONDS
    line = _one_clear_line(done)
    assert f"127.0.0.1:{closed}" in line and "s3cret-pw" not in line, line


def test_migrate_says_what_it_applied_then_that_the_database_is_up_to_date(tmp_path: Path) -> None:
    env = _env(DATABASE_URL=f"sqlite://{tmp_path / 'fresh.sqlite3'}")

    first, _ = _run(env, tmp_path, "migrate")
    second, _ = _run(env, tmp_path, "migrate")

    assert first.returncode == second.returncode == 0
    assert first.stdout.startswith("applied ") and "0001_initial" in first.stdout, first.stdout
    assert second.stdout.strip() == "database is up to date: no migrations to apply"
    assert first.stderr == second.stderr == ""


def _wait_until_serving(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail("the server did not come up in 30 s")


def _port_is_free(port: int) -> bool:
    try:
        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
    except httpx.TransportError:
        return True
    return False


@pytest.mark.server
@pytest.mark.parametrize(
    ("launcher", "stop"),
    [("dev.py", signal.SIGTERM), ("dev.py", signal.SIGINT), ("twofold", signal.SIGTERM)],
    ids=["dev.py-SIGTERM", "dev.py-SIGINT", "twofold-SIGTERM"],
)
def test_a_signal_to_the_started_process_stops_the_server_and_frees_its_port(
    tmp_path: Path, launcher: str, stop: signal.Signals
) -> None:
    # given: a server started as a process manager would, by `dev.py serve` or `twofold serve`
    port = free_port()
    env = _env(DATABASE_URL=f"sqlite://{tmp_path / 'served.sqlite3'}")
    if launcher == "dev.py":
        command = [sys.executable, str(ROOT / "dev.py"), "serve", "--port", str(port)]
    else:
        command = twofold_command("serve", "--port", str(port))
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        process = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=output, stderr=output)
        try:
            _wait_until_serving(process, port, log)

            # when: the manager signals the process it started, by its id
            started = time.monotonic()
            process.send_signal(stop)

            # then: it ends, cleanly, within seconds, and nothing holds the port any more
            # (uvicorn shuts down gracefully, then ends by the signal it was sent, as a shell
            # expects)
            assert process.wait(timeout=LIMIT_SECONDS) in (0, -stop), log.read_text()
            assert "Application shutdown complete" in log.read_text()
            assert time.monotonic() - started < LIMIT_SECONDS
            assert _port_is_free(port), log.read_text()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
