"""The reference app in Spanish, in Chromium with the browser's locale `es-ES` (its
Accept-Language and navigator.languages): enrollment and sign-in click by click, every screen
checked with axe-core under `<html lang="es">` and searched for any English text of the app's
catalog; the WebOTP API fills in the texted code; the header's switcher changes the language."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from axe_playwright_python.async_playwright import Axe
from babel.messages.pofile import read_po
from playwright.async_api import Browser, Page, expect

from tests.support.constants import PASSWORD
from tests.support.web_app import ARTIFACTS, DESKTOP, AppCodes, Served, Web
from tests.support.web_payments import Payments, open_approval, viewer_id
from tests.support.web_texts import ROOT, extracted_msgids

pytestmark = [pytest.mark.browser, pytest.mark.server]

SPANISH_PO = ROOT / "i18n" / "locales" / "es" / "LC_MESSAGES" / "web.po"
AXE = Axe()

# A pending WebOTP request as Chromium would hold it until a text arrives: the test plays the
# text message by calling __otp.deliver(code) with the code the MessageBird stand-in received.
FAKE_WEBOTP = """
window.__otp = { calls: [], aborted: 0, deliver: null };
if (!("OTPCredential" in window)) window.OTPCredential = function OTPCredential() {};
const realGet = navigator.credentials.get.bind(navigator.credentials);
navigator.credentials.get = (options) => {
  if (!options || !options.otp) return realGet(options);
  window.__otp.calls.push({
    transport: options.otp.transport,
    signal: options.signal instanceof AbortSignal,
  });
  return new Promise((resolve, reject) => {
    options.signal.addEventListener("abort", () => {
      window.__otp.aborted += 1;
      reject(new DOMException("The request was aborted.", "AbortError"));
    });
    window.__otp.deliver = (code) => resolve({ type: "otp", id: "", code });
  });
};
"""


def spanish() -> dict[str, str]:
    with SPANISH_PO.open("rb") as po:
        return {str(m.id): str(m.string) for m in read_po(po, locale="es") if m.id and m.string}


ES = spanish()


def es(msgid: str) -> str:
    """The Spanish text the screen shows for an English msgid."""
    return ES[msgid]


def english_texts() -> set[str]:
    """The English of the catalog a Spanish screen must never show: each msgid longer than 3
    characters that Spanish words differently, cut at its placeholders."""
    pieces: set[str] = set()
    for msgid in extracted_msgids():
        if len(msgid) <= 3 or ES[msgid] == msgid:
            continue
        for piece in re.split(r"\{\w+\}", msgid):
            piece = piece.strip(" .,:;()·")
            if len(piece) > 3 and re.search(r"[A-Za-z]{2}", piece):
                pieces.add(piece)
    return pieces


ENGLISH = english_texts()

SCREEN_TEXT = """() => {
  const parts = [document.title, document.body.innerText];
  for (const node of document.querySelectorAll("[aria-label], [alt], [title], [placeholder]")) {
    for (const name of ["aria-label", "alt", "title", "placeholder"]) {
      if (node.getAttribute(name)) parts.push(node.getAttribute(name));
    }
  }
  return parts.join("\\n");
}"""


class SpanishWeb(Web):
    """A tab whose every screen is also read for English left in it."""

    def __init__(self, page: Page, base: str, folder: Path) -> None:
        super().__init__(page, base, folder)
        self.seen: dict[str, str] = {}

    async def look(self, name: str) -> None:
        await expect(self.page.locator("html")).to_have_attribute("lang", "es")
        text = await self.page.evaluate(SCREEN_TEXT)
        english = sorted(
            piece for piece in ENGLISH if re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text)
        )
        assert english == [], f"{name} shows English: {english}\n---\n{text}"
        # axe-core: no violation at all, of any impact (the base look() holds serious ones)
        results = await AXE.run(self.page)
        found = [f"{v['id']} ({v['impact']})" for v in results.response["violations"]]
        assert found == [], f"{name}: {found}"
        self.seen[name] = text
        await super().look(name)
        # beside the screenshots: what the screen said, for a reviewer who reads Spanish
        (self.folder / f"{self.shots:02d}-{name}.txt").write_text(text, encoding="utf-8")


@pytest.fixture
async def web_es(
    chromium: Browser, served: Served, request: pytest.FixtureRequest
) -> AsyncIterator[SpanishWeb]:
    """As the `web` fixture, in a browser whose language is Spanish (Spain)."""
    context = await chromium.new_context(viewport=DESKTOP, locale="es-ES")
    await context.add_init_script(FAKE_WEBOTP)
    page = await context.new_page()
    page.set_default_timeout(15_000)
    tab = SpanishWeb(page, served.base, ARTIFACTS / request.node.name)
    await context.route("**/*", tab.guard)
    try:
        yield tab
        assert tab.outside == []
    finally:
        await context.close()


async def otp_calls(page: Page) -> list[dict[str, object]]:
    calls: list[dict[str, object]] = await page.evaluate("window.__otp.calls")
    return calls


async def sign_in_es(web: SpanishWeb, email: str) -> None:
    await web.fill(es("Email"), email)
    await web.click(es("Continue"))
    # the password step: its field takes the focus
    await expect(web.input(es("Password"))).to_be_focused()
    await expect(web.page.locator("h1")).to_have_text(es("Sign In"))
    await web.look("sign-in-password")
    await web.fill(es("Password"), PASSWORD)
    await web.click(es("Continue"))


async def test_a_payee_enrolls_and_signs_in_again_in_spanish(
    web_es: SpanishWeb, served: Served
) -> None:
    web, page = web_es, web_es.page
    email, phone = "web.es.payee@example.com", "+12015550177"
    served.create_user(email, "payee")

    # given: the app opened by a browser that prefers Spanish
    await web.open()
    await web.at(es("Sign In"))
    assert await page.evaluate("navigator.languages") == ["es-ES"]
    await expect(page.locator("#language-select")).to_have_value("es")
    await web.look("sign-in")

    # when: the password, then enrollment with SMS
    await sign_in_es(web, email)
    await web.at(es("Two-Factor Authentication Required"))
    await web.look("setup-required")
    await web.click(es("Set Up Now"))
    await web.at(es("Select an Authentication Method"))
    await expect(page.get_by_text(es("Recommended"))).to_be_visible()
    await web.look("method-selection")
    await page.get_by_role("radio", name=es("SMS Verification")).check()
    await web.click(es("Continue"))
    await web.at(es("Set Up SMS Verification"))
    await web.look("sms-setup")
    await web.fill(es("Enter Your Phone Number"), phone[2:])
    await web.click(es("Send Text Message"))

    # then: the code screen in Spanish, its times in Spanish (24-hour clock), waiting for WebOTP
    await web.at(es("Enter the 6-Digit Verification Code"))
    expires = page.get_by_text(re.compile(r"Tu código caduca a las \d{2}:\d{2}\."))
    await expect(expires).to_be_visible()
    await expect(page.get_by_text(re.compile(r"Podrás pedir un código nuevo"))).to_be_visible()
    await web.look("code-entry")
    calls = await otp_calls(page)
    assert calls == [{"transport": ["sms"], "signal": True}]
    # and: the text itself was Spanish (the browser's Accept-Language), its WebOTP line last
    text = served.messagebird.messages[-1].body
    assert text.startswith("Tu clave de seguridad es ")
    assert text.splitlines()[-1].endswith(f" #{served.codes_to(phone)[-1]}")

    # when: a wrong code typed by hand
    right = served.codes_to(phone)[-1]
    await web.fill(es("6-digit verification code"), "000000" if right != "000000" else "111111")
    await web.click(es("Continue"))

    # then: the server's refusal, in Spanish too (the app sends its language)
    await expect(page.get_by_text("El código de verificación es incorrecto.")).to_be_visible()
    await web.look("code-entry-wrong")

    # when: the right one
    await web.fill(es("6-digit verification code"), right)
    await web.click(es("Continue"))

    # then: leaving the screen ended the WebOTP wait; the recovery code, then the account
    await web.at(es("Save Your Recovery Code"))
    assert await page.evaluate("window.__otp.aborted") == 1
    await web.look("recovery-code")
    await web.input(es("I Have Securely Saved This Code")).check()
    await web.click(es("Continue"))
    await web.at(es("Your Account"))
    await expect(page.get_by_text(f"Sesión iniciada como {email}.")).to_be_visible()
    await expect(page.locator(".factor")).to_contain_text(es("SMS Verification"))
    await web.look("account")

    # and: the phone number change screen, then back
    await web.click(es("Change Phone Number"))
    await web.at(es("Change Your Phone Number"))
    await web.look("phone-change")
    await web.click(es("Back to your account"))
    await web.at(es("Your Account"))

    # when: signed out, and in again: the text-message challenge
    await web.click(es("Sign Out"))
    await web.at(es("Sign In"))
    await expect(page.get_by_text(es("You signed out."))).to_be_visible()
    await web.look("signed-out")
    await sign_in_es(web, email)
    await web.at(es("Two-Factor Authentication"))
    await web.look("challenge-sms")
    await web.click(es("Use a recovery code"))
    await web.at(es("Use a Recovery Code"))
    await web.look("recovery-login")
    await web.click(es("Back"))
    await web.at(es("Two-Factor Authentication"))
    await web.click(es("Send Text Message"))
    await web.at(es("Enter the 6-Digit Verification Code"))
    await web.look("challenge-code")
    # (the same page since enrollment: its first request ended when that screen was left)
    await page.wait_for_function("window.__otp.calls.length === 2")
    assert (await otp_calls(page))[-1] == {"transport": ["sms"], "signal": True}

    # and: the text arrives and the browser hands its code to the page (WebOTP)
    code = served.codes_to(phone)[-1]
    await page.evaluate("code => window.__otp.deliver(code)", code)

    # then: the page filled the code in and submitted it by itself: signed in
    await web.at(es("Your Account"))
    assert len(web.seen) >= 12

    # when: English chosen in the header while signed in, then this browser's choice forgotten
    await page.get_by_role("combobox", name=es("Language")).select_option("en")
    await expect(page.locator("h1")).to_have_text("Your Account")
    await page.evaluate("localStorage.clear()")
    await page.reload()

    # then: the user's saved setting wins over the Spanish browser
    await expect(page.locator("h1")).to_have_text("Your Account")
    await expect(page.locator("html")).to_have_attribute("lang", "en")


async def test_an_admin_payor_sets_up_the_app_in_spanish_and_finds_forgot_password(
    web_es: SpanishWeb, served: Served
) -> None:
    web, page = web_es, web_es.page
    email = "web.es.payor@example.com"
    # a company admin: the account screen then holds the admin sections too
    served.create_user(email, "payor", "--admin", company="Hispania")

    # given: the password step offers "Forgot password?" in Spanish
    await web.open()
    await web.fill(es("Email"), email)
    await web.click(es("Continue"))
    await web.click(es("Forgot password?"))
    await web.at(es("Forgot Password"))
    await web.look("forgot-password")
    await web.click(es("Back to sign in"))
    await web.at(es("Sign In"))

    # when: enrollment with the authenticator app
    await sign_in_es(web, email)
    await web.click(es("Set Up Now"))
    await page.get_by_role("radio", name=es("Authenticator App")).check()
    await web.click(es("Continue"))
    await web.at(es("Set Up Authenticator App"))
    await web.look("app-setup")
    app = AppCodes(await page.locator("#manual-key").inner_text())
    await web.fill(es("6-digit code from your app"), app.next())
    await web.click(es("Continue"))

    # then: the recovery code and the account, in Spanish
    await web.at(es("Save Your Recovery Code"))
    await web.input(es("I Have Securely Saved This Code")).check()
    await web.click(es("Continue"))
    await web.at(es("Your Account"))
    await expect(page.locator(".invitations")).to_have_text(es("None."))
    await expect(page.get_by_role("heading", name=es("Invite a user"))).to_be_visible()
    await web.look("account-admin")


async def test_the_switcher_changes_the_language_and_keeps_it(
    chromium: Browser, served: Served
) -> None:
    # given: an English browser
    context = await chromium.new_context(viewport=DESKTOP, locale="en-US")
    page = await context.new_page()
    try:
        await page.goto(f"{served.base}/")
        await expect(page.locator("h1")).to_have_text("Sign In")
        await expect(page.locator("html")).to_have_attribute("lang", "en")

        # when: Español chosen in the header
        switcher = page.get_by_role("combobox", name="Language")
        await expect(switcher.locator("option")).to_have_text(["English", "Español"])
        await switcher.select_option("es")

        # then: the screen again in Spanish, and after a reload too
        await expect(page.locator("h1")).to_have_text(es("Sign In"))
        await expect(page.locator("html")).to_have_attribute("lang", "es")
        await expect(page.get_by_role("combobox", name=es("Language"))).to_have_value("es")
        await page.reload()
        await expect(page.locator("h1")).to_have_text(es("Sign In"))
        await expect(page.get_by_label(es("Email"), exact=True)).to_be_visible()
    finally:
        await context.close()


def test_the_english_the_walk_looks_for_is_the_catalogs() -> None:
    # then: the app's English headings and buttons are among what a Spanish screen may not show
    assert {"Continue", "Sign In", "Save Your Recovery Code", "Resend New Code"} <= ENGLISH
    assert "Continuar" not in ENGLISH


async def enroll_with_sms_in_spanish(
    web: SpanishWeb, served: Served, email: str, phone: str
) -> None:
    """Sign in and enroll `phone` (E.164, +1) with the Spanish screens. Ends signed in."""
    await web.open()
    await sign_in_es(web, email)
    await web.click(es("Set Up Now"))
    await web.page.get_by_role("radio", name=es("SMS Verification")).check()
    await web.click(es("Continue"))
    await web.fill(es("Enter Your Phone Number"), phone[2:])
    await web.click(es("Send Text Message"))
    await web.at(es("Enter the 6-Digit Verification Code"))
    await web.fill(es("6-digit verification code"), served.codes_to(phone)[-1])
    await web.click(es("Continue"))
    await web.input(es("I Have Securely Saved This Code")).check()
    await web.click(es("Continue"))
    await web.at(es("Your Account"))


async def test_a_payee_approves_a_payment_in_spanish_with_the_code_webotp_reads(
    web_es: SpanishWeb, served: Served
) -> None:
    web, page = web_es, web_es.page
    email, phone = "web.es.approve@example.com", "+12015550179"
    served.create_user(email, "payee")
    await enroll_with_sms_in_spanish(web, served, email, phone)
    approval = Payments(served).create(await viewer_id(web))

    # given: the payments app's link
    await open_approval(web, approval["id"])

    # then: the amount in Spanish (Intl), the payee, and the page waiting for the text (WebOTP)
    await web.at(es("Approve Payment"))
    await expect(page.locator(".approval-amount")).to_have_text(re.compile(r"^12\.400,00\sUS\$$"))
    await expect(page.locator(".approval-payee")).to_have_text("a Acme Drywall LLC")
    await page.wait_for_function("window.__otp.calls.length === 1")
    await web.look("approve-payment")

    # when: a code is texted, and the browser hands it to the page
    await web.click(es("Text Me a Code"))
    await expect(page.get_by_text(re.compile("Enviamos un código por SMS al"))).to_be_visible()
    await page.evaluate("code => window.__otp.deliver(code)", served.codes_to(phone)[-1])

    # then: the page filled the code in and approved by itself
    await web.at(es("Payment Approved"))
    await web.look("payment-approved")
