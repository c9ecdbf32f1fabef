"""Every security event type reaches a webhook receiver when driven through GraphQL, with ids
only: no password, code, recovery code, phone number, token, TOTP secret or email address."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest
from starlette.applications import Starlette

from domain import webhook_delivery, webhooks
from domain.runtime import RequestMeta, Runtime
from domain.settings import Settings
from models.company import Company
from models.enums import PayRole
from models.user import User
from providers.clock import ManualClock
from providers.registry import Providers
from tests.support import documents as doc
from tests.support.access_tokens import service_credential
from tests.support.account_links import token_of, wait_for_link
from tests.support.authenticator import SoftwareAuthenticator
from tests.support.clients import HttpFactory
from tests.support.constants import PASSWORD, PHONE, SECRET_KEY
from tests.support.flows import (
    app_code,
    enroll_with_app,
    enroll_with_security_key,
    enroll_with_sms,
    log_in,
    reach_code_verification,
)
from tests.support.graphql import GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.transactions import DISBURSEMENT, PaymentsService
from tests.support.users import MakeUser, cheap_user
from tests.support.webhook_receiver import Received, WebhookReceiver, receiver

__all__ = ["receiver"]  # the fixture, used by name

PAYEE, ADMIN, PAYOR = "payee@example.com", "admin@example.com", "payor@example.com"
OTHER = "other@example.com"
INVITED, PLAIN = "invited@example.com", "plain@example.com"
NEW_PASSWORD = "violet kettle under moonlight"
NEW_PHONE = "+12015550145"
REMOVE_MFA_METHOD = """
mutation Remove($input: MfaMethodInput!) { removeMfaMethod(input: $input) { __typename } }
"""
RESET_USER_MFA = """
mutation Reset($input: ResetUserMfaInput!) { resetUserMfa(input: $input) { __typename } }
"""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, outbox_poll_seconds=3600, webhook_timeout_seconds=0.5)


class Secrets:
    """Everything secret or personal the flows used, to look for in every body."""

    def __init__(self) -> None:
        self.values: set[str] = {PASSWORD, SECRET_KEY, PAYEE, ADMIN, PAYOR, OTHER, INVITED, PLAIN}
        self.values |= {NEW_PASSWORD}
        self.values |= {PHONE, PHONE.lstrip("+"), "2015550123", "201 555 0123"}
        self.values |= {NEW_PHONE, NEW_PHONE.lstrip("+"), "2015550145", "201 555 0145"}

    def add(self, *values: object) -> None:
        self.values |= {str(v) for v in values if v}

    def tokens_of(self, *clients: GraphQLClient) -> None:
        for client in clients:
            self.add(*(cookie.value for cookie in client.http.cookies.jar), client.bearer)

    def recovery_code(self, code: str) -> None:
        self.add(code, code.replace("-", ""), code.replace("-", "").lower())


async def drive_every_event(
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    seen: Secrets,
    mailbox: Mailbox,
    payments: PaymentsService,
) -> None:
    """Each event type once, through the GraphQL API as the apps, an admin and a payments
    service use it."""
    company = await Company.create(name="Acme")
    for email, role in ((PAYEE, PayRole.PAYEE), (ADMIN, PayRole.PAYOR), (PAYOR, PayRole.PAYOR)):
        await make_user(email, role)
    await User.all().update(company_id=company.id)
    await User.filter(email=ADMIN).update(is_company_admin=True)
    device, laptop = GraphQLClient(new_http()), GraphQLClient(new_http())

    # mfa.enrolled
    seen.recovery_code(await enroll_with_sms(device, messagebird, PAYEE))
    seen.tokens_of(device)
    # transaction.approved and transaction.declined: a payments service asks twice (before
    # the factor changes below, whose cooling-off holds would refuse disbursements)
    payee_id = str((await User.get(email=PAYEE)).id)
    seen.add(DISBURSEMENT["payeeName"], DISBURSEMENT["payeeReference"])
    approved, declined = [(await payments.approval(payee_id))["id"] for _ in range(2)]
    await device.execute(doc.SEND_TRANSACTION_CODE, {"input": {"approvalId": approved}})
    answer = {"approvalId": approved, "code": messagebird.last_code(PHONE), "method": "SMS"}
    done = await device.execute(doc.APPROVE_TRANSACTION, {"input": answer})
    assert done["approveTransaction"]["__typename"] == "TransactionApproved", done
    await device.execute(doc.DECLINE_TRANSACTION, {"input": {"approvalId": declined}})
    # mfa.factor_added (and hold.started): an authenticator app
    chosen = (await device.execute(doc.ADD_AUTHENTICATOR_APP))["addAuthenticatorApp"]
    app_secret = str(chosen["secret"]).replace(" ", "")
    seen.add(app_secret, chosen["secret"], chosen["otpauthUri"])
    code = app_code(app_secret, clock.now())
    seen.add(code)
    added = await device.execute(doc.VERIFY_AUTHENTICATOR_CODE, {"input": {"code": code}})
    assert added["verifyAuthenticatorCode"]["__typename"] == "AuthenticatorAppAdded", added
    clock.advance(timedelta(seconds=30))
    # mfa.phone_changed
    started = await device.execute(
        doc.START_PHONE_NUMBER_CHANGE,
        {"input": {"countryCode": "+1", "phoneNumber": "201 555 0145"}},
    )
    assert started["startPhoneNumberChange"]["__typename"] == "SmsCodeSent", started
    changed = await device.execute(
        doc.CONFIRM_PHONE_NUMBER_CHANGE, {"input": {"code": messagebird.last_code(NEW_PHONE)}}
    )
    assert changed["confirmPhoneNumberChange"]["__typename"] == "PhoneNumberChanged", changed
    # phone.shared_across_companies: a user of another company verifies the payee's number
    globex = await Company.create(name="Globex")
    await User.filter(id=(await make_user(OTHER, PayRole.PAYEE)).id).update(company_id=globex.id)
    other = GraphQLClient(new_http())
    await reach_code_verification(other, OTHER, NEW_PHONE)
    verified = await other.execute(
        doc.VERIFY_SMS_CODE, {"input": {"code": messagebird.last_code(NEW_PHONE)}}
    )
    seen.recovery_code(verified["verifySmsCode"]["recoveryCode"])
    await other.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)
    seen.tokens_of(other)
    # mfa.factor_removed: the app again
    removed = await device.execute(REMOVE_MFA_METHOD, {"input": {"method": "AUTHENTICATOR_APP"}})
    assert removed["removeMfaMethod"]["__typename"] == "MfaMethodRemoved", removed
    # mfa.recovery_code_regenerated
    regenerated = (await device.execute(doc.REGENERATE_RECOVERY_CODE))["regenerateRecoveryCode"]
    assert regenerated["__typename"] == "RecoveryCodeIssued", regenerated
    seen.recovery_code(regenerated["recoveryCode"])
    await device.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)
    # mfa.recovery_code_used, on a second device
    assert (await log_in(laptop, PAYEE))["__typename"] == "MfaChallengeRequired"
    seen.tokens_of(laptop)
    recovered = await laptop.execute(
        doc.LOG_IN_WITH_RECOVERY_CODE, {"input": {"recoveryCode": regenerated["recoveryCode"]}}
    )
    assert recovered["logInWithRecoveryCode"]["__typename"] == "RecoveryCodeIssued", recovered
    seen.recovery_code(recovered["logInWithRecoveryCode"]["recoveryCode"])
    await laptop.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)
    seen.tokens_of(laptop, device)
    # session.signed_out_everywhere
    out = await device.execute(doc.LOG_OUT_EVERYWHERE)
    assert out["logOutEverywhere"]["revokedSessions"] >= 1, out
    # mfa.reset, by the company admin
    admin = GraphQLClient(new_http())
    admin_secret, admin_code = await enroll_with_app(admin, ADMIN, clock)
    seen.add(admin_secret)
    seen.recovery_code(admin_code)
    seen.tokens_of(admin)
    reset = await admin.execute(
        RESET_USER_MFA, {"input": {"email": PAYEE, "verifiedUserRequest": True}}
    )
    assert reset["resetUserMfa"]["__typename"] == "UserMfaReset", reset
    # account.invited, by the same admin
    invited = await admin.execute(doc.INVITE_USER, {"input": {"email": INVITED, "role": "PAYEE"}})
    assert invited["inviteUser"]["__typename"] == "InvitationSent", invited
    seen.add(token_of(await wait_for_link(mailbox, INVITED, "/accept-invitation")))
    # account.password_changed: the admin, just after the second factor
    changed_password = await admin.execute(
        doc.CHANGE_PASSWORD, {"input": {"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}}
    )
    assert changed_password["changePassword"]["__typename"] == "PasswordChanged"
    # account.password_reset: a user without a second factor, through the emailed link
    await User.filter(id=(await cheap_user(PLAIN)).id).update(company_id=company.id)
    forgetful = GraphQLClient(new_http())
    await forgetful.execute(doc.REQUEST_PASSWORD_RESET, {"input": {"email": PLAIN}})
    reset_token = token_of(await wait_for_link(mailbox, PLAIN, "/reset-password"))
    seen.add(reset_token)
    done = await forgetful.execute(
        doc.RESET_PASSWORD, {"input": {"token": reset_token, "newPassword": NEW_PASSWORD}}
    )
    assert done["resetPassword"]["__typename"] == "LoggedIn", done
    seen.tokens_of(forgetful, admin)
    # account.locked: the hundredth wrong code in a row
    payor_secret, payor_code = await enroll_with_app(GraphQLClient(new_http()), PAYOR, clock)
    seen.add(payor_secret)
    seen.recovery_code(payor_code)
    await User.filter(email=PAYOR).update(second_factor_failures=99)
    guesser = GraphQLClient(new_http())
    assert (await log_in(guesser, PAYOR))["__typename"] == "MfaChallengeRequired"
    seen.tokens_of(guesser)
    await guesser.post(
        doc.VERIFY_LOGIN_CODE_WITH_METHOD,
        {"input": {"code": "000000", "method": "AUTHENTICATOR_APP"}},
    )
    seen.add(*messagebird.codes_for(PHONE), *messagebird.codes_for(NEW_PHONE))


def only(receiver: WebhookReceiver, event_type: str, user: User | None = None) -> Received:
    found = [
        r
        for r in receiver.events(event_type)
        if user is None or r.event["data"]["user_id"] == str(user.id)
    ]
    assert len(found) == 1, (event_type, [r.event for r in receiver.received])
    return found[0]


async def test_every_event_type_arrives_signed_with_ids_only(
    app: Starlette,
    settings: Settings,
    providers: Providers,
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    receiver: WebhookReceiver,
    mailbox: Mailbox,
) -> None:
    # given: an endpoint for every event type, and a payments service
    payments = PaymentsService(new_http(), await service_credential(settings, providers))
    runtime = Runtime(settings, providers, RequestMeta("203.0.113.9", "webhook-bodies"))
    _, receiver.secret = await webhooks.add_endpoint(runtime, receiver.url)
    seen = Secrets()
    seen.add(receiver.secret, receiver.secret.removeprefix("whsec_"))

    # when: every flow, then the outbox sender's pass
    await drive_every_event(new_http, make_user, messagebird, clock, seen, mailbox, payments)
    clock.advance(timedelta(hours=73))  # every hold ends: its hold.ended is due
    delivery = await webhook_delivery.deliver_due(runtime)

    # then: one signed delivery per event, of every type (the admin, the payor and the other
    # company's user enrolled too; five changes held the payee, a password change the admin, a
    # password reset the user without a factor, and each hold ended)
    assert delivery.failed == 0
    types = Counter(r.event["type"] for r in receiver.accepted())
    many = {"mfa.enrolled": 4, "hold.started": 7, "hold.ended": 7}
    assert types == Counter({t: many.get(t, 1) for t in webhooks.EVENT_TYPES})
    assert all(r.signature_ok for r in receiver.received)
    # and the data are ids, the company, the method and the actor
    payee = await User.get(email=PAYEE)
    admin = await User.get(email=ADMIN)
    payor = await User.get(email=PAYOR)
    company = {"id": str(payee.company_id), "name": "Acme"}
    myself = {"type": "user", "id": str(payee.id)}
    enrolled = only(receiver, "mfa.enrolled", payee).event
    assert set(enrolled) == {"type", "timestamp", "data"}
    assert enrolled["data"]["user_id"] == str(payee.id)
    assert enrolled["data"]["company"] == company
    assert (enrolled["data"]["method"], enrolled["data"]["actor"]) == ("sms", myself)
    assert "session_id" in enrolled["data"]
    assert only(receiver, "mfa.factor_added").event["data"]["method"] == "authenticator_app"
    assert only(receiver, "mfa.factor_removed").event["data"]["method"] == "authenticator_app"
    assert only(receiver, "mfa.phone_changed").event["data"]["method"] == "sms"
    assert only(receiver, "mfa.recovery_code_used").event["data"]["actor"] == myself
    reset = only(receiver, "mfa.reset").event["data"]
    assert (reset["user_id"], reset["actor"]) == (
        str(payee.id),
        {"type": "admin", "id": str(admin.id)},
    )
    everywhere = only(receiver, "session.signed_out_everywhere").event["data"]
    assert everywhere["revoked_sessions"] >= 1 and everywhere["session_id"]
    for decision in ("approved", "declined"):
        decided = only(receiver, f"transaction.{decision}").event["data"]
        assert (decided["user_id"], decided["actor"]) == (str(payee.id), myself)
        assert decided["action"] == "DISBURSEMENT" and decided["approval_id"]
    started = [r.event["data"] for r in receiver.events("hold.started")]
    assert {d["reason"] for d in started} == {
        "factor_added",
        "phone_change",
        "factor_removed",
        "recovery_code_sign_in",
        "mfa_reset",
        "password_change",
        "password_reset",
    }
    assert all(
        set(d) == {"user_id", "company", "actor", "hold_id", "reason", "until"} for d in started
    )
    ended = [r.event["data"] for r in receiver.events("hold.ended")]
    assert {d["hold_id"] for d in ended} == {d["hold_id"] for d in started}
    assert {d["ended"] for d in ended} == {"expired"}
    shared = only(receiver, "phone.shared_across_companies").event["data"]
    assert shared["company"]["name"] == "Globex"
    invitation = only(receiver, "account.invited").event["data"]
    assert invitation["user_id"] is None and invitation["company"] == company
    assert invitation["actor"] == {"type": "admin", "id": str(admin.id)}
    assert invitation["role"] == "payee" and invitation["invitation_id"]
    changed = only(receiver, "account.password_changed").event["data"]
    assert changed["user_id"] == str(admin.id) and changed["session_id"]
    plain = await User.get(email=PLAIN)
    assert only(receiver, "account.password_reset").event["data"]["user_id"] == str(plain.id)
    locked = only(receiver, "account.locked").event["data"]
    assert (locked["user_id"], locked["actor"]) == (str(payor.id), {"type": "system", "id": None})
    # and no body holds a secret, a code, a token, a phone number or an email address
    assert len(seen.values) > 20
    for received in receiver.received:
        body = received.body.decode()
        json.loads(body)
        leaked = sorted(value for value in seen.values if value in body)
        assert leaked == [], (received.event["type"], leaked)


ADD_SECURITY_KEY = """
mutation { addSecurityKey { __typename ... on SecurityKeyMethodChosen { creationOptions } } }
"""
REGISTER_SECURITY_KEY = """
mutation Register($input: RegisterSecurityKeyInput!) { registerSecurityKey(input: $input) {
  __typename
  ... on SecurityKeyAdded { securityKey { id } }
} }
"""
REMOVE_SECURITY_KEY = """
mutation Remove($input: SecurityKeyInput!) { removeSecurityKey(input: $input) { __typename } }
"""


async def test_a_security_key_added_and_removed_is_reported_by_method_and_key_id(
    app: Starlette,
    settings: Settings,
    providers: Providers,
    browser: GraphQLClient,
    make_user: MakeUser,
    receiver: WebhookReceiver,
) -> None:
    # given: a payor enrolled with a key, and an endpoint for factor changes only
    runtime = Runtime(settings, providers, RequestMeta("203.0.113.9", "webhook-bodies"))
    _, receiver.secret = await webhooks.add_endpoint(
        runtime, receiver.url, ("mfa.factor_added", "mfa.factor_removed")
    )
    payor = await make_user(PAYOR, PayRole.PAYOR)
    await enroll_with_security_key(browser, PAYOR, SoftwareAuthenticator())

    # when: a second key is added, then removed
    chosen = (await browser.execute(ADD_SECURITY_KEY))["addSecurityKey"]
    credential = SoftwareAuthenticator().create(chosen["creationOptions"])
    added = await browser.execute(
        REGISTER_SECURITY_KEY, {"input": {"credential": credential, "name": "Spare"}}
    )
    key_id = added["registerSecurityKey"]["securityKey"]["id"]
    removed = await browser.execute(REMOVE_SECURITY_KEY, {"input": {"id": key_id}})
    await webhook_delivery.deliver_due(runtime)

    # then: only the two chosen types, each naming the method (and the key that went)
    assert removed["removeSecurityKey"]["__typename"] == "SecurityKeyRemoved", removed
    assert [r.event["type"] for r in receiver.accepted()] == [
        "mfa.factor_added",
        "mfa.factor_removed",
    ]
    added_data, removed_data = (r.event["data"] for r in receiver.accepted())
    assert added_data["method"] == removed_data["method"] == "security_key"
    assert added_data["user_id"] == removed_data["user_id"] == str(payor.id)
    assert removed_data["security_key_id"] == key_id
    assert all(r.signature_ok and r.verified for r in receiver.received)
    assert all(PAYOR not in r.body.decode() for r in receiver.received)
