"""Security keys, passkeys and trusted browsers in the reference app, in Chromium with its
virtual authenticator (Chrome DevTools Protocol) against a real `twofold serve` opened at
http://localhost:PORT: WebAuthn needs a secure context and a relying party id that is a host
name, not an IP address. Every screen is checked with axe-core and screenshotted at desktop and
360 px under test-artifacts/web/<test>/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.async_api import expect
from starlette.applications import Starlette

from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.records import age_second_factor
from tests.support.web_app import Served, Web, save_recovery_code, scan, serving, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture(scope="module")
def served(
    database_url: str,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Served]:
    """The app at http://localhost:PORT, its relying party `localhost`, passkey sign-in on."""
    cwd = tmp_path_factory.mktemp("web-keys")
    with serving(database_url, messagebird, mailbox, cwd, "localhost", PASSKEY_SIGN_IN="true") as s:
        yield s


async def enroll_with_key(web: Web, email: str, name: str, look: bool = False) -> str:
    """Sign in and register the virtual authenticator as `name`; returns the recovery code."""
    await web.open()
    await web.at("Sign In")
    await sign_in(web, email)
    await web.at("Two-Factor Authentication Required")
    await web.click("Set Up Now")
    await web.at("Select an Authentication Method")
    choice = web.page.get_by_role("radio", name="Security Key or Passkey")
    await expect(choice).not_to_be_checked()
    if look:
        await web.look("method-selection")
    await choice.check()
    await web.click("Continue")
    await web.at("Register Your Security Key")
    if look:
        await web.look("register-key")
        # a reload asks for new creation options and shows the screen again
        await web.reload()
        await web.at("Register Your Security Key")
    await web.fill("Key name", name)
    await web.click("Register Security Key")
    if look:
        await web.at("Save Your Recovery Code")
        await web.look("recovery-code")
    recovery = await save_recovery_code(web)
    await web.at("Your Account")
    return recovery


def key_row(web: Web, name: str):  # type: ignore[no-untyped-def]
    keys = web.page.get_by_role("list", name="Your security keys")
    return keys.get_by_role("listitem").filter(has_text=name)


async def test_a_payor_registers_a_key_while_enrolling_and_signs_in_with_it(
    web: Web, served: Served
) -> None:
    email = "web.key.payor@example.com"
    served.create_user(email, "payor")
    await web.plug_in_authenticator()

    # given: the app (recommended) and security keys offered; the payor picks a key
    await web.open()
    await web.at("Sign In")
    await expect(web.button("Sign in with a passkey")).to_be_visible()
    await web.look("sign-in-with-passkey-offered")
    await enroll_with_key(web, email, "Blue USB key", look=True)

    # then: signed in, the key listed by its name and date, never used yet
    await expect(key_row(web, "Blue USB key")).to_contain_text("Not used yet")
    await web.look("account-with-key")

    # when: signed out, then in again with the password and the key
    await web.click("Sign Out")
    await web.at("Sign In")
    await sign_in(web, email)
    await web.at("Two-Factor Authentication")
    await expect(web.input("Trust this browser for 30 days")).to_have_count(0)
    await web.look("challenge-security-key")
    await web.click("Use your security key")

    # then: signed in, and the key's last use is shown
    await web.at("Your Account")
    await expect(key_row(web, "Blue USB key")).to_contain_text("Last used")


async def test_a_passkey_signs_in_without_the_password(web: Web, served: Served) -> None:
    email = "web.passkey.payor@example.com"
    served.create_user(email, "payor")
    await web.plug_in_authenticator()
    await enroll_with_key(web, email, "This laptop")
    await web.click("Sign Out")
    await web.at("Sign In")

    # when
    await web.click("Sign in with a passkey")

    # then
    await web.at("Your Account")
    await expect(web.page.locator("#who")).to_have_text(email)


async def test_a_passkey_that_cannot_verify_the_user_is_refused_in_words(
    web: Web, served: Served
) -> None:
    email = "web.passkey.unverified@example.com"
    served.create_user(email, "payor")
    cdp, authenticator = await web.plug_in_authenticator()
    await enroll_with_key(web, email, "Unverified laptop")
    await web.click("Sign Out")
    await web.at("Sign In")

    # given: the device can no longer verify its user (no PIN, no fingerprint)
    verified = {"authenticatorId": authenticator, "isUserVerified": False}
    await cdp.send("WebAuthn.setUserVerified", verified)

    # when
    await web.click("Sign in with a passkey")

    # then: an alert says what to do, and the password form still works
    assert "Try again" in await web.alert()
    await web.look("passkey-refused")
    await sign_in(web, email)
    await web.at("Two-Factor Authentication")


