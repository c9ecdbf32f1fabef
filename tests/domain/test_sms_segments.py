"""The segment counter against known GSM-7 and UCS-2 lengths (3GPP TS 23.038 / 23.040)."""

from __future__ import annotations

import pytest

from domain.sms_segments import GSM7_BASIC, GSM7_EXTENSION, segments


@pytest.mark.parametrize(
    ("text", "encoding", "units", "count"),
    [
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),  # the euro sign is an extension character: 2 septets
        ("€" * 81, "GSM-7", 162, 2),
        ("{[]}~^|\\", "GSM-7", 16, 1),
        ("Çà è é ù ì ò ñ Ñ ü ß Δ ¿¡ £ ¥ §", "GSM-7", 31, 1),
        ("á" * 70, "UCS-2", 70, 1),
        ("á" * 71, "UCS-2", 71, 2),
        ("á" * 134, "UCS-2", 134, 2),
        ("á" * 135, "UCS-2", 135, 3),
        ("ç", "UCS-2", 1, 1),  # lower-case c cedilla is not GSM-7 (only Ç is)
        ("\u2022\u20226789", "UCS-2", 6, 1),
        ("😀" * 35, "UCS-2", 70, 1),  # outside the BMP: two UTF-16 units each
        ("😀" * 36, "UCS-2", 72, 2),
        ("", "GSM-7", 0, 1),
    ],
)
def test_known_lengths(text: str, encoding: str, units: int, count: int) -> None:
    measured = segments(text)
    assert (measured.encoding, measured.units, measured.count) == (encoding, units, count)


def test_the_tables_have_their_standard_sizes() -> None:
    # 128 positions, one of them the escape to the extension table; 10 extension characters
    assert len(GSM7_BASIC) == 127 and len(GSM7_EXTENSION) == 10
    assert not GSM7_BASIC & GSM7_EXTENSION
