"""Two Twofold instances on one database: limits live in the database, so an attacker who
spreads guesses or sends over several servers gets no more than from one.

The second instance is a real `twofold serve` process. Two app lifespans in one process
cannot stand for two servers: Tortoise keeps one global context, so the second
`Tortoise.init` reuses the first one's connections and its shutdown closes them for both.
The property matters most on PostgreSQL; on SQLite the two processes share one file.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import httpx
import pytest

from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.constants import PASSWORD, PHONE
from tests.support.graphql import ORIGIN, GraphQLClient, outcome
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.records import evaluated_guesses
from tests.support.served import serve, server_environment
from tests.support.users import MakeUser

pytestmark = pytest.mark.server


EMAIL = "spread.payee@example.com"
PER_INSTANCE = 25


@pytest.fixture(scope="module")
def second_instance(
    database_url: str,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """`twofold serve` on a loopback port, on the suite's database; yields its base URL."""
    env = {**server_environment(database_url, messagebird, mailbox), "ALLOWED_ORIGINS": ORIGIN}
    with serve(env, tmp_path_factory.mktemp("second-instance")) as process:
        yield process.base


@pytest.fixture
async def remote(second_instance: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=second_instance, timeout=30) as http:
        yield http


def wrong_codes(right: str, count: int) -> list[str]:
    codes = (f"{(n * 7919 + 13) % 10**6:06d}" for n in range(count * 2))
    return [c for c in codes if c != right][:count]


async def pending_on_both(
    new_http: HttpFactory, remote: httpx.AsyncClient, email: str
) -> tuple[GraphQLClient, GraphQLClient]:
    """One pending sign-in, driven through this process (`here`) and the other (`there`)."""
    anonymous = GraphQLClient(new_http())
    variables = {"input": {"email": email, "password": PASSWORD, "client": "NATIVE"}}
    token = (await anonymous.execute(doc.LOG_IN_NATIVE, variables))["logIn"]["pendingToken"]
    assert token
    return GraphQLClient(anonymous.http, bearer=token), GraphQLClient(remote, bearer=token)


async def code_sent(here: GraphQLClient) -> None:
    await here.execute(doc.START_MFA_SETUP)
    await here.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})
    sent = await here.execute(
        doc.SEND_SMS_CODE, {"input": {"countryCode": "+1", "phoneNumber": "201 555 0123"}}
    )
    assert sent["sendSmsCode"]["__typename"] == "SmsCodeSent", sent


async def both_guess(here: GraphQLClient, there: GraphQLClient, codes: list[str]) -> list:
    """Half the codes through each instance, all at once."""
    half = len(codes) // 2
    return await asyncio.gather(
        *(here.post(doc.VERIFY_SMS_CODE, {"input": {"code": c}}) for c in codes[:half]),
        *(there.post(doc.VERIFY_SMS_CODE, {"input": {"code": c}}) for c in codes[half:]),
    )


async def test_fifty_guesses_split_over_two_instances_get_five_evaluations(
    new_http: HttpFactory,
    remote: httpx.AsyncClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
) -> None:
    # given
    user = await make_user(EMAIL)
    here, there = await pending_on_both(new_http, remote, EMAIL)
    await code_sent(here)
    right = messagebird.last_code(PHONE)

    # when
    responses = await both_guess(here, there, wrong_codes(right, 2 * PER_INSTANCE))

    # then
    answers = Counter(outcome(r, "verifySmsCode") for r in responses)
    assert set(answers) <= {"InvalidCodeError", "TooManyAttemptsError"}, answers
    assert answers["InvalidCodeError"] <= 4
    assert await evaluated_guesses(user.id) == 5
    for instance in (here, there):
        late = await instance.execute(doc.VERIFY_SMS_CODE, {"input": {"code": right}})
        assert late["verifySmsCode"]["__typename"] == "TooManyAttemptsError"


async def test_one_code_sent_to_both_instances_works_once(
    new_http: HttpFactory,
    remote: httpx.AsyncClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
) -> None:
    # given
    await make_user(EMAIL)
    here, there = await pending_on_both(new_http, remote, EMAIL)
    await code_sent(here)
    right = messagebird.last_code(PHONE)

    # when
    responses = await both_guess(here, there, [right] * 20)

    # then
    answers = Counter(outcome(r, "verifySmsCode") for r in responses)
    assert answers["RecoveryCodeIssued"] == 1, answers
    assert sum(answers.values()) == 20


async def test_ten_failures_over_two_instances_end_the_sign_in_on_both(
    new_http: HttpFactory,
    remote: httpx.AsyncClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given: a burst against the first code, then a resend
    user = await make_user(EMAIL)
    here, there = await pending_on_both(new_http, remote, EMAIL)
    await code_sent(here)
    await both_guess(here, there, wrong_codes(messagebird.last_code(PHONE), 2 * PER_INSTANCE))
    clock.advance(timedelta(seconds=30))
    resent = await here.execute(doc.RESEND_SMS_CODE)
    assert resent["resendSmsCode"]["__typename"] == "SmsCodeSent"
    right = messagebird.last_code(PHONE)

    # when
    await both_guess(here, there, wrong_codes(right, 2 * PER_INSTANCE))

    # then
    assert await evaluated_guesses(user.id) == 10
    for instance in (here, there):
        late = await instance.post(doc.VERIFY_SMS_CODE, {"input": {"code": right}})
        assert outcome(late, "verifySmsCode") == "UNAUTHENTICATED"


async def test_texts_to_one_number_from_both_instances_stop_at_five(
    new_http: HttpFactory,
    remote: httpx.AsyncClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
) -> None:
    # given: ten accounts at the phone-number screen, each driven through one instance
    flows = []
    for n in range(10):
        email = f"pump{n}@example.com"
        await make_user(email)
        here, there = await pending_on_both(new_http, remote, email)
        await here.execute(doc.START_MFA_SETUP)
        await here.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})
        flows.append(here if n % 2 else there)
    number = {"input": {"countryCode": "+1", "phoneNumber": "201 555 0123"}}

    # when
    responses = await asyncio.gather(*(f.post(doc.SEND_SMS_CODE, number) for f in flows))

    # then
    answers = Counter(outcome(r, "sendSmsCode") for r in responses)
    assert answers == {"SmsCodeSent": 5, "RateLimitedError": 5}
    assert messagebird.requests == 5
