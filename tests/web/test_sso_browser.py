"""Single sign-on in the reference app, in Chromium against a real `twofold serve` and a real
OpenID provider: the email first, "Continue with SSO", the provider's own login page, then
Twofold's MFA (a payor still enrolls the app) to the account page; a refusal shows its code."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Request, Route, expect

from tests.support.idp import Idp, idp
from tests.support.web_app import ARTIFACTS, DESKTOP, Served, Web, save_recovery_code, scan

__all__ = ["idp"]  # the fixture, used by name

pytestmark = [pytest.mark.browser, pytest.mark.server]

COMPANY, DOMAIN = "SsoCo", "ssoco.example"


class WebWithIdp(Web):
    """A tab that may also reach the identity provider (its login page), nothing else."""

    def __init__(self, page: object, base: str, folder: Path, issuer: str) -> None:
        super().__init__(page, base, folder)  # type: ignore[arg-type]
        self.issuer = issuer

    async def guard(self, route: Route, request: Request) -> None:
        if request.url.startswith(f"{self.issuer}/"):
            await route.continue_()
        else:
            await super().guard(route, request)


@pytest.fixture
async def web_idp(
    chromium: Browser, served: Served, idp: Idp, request: pytest.FixtureRequest
) -> AsyncIterator[WebWithIdp]:
    context = await chromium.new_context(viewport=DESKTOP)
    page = await context.new_page()
    page.set_default_timeout(15_000)
    tab = WebWithIdp(page, served.base, ARTIFACTS / request.node.name, idp.issuer)
    await context.route("**/*", tab.guard)
    try:
        yield tab
        assert tab.outside == []
    finally:
        await context.close()


def connect(served: Served, idp: Idp, tmp_path: Path) -> None:
    """The operator's steps in docs/sso.md: company and domain, the client at the provider,
    `twofold sso add`, then the printed redirect URI registered at the provider."""
    from tests.support.served import run_twofold

    served.create_user(f"sso.payor@{DOMAIN}", "payor", company=COMPANY)
    served.company(COMPANY, "--sso-domain", DOMAIN)
    registration = idp.client("https://placeholder.invalid/callback")
    secret = tmp_path / "client-secret"
    secret.write_text(registration["client_secret"])
    added = run_twofold(
        served.env, served.cwd, "sso", "add", COMPANY, "--oidc", "--name", "SsoCo IdP",
        "--issuer", idp.issuer, "--client-id", registration["client_id"],
        "--client-secret-file", str(secret),
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    found = re.search(r"provider (\S+) for", added.stdout)
    assert found, added.stdout
    idp.redirect_to(registration, f"{served.base}/sso/oidc/{found.group(1)}/callback")


async def test_a_payor_signs_in_through_the_provider_and_enrolls_the_app(
    web_idp: WebWithIdp, served: Served, idp: Idp, tmp_path: Path
) -> None:
    # given
    connect(served, idp, tmp_path)
    idp.account("ssopayor", f"sso.payor@{DOMAIN}")
    idp.account("unverified", f"sso.payor@{DOMAIN}", email_verified=False)
    web = web_idp
    page = web.page

    # when: the email first; its domain offers single sign-on only
    await web.open()
    await web.fill("Email", f"sso.payor@{DOMAIN}")
    await web.click("Continue")
    await expect(web.input("Password")).to_have_count(0)
    # no password, so nothing to forget
    await expect(page.get_by_role("button", name="Forgot password?")).to_have_count(0)
    await web.look("sso-sign-in")
    await web.click("Continue with SSO (SsoCo IdP)")
    # the provider's own page
    await expect(page.locator("h1")).to_have_text("Test IdP sign-in")
    web.folder.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=web.folder / "01b-identity-provider-desktop.png")
    await page.get_by_label("Account").fill("ssopayor")
    await page.get_by_role("button", name="Sign in at the IdP").click()

    # then: back at Twofold's MFA, which a payor must set up
    await web.at("Two-Factor Authentication Required")
    await web.look("mfa-required-after-sso")
    await web.click("Set Up Now")
    await page.get_by_role("radio", name="Authenticator App").check()
    await web.look("payor-method-selection")
    await web.click("Continue")
    await web.at("Set Up Authenticator App")
    await web.look("app-setup")
    await scan(web)
    await expect(page.locator("h1")).to_have_text("Save Your Recovery Code")
    await web.look("recovery-code")
    await save_recovery_code(web)
    await web.at("Your Account")
    await web.look("account")
    await web.click("Sign Out")
    await web.at("Sign In")

    # when: someone else at the provider (its own session forgotten), whose email it does not
    # vouch for
    await page.context.clear_cookies()
    await web.fill("Email", f"sso.payor@{DOMAIN}")
    await web.click("Continue")
    await web.click("Continue with SSO (SsoCo IdP)")
    await page.get_by_label("Account").fill("unverified")
    await page.get_by_role("button", name="Sign in at the IdP").click()

    # then: a new subject links only by a verified email
    await web.at("Single Sign-On Failed")
    await expect(page.locator(".error-code")).to_have_text("SSO_EMAIL_NOT_VERIFIED")
    await web.look("sso-error")
