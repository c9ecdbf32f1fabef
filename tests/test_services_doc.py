"""docs/services.md's Python runs as written against a real `twofold serve`: a service
verifies a token with PyJWKClient and the key set fetched over HTTP, answers step-up with
RFC 9470's challenge, and introspects with its service credential; and asks for a transaction
approval, which the user approves, and redeems it exactly once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest

from tests.support.constants import PASSWORD
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.served import post, run_twofold, serve, server_environment

pytestmark = pytest.mark.server
DOC = Path(__file__).resolve().parent.parent / "docs" / "services.md"
PYTHON = re.compile(r"```python\n(?P<code>.*?)```", re.DOTALL)
EMAIL = "service.user@example.com"
LOG_IN = """
mutation LogIn($input: LogInInput!) { logIn(input: $input) {
  __typename ... on LoggedIn { sessionToken } } }
"""
PENDING_LOG_IN = """
mutation LogIn($input: LogInInput!) { logIn(input: $input) {
  __typename ... on MfaSetupRequired { pendingToken } } }
"""
ISSUE = """
mutation Issue($input: IssueAccessTokenInput!) { issueAccessToken(input: $input) {
  __typename ... on AccessTokenIssued { accessToken } } }
"""


def the_docs_code(base: str) -> dict[str, Any]:
    """Every Python block of the page run in one namespace, Twofold's URL pointing at `base`."""
    code = "\n".join(match["code"] for match in PYTHON.finditer(DOC.read_text("utf-8")))
    assert code.count('"https://twofold.example.com"') == 1
    namespace: dict[str, Any] = {}
    exec(code.replace('"https://twofold.example.com"', repr(base)), namespace)
    return namespace


