"""Approving with an authenticator app (its time step is spent for good) or a security key whose
challenge carries the approval's payload hash; each decision leaves an audit row and a metric."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest

from domain import metrics
from models.audit_event import AuditEvent
from models.enums import PayRole
from models.user import User
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.authenticator import SoftwareAuthenticator
from tests.support.clients import HttpFactory
from tests.support.flows import app_code, enroll_with_app, enroll_with_security_key
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.transactions import PaymentsService, approve, send_code, signed_in_payer
from tests.support.users import cheap_user

EMAIL = "payor@example.com"


async def user_id() -> str:
    return str((await User.get(email=EMAIL)).id)


async def key_options(client: GraphQLClient, approval_id: str) -> str:
    variables = {"input": {"approvalId": approval_id}}
    started = (await client.execute(doc.START_TRANSACTION_KEY_CHALLENGE, variables))[
        "startTransactionKeyChallenge"
    ]
    assert started["__typename"] == "TransactionKeyChallengeStarted", started
    return str(started["requestOptions"])


def challenge_of(options: str) -> bytes:
    text = json.loads(options)["challenge"]
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.fixture
async def app_user(new_http: HttpFactory, clock: ManualClock) -> tuple[GraphQLClient, str]:
    await cheap_user(EMAIL, PayRole.PAYOR)
    client = GraphQLClient(new_http())
    secret, _ = await enroll_with_app(client, EMAIL, clock)
    return client, secret


@pytest.fixture
async def key_user(new_http: HttpFactory) -> tuple[GraphQLClient, SoftwareAuthenticator]:
    await cheap_user(EMAIL, PayRole.PAYOR)
    client, key = GraphQLClient(new_http()), SoftwareAuthenticator()
    await enroll_with_security_key(client, EMAIL, key)
    return client, key


async def test_an_app_code_approves_and_its_time_step_never_approves_again(
    payments: PaymentsService, app_user: tuple[GraphQLClient, str], clock: ManualClock
) -> None:
    # given
    client, secret = app_user
    first = await payments.approval(await user_id())
    second = await payments.approval(await user_id())
    code = app_code(secret, clock.now())

    # when
    approved = await approve(client, first["id"], code, "AUTHENTICATOR_APP")
    replayed = await approve(client, second["id"], code, "AUTHENTICATOR_APP")
    clock.advance(timedelta(seconds=30))
    next_step = await approve(
        client, second["id"], app_code(secret, clock.now()), "AUTHENTICATOR_APP"
    )

    # then
    assert approved["__typename"] == "TransactionApproved"
    assert approved["approval"]["methods"] == ["AUTHENTICATOR_APP"]
    assert replayed["__typename"] == "WrongTransactionCodeError"
    assert next_step["__typename"] == "TransactionApproved"
    redeemed = await payments.redeem(first["id"], first["payloadHash"])
    assert (redeemed["method"], redeemed["amr"]) == ("AUTHENTICATOR_APP", ["otp", "mfa"])


async def test_a_method_the_user_does_not_hold_is_refused(
    payments: PaymentsService, app_user: tuple[GraphQLClient, str]
) -> None:
    # given
    client, _ = app_user
    created = await payments.approval(await user_id())

    # when
    texted = await send_code(client, created["id"])
    by_sms = await approve(client, created["id"], "123456", "SMS")

    # then
    assert texted["code"] == by_sms["code"] == "METHOD_NOT_ALLOWED"


async def test_a_security_key_signs_a_challenge_carrying_the_payload_hash(
    payments: PaymentsService, key_user: tuple[GraphQLClient, SoftwareAuthenticator]
) -> None:
    # given
    client, key = key_user
    created = await payments.approval(await user_id())
    options = await key_options(client, created["id"])

    # when
    approved = await approve(client, created["id"], key.get(options), "SECURITY_KEY")

    # then
    assert challenge_of(options)[:32] == bytes.fromhex(created["payloadHash"])
    assert approved["__typename"] == "TransactionApproved"
    redeemed = await payments.redeem(created["id"], created["payloadHash"])
    assert (redeemed["method"], redeemed["amr"]) == ("SECURITY_KEY", ["hwk", "mfa"])


async def test_a_key_signature_for_another_approval_does_not_approve(
    payments: PaymentsService, key_user: tuple[GraphQLClient, SoftwareAuthenticator]
) -> None:
    # given: both approvals have a challenge open; the key signs the first one's
    client, key = key_user
    first = await payments.approval(await user_id())
    second = await payments.approval(await user_id())
    signed_first = key.get(await key_options(client, first["id"]))
    await key_options(client, second["id"])

    # when
    crossed = await approve(client, second["id"], signed_first, "SECURITY_KEY")

    # then
    assert crossed["__typename"] == "WrongTransactionCodeError"
    assert (await approve(client, first["id"], signed_first, "SECURITY_KEY"))["__typename"] == (
        "TransactionApproved"
    )


async def test_a_key_answer_without_a_challenge_or_replayed_does_not_approve(
    payments: PaymentsService, key_user: tuple[GraphQLClient, SoftwareAuthenticator]
) -> None:
    # given
    client, key = key_user
    created = await payments.approval(await user_id())
    options = await key_options(client, created["id"])
    old_answer = key.get(options)
    await key_options(client, created["id"])  # a new challenge replaces the first

    # when
    stale = await approve(client, created["id"], old_answer, "SECURITY_KEY")
    other = await payments.approval(await user_id())
    unchallenged = await approve(client, other["id"], old_answer, "SECURITY_KEY")

    # then
    assert stale["__typename"] == "WrongTransactionCodeError"
    assert unchallenged["code"] == "CODE_EXPIRED"


async def test_each_decision_is_audited_and_counted(
    payments: PaymentsService, new_http: HttpFactory, messagebird: MessageBirdStandIn
) -> None:
    # given
    client, owner = await signed_in_payer(new_http(), messagebird, "payee@example.com")

    def counted(outcome: str) -> float:
        labels = {"action": "disbursement", "outcome": outcome}
        return metrics.REGISTRY.get_sample_value("twofold_transaction_approvals_total", labels) or 0

    def verified() -> float:
        labels = {"country": "US", "method": "sms"}
        return metrics.REGISTRY.get_sample_value("twofold_codes_verified_total", labels) or 0

    before = {o: counted(o) for o in ("requested", "approved", "declined", "failed")}
    verified_before = verified()
    approved, declined = await payments.approval(owner), await payments.approval(owner)

    # when
    await send_code(client, approved["id"])
    code = messagebird.last_code("+12015550123")
    await approve(client, approved["id"], f"{(int(code) + 1) % 10**6:06d}")
    await approve(client, approved["id"], code)
    await client.execute(doc.DECLINE_TRANSACTION, {"input": {"approvalId": declined["id"]}})

    # then
    outcomes = await AuditEvent.filter(subject_id=owner, event="transaction").values_list(
        "outcome", flat=True
    )
    assert sorted(outcomes) == ["approved", "declined", "failed", "requested", "requested"]
    assert counted("requested") - before["requested"] == 2
    assert counted("approved") - before["approved"] == 1
    assert counted("declined") - before["declined"] == 1
    assert counted("failed") - before["failed"] == 1
    assert verified() - verified_before == 1
