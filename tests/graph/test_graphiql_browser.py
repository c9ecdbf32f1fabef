"""GraphiQL in a real browser: Debian's Chromium, driven by Playwright, against a real
`twofold serve` on a random loopback port, allowed to reach nothing but that server.

A developer opens /graphql with no internet: GraphiQL renders, documents the schema, and runs
the ready document's operations one by one, the session riding in the browser's cookie jar.
Screenshots land in test-artifacts/graphiql/ for a person to look at.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.async_api import Page, Request, Route
from playwright.async_api import TimeoutError as PlaywrightTimeoutError
from starlette.applications import Starlette

from tests.support.chromium import launched_chromium
from tests.support.constants import PASSWORD
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.served import free_port, run_twofold, serve, server_environment

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "graphiql"
EMAIL = "graphiql.payee@example.com"
RESPONSE_EDITOR = ".graphiql-response .CodeMirror"
QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
VARIABLES_EDITOR = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror"
PANE_SHOWS = """([selector, body]) => {
  const pane = document.querySelector(selector);
  try {
    return JSON.stringify(JSON.parse(pane.CodeMirror.getValue())) === JSON.stringify(JSON.parse(body));
  } catch (error) {
    return false;
  }
}"""


@pytest.fixture
def server(
    database_url: str,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    tmp_path: Path,
    app: Starlette,
) -> Iterator[str]:
    # `app` empties the shared database first. ALLOWED_ORIGINS stays at its default (port
    # 8000): the page the server serves may use the session cookie as its own origin.
    port = free_port()
    env = server_environment(database_url, messagebird, mailbox)
    env.pop("ALLOWED_ORIGINS", None)
    user = ["--email", EMAIL, "--password", PASSWORD, "--role", "payee", "--company", "Acme"]
    created = run_twofold(env, tmp_path, "create-user", *user)
    assert created.returncode == 0, created.stderr
    with serve(env, tmp_path, port) as served:
        yield served.base


class Browser:
    """One Chromium page on the server, every request outside it refused and remembered."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.base = base
        self.outside: list[str] = []
        self.origins: set[str | None] = set()

    async def guard(self, route: Route, request: Request) -> None:
        if request.url.startswith(f"{self.base}/"):
            await route.continue_()
        else:
            self.outside.append(request.url)
            await route.abort("blockedbyclient")

    async def editor_text(self, selector: str) -> str:
        return str(await self.page.locator(selector).evaluate("e => e.CodeMirror.getValue()"))

    async def set_variables(self, **changes: str) -> None:
        """Change some variables in the editor, keeping the others, as a developer would."""
        variables = {**json.loads(await self.editor_text(VARIABLES_EDITOR)), **changes}
        await self.page.locator(VARIABLES_EDITOR).evaluate(
            "(e, text) => e.CodeMirror.setValue(text)", json.dumps(variables, indent=2)
        )

    async def run(self, operation: str) -> dict[str, Any]:
        """Press Run, pick `operation` from GraphiQL's menu, and read the result pane."""

        def is_the_operation(response: Any) -> bool:
            request = response.request
            return bool(
                request.method == "POST"
                and request.url == f"{self.base}/graphql"
                and json.loads(request.post_data or "{}").get("operationName") == operation
            )

        async with self.page.expect_response(is_the_operation) as answered:
            await self.page.locator(".graphiql-execute-button").click()
            await self.page.get_by_role("menuitem", name=operation, exact=True).click()
        response = await answered.value
        self.origins.add(await response.request.header_value("origin"))
        await self.page.wait_for_function(PANE_SHOWS, arg=[RESPONSE_EDITOR, await response.text()])
        return dict(json.loads(await self.editor_text(RESPONSE_EDITOR)))

    async def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await self.page.screenshot(path=SCREENSHOTS / name)


@pytest.fixture
async def browser_on(server: str) -> AsyncIterator[Browser]:
    async with launched_chromium() as chromium:
        context = await chromium.new_context(viewport={"width": 1400, "height": 900})
        page = await context.new_page()
        page.set_default_timeout(30_000)
        browser = Browser(page, server)
        await context.route("**/*", browser.guard)
        yield browser


async def test_graphiql_renders_offline_documents_the_schema_and_enrolls_by_cookie(
    browser_on: Browser, server: str
) -> None:
    browser, page = browser_on, browser_on.page

    # given: GraphiQL opened on the ready document, its files all from the server
    await page.goto(f"{server}/graphql")
    try:
        await page.locator(QUERY_EDITOR).wait_for()
    except PlaywrightTimeoutError:
        pytest.fail(f"GraphiQL never rendered; it asked outside the server for {browser.outside}")
    await browser.screenshot("1-graphiql-loaded.png")
    document = (files("graph.http.graphiql") / "operations.graphql").read_text()
    assert await browser.editor_text(QUERY_EDITOR) == document

    # when: the developer opens the docs and finds the mutations
    await page.get_by_role("button", name="Show Documentation Explorer").click()
    docs = page.locator(".graphiql-doc-explorer")
    await docs.get_by_text("Mutation", exact=True).click()
    await docs.get_by_text("logIn", exact=True).wait_for()
    await browser.screenshot("2-docs-open.png")

    # and signs in and enrolls the authenticator app, one operation at a time
    await browser.set_variables(email=EMAIL, password=PASSWORD)
    assert (await browser.run("LogIn"))["data"]["logIn"]["__typename"] == "MfaSetupRequired"
    selection = (await browser.run("StartMfaSetup"))["data"]["startMfaSetup"]
    assert selection["__typename"] == "MfaMethodSelection"
    assert "AUTHENTICATOR_APP" in selection["allowedMethods"]
    await browser.set_variables(method="AUTHENTICATOR_APP")
    chosen = (await browser.run("ChooseMfaMethod"))["data"]["chooseMfaMethod"]
    assert chosen["__typename"] == "AuthenticatorAppMethodChosen"
    code = pyotp.TOTP(chosen["secret"].replace(" ", "")).now()
    await browser.set_variables(code=code)
    verified = (await browser.run("VerifyAuthenticatorCode"))["data"]["verifyAuthenticatorCode"]
    assert verified["__typename"] == "RecoveryCodeIssued"
    saved = (await browser.run("ConfirmRecoveryCodeSaved"))["data"]["confirmRecoveryCodeSaved"]
    await browser.screenshot("3-enrolled.png")
    viewer = (await browser.run("Viewer"))["data"]["viewer"]

    # then: signed in through the cookie alone, from the server's own origin
    assert saved["__typename"] == "LoggedIn"
    assert viewer["email"] == EMAIL
    assert viewer["mfa"]["methods"] == ["AUTHENTICATOR_APP"]
    cookies = {c["name"]: c for c in await page.context.cookies()}
    assert cookies["__Host-twofold-session"]["httpOnly"]
    assert browser.origins == {server}
    # and the browser asked for nothing outside the server: no CDN, no fonts
    assert browser.outside == []
