"""`twofold keys` and `twofold service`, as an operator runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.served import run_twofold, server_environment


@pytest.fixture
def env(messagebird: MessageBirdStandIn, mailbox: Mailbox, tmp_path: Path) -> dict[str, str]:
    environment = server_environment(f"sqlite://{tmp_path}/cli.sqlite3", messagebird, mailbox)
    assert run_twofold(environment, tmp_path, "migrate").returncode == 0
    return environment


def test_keys_rotate_lines_up_a_key_that_signs_after_the_cache_lifetime(
    env: dict[str, str], tmp_path: Path
) -> None:
    # given: the first key, made on first use
    [first] = run_twofold(env, tmp_path, "keys", "list").stdout.splitlines()

    # when
    rotated = run_twofold(env, tmp_path, "keys", "rotate")
    listed = run_twofold(env, tmp_path, "keys", "list").stdout.splitlines()

    # then: the old key still signs, and is published until the new one's tokens take over
    assert rotated.returncode == 0
    kid, state, *times = rotated.stdout.split()
    when = dict(time.split("=") for time in times)
    assert state == "next" and when["published_until"] == "-"
    assert when["created"] < when["signs_from"]  # ISO times in UTC sort as text
    assert [line.split()[:2] for line in listed] == [[first.split()[0], "active"], [kid, "next"]]
    assert listed[0].split()[4] != "published_until=-"


def test_a_service_credential_is_shown_once_listed_and_revoked(
    env: dict[str, str], tmp_path: Path
) -> None:
    # when
    created = run_twofold(env, tmp_path, "service", "create", "payments")
    printed = dict(line.split("=", 1) for line in created.stdout.splitlines() if "=" in line)
    listed = run_twofold(env, tmp_path, "service", "list").stdout
    revoked = run_twofold(env, tmp_path, "service", "revoke", printed["client_id"])
    again = run_twofold(env, tmp_path, "service", "revoke", printed["client_id"])

    # then: the secret appears at creation only
    assert created.returncode == 0 and len(printed["client_secret"]) >= 40
    assert printed["client_id"] in listed and "payments" in listed and "active" in listed
    assert printed["client_secret"] not in listed
    assert revoked.returncode == 0
    assert "revoked=" in run_twofold(env, tmp_path, "service", "list").stdout
    assert again.returncode == 1 and "no active service credential" in again.stderr
