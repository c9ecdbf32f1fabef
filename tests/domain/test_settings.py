"""Settings named for what they limit; an old name that limited more keeps working, with a
line in the log that says what to set instead."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from domain.settings import Settings


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TWOFOLD_SECRET_KEY", "k" * 40)
    for name in ("SMS_CODE_MAX_ATTEMPTS", "APP_CODE_MAX_ATTEMPTS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_app_codes_have_a_limit_of_their_own(environment: pytest.MonkeyPatch) -> None:
    # given
    environment.setenv("SMS_CODE_MAX_ATTEMPTS", "3")
    environment.setenv("APP_CODE_MAX_ATTEMPTS", "7")

    # when
    settings = Settings.from_environment()

    # then
    assert (settings.sms_code_max_attempts, settings.app_code_max_attempts) == (3, 7)


def test_the_old_shared_limit_still_limits_app_codes_and_says_so(
    environment: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # given: a deployment that set only the name which used to limit both kinds of code
    environment.setenv("SMS_CODE_MAX_ATTEMPTS", "3")

    # when
    with caplog.at_level(logging.WARNING, logger="twofold.settings"):
        settings = Settings.from_environment()

    # then
    assert settings.app_code_max_attempts == 3
    assert any("APP_CODE_MAX_ATTEMPTS" in r.getMessage() for r in caplog.records)


def test_defaults_need_no_warning(
    environment: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # when
    with caplog.at_level(logging.WARNING, logger="twofold.settings"):
        settings = Settings.from_environment()

    # then
    assert (settings.sms_code_max_attempts, settings.app_code_max_attempts) == (5, 5)
    assert caplog.records == []
