"""A phone number as stored: sealed, masked, and known to limits only by a keyed hash."""

from __future__ import annotations

from models.stored_phone import open_phone, phone_digest, stored_phone

KEY = "test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
OTHER_KEY = "another-secret-key-0123456789-abcdefghijklmnopqrstuv"
PHONE = "+12015550123"


def test_the_stored_columns_open_to_the_number_and_show_only_its_last_two_digits() -> None:
    # when
    columns = stored_phone(KEY, PHONE)
    # then
    assert set(columns) == {"phone_sealed", "phone_masked"}
    assert open_phone(KEY, str(columns["phone_sealed"])) == PHONE
    assert columns["phone_masked"] == "+*********23"
    assert "2015550123" not in str(columns["phone_sealed"])


def test_sealing_one_number_twice_differs_but_its_digest_does_not() -> None:
    # when
    first, second = stored_phone(KEY, PHONE), stored_phone(KEY, PHONE)
    # then
    assert first["phone_sealed"] != second["phone_sealed"]
    assert phone_digest(KEY, PHONE) == phone_digest(KEY, PHONE)
    assert "2015550123" not in phone_digest(KEY, PHONE)


def test_the_digest_depends_on_the_key_and_the_number() -> None:
    # when / then
    assert phone_digest(KEY, PHONE) != phone_digest(OTHER_KEY, PHONE)
    assert phone_digest(KEY, PHONE) != phone_digest(KEY, "+12015550145")
