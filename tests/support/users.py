"""Accounts for tests: the `make_user` fixture's type, and accounts that are cheap to guess at.

Where the cost of a wrong guess does not matter, an account keeps a hash with old, cheap
parameters (the product rehashes it at the next success), so fifty failures take milliseconds.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from argon2 import PasswordHasher as Argon2Hasher

from models.enums import PayRole
from models.user import User
from tests.support.constants import PASSWORD

MakeUser = Callable[..., Awaitable[User]]
"""The `make_user` fixture: `await make_user(email, role)` creates an account with PASSWORD."""

CHEAP_HASH = Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)


async def cheap_user(email: str, role: PayRole = PayRole.NONE) -> User:
    """An account with PASSWORD, hashed cheaply; without a payments role it needs no MFA."""
    return await User.create(email=email, password_hash=CHEAP_HASH, pay_role=role)
