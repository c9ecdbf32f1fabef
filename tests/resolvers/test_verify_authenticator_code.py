"""Enrolling an authenticator app: chooseMfaMethod(AUTHENTICATOR_APP), then verifyAuthenticatorCode."""

from __future__ import annotations

import asyncio
import base64
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from models import totp
from models.enums import PayRole
from models.flow import MfaFlow
from models.sealing import Sealed, unseal
from models.user import User
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.codes import wrong_app_code
from tests.support.constants import SECRET_KEY
from tests.support.flows import app_code, enroll_with_app, log_in, reach_app_scan
from tests.support.graphql import GraphQLClient, outcome
from tests.support.mailbox import Mailbox
from tests.support.users import MakeUser

EMAIL = "payee@example.com"
SECRET_SHOWN = re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{4}){7}$")
RECOVERY_CODE = re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){5}$")

ENROLLMENT = "{ mfaEnrollment { step method attemptsRemaining } }"

FIELDS_OF_EVERY_TYPE = """
{ __schema { types { name kind fields(includeDeprecated: true) { name } } } }
"""


def verify(code: str) -> dict:
    return {"input": {"code": code}}


async def submit(client: GraphQLClient, code: str) -> dict:
    data = await client.execute(doc.VERIFY_AUTHENTICATOR_CODE, verify(code))
    return data["verifyAuthenticatorCode"]


async def enrollment(client: GraphQLClient) -> dict:
    return (await client.execute(ENROLLMENT))["mfaEnrollment"]


async def choose_app(client: GraphQLClient, make_user: MakeUser) -> dict:
    """Sign in as a new payee and choose the app; returns the AuthenticatorAppMethodChosen."""
    await make_user(EMAIL)
    assert (await log_in(client, EMAIL))["__typename"] == "MfaSetupRequired"
    await client.execute(doc.START_MFA_SETUP)
    chosen = (await client.execute(doc.CHOOSE_AUTHENTICATOR_APP))["chooseMfaMethod"]
    assert chosen["__typename"] == "AuthenticatorAppMethodChosen", chosen
    return chosen


