"""A password change (changePassword) or reset (the emailed link, then the second factor)
starts a 24-hour cooling-off hold: disbursements and bank-account changes wait."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.account_links import token_of, wait_for_link
from tests.support.clients import HttpFactory
from tests.support.constants import PASSWORD, PHONE
from tests.support.graphql import GraphQLClient
from tests.support.holds import ACTIONS, hold_audit, holds_of
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.transactions import PaymentsService, signed_in_payer

EMAIL = "payee@example.com"
NEW_PASSWORD = "violet kettle under moonlight"
DAY = timedelta(hours=24)


async def create(payments: PaymentsService, user_id: str, action: str) -> dict[str, Any]:
    variables = {"input": {"userId": user_id, **ACTIONS[action]}}
    answer = await payments.post(doc.CREATE_HELD_APPROVAL, variables)
    return dict(answer["createTransactionApproval"])


def parsed(at: str) -> datetime:
    return datetime.fromisoformat(at.replace("Z", "+00:00"))


async def test_a_password_change_holds_payouts_for_a_day(
    payments: PaymentsService,
    new_http: HttpFactory,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    mailbox: Mailbox,
) -> None:
    # given
    client, user_id = await signed_in_payer(new_http(), messagebird, EMAIL)
    changed_at = clock.now()

    # when
    variables = {"input": {"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}}
    changed = (await client.execute(doc.CHANGE_PASSWORD, variables))["changePassword"]
    held = await create(payments, user_id, "DISBURSEMENT")
    agreement = await create(payments, user_id, "AGREEMENT_SIGNATURE")

    # then
    assert changed["__typename"] == "PasswordChanged"
    assert (held["reason"], parsed(held["until"])) == ("PASSWORD_CHANGE", changed_at + DAY)
    assert agreement["__typename"] == "TransactionApprovalCreated"
    assert [h["reason"] for h in await holds_of(client)] == ["PASSWORD_CHANGE"]
    assert "paused until" in mailbox.to(EMAIL)[-1].get_content()
    assert await hold_audit("started") == 1


async def test_a_password_reset_holds_payouts_once_the_factor_is_proven(
    payments: PaymentsService,
    new_http: HttpFactory,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
) -> None:
    # given
    _, user_id = await signed_in_payer(new_http(), messagebird, EMAIL)
    browser = GraphQLClient(new_http())
    await browser.execute(doc.REQUEST_PASSWORD_RESET, {"input": {"email": EMAIL}})
    token = token_of(await wait_for_link(mailbox, EMAIL, "/reset-password"))
    variables = {"input": {"token": token, "newPassword": NEW_PASSWORD}}
    started = (await browser.execute(doc.RESET_PASSWORD, variables))["resetPassword"]
    before = await create(payments, user_id, "DISBURSEMENT")

    # when: the texted code proves the factor, and the new password takes effect
    await browser.execute(doc.SEND_LOGIN_CODE)
    proven = await browser.execute(
        doc.VERIFY_LOGIN_CODE, {"input": {"code": messagebird.last_code(PHONE)}}
    )
    held = await create(payments, user_id, "BANK_ACCOUNT_CHANGE")

    # then: no hold before the reset took effect, one after
    assert started["__typename"] == "MfaChallengeRequired"
    assert before["__typename"] == "TransactionApprovalCreated"
    assert proven["verifyLoginCode"]["__typename"] == "LoggedIn"
    assert held["reason"] == "PASSWORD_RESET"
    assert [h["reason"] for h in await holds_of(browser)] == ["PASSWORD_RESET"]
