"""What the reference app's browser tests (tests/web/) share: one `twofold serve` per test module, a fresh
Chromium context per test, and a `Web` page object that reads the screen as a person does,
checks it with axe-core and screenshots it at desktop and phone widths."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyotp
import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import (
    Browser,
    CDPSession,
    Page,
    Request,
    Route,
    expect,
)

from tests.support.chromium import launched_chromium
from tests.support.constants import PASSWORD
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.served import free_port, run_twofold, serve, server_environment

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
_AXE = Axe()


@dataclass(frozen=True)
class Served:
    base: str
    env: dict[str, str]
    cwd: Path
    messagebird: MessageBirdStandIn

    def create_user(self, email: str, role: str, *extra: str, company: str = "Acme") -> None:
        user = ["--email", email, "--password", PASSWORD, "--role", role, "--company", company]
        created = run_twofold(self.env, self.cwd, "create-user", *user, *extra)
        assert created.returncode == 0, created.stderr

    def codes_to(self, phone_e164: str) -> list[str]:
        return self.messagebird.codes_for(phone_e164)

    def company(self, name: str, *flags: str) -> None:
        """Change a company's rules, as `twofold company NAME ...` does."""
        changed = run_twofold(self.env, self.cwd, "company", name, *flags)
        assert changed.returncode == 0, changed.stderr


@contextmanager
def serving(
    database_url: str,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    cwd: Path,
    host: str = "127.0.0.1",
    **settings: str,
) -> Iterator[Served]:
    """`twofold serve` for a module's browser tests, opened at http://HOST:PORT (the process
    listens on 127.0.0.1; `localhost` is the address WebAuthn needs, as its relying party id
    cannot be an IP address)."""
    port = free_port()
    base = f"http://{host}:{port}"
    env = {
        **server_environment(database_url, messagebird, mailbox),
        "ALLOWED_ORIGINS": base,
        # A resend a test can wait for; every text comes from one loopback address.
        "SMS_RESEND_COOLDOWN_SECONDS": "2",
        "SMS_PER_IP_PER_HOUR": "1000",
        **settings,
    }
    with serve(env, cwd, port):
        yield Served(base, env, cwd, messagebird)


@pytest.fixture(scope="module")
def served(
    database_url: str,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Served]:
    """One server for the module's tests: each test uses its own users and phone numbers."""
    with serving(database_url, messagebird, mailbox, tmp_path_factory.mktemp("web-served")) as s:
        yield s


@pytest.fixture(scope="module")
async def chromium() -> AsyncIterator[Browser]:
    async with launched_chromium() as browser:
        yield browser


class AppCodes:
    """An authenticator app: each code it gives is for a later time step than the last one
    (Twofold refuses a step it has accepted before), within the server's drift window."""

    def __init__(self, secret: str) -> None:
        self.totp = pyotp.TOTP(secret.replace(" ", ""))
        self.last_step = -1

    def next(self) -> str:
        # Never the previous step: the server's clock may already be one step further.
        now = int(time.time()) // 30
        step = max(self.last_step + 1, now)
        if step > now + 1:
            time.sleep((step - 1) * 30 - time.time() + 0.5)
        self.last_step = step
        return str(self.totp.at(step * 30))


