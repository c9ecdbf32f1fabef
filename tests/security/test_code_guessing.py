"""Guessing one-time codes: parallel requests, aliases in one document and resends never buy
more than 5 evaluated guesses per code, or 10 per pending sign-in (63B 3.2.2).

"Evaluated" is counted from the audit trail, which records every judged wrong code; the
answers alone cannot show it, because refusals and judged failures share a union member.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from models.enums import SessionKind
from models.session import AuthSession
from models.user import User
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.constants import PHONE
from tests.support.flows import (
    app_code,
    enroll_with_app,
    enroll_with_sms,
    native_pending,
    reach_app_scan,
)
from tests.support.graphql import GraphQLClient, outcome
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.records import evaluated_guesses
from tests.support.users import MakeUser

EMAIL = "guessed.payee@example.com"
PARALLEL = 50
CODE_LIMIT = 5
SIGN_IN_LIMIT = 10

SELECTION = """{
  __typename
  ... on InvalidCodeError { code attemptsRemaining }
  ... on TooManyAttemptsError { code signInEnded }
  ... on WrongStepError { code currentStep }
}"""

VERIFY_SMS = (
    f"mutation V($input: VerifySmsCodeInput!) {{ verifySmsCode(input: $input) {SELECTION} }}"
)
VERIFY_APP = (
    "mutation V($input: VerifyAuthenticatorCodeInput!) "
    f"{{ verifyAuthenticatorCode(input: $input) {SELECTION} }}"
)
VERIFY_LOGIN = (
    f"mutation V($input: VerifyLoginCodeInput!) {{ verifyLoginCode(input: $input) {SELECTION} }}"
)
RECOVER = (
    "mutation R($input: LogInWithRecoveryCodeInput!) "
    f"{{ logInWithRecoveryCode(input: $input) {SELECTION} }}"
)


@dataclass
class Target:
    """One code-taking mutation, primed with a live code and a supply of wrong ones."""

    client: GraphQLClient
    field: str
    document: str
    right: str
    wrong: list[str]
    method: str | None = None

    def variables(self, code: str) -> dict:
        entered: dict[str, str] = {"code": code}
        if self.method:
            entered["method"] = self.method
        return {"input": entered}

    def aliased(self, codes: list[str]) -> str:
        """One document submitting every code, each under its own alias."""
        method = f", method: {self.method}" if self.method else ""
        fields = " ".join(
            f'a{n}: {self.field}(input: {{code: "{code}"{method}}}) {SELECTION}'
            for n, code in enumerate(codes)
        )
        return f"mutation {{ {fields} }}"


def distinct_wrong_codes(avoid: set[str], count: int) -> list[str]:
    """`count` different well-formed codes, none of them in `avoid`."""
    codes = (f"{(n * 7919 + 13) % 10**6:06d}" for n in range(count * 2))
    return [c for c in codes if c not in avoid][:count]


def app_window(secret: str, at: datetime) -> set[str]:
    return {app_code(secret, at, steps) for steps in (-1, 0, 1)}


async def sms_enrollment(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn, _: ManualClock
) -> Target:
    await make_user(EMAIL)
    client = await native_pending(new_http, EMAIL)
    await client.execute(doc.START_MFA_SETUP)
    await client.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})
    sent = await client.execute(
        doc.SEND_SMS_CODE, {"input": {"countryCode": "+1", "phoneNumber": "201 555 0123"}}
    )
    assert sent["sendSmsCode"]["__typename"] == "SmsCodeSent", sent
    right = messagebird.last_code(PHONE)
    return Target(client, "verifySmsCode", VERIFY_SMS, right, distinct_wrong_codes({right}, 60))


async def app_enrollment(
    new_http: HttpFactory, make_user: MakeUser, _: MessageBirdStandIn, clock: ManualClock
) -> Target:
    await make_user(EMAIL)
    client = GraphQLClient(new_http())
    secret = await reach_app_scan(client, EMAIL)
    right = app_code(secret, clock.now())
    wrong = distinct_wrong_codes(app_window(secret, clock.now()), 60)
    return Target(client, "verifyAuthenticatorCode", VERIFY_APP, right, wrong)


async def sms_sign_in(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn, _: ManualClock
) -> Target:
    await make_user(EMAIL)
    async with new_http() as http:
        await enroll_with_sms(GraphQLClient(http), messagebird, EMAIL)
    client = await native_pending(new_http, EMAIL)
    sent = await client.execute(doc.SEND_LOGIN_CODE)
    assert sent["sendLoginCode"]["__typename"] == "SmsCodeSent", sent
    right = messagebird.last_code(PHONE)
    wrong = distinct_wrong_codes({right}, 60)
    return Target(client, "verifyLoginCode", VERIFY_LOGIN, right, wrong, method="SMS")


async def app_sign_in(
    new_http: HttpFactory, make_user: MakeUser, _: MessageBirdStandIn, clock: ManualClock
) -> Target:
    await make_user(EMAIL)
    async with new_http() as http:
        secret, _recovery = await enroll_with_app(GraphQLClient(http), EMAIL, clock)
    client = await native_pending(new_http, EMAIL)
    right = app_code(secret, clock.now())
    wrong = distinct_wrong_codes(app_window(secret, clock.now()), 60)
    return Target(client, "verifyLoginCode", VERIFY_LOGIN, right, wrong, method="AUTHENTICATOR_APP")


TARGETS = [sms_enrollment, app_enrollment, sms_sign_in, app_sign_in]
TARGET_IDS = [
    "verifySmsCode",
    "verifyAuthenticatorCode",
    "verifyLoginCode-sms",
    "verifyLoginCode-app",
]
Setup = Callable[[HttpFactory, MakeUser, MessageBirdStandIn, ManualClock], Awaitable[Target]]


@pytest.mark.parametrize("setup", TARGETS, ids=TARGET_IDS)
async def test_fifty_parallel_wrong_codes_get_five_evaluations(
    setup: Setup,
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    target = await setup(new_http, make_user, messagebird, clock)
    user = await User.get(email=EMAIL)
    full_sessions = await AuthSession.filter(user_id=user.id, kind=SessionKind.FULL).count()

    # when
    responses = await asyncio.gather(
        *(
            target.client.post(target.document, target.variables(code))
            for code in target.wrong[:PARALLEL]
        )
    )

    # then: exactly five guesses were judged; every other request was refused unjudged
    answers = Counter(outcome(r, target.field) for r in responses)
    assert set(answers) <= {"InvalidCodeError", "TooManyAttemptsError"}, answers
    assert answers["InvalidCodeError"] <= CODE_LIMIT - 1
    assert await evaluated_guesses(user.id) == CODE_LIMIT
    right = (await target.client.execute(target.document, target.variables(target.right)))[
        target.field
    ]
    assert right["__typename"] == "TooManyAttemptsError"
    assert right["signInEnded"] is False
    assert await AuthSession.filter(user_id=user.id, kind=SessionKind.FULL).count() == (
        full_sessions
    )


@pytest.mark.parametrize("setup", TARGETS, ids=TARGET_IDS)
async def test_ten_aliases_in_one_document_get_five_evaluations(
    setup: Setup,
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given: nine wrong codes, and the right one last
    target = await setup(new_http, make_user, messagebird, clock)
    user = await User.get(email=EMAIL)
    codes = [*target.wrong[:9], target.right]

    # when
    data = await target.client.execute(target.aliased(codes))

    # then
    answers = [data[f"a{n}"] for n in range(10)]
    assert [a["__typename"] for a in answers] == ["InvalidCodeError"] * 4 + [
        "TooManyAttemptsError"
    ] * 6
    assert [a["attemptsRemaining"] for a in answers[:4]] == [4, 3, 2, 1]
    assert {a["signInEnded"] for a in answers[4:]} == {False}
    assert await evaluated_guesses(user.id) == CODE_LIMIT


async def resend(target: Target, clock: ManualClock) -> None:
    """Wait out the cooldown and have a new code texted."""
    clock.advance(timedelta(minutes=5))
    document = doc.RESEND_SMS_CODE if target.field == "verifySmsCode" else doc.SEND_LOGIN_CODE
    field = "resendSmsCode" if target.field == "verifySmsCode" else "sendLoginCode"
    sent = (await target.client.execute(document))[field]
    assert sent["__typename"] == "SmsCodeSent", sent


@pytest.mark.parametrize("setup", [sms_enrollment, sms_sign_in], ids=TARGET_IDS[::2])
async def test_ten_failures_across_resends_end_the_pending_sign_in(
    setup: Setup,
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given: the first code is spent on five wrong guesses, then a new one is sent
    target = await setup(new_http, make_user, messagebird, clock)
    user = await User.get(email=EMAIL)
    first = [
        await target.client.execute(target.document, target.variables(c)) for c in target.wrong[:5]
    ]
    assert [a[target.field]["__typename"] for a in first][-1] == "TooManyAttemptsError"
    await resend(target, clock)
    new_code = messagebird.last_code(PHONE)
    wrong = [c for c in target.wrong[5:] if c != new_code]

    # when: five more wrong guesses at the new code
    second = [
        (await target.client.execute(target.document, target.variables(c)))[target.field]
        for c in wrong[:5]
    ]

    # then: the resend reset the code's counter but not the sign-in's; the tenth ends it
    assert [a["__typename"] for a in second] == ["InvalidCodeError"] * 4 + ["TooManyAttemptsError"]
    assert [a["attemptsRemaining"] for a in second[:4]] == [4, 3, 2, 1]
    assert second[4]["signInEnded"] is True
    assert await evaluated_guesses(user.id) == SIGN_IN_LIMIT
    after = await target.client.post(target.document, target.variables(new_code))
    assert outcome(after, target.field) == "UNAUTHENTICATED"


async def test_parallel_bursts_across_a_resend_end_the_sign_in_after_ten(
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    target = await sms_sign_in(new_http, make_user, messagebird, clock)
    user = await User.get(email=EMAIL)

    # when: fifty parallel guesses at the first code, a resend, fifty more at the second
    first = await asyncio.gather(
        *(target.client.post(target.document, target.variables(c)) for c in target.wrong[:PARALLEL])
    )
    await resend(target, clock)
    new_code = messagebird.last_code(PHONE)
    burst = [c for c in target.wrong if c != new_code][:PARALLEL]
    second = await asyncio.gather(
        *(target.client.post(target.document, target.variables(c)) for c in burst)
    )

    # then
    assert set(Counter(outcome(r, target.field) for r in first)) <= {
        "InvalidCodeError",
        "TooManyAttemptsError",
    }
    ended = [
        r.json()["data"][target.field]
        for r in second
        if outcome(r, target.field) == "TooManyAttemptsError"
    ]
    assert any(a["signInEnded"] for a in ended)
    assert await evaluated_guesses(user.id) == SIGN_IN_LIMIT
    after = await target.client.post(target.document, target.variables(new_code))
    assert outcome(after, target.field) == "UNAUTHENTICATED"


async def test_fifty_parallel_wrong_recovery_codes_get_ten_evaluations(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given: recovery codes have no per-code counter, only the sign-in's limit of ten
    await make_user(EMAIL)
    async with new_http() as http:
        recovery_code = await enroll_with_sms(GraphQLClient(http), messagebird, EMAIL)
    user = await User.get(email=EMAIL)
    client = await native_pending(new_http, EMAIL)
    guesses = [f"AAAA-BBBB-CCCC-DDDD-EEEE-{n:04d}" for n in range(PARALLEL)]

    # when
    responses = await asyncio.gather(
        *(client.post(RECOVER, {"input": {"recoveryCode": g}}) for g in guesses)
    )

    # then
    answers = Counter(outcome(r, "logInWithRecoveryCode") for r in responses)
    assert set(answers) <= {"InvalidCodeError", "TooManyAttemptsError", "UNAUTHENTICATED"}
    assert answers["InvalidCodeError"] <= SIGN_IN_LIMIT - 1
    assert await evaluated_guesses(user.id) == SIGN_IN_LIMIT
    after = await client.post(RECOVER, {"input": {"recoveryCode": recovery_code}})
    assert outcome(after, "logInWithRecoveryCode") == "UNAUTHENTICATED"
