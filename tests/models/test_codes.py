"""Keyed hashes and formats of codes and tokens."""

from __future__ import annotations

import re

from models.codes import (
    format_recovery_code,
    normalize_one_time_code,
    normalize_recovery_code,
    recovery_code_hmac,
    sms_code_hmac,
    token_sha256,
)
from providers.randomness import SecretsRandomness

KEY = "k" * 40


def test_sms_code_hmac_is_bound_to_flow_and_key() -> None:
    base = sms_code_hmac(KEY, "flow-a", "123456")
    assert base == sms_code_hmac(KEY, "flow-a", "123456")
    assert base != sms_code_hmac(KEY, "flow-b", "123456")
    assert base != sms_code_hmac("x" * 40, "flow-a", "123456")
    assert "123456" not in base


def test_sms_code_normalization() -> None:
    assert normalize_one_time_code(" 123-456 ") == "123456"
    assert normalize_one_time_code("12345") is None
    assert normalize_one_time_code("abcdef") is None
    assert normalize_one_time_code("١٢٣٤٥٦") is None  # non-ASCII digits are not codes


def test_recovery_code_format_and_normalization() -> None:
    code = format_recovery_code(bytes(range(15)))
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){5}", code)
    loose = code.lower().replace("-", " ")
    assert normalize_recovery_code(loose) == code.replace("-", "")
    assert recovery_code_hmac(KEY, normalize_recovery_code(loose)) == recovery_code_hmac(
        KEY, normalize_recovery_code(code)
    )


def test_random_secrets_have_the_documented_shape() -> None:
    randomness = SecretsRandomness()
    codes = {randomness.sms_code() for _ in range(200)}
    assert all(re.fullmatch(r"\d{6}", c) for c in codes)
    assert len(codes) > 150
    token = randomness.session_token()
    assert len(token) >= 43  # 32 bytes, url-safe base64
    assert len(token_sha256(token)) == 64
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){5}", randomness.recovery_code())