class Web:
    """One person's browser tab on the app; nothing outside the server is reachable."""

    def __init__(self, page: Page, base: str, folder: Path) -> None:
        self.page = page
        self.base = base
        self.folder = folder
        self.outside: list[str] = []
        self.shots = 0

    async def guard(self, route: Route, request: Request) -> None:
        if request.url.startswith(f"{self.base}/"):
            await route.continue_()
        else:
            self.outside.append(request.url)
            await route.abort("blockedbyclient")

    async def open(self) -> None:
        await self.page.goto(f"{self.base}/")

    async def reload(self) -> None:
        await self.page.reload()

    async def plug_in_authenticator(self) -> tuple[CDPSession, str]:
        """Chromium's virtual authenticator, as a platform authenticator with user verification
        (a passkey-capable device) that answers by itself; returns the session and its id."""
        cdp = await self.page.context.new_cdp_session(self.page)
        await cdp.send("WebAuthn.enable")
        added = await cdp.send(
            "WebAuthn.addVirtualAuthenticator",
            {
                "options": {
                    "protocol": "ctap2",
                    "transport": "internal",
                    "hasResidentKey": True,
                    "hasUserVerification": True,
                    "isUserVerified": True,
                    "automaticPresenceSimulation": True,
                }
            },
        )
        return cdp, str(added["authenticatorId"])

    async def at(self, heading: str) -> None:
        """The screen titled `heading` is shown and focus is on its title."""
        title = self.page.locator("h1")
        await expect(title).to_have_text(heading)
        await expect(title).to_be_focused()

    async def look(self, name: str) -> None:
        """axe-core finds no serious or critical problem; screenshots at both widths."""
        results = await _AXE.run(self.page)
        bad = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert bad == [], f"{name}: {bad}"
        self.shots += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = f"{self.shots:02d}-{name}"
        await self.page.screenshot(path=self.folder / f"{stem}-desktop.png", full_page=True)
        await self.page.set_viewport_size(PHONE)
        await self.page.screenshot(path=self.folder / f"{stem}-360.png", full_page=True)
        width = await self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name} scrolls sideways at 360 px ({width} px wide)"
        await self.page.set_viewport_size(DESKTOP)

    def button(self, name: str):  # type: ignore[no-untyped-def]
        return self.page.get_by_role("button", name=name, exact=True)

    async def click(self, name: str) -> None:
        await self.button(name).click()

    def input(self, label: str):  # type: ignore[no-untyped-def]
        return self.page.get_by_label(label, exact=True)

    async def fill(self, label: str, value: str) -> None:
        await self.input(label).fill(value)

    async def field_error(self, label: str) -> str:
        """The error shown at a field: the field is marked invalid, focused, and describes it."""
        field = self.page.get_by_label(label, exact=True)
        await expect(field).to_have_attribute("aria-invalid", "true")
        await expect(field).to_be_focused()
        described = (await field.get_attribute("aria-describedby") or "").split()
        texts = [await self.page.locator(f"#{i}").inner_text() for i in described]
        return " ".join(texts)

    async def alert(self) -> str:
        box = self.page.locator("[role=alert]:visible")
        await expect(box).to_be_focused()
        return await box.inner_text()


@pytest.fixture
async def web(
    chromium: Browser, served: Served, request: pytest.FixtureRequest
) -> AsyncIterator[Web]:
    context = await chromium.new_context(viewport=DESKTOP, accept_downloads=True)
    await context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.base)
    page = await context.new_page()
    page.set_default_timeout(15_000)
    tab = Web(page, served.base, ARTIFACTS / request.node.name)
    await context.route("**/*", tab.guard)
    try:
        yield tab
        # and: the app asked for nothing outside the server
        assert tab.outside == []
    finally:
        await context.close()


async def sign_in(web: Web, email: str, password: str = PASSWORD) -> None:
    """Identifier-first: the email, then the password (already at the password after a
    wrong one: the email stays)."""
    if not await web.input("Password").count():
        await web.fill("Email", email)
        await web.click("Continue")
    await web.fill("Password", password)
    await web.click("Continue")


async def save_recovery_code(web: Web) -> str:
    """At 'Save Your Recovery Code' (focus may have moved to Copy or Download): read the
    code, tick the box, Continue."""
    await expect(web.page.locator("h1")).to_have_text("Save Your Recovery Code")
    code = await web.page.locator("#recovery-code").inner_text()
    await web.input("I Have Securely Saved This Code").check()
    await web.click("Continue")
    return code


async def enroll_with_sms(web: Web, served: Served, email: str, phone: str) -> str:
    """Sign in and enroll `phone` (E.164, +1); returns the recovery code. Ends signed in."""
    await web.open()
    await sign_in(web, email)
    await web.at("Two-Factor Authentication Required")
    await web.click("Set Up Now")
    await web.page.get_by_role("radio", name="SMS Verification").check()
    await web.click("Continue")
    await web.fill("Enter Your Phone Number", phone[2:])
    await web.click("Send Text Message")
    await web.at("Enter the 6-Digit Verification Code")
    await web.fill("6-digit verification code", served.codes_to(phone)[-1])
    await web.click("Continue")
    recovery = await save_recovery_code(web)
    await web.at("Your Account")
    return recovery


async def enroll_with_app(web: Web, email: str) -> tuple[AppCodes, str]:
    """Sign in and enroll the authenticator app; returns the app and the recovery code."""
    await web.open()
    await sign_in(web, email)
    await web.at("Two-Factor Authentication Required")
    await web.click("Set Up Now")
    await web.page.get_by_role("radio", name="Authenticator App").check()
    await web.click("Continue")
    app = await scan(web)
    recovery = await save_recovery_code(web)
    await web.at("Your Account")
    return app, recovery


async def scan(web: Web) -> AppCodes:
    """At 'Set Up Authenticator App': add the key to an app and type its code."""
    await web.at("Set Up Authenticator App")
    app = AppCodes(await web.page.locator("#manual-key").inner_text())
    await web.fill("6-digit code from your app", app.next())
    await web.click("Continue")
    return app
