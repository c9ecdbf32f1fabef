"""The WebAuthn relying party: set explicitly, or derived from the server's allowed origins."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.settings import Settings


def test_development_defaults_give_localhost_and_its_origin() -> None:
    # given: the development origins, an IP address first (WebAuthn refuses IP addresses)
    settings = Settings()

    # then
    assert settings.relying_party_id == "localhost"
    assert settings.relying_party_origins == ("http://localhost:8000",)


def test_the_first_named_allowed_origin_names_the_relying_party() -> None:
    # given
    settings = Settings(
        allowed_origins=("https://pay.example.com", "https://app.pay.example.com", "https://x.test")
    )

    # then: its host and the origins on it or below it
    assert settings.relying_party_id == "pay.example.com"
    assert settings.relying_party_origins == (
        "https://pay.example.com",
        "https://app.pay.example.com",
    )


def test_explicit_settings_win(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # given
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TWOFOLD_SECRET_KEY", "k" * 40)
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://app.example.com")
    monkeypatch.setenv("WEBAUTHN_RP_ID", "example.com")
    monkeypatch.setenv("WEBAUTHN_ORIGINS", "https://app.example.com,https://www.example.com")
    monkeypatch.setenv("PASSKEY_SIGN_IN", "true")
    monkeypatch.setenv("TRUSTED_BROWSER_DAYS", "7")

    # when
    settings = Settings.from_environment()

    # then
    assert settings.relying_party_id == "example.com"
    assert settings.relying_party_origins == ("https://app.example.com", "https://www.example.com")
    assert settings.passkey_sign_in is True
    assert settings.trusted_browser_days == 7
