"""A payee enrolls and signs in from a mobile app against a real `twofold serve` process, whose
log (LOG_FORMAT=json) holds one JSON line per record: one access line per request, each naming
its request's id, and no traceback or library noise."""

from __future__ import annotations

import functools
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette

from tests.support import documents as doc
from tests.support.constants import PASSWORD, PHONE
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.served import ServedProcess, run_twofold, serve, server_environment
from tests.support.served import post as _plain_post

pytestmark = pytest.mark.server
EMAIL = "process.payee@example.com"


@pytest.fixture
def server_env(
    database_url: str, messagebird: MessageBirdStandIn, mailbox: Mailbox
) -> dict[str, str]:
    return {**server_environment(database_url, messagebird, mailbox), "LOG_FORMAT": "json"}


def create_payee(server_env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """The payee of these tests, created by the real command line."""
    return run_twofold(
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


@pytest.fixture
def served(server_env: dict[str, str], tmp_path: Path, app: Starlette) -> Iterator[ServedProcess]:
    # `app` empties the shared database first, so earlier tests' quotas do not carry over.
    created = create_payee(server_env, tmp_path)
    assert created.returncode == 0 or "already exists" in created.stderr, created.stderr
    assert created.stderr == "", created.stderr  # no library noise around a command
    with serve(server_env, tmp_path) as process:
        yield process


async def test_native_client_enrolls_and_signs_in_against_a_served_process(
    served: ServedProcess, messagebird: MessageBirdStandIn, mailbox: Mailbox
) -> None:
    server = served.base
    seen: list[str] = []
    _post = functools.partial(_plain_post, seen=seen)
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


async def test_a_served_process_logs_a_flow_as_json_lines_one_access_line_per_request(
    server_env: dict[str, str], tmp_path: Path, app: Starlette, messagebird: MessageBirdStandIn
) -> None:
    # given: a served process, and a payee signing in and enrolling through it
    created = create_payee(server_env, tmp_path)
    assert created.returncode == 0, created.stderr
    seen: list[str] = []
    with serve(server_env, tmp_path) as served:
        post = functools.partial(_plain_post, served.base, seen=seen)
        # when
        login = {"input": {"email": EMAIL, "password": PASSWORD, "client": "NATIVE"}}
        pending = post(doc.LOG_IN, login)["logIn"]["pendingToken"]
        post(doc.START_MFA_SETUP, token=pending)
        post(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}}, pending)
        phone = {"input": {"countryCode": "+1", "phoneNumber": "201 555 0123"}}
        post(doc.SEND_SMS_CODE, phone, pending)
        post(doc.VERIFY_SMS_CODE, {"input": {"code": messagebird.last_code(PHONE)}}, pending)
        done = post(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED, pending)
        assert done["confirmRecoveryCodeSaved"]["__typename"] == "LoggedIn"
    # the process has stopped: its log is complete
    lines = served.log.read_text().splitlines()

    # then: every line is a JSON object naming a request id ("-" outside requests)...
    records = [json.loads(line) for line in lines]
    assert all({"time", "level", "logger", "request_id", "message"} <= r.keys() for r in records)
    # ...each GraphQL request has exactly one access line, naming its answer's id...
    access = [r for r in records if r["logger"] == "twofold.access" and r["path"] == "/graphql"]
    assert [r["request_id"] for r in access] == seen
    assert all((r["method"], r["status"]) == ("POST", 200) for r in access)
    assert all(isinstance(r["duration_ms"], float) for r in access)
    # ...and nothing failed or chattered: no traceback, no warning, no ORM noise
    assert not [r for r in records if "exception" in r or r["level"] not in ("INFO",)]
    assert "Traceback" not in served.log.read_text()
    assert not [r for r in records if r["logger"].startswith("tortoise")]
    assert {r["logger"] for r in records} <= {"twofold.access", "twofold.audit", "uvicorn.error"}
