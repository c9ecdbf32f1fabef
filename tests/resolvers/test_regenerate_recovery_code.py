"""regenerateRecoveryCode: a new recovery code at once (the old one dies), then
confirmRecoveryCodeSaved closes the 'Save Your Recovery Code' screen."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from tortoise import connections

from models.outbox import OutboxMessage
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.constants import PASSWORD, PHONE
from tests.support.flows import enroll_with_sms
from tests.support.graphql import GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "payee@example.com"
PAST_THE_WINDOW = timedelta(minutes=16)
RECOVERY_CODE = re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){5}$")

CONFIRM_RECOVERY_CODE_SAVED = """
mutation Confirm($input: ConfirmRecoveryCodeSavedInput!) { confirmRecoveryCodeSaved(input: $input) {
  __typename
  ... on RecoveryCodeSaved { user { email mfa { methods recoveryCodeCreatedAt } } }
  ... on LoggedIn { user { email } }
  ... on WrongStepError { code currentStep }
  ... on UserError { code }
} }
"""

VIEWER = "{ viewer { email mfa { methods recoveryCodeCreatedAt } } }"


def saved(value: bool) -> dict:
    return {"input": {"saved": value}}


async def regenerate(client: GraphQLClient) -> dict:
    return (await client.execute(doc.REGENERATE_RECOVERY_CODE))["regenerateRecoveryCode"]


async def confirm_saved(client: GraphQLClient, value: bool) -> dict:
    data = await client.execute(CONFIRM_RECOVERY_CODE_SAVED, saved(value))
    return data["confirmRecoveryCodeSaved"]


async def recovery_code_created_at(client: GraphQLClient) -> datetime:
    viewer = (await client.execute(VIEWER))["viewer"]
    return datetime.fromisoformat(viewer["mfa"]["recoveryCodeCreatedAt"])


async def sign_in_with_recovery_code(client: GraphQLClient, code: str) -> dict:
    """Start a fresh sign-in and answer its challenge with a recovery code."""
    await client.execute(doc.LOG_OUT)
    challenge = await client.execute(doc.LOG_IN, {"input": {"email": EMAIL, "password": PASSWORD}})
    assert challenge["logIn"]["__typename"] == "MfaChallengeRequired"
    data = await client.execute(doc.LOG_IN_WITH_RECOVERY_CODE, {"input": {"recoveryCode": code}})
    return data["logInWithRecoveryCode"]


async def sms_payee(
    client: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> str:
    """A payee just signed in after enrolling with SMS; returns the recovery code shown."""
    await make_user(EMAIL)
    return await enroll_with_sms(client, messagebird, EMAIL)


def regeneration_messages(mailbox: Mailbox) -> list[str]:
    """Bodies of the emails to the account that tell of a new recovery code."""
    return mailbox.bodies_mentioning(EMAIL, "new recovery code")


# Within 15 minutes of the second factor


async def test_regenerate_shows_a_new_code(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    old_code = await sms_payee(browser, make_user, messagebird)

    # when
    result = await regenerate(browser)

    # then
    assert result["__typename"] == "RecoveryCodeIssued"
    assert RECOVERY_CODE.match(result["recoveryCode"])
    assert result["recoveryCode"] != old_code


async def test_the_old_code_dies_at_once_and_the_new_one_works(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    old_code = await sms_payee(browser, make_user, messagebird)
    new_code = (await regenerate(browser))["recoveryCode"]

    # when
    with_old = await sign_in_with_recovery_code(browser, old_code)
    with_new = (
        await browser.execute(doc.LOG_IN_WITH_RECOVERY_CODE, {"input": {"recoveryCode": new_code}})
    )["logInWithRecoveryCode"]

    # then
    assert with_old["__typename"] == "InvalidCodeError"
    assert with_old["code"] == "INVALID_CODE"
    assert with_new["__typename"] == "RecoveryCodeIssued"


async def test_confirming_the_new_code_saved_closes_the_screen(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    clock.advance(timedelta(minutes=1))
    await regenerate(browser)

    # when
    result = await confirm_saved(browser, True)

    # then
    assert result["__typename"] == "RecoveryCodeSaved"
    assert result["user"]["email"] == EMAIL
    assert datetime.fromisoformat(result["user"]["mfa"]["recoveryCodeCreatedAt"]) == clock.now()
    assert (await browser.execute(VIEWER))["viewer"]["email"] == EMAIL
    again = await confirm_saved(browser, True)
    assert again["__typename"] == "WrongStepError"


async def test_not_confirming_the_new_code_saved_is_refused(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    await regenerate(browser)

    # when
    result = await confirm_saved(browser, False)

    # then
    assert result == {"__typename": "RecoveryCodeNotSavedError", "code": "RECOVERY_CODE_NOT_SAVED"}
    assert (await confirm_saved(browser, True))["__typename"] == "RecoveryCodeSaved"


async def test_the_account_email_hears_of_the_new_code(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    assert regeneration_messages(mailbox) == []

    # when
    new_code = (await regenerate(browser))["recoveryCode"]

    # then
    bodies = regeneration_messages(mailbox)
    assert len(bodies) == 1
    assert f"{clock.now():%Y-%m-%d}" in bodies[0]
    assert new_code not in bodies[0]


async def test_the_recovery_code_creation_time_moves(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    before = await recovery_code_created_at(browser)
    clock.advance(timedelta(minutes=5))

    # when
    await regenerate(browser)

    # then
    after = await recovery_code_created_at(browser)
    assert after == clock.now()
    assert after - before == timedelta(minutes=5)


# After 15 minutes


async def test_after_fifteen_minutes_regenerating_needs_reauthentication(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    mailbox: Mailbox,
) -> None:
    # given
    old_code = await sms_payee(browser, make_user, messagebird)
    before = await recovery_code_created_at(browser)
    clock.advance(PAST_THE_WINDOW)

    # when
    result = await regenerate(browser)

    # then
    assert result == {
        "__typename": "ReauthenticationRequiredError",
        "code": "REAUTHENTICATION_REQUIRED",
        "methods": ["SMS"],
    }
    assert await recovery_code_created_at(browser) == before
    assert regeneration_messages(mailbox) == []
    still_works = await sign_in_with_recovery_code(browser, old_code)
    assert still_works["__typename"] == "RecoveryCodeIssued"


async def test_after_reauthenticating_a_new_code_can_be_issued(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    old_code = await sms_payee(browser, make_user, messagebird)
    clock.advance(PAST_THE_WINDOW)
    await browser.execute("mutation { sendReauthenticationCode { __typename } }")
    reauthenticated = await browser.execute(
        doc.REAUTHENTICATE, {"input": {"code": messagebird.last_code(PHONE), "method": "SMS"}}
    )
    assert reauthenticated["reauthenticate"]["__typename"] == "Reauthenticated"

    # when
    result = await regenerate(browser)

    # then
    assert result["__typename"] == "RecoveryCodeIssued"
    assert result["recoveryCode"] != old_code
    assert await recovery_code_created_at(browser) == clock.now()


# Without a signed-in session


async def test_a_pending_sign_in_at_its_challenge_cannot_regenerate(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    await browser.execute(doc.LOG_OUT)
    await browser.execute(doc.LOG_IN, {"input": {"email": EMAIL, "password": PASSWORD}})

    # when
    result = (await browser.execute(doc.REGENERATE_RECOVERY_CODE))["regenerateRecoveryCode"]

    # then: only at 'Save Your Recovery Code' may a pending sign-in get a new code
    assert result["__typename"] == "WrongStepError"
    assert result["currentStep"] == "CHALLENGE"


async def test_no_session_cannot_regenerate(new_http: HttpFactory) -> None:
    # given
    async with new_http() as http:
        stranger = GraphQLClient(http)

        # when
        errors = await stranger.errors(doc.REGENERATE_RECOVERY_CODE)

    # then
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_change_whose_email_cannot_be_queued_does_not_happen(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given: a signed-in payee, and an outbox that cannot take a row (its table moved away)
    old_code = await sms_payee(browser, make_user, messagebird)
    created_before = await recovery_code_created_at(browser)
    outbox_rows = await OutboxMessage.all().count()
    connection = connections.get("default")
    await connection.execute_script("ALTER TABLE email_outbox RENAME TO email_outbox_away")
    try:
        # when
        response = await browser.post(doc.REGENERATE_RECOVERY_CODE)
    finally:
        await connection.execute_script("ALTER TABLE email_outbox_away RENAME TO email_outbox")

    # then: no code was issued, and the old one still stands, with no email about a change
    # that did not happen: the change and its email commit together
    assert response.json()["data"] is None or "recoveryCode" not in str(response.json()["data"])
    assert await recovery_code_created_at(browser) == created_before
    assert await OutboxMessage.all().count() == outbox_rows
    assert (await sign_in_with_recovery_code(browser, old_code))["__typename"] == (
        "RecoveryCodeIssued"
    )
