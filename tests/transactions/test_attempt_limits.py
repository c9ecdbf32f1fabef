"""Each approval allows five wrong answers and a session ten wrong transactional answers in a
row, however the guesses arrive: in parallel requests, as aliases in one document, or spread
over several approvals. Parallel right answers approve once and parallel redeems redeem once
(run on SQLite and PostgreSQL: TWOFOLD_TEST_DATABASE_URL)."""

from __future__ import annotations

import asyncio
from collections import Counter

from models.audit_event import AuditEvent
from models.session import AuthSession
from models.user import User
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.codes import other_code
from tests.support.graphql import GraphQLClient, outcome
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.transactions import PaymentsService, approve, texted_code

EMAIL = "payee@example.com"
PARALLEL = 50
APPROVAL_LIMIT = 5
SESSION_LIMIT = 10


async def judged_wrong(user_id: str) -> int:
    """Transactional answers judged wrong for the user (each one an audit event)."""
    return await AuditEvent.filter(
        subject_id=user_id, event="transaction", outcome="failed"
    ).count()


def answer(approval_id: str, code: str) -> dict:
    return {"input": {"approvalId": approval_id, "code": code, "method": "SMS"}}


async def session_is_live(user_id: str) -> bool:
    return await AuthSession.filter(user_id=user_id, revoked_at__isnull=True).exists()


async def test_fifty_parallel_wrong_codes_get_five_judgements(
    payments: PaymentsService, payer: tuple[GraphQLClient, str], messagebird: MessageBirdStandIn
) -> None:
    # given
    client, user_id = payer
    created = await payments.approval(user_id)
    code = await texted_code(client, messagebird, created["id"])

    # when
    responses = await asyncio.gather(
        *(
            client.post(doc.APPROVE_TRANSACTION, answer(created["id"], other_code(code, n)))
            for n in range(1, PARALLEL + 1)
        )
    )

    # then
    answers = Counter(outcome(r, "approveTransaction") for r in responses)
    assert set(answers) <= {"WrongTransactionCodeError", "TransactionAttemptsExhaustedError"}
    assert await judged_wrong(user_id) == APPROVAL_LIMIT
    late = await approve(client, created["id"], code)
    assert late["__typename"] == "TransactionAttemptsExhaustedError"
    assert await session_is_live(user_id)


async def test_ten_aliases_in_one_document_get_five_judgements(
    payments: PaymentsService, payer: tuple[GraphQLClient, str], messagebird: MessageBirdStandIn
) -> None:
    # given: nine wrong codes, and the right one last
    client, user_id = payer
    created = await payments.approval(user_id)
    code = await texted_code(client, messagebird, created["id"])
    codes = [*(other_code(code, n) for n in range(1, 10)), code]
    fields = " ".join(
        f'a{n}: approveTransaction(input: {{approvalId: "{created["id"]}", code: "{c}", '
        f"method: SMS}}) {{ __typename }}"
        for n, c in enumerate(codes)
    )

    # when
    data = await client.execute(f"mutation {{ {fields} }}")

    # then
    assert [data[f"a{n}"]["__typename"] for n in range(10)] == ["WrongTransactionCodeError"] * 4 + [
        "TransactionAttemptsExhaustedError"
    ] * 6
    assert await judged_wrong(user_id) == APPROVAL_LIMIT


async def test_ten_wrong_codes_in_a_row_end_the_session(
    payments: PaymentsService, payer: tuple[GraphQLClient, str], messagebird: MessageBirdStandIn
) -> None:
    # given: five wrong codes spent on one approval
    client, user_id = payer
    first = await payments.approval(user_id)
    code = await texted_code(client, messagebird, first["id"])
    for n in range(1, APPROVAL_LIMIT + 1):
        await approve(client, first["id"], other_code(code, n))
    second = await payments.approval(user_id)
    second_code = await texted_code(client, messagebird, second["id"])

    # when
    answers = [
        await approve(client, second["id"], other_code(second_code, n))
        for n in range(1, APPROVAL_LIMIT + 1)
    ]

    # then
    assert [a["__typename"] for a in answers[:4]] == ["WrongTransactionCodeError"] * 4
    assert answers[4]["__typename"] == "TransactionAttemptsExhaustedError"
    assert answers[4]["sessionEnded"] is True
    assert not await session_is_live(user_id)
    assert (await client.execute(doc.TRANSACTION_APPROVAL, {"id": second["id"]}))[
        "transactionApproval"
    ] is None


