"""The pure authenticator-app helpers: RFC 6238 codes, the secret's display forms, sealing."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pyotp
import pytest
import segno

from models import totp
from models.sealing import InvalidToken, Sealed, seal, unseal

# RFC 6238 appendix B: the SHA-1 key "12345678901234567890", in base32.
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
KEY = "test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
OTHER_KEY = "another-secret-key-0123456789-abcdefghijklmnopqrstuv"
# Ten seconds into a time step, so a step either way is exactly 30 s away.
AT = datetime(2024, 5, 6, 7, 8, 10, tzinfo=UTC)


def code_at(secret: str, at: datetime, steps: int = 0) -> str:
    """What an authenticator app shows for `secret`, `steps` time steps away from `at`."""
    return pyotp.TOTP(secret).at(at + timedelta(seconds=30 * steps))


@pytest.mark.parametrize(
    ("unix_time", "code", "step"),
    [
        # The 8-digit SHA-1 vectors of RFC 6238, cut to 6 digits as apps show them.
        (59, "287082", 1),
        (1111111109, "081804", 37037036),
        (1234567890, "005924", 41152263),
    ],
)
def test_rfc_6238_vectors_match_their_time_step(unix_time: int, code: str, step: int) -> None:
    # given
    at = datetime.fromtimestamp(unix_time, UTC)
    # when
    found = totp.matching_step(RFC_SECRET, code, at)
    # then
    assert found == step


@pytest.mark.parametrize("drift", [-1, 0, 1])
def test_a_code_within_one_step_of_now_matches_its_own_step(drift: int) -> None:
    # given
    code = code_at(SECRET, AT, drift)
    # when
    found = totp.matching_step(SECRET, code, AT)
    # then
    assert found == totp.time_step(AT) + drift


@pytest.mark.parametrize("drift", [-2, 2, -3, 3])
def test_a_code_two_or_more_steps_away_does_not_match(drift: int) -> None:
    # given
    code = code_at(SECRET, AT, drift)
    assert code not in {code_at(SECRET, AT, d) for d in (-1, 0, 1)}  # not a chance collision
    # when
    found = totp.matching_step(SECRET, code, AT)
    # then
    assert found is None


def test_drift_window_is_counted_in_steps_not_seconds() -> None:
    # given: the very last second of a step; the previous step's code is 30 s old
    last_second = datetime.fromtimestamp((totp.time_step(AT) + 1) * 30 - 1, UTC)
    step = totp.time_step(last_second)
    # when
    previous = totp.matching_step(SECRET, code_at(SECRET, last_second, -1), last_second)
    two_back = totp.matching_step(SECRET, code_at(SECRET, last_second, -2), last_second)
    # then
    assert previous == step - 1
    assert two_back is None


def test_a_wrong_code_or_another_secrets_code_does_not_match() -> None:
    # given
    window = {code_at(SECRET, AT, d) for d in (-1, 0, 1)}
    wrong = next(f"{n:06d}" for n in range(10**6) if f"{n:06d}" not in window)
    others = pyotp.random_base32()
    # when
    found_wrong = totp.matching_step(SECRET, wrong, AT)
    found_other = totp.matching_step(SECRET, code_at(others, AT), AT)
    # then
    assert found_wrong is None
    assert found_other is None or code_at(others, AT) in window


def test_time_step_is_thirty_seconds_since_the_epoch() -> None:
    # given
    start = datetime.fromtimestamp(30 * 1000, UTC)
    # when
    steps = [totp.time_step(start + timedelta(seconds=s)) for s in (0, 29, 30, 59, 60)]
    # then
    assert steps == [1000, 1000, 1001, 1001, 1002]


def test_grouped_shows_the_secret_in_groups_of_four() -> None:
    # given
    secret = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    # when
    shown = totp.grouped(secret)
    # then
    assert shown == "ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567"
    assert shown.replace(" ", "") == secret


def test_grouped_keeps_a_short_last_group() -> None:
    # when
    shown = totp.grouped("ABCDEF")
    # then
    assert shown == "ABCD EF"


def test_provisioning_uri_names_issuer_account_and_secret() -> None:
    # when
    uri = totp.provisioning_uri(SECRET, "ann+pay@example.com", "Twofold")

    # then
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    assert parts.path == "/Twofold:ann%2Bpay%40example.com"
    assert unquote(parts.path) == "/Twofold:ann+pay@example.com"
    query = parse_qs(parts.query)
    assert query["secret"] == [SECRET]
    assert query["issuer"] == ["Twofold"]
    # and an app that reads it produces the same codes
    parsed = pyotp.parse_uri(uri)
    assert isinstance(parsed, pyotp.TOTP)
    assert parsed.at(AT) == code_at(SECRET, AT)
    assert parsed.interval == 30
    assert parsed.digits == 6


def _svg_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules drawn by segno's inline SVG path (relative `m` moves, `h` runs)."""
    root = ElementTree.fromstring(svg)
    path = next(p for p in root.iter(f"{{{SVG_NAMESPACE}}}path") if p.get("stroke"))
    dark: set[tuple[int, int]] = set()
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path.get("d", "")):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            for column in range(int(x), int(x + float(a))):
                dark.add((int(y - 0.5), column))
            x += float(a)
    return dark


SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def test_qr_code_svg_is_an_svg_document_of_the_uri() -> None:
    # given
    uri = totp.provisioning_uri(SECRET, "ann@example.com", "Twofold")

    # when
    svg = totp.qr_code_svg(uri)

    # then
    assert svg.startswith("<svg")
    assert svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg
    # the namespace makes it an image too (`<img src="data:image/svg+xml,...">`), not only inline
    assert ElementTree.fromstring(svg).tag == f"{{{SVG_NAMESPACE}}}svg"
    # the drawn modules are exactly those of a QR code of the URI (4-module quiet zone)
    expected = segno.make(uri, error="m")
    border = 4
    drawn = _svg_modules(svg)
    wanted = {
        (row + border, column + border)
        for row, line in enumerate(expected.matrix)
        for column, module in enumerate(line)
        if module
    }
    assert drawn == wanted
    assert totp.qr_code_svg(totp.provisioning_uri(SECRET, "bob@example.com", "Twofold")) != svg


def test_seal_round_trips() -> None:
    # when
    sealed = seal(KEY, Sealed.TOTP_SECRET, SECRET)
    # then
    assert unseal(KEY, Sealed.TOTP_SECRET, sealed) == SECRET
    assert SECRET not in sealed


def test_sealing_the_same_secret_twice_gives_different_ciphertexts() -> None:
    # when
    first, second = seal(KEY, Sealed.TOTP_SECRET, SECRET), seal(KEY, Sealed.TOTP_SECRET, SECRET)
    # then
    assert first != second
    assert (
        unseal(KEY, Sealed.TOTP_SECRET, first) == unseal(KEY, Sealed.TOTP_SECRET, second) == SECRET
    )


def test_unsealing_with_another_key_raises() -> None:
    # given
    sealed = seal(KEY, Sealed.TOTP_SECRET, SECRET)
    # when / then
    with pytest.raises(InvalidToken):
        unseal(OTHER_KEY, Sealed.TOTP_SECRET, sealed)


def test_a_tampered_seal_raises() -> None:
    # given
    sealed = seal(KEY, Sealed.TOTP_SECRET, SECRET)
    flipped = sealed[:-5] + ("A" if sealed[-5] != "A" else "B") + sealed[-4:]
    # when / then
    with pytest.raises(InvalidToken):
        unseal(KEY, Sealed.TOTP_SECRET, flipped)
