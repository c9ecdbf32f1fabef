"""Sign-ins never queue without end behind password hashing: past a bounded queue, logIn
answers RateLimitedError with a retry hint at once, while the admitted ones hash."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from argon2 import PasswordHasher as Argon2Hasher

from domain.settings import Settings
from models.enums import PayRole
from models.user import User
from providers.passwords import PasswordHasher
from providers.registry import Providers
from tests.support import documents as doc
from tests.support.apps import running_app
from tests.support.constants import PASSWORD
from tests.support.graphql import GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn

# Slow on purpose (about half a second a verify), so the admitted sign-ins hash for a while.
SLOW = {"time_cost": 8, "memory_cost": 65536, "parallelism": 1}


async def test_sign_ins_past_the_queue_are_refused_at_once_with_a_retry_hint(
    settings: Settings,
    providers: Providers,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
) -> None:
    # given: one hashing thread that admits two sign-ins at a time, and six users
    hasher = PasswordHasher(hasher=Argon2Hasher(**SLOW), max_workers=1, max_waiting=2)
    slow_hash = Argon2Hasher(**SLOW).hash(PASSWORD)
    queued = replace(providers, passwords=hasher)
    async with running_app(settings, queued, messagebird, mailbox) as new_http:
        emails = [f"queued{n}@example.com" for n in range(6)]
        for email in emails:
            await User.create(email=email, password_hash=slow_hash, pay_role=PayRole.NONE)
        started = time.perf_counter()

        async def sign_in(email: str) -> tuple[dict, float]:
            async with new_http() as http:
                variables = {"input": {"email": email, "password": PASSWORD}}
                answer = (await GraphQLClient(http).execute(doc.LOG_IN, variables))["logIn"]
            return answer, time.perf_counter() - started

        # when: six at once
        results = await asyncio.gather(*(sign_in(email) for email in emails))
    hasher.close()

    # then: two signed in; four were refused, each before any admitted one was done
    signed_in = [at for answer, at in results if answer["__typename"] == "LoggedIn"]
    refused = [(answer, at) for answer, at in results if answer["__typename"] != "LoggedIn"]
    assert len(signed_in) == 2
    assert len(refused) == 4
    assert all(answer["__typename"] == "RateLimitedError" for answer, _ in refused)
    assert all(answer["retryAfterSeconds"] >= 1 for answer, _ in refused)
    assert max(at for _, at in refused) < min(signed_in)
