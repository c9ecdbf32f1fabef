"""The benchmark's users, made in one process: `python -m bench.seed URL KEY COUNT [ROLE]`.

Users have role `none` (a password alone signs them in) unless ROLE says `payee` (they enroll
a second factor). All share one password and one hash, made with the server's own hasher.
"""

from __future__ import annotations

import asyncio
import sys

from graph.startup.db import apply_migrations, close_database, open_database
from models.enums import PayRole
from models.user import User
from providers.passwords import PasswordHasher

PASSWORD = "bench-password-1"


def email(index: int) -> str:
    return f"bench{index}@example.com"


async def seed(database_url: str, secret_key: str, count: int, role: str = "none") -> None:
    hasher = PasswordHasher()
    try:
        digest = await hasher.hash(PASSWORD)
    finally:
        hasher.close()
    await apply_migrations(database_url, secret_key)
    await open_database(database_url)
    try:
        await User.bulk_create(
            [
                User(email=email(i), password_hash=digest, pay_role=PayRole(role))
                for i in range(count)
            ]
        )
    finally:
        await close_database()


if __name__ == "__main__":
    asyncio.run(seed(sys.argv[1], sys.argv[2], int(sys.argv[3]), *sys.argv[4:5]))
