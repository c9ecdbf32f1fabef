"""What a transaction approval approves: checked fields, their canonical form and its hash.

The canonical form is the RFC 8785 (JSON Canonicalization Scheme) serialisation of one JSON
object holding every field (absent ones as null), the approval's id, its user, the service that
asked and the version of this layout; `payload_hash` is the SHA-256 of those UTF-8 bytes, as
64 lowercase hex digits. A service can rebuild the object from what it sent and compare. Any
change to any field gives another hash, so an approval is specific to exactly what it shows
(PSD2 RTS Art. 5 dynamic linking).

Currencies are ISO 4217 codes that are legal tender somewhere today, and amounts are integers
in the currency's minor unit, whose exponent comes from CLDR through Babel (JPY 0, USD 2,
KWD 3), so "USD 12,400.00" is shown for 1240000.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any
from uuid import UUID

import rfc8785
from babel.core import Locale, get_global
from babel.numbers import format_decimal, get_currency_precision, get_territory_currencies

from models.transaction_approval import TransactionAction

PAYLOAD_VERSION = 1
MAX_AMOUNT_MINOR = 2**31 - 1  # a GraphQL Int
MAX_PAYEE_NAME = 140
MAX_PAYEE_REFERENCE = 64
MAX_DESCRIPTION = 280
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})  # Babel's no-break separators
_MASK = "\u2022\u2022"  # two bullets before the reference's last four characters


@dataclass(frozen=True)
class Invalid:
    """A field that cannot be approved as sent; `reason` is a short machine-readable word."""

    field: str
    reason: str


@dataclass(frozen=True)
class Fields:
    """What the user approves, checked and with whitespace collapsed."""

    action: TransactionAction
    amount_minor: int | None
    currency: str | None
    payee_name: str | None
    payee_reference: str | None
    description: str | None


def _text(value: str | None, limit: int) -> str | None:
    collapsed = " ".join(unicodedata.normalize("NFC", value or "").split())
    return collapsed[:limit] if collapsed else None


# Characters that change how the rest reads or do not show at all (bidi overrides and
# isolates, zero-width characters, controls): a payee named with them can read as another.
_HIDDEN = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})


def _shows_as_written(value: str) -> bool:
    return not any(unicodedata.category(character) in _HIDDEN for character in value)


@cache
def _tender_currencies(day: date) -> frozenset[str]:
    """ISO 4217 codes that are legal tender in some territory on `day` (CLDR data)."""
    codes: set[str] = set()
    for territory in get_global("territory_currencies"):
        codes.update(get_territory_currencies(territory, day))
    return frozenset(codes)


def minor_unit_digits(currency: str) -> int:
    return int(get_currency_precision(currency))


def checked(
    action: TransactionAction,
    amount_minor: int | None,
    currency: str | None,
    payee_name: str | None,
    payee_reference: str | None,
    description: str | None,
    today: date,
) -> Fields | Invalid:
    """The fields as they will be approved, or the first one that cannot be."""
    name = _text(payee_name, MAX_PAYEE_NAME + 1)
    reference = _text(payee_reference, MAX_PAYEE_REFERENCE + 1)
    text = _text(description, MAX_DESCRIPTION + 1)
    for field, value, limit in (
        ("payeeName", name, MAX_PAYEE_NAME),
        ("payeeReference", reference, MAX_PAYEE_REFERENCE),
        ("description", text, MAX_DESCRIPTION),
    ):
        if value is not None and len(value) > limit:
            return Invalid(field, "too_long")
        if value is not None and not _shows_as_written(value):
            return Invalid(field, "invalid_characters")
    code = (currency or "").strip().upper() or None
    if code is not None and (len(code) != 3 or code not in _tender_currencies(today)):
        return Invalid("currency", "unknown_currency")
    if amount_minor is not None:
        if not 0 < amount_minor <= MAX_AMOUNT_MINOR:
            return Invalid("amountMinor", "out_of_range")
        if code is None:
            return Invalid("currency", "required")
    elif code is not None:
        return Invalid("amountMinor", "required")
    required: tuple[tuple[str, object], ...] = {
        TransactionAction.DISBURSEMENT: (("amountMinor", amount_minor), ("payeeName", name)),
        TransactionAction.BANK_ACCOUNT_CHANGE: (("payeeName", name), ("payeeReference", reference)),
        TransactionAction.AGREEMENT_SIGNATURE: (("description", text),),
        TransactionAction.PAYMENTS_ACCESS: (("description", text),),
    }[action]
    for needed, given in required:
        if given is None:
            return Invalid(needed, "required")
    return Fields(action, amount_minor, code, name, reference, text)


def canonical(
    fields: Fields, approval_id: UUID, user_id: UUID, service_client_id: str
) -> tuple[str, str]:
    """The canonical JSON of what is approved, and its SHA-256 as lowercase hex."""
    document: dict[str, Any] = {
        "version": PAYLOAD_VERSION,
        "approval_id": str(approval_id),
        "user_id": str(user_id),
        "service": service_client_id,
        "action": fields.action.name,
        "amount_minor": fields.amount_minor,
        "currency": fields.currency,
        "payee_name": fields.payee_name,
        "payee_reference": fields.payee_reference,
        "description": fields.description,
    }
    encoded = rfc8785.dumps(document)
    return encoded.decode(), hashlib.sha256(encoded).hexdigest()


def amount_text(amount_minor: int | None, currency: str | None, locale: str = "en") -> str | None:
    """`USD 12,400.00` in English, `12.400,00 USD` in Spanish: the ISO code on the side the
    locale's currency pattern puts it (CLDR through Babel), the amount with the currency's
    minor digits, plain spaces for Babel's no-break ones (GSM-7 in text messages)."""
    if amount_minor is None or currency is None:
        return None
    digits = minor_unit_digits(currency)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    value = Decimal(amount_minor).scaleb(-digits)
    number = format_decimal(value, format=pattern, locale=locale).translate(_SPACES)
    standard = Locale.parse(locale).currency_formats["standard"].pattern
    return f"{currency} {number}" if standard.lstrip().startswith("¤") else f"{number} {currency}"


def masked_reference(reference: str | None) -> str | None:
    """`••6789`: a payee reference as a text message may show it."""
    if not reference:
        return None
    tail = "".join(c for c in reference if c.isalnum())[-4:]
    return f"{_MASK}{tail}" if tail else None
