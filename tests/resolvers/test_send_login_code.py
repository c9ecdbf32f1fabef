"""sendLoginCode: the sign-in challenge of an enrolled user texts a code to the enrolled phone."""

from __future__ import annotations

from datetime import datetime, timedelta

from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.constants import PHONE
from tests.support.flows import enroll_with_sms, log_in, reach_code_verification
from tests.support.graphql import GraphQLClient, error_codes
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "payee@example.com"
MASKED_PHONE = "+*********23"


async def send(client: GraphQLClient) -> dict:
    return (await client.execute(doc.SEND_LOGIN_CODE))["sendLoginCode"]


async def enrolled_and_signed_in_again(
    client: GraphQLClient, messagebird: MessageBirdStandIn
) -> dict:
    """Enroll, sign out, and sign in again; returns the logIn answer."""
    await enroll_with_sms(client, messagebird, EMAIL)
    assert (await client.execute(doc.LOG_OUT))["logOut"]["__typename"] == "LoggedOut"
    return await log_in(client, EMAIL)


async def test_enrolled_user_is_challenged_at_sign_in(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)
    await browser.execute(doc.LOG_OUT)

    # when
    challenge = await log_in(browser, EMAIL)

    # then
    assert challenge["__typename"] == "MfaChallengeRequired"
    assert "SMS" in challenge["methods"]
    assert challenge["maskedPhoneNumber"] == MASKED_PHONE
    assert challenge["pendingToken"] is None
    assert (await browser.execute(doc.VIEWER))["viewer"] is None


