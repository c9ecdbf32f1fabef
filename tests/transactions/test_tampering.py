"""An approval approves exactly what it shows, for its own user, once, within its lifetime:
another amount or payee, another user's approval, another approval's code, a recovery code, a
recent step-up or a late answer never approve anything."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest

from models.enums import PayRole
from models.user import User
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.flows import enroll_with_sms
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.transactions import (
    PaymentsService,
    approve,
    send_code,
    signed_in_payer,
    status_of,
    texted_code,
)
from tests.support.users import cheap_user

EMAIL = "payee@example.com"
OTHER_EMAIL = "other@example.com"


def tampered_hash(payload: str, **changes: object) -> str:
    """The hash a payload would have with other values (as a tampering service would send)."""
    document = {**json.loads(payload), **changes}
    encoded = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


@pytest.mark.parametrize(
    "changes", [{"amount_minor": 9990000}, {"payee_name": "Mallory Ltd"}, {"currency": "EUR"}]
)
async def test_a_hash_of_another_amount_or_payee_redeems_nothing(
    payments: PaymentsService,
    payer: tuple[GraphQLClient, str],
    messagebird: MessageBirdStandIn,
    changes: dict,
) -> None:
    # given
    client, user_id = payer
    created = await payments.approval(user_id)
    await approve(client, created["id"], await texted_code(client, messagebird, created["id"]))

    # when
    tampered = await payments.redeem(created["id"], tampered_hash(created["payload"], **changes))

    # then
    assert tampered["__typename"] == "PayloadHashMismatchError"
    assert await status_of(client, created["id"]) == "APPROVED"
    honest = await payments.redeem(created["id"], created["payloadHash"])
    assert honest["__typename"] == "TransactionApprovalRedeemed"


async def test_two_approvals_differing_only_in_amount_have_different_hashes(
    payments: PaymentsService, payer: tuple[GraphQLClient, str]
) -> None:
    # given
    _, user_id = payer
    first = await payments.approval(user_id)

    # when
    second = await payments.approval(
        user_id, action="DISBURSEMENT", amountMinor=1240001, currency="USD",
        payeeName="Acme Drywall LLC", payeeReference="021000021-000123456789",
    )  # fmt: skip

    # then
    assert first["payloadHash"] != second["payloadHash"]
    redeemed = await payments.redeem(first["id"], second["payloadHash"])
    assert redeemed["__typename"] == "PayloadHashMismatchError"


async def test_another_users_approval_is_not_found_and_stays_pending(
    payments: PaymentsService,
    payer: tuple[GraphQLClient, str],
    new_http: HttpFactory,
    messagebird: MessageBirdStandIn,
) -> None:
    # given
    client, user_id = payer
    created = await payments.approval(user_id)
    stranger, _ = await signed_in_payer(new_http(), messagebird, OTHER_EMAIL)
    approval = {"input": {"approvalId": created["id"]}}

    # when
    seen = await stranger.execute(doc.TRANSACTION_APPROVAL, {"id": created["id"]})
    sent = await send_code(stranger, created["id"])
    approved = await approve(stranger, created["id"], "123456")
    declined = await stranger.execute(doc.DECLINE_TRANSACTION, approval)

    # then
    assert seen["transactionApproval"] is None
    assert sent["code"] == "TRANSACTION_APPROVAL_NOT_FOUND"
    assert approved["code"] == "TRANSACTION_APPROVAL_NOT_FOUND"
    assert declined["declineTransaction"]["code"] == "TRANSACTION_APPROVAL_NOT_FOUND"
    assert await status_of(client, created["id"]) == "PENDING"


async def test_an_unknown_id_answers_exactly_as_another_users(
    payer: tuple[GraphQLClient, str],
) -> None:
    # given
    client, _ = payer

    # when
    unknown = await approve(client, "00000000-0000-0000-0000-000000000000", "123456")
    not_an_id = await approve(client, "not-an-id", "123456")

    # then
    assert unknown["code"] == not_an_id["code"] == "TRANSACTION_APPROVAL_NOT_FOUND"


async def test_a_code_texted_for_another_approval_does_not_approve(
    payments: PaymentsService, payer: tuple[GraphQLClient, str], messagebird: MessageBirdStandIn
) -> None:
    # given
    client, user_id = payer
    first = await payments.approval(user_id)
    second = await payments.approval(user_id)
    await send_code(client, second["id"])  # the second has a code of its own
    code_for_first = await texted_code(client, messagebird, first["id"])

    # when
    crossed = await approve(client, second["id"], code_for_first)

    # then
    assert crossed["__typename"] == "WrongTransactionCodeError"
    assert await status_of(client, second["id"]) == "PENDING"
    assert (await approve(client, first["id"], code_for_first))["__typename"] == (
        "TransactionApproved"
    )


async def test_an_sms_code_does_not_approve_an_approval_created_after_it(
    payments: PaymentsService, payer: tuple[GraphQLClient, str], messagebird: MessageBirdStandIn
) -> None:
    # given
    client, user_id = payer
    first = await payments.approval(user_id)
    code = await texted_code(client, messagebird, first["id"])
    newer = await payments.approval(user_id)

    # when
    without_its_own = await approve(client, newer["id"], code)
    await send_code(client, newer["id"])
    with_its_own = await approve(client, newer["id"], code)

    # then
    assert without_its_own["code"] == "CODE_EXPIRED"  # nothing was texted for it yet
    assert with_its_own["__typename"] == "WrongTransactionCodeError"
    assert await status_of(client, newer["id"]) == "PENDING"


async def test_a_resent_code_replaces_the_earlier_one(
    payments: PaymentsService,
    payer: tuple[GraphQLClient, str],
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    client, user_id = payer
    created = await payments.approval(user_id)
    earlier = await texted_code(client, messagebird, created["id"])
    clock.advance(timedelta(seconds=31))
    later = await texted_code(client, messagebird, created["id"])

    # when
    old = await approve(client, created["id"], earlier) if earlier != later else None
    new = await approve(client, created["id"], later)

    # then
    assert old is None or old["__typename"] == "WrongTransactionCodeError"
    assert new["__typename"] == "TransactionApproved"


async def test_a_recovery_code_never_approves(
    payments: PaymentsService, new_http: HttpFactory, messagebird: MessageBirdStandIn
) -> None:
    # given
    await cheap_user(EMAIL, PayRole.PAYEE)
    client = GraphQLClient(new_http())
    recovery_code = await enroll_with_sms(client, messagebird, EMAIL)
    created = await payments.approval(str((await User.get(email=EMAIL)).id))
    await send_code(client, created["id"])

    # when
    as_sms = await approve(client, created["id"], recovery_code)
    as_method = await client.post(
        doc.APPROVE_TRANSACTION,
        {"input": {"approvalId": created["id"], "code": recovery_code, "method": "RECOVERY_CODE"}},
    )

    # then
    assert as_sms["__typename"] == "WrongTransactionCodeError"
    assert as_method.json()["errors"]  # no such method
    assert await status_of(client, created["id"]) == "PENDING"


async def test_a_recent_sign_in_or_step_up_never_stands_in_for_an_approval(
    payments: PaymentsService, payer: tuple[GraphQLClient, str]
) -> None:
    # given: the user proved their second factor a moment ago, signing in
    _, user_id = payer
    created = await payments.approval(user_id)

    # when
    redeemed = await payments.redeem(created["id"], created["payloadHash"])

    # then
    assert redeemed["__typename"] == "TransactionNotApprovedError"
