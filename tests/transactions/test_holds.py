"""Cooling-off holds: each risky change starts its hold, a hold refuses DISBURSEMENT and
BANK_ACCOUNT_CHANGE only, ends by the clock, and shows in the viewer, the access token and the
change's email."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.settings import Settings
from models.company import Company
from models.enums import PayRole
from models.user import User
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.access_tokens import (
    issued_token,
    key_set,
    verified,
    with_audiences,
)
from tests.support.clients import HttpFactory
from tests.support.flows import enroll_with_app, enroll_with_sms, log_in
from tests.support.graphql import GraphQLClient
from tests.support.holds import (
    ACTIONS,
    HELD,
    NEW_PHONE,
    NOT_HELD,
    add_app,
    change_phone,
    hold_audit,
    holds_of,
    remove_app,
)
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.transactions import PaymentsService, approve, send_code, signed_in_payer

EMAIL, ADMIN = "payee@example.com", "admin@example.com"
DAY, THREE_DAYS = timedelta(hours=24), timedelta(hours=72)
RESET_USER_MFA = """
mutation Reset($input: ResetUserMfaInput!) { resetUserMfa(input: $input) { __typename } }
"""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return with_audiences(settings)


async def create(payments: PaymentsService, user_id: str, action: str) -> dict[str, Any]:
    variables = {"input": {"userId": user_id, **ACTIONS[action]}}
    return dict(
        (await payments.post(doc.CREATE_HELD_APPROVAL, variables))["createTransactionApproval"]
    )


async def texted_code_to(
    client: GraphQLClient, messagebird: MessageBirdStandIn, approval_id: str
) -> str:
    sent = await send_code(client, approval_id)
    assert sent["__typename"] == "TransactionCodeSent", sent
    return messagebird.last_code(NEW_PHONE)


def parsed(at: str) -> datetime:
    return datetime.fromisoformat(at.replace("Z", "+00:00"))


async def test_a_first_enrollment_starts_no_hold(
    payments: PaymentsService, payer: tuple[GraphQLClient, str]
) -> None:
    # given
    client, user_id = payer

    # when
    created = await create(payments, user_id, "DISBURSEMENT")

    # then
    assert created["__typename"] == "TransactionApprovalCreated"
    assert await holds_of(client) == []


async def test_a_phone_change_holds_disbursements_and_bank_account_changes_only(
    payments: PaymentsService,
    payer: tuple[GraphQLClient, str],
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    new_http: HttpFactory,
) -> None:
    # given
    client, user_id = payer
    changed_at = clock.now()

    # when
    await change_phone(client, messagebird)
    answers = {action: await create(payments, user_id, action) for action in ACTIONS}

    # then: the two held actions answer ApprovalHeldError, the others are created
    for action in HELD:
        assert answers[action]["__typename"] == "ApprovalHeldError", answers[action]
        assert answers[action]["code"] == "APPROVAL_HELD"
        assert answers[action]["reason"] == "PHONE_CHANGE"
        assert parsed(answers[action]["until"]) == changed_at + DAY
    for action in NOT_HELD:
        assert answers[action]["__typename"] == "TransactionApprovalCreated", answers[action]
    # and signing in and the viewer still work
    assert (await log_in(GraphQLClient(new_http()), EMAIL))["__typename"] == "MfaChallengeRequired"
    assert [h["reason"] for h in await holds_of(client)] == ["PHONE_CHANGE"]
    assert await hold_audit("started") == 1


async def test_a_disbursement_asked_for_before_the_change_waits_too(
    payments: PaymentsService,
    payer: tuple[GraphQLClient, str],
    messagebird: MessageBirdStandIn,
) -> None:
    # given: a pending disbursement and agreement, then the phone changes
    client, user_id = payer
    disbursement = await payments.approval(user_id)
    agreement = await payments.approval(user_id, **ACTIONS["AGREEMENT_SIGNATURE"])
    await change_phone(client, messagebird)

    # when
    held = await approve(client, disbursement["id"], "123456")
    code = await texted_code_to(client, messagebird, agreement["id"])
    signed = await approve(client, agreement["id"], code)

    # then
    assert held["__typename"] == "ApprovalHeldError"
    assert held["code"] == "APPROVAL_HELD"
    assert signed["__typename"] == "TransactionApproved"


async def test_a_hold_ends_when_the_clock_passes_until(
    payments: PaymentsService,
    payer: tuple[GraphQLClient, str],
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    client, user_id = payer
    await change_phone(client, messagebird)
    clock.advance(DAY - timedelta(seconds=1))
    still = await create(payments, user_id, "DISBURSEMENT")

    # when
    clock.advance(timedelta(seconds=1))
    after = await create(payments, user_id, "DISBURSEMENT")

    # then
    assert still["__typename"] == "ApprovalHeldError"
    assert after["__typename"] == "TransactionApprovalCreated"
    assert await hold_audit("expired") == 1


async def test_factors_added_and_removed_each_hold_and_the_latest_until_wins(
    payments: PaymentsService,
    payer: tuple[GraphQLClient, str],
    clock: ManualClock,
) -> None:
    # given
    client, user_id = payer
    await add_app(client, clock)
    clock.advance(timedelta(minutes=10))

    # when
    await remove_app(client)
    held = await create(payments, user_id, "BANK_ACCOUNT_CHANGE")

    # then: both listed, the later first, and the refusal names the later
    holds = await holds_of(client)
    assert [h["reason"] for h in holds] == ["FACTOR_REMOVED", "FACTOR_ADDED"]
    assert held["reason"] == "FACTOR_REMOVED"
    assert held["until"] == holds[0]["until"]
    assert parsed(holds[0]["until"]) - parsed(holds[1]["until"]) >= timedelta(minutes=10)


async def test_a_recovery_code_sign_in_holds_for_three_days(
    payments: PaymentsService,
    new_http: HttpFactory,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    client, user_id = await signed_in_payer(new_http(), messagebird, EMAIL)
    code = (await client.execute(doc.REGENERATE_RECOVERY_CODE))["regenerateRecoveryCode"]
    await client.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)
    laptop = GraphQLClient(new_http())
    assert (await log_in(laptop, EMAIL))["__typename"] == "MfaChallengeRequired"

    # when
    used = await laptop.execute(
        doc.LOG_IN_WITH_RECOVERY_CODE, {"input": {"recoveryCode": code["recoveryCode"]}}
    )
    await laptop.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)
    held = await create(payments, user_id, "DISBURSEMENT")

    # then
    assert used["logInWithRecoveryCode"]["__typename"] == "RecoveryCodeIssued"
    assert held["reason"] == "RECOVERY_CODE_SIGN_IN"
    assert parsed(held["until"]) == clock.now() + THREE_DAYS
    clock.advance(THREE_DAYS)
    assert (await create(payments, user_id, "DISBURSEMENT"))["__typename"] == (
        "TransactionApprovalCreated"
    )


async def test_an_admin_mfa_reset_holds_for_three_days_after_enrolling_again(
    payments: PaymentsService,
    new_http: HttpFactory,
    make_user: Any,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given: a payee and an admin of one company
    company = await Company.create(name="Acme")
    await make_user(EMAIL, PayRole.PAYEE)
    await make_user(ADMIN, PayRole.PAYOR)
    await User.all().update(company_id=company.id)
    await User.filter(email=ADMIN).update(is_company_admin=True)
    await enroll_with_sms(GraphQLClient(new_http()), messagebird, EMAIL)
    admin = GraphQLClient(new_http())
    await enroll_with_app(admin, ADMIN, clock)
    reset_at = clock.now()

    # when: the admin resets, the payee enrolls again
    reset = await admin.execute(
        RESET_USER_MFA, {"input": {"email": EMAIL, "verifiedUserRequest": True}}
    )
    again = GraphQLClient(new_http())
    await enroll_with_sms(again, messagebird, EMAIL)
    user_id = str((await User.get(email=EMAIL)).id)
    held = await create(payments, user_id, "DISBURSEMENT")

    # then
    assert reset["resetUserMfa"]["__typename"] == "UserMfaReset"
    assert held["reason"] == "MFA_RESET"
    assert parsed(held["until"]) == reset_at + THREE_DAYS
    assert [h["reason"] for h in await holds_of(again)] == ["MFA_RESET"]
    agreement = await create(payments, user_id, "AGREEMENT_SIGNATURE")
    assert agreement["__typename"] == "TransactionApprovalCreated"


async def test_the_access_token_carries_holds_until_while_a_hold_runs(
    payer: tuple[GraphQLClient, str],
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    new_http: HttpFactory,
) -> None:
    # given
    client, _ = payer
    keys = await key_set(new_http())
    before = verified(await issued_token(client), keys, leeway=timedelta(days=1))
    changed_at = clock.now()

    # when
    await change_phone(client, messagebird)
    during = verified(await issued_token(client), keys, leeway=timedelta(days=1))

    # then
    assert "holds_until" not in before
    assert during["holds_until"] == int((changed_at + DAY).timestamp())


async def test_the_change_email_says_what_changed_until_when_and_what_to_do(
    payer: tuple[GraphQLClient, str],
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    mailbox: Mailbox,
) -> None:
    # given
    client, _ = payer
    until = (clock.now() + DAY).astimezone(UTC)

    # when
    await change_phone(client, messagebird)

    # then: the email as the SMTP server received it
    body = mailbox.to(EMAIL)[-1].get_content()
    assert "phone number for your verification codes was changed" in body
    assert f"paused until {until:%Y-%m-%d at %H:%M} UTC" in body
    assert "If this was not you" in body


@pytest.mark.parametrize("hours", [0])
async def test_a_hold_set_to_zero_hours_starts_nothing(
    payments: PaymentsService,
    new_http: HttpFactory,
    messagebird: MessageBirdStandIn,
    settings: Settings,
    hours: int,
) -> None:
    # given: HOLD_AFTER_PHONE_CHANGE_HOURS=0 (the settings object the app reads)
    object.__setattr__(settings, "hold_after_phone_change_hours", hours)
    client, user_id = await signed_in_payer(new_http(), messagebird, EMAIL)

    # when
    await change_phone(client, messagebird)

    # then
    assert (await create(payments, user_id, "DISBURSEMENT"))["__typename"] == (
        "TransactionApprovalCreated"
    )
    assert await hold_audit("started") == 0


HOLD_SETTINGS = {
    "HOLD_AFTER_MFA_RESET_HOURS": ("hold_after_mfa_reset_hours", 72),
    "HOLD_AFTER_RECOVERY_CODE_SIGN_IN_HOURS": ("hold_after_recovery_code_sign_in_hours", 72),
    "HOLD_AFTER_PHONE_CHANGE_HOURS": ("hold_after_phone_change_hours", 24),
    "HOLD_AFTER_FACTOR_CHANGE_HOURS": ("hold_after_factor_change_hours", 24),
    "HOLD_AFTER_PASSWORD_CHANGE_HOURS": ("hold_after_password_change_hours", 24),
}


@pytest.mark.parametrize("name", sorted(HOLD_SETTINGS))
def test_each_hold_setting_has_its_default_and_bounds(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    # given
    attribute, default = HOLD_SETTINGS[name]
    monkeypatch.delenv(name, raising=False)
    defaults = Settings.from_environment(env_file="/nonexistent")
    monkeypatch.setenv(name, "6")
    chosen = Settings.from_environment(env_file="/nonexistent")

    # when / then: more than 30 days is refused, as is a negative hold
    assert (getattr(defaults, attribute), getattr(chosen, attribute)) == (default, 6)
    for refused in ("721", "-1"):
        monkeypatch.setenv(name, refused)
        with pytest.raises(ValueError, match=name):
            Settings.from_environment(env_file="/nonexistent")
