"""Passwords are hashed in Unicode NFKC, and hashes made before normalisation keep working:
the password as typed is tried too, and the hash is replaced by the normalised one at once."""

from __future__ import annotations

import unicodedata

from argon2 import PasswordHasher as Argon2Hasher

from models.enums import PayRole
from models.user import User
from providers.passwords import ARGON2_PARAMETERS
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.graphql import GraphQLClient

TYPED = "Ｓｅｃｒｅｔ ｐｈｒａｓｅ ｏｆ ｍｉｎｅ"  # fullwidth letters, as some keyboards type them
NORMAL = unicodedata.normalize("NFKC", TYPED)


async def log_in(new_http: HttpFactory, password: str) -> str:
    async with new_http() as http:
        variables = {"input": {"email": "old@example.com", "password": password}}
        answered = await GraphQLClient(http).execute(doc.LOG_IN, variables)
    return str(answered["logIn"]["__typename"])


async def test_a_hash_made_before_normalisation_still_signs_in_and_is_upgraded(
    new_http: HttpFactory,
) -> None:
    # given: a hash of the password exactly as typed, from before normalisation
    legacy = Argon2Hasher(**ARGON2_PARAMETERS).hash(TYPED)
    await User.create(email="old@example.com", password_hash=legacy, pay_role=PayRole.NONE)

    # when
    first = await log_in(new_http, TYPED)

    # then: signed in; the stored hash is now of the normalised form, which any keyboard types
    assert NORMAL != TYPED
    assert first == "LoggedIn"
    stored = (await User.get(email="old@example.com")).password_hash
    assert stored != legacy
    assert Argon2Hasher().verify(stored, NORMAL)
    assert await log_in(new_http, NORMAL) == "LoggedIn"
    assert await log_in(new_http, TYPED) == "LoggedIn"


async def test_a_new_hash_is_of_the_normalised_form(new_http: HttpFactory, providers) -> None:
    # given
    digest = await providers.passwords.hash(TYPED)
    await User.create(email="old@example.com", password_hash=digest, pay_role=PayRole.NONE)

    # when
    answer = await log_in(new_http, NORMAL)

    # then
    assert answer == "LoggedIn"
    assert Argon2Hasher().verify(digest, NORMAL)