async def test_code_is_texted_to_the_enrolled_number(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await make_user(EMAIL)
    await enrolled_and_signed_in_again(browser, messagebird)
    texts_before = len(messagebird.codes_for(PHONE))

    # when
    sent = await send(browser)

    # then
    assert sent["__typename"] == "SmsCodeSent"
    assert sent["maskedPhoneNumber"] == MASKED_PHONE
    assert len(messagebird.codes_for(PHONE)) == texts_before + 1
    assert [m.recipients for m in messagebird.messages][-1] == [PHONE.lstrip("+")]
    now = clock.now()
    assert datetime.fromisoformat(sent["expiresAt"]) - now == timedelta(minutes=30)
    assert datetime.fromisoformat(sent["resendAvailableAt"]) - now == timedelta(seconds=30)


async def test_sending_again_waits_for_the_cooldown(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await make_user(EMAIL)
    await enrolled_and_signed_in_again(browser, messagebird)
    assert (await send(browser))["__typename"] == "SmsCodeSent"
    texts_before = len(messagebird.messages)

    # when
    too_soon = await send(browser)

    # then
    assert too_soon["__typename"] == "ResendNotAvailableError"
    assert too_soon["code"] == "RESEND_NOT_AVAILABLE"
    assert 1 <= too_soon["retryAfterSeconds"] <= 30
    assert len(messagebird.messages) == texts_before
    clock.advance(timedelta(seconds=31))
    assert (await send(browser))["__typename"] == "SmsCodeSent"
    assert len(messagebird.messages) == texts_before + 1


async def test_resent_login_code_replaces_the_old_one(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await make_user(EMAIL)
    await enrolled_and_signed_in_again(browser, messagebird)
    await send(browser)
    old = messagebird.last_code(PHONE)
    clock.advance(timedelta(seconds=31))
    await send(browser)
    new = messagebird.last_code(PHONE)
    assert old != new

    # when
    with_old = await browser.execute(doc.VERIFY_LOGIN_CODE, {"input": {"code": old}})

    # then
    assert with_old["verifyLoginCode"]["__typename"] == "InvalidCodeError"
    with_new = await browser.execute(doc.VERIFY_LOGIN_CODE, {"input": {"code": new}})
    assert with_new["verifyLoginCode"]["__typename"] == "LoggedIn"


async def test_resend_cooldown_doubles_with_each_send(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given: SECURITY.md, "Resend cooldown: 30 s, doubling with each resend in a flow"
    await make_user(EMAIL)
    await enrolled_and_signed_in_again(browser, messagebird)
    waits = []

    # when
    for _ in range(3):
        sent = await send(browser)
        assert sent["__typename"] == "SmsCodeSent", sent
        wait = datetime.fromisoformat(sent["resendAvailableAt"]) - clock.now()
        waits.append(wait)
        clock.advance(wait + timedelta(seconds=1))

    # then
    assert waits == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]


async def test_sixth_text_to_a_phone_within_an_hour_is_refused(
    new_http: HttpFactory,
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
) -> None:
    # given: SECURITY.md, "At most 5 texts per phone number per hour"; sign-in codes count in
    # the owner's own bucket for the number (enrollment's text counted in the shared one), and
    # five sign-ins (each its own flow, so no resend cooldown) sent one each
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)
    for _ in range(5):
        async with new_http() as http:
            device = GraphQLClient(http)
            assert (await log_in(device, EMAIL))["__typename"] == "MfaChallengeRequired"
            assert (await send(device))["__typename"] == "SmsCodeSent"
    assert len(messagebird.codes_for(PHONE)) == 6

    # when
    async with new_http() as http:
        device = GraphQLClient(http)
        assert (await log_in(device, EMAIL))["__typename"] == "MfaChallengeRequired"
        refused = (await device.execute(doc.SEND_LOGIN_CODE))["sendLoginCode"]

    # then
    assert refused["__typename"] == "RateLimitedError", refused
    assert refused["code"] == "RATE_LIMITED"
    assert 0 < refused["retryAfterSeconds"] <= 3600
    assert len(messagebird.codes_for(PHONE)) == 6


async def test_eleventh_text_to_a_user_within_a_day_is_refused(
    new_http: HttpFactory,
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given: SECURITY.md, "10 [texts] per user per 24 h"; the texts are spread over three hours
    # so that the per-phone hourly limit is never reached
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)
    for batch in (4, 4, 1):
        for _ in range(batch):
            async with new_http() as http:
                device = GraphQLClient(http)
                assert (await log_in(device, EMAIL))["__typename"] == "MfaChallengeRequired"
                assert (await send(device))["__typename"] == "SmsCodeSent"
        clock.advance(timedelta(minutes=61))
    assert len(messagebird.codes_for(PHONE)) == 10

    # when
    async with new_http() as http:
        device = GraphQLClient(http)
        assert (await log_in(device, EMAIL))["__typename"] == "MfaChallengeRequired"
        refused = (await device.execute(doc.SEND_LOGIN_CODE))["sendLoginCode"]

    # then
    assert refused["__typename"] == "RateLimitedError", refused
    assert refused["code"] == "RATE_LIMITED"
    assert 3600 < refused["retryAfterSeconds"] <= 24 * 3600
    assert len(messagebird.codes_for(PHONE)) == 10


async def test_native_app_sends_with_its_pending_token(
    new_http: HttpFactory,
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
) -> None:
    # given
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)
    async with new_http() as http:
        challenge = await log_in(GraphQLClient(http), EMAIL, native=True)
        assert challenge["__typename"] == "MfaChallengeRequired"
        app = GraphQLClient(http, bearer=challenge["pendingToken"])

        # when
        sent = await send(app)

        # then
        assert sent["__typename"] == "SmsCodeSent"
        assert sent["maskedPhoneNumber"] == MASKED_PHONE


async def test_during_enrollment_is_out_of_step(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given: a user who is still enrolling has no enrolled number to text
    await make_user(EMAIL)
    await reach_code_verification(browser, EMAIL)
    texts_before = len(messagebird.messages)

    # when
    result = await send(browser)

    # then
    assert result["__typename"] == "WrongStepError"
    assert result["code"] == "WRONG_STEP"
    assert result["currentStep"] == "CODE_VERIFICATION"
    assert len(messagebird.messages) == texts_before


async def test_with_a_full_session_is_out_of_step(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)
    texts_before = len(messagebird.messages)

    # when
    result = await send(browser)

    # then
    assert result["__typename"] == "WrongStepError"
    assert result["currentStep"] == "COMPLETE"
    assert len(messagebird.messages) == texts_before


async def test_failed_delivery_can_be_retried_at_once(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await enrolled_and_signed_in_again(browser, messagebird)
    messagebird.mode = "500"

    # when
    failed = await send(browser)

    # then
    assert failed["__typename"] == "SmsDeliveryFailedError"
    assert failed["code"] == "SMS_DELIVERY_FAILED"
    messagebird.mode = "ok"
    assert (await send(browser))["__typename"] == "SmsCodeSent"


async def test_without_a_session_is_unauthenticated(
    browser: GraphQLClient, messagebird: MessageBirdStandIn
) -> None:
    # when
    codes = await error_codes(browser, doc.SEND_LOGIN_CODE)

    # then
    assert codes == ["UNAUTHENTICATED"]
    assert messagebird.requests == 0
