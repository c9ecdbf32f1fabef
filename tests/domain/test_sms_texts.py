"""Every text message in every language, with worst-case fields: at most two segments by its
real encoding, the keep-private line, and the WebOTP line last."""

from __future__ import annotations

import pytest

from domain.sms_segments import segments
from domain.sms_texts import KEEP_PRIVATE, transaction_text, verification_text
from domain.transaction_payload import (
    MAX_AMOUNT_MINOR,
    MAX_DESCRIPTION,
    MAX_PAYEE_NAME,
    amount_text,
)
from i18n.catalogs import SUPPORTED_LOCALES, gettext
from models.transaction_approval import TransactionAction, TransactionApproval

HOST = "payments.eu-west-1.example-company.com"  # a long relying-party host
CODE = "123456"
PAYEES = {
    "gsm": "Acme Drywall LLC",
    "gsm-longest": ("Wide Payee Name " * 9)[:MAX_PAYEE_NAME],
    "extension-longest": "€" * MAX_PAYEE_NAME,
    "ucs2-longest": ("Łódź Ñandú Ærø Sørensen " * 6)[:MAX_PAYEE_NAME],
}
DESCRIPTIONS = {
    "gsm-longest": ("Master services agreement, 2027 " * 9)[:MAX_DESCRIPTION],
    "ucs2-longest": ("Contrato de prestación de servicios " * 8)[:MAX_DESCRIPTION],
}


def approval(action: TransactionAction, text: str, currency: str = "KWD") -> TransactionApproval:
    payee = action in (TransactionAction.DISBURSEMENT, TransactionAction.BANK_ACCOUNT_CHANGE)
    return TransactionApproval(
        action=action,
        amount_minor=MAX_AMOUNT_MINOR if action is TransactionAction.DISBURSEMENT else None,
        currency=currency if action is TransactionAction.DISBURSEMENT else None,
        payee_name=text if payee else None,
        payee_reference="DE89 3704 0044 0532 0130 00" if payee else None,
        description=None if payee else text,
    )


def cases() -> list[tuple[str, TransactionAction, str]]:
    found = []
    for locale in SUPPORTED_LOCALES:
        for action in (TransactionAction.DISBURSEMENT, TransactionAction.BANK_ACCOUNT_CHANGE):
            found += [(locale, action, name) for name in PAYEES.values()]
        for action in (TransactionAction.AGREEMENT_SIGNATURE, TransactionAction.PAYMENTS_ACCESS):
            found += [(locale, action, text) for text in DESCRIPTIONS.values()]
    return found


def assert_shape(text: str, locale: str) -> None:
    lines = text.split("\n")
    assert segments(text).count <= 2, (segments(text), text)
    assert lines[-1] == f"@{HOST} #{CODE}"  # WebOTP: the last line
    assert lines[-2] == ""
    assert gettext(locale, KEEP_PRIVATE) in lines


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize("minutes", [30, 120])
def test_every_verification_text_is_gsm7_in_two_segments_with_the_webotp_line_last(
    locale: str, minutes: int
) -> None:
    text = verification_text(CODE, minutes, locale, HOST)
    assert_shape(text, locale)
    assert segments(text).encoding == "GSM-7"
    assert CODE in text.split("\n")[0]


@pytest.mark.parametrize(("locale", "action", "free_text"), cases())
def test_every_transaction_text_fits_two_segments_whatever_it_names(
    locale: str, action: TransactionAction, free_text: str
) -> None:
    text = transaction_text(approval(action, free_text), CODE, 5, locale, HOST)
    assert_shape(text, locale)
    assert "\u2022" not in text  # the reference's mask is GSM-7 here


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_a_short_payee_is_named_whole_and_the_texts_stay_gsm7(locale: str) -> None:
    text = transaction_text(
        approval(TransactionAction.DISBURSEMENT, "Acme Drywall LLC", "USD"), CODE, 5, locale, HOST
    )
    assert "Acme Drywall LLC (**3000)" in text and "..." not in text
    assert segments(text).encoding == "GSM-7"


def test_a_name_too_long_for_two_segments_is_cut_short_as_little_as_needed() -> None:
    # given
    name = PAYEES["ucs2-longest"]
    text = transaction_text(approval(TransactionAction.DISBURSEMENT, name), CODE, 5, "es", HOST)
    shown = text.split(" a ", 1)[1].split("...")[0]

    # then: cut, and one more character would not have fitted
    assert "..." in text and name.startswith(shown.rstrip())
    longer = name[: len(shown) + 1].rstrip() + "..."
    assert segments(text.replace(shown.rstrip() + "...", longer)).count > 2


@pytest.mark.parametrize(
    ("locale", "minor", "currency", "expected"),
    [
        ("en", 1240000, "USD", "USD 12,400.00"),
        ("es", 1240000, "USD", "12.400,00 USD"),
        ("fr", 1240000, "EUR", "12 400,00 EUR"),
        ("fr", 2147483647, "JPY", "2 147 483 647 JPY"),
        ("en", 1234, "KWD", "KWD 1.234"),
    ],
)
def test_amounts_follow_the_locale_with_plain_spaces(
    locale: str, minor: int, currency: str, expected: str
) -> None:
    assert amount_text(minor, currency, locale) == expected
