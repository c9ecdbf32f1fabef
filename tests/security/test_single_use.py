"""Replaying a code: one right code, submitted many times at once, succeeds exactly once, and a
code works only in the flow that asked for it (63B 3.1.3; ASVS 6.5)."""

from __future__ import annotations

import asyncio
from collections import Counter

from models.audit_event import AuditEvent
from models.enums import SessionKind
from models.session import AuthSession
from models.user import User
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.constants import PHONE
from tests.support.flows import app_code, enroll_with_app, enroll_with_sms, native_pending
from tests.support.graphql import GraphQLClient, outcome
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "replayed.payee@example.com"
PARALLEL = 20


async def full_sessions(user: User) -> int:
    return await AuthSession.filter(user_id=user.id, kind=SessionKind.FULL).count()


async def passed_second_factors(user: User) -> int:
    return await AuditEvent.filter(
        subject_id=user.id, event__startswith="second_factor", outcome="passed"
    ).count()


async def test_one_sms_enrollment_code_submitted_twenty_times_at_once_works_once(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    user = await make_user(EMAIL)
    client = await native_pending(new_http, EMAIL)
    await client.execute(doc.START_MFA_SETUP)
    await client.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})
    await client.execute(
        doc.SEND_SMS_CODE, {"input": {"countryCode": "+1", "phoneNumber": "201 555 0123"}}
    )
    code = messagebird.last_code(PHONE)

    # when
    responses = await asyncio.gather(
        *(client.post(doc.VERIFY_SMS_CODE, {"input": {"code": code}}) for _ in range(PARALLEL))
    )

    # then: one recovery code was shown, and it is the one that works later
    answers = Counter(outcome(r, "verifySmsCode") for r in responses)
    assert answers["RecoveryCodeIssued"] == 1, answers
    assert sum(answers.values()) == PARALLEL
    assert not set(answers) & {"UNAUTHENTICATED", "INTERNAL_SERVER_ERROR"}
    assert await passed_second_factors(user) == 1
    shown = next(
        r.json()["data"]["verifySmsCode"]["recoveryCode"]
        for r in responses
        if outcome(r, "verifySmsCode") == "RecoveryCodeIssued"
    )
    done = await client.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)
    assert done["confirmRecoveryCodeSaved"]["__typename"] == "LoggedIn"
    later = await native_pending(new_http, EMAIL)
    recovered = await later.execute(
        doc.LOG_IN_WITH_RECOVERY_CODE, {"input": {"recoveryCode": shown}}
    )
    assert recovered["logInWithRecoveryCode"]["__typename"] == "RecoveryCodeIssued"


async def test_one_sms_login_code_submitted_twenty_times_at_once_signs_in_once(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    user = await make_user(EMAIL)
    async with new_http() as http:
        await enroll_with_sms(GraphQLClient(http), messagebird, EMAIL)
    client = await native_pending(new_http, EMAIL)
    assert (await client.execute(doc.SEND_LOGIN_CODE))["sendLoginCode"]["__typename"] == (
        "SmsCodeSent"
    )
    code = messagebird.last_code(PHONE)
    before = await full_sessions(user)

    # when
    responses = await asyncio.gather(
        *(client.post(doc.VERIFY_LOGIN_CODE, {"input": {"code": code}}) for _ in range(PARALLEL))
    )

    # then
    answers = Counter(outcome(r, "verifyLoginCode") for r in responses)
    assert answers["LoggedIn"] == 1, answers
    assert sum(answers.values()) == PARALLEL
    assert await full_sessions(user) == before + 1
    token = next(
        r.json()["data"]["verifyLoginCode"]["sessionToken"]
        for r in responses
        if outcome(r, "verifyLoginCode") == "LoggedIn"
    )
    async with new_http() as http:
        viewer = await GraphQLClient(http, bearer=token).execute(doc.VIEWER_EMAIL)
    assert viewer["viewer"] == {"email": EMAIL}


async def test_one_app_login_code_submitted_twenty_times_at_once_signs_in_once(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    user = await make_user(EMAIL)
    async with new_http() as http:
        secret, _ = await enroll_with_app(GraphQLClient(http), EMAIL, clock)
    client = await native_pending(new_http, EMAIL)
    code = app_code(secret, clock.now())
    before = await full_sessions(user)

    # when
    responses = await asyncio.gather(
        *(
            client.post(
                doc.VERIFY_LOGIN_CODE, {"input": {"code": code, "method": "AUTHENTICATOR_APP"}}
            )
            for _ in range(PARALLEL)
        )
    )

    # then
    answers = Counter(outcome(r, "verifyLoginCode") for r in responses)
    assert answers["LoggedIn"] == 1, answers
    assert sum(answers.values()) == PARALLEL
    assert await full_sessions(user) == before + 1


async def test_one_recovery_code_submitted_twenty_times_at_once_works_once(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn, mailbox: Mailbox
) -> None:
    # given
    await make_user(EMAIL)
    async with new_http() as http:
        recovery_code = await enroll_with_sms(GraphQLClient(http), messagebird, EMAIL)
    client = await native_pending(new_http, EMAIL)
    emails_before = len(mailbox.to(EMAIL))

    # when
    responses = await asyncio.gather(
        *(
            client.post(doc.LOG_IN_WITH_RECOVERY_CODE, {"input": {"recoveryCode": recovery_code}})
            for _ in range(PARALLEL)
        )
    )

    # then: one new code, one "recovery code used" email, and the old code is dead
    answers = Counter(outcome(r, "logInWithRecoveryCode") for r in responses)
    assert answers["RecoveryCodeIssued"] == 1, answers
    assert sum(answers.values()) == PARALLEL
    assert len(mailbox.to(EMAIL)) == emails_before + 1
    again = await native_pending(new_http, EMAIL)
    refused = await again.execute(
        doc.LOG_IN_WITH_RECOVERY_CODE, {"input": {"recoveryCode": recovery_code}}
    )
    assert refused["logInWithRecoveryCode"]["__typename"] == "InvalidCodeError"


async def test_a_code_texted_for_one_sign_in_fails_in_another(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given: two pending sign-ins of one user; only the first asked for a code
    user = await make_user(EMAIL)
    async with new_http() as http:
        await enroll_with_sms(GraphQLClient(http), messagebird, EMAIL)
    first = await native_pending(new_http, EMAIL)
    second = await native_pending(new_http, EMAIL)
    await first.execute(doc.SEND_LOGIN_CODE)
    first_code = messagebird.last_code(PHONE)
    await second.execute(doc.SEND_LOGIN_CODE)
    before = await full_sessions(user)

    # when
    crossed = (await second.execute(doc.VERIFY_LOGIN_CODE, {"input": {"code": first_code}}))[
        "verifyLoginCode"
    ]

    # then
    assert crossed["__typename"] == "InvalidCodeError"
    assert await full_sessions(user) == before
