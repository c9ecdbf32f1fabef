"""First-time enrollment in the reference app, click by click in Chromium, against a real
`twofold serve`: a payee with SMS (codes read from the MessageBird stand-in), a payor with the
authenticator app (codes computed from the key the page shows). Every screen is checked with
axe-core and screenshotted at desktop and 360 px under test-artifacts/web/<test>/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import expect

from tests.support.constants import PASSWORD
from tests.support.web_app import AppCodes, Served, Web, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.server]


async def test_a_payee_enrolls_with_sms_click_by_click(web: Web, served: Served) -> None:
    email, phone = "web.sms.payee@example.com", "+12015550141"
    served.create_user(email, "payee")
    page = web.page

    # given: the app opened at /
    await web.open()
    await web.at("Sign In")
    await web.look("sign-in")

    # when: a wrong password, then the right one
    await sign_in(web, email, "not the password")
    assert "password" in (await web.alert()).lower()
    await web.look("sign-in-error")
    await sign_in(web, email)

    # then: enrollment is required, and the app is the recommended method
    await web.at("Two-Factor Authentication Required")
    await web.look("setup-required")
    await web.click("Set Up Now")
    await web.at("Select an Authentication Method")
    app_choice = page.get_by_role("radio", name="Authenticator App")
    await expect(app_choice).to_be_checked()
    await expect(page.locator("label", has=page.get_by_text("Recommended"))).to_contain_text(
        "Authenticator App"
    )
    await web.look("method-selection")

    # when: SMS chosen, a bad number, then a good one
    await page.get_by_role("radio", name="SMS Verification").check()
    await web.click("Continue")
    await web.at("Set Up SMS Verification")
    await expect(web.input("Select Your Country Code")).to_have_value("+1")
    await web.look("sms-setup")
    await web.fill("Enter Your Phone Number", "12")
    await web.click("Send Text Message")
    assert await web.field_error("Enter Your Phone Number")
    await web.look("sms-setup-error")
    await web.fill("Enter Your Phone Number", f"{phone[2:5]} {phone[5:8]} {phone[8:]}")
    await web.click("Send Text Message")

    # then: the code screen, as the product describes it
    await web.at("Enter the 6-Digit Verification Code")
    code_input = web.input("6-digit verification code")
    await expect(code_input).to_have_attribute("autocomplete", "one-time-code")
    await expect(code_input).to_have_attribute("inputmode", "numeric")
    await expect(page.get_by_text("Keep your verification code private.")).to_be_visible()
    await expect(page.get_by_text("Your code expires at")).to_be_visible()
    await expect(page.get_by_text(f"code to +*********{phone[-2:]}")).to_be_visible()
    await expect(web.button("Resend New Code")).to_be_disabled()
    await expect(page.get_by_text("You can ask for a new code in")).to_be_visible()
    await web.look("code-entry")
    assert len(served.codes_to(phone)) == 1

    # when: the page is reloaded in the middle of the flow
    await web.reload()
    await web.at("Enter the 6-Digit Verification Code")

    # and: a wrong code, then a new code asked for once the countdown ends
    await web.fill("6-digit verification code", "000000")
    await web.click("Continue")
    error = await web.field_error("6-digit verification code")
    assert "4 attempts left" in error
    await web.look("code-entry-wrong-code")
    await expect(web.button("Resend New Code")).to_be_enabled(timeout=10_000)
    await web.click("Resend New Code")
    await expect(page.get_by_text("We sent a new code")).to_be_visible()
    codes = served.codes_to(phone)
    assert len(codes) == 2

    # and: the right code
    await web.fill("6-digit verification code", codes[-1])
    await web.click("Continue")

    # then: the recovery code, Continue held until the box is ticked
    await web.at("Save Your Recovery Code")
    recovery = await page.locator("#recovery-code").inner_text()
    continue_button = web.button("Continue")
    await expect(continue_button).to_be_disabled()
    await web.click("Copy")
    assert await page.evaluate("navigator.clipboard.readText()") == recovery
    async with page.expect_download() as downloading:
        await web.click("Download")
    download = await downloading.value
    assert download.suggested_filename == "twofold-recovery-code.txt"
    assert recovery in Path(await download.path()).read_text()
    await web.look("recovery-code")
    await web.input("I Have Securely Saved This Code").check()
    await expect(continue_button).to_be_enabled()
    await continue_button.click()

    # then: signed in, SMS the only factor
    await web.at("Your Account")
    await expect(page.get_by_text(f"Signed in as {email}.")).to_be_visible()
    await expect(page.locator(".factor")).to_have_count(1)
    await expect(page.locator(".factor")).to_contain_text("SMS Verification")
    await web.look("account")
    cookies = {c["name"]: c for c in await page.context.cookies()}
    assert cookies["__Host-twofold-session"]["httpOnly"]
    assert await page.evaluate("document.cookie") == ""


async def test_a_payor_enrolls_the_app_and_sms_is_not_offered(web: Web, served: Served) -> None:
    email = "web.app.payor@example.com"
    served.create_user(email, "payor")
    page = web.page

    # given: signed in with the password, with the keyboard alone
    await web.open()
    await web.at("Sign In")
    keyboard = page.keyboard
    await keyboard.press("Tab")
    await expect(web.input("Email")).to_be_focused()
    await keyboard.type(email)
    await keyboard.press("Enter")
    # identifier-first: the password field comes next, focused
    await expect(web.input("Password")).to_be_focused()
    await keyboard.type(PASSWORD)
    await keyboard.press("Enter")
    await web.at("Two-Factor Authentication Required")
    await keyboard.press("Tab")
    await expect(web.button("Set Up Now")).to_be_focused()
    await keyboard.press("Enter")

    # then: the app (recommended) and security keys are offered, never SMS
    await web.at("Select an Authentication Method")
    await expect(page.get_by_role("radio")).to_have_count(2)
    await expect(page.get_by_role("radio", name="Authenticator App")).to_be_checked()
    await expect(page.get_by_role("radio", name="Security Key or Passkey")).not_to_be_checked()
    await expect(page.get_by_role("radio", name="SMS Verification")).to_have_count(0)
    await web.look("method-selection-payor")
    await keyboard.press("Tab")
    await keyboard.press("Tab")
    await expect(web.button("Continue")).to_be_focused()
    await keyboard.press("Enter")

    # when: the app set-up shows the QR code and the key, also after a reload
    await web.at("Set Up Authenticator App")
    await expect(page.get_by_role("img", name="QR code")).to_be_visible()
    key = await page.locator("#manual-key").inner_text()
    await web.look("app-setup")
    await web.reload()
    await web.at("Set Up Authenticator App")
    assert await page.locator("#manual-key").inner_text() == key
    app = AppCodes(key)

    # and: a wrong code, then the app's code
    await web.fill("6-digit code from your app", "000000")
    await web.click("Continue")
    assert "attempts left" in await web.field_error("6-digit code from your app")
    await web.fill("6-digit code from your app", app.next())
    await web.click("Continue")

    # and: the recovery code, lost to a reload: a new one takes its place
    await web.at("Save Your Recovery Code")
    first = await page.locator("#recovery-code").inner_text()
    await web.reload()
    await web.at("Save Your Recovery Code")
    await expect(page.get_by_text("here is a new recovery code")).to_be_visible()
    second = await page.locator("#recovery-code").inner_text()
    assert second != first
    await web.input("I Have Securely Saved This Code").check()
    await web.click("Continue")

    # then: signed in with the app
    await web.at("Your Account")
    await expect(page.locator(".factor")).to_contain_text("Authenticator App")


async def test_a_sign_in_brake_says_when_to_try_again(web: Web) -> None:
    # given: the app opened at /
    await web.open()
    await web.at("Sign In")

    # when: wrong passwords, one after another, until the brake holds
    messages = []
    for _ in range(8):
        await sign_in(web, "web.brake@example.com", "wrong password")
        messages.append(await web.alert())
        if "try again at" in messages[-1]:
            break

    # then: the page says when the user may try again, and the form still works
    assert "You can try again at" in messages[-1], messages
    assert "(in " in messages[-1]
    await web.look("sign-in-rate-limited")
    await expect(web.input("Password")).to_be_editable()
