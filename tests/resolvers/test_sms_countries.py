"""mfaEnrollment.smsCountries: the country list of the phone number screen survives a reload."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.settings import Settings
from models.enums import PayRole
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.flows import enroll_with_app, log_in
from tests.support.graphql import GraphQLClient
from tests.support.users import MakeUser

EMAIL = "countries@example.com"
COUNTRIES = "{ mfaEnrollment { step smsCountries { regionCode callingCode } } }"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, sms_allowed_countries=("US", "CA", "GB"))


async def test_a_payee_reloading_at_the_phone_number_screen_gets_every_country(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given: a payee at 'Set Up SMS Verification'
    await make_user(EMAIL, PayRole.PAYEE)
    await log_in(browser, EMAIL)
    await browser.execute(doc.START_MFA_SETUP)
    chosen = await browser.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})

    # when: the page reloads and asks where it stands
    status = (await browser.execute(COUNTRIES))["mfaEnrollment"]

    # then: the same countries the method choice offered
    assert status["step"] == "PHONE_NUMBER_ENTRY"
    assert [c["regionCode"] for c in status["smsCountries"]] == ["US", "CA", "GB"]
    assert status["smsCountries"] == chosen["chooseMfaMethod"]["allowedCountries"]


async def test_a_payor_who_may_not_text_gets_no_countries(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    await make_user(EMAIL, PayRole.PAYOR)
    await enroll_with_app(browser, EMAIL, clock)

    status = (await browser.execute(COUNTRIES))["mfaEnrollment"]

    assert status == {"step": "COMPLETE", "smsCountries": []}
