"""Sealing at rest: each kind of secret under its own key derived from the server secret."""

from __future__ import annotations

import pytest

from models.sealing import InvalidToken, Sealed, seal, unseal

KEY = "test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PHONE = "+12015550123"
# SECRET sealed under KEY by the code before phone numbers were sealed too: the TOTP key
# derivation must never change, or enrolled authenticator apps stop working.
SEALED_BEFORE = (
    "gAAAAABrCpsq_ucEeHHk1uTPWK0AfRB_qMzUopJc4tJQMW_Dq8kqW2vEbBRvefXHmrxSMP-zgkAZ-MxSiF6CWPcWt2e7"
    "4k5zy5HKEP7CHU-eXpD1bo6T2amCYOHJdbyiSLIF2d16Buw1"
)


def test_a_totp_secret_sealed_before_phone_sealing_still_opens() -> None:
    # when / then
    assert unseal(KEY, Sealed.TOTP_SECRET, SEALED_BEFORE) == SECRET


def test_a_phone_number_round_trips_and_is_not_in_clear() -> None:
    # when
    sealed = seal(KEY, Sealed.PHONE_NUMBER, PHONE)
    # then
    assert unseal(KEY, Sealed.PHONE_NUMBER, sealed) == PHONE
    assert "2015550123" not in sealed


@pytest.mark.parametrize(
    ("sealed_as", "opened_as"),
    [(Sealed.PHONE_NUMBER, Sealed.TOTP_SECRET), (Sealed.TOTP_SECRET, Sealed.PHONE_NUMBER)],
)
def test_a_secret_of_one_kind_does_not_open_as_another(
    sealed_as: Sealed, opened_as: Sealed
) -> None:
    # given
    sealed = seal(KEY, sealed_as, PHONE)
    # when / then
    with pytest.raises(InvalidToken):
        unseal(KEY, opened_as, sealed)
