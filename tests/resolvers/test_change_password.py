"""changePassword: signed in, within the step-up window and with the current password; other
sessions end and the owner is told."""

from __future__ import annotations

from datetime import timedelta

from models.enums import PayRole
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.account_links import wait_for_subject
from tests.support.clients import HttpFactory
from tests.support.constants import PASSWORD
from tests.support.flows import enroll_with_app, sign_in_with_app
from tests.support.graphql import GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.users import MakeUser, cheap_user

EMAIL = "payor@example.com"
NEW_PASSWORD = "violet kettle under moonlight"


def change(current: str = PASSWORD, new: str = NEW_PASSWORD) -> dict:
    return {"input": {"currentPassword": current, "newPassword": new}}


async def test_a_signed_in_user_changes_the_password_and_other_sessions_end(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given: signed in on two devices, the second one just now
    await make_user(EMAIL, PayRole.PAYOR)
    other = GraphQLClient(new_http())
    secret, _ = await enroll_with_app(other, EMAIL, clock)
    browser = GraphQLClient(new_http())
    await sign_in_with_app(browser, EMAIL, secret, clock)

    # when
    changed = await browser.execute(doc.CHANGE_PASSWORD, change())

    # then
    assert changed["changePassword"] == {"__typename": "PasswordChanged", "user": {"email": EMAIL}}
    assert (await browser.execute(doc.VIEWER_EMAIL))["viewer"] == {"email": EMAIL}
    assert (await other.execute(doc.VIEWER_EMAIL))["viewer"] is None
    await wait_for_subject(mailbox, EMAIL, "Your password was changed")
    async with new_http() as http:
        old = await GraphQLClient(http).execute(
            doc.LOG_IN, {"input": {"email": EMAIL, "password": PASSWORD}}
        )
    assert old["logIn"]["__typename"] == "InvalidCredentialsError"


async def test_the_change_needs_a_recent_second_factor(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYOR)
    await enroll_with_app(browser, EMAIL, clock)
    clock.advance(timedelta(minutes=16))

    # when
    refused = await browser.execute(doc.CHANGE_PASSWORD, change())

    # then
    assert refused["changePassword"]["__typename"] == "ReauthenticationRequiredError"
    assert refused["changePassword"]["methods"] == ["AUTHENTICATOR_APP"]


async def test_a_wrong_current_password_or_a_weak_new_one_changes_nothing(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYOR)
    await enroll_with_app(browser, EMAIL, clock)

    # when
    wrong = await browser.execute(doc.CHANGE_PASSWORD, change(current="not my password"))
    weak = await browser.execute(doc.CHANGE_PASSWORD, change(new="qwertyuiop"))
    right = await browser.execute(doc.CHANGE_PASSWORD, change())

    # then
    assert wrong["changePassword"]["code"] == "INVALID_CREDENTIALS"
    assert weak["changePassword"]["reason"] == "COMMON"
    assert right["changePassword"]["__typename"] == "PasswordChanged"


async def test_a_user_without_a_factor_needs_only_the_current_password(
    browser: GraphQLClient,
) -> None:
    # given
    await cheap_user("plain@example.com")
    await browser.execute(
        doc.LOG_IN, {"input": {"email": "plain@example.com", "password": PASSWORD}}
    )

    # when
    short = await browser.execute(doc.CHANGE_PASSWORD, change(new="fourteen chars"))
    changed = await browser.execute(doc.CHANGE_PASSWORD, change())

    # then
    assert (short["changePassword"]["reason"], short["changePassword"]["minLength"]) == (
        "TOO_SHORT",
        15,
    )
    assert changed["changePassword"]["__typename"] == "PasswordChanged"


async def test_check_password_shows_the_rules_while_typing(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: anonymous first, then signed in as a payor
    anonymous = await browser.execute(doc.CHECK_PASSWORD, {"input": {"password": "short"}})
    await make_user(EMAIL, PayRole.PAYOR)
    await enroll_with_app(browser, EMAIL, clock)

    # when
    typed = {"input": {"password": "payor and friends"}}
    named = await browser.execute(doc.CHECK_PASSWORD, typed)
    good = await browser.execute(doc.CHECK_PASSWORD, {"input": {"password": NEW_PASSWORD}})

    # then
    assert anonymous["checkPassword"] == {
        "__typename": "PasswordCheck",
        "acceptable": False,
        "reason": "TOO_SHORT",
        "minLength": 15,
        "maxLength": 128,
    }
    assert named["checkPassword"]["reason"] == "CONTAINS_EMAIL"
    assert good["checkPassword"]["acceptable"] is True
    assert good["checkPassword"]["minLength"] == 8
