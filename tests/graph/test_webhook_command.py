"""`twofold webhook add|list|remove`: endpoints are https (or http to loopback, anywhere in
development), their secret shown once and stored sealed, never listed."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from starlette.applications import Starlette

from domain import webhooks
from domain.settings import Settings
from graph.startup.wiring import build_providers
from models.webhook import WebhookEndpoint
from providers.webhooks import HttpWebhooks
from tests.support.served import run_twofold


@pytest.mark.parametrize(
    ("url", "production", "allowed"),
    [
        ("https://payments.example.com/hooks", True, True),
        ("http://127.0.0.1:9000/hooks", True, True),
        ("http://[::1]:9000/hooks", True, True),
        ("http://localhost:9000/hooks", True, True),
        ("http://payments.example.com/hooks", True, False),
        ("http://payments.example.com/hooks", False, True),
        ("ftp://payments.example.com/hooks", False, False),
        ("payments.example.com/hooks", False, False),
        ("https://user:pw@payments.example.com/hooks", False, False),
        ("https://payments.example.com/" + "a" * 2000, False, False),
    ],
)
def test_urls_are_https_or_http_to_loopback_unless_in_development(
    url: str, production: bool, allowed: bool
) -> None:
    try:
        webhooks.check_url(url, production)
        outcome = True
    except webhooks.WebhookRefused:
        outcome = False
    assert outcome is allowed


def secret_of(output: str) -> str:
    found = re.search(r"whsec_[A-Za-z0-9+/=]+", output)
    assert found, output
    return found.group(0)


async def test_the_webhook_command_adds_lists_and_removes_endpoints(
    app: Starlette, settings: Settings, tmp_path: Path
) -> None:
    env = {
        "DATABASE_URL": settings.database_url,
        "TWOFOLD_SECRET_KEY": settings.secret_key,
        "PATH": "/usr/bin:/bin",
    }
    url = "https://payments.example.com/hooks/twofold"

    # when
    added = run_twofold(
        env, tmp_path, "webhook", "add", url, "--events", "mfa.reset,account.locked"
    )
    listed = run_twofold(env, tmp_path, "webhook", "list")
    refused = run_twofold(env, tmp_path, "webhook", "add", "ftp://payments.example.com/")
    unknown = run_twofold(env, tmp_path, "webhook", "add", url, "--events", "mfa.nonsense")
    endpoint = await WebhookEndpoint.get()
    removed = run_twofold(env, tmp_path, "webhook", "remove", str(endpoint.id))
    again = run_twofold(env, tmp_path, "webhook", "remove", str(endpoint.id))
    empty = run_twofold(env, tmp_path, "webhook", "list")

    # then: the secret is shown once, in the Standard Webhooks format, and stored sealed
    assert added.returncode == 0, added.stderr
    secret = secret_of(added.stdout)
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) >= 24
    assert secret not in endpoint.secret_sealed
    assert secret.removeprefix("whsec_") not in endpoint.secret_sealed
    assert listed.returncode == 0, listed.stderr
    assert str(endpoint.id) in listed.stdout and url in listed.stdout
    assert "events=mfa.reset,account.locked" in listed.stdout and "created=" in listed.stdout
    assert "whsec_" not in listed.stdout
    assert secret.removeprefix("whsec_") not in listed.stdout
    assert (refused.returncode, unknown.returncode) == (1, 1)
    assert await WebhookEndpoint.all().count() == 0
    assert (removed.returncode, again.returncode) == (0, 1)
    assert empty.returncode == 0 and str(endpoint.id) not in empty.stdout


def test_the_timeout_of_one_delivery_is_a_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # given
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TWOFOLD_SECRET_KEY", "k" * 40)
    monkeypatch.setenv("WEBHOOK_TIMEOUT_SECONDS", "2.5")

    # when
    settings = Settings.from_environment()
    providers = build_providers(settings)

    # then
    assert settings.webhook_timeout_seconds == 2.5
    assert isinstance(providers.webhooks, HttpWebhooks) and providers.webhooks.timeout == 2.5
    assert Settings().webhook_timeout_seconds == 5.0
    providers.close()
