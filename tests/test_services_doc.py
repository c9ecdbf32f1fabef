"""docs/services.md's Python runs as written against a real `twofold serve`: a service
verifies a token with PyJWKClient and the key set fetched over HTTP, answers step-up with
RFC 9470's challenge, and introspects with its service credential."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

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
