"""logIn: the password check, and the next screen it sends each kind of user and client to."""

from __future__ import annotations

import httpx
import pytest
from argon2 import PasswordHasher as Argon2Hasher

from models.enums import PayRole
from models.user import User
from providers.passwords import ARGON2_PARAMETERS
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.constants import PASSWORD
from tests.support.flows import enroll_with_sms
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

# The cookie name is part of the contract with browsers; `__Host-` pins it to this origin.
SESSION_COOKIE = "__Host-twofold-session"
PAYEE_EMAIL = "payee@example.com"


def log_in_input(email: str, password: str = PASSWORD, client: str = "BROWSER") -> dict:
    return {"input": {"email": email, "password": password, "client": client}}


def session_cookies(response: httpx.Response) -> list[dict[str, str]]:
    """Every Set-Cookie of the session cookie, as {lower-cased attribute: value}; "" is its value."""
    found = []
    for header in response.headers.get_list("set-cookie"):
        name_value, *attributes = (part.strip() for part in header.split(";"))
        name, _, value = name_value.partition("=")
        if name != SESSION_COOKIE:
            continue
        cookie = {"": value}
        for attribute in attributes:
            key, _, attribute_value = attribute.partition("=")
            cookie[key.lower()] = attribute_value
        found.append(cookie)
    return found


