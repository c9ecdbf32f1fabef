"""Introspection after each way a session ends: sign-out, sign-out everywhere, an MFA reset,
idle and absolute expiry. A token still within its five minutes answers inactive at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from starlette.applications import Starlette

from domain.settings import Settings
from models.company import Company
from models.enums import PayRole
from models.user import User
from providers.clock import ManualClock
from providers.registry import Providers
from tests.support import documents as doc
from tests.support.access_tokens import (
    is_active,
    issued_token,
    service_credential,
    with_audiences,
)
from tests.support.apps import running_app
from tests.support.authenticator import SoftwareAuthenticator
from tests.support.clients import HttpFactory
from tests.support.flows import enroll_with_security_key, log_in
from tests.support.graphql import GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser, cheap_user

EMAIL = "user@example.com"
RESET = """
mutation Reset($input: ResetUserMfaInput!) { resetUserMfa(input: $input) { __typename } }
"""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return with_audiences(settings)


@pytest.fixture
async def signed_in(browser: GraphQLClient) -> GraphQLClient:
    """A user who needs no second factor, signed in on a browser."""
    await cheap_user(EMAIL)
    assert (await log_in(browser, EMAIL))["__typename"] == "LoggedIn"
    return browser


@pytest.fixture
async def credential(settings: Settings, providers: Providers, app: Starlette) -> tuple[str, str]:
    return await service_credential(settings, providers)


# Every way a session ends: its tokens become inactive at once.


async def test_signing_out_ends_the_token(
    signed_in: GraphQLClient, credential: tuple[str, str]
) -> None:
    # given
    token = await issued_token(signed_in)

    # when
    await signed_in.execute(doc.LOG_OUT)

    # then
    assert not await is_active(signed_in.http, token, credential)


async def test_signing_out_everywhere_ends_the_other_sessions_tokens(
    new_http: HttpFactory, credential: tuple[str, str]
) -> None:
    # given: the user is signed in on a laptop and a phone
    await cheap_user(EMAIL)
    laptop, phone = GraphQLClient(new_http()), GraphQLClient(new_http())
    await log_in(laptop, EMAIL)
    await log_in(phone, EMAIL)
    phones_token, laptops_token = await issued_token(phone), await issued_token(laptop)

    # when
    await laptop.execute(doc.LOG_OUT_EVERYWHERE)

    # then
    assert not await is_active(laptop.http, phones_token, credential)
    assert await is_active(laptop.http, laptops_token, credential)


async def test_an_mfa_reset_ends_the_users_tokens(
    new_http: HttpFactory, make_user: MakeUser, credential: tuple[str, str]
) -> None:
    # given: a company user signed in, and their admin just signed in with a security key
    company = await Company.create(name="Acme")
    user = await cheap_user(EMAIL)
    admin_user = await make_user("admin@example.com", PayRole.PAYOR)
    await User.filter(id=user.id).update(company_id=company.id)
    await User.filter(id=admin_user.id).update(company_id=company.id, is_company_admin=True)
    client, admin = GraphQLClient(new_http()), GraphQLClient(new_http())
    await log_in(client, EMAIL)
    await enroll_with_security_key(admin, "admin@example.com", SoftwareAuthenticator())
    token = await issued_token(client)

    # when
    variables = {"input": {"email": EMAIL, "verifiedUserRequest": True}}
    reset = await admin.execute(RESET, variables)

    # then
    assert reset["resetUserMfa"]["__typename"] == "UserMfaReset"
    assert not await is_active(client.http, token, credential)


async def test_an_idle_session_ends_its_token(
    settings: Settings,
    providers: Providers,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    clock: ManualClock,
) -> None:
    # given: sessions end after two idle minutes, tokens live five
    async with running_app(
        settings, providers, messagebird, mailbox, session_idle_minutes=2
    ) as make:
        browser = GraphQLClient(make())
        await cheap_user(EMAIL)
        await log_in(browser, EMAIL)
        token = await issued_token(browser)
        credential = await service_credential(settings, providers)
        assert await is_active(browser.http, token, credential)

        # when
        clock.advance(timedelta(minutes=2))

        # then
        assert not await is_active(browser.http, token, credential)


async def test_a_session_past_its_lifetime_ends_its_token(
    settings: Settings,
    providers: Providers,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    clock: ManualClock,
) -> None:
    # given: a session in use for almost its twelve hours gets a token
    async with running_app(
        settings, providers, messagebird, mailbox, session_idle_minutes=24 * 60
    ) as make:
        browser = GraphQLClient(make())
        await cheap_user(EMAIL)
        await log_in(browser, EMAIL)
        clock.advance(timedelta(hours=12) - timedelta(minutes=2))
        token = await issued_token(browser)
        credential = await service_credential(settings, providers)
        assert await is_active(browser.http, token, credential)

        # when
        clock.advance(timedelta(minutes=3))

        # then: the token has two minutes left, its session none
        assert not await is_active(browser.http, token, credential)
