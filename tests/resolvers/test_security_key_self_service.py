"""Security keys in self-service: adding one after reauthenticating, naming, listing, renaming
and removing it, never the last usable factor of a payments user."""

from __future__ import annotations

from datetime import timedelta

from models.enums import MfaMethod, PayRole
from models.security_key import SecurityKey
from models.user import User
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.authenticator import SoftwareAuthenticator
from tests.support.constants import PASSWORD
from tests.support.flows import enroll_with_security_key
from tests.support.graphql import GraphQLClient
from tests.support.users import MakeUser

EMAIL = "payor@example.com"
PAST_THE_WINDOW = timedelta(minutes=16)

REGISTER = """
mutation Register($input: RegisterSecurityKeyInput!) { registerSecurityKey(input: $input) {
  __typename
  ... on SecurityKeyAdded { securityKey { id name } user { mfa { methods } } }
  ... on UserError { code }
} }
"""

REMOVE_MFA_METHOD = """
mutation Remove($input: MfaMethodInput!) { removeMfaMethod(input: $input) {
  __typename
  ... on UserError { code }
} }
"""

KEYS = "{ viewer { securityKeys { id name createdAt lastUsedAt backupEligible backedUp } } }"

RENAME = """
mutation Rename($input: RenameSecurityKeyInput!) { renameSecurityKey(input: $input) {
  __typename
  ... on SecurityKeyRenamed { securityKey { id name } }
  ... on UserError { code }
} }
"""

REMOVE = """
mutation Remove($input: SecurityKeyInput!) { removeSecurityKey(input: $input) {
  __typename
  ... on SecurityKeyRemoved { user { mfa { methods preferredMethod } } }
  ... on UserError { code }
} }
"""


async def signed_in_with_a_key(
    client: GraphQLClient, make_user: MakeUser, role: PayRole = PayRole.PAYOR
) -> SoftwareAuthenticator:
    """A user just enrolled with a key: signed in, with a recent second factor."""
    await make_user(EMAIL, role)
    key = SoftwareAuthenticator()
    await enroll_with_security_key(client, EMAIL, key)
    return key


async def add_second_key(client: GraphQLClient, name: str = "Spare") -> dict:
    chosen = (await client.execute(doc.ADD_SECURITY_KEY))["addSecurityKey"]
    assert chosen["__typename"] == "SecurityKeyMethodChosen", chosen
    credential = SoftwareAuthenticator().create(chosen["creationOptions"])
    variables = {"input": {"credential": credential, "name": name}}
    return (await client.execute(REGISTER, variables))["registerSecurityKey"]


async def keys(client: GraphQLClient) -> list[dict]:
    return list((await client.execute(KEYS))["viewer"]["securityKeys"])


async def remove(client: GraphQLClient, key_id: str) -> dict:
    return (await client.execute(REMOVE, {"input": {"id": key_id}}))["removeSecurityKey"]


