"""The returning user and the signed-in user in the reference app, in Chromium against a real
`twofold serve`: sign-in with each factor and with the recovery code, every self-service action
(with the reauthentication prompt once the last second factor is old), sign out everywhere, and
a company admin's MFA reset. Every screen is checked with axe-core and screenshotted."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import expect
from starlette.applications import Starlette

from tests.support.records import age_second_factor
from tests.support.web_app import (
    Served,
    Web,
    enroll_with_app,
    enroll_with_sms,
    save_recovery_code,
    scan,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.server]


async def sign_out(web: Web) -> None:
    await web.click("Sign Out")
    await web.at("Sign In")
    await expect(web.page.get_by_text("You signed out.")).to_be_visible()


async def test_a_returning_payee_signs_in_with_sms_with_the_app_and_with_the_recovery_code(
    web: Web, served: Served
) -> None:
    email, phone = "web.returning@example.com", "+12015550151"
    served.create_user(email, "payee")
    page = web.page
    recovery = await enroll_with_sms(web, served, email, phone)

    # given: the app added as a second factor, SMS kept as the preferred one
    await web.click("Add Authenticator App")
    await web.at("Set Up Authenticator App")
    await web.look("app-add")
    app = await scan(web)
    await web.at("Your Account")
    await expect(page.get_by_text("Your authenticator app was added.")).to_be_visible()
    await expect(page.locator(".factor")).to_have_count(2)
    if await web.button("Make SMS Verification preferred").count():
        await web.click("Make SMS Verification preferred")
        await expect(
            page.get_by_text("SMS Verification is now your preferred method.")
        ).to_be_visible()
    await web.look("account-two-factors")
    await sign_out(web)

    # when: signing in with a text message, reloading in the middle
    await sign_in(web, email)
    await web.at("Two-Factor Authentication")
    await web.look("challenge-sms")
    sent_before = len(served.codes_to(phone))
    await web.click("Send Text Message")
    await web.at("Enter the 6-Digit Verification Code")
    await web.reload()
    await web.at("Enter the 6-Digit Verification Code")
    await web.look("challenge-sms-code")
    codes = served.codes_to(phone)
    assert len(codes) == sent_before + 1
    await web.fill("6-digit verification code", codes[-1])
    await web.click("Continue")

    # then: signed in
    await web.at("Your Account")
    await sign_out(web)

    # when: signing in with the app instead, a wrong code first
    await sign_in(web, email)
    await web.at("Two-Factor Authentication")
    await web.click("Use the authenticator app instead")
    await web.at("Two-Factor Authentication")
    label = "6-digit code from your authenticator app"
    await web.fill(label, "000000")
    await web.click("Continue")
    assert "attempts left" in await web.field_error(label)
    await web.look("challenge-app-wrong-code")
    await web.fill(label, app.next())
    await web.click("Continue")
    await web.at("Your Account")
    await sign_out(web)

    # when: signing in with the recovery code, a wrong one first
    await sign_in(web, email)
    await web.at("Two-Factor Authentication")
    await web.click("Use a recovery code")
    await web.at("Use a Recovery Code")
    await web.fill("Recovery code", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
    await web.click("Continue")
    assert await web.field_error("Recovery code")
    await web.look("recovery-login-wrong")
    await web.fill("Recovery code", recovery)
    await web.click("Continue")

    # then: a new recovery code, downloaded and saved before the session starts
    await web.at("Save Your Recovery Code")
    await expect(page.get_by_text("Your recovery code worked and is now used up.")).to_be_visible()
    new_code = await page.locator("#recovery-code").inner_text()
    assert new_code != recovery
    async with page.expect_download() as downloading:
        await web.click("Download")
    assert new_code in Path(await (await downloading.value).path()).read_text()
    await web.look("recovery-login-new-code")
    assert await save_recovery_code(web) == new_code
    await web.at("Your Account")


async def test_every_self_service_action_asks_for_a_fresh_factor_when_the_last_is_old(
    app: Starlette, web: Web, served: Served
) -> None:
    # `app` opens the database in this process, so the test can age the session's factor.
    email, phone, new_phone = "web.self.service@example.com", "+12015550161", "+12015550162"
    served.create_user(email, "payee")
    page = web.page
    await enroll_with_sms(web, served, email, phone)

    # given: the second factor was proven 20 minutes ago
    assert await age_second_factor(email, minutes=20) == 1
    await web.reload()
    await web.at("Your Account")
    await expect(page.get_by_text("Changes ask you to confirm it's you")).to_be_visible()

    # when: the phone number is changed
    await web.click("Change Phone Number")
    await web.at("Change Your Phone Number")
    await web.look("phone-change")
    await web.fill("Enter Your Phone Number", new_phone[2:])
    await web.click("Send Text Message")

    # then: the user confirms it is them first, with a code to the old number
    await web.at("Confirm It's You")
    await web.look("reauthenticate")
    await web.click("Send Text Message")
    await web.at("Confirm It's You")
    await web.fill("6-digit verification code", served.codes_to(phone)[-1])
    await web.click("Continue")

    # and: the change goes on by itself: a code to the new number confirms it
    await web.at("Confirm Your New Phone Number")
    await web.reload()
    await web.at("Confirm Your New Phone Number")
    await web.look("phone-change-code")
    await web.fill("6-digit verification code", served.codes_to(new_phone)[-1])
    await web.click("Continue")
    await web.at("Your Account")
    await expect(page.get_by_text("Your phone number was changed.")).to_be_visible()
    await expect(page.locator(".factor")).to_contain_text(f"+*********{new_phone[-2:]}")

    # when: the app is added, made preferred, the recovery code renewed, SMS removed
    await web.click("Add Authenticator App")
    app_codes = await scan(web)
    await web.at("Your Account")
    await web.click("Make Authenticator App preferred")
    await expect(
        page.get_by_text("Authenticator App is now your preferred method.")
    ).to_be_visible()
    await web.click("Get a New Recovery Code")
    await save_recovery_code(web)
    await web.at("Your Account")
    await expect(page.get_by_text("Your new recovery code is saved.")).to_be_visible()
    await web.click("Remove SMS Verification")
    await web.at("Your Account")
    await expect(page.get_by_text("SMS Verification was removed.")).to_be_visible()
    await expect(page.locator(".factor")).to_have_count(1)

    # then: the last factor cannot be removed
    await web.click("Remove Authenticator App")
    assert await web.alert()
    await web.look("account-last-factor")

    # when: the factor is old again, a change asks for the app's code
    await age_second_factor(email, minutes=20)
    await web.reload()
    await web.click("Get a New Recovery Code")
    await web.at("Confirm It's You")
    await web.fill("6-digit code from your authenticator app", app_codes.next())
    await web.click("Continue")
    await save_recovery_code(web)
    await web.at("Your Account")

    # and: a user who is no company admin is not offered the MFA reset
    await expect(
        page.get_by_role("heading", name="Company admins: reset a user's MFA")
    ).to_have_count(0)

    # and: signing out everywhere ends the session
    await web.click("Sign Out Everywhere")
    await web.at("Sign In")
    await expect(page.get_by_text("You signed out everywhere")).to_be_visible()
    await web.reload()
    await web.at("Sign In")


async def test_a_company_admin_resets_a_users_mfa(web: Web, served: Served) -> None:
    admin, user, phone = "web.admin@example.com", "web.reset.me@example.com", "+12015550171"
    served.create_user(admin, "payor", "--admin")
    served.create_user(user, "payee")
    page = web.page

    # given: the user enrolled SMS, and the admin is signed in
    await enroll_with_sms(web, served, user, phone)
    await sign_out(web)
    await enroll_with_app(web, admin)

    # when: the reset without the tick, then for an unknown user, then as it should be
    await web.fill("User's email", user)
    await web.click("Reset MFA")
    assert await web.field_error("I have verified the user's request")
    await web.look("admin-reset-not-verified")
    await web.fill("User's email", "nobody@example.com")
    await web.input("I have verified the user's request").check()
    await web.click("Reset MFA")
    assert await web.field_error("User's email")
    await web.fill("User's email", user)
    await web.click("Reset MFA")

    # then: done, and the user enrolls again at their next sign-in
    await web.at("Your Account")
    await expect(page.get_by_text(f"MFA was reset for {user}.")).to_be_visible()
    await web.look("admin-reset-done")
    await sign_out(web)
    await sign_in(web, user)
    await web.at("Two-Factor Authentication Required")