async def test_a_right_code_starts_the_count_of_wrong_ones_again(
    payments: PaymentsService, payer: tuple[GraphQLClient, str], messagebird: MessageBirdStandIn
) -> None:
    # given: nine wrong codes, then a right one
    client, user_id = payer
    first, second, third = [await payments.approval(user_id) for _ in range(3)]
    code = await texted_code(client, messagebird, first["id"])
    for n in range(1, APPROVAL_LIMIT + 1):
        await approve(client, first["id"], other_code(code, n))
    code = await texted_code(client, messagebird, second["id"])
    for n in range(1, APPROVAL_LIMIT):
        await approve(client, second["id"], other_code(code, n))
    assert (await approve(client, second["id"], code))["__typename"] == "TransactionApproved"
    code = await texted_code(client, messagebird, third["id"])

    # when
    answers = [
        await approve(client, third["id"], other_code(code, n))
        for n in range(1, APPROVAL_LIMIT + 1)
    ]

    # then
    assert answers[4]["sessionEnded"] is False
    assert await session_is_live(user_id)


async def test_parallel_wrong_codes_across_approvals_end_the_session_after_ten(
    payments: PaymentsService, payer: tuple[GraphQLClient, str], messagebird: MessageBirdStandIn
) -> None:
    # given: three approvals, fifteen wrong answers allowed between them
    client, user_id = payer
    approvals = [await payments.approval(user_id) for _ in range(3)]
    codes = [await texted_code(client, messagebird, a["id"]) for a in approvals]

    # when
    responses = await asyncio.gather(
        *(
            client.post(
                doc.APPROVE_TRANSACTION,
                answer(approvals[n % 3]["id"], other_code(codes[n % 3], n + 1)),
            )
            for n in range(PARALLEL)
        )
    )

    # then
    answers = Counter(outcome(r, "approveTransaction") for r in responses)
    assert await judged_wrong(user_id) == SESSION_LIMIT
    assert not await session_is_live(user_id)
    assert "TransactionApproved" not in answers


async def test_parallel_right_codes_approve_once(
    payments: PaymentsService, payer: tuple[GraphQLClient, str], messagebird: MessageBirdStandIn
) -> None:
    # given
    client, user_id = payer
    created = await payments.approval(user_id)
    code = await texted_code(client, messagebird, created["id"])

    # when
    responses = await asyncio.gather(
        *(client.post(doc.APPROVE_TRANSACTION, answer(created["id"], code)) for _ in range(10))
    )

    # then
    answers = Counter(outcome(r, "approveTransaction") for r in responses)
    assert answers["TransactionApproved"] == 1
    approved_events = await AuditEvent.filter(
        subject_id=user_id, event="transaction", outcome="approved"
    ).count()
    assert approved_events == 1


async def test_parallel_redeems_of_one_approval_redeem_it_once(
    payments: PaymentsService,
    payer: tuple[GraphQLClient, str],
    messagebird: MessageBirdStandIn,
    new_http: HttpFactory,
) -> None:
    # given
    client, user_id = payer
    created = await payments.approval(user_id)
    await approve(client, created["id"], await texted_code(client, messagebird, created["id"]))
    services = [PaymentsService(new_http(), ("", "")) for _ in range(20)]
    for service in services:
        service.authorization = payments.authorization

    # when
    answers = await asyncio.gather(
        *(s.redeem(created["id"], created["payloadHash"]) for s in services)
    )

    # then
    kinds = Counter(a["__typename"] for a in answers)
    assert kinds == {"TransactionApprovalRedeemed": 1, "TransactionAlreadyRedeemedError": 19}
    redeemed = await AuditEvent.filter(
        subject_id=(await User.get(email=EMAIL)).id, event="transaction", outcome="redeemed"
    ).count()
    assert redeemed == 1