async def test_payee_without_mfa_must_set_up_mfa_and_the_browser_gets_a_hardened_cookie(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    # when
    response = await browser.post(doc.LOG_IN, log_in_input(PAYEE_EMAIL))
    # then
    assert response.status_code == 200
    result = response.json()["data"]["logIn"]
    assert result == {"__typename": "MfaSetupRequired", "pendingToken": None}
    cookies = session_cookies(response)
    assert len(cookies) == 1
    cookie = cookies[0]
    assert cookie[""]
    assert "httponly" in cookie
    assert "secure" in cookie
    assert cookie.get("samesite", "").lower() == "strict"
    assert cookie.get("path") == "/"
    assert "domain" not in cookie  # a `__Host-` cookie must not name a domain


async def test_the_browser_cookie_drives_enrollment(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await browser.execute(doc.LOG_IN, log_in_input(PAYEE_EMAIL))
    # when
    data = await browser.execute(doc.START_MFA_SETUP)
    # then
    assert data["startMfaSetup"]["__typename"] == "MfaMethodSelection"


async def test_native_client_gets_the_pending_token_in_the_payload_and_no_cookie(
    new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    async with new_http() as http:
        app = GraphQLClient(http)
        # when
        response = await app.post(doc.LOG_IN, log_in_input(PAYEE_EMAIL, client="NATIVE"))
        # then
        assert response.status_code == 200
        result = response.json()["data"]["logIn"]
        assert result["__typename"] == "MfaSetupRequired"
        token = result["pendingToken"]
        assert isinstance(token, str) and token
        assert response.headers.get_list("set-cookie") == []
        pending = GraphQLClient(http, bearer=token)
        assert (await pending.execute(doc.VIEWER))["viewer"] is None  # not signed in yet
        started = await pending.execute(doc.START_MFA_SETUP)
        assert started["startMfaSetup"]["__typename"] == "MfaMethodSelection"


async def test_user_without_a_pay_role_is_logged_in_at_once(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user("staff@example.com", PayRole.NONE)
    # when
    response = await browser.post(doc.LOG_IN, log_in_input("staff@example.com"))
    # then
    result = response.json()["data"]["logIn"]
    assert result["__typename"] == "LoggedIn"
    assert result["sessionToken"] is None
    assert result["user"]["email"] == "staff@example.com"
    assert result["user"]["payRole"] == "NONE"
    assert result["user"]["mfa"] == {"enrolled": False, "methods": [], "maskedPhoneNumber": None}
    assert len(session_cookies(response)) == 1
    viewer = await browser.execute(doc.VIEWER)
    assert viewer["viewer"]["email"] == "staff@example.com"


async def test_native_user_without_a_pay_role_gets_a_session_token_and_no_cookie(
    new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    await make_user("staff@example.com", PayRole.NONE)
    async with new_http() as http:
        # when
        response = await GraphQLClient(http).post(
            doc.LOG_IN, log_in_input("staff@example.com", client="NATIVE")
        )
        # then
        result = response.json()["data"]["logIn"]
        assert result["__typename"] == "LoggedIn"
        assert result["sessionToken"]
        assert response.headers.get_list("set-cookie") == []
        viewer = await GraphQLClient(http, bearer=result["sessionToken"]).execute(doc.VIEWER)
        assert viewer["viewer"]["email"] == "staff@example.com"


async def test_payor_without_mfa_must_set_up_mfa(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user("payor@example.com", PayRole.PAYOR)
    # when
    data = await browser.execute(doc.LOG_IN, log_in_input("payor@example.com"))
    # then
    assert data["logIn"] == {"__typename": "MfaSetupRequired", "pendingToken": None}


async def test_wrong_password_and_unknown_email_answer_identically(
    new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    async with new_http() as first, new_http() as second:
        # when
        wrong_password = await GraphQLClient(first).post(
            doc.LOG_IN, log_in_input(PAYEE_EMAIL, password="not the password")
        )
        unknown_email = await GraphQLClient(second).post(
            doc.LOG_IN, log_in_input("nobody@example.com")
        )
    # then
    assert wrong_password.status_code == unknown_email.status_code == 200
    assert wrong_password.json() == unknown_email.json()
    result = wrong_password.json()["data"]["logIn"]
    assert result["__typename"] == "InvalidCredentialsError"
    assert result["code"] == "INVALID_CREDENTIALS"
    assert wrong_password.headers.get_list("set-cookie") == []
    assert unknown_email.headers.get_list("set-cookie") == []


@pytest.mark.parametrize(
    "email",
    ["", "not-an-email", "x" * 300 + "@example.com"],
    ids=["empty", "no-at-sign", "over-254-characters"],
)
async def test_emails_that_cannot_be_accounts_are_invalid_credentials(
    browser: GraphQLClient, make_user: MakeUser, email: str
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    # when
    data = await browser.execute(doc.LOG_IN, log_in_input(email))
    # then
    assert data["logIn"]["__typename"] == "InvalidCredentialsError"
    assert data["logIn"]["code"] == "INVALID_CREDENTIALS"


@pytest.mark.parametrize(
    "typed",
    ["PAYEE@EXAMPLE.COM", "  Payee@Example.Com  ", "\tpayee@example.com\n"],
    ids=["upper-case", "mixed-case-padded", "tab-and-newline"],
)
async def test_email_is_matched_case_insensitively_and_trimmed(
    browser: GraphQLClient, make_user: MakeUser, typed: str
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    # when
    data = await browser.execute(doc.LOG_IN, log_in_input(typed))
    # then
    assert data["logIn"]["__typename"] == "MfaSetupRequired"


@pytest.mark.parametrize(
    ("stored", "typed", "expected"),
    [
        ("p" * 128, "p" * 128, "MfaSetupRequired"),
        ("p" * 129, "p" * 129, "InvalidCredentialsError"),
        ("p" * 128, "p" * 128 + "q", "InvalidCredentialsError"),
    ],
    ids=["128-is-allowed", "129-never-matches", "never-truncated-to-128"],
)
async def test_passwords_over_128_characters_never_match(
    browser: GraphQLClient, stored: str, typed: str, expected: str
) -> None:
    # given: an account whose stored hash is of `stored`, however it got there
    await User.create(
        email=PAYEE_EMAIL, password_hash=Argon2Hasher().hash(stored), pay_role=PayRole.PAYEE
    )
    # when
    data = await browser.execute(doc.LOG_IN, log_in_input(PAYEE_EMAIL, password=typed))
    # then
    assert data["logIn"]["__typename"] == expected


def older_hash(password: str) -> str:
    """A hash made with weaker argon2 parameters than today's defaults."""
    return Argon2Hasher(time_cost=1, memory_cost=8192, parallelism=1).hash(password)


async def test_a_hash_with_older_parameters_is_upgraded_at_the_next_successful_sign_in(
    browser: GraphQLClient,
) -> None:
    # given
    await User.create(email=PAYEE_EMAIL, password_hash=older_hash(PASSWORD), pay_role=PayRole.PAYEE)
    # when
    data = await browser.execute(doc.LOG_IN, log_in_input(PAYEE_EMAIL))
    # then
    assert data["logIn"]["__typename"] == "MfaSetupRequired"
    stored = (await User.get(email=PAYEE_EMAIL)).password_hash
    assert not Argon2Hasher(**ARGON2_PARAMETERS).check_needs_rehash(stored)
    assert Argon2Hasher().verify(stored, PASSWORD)
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


async def test_a_hash_with_four_lanes_is_rehashed_with_one_at_the_next_sign_in(
    browser: GraphQLClient,
) -> None:
    # given: a hash made with Twofold's earlier parameters (argon2-cffi's: 64 MiB, t=3, p=4)
    earlier = Argon2Hasher(time_cost=3, memory_cost=65536, parallelism=4).hash(PASSWORD)
    await User.create(email=PAYEE_EMAIL, password_hash=earlier, pay_role=PayRole.PAYEE)
    # when
    data = await browser.execute(doc.LOG_IN, log_in_input(PAYEE_EMAIL))
    # then: one lane per verify from now on
    assert data["logIn"]["__typename"] == "MfaSetupRequired"
    stored = (await User.get(email=PAYEE_EMAIL)).password_hash
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert Argon2Hasher().verify(stored, PASSWORD)


async def test_a_failed_sign_in_leaves_an_older_hash_alone(browser: GraphQLClient) -> None:
    # given
    original = older_hash(PASSWORD)
    await User.create(email=PAYEE_EMAIL, password_hash=original, pay_role=PayRole.PAYEE)
    # when
    data = await browser.execute(doc.LOG_IN, log_in_input(PAYEE_EMAIL, password="not the password"))
    # then
    assert data["logIn"]["__typename"] == "InvalidCredentialsError"
    assert (await User.get(email=PAYEE_EMAIL)).password_hash == original


async def test_enrolled_user_is_challenged_with_sms_and_a_masked_number(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await enroll_with_sms(browser, messagebird, PAYEE_EMAIL)
    await browser.execute(doc.LOG_OUT)
    texts_before = len(messagebird.messages)
    # when
    response = await browser.post(doc.LOG_IN, log_in_input(PAYEE_EMAIL))
    # then
    result = response.json()["data"]["logIn"]
    assert result == {
        "__typename": "MfaChallengeRequired",
        "pendingToken": None,
        "methods": ["SMS"],
        "preferredMethod": "SMS",
        "maskedPhoneNumber": "+*********23",
    }
    assert len(session_cookies(response)) == 1
    # The code is texted only when the client asks for it (sendLoginCode).
    assert len(messagebird.messages) == texts_before


async def test_enrolled_user_on_a_native_client_gets_the_pending_token(
    browser: GraphQLClient,
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await enroll_with_sms(browser, messagebird, PAYEE_EMAIL)
    async with new_http() as http:
        # when
        response = await GraphQLClient(http).post(
            doc.LOG_IN, log_in_input(PAYEE_EMAIL, client="NATIVE")
        )
        # then
        result = response.json()["data"]["logIn"]
        assert result["__typename"] == "MfaChallengeRequired"
        assert result["pendingToken"]
        assert result["methods"] == ["SMS"]
        assert response.headers.get_list("set-cookie") == []
