"""Accounts in the reference app, in Chromium against a real `twofold serve`: 'Forgot
password?' through the emailed link to 'Set a New Password' and the same challenge screens as
a sign-in, then 'Change Password' on the account screen, and an admin's 'Invite a user' through 'Accept Your Invitation' to enrollment. Every
new screen is checked with axe-core and screenshotted."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.support.account_links import wait_for_link
from tests.support.mailbox import Mailbox
from tests.support.web_app import Served, Web, enroll_with_app, enroll_with_sms, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.server]

NEW_PASSWORD = "violet kettle under moonlight"


async def test_a_forgotten_password_is_reset_after_the_second_factor(
    web: Web, served: Served, mailbox: Mailbox
) -> None:
    email, phone = "web.forgetful@example.com", "+12015550171"
    served.create_user(email, "payee")
    await enroll_with_sms(web, served, email, phone)
    await web.click("Sign Out")
    await web.at("Sign In")

    # when: 'Forgot password?' beside the password field, once the email is typed
    await expect(web.page.get_by_role("button", name="Forgot password?")).to_have_count(0)
    await web.fill("Email", email)
    await web.click("Continue")
    await web.input("Password").wait_for()
    await web.click("Forgot password?")
    await web.at("Forgot Password")
    await expect(web.input("Email")).to_have_value(email)  # the address typed already
    await web.look("forgot-password")
    await web.click("Send Link")
    await web.at("Sign In")
    await expect(web.page.get_by_text(f"If {email} has an account")).to_be_visible()

    # when: the emailed link opens 'Set a New Password'; a common password first
    link = await wait_for_link(mailbox, email, "/reset-password")
    assert link.startswith(f"{served.base}/reset-password#token=")
    await web.page.goto(link)
    await web.at("Set a New Password")
    assert "#" not in web.page.url  # the token left the address bar and the history
    await web.fill("New password", "password123")
    await expect(web.page.get_by_text("one of the most common passwords")).to_be_visible()
    await web.look("set-password")
    await web.click("Set Password")
    assert "common" in await web.field_error("New password")
    await web.fill("New password", NEW_PASSWORD)
    await web.click("Set Password")

    # then: the sign-in challenge, and only then the account
    await web.at("Two-Factor Authentication")
    await web.look("reset-challenge")
    await web.click("Send Text Message")
    await web.at("Enter the 6-Digit Verification Code")
    await web.fill("6-digit verification code", served.codes_to(phone)[-1])
    await web.click("Continue")
    await web.at("Your Account")

    # and: the new password is the one
    await web.click("Sign Out")
    await web.at("Sign In")
    await sign_in(web, email, NEW_PASSWORD)
    await web.at("Two-Factor Authentication")
    sent_before = len(served.codes_to(phone))
    await web.click("Send Text Message")
    await web.at("Enter the 6-Digit Verification Code")
    assert len(served.codes_to(phone)) == sent_before + 1
    await web.fill("6-digit verification code", served.codes_to(phone)[-1])
    await web.click("Continue")
    await web.at("Your Account")

    # when: changing it again on the account screen, just after the second factor
    await web.fill("Current password", NEW_PASSWORD)
    await web.fill("New password", "another quiet evening walk")
    await web.click("Change Password")

    # then
    await expect(web.page.get_by_text("Your password was changed.")).to_be_visible()
    await web.look("password-changed")


async def test_an_admin_invites_a_user_who_accepts_and_enrolls(
    web: Web, served: Served, mailbox: Mailbox
) -> None:
    admin, invitee = "web.inviter@example.com", "web.invitee@example.com"
    served.create_user(admin, "payor", "--admin", company="Invitations")
    await enroll_with_app(web, admin)

    # when: 'Invite a user' on the account screen
    await web.fill("Their email", invitee)
    await web.click("Send Invitation")
    await expect(web.page.get_by_text(f"Invitation sent to {invitee}.")).to_be_visible()
    await expect(web.page.locator(".invitations")).to_contain_text(invitee)
    await web.look("invite-user")
    await web.click("Sign Out")
    await web.at("Sign In")

    # when: the invitee opens the emailed link
    link = await wait_for_link(mailbox, invitee, "/accept-invitation")
    await web.page.goto(link)
    await web.at("Accept Your Invitation")
    await web.look("accept-invitation")
    await web.fill("New password", NEW_PASSWORD)
    await web.click("Create Account")

    # then: MFA enrollment, as at a first sign-in
    await web.at("Two-Factor Authentication Required")
