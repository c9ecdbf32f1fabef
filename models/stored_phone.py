"""A phone number as the database keeps it: sealed for sending, masked for display. Pure.

The clear number lives only in memory. The sealed column opens with the server secret key,
the masked column is the form that already leaves the server, and limits count texts under a
keyed hash of the number, so a copy of the database holds no number in clear.
"""

from __future__ import annotations

from models.codes import keyed_hash
from models.phone import mask_phone_number
from models.sealing import Sealed, seal, unseal

# The columns of a user or flow without a number.
NO_PHONE: dict[str, str | None] = {"phone_sealed": None, "phone_masked": None}


def stored_phone(secret_key: str, e164: str) -> dict[str, str | None]:
    """The `phone_sealed` and `phone_masked` columns for a number in E.164."""
    return {
        "phone_sealed": seal(secret_key, Sealed.PHONE_NUMBER, e164),
        "phone_masked": mask_phone_number(e164),
    }


def open_phone(secret_key: str, sealed: str) -> str:
    """The E.164 number of a `phone_sealed` column."""
    return unseal(secret_key, Sealed.PHONE_NUMBER, sealed)


def phone_digest(secret_key: str, e164: str) -> str:
    """What sending limits know of a number: the same for every sealing of it."""
    return keyed_hash(secret_key, "phone", e164)