async def test_choosing_the_app_shows_a_160_bit_secret_in_groups_of_four(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given / when
    chosen = await choose_app(browser, make_user)

    # then
    shown = chosen["secret"]
    assert SECRET_SHOWN.match(shown), shown
    secret = shown.replace(" ", "")
    assert len(secret) == 32
    assert len(base64.b32decode(secret)) == 20  # 160 bits


async def test_choosing_the_app_gives_an_otpauth_uri_for_this_account(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given / when
    chosen = await choose_app(browser, make_user)

    # then
    uri = chosen["otpauthUri"]
    secret = chosen["secret"].replace(" ", "")
    assert uri.startswith("otpauth://totp/")
    assert "issuer=Twofold" in uri
    assert "payee%40example.com" in uri
    parts = urlsplit(uri)
    assert unquote(parts.path).endswith(":" + EMAIL)
    assert parse_qs(parts.query)["secret"] == [secret]
    assert parse_qs(parts.query)["issuer"] == ["Twofold"]


async def test_choosing_the_app_gives_the_uri_as_an_svg_qr_code(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given / when
    chosen = await choose_app(browser, make_user)

    # then
    svg = chosen["qrCodeSvg"]
    assert svg.startswith("<svg")
    assert svg.rstrip().endswith("</svg>")
    assert svg == totp.qr_code_svg(chosen["otpauthUri"])


async def test_choosing_the_app_moves_enrollment_to_the_scan_step(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given / when
    await choose_app(browser, make_user)

    # then
    assert await enrollment(browser) == {
        "step": "AUTHENTICATOR_APP_SCAN",
        "method": "AUTHENTICATOR_APP",
        "attemptsRemaining": 5,
    }


async def test_no_field_but_the_chosen_payloads_is_named_secret(browser: GraphQLClient) -> None:
    # when
    types = (await browser.execute(FIELDS_OF_EVERY_TYPE))["__schema"]["types"]

    # then
    with_secret = [
        f"{t['name']}.{f['name']}"
        for t in types
        if not t["name"].startswith("__")
        for f in t["fields"] or []
        if "secret" in f["name"].lower()
    ]
    assert with_secret == [
        "AuthenticatorAppMethodChosen.secret",
        "AuthenticatorAppMethodChosen.secretBase32",
    ]


async def test_the_secret_is_never_returned_again(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    chosen = await choose_app(browser, make_user)
    secret = chosen["secret"].replace(" ", "")
    forms = (secret, chosen["secret"], secret.lower())

    # when
    responses = [
        await browser.post(doc.MFA_ENROLLMENT),
        await browser.post(doc.VERIFY_AUTHENTICATOR_CODE, verify(app_code(secret, clock.now()))),
        await browser.post(doc.MFA_ENROLLMENT),
        await browser.post(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED),
        await browser.post(doc.VIEWER_FACTORS),
        await browser.post(doc.MFA_ENROLLMENT),
    ]

    # then
    assert "LoggedIn" in responses[3].text
    for response in responses:
        assert response.status_code == 200
        for form in forms:
            assert form not in response.text


async def test_the_secret_is_stored_sealed_not_in_plain_text(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    user = await make_user(EMAIL)

    # when
    secret, _ = await enroll_with_app(browser, EMAIL, clock)

    # then
    row = await User.get(id=user.id)
    assert row.totp_secret_sealed
    assert secret not in row.totp_secret_sealed
    assert secret.lower() not in row.totp_secret_sealed
    assert unseal(SECRET_KEY, Sealed.TOTP_SECRET, row.totp_secret_sealed) == secret
    for flow in await MfaFlow.filter(user_id=user.id):
        assert secret not in (flow.totp_secret_sealed or "")


@pytest.mark.parametrize("drift", [-1, 0, 1])
async def test_a_code_one_step_off_is_accepted(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock, drift: int
) -> None:
    # given
    await make_user(EMAIL)
    secret = await reach_app_scan(browser, EMAIL)

    # when
    result = await submit(browser, app_code(secret, clock.now(), drift))

    # then
    assert result["__typename"] == "RecoveryCodeIssued"
    assert RECOVERY_CODE.match(result["recoveryCode"]), result
    assert (await enrollment(browser))["step"] == "RECOVERY_CODE_SAVE"


@pytest.mark.parametrize("drift", [-2, 2])
async def test_a_code_two_steps_off_is_refused(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock, drift: int
) -> None:
    # given
    await make_user(EMAIL)
    secret = await reach_app_scan(browser, EMAIL)
    far = app_code(secret, clock.now(), drift)
    assert far not in {app_code(secret, clock.now(), s) for s in (-1, 0, 1)}

    # when
    result = await submit(browser, far)

    # then
    assert result["__typename"] == "InvalidCodeError"
    assert result["code"] == "INVALID_CODE"
    assert result["attemptsRemaining"] == 4
    assert (await enrollment(browser))["step"] == "AUTHENTICATOR_APP_SCAN"


async def test_wrong_codes_count_down_then_kill_the_app_code(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await make_user(EMAIL)
    secret = await reach_app_scan(browser, EMAIL)

    # when
    answers = [await submit(browser, wrong_app_code(secret, clock.now(), n)) for n in range(5)]

    # then
    assert [a["__typename"] for a in answers[:4]] == ["InvalidCodeError"] * 4
    assert [a["attemptsRemaining"] for a in answers[:4]] == [4, 3, 2, 1]
    assert answers[4]["__typename"] == "TooManyAttemptsError"
    assert answers[4]["code"] == "TOO_MANY_ATTEMPTS"
    assert answers[4]["signInEnded"] is False
    assert (await enrollment(browser))["attemptsRemaining"] == 0
    refused = await submit(browser, app_code(secret, clock.now()))
    assert refused["__typename"] == "TooManyAttemptsError"
    assert (await enrollment(browser))["step"] == "AUTHENTICATOR_APP_SCAN"


async def test_something_that_is_not_a_code_spends_no_attempt(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL)
    await reach_app_scan(browser, EMAIL)

    # when
    result = await submit(browser, "12ab56")

    # then
    assert result["__typename"] == "InvalidCodeError"
    assert result["attemptsRemaining"] == 5


async def test_ten_wrong_codes_across_two_secrets_end_the_sign_in(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: five wrong codes kill the first secret's code; going back gives a new secret
    await make_user(EMAIL)
    first = await reach_app_scan(browser, EMAIL)
    for n in range(5):
        await submit(browser, wrong_app_code(first, clock.now(), n))
    await browser.execute(doc.START_MFA_SETUP)
    chosen = (await browser.execute(doc.CHOOSE_AUTHENTICATOR_APP))["chooseMfaMethod"]
    second = chosen["secret"].replace(" ", "")

    # when
    answers = [await submit(browser, wrong_app_code(second, clock.now(), n)) for n in range(5)]

    # then
    assert [a.get("attemptsRemaining") for a in answers[:4]] == [4, 3, 2, 1]
    assert answers[4]["__typename"] == "TooManyAttemptsError"
    assert answers[4]["signInEnded"] is True
    assert (await browser.execute(doc.MFA_ENROLLMENT))["mfaEnrollment"] is None


async def test_going_back_and_choosing_again_replaces_the_secret(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await make_user(EMAIL)
    old = await reach_app_scan(browser, EMAIL)
    await browser.execute(doc.START_MFA_SETUP)

    # when
    chosen = (await browser.execute(doc.CHOOSE_AUTHENTICATOR_APP))["chooseMfaMethod"]

    # then
    new = chosen["secret"].replace(" ", "")
    assert new != old
    stale = app_code(old, clock.now())
    if stale != app_code(new, clock.now()):
        assert (await submit(browser, stale))["__typename"] == "InvalidCodeError"
    assert (await submit(browser, app_code(new, clock.now())))["__typename"] == (
        "RecoveryCodeIssued"
    )


async def test_choosing_the_app_twice_is_out_of_step(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await choose_app(browser, make_user)

    # when
    again = (await browser.execute(doc.CHOOSE_AUTHENTICATOR_APP))["chooseMfaMethod"]

    # then
    assert again["__typename"] == "WrongStepError"
    assert again["currentStep"] == "AUTHENTICATOR_APP_SCAN"


async def test_verifying_an_app_code_after_choosing_sms_is_out_of_step(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL)
    await log_in(browser, EMAIL)
    await browser.execute(doc.START_MFA_SETUP)
    await browser.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})

    # when
    result = await submit(browser, "123456")

    # then
    assert result["__typename"] == "WrongStepError"
    assert result["code"] == "WRONG_STEP"
    assert result["currentStep"] == "PHONE_NUMBER_ENTRY"


async def test_verifying_twice_is_out_of_step(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await make_user(EMAIL)
    secret = await reach_app_scan(browser, EMAIL)
    code = app_code(secret, clock.now())
    assert (await submit(browser, code))["__typename"] == "RecoveryCodeIssued"

    # when
    again = await submit(browser, code)

    # then
    assert again["__typename"] == "WrongStepError"
    assert again["currentStep"] == "RECOVERY_CODE_SAVE"


async def test_signed_out_caller_is_unauthenticated(browser: GraphQLClient) -> None:
    # when
    errors = await browser.errors(doc.VERIFY_AUTHENTICATOR_CODE, verify("123456"))
    # then
    assert [e["extensions"]["code"] for e in errors] == ["UNAUTHENTICATED"]


async def test_confirming_the_recovery_code_signs_in_with_the_app(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given
    await make_user(EMAIL)
    secret = await reach_app_scan(browser, EMAIL)
    issued = await submit(browser, app_code(secret, clock.now()))
    assert issued["__typename"] == "RecoveryCodeIssued"

    # when
    done = (await browser.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED))[
        "confirmRecoveryCodeSaved"
    ]

    # then
    assert done["__typename"] == "LoggedIn"
    assert done["user"]["mfa"] == {
        "enrolled": True,
        "methods": ["AUTHENTICATOR_APP"],
        "maskedPhoneNumber": None,
    }
    viewer = (await browser.execute(doc.VIEWER_FACTORS))["viewer"]
    assert viewer["email"] == EMAIL
    assert viewer["mfa"]["preferredMethod"] == "AUTHENTICATOR_APP"
    assert viewer["mfa"]["authenticatorAppAddedAt"] is not None
    [message] = mailbox.to(EMAIL)
    assert "MFA is now enabled" in message["Subject"]
    body = message.get_content()
    assert secret not in body
    assert issued["recoveryCode"] not in body


async def test_the_app_is_not_held_until_the_recovery_code_is_confirmed(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given
    user = await make_user(EMAIL)
    secret = await reach_app_scan(browser, EMAIL)

    # when
    assert (await submit(browser, app_code(secret, clock.now())))["__typename"] == (
        "RecoveryCodeIssued"
    )

    # then
    row = await User.get(id=user.id)
    assert row.mfa_methods == []
    assert mailbox.to(EMAIL) == []


async def test_a_native_app_enrolls_with_its_pending_token(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYOR)
    async with new_http() as http:
        pending = await log_in(GraphQLClient(http), EMAIL, native=True)
        app = GraphQLClient(http, bearer=pending["pendingToken"])
        await app.execute(doc.START_MFA_SETUP)
        chosen = (await app.execute(doc.CHOOSE_AUTHENTICATOR_APP))["chooseMfaMethod"]
        secret = chosen["secret"].replace(" ", "")

        # when
        issued = await submit(app, app_code(secret, clock.now()))
        done = (await app.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED))[
            "confirmRecoveryCodeSaved"
        ]

        # then
        assert issued["__typename"] == "RecoveryCodeIssued"
        assert done["__typename"] == "LoggedIn"
        assert done["sessionToken"]
        signed_in = GraphQLClient(http, bearer=done["sessionToken"])
        assert (await signed_in.execute(doc.VIEWER))["viewer"]["mfa"]["methods"] == [
            "AUTHENTICATOR_APP"
        ]


async def test_concurrent_submissions_of_one_code_issue_one_recovery_code(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given
    await make_user(EMAIL)
    secret = await reach_app_scan(browser, EMAIL)
    code = app_code(secret, clock.now())

    # when
    responses = await asyncio.gather(
        *(browser.post(doc.VERIFY_AUTHENTICATOR_CODE, verify(code)) for _ in range(20))
    )

    # then
    outcomes = [outcome(r, "verifyAuthenticatorCode") for r in responses]
    assert outcomes.count("RecoveryCodeIssued") == 1, outcomes
    assert set(outcomes) <= {
        "RecoveryCodeIssued",
        "InvalidCodeError",
        "TooManyAttemptsError",
        "WrongStepError",
    }, outcomes
    assert (await enrollment(browser))["step"] == "RECOVERY_CODE_SAVE"
    done = (await browser.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED))[
        "confirmRecoveryCodeSaved"
    ]
    assert done["__typename"] == "LoggedIn"
    assert done["user"]["mfa"]["methods"] == ["AUTHENTICATOR_APP"]
    [message] = mailbox.to(EMAIL)
    assert "MFA is now enabled" in message["Subject"]
