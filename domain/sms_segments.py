"""How many SMS segments a text takes, by the encoding a carrier really sends it in.

A text made only of the GSM 03.38 default alphabet goes as GSM-7: 160 septets in one segment,
153 per segment once it is split (the rest carries the concatenation header). Characters of
the extension table (`{ } [ ] ~ \\ | ^ €` and form feed) take two septets each. Any other
character makes the whole text UCS-2: 70 UTF-16 code units in one segment, 67 per segment
when split (characters outside the BMP take two units).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

Encoding = Literal["GSM-7", "UCS-2"]


@dataclass(frozen=True)
class Segments:
    encoding: Encoding
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    count: int


def encoding_of(text: str) -> Encoding:
    allowed = GSM7_BASIC | GSM7_EXTENSION
    return "GSM-7" if all(character in allowed for character in text) else "UCS-2"


def segments(text: str) -> Segments:
    """The encoding, length in its units and number of segments of `text`."""
    if encoding_of(text) == "GSM-7":
        units = sum(2 if character in GSM7_EXTENSION else 1 for character in text)
        single, part = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
    count = 1 if units <= single else math.ceil(units / part)
    return Segments("GSM-7" if single == 160 else "UCS-2", units, count)
