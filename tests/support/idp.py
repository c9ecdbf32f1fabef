"""A real OpenID provider for the SSO tests: npm's `oidc-provider`, pinned by
tests/support/idp/package-lock.json, run with node on a loopback port (server.js).

`npm ci` installs it into tests/support/idp/node_modules when that folder is missing (.ci/run
does it too). Clients register by dynamic registration, as an operator would register Twofold
at Okta or Entra ID; accounts and one-shot tampering are set through the test-only routes.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.support.served import free_port

FOLDER = Path(__file__).parent / "idp"


def install() -> None:
    if (FOLDER / "node_modules" / "oidc-provider").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm must be on PATH")
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=FOLDER, check=True, timeout=300
    )


@dataclass
class Idp:
    issuer: str

    def register(self, redirect_uri: str) -> tuple[str, str]:
        """A new confidential client for `redirect_uri`: its id and secret."""
        registered = self.client(redirect_uri)
        return registered["client_id"], registered["client_secret"]

    def client(self, redirect_uri: str) -> dict[str, str]:
        """A new client registered as `redirect_uri`: its registration (RFC 7591)."""
        answer = httpx.post(
            f"{self.issuer}/reg",
            json={
                "redirect_uris": [redirect_uri],
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
            },
            timeout=5,
        )
        answer.raise_for_status()
        registered: dict[str, str] = answer.json()
        return registered

    def redirect_to(self, registration: dict[str, str], redirect_uri: str) -> None:
        """Change the client's redirect URI (RFC 7592), as an operator does after `sso add`."""
        body = {
            "client_id": registration["client_id"],
            "client_secret": registration["client_secret"],
            "redirect_uris": [redirect_uri],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
        }
        answer = httpx.put(
            registration["registration_client_uri"],
            json=body,
            headers={"Authorization": f"Bearer {registration['registration_access_token']}"},
            timeout=5,
        )
        answer.raise_for_status()

    def account(
        self,
        account_id: str,
        email: str,
        *,
        email_verified: bool | None = True,
        acr: str | None = None,
        amr: list[str] | None = None,
    ) -> str:
        """Add (or replace) an account the login form accepts by `account_id`."""
        body: dict[str, object] = {"id": account_id, "email": email}
        if email_verified is not None:
            body["email_verified"] = email_verified
        if acr:
            body["acr"] = acr
        if amr:
            body["amr"] = amr
        httpx.post(f"{self.issuer}/test/accounts", json=body, timeout=5).raise_for_status()
        return account_id

    def tamper_next_id_token(self) -> None:
        httpx.post(f"{self.issuer}/test/tamper", timeout=5).raise_for_status()

    async def sign_in(self, authorization_url: str, account_id: str) -> str:
        """Drive the provider's login form from `authorization_url` as a fresh browser; the
        URL the provider sends the browser back to (Twofold's callback)."""
        async with httpx.AsyncClient(timeout=10) as browser:
            answer = await browser.get(authorization_url)
            while answer.is_redirect:
                location = answer.headers["location"]
                if not location.startswith(self.issuer) and not location.startswith("/"):
                    return location
                answer = await browser.get(httpx.URL(str(answer.url)).join(location))
            form_action = answer.text.split('action="', 1)[1].split('"', 1)[0]
            answer = await browser.post(
                httpx.URL(str(answer.url)).join(form_action), data={"login": account_id}
            )
            while answer.is_redirect:
                location = answer.headers["location"]
                if not location.startswith(self.issuer) and not location.startswith("/"):
                    return location
                answer = await browser.get(httpx.URL(str(answer.url)).join(location))
        raise AssertionError(f"the provider did not redirect back: {answer.status_code}")


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


@pytest.fixture(scope="session")
def idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Idp]:
    install()
    node = shutil.which("node")
    assert node is not None, "node must be on PATH"
    port = free_port()
    log = tmp_path_factory.mktemp("idp") / "idp.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [node, str(FOLDER / "server.js"), str(port)], cwd=FOLDER, stdout=out, stderr=out
        )
    try:
        issuer = f"http://127.0.0.1:{port}"
        for _ in range(100):
            assert process.poll() is None, log.read_text()
            if "ready" in log.read_text():
                break
            time.sleep(0.1)
        else:
            pytest.fail("the test identity provider did not start")
        yield Idp(issuer)
    finally:
        process.terminate()
        process.wait(timeout=10)