def test_the_docs_python_verifies_steps_up_and_introspects(
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given: a served Twofold on its own database, a user, and the payments credential
    env = server_environment(f"sqlite://{tmp_path}/served.sqlite3", messagebird, mailbox)
    env["ACCESS_TOKEN_AUDIENCES"] = "payments"
    assert run_twofold(env, tmp_path, "migrate").returncode == 0
    made = run_twofold(
        env, tmp_path, "create-user", "--email", EMAIL, "--password", PASSWORD, "--role", "none"
    )
    assert made.returncode == 0, made.stderr
    created = run_twofold(env, tmp_path, "service", "create", "payments")
    printed = dict(line.split("=", 1) for line in created.stdout.splitlines() if "=" in line)
    monkeypatch.setenv("TWOFOLD_CLIENT_ID", printed["client_id"])
    monkeypatch.setenv("TWOFOLD_CLIENT_SECRET", printed["client_secret"])
    with serve(env, tmp_path) as served:
        variables = {"input": {"email": EMAIL, "password": PASSWORD, "client": "NATIVE"}}
        session = post(served.base, LOG_IN, variables)["logIn"]["sessionToken"]
        issued = post(served.base, ISSUE, {"input": {"audience": "payments"}}, token=session)
        token = issued["issueAccessToken"]["accessToken"]
        service = the_docs_code(served.base)

        # when
        claims = service["verify"](f"Bearer {token}")
        with pytest.raises(service["StepUpRequired"]) as step_up:
            service["verify"](f"Bearer {token}", acr="urn:twofold:acr:mfa")
        with pytest.raises(jwt.InvalidTokenError):
            service["verify"](f"Bearer {token[:-4]}AAAA")
        alive = service["still_signed_in"](token)
        post(served.base, "mutation { logOut { __typename } }", token=session)
        ended = service["still_signed_in"](token)

    # then
    assert claims["iss"] == served.base and claims["aud"] == "payments"
    assert claims["amr"] == ["pwd"]
    assert step_up.value.challenge == (
        'Bearer error="insufficient_user_authentication", acr_values="urn:twofold:acr:mfa"'
    )
    assert (alive, ended) == (True, False)
    logged = served.log.read_text()
    for secret in (token, session, printed["client_secret"], token.split(".")[2]):
        assert secret not in logged


NATIVE_ENROLLMENT = {
    "start": "mutation { startMfaSetup { __typename } }",
    "choose": "mutation { chooseMfaMethod(input: {method: SMS}) { __typename } }",
    "send": 'mutation { sendSmsCode(input: {countryCode: "+1", phoneNumber: "201 555 0123"}) '
    "{ __typename } }",
    "verify": "mutation V($input: VerifySmsCodeInput!) { verifySmsCode(input: $input) "
    "{ __typename } }",
    "saved": "mutation { confirmRecoveryCodeSaved(input: {saved: true}) "
    "{ __typename ... on LoggedIn { sessionToken } } }",
}
USER_ID = "{ viewer { id } }"
SEND_CODE = """
mutation S($input: TransactionApprovalInput!) { sendTransactionCode(input: $input) {
  __typename } }
"""
APPROVE = """
mutation A($input: ApproveTransactionInput!) { approveTransaction(input: $input) {
  __typename } }
"""


def test_the_docs_python_asks_for_an_approval_and_redeems_it_once(
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given: a served Twofold, a payee signed in on a phone with SMS, the payments credential
    env = server_environment(f"sqlite://{tmp_path}/served.sqlite3", messagebird, mailbox)
    assert run_twofold(env, tmp_path, "migrate").returncode == 0
    made = run_twofold(
        env, tmp_path, "create-user", "--email", EMAIL, "--password", PASSWORD, "--role", "payee"
    )
    assert made.returncode == 0, made.stderr
    created = run_twofold(env, tmp_path, "service", "create", "payments")
    printed = dict(line.split("=", 1) for line in created.stdout.splitlines() if "=" in line)
    monkeypatch.setenv("TWOFOLD_CLIENT_ID", printed["client_id"])
    monkeypatch.setenv("TWOFOLD_CLIENT_SECRET", printed["client_secret"])
    transaction = {
        "action": "DISBURSEMENT",
        "amountMinor": 1240000,
        "currency": "USD",
        "payeeName": "Acme Drywall LLC",
        "payeeReference": "021000021-000123456789",
    }
    with serve(env, tmp_path) as served:
        variables = {"input": {"email": EMAIL, "password": PASSWORD, "client": "NATIVE"}}
        pending = post(served.base, PENDING_LOG_IN, variables)["logIn"]["pendingToken"]
        for step in ("start", "choose", "send"):
            post(served.base, NATIVE_ENROLLMENT[step], token=pending)
        code = {"input": {"code": messagebird.last_code("+12015550123")}}
        post(served.base, NATIVE_ENROLLMENT["verify"], code, token=pending)
        saved = post(served.base, NATIVE_ENROLLMENT["saved"], token=pending)
        session = saved["confirmRecoveryCodeSaved"]["sessionToken"]
        user_id = post(served.base, USER_ID, token=session)["viewer"]["id"]
        service = the_docs_code(served.base)

        # when: the service asks, the user approves with the texted code, the service redeems
        approval_id, link = service["ask_for_approval"](user_id, transaction)
        with pytest.raises(service["NotApproved"]) as too_early:
            service["redeem"](approval_id, user_id, transaction)
        approval = {"input": {"approvalId": approval_id}}
        post(served.base, SEND_CODE, approval, token=session)
        texted = messagebird.messages[-1].body
        answer = {"approvalId": approval_id, "code": messagebird.last_code("+12015550123")}
        approved = post(served.base, APPROVE, {"input": {**answer, "method": "SMS"}}, token=session)
        tampered = {**transaction, "amountMinor": 9990000}
        with pytest.raises(service["NotApproved"]) as other_amount:
            service["redeem"](approval_id, user_id, tampered)
        redeemed = service["redeem"](approval_id, user_id, transaction)
        with pytest.raises(service["NotApproved"]) as twice:
            service["redeem"](approval_id, user_id, transaction)
        page = httpx.get(link, timeout=10)

    # then
    assert too_early.value.code == "TRANSACTION_NOT_APPROVED"
    assert "USD 12,400.00 to Acme Drywall LLC" in texted
    assert approved["approveTransaction"]["__typename"] == "TransactionApproved"
    assert other_amount.value.code == "PAYLOAD_HASH_MISMATCH"
    assert (redeemed["method"], redeemed["amr"]) == ("SMS", ["sms", "mfa"])
    assert twice.value.code == "TRANSACTION_ALREADY_REDEEMED"
    assert link == f"{served.base}/approve/{approval_id}"
    assert page.status_code == 200 and '"../web/app.js"' in page.text
