"""SMS_ROUTES and the second provider's settings: read per country, every mistake named."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.settings import Settings, SettingsError


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TWOFOLD_SECRET_KEY", "k" * 40)
    return monkeypatch


def test_the_default_route_is_messagebird_then_twilio(environment: pytest.MonkeyPatch) -> None:
    settings = Settings.from_environment()
    assert settings.sms_route_for("US") == ("messagebird", "twilio")
    assert (settings.sms_provider_timeout_seconds, settings.sms_send_budget_seconds) == (4.0, 9.0)


def test_routes_are_read_per_country_with_a_default(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("SMS_ROUTES", "default=twilio; us=twilio,messagebird ;GB=messagebird")
    settings = Settings.from_environment()
    assert settings.sms_route_for("US") == ("twilio", "messagebird")
    assert settings.sms_route_for("gb") == ("messagebird",)
    assert settings.sms_route_for("FR") == ("twilio",)


@pytest.mark.parametrize(
    ("name", "value", "named"),
    [
        ("SMS_ROUTES", "US=sinch", "SMS_ROUTES"),
        ("SMS_ROUTES", "USA=twilio", "SMS_ROUTES"),
        ("SMS_ROUTES", "US=", "SMS_ROUTES"),
        ("SMS_PROVIDER_TIMEOUT_SECONDS", "20", "SMS_PROVIDER_TIMEOUT_SECONDS"),
        ("SMS_PROVIDER_TIMEOUT_SECONDS", "0", "SMS_PROVIDER_TIMEOUT_SECONDS"),
        ("TWILIO_ACCOUNT_SID", "AC123", "TWILIO_AUTH_TOKEN"),
    ],
)
def test_malformed_routing_settings_are_named(
    environment: pytest.MonkeyPatch, name: str, value: str, named: str
) -> None:
    environment.setenv(name, value)
    with pytest.raises(SettingsError, match=named):
        Settings.from_environment()