async def test_a_signed_in_user_adds_a_named_key_that_counts_at_once(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await signed_in_with_a_key(browser, make_user)

    # when
    added = await add_second_key(browser, "Spare in the drawer")

    # then
    assert added["__typename"] == "SecurityKeyAdded"
    assert added["securityKey"]["name"] == "Spare in the drawer"
    listed = await keys(browser)
    assert [k["name"] for k in listed] == ["Blue", "Spare in the drawer"]
    assert all(k["createdAt"] and k["backupEligible"] is False for k in listed)


async def test_adding_a_key_needs_a_recent_second_factor(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await signed_in_with_a_key(browser, make_user)
    clock.advance(PAST_THE_WINDOW)

    # when
    refused = (await browser.execute(doc.ADD_SECURITY_KEY))["addSecurityKey"]

    # then
    assert refused["code"] == "REAUTHENTICATION_REQUIRED"


async def test_a_user_without_a_factor_may_add_a_key(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given: a user outside payments, who needs no second factor
    await make_user(EMAIL, PayRole.NONE)
    signed = await browser.execute(doc.LOG_IN, {"input": {"email": EMAIL, "password": PASSWORD}})
    assert signed["logIn"]["__typename"] == "LoggedIn"

    # when
    added = await add_second_key(browser)

    # then
    assert added["__typename"] == "SecurityKeyAdded"
    assert added["user"]["mfa"]["methods"] == ["SECURITY_KEY"]


async def test_a_key_is_renamed(browser: GraphQLClient, make_user: MakeUser) -> None:
    # given
    await signed_in_with_a_key(browser, make_user)
    [key] = await keys(browser)

    # when
    renamed = (await browser.execute(RENAME, {"input": {"id": key["id"], "name": "Keyring"}}))[
        "renameSecurityKey"
    ]

    # then
    assert renamed["securityKey"] == {"id": key["id"], "name": "Keyring"}


async def test_renaming_an_unknown_key_is_refused(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await signed_in_with_a_key(browser, make_user)

    # when
    answers = [
        (await browser.execute(RENAME, {"input": {"id": key_id, "name": "x"}}))["renameSecurityKey"]
        for key_id in ("not-a-uuid", "5b0f1f5e-8a43-4b8e-9d38-0c3f4b2a6d11")
    ]

    # then
    assert [a["code"] for a in answers] == ["SECURITY_KEY_NOT_FOUND"] * 2


async def test_one_of_two_keys_is_removed(browser: GraphQLClient, make_user: MakeUser) -> None:
    # given
    await signed_in_with_a_key(browser, make_user)
    await add_second_key(browser)
    first, _ = await keys(browser)

    # when
    removed = await remove(browser, first["id"])

    # then
    assert removed["__typename"] == "SecurityKeyRemoved"
    assert removed["user"]["mfa"]["methods"] == ["SECURITY_KEY"]
    assert [k["name"] for k in await keys(browser)] == ["Spare"]


async def test_the_last_key_of_a_payor_stays(browser: GraphQLClient, make_user: MakeUser) -> None:
    # given
    await signed_in_with_a_key(browser, make_user)
    [key] = await keys(browser)

    # when
    refused = await remove(browser, key["id"])

    # then
    assert refused["code"] == "LAST_FACTOR"
    assert await SecurityKey.exists(user__email=EMAIL)


async def test_removing_the_last_key_of_a_user_with_another_factor_drops_the_kind(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: a payor holding a key and the app
    await signed_in_with_a_key(browser, make_user)
    await User.filter(email=EMAIL).update(totp_secret_sealed="sealed", totp_added_at=clock.now())
    [key] = await keys(browser)

    # when
    removed = await remove(browser, key["id"])

    # then
    assert removed["user"]["mfa"] == {
        "methods": ["AUTHENTICATOR_APP"],
        "preferredMethod": "AUTHENTICATOR_APP",
    }
    user = await User.get(email=EMAIL)
    assert MfaMethod.SECURITY_KEY not in user.mfa_methods
    assert user.preferred_method is None


async def test_removing_a_key_needs_a_recent_second_factor(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await signed_in_with_a_key(browser, make_user)
    await add_second_key(browser)
    first, _ = await keys(browser)
    clock.advance(PAST_THE_WINDOW)

    # when
    refused = await remove(browser, first["id"])

    # then
    assert refused["code"] == "REAUTHENTICATION_REQUIRED"
    assert len(await keys(browser)) == 2


async def test_removing_the_security_key_factor_removes_every_key(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: a payee holding keys and the app
    await signed_in_with_a_key(browser, make_user, PayRole.PAYEE)
    await add_second_key(browser)
    await User.filter(email=EMAIL).update(totp_secret_sealed="sealed", totp_added_at=clock.now())

    # when
    removed = (await browser.execute(REMOVE_MFA_METHOD, {"input": {"method": "SECURITY_KEY"}}))[
        "removeMfaMethod"
    ]

    # then
    assert removed["__typename"] == "MfaMethodRemoved"
    assert not await SecurityKey.exists(user__email=EMAIL)
