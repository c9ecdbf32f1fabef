"""Secrets in logs: with every logger at DEBUG (ORM queries, HTTP clients, GraphQL errors),
whole sign-in and enrollment journeys leave no password, code, recovery code, TOTP secret
or token in any log line (63B 4.6; ASVS 16.2)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from domain.settings import Settings
from graph.context import SESSION_COOKIE
from models.sealing import Sealed, unseal
from models.signing_key import SigningKey
from providers.clock import ManualClock
from providers.registry import Providers
from tests.support import documents as doc
from tests.support.access_tokens import is_active, issued_token, service_credential
from tests.support.apps import running_app
from tests.support.clients import HttpFactory
from tests.support.constants import PASSWORD, PHONE
from tests.support.flows import app_code, reach_code_verification
from tests.support.graphql import ORIGIN, GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser, cheap_user

SMS_EMAIL = "logged.sms@example.com"
APP_EMAIL = "logged.app@example.com"
WRONG_PASSWORD = "not-the-password-0451"
PASSWORD_IN_VARIABLES = "vZ8-qK2x-Lr7w-3Np"


@contextmanager
def every_logger_at_debug(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """DEBUG on the root and on every named logger; loggers that do not propagate get the
    capturing handler directly."""
    caplog.set_level(logging.DEBUG)
    isolated = []
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger):
            caplog.set_level(logging.DEBUG, logger=name)
            if not logger.propagate:
                logger.addHandler(caplog.handler)
                isolated.append(logger)
    try:
        yield
    finally:
        for logger in isolated:
            logger.removeHandler(caplog.handler)


class Secrets:
    """Every secret a journey handed out or typed, in each form it could be written."""

    def __init__(self) -> None:
        self.texts: set[str] = set()
        self.codes: set[str] = set()

    def add(self, *values: str | None) -> None:
        for value in values:
            assert value, "a journey step handed out no secret"
            self.texts.add(value)

    def add_recovery_code(self, code: str) -> None:
        self.add(code, code.replace("-", ""), code.replace("-", "").lower())

    def add_totp_secret(self, grouped: str) -> None:
        self.add(grouped, grouped.replace(" ", ""))

    def found_in(self, line: str) -> list[str]:
        found = [s for s in self.texts if s in line]
        # six-digit codes only as whole numbers, so timestamps and ids do not match by chance
        found += [c for c in self.codes if re.search(rf"(?<![0-9A-Za-z]){c}(?![0-9A-Za-z])", line)]
        return found


async def native_log_in(http: httpx.AsyncClient, email: str, secrets: Secrets) -> GraphQLClient:
    variables = {"input": {"email": email, "password": PASSWORD, "client": "NATIVE"}}
    started = (await GraphQLClient(http).execute(doc.LOG_IN_NATIVE, variables))["logIn"]
    secrets.add(started["pendingToken"])
    return GraphQLClient(http, bearer=started["pendingToken"])


async def sms_enrollment(
    http: httpx.AsyncClient, messagebird: MessageBirdStandIn, secrets: Secrets
) -> str:
    """A browser enrolls SMS (one wrong code on the way); returns the recovery code."""
    browser = GraphQLClient(http)
    await reach_code_verification(browser, SMS_EMAIL)
    secrets.add(http.cookies[SESSION_COOKIE])
    code = messagebird.last_code(PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    secrets.codes.update({code, wrong})
    await browser.execute(doc.VERIFY_SMS_CODE, {"input": {"code": wrong}})
    issued = (await browser.execute(doc.VERIFY_SMS_CODE, {"input": {"code": code}}))[
        "verifySmsCode"
    ]
    secrets.add_recovery_code(issued["recoveryCode"])
    await browser.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)
    secrets.add(http.cookies[SESSION_COOKIE])
    await browser.execute(doc.VIEWER_EMAIL)
    await browser.execute(doc.LOG_OUT)
    return str(issued["recoveryCode"])


async def sms_sign_in(
    http: httpx.AsyncClient, messagebird: MessageBirdStandIn, secrets: Secrets
) -> None:
    app = await native_log_in(http, SMS_EMAIL, secrets)
    await app.execute(doc.SEND_LOGIN_CODE)
    code = messagebird.last_code(PHONE)
    secrets.codes.add(code)
    signed_in = (await app.execute(doc.VERIFY_LOGIN_CODE, {"input": {"code": code}}))[
        "verifyLoginCode"
    ]
    secrets.add(signed_in["sessionToken"])
    session = GraphQLClient(http, bearer=signed_in["sessionToken"])
    await session.execute(doc.VIEWER_EMAIL)
    await session.execute(doc.LOG_OUT)


async def app_enrollment(http: httpx.AsyncClient, clock: ManualClock, secrets: Secrets) -> None:
    app = await native_log_in(http, APP_EMAIL, secrets)
    await app.execute(doc.START_MFA_SETUP)
    chosen = (await app.execute(doc.CHOOSE_AUTHENTICATOR_APP))["chooseMfaMethod"]
    secrets.add_totp_secret(chosen["secret"])
    code = app_code(chosen["secret"], clock.now())
    secrets.codes.add(code)
    issued = (await app.execute(doc.VERIFY_AUTHENTICATOR_CODE, {"input": {"code": code}}))[
        "verifyAuthenticatorCode"
    ]
    secrets.add_recovery_code(issued["recoveryCode"])
    secrets.add(
        (await app.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED))["confirmRecoveryCodeSaved"][
            "sessionToken"
        ]
    )


async def recovery_code_sign_in(
    http: httpx.AsyncClient, recovery_code: str, secrets: Secrets
) -> None:
    app = await native_log_in(http, SMS_EMAIL, secrets)
    typed = recovery_code.replace("-", " ").lower()
    issued = (await app.execute(doc.LOG_IN_WITH_RECOVERY_CODE, {"input": {"recoveryCode": typed}}))[
        "logInWithRecoveryCode"
    ]
    secrets.add_recovery_code(issued["recoveryCode"])
    secrets.add(
        (await app.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED))["confirmRecoveryCodeSaved"][
            "sessionToken"
        ]
    )


async def mistakes(http: httpx.AsyncClient, secrets: Secrets) -> None:
    """A wrong password, and variables that fail validation while carrying a password."""
    client = GraphQLClient(http)
    secrets.add(WRONG_PASSWORD, PASSWORD_IN_VARIABLES)
    wrong = {"input": {"email": SMS_EMAIL, "password": WRONG_PASSWORD}}
    await client.execute(doc.LOG_IN_NATIVE, wrong)
    invalid = {"input": {"email": SMS_EMAIL, "password": PASSWORD_IN_VARIABLES, "extra": 1}}
    assert await client.errors(doc.LOG_IN_NATIVE, invalid)


async def test_full_journeys_leave_no_secret_in_any_log_line(
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given
    await make_user(SMS_EMAIL)
    await make_user(APP_EMAIL)
    secrets = Secrets()
    secrets.add(PASSWORD)

    # when
    with every_logger_at_debug(caplog):
        async with new_http() as http:
            recovery_code = await sms_enrollment(http, messagebird, secrets)
        async with new_http() as http:
            await sms_sign_in(http, messagebird, secrets)
        async with new_http() as http:
            await app_enrollment(http, clock, secrets)
        async with new_http() as http:
            await recovery_code_sign_in(http, recovery_code, secrets)
        async with new_http() as http:
            await mistakes(http, secrets)
        records = list(caplog.records)

    # then: the capture saw the ORM and the audit trail...
    loggers = {r.name for r in records}
    assert "twofold.audit" in loggers
    assert any(name.startswith("tortoise") and name != "tortoise" for name in loggers)
    assert len(secrets.codes) >= 4
    # ...and none of its lines holds a secret
    leaks = {
        (record.name, secret)
        for record in records
        for line in (record.getMessage(), record.exc_text or "", str(record.stack_info or ""))
        for secret in secrets.found_in(line)
    }
    assert leaks == set()


# A generated password may hold both kinds of quote; a mobile app may send the code as a number.
QUOTED_PASSWORD = "Q'u\"o-7Te-91xz"
TYPED_CODE = 731594
MALFORMED: dict[str, tuple[dict[str, Any], str]] = {
    "password-beside-an-unknown-field": (
        {
            "query": doc.LOG_IN_NATIVE,
            "variables": {"input": {"email": SMS_EMAIL, "password": PASSWORD_IN_VARIABLES, "x": 1}},
        },
        PASSWORD_IN_VARIABLES,
    ),
    "password-with-both-quotes": (
        {
            "query": doc.LOG_IN_NATIVE,
            "variables": {"input": {"email": SMS_EMAIL, "password": QUOTED_PASSWORD, "x": 1}},
        },
        QUOTED_PASSWORD,
    ),
    "code-as-a-json-number": (
        {"query": doc.VERIFY_SMS_CODE, "variables": {"input": {"code": TYPED_CODE}}},
        str(TYPED_CODE),
    ),
    "code-as-an-int-literal": (
        {"query": f"mutation {{ verifySmsCode(input: {{code: {TYPED_CODE}}}) {{ __typename }} }}"},
        str(TYPED_CODE),
    ),
}


def leaked(secret: str, line: str) -> bool:
    """A code as a whole number; a password as any eight of its characters in a row."""
    if secret.isdigit():
        return re.search(rf"(?<![0-9A-Za-z]){secret}(?![0-9A-Za-z])", line) is not None
    return any(secret[i : i + 8] in line for i in range(len(secret) - 7))


@pytest.mark.parametrize(("body", "secret"), MALFORMED.values(), ids=MALFORMED.keys())
async def test_a_refused_request_keeps_its_secret_out_of_the_logs(
    body: dict[str, Any], secret: str, browser: GraphQLClient, caplog: pytest.LogCaptureFixture
) -> None:
    # given: a request that fails validation while carrying a secret
    headers = {"Origin": ORIGIN}

    # when
    with every_logger_at_debug(caplog):
        response = await browser.http.post("/graphql", json=body, headers=headers)
        records = list(caplog.records)

    # then: refused, and the refusal (the client's mistake, quoting its input) is not logged
    assert response.json()["errors"]
    assert not any(r.name == "strawberry.execution" for r in records)
    leaks = [
        record.name
        for record in records
        for line in (record.getMessage(), record.exc_text or "")
        if leaked(secret, line)
    ]
    assert leaks == []


async def test_access_tokens_client_secrets_and_signing_keys_stay_out_of_the_logs(
    settings: Settings,
    providers: Providers,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given
    secrets = Secrets()
    audiences = ("payments",)

    # when: a key is made, a service credential created, a token issued and introspected
    with every_logger_at_debug(caplog):
        async with running_app(
            settings, providers, messagebird, mailbox, access_token_audiences=audiences
        ) as make:
            await cheap_user("logged.token@example.com")
            credential = await service_credential(settings, providers)
            secrets.add(credential[1])
            async with make() as http:
                app = GraphQLClient(http)
                variables = {
                    "input": {
                        "email": "logged.token@example.com",
                        "password": PASSWORD,
                        "client": "NATIVE",
                    }
                }
                signed = (await app.execute(doc.LOG_IN_NATIVE, variables))["logIn"]
                secrets.add(signed["sessionToken"])
                app.bearer = signed["sessionToken"]
                token = await issued_token(app)
                secrets.add(token, token.split(".")[2])
                assert await is_active(http, token, credential)
                assert (await http.get("/.well-known/jwks.json")).status_code == 200
            [key] = await SigningKey.all()
            pem = unseal(settings.secret_key, Sealed.SIGNING_KEY, key.private_key_sealed)
            secrets.add(*[line for line in pem.splitlines() if "PRIVATE KEY" not in line])
        records = list(caplog.records)

    # then
    assert any(
        name.startswith("tortoise") and name != "tortoise" for name in {r.name for r in records}
    )
    leaks = {
        (record.name, secret)
        for record in records
        for line in (record.getMessage(), record.exc_text or "", str(record.stack_info or ""))
        for secret in secrets.found_in(line)
    }
    assert leaks == set()
