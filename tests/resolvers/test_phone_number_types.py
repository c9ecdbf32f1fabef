"""Numbers that can never be a second factor are refused at enrollment (sendSmsCode) and at a
phone change (startPhoneNumberChange), by the type `phonenumbers` gives them offline."""

from __future__ import annotations

from dataclasses import replace

import phonenumbers
import pytest

from domain.settings import Settings
from models.enums import PayRole
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.flows import enroll_with_sms, log_in
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "payee@example.com"
SEND_SMS_CODE = """
mutation Send($input: SendSmsCodeInput!) { sendSmsCode(input: $input) {
  __typename
  ... on PhoneNumberTypeNotAllowedError { code numberType }
  ... on UserError { code }
} }
"""
START_CHANGE = """
mutation Start($input: StartPhoneNumberChangeInput!) { startPhoneNumberChange(input: $input) {
  __typename
  ... on PhoneNumberTypeNotAllowedError { code numberType }
  ... on UserError { code }
} }
"""
# (E.164, the type phonenumbers gives it, the numberType answered)
REFUSED = [
    ("+18002345678", phonenumbers.PhoneNumberType.TOLL_FREE, "TOLL_FREE"),
    ("+19002345678", phonenumbers.PhoneNumberType.PREMIUM_RATE, "PREMIUM_RATE"),
    ("+33884012345", phonenumbers.PhoneNumberType.SHARED_COST, "SHARED_COST"),
    ("+447640123456", phonenumbers.PhoneNumberType.PAGER, "PAGER"),
    ("+49177991234567", phonenumbers.PhoneNumberType.VOICEMAIL, "VOICEMAIL"),
    ("+445512345678", phonenumbers.PhoneNumberType.UAN, "UAN"),
]
IDS = [answer.lower() for _, _, answer in REFUSED]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, sms_allowed_countries=("US", "GB", "FR", "DE"))


def typed(e164: str) -> dict[str, dict[str, str]]:
    number = phonenumbers.parse(e164)
    national = str(number.national_number)
    return {"input": {"countryCode": f"+{number.country_code}", "phoneNumber": national}}


@pytest.mark.parametrize(("e164", "kind", "answer"), REFUSED, ids=IDS)
def test_phonenumbers_classifies_each_test_number_as_named(
    e164: str, kind: int, answer: str
) -> None:
    # given
    number = phonenumbers.parse(e164)

    # when / then
    assert phonenumbers.is_valid_number(number)
    assert phonenumbers.number_type(number) == kind


@pytest.mark.parametrize(("e164", "kind", "answer"), REFUSED, ids=IDS)
async def test_enrollment_refuses_the_number_type(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    e164: str,
    kind: int,
    answer: str,
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYEE)
    assert (await log_in(browser, EMAIL))["__typename"] == "MfaSetupRequired"
    await browser.execute(doc.START_MFA_SETUP)
    await browser.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})
    texts_before = len(messagebird.messages)

    # when
    refused = (await browser.execute(SEND_SMS_CODE, typed(e164)))["sendSmsCode"]

    # then
    assert refused["__typename"] == "PhoneNumberTypeNotAllowedError"
    assert (refused["code"], refused["numberType"]) == ("PHONE_NUMBER_TYPE_NOT_ALLOWED", answer)
    assert len(messagebird.messages) == texts_before


@pytest.mark.parametrize(("e164", "kind", "answer"), REFUSED, ids=IDS)
async def test_a_phone_change_refuses_the_number_type(
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    e164: str,
    kind: int,
    answer: str,
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYEE)
    client = GraphQLClient(new_http())
    await enroll_with_sms(client, messagebird, EMAIL)

    # when
    refused = (await client.execute(START_CHANGE, typed(e164)))["startPhoneNumberChange"]

    # then
    assert refused["__typename"] == "PhoneNumberTypeNotAllowedError"
    assert refused["numberType"] == answer


async def test_a_mobile_number_is_still_accepted(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYEE)
    assert (await log_in(browser, EMAIL))["__typename"] == "MfaSetupRequired"
    await browser.execute(doc.START_MFA_SETUP)
    await browser.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})

    # when
    sent = (await browser.execute(SEND_SMS_CODE, typed("+12015550123")))["sendSmsCode"]

    # then
    assert sent["__typename"] == "SmsCodeSent"
