"""TRANSACTION_APPROVAL_SECONDS: an approval lives that long (300 s by default, never more)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from starlette.applications import Starlette

from domain.settings import Settings
from providers.clock import ManualClock
from providers.registry import Providers
from tests.support.access_tokens import service_credential
from tests.support.clients import HttpFactory
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.transactions import PaymentsService, approve, signed_in_payer, texted_code


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, transaction_approval_seconds=120)


@pytest.mark.parametrize("seconds", ["0", "301", "soon"])
def test_settings_refuse_approvals_longer_than_five_minutes(
    monkeypatch: pytest.MonkeyPatch, seconds: str
) -> None:
    # given
    monkeypatch.setenv("TRANSACTION_APPROVAL_SECONDS", seconds)

    # when / then
    with pytest.raises(ValueError, match="TRANSACTION_APPROVAL_SECONDS"):
        Settings.from_environment(env_file="/nonexistent")


def test_the_default_is_five_minutes(monkeypatch: pytest.MonkeyPatch) -> None:
    # given
    monkeypatch.delenv("TRANSACTION_APPROVAL_SECONDS", raising=False)

    # when
    settings = Settings.from_environment(env_file="/nonexistent")

    # then
    assert settings.transaction_approval_seconds == 300


async def test_an_approval_lives_as_long_as_the_setting_says(
    settings: Settings,
    providers: Providers,
    app: Starlette,
    new_http: HttpFactory,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    payments = PaymentsService(new_http(), await service_credential(settings, providers))
    payer, user_id = await signed_in_payer(new_http(), messagebird, "payee@example.com")
    created = await payments.approval(user_id)
    code = await texted_code(payer, messagebird, created["id"])
    clock.advance(timedelta(seconds=120))

    # when
    late = await approve(payer, created["id"], code)

    # then
    expires = datetime.fromisoformat(created["expiresAt"])
    assert expires - clock.now() == timedelta(0)
    assert late["code"] == "TRANSACTION_APPROVAL_EXPIRED"
    assert "expires in 2 minutes" in messagebird.messages[-1].body
