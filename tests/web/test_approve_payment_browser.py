"""The reference app's 'Approve Payment' screen in Chromium against a real `twofold serve`
opened at http://localhost:PORT: a payments service (its own credential, over HTTP) sends the
user to /approve/<id>; the user signs in first when needed, sees the amount and payee in large
type, and approves with a texted code or with the virtual security key, or declines. A reload
shows the approval again. Every screen is checked with axe-core and screenshotted."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.async_api import expect

from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.web_app import Served, Web, enroll_with_sms, save_recovery_code, serving, sign_in
from tests.support.web_payments import Payments, open_approval, viewer_id

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture(scope="module")
def served(
    database_url: str,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Served]:
    """The app at http://localhost:PORT: its relying party `localhost`, for security keys."""
    with serving(
        database_url, messagebird, mailbox, tmp_path_factory.mktemp("web-approve"), "localhost"
    ) as s:
        yield s


async def test_a_signed_out_payee_signs_in_then_approves_a_payment_by_sms(
    web: Web, served: Served
) -> None:
    email, phone = "web.approve.sms@example.com", "+12015550171"
    served.create_user(email, "payee")
    await enroll_with_sms(web, served, email, phone)
    payments = Payments(served)
    approval = payments.create(await viewer_id(web))
    await web.click("Sign Out")
    await web.at("Sign In")

    # given: the link from the payments app, opened signed out
    await open_approval(web, approval["id"])
    await web.at("Sign In")
    await sign_in(web, email)
    await web.at("Two-Factor Authentication")
    await web.click("Send Text Message")
    await web.at("Enter the 6-Digit Verification Code")
    await web.fill("6-digit verification code", served.codes_to(phone)[-1])
    await web.click("Continue")

    # then: back at the approval, what is approved in large type
    await web.at("Approve Payment")
    await expect(web.page.locator(".approval-amount")).to_have_text("USD 12,400.00")
    await expect(web.page.locator(".approval-payee")).to_have_text("to Acme Drywall LLC")
    await web.look("approve-payment")

    # when: a code is texted, the page reloaded, a wrong code typed, then the right one
    texts_before = len(served.codes_to(phone))
    await web.click("Text Me a Code")
    await expect(web.page.get_by_text("We texted a code to")).to_be_visible()
    assert len(served.codes_to(phone)) == texts_before + 1
    body = served.messagebird.messages[-1].body
    assert "USD 12,400.00 to Acme Drywall LLC" in body
    await web.reload()
    await web.at("Approve Payment")
    code = served.codes_to(phone)[-1]
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    await web.fill("6-digit code from the text message", wrong)
    await web.click("Approve")
    assert "4 attempts left" in await web.field_error("6-digit code from the text message")
    await web.look("approve-payment-wrong-code")
    await web.fill("6-digit code from the text message", code)
    await web.click("Approve")

    # then: approved, and the service redeems it once; a reload shows where it stands
    await web.at("Payment Approved")
    await web.look("payment-approved")
    assert payments.redeem(approval) == "TransactionApprovalRedeemed"
    await web.reload()
    await web.at("Payment Approved")


async def test_a_payee_declines_a_payment(web: Web, served: Served) -> None:
    email, phone = "web.approve.decline@example.com", "+12015550172"
    served.create_user(email, "payee")
    await enroll_with_sms(web, served, email, phone)
    payments = Payments(served)
    approval = payments.create(await viewer_id(web))

    # when
    await open_approval(web, approval["id"])
    await web.at("Approve Payment")
    await web.click("Decline")

    # then
    await web.at("Payment Declined")
    await web.look("payment-declined")
    assert payments.redeem(approval) == "TransactionDeclinedError"


async def test_a_payor_approves_a_payment_with_a_security_key(web: Web, served: Served) -> None:
    email = "web.approve.key@example.com"
    served.create_user(email, "payor")
    await web.plug_in_authenticator()
    await web.open()
    await sign_in(web, email)
    await web.at("Two-Factor Authentication Required")
    await web.click("Set Up Now")
    await web.page.get_by_role("radio", name="Security Key or Passkey").check()
    await web.click("Continue")
    await web.fill("Key name", "Desk key")
    await web.click("Register Security Key")
    await save_recovery_code(web)
    await web.at("Your Account")
    payments = Payments(served)
    approval = payments.create(await viewer_id(web))

    # when
    await open_approval(web, approval["id"])
    await web.at("Approve Payment")
    await web.look("approve-payment-key")
    await web.click("Approve")

    # then
    await web.at("Payment Approved")
    assert payments.redeem(approval) == "TransactionApprovalRedeemed"


async def test_another_users_link_shows_nothing_of_it(web: Web, served: Served) -> None:
    owner, stranger = "web.approve.owner@example.com", "web.approve.stranger@example.com"
    served.create_user(owner, "payee")
    served.create_user(stranger, "payee")
    await enroll_with_sms(web, served, owner, "+12015550173")
    approval = Payments(served).create(await viewer_id(web))
    await web.click("Sign Out")
    await web.at("Sign In")
    await enroll_with_sms(web, served, stranger, "+12015550174")

    # when
    await open_approval(web, approval["id"])

    # then
    await web.at("Approval Not Found")
    await expect(web.page.get_by_text("Acme Drywall")).to_have_count(0)
