"""A payee enrolls and signs in from a mobile app against a real `twofold serve` process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette

from tests.support import documents as doc
from tests.support.constants import PASSWORD, PHONE
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.served import post as _post
from tests.support.served import run_twofold, serve, server_environment

pytestmark = pytest.mark.server
EMAIL = "process.payee@example.com"


@pytest.fixture
def server_env(
    database_url: str, messagebird: MessageBirdStandIn, mailbox: Mailbox
) -> dict[str, str]:
    return server_environment(database_url, messagebird, mailbox)


@pytest.fixture
def server(server_env: dict[str, str], tmp_path: Path, app: Starlette) -> Iterator[str]:
    # `app` empties the shared database first, so earlier tests' quotas do not carry over.
    created = run_twofold(
        server_env,
        tmp_path,
        "create-user",
        "--email",
        EMAIL,
        "--password",
        PASSWORD,
        "--role",
        "payee",
        "--company",
        "Process Test Co",
    )
    assert created.returncode == 0 or "already exists" in created.stderr, created.stderr
    with serve(server_env, tmp_path) as served:
        yield served.base


async def test_native_client_enrolls_and_signs_in_against_a_served_process(
    server: str, messagebird: MessageBirdStandIn, mailbox: Mailbox
) -> None:
    # given: a payee created with the command line signs in from a mobile app
    login = {"input": {"email": EMAIL, "password": PASSWORD, "client": "NATIVE"}}
    started = _post(server, doc.LOG_IN, login)["logIn"]
    assert started["__typename"] == "MfaSetupRequired"
    pending = started["pendingToken"]
    # when: the app walks every enrollment screen
    assert _post(server, doc.START_MFA_SETUP, token=pending)["startMfaSetup"]["__typename"] == (
        "MfaMethodSelection"
    )
    _post(server, doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}}, pending)
    sent = _post(
        server,
        doc.SEND_SMS_CODE,
        {"input": {"countryCode": "+1", "phoneNumber": "201 555 0123"}},
        pending,
    )
    assert sent["sendSmsCode"]["__typename"] == "SmsCodeSent"
    code = messagebird.last_code(PHONE)
    issued = _post(server, doc.VERIFY_SMS_CODE, {"input": {"code": code}}, pending)
    assert issued["verifySmsCode"]["__typename"] == "RecoveryCodeIssued"
    done = _post(server, doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED, pending)
    # then: a session token, a signed-in viewer, and the email at the SMTP server
    logged_in = done["confirmRecoveryCodeSaved"]
    assert logged_in["__typename"] == "LoggedIn"
    session = logged_in["sessionToken"]
    assert session and session != pending
    assert _post(server, doc.VIEWER, token=session)["viewer"]["email"] == EMAIL
    assert [m["Subject"] for m in mailbox.to(EMAIL)] == ["MFA is now enabled on your account"]
    # and the next sign-in is a challenge answered with a texted code
    challenge = _post(server, doc.LOG_IN, login)["logIn"]
    assert challenge["__typename"] == "MfaChallengeRequired"
    assert (
        _post(server, doc.SEND_LOGIN_CODE, token=challenge["pendingToken"])["sendLoginCode"][
            "__typename"
        ]
        == "SmsCodeSent"
    )
    verified = _post(
        server,
        doc.VERIFY_LOGIN_CODE,
        {"input": {"code": messagebird.last_code(PHONE)}},
        challenge["pendingToken"],
    )
    assert verified["verifyLoginCode"]["__typename"] == "LoggedIn"
    assert _post(server, doc.LOG_OUT, token=session)["logOut"]["__typename"] == "LoggedOut"
    assert _post(server, doc.VIEWER, token=session)["viewer"] is None
