"""The reference app shows cooling-off holds (account page, approval screen) and gives a second
company admin the pending MFA resets with Approve, in Chromium against a real `twofold serve`.
Every screen is checked with axe-core and screenshotted."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.async_api import expect

from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.web_app import Served, Web, enroll_with_app, enroll_with_sms, serving, sign_in
from tests.support.web_payments import Payments, open_approval, viewer_id

pytestmark = [pytest.mark.browser, pytest.mark.server]

CHANGE_PHONE = """async (code) => {
  const post = async (query) => (await fetch("/graphql", {method: "POST",
    headers: {"Content-Type": "application/json"}, body: JSON.stringify({query})})).json();
  if (!code) return post(`mutation { startPhoneNumberChange(input: {countryCode: "+1",
    phoneNumber: "201 555 0182"}) { __typename } }`);
  return post(`mutation { confirmPhoneNumberChange(input: {code: "${code}"}) { __typename } }`);
}"""


@pytest.fixture(scope="module")
def served(
    database_url: str,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Served]:
    with serving(
        database_url, messagebird, mailbox, tmp_path_factory.mktemp("web-holds"), "localhost"
    ) as s:
        yield s


async def test_a_phone_change_shows_its_hold_on_the_account_and_approval_screens(
    web: Web, served: Served
) -> None:
    # given: a payee with a payment waiting, who then changes their phone number
    email = "web.holds.payee@example.com"
    served.create_user(email, "payee", company="Holds Inc")
    await enroll_with_sms(web, served, email, "+12015550181")
    approval = Payments(served).create(await viewer_id(web))
    await web.page.evaluate(CHANGE_PHONE, "")
    changed = await web.page.evaluate(CHANGE_PHONE, served.codes_to("+12015550182")[-1])
    assert changed["data"]["confirmPhoneNumberChange"]["__typename"] == "PhoneNumberChanged"

    # when
    await web.reload()
    await web.at("Your Account")

    # then: the hold, until when and why
    section = web.page.get_by_role("region", name="Payment holds")
    await expect(section).to_contain_text("Payouts and bank-account changes are paused until")
    await expect(section).to_contain_text("your phone number was changed")
    await web.look("account-hold")
    await open_approval(web, approval["id"])
    await web.at("Approve Payment")
    await expect(web.page.locator(".notice.hold")).to_contain_text(
        "Payments from your account are paused"
    )
    await web.look("approve-payment-hold")


async def test_a_second_admin_approves_a_pending_mfa_reset(web: Web, served: Served) -> None:
    # given: a company requiring two admins, its payee, and an admin who asks for a reset
    first, second = "web.holds.first@example.com", "web.holds.second@example.com"
    payee = "web.holds.reset@example.com"
    served.create_user(payee, "payee", company="Two Admins")
    served.create_user(first, "payor", "--admin", company="Two Admins")
    served.create_user(second, "payor", "--admin", company="Two Admins")
    served.company("Two Admins", "--require-two-admins-for-mfa-reset")
    await enroll_with_sms(web, served, payee, "+12015550183")
    await web.click("Sign Out")
    await enroll_with_app(web, first)
    await web.fill("User's email", payee)
    await web.page.get_by_label("I have verified the user's request").check()
    await web.click("Reset MFA")
    await expect(web.page.get_by_text("Another admin of your company must approve")).to_be_visible()
    await web.click("Sign Out")

    # when: the second admin signs in and approves
    await enroll_with_app(web, second)
    pending = web.page.get_by_role("region", name="MFA resets waiting for a second admin")
    await expect(pending).to_contain_text(payee)
    await web.look("pending-mfa-resets")
    await web.page.get_by_role("button", name=f"Approve the MFA reset of {payee}").click()

    # then
    await expect(web.page.get_by_text(f"MFA was reset for {payee}")).to_be_visible()
    await expect(pending).to_be_hidden()
    await web.click("Sign Out")
    await sign_in(web, payee)
    await web.at("Two-Factor Authentication Required")
