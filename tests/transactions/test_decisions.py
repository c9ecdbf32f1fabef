"""An approval's lifetime and its decisions: it expires after TRANSACTION_APPROVAL_SECONDS
(the clock provider moves), a decline or an approval is for good, and wrong codes count down."""

from __future__ import annotations

from datetime import timedelta

from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.codes import other_code
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.transactions import (
    PaymentsService,
    approve,
    send_code,
    status_of,
    texted_code,
)

EMAIL = "payee@example.com"
LIFETIME = timedelta(seconds=300)


async def test_an_approval_expires_after_its_lifetime(
    payments: PaymentsService,
    payer: tuple[GraphQLClient, str],
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    client, user_id = payer
    created = await payments.approval(user_id)
    code = await texted_code(client, messagebird, created["id"])
    clock.advance(LIFETIME)

    # when
    late = await approve(client, created["id"], code)
    redeemed = await payments.redeem(created["id"], created["payloadHash"])
    resent = await send_code(client, created["id"])

    # then
    assert late["code"] == "TRANSACTION_APPROVAL_EXPIRED"
    assert redeemed["code"] == "TRANSACTION_APPROVAL_EXPIRED"
    assert resent["code"] == "TRANSACTION_APPROVAL_EXPIRED"
    assert await status_of(client, created["id"]) == "EXPIRED"


async def test_an_approval_answered_just_in_time_works(
    payments: PaymentsService,
    payer: tuple[GraphQLClient, str],
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    client, user_id = payer
    created = await payments.approval(user_id)
    code = await texted_code(client, messagebird, created["id"])
    clock.advance(LIFETIME - timedelta(seconds=1))

    # when
    approved = await approve(client, created["id"], code)

    # then
    assert approved["__typename"] == "TransactionApproved"


async def test_an_approved_approval_not_redeemed_in_a_lifetime_expires(
    payments: PaymentsService,
    payer: tuple[GraphQLClient, str],
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    client, user_id = payer
    created = await payments.approval(user_id)
    await approve(client, created["id"], await texted_code(client, messagebird, created["id"]))
    clock.advance(LIFETIME)

    # when
    redeemed = await payments.redeem(created["id"], created["payloadHash"])

    # then
    assert redeemed["code"] == "TRANSACTION_APPROVAL_EXPIRED"


async def test_a_declined_approval_is_never_approved_nor_redeemed(
    payments: PaymentsService, payer: tuple[GraphQLClient, str], messagebird: MessageBirdStandIn
) -> None:
    # given
    client, user_id = payer
    created = await payments.approval(user_id)
    code = await texted_code(client, messagebird, created["id"])
    declined = await client.execute(
        doc.DECLINE_TRANSACTION, {"input": {"approvalId": created["id"]}}
    )

    # when
    approved = await approve(client, created["id"], code)
    redeemed = await payments.redeem(created["id"], created["payloadHash"])
    declined_again = await client.execute(
        doc.DECLINE_TRANSACTION, {"input": {"approvalId": created["id"]}}
    )

    # then
    assert declined["declineTransaction"]["approval"]["status"] == "DECLINED"
    assert approved["code"] == "TRANSACTION_DECLINED"
    assert redeemed["code"] == "TRANSACTION_DECLINED"
    assert declined_again["declineTransaction"]["code"] == "TRANSACTION_DECLINED"


async def test_an_approved_approval_is_decided_for_good(
    payments: PaymentsService, payer: tuple[GraphQLClient, str], messagebird: MessageBirdStandIn
) -> None:
    # given
    client, user_id = payer
    created = await payments.approval(user_id)
    code = await texted_code(client, messagebird, created["id"])
    await approve(client, created["id"], code)

    # when
    again = await approve(client, created["id"], code)
    declined = await client.execute(
        doc.DECLINE_TRANSACTION, {"input": {"approvalId": created["id"]}}
    )

    # then
    assert again["code"] == "TRANSACTION_ALREADY_DECIDED"
    assert declined["declineTransaction"]["code"] == "TRANSACTION_ALREADY_DECIDED"


async def test_a_wrong_code_counts_down_the_attempts(
    payments: PaymentsService, payer: tuple[GraphQLClient, str], messagebird: MessageBirdStandIn
) -> None:
    # given
    client, user_id = payer
    created = await payments.approval(user_id)
    code = await texted_code(client, messagebird, created["id"])

    # when
    answers = [await approve(client, created["id"], other_code(code, n)) for n in range(1, 6)]
    right_too_late = await approve(client, created["id"], code)

    # then
    assert [a.get("attemptsRemaining") for a in answers[:4]] == [4, 3, 2, 1]
    assert answers[4]["__typename"] == "TransactionAttemptsExhaustedError"
    assert answers[4]["sessionEnded"] is False
    assert right_too_late["__typename"] == "TransactionAttemptsExhaustedError"
