"""resetUserMfa: a company admin resets a user's MFA after verifying the request."""

from __future__ import annotations

from datetime import timedelta

from models.company import Company
from models.enums import PayRole
from models.user import User
from tests.support import documents as doc
from tests.support.flows import enroll_with_app, enroll_with_sms, log_in
from tests.support.graphql import GraphQLClient

RESET = """
mutation Reset($input: ResetUserMfaInput!) { resetUserMfa(input: $input) {
  __typename
  ... on UserMfaReset { email }
  ... on ReauthenticationRequiredError { code methods }
  ... on UserError { code }
} }
"""
ADMIN = "admin@example.com"
PAYEE = "payee@example.com"


async def _company_with(make_user, *emails_roles) -> Company:
    company = await Company.create(name="Acme")
    for email, role in emails_roles:
        user = await make_user(email, role)
        user.company = company
        await user.save()
    return company


async def _signed_in_admin(new_http, make_user, clock) -> GraphQLClient:
    """An admin payor who just proved the app; returns their browser."""
    await _company_with(make_user, (ADMIN, PayRole.PAYOR), (PAYEE, PayRole.PAYEE))
    await User.filter(email=ADMIN).update(is_company_admin=True)
    admin = GraphQLClient(new_http())
    await enroll_with_app(admin, ADMIN, clock)
    return admin


async def test_admin_resets_a_user_who_then_enrolls_again(
    new_http, make_user, clock, messagebird, mailbox
) -> None:
    # given: an enrolled payee signed in on a device, and an admin of the same company
    admin = await _signed_in_admin(new_http, make_user, clock)
    device = GraphQLClient(new_http())
    await enroll_with_sms(device, messagebird, PAYEE)
    # when
    result = await admin.execute(RESET, {"input": {"email": PAYEE, "verifiedUserRequest": True}})
    # then: reset, the user's session ended, an email told them, and they enroll anew
    assert result["resetUserMfa"] == {"__typename": "UserMfaReset", "email": PAYEE}
    assert (await device.execute(doc.VIEWER))["viewer"] is None
    user = await User.get(email=PAYEE)
    assert user.mfa_methods == [] and user.recovery_code_hmac is None
    subjects = [m["Subject"] for m in mailbox.to(PAYEE)]
    assert subjects[-1] == "Your two-factor authentication settings changed"
    assert "administrator reset" in mailbox.to(PAYEE)[-1].get_content()
    fresh = GraphQLClient(new_http())
    assert (await log_in(fresh, PAYEE))["__typename"] == "MfaSetupRequired"


async def test_a_reset_also_lifts_a_lock(new_http, make_user, clock) -> None:
    # given
    admin = await _signed_in_admin(new_http, make_user, clock)
    await User.filter(email=PAYEE).update(
        second_factor_locked_at=clock.now(), second_factor_failures=100
    )
    device = GraphQLClient(new_http())
    assert (await log_in(device, PAYEE))["__typename"] == "AccountLockedError"
    # when
    await admin.execute(RESET, {"input": {"email": PAYEE, "verifiedUserRequest": True}})
    # then
    assert (await log_in(device, PAYEE))["__typename"] == "MfaSetupRequired"


async def test_the_request_must_be_verified(new_http, make_user, clock) -> None:
    admin = await _signed_in_admin(new_http, make_user, clock)
    result = await admin.execute(RESET, {"input": {"email": PAYEE, "verifiedUserRequest": False}})
    assert result["resetUserMfa"]["code"] == "USER_REQUEST_NOT_VERIFIED"


async def test_admins_cannot_reset_themselves(new_http, make_user, clock) -> None:
    admin = await _signed_in_admin(new_http, make_user, clock)
    result = await admin.execute(RESET, {"input": {"email": ADMIN, "verifiedUserRequest": True}})
    assert result["resetUserMfa"]["code"] == "CANNOT_RESET_OWN_MFA"
    assert (await User.get(email=ADMIN)).mfa_methods != []


async def test_users_of_other_companies_are_not_found(new_http, make_user, clock) -> None:
    # given: a user of another company, enrolled
    admin = await _signed_in_admin(new_http, make_user, clock)
    other = await Company.create(name="Other")
    stranger = await make_user("stranger@example.com", PayRole.PAYEE)
    stranger.company = other
    await stranger.save()
    # when
    result = await admin.execute(
        RESET, {"input": {"email": "stranger@example.com", "verifiedUserRequest": True}}
    )
    unknown = await admin.execute(
        RESET, {"input": {"email": "nobody@example.com", "verifiedUserRequest": True}}
    )
    # then: both answer alike
    assert result["resetUserMfa"]["code"] == unknown["resetUserMfa"]["code"] == "USER_NOT_FOUND"


async def test_only_company_admins_may_reset(new_http, make_user, clock) -> None:
    # given: a payor of the company who is not an admin
    await _company_with(make_user, ("clerk@example.com", PayRole.PAYOR), (PAYEE, PayRole.PAYEE))
    clerk = GraphQLClient(new_http())
    await enroll_with_app(clerk, "clerk@example.com", clock)
    # when
    result = await clerk.execute(RESET, {"input": {"email": PAYEE, "verifiedUserRequest": True}})
    # then
    assert result["resetUserMfa"]["code"] == "NOT_COMPANY_ADMIN"


async def test_a_reset_needs_a_recent_second_factor(new_http, make_user, clock) -> None:
    # given: the admin proved the app 16 minutes ago (kept alive in between)
    admin = await _signed_in_admin(new_http, make_user, clock)
    clock.advance(timedelta(minutes=8))
    await admin.execute(doc.VIEWER)
    clock.advance(timedelta(minutes=8))
    # when
    result = await admin.execute(RESET, {"input": {"email": PAYEE, "verifiedUserRequest": True}})
    # then
    assert result["resetUserMfa"] == {
        "__typename": "ReauthenticationRequiredError",
        "code": "REAUTHENTICATION_REQUIRED",
        "methods": ["AUTHENTICATOR_APP"],
    }


async def test_an_admin_without_any_factor_cannot_reset(new_http, make_user) -> None:
    # given: an admin whose role needs no MFA and who holds none
    await _company_with(make_user, (ADMIN, PayRole.NONE), (PAYEE, PayRole.PAYEE))
    await User.filter(email=ADMIN).update(is_company_admin=True)
    admin = GraphQLClient(new_http())
    assert (await log_in(admin, ADMIN))["__typename"] == "LoggedIn"
    # when
    result = await admin.execute(RESET, {"input": {"email": PAYEE, "verifiedUserRequest": True}})
    # then
    assert result["resetUserMfa"]["code"] == "REAUTHENTICATION_REQUIRED"


async def test_without_a_session_the_answer_is_unauthenticated(browser) -> None:
    errors = await browser.errors(RESET, {"input": {"email": PAYEE, "verifiedUserRequest": True}})
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_viewer_says_who_may_reset(new_http, make_user, clock, messagebird) -> None:
    # given: a signed-in admin, and a signed-in payee of the same company
    admin = await _signed_in_admin(new_http, make_user, clock)
    payee = GraphQLClient(new_http())
    await enroll_with_sms(payee, messagebird, PAYEE)
    query = "{ viewer { isCompanyAdmin } }"
    # when / then: a client can offer the reset to the admin alone
    assert (await admin.execute(query))["viewer"] == {"isCompanyAdmin": True}
    assert (await payee.execute(query))["viewer"] == {"isCompanyAdmin": False}