async def test_a_key_is_renamed_and_removed_from_the_account_page(
    app: Starlette, web: Web, served: Served
) -> None:
    # `app` opens the database in this process, so the test can age the session's factor.
    email = "web.key.remove@example.com"
    served.create_user(email, "payor")
    await web.plug_in_authenticator()
    await enroll_with_key(web, email, "Old key")
    page = web.page

    # given: the authenticator app added too, so the key is not the last factor
    await web.click("Add Authenticator App")
    await scan(web)
    await web.at("Your Account")

    # when: the key is renamed
    await web.click("Rename Old key")
    await web.at("Rename Security Key")
    await expect(web.input("New name")).to_have_value("Old key")
    await web.look("rename-key")
    await web.fill("New name", "Drawer key")
    await web.click("Save Name")

    # then
    await web.at("Your Account")
    await expect(key_row(web, "Drawer key")).to_have_count(1)
    await web.look("account-key-and-app")

    # when: removed, with the last factor proven 20 minutes ago
    assert await age_second_factor(email, minutes=20) == 1
    await web.reload()
    await web.at("Your Account")
    await web.click("Remove Drawer key")

    # then: the key itself confirms it's the user, and the change goes on by itself
    await web.at("Confirm It's You")
    await expect(web.button("Use the authenticator app instead")).to_be_visible()
    await web.look("reauthenticate-with-key")
    await web.click("Use your security key")
    await web.at("Your Account")
    await expect(page.get_by_role("status").filter(has_text="was removed")).to_be_visible()
    await expect(page.get_by_role("list", name="Your security keys")).to_have_count(0)
    await expect(page.locator(".factor")).to_have_count(1)
    await expect(page.locator(".factor")).to_contain_text("Authenticator App")


async def test_a_trusted_browser_skips_the_challenge_until_it_is_forgotten(
    web: Web, served: Served
) -> None:
    email = "web.key.trust@example.com"
    served.create_user(email, "payor", company="Trusting")
    served.company("Trusting", "--allow-trusted-browsers")
    await web.plug_in_authenticator()
    await enroll_with_key(web, email, "Trusting key")
    await web.click("Sign Out")

    # given: signed in with the key, trusting this browser
    await sign_in(web, email)
    await web.at("Two-Factor Authentication")
    trust = web.input("Trust this browser for 30 days")
    await expect(trust).not_to_be_checked()
    await trust.check()
    await web.look("challenge-trust-browser")
    await web.click("Use your security key")
    await web.at("Your Account")
    await web.click("Sign Out")

    # when: signing in again
    await sign_in(web, email)

    # then: no challenge; the browser is listed
    await web.at("Your Account")
    browsers = web.page.get_by_role("list", name="Your trusted browsers")
    await expect(browsers.get_by_role("listitem")).to_have_count(1)
    await expect(browsers).to_contain_text("Chrome")
    await web.look("account-trusted-browser")

    # when: forgotten, signed out, and signing in again
    await web.page.get_by_role("button", name="Forget browser 1").click()
    await web.at("Your Account")
    await expect(browsers).to_have_count(0)
    await web.click("Sign Out")
    await sign_in(web, email)

    # then: the challenge is back
    await web.at("Two-Factor Authentication")
    await expect(web.button("Use your security key")).to_be_visible()


async def test_a_second_key_is_added_after_confirming_with_the_first(
    app: Starlette, web: Web, served: Served
) -> None:
    email = "web.key.add@example.com"
    served.create_user(email, "payor")
    cdp, first = await web.plug_in_authenticator()
    await enroll_with_key(web, email, "First key")
    page = web.page

    # given: the last factor was proven 20 minutes ago
    assert await age_second_factor(email, minutes=20) == 1
    await web.reload()
    await web.at("Your Account")

    # when: another key is added, confirming with the first one
    await web.click("Add Security Key")
    await web.at("Confirm It's You")
    await web.click("Use your security key")
    await web.at("Register Your Security Key")
    await expect(web.button("Back to your account")).to_be_visible()
    await cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": first})
    await web.plug_in_authenticator()
    await web.fill("Key name", "Second key")
    await web.click("Register Security Key")

    # then: both keys are listed
    await web.at("Your Account")
    await expect(page.get_by_role("status").filter(has_text="Second key")).to_be_visible()
    keys = page.get_by_role("list", name="Your security keys").get_by_role("listitem")
    await expect(keys).to_have_count(2)
    await web.look("account-two-keys")

    # when: the first key is removed (the change comes right after a confirmation)
    await web.click("Remove First key")

    # then: the second key is left
    await web.at("Your Account")
    await expect(keys).to_have_count(1)
    await expect(keys).to_contain_text("Second key")
