"""The password rules (NIST SP 800-63B rev. 4, 3.1.1.2): length by whether the password is
the only factor, at most 128 and never truncated, NFKC before counting and hashing, common
passwords and the email's local part refused."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from domain.password_rules import Reason, Rules, check, rules_for
from domain.settings import Settings, SettingsError

WITH_FACTOR = rules_for(Settings(), has_second_factor=True)
ALONE = rules_for(Settings(), has_second_factor=False)


@pytest.mark.parametrize(
    ("password", "rules", "reason"),
    [
        ("seven77", WITH_FACTOR, Reason.TOO_SHORT),
        ("zq8-mwv4", WITH_FACTOR, None),
        ("fourteen chars", ALONE, Reason.TOO_SHORT),
        ("fifteen chars!!", ALONE, None),
        ("x" * 129, WITH_FACTOR, Reason.TOO_LONG),
        ("a quiet " + "y" * 120, WITH_FACTOR, None),
        ("password", WITH_FACTOR, Reason.COMMON),
        ("Sunshine", WITH_FACTOR, Reason.COMMON),
        ("ＰＡＳＳＷＯＲＤ", WITH_FACTOR, Reason.COMMON),  # fullwidth: NFKC makes it `PASSWORD`
        ("my Carol password", WITH_FACTOR, Reason.CONTAINS_EMAIL),
    ],
)
def test_each_rule(password: str, rules: Rules, reason: Reason | None) -> None:
    assert check(password, "carol@example.com", rules) is reason


def test_characters_are_counted_after_nfkc() -> None:
    # "ﬀ" (one ligature) is two characters in NFKC: seven typed, eight counted
    assert check("ﬀabcdq1", "x@example.com", WITH_FACTOR) is None


def test_a_short_local_part_refuses_nothing() -> None:
    assert check("a long phrase of mine", "al@example.com", WITH_FACTOR) is None


def test_the_setting_raises_both_lengths() -> None:
    settings = replace(Settings(), password_min_length=20)
    assert rules_for(settings, has_second_factor=True).min_length == 20
    assert rules_for(settings, has_second_factor=False).min_length == 20


def test_the_setting_may_not_go_below_8(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PASSWORD_MIN_LENGTH", "6")
    monkeypatch.setenv("TWOFOLD_SECRET_KEY", "k" * 40)
    with pytest.raises(SettingsError, match="PASSWORD_MIN_LENGTH"):
        Settings.from_environment(tmp_path / "none.env")
