"""inviteUser, resendInvitation, revokeInvitation, pendingInvitations and acceptInvitation:
accounts come to be through an emailed single-use link, which proves the address. Payments
users go on to MFA enrollment; nobody gets a session without the factor their role needs."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from models.company import Company
from models.enums import PayRole
from models.invitation import Invitation
from models.user import User
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.account_links import links_to, token_of, wait_for_link
from tests.support.clients import HttpFactory
from tests.support.flows import enroll_with_app
from tests.support.graphql import ORIGIN, GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.users import MakeUser

ADMIN = "admin@example.com"
INVITEE = "new.person@example.com"
PATH = "/accept-invitation"
CHOSEN = "a long and private sentence"
PENDING = "{ pendingInvitations { id email role admin } }"
RESEND = """
mutation Resend($input: InvitationIdInput!) { resendInvitation(input: $input) {
  __typename ... on UserError { code }
} }
"""
REVOKE = """
mutation Revoke($input: InvitationIdInput!) { revokeInvitation(input: $input) {
  __typename ... on InvitationRevoked { id } ... on UserError { code }
} }
"""


async def signed_in_admin(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock, company: str = "Acme"
) -> GraphQLClient:
    """A company admin (a payor who just proved the app, so within the step-up window)."""
    owner = await Company.create(name=company)
    email = ADMIN if company == "Acme" else f"admin@{company.lower()}.example.com"
    await make_user(email, PayRole.PAYOR)
    await User.filter(email=email).update(is_company_admin=True, company_id=owner.id)
    admin = GraphQLClient(new_http())
    await enroll_with_app(admin, email, clock)
    return admin


async def invite(admin: GraphQLClient, email: str = INVITEE, role: str = "PAYEE") -> dict:
    variables = {"input": {"email": email, "role": role}}
    return dict((await admin.execute(doc.INVITE_USER, variables))["inviteUser"])


async def accept(client: GraphQLClient, token: str, password: str = CHOSEN) -> dict:
    variables = {"input": {"token": token, "password": password}}
    return dict((await client.execute(doc.ACCEPT_INVITATION, variables))["acceptInvitation"])


async def test_an_invited_payee_chooses_a_password_and_enrolls_mfa(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given
    admin = await signed_in_admin(new_http, make_user, clock)
    sent = await invite(admin)
    link = await wait_for_link(mailbox, INVITEE, PATH)
    invitee = GraphQLClient(new_http())

    # when
    accepted = await accept(invitee, token_of(link))

    # then: an account of the admin's company, and enrollment before any session
    assert sent["__typename"] == "InvitationSent"
    assert sent["invitation"]["role"] == "PAYEE"
    assert link.startswith(f"{ORIGIN}{PATH}#token=")
    assert accepted["__typename"] == "MfaSetupRequired"
    assert (await invitee.execute(doc.VIEWER_EMAIL))["viewer"] is None
    step = await invitee.execute(doc.ENROLLMENT_STEP)
    assert step["mfaEnrollment"]["step"] == "SETUP_REQUIRED"
    user = await User.get(email=INVITEE).select_related("company")
    assert user.pay_role is PayRole.PAYEE and user.company.name == "Acme"
    await invitee.execute(doc.START_MFA_SETUP)
    chosen = await invitee.execute(doc.CHOOSE_AUTHENTICATOR_APP)
    assert chosen["chooseMfaMethod"]["__typename"] == "AuthenticatorAppMethodChosen"


async def test_an_invited_user_without_a_payments_role_is_signed_in(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given
    admin = await signed_in_admin(new_http, make_user, clock)
    await invite(admin, role="NONE")
    token = token_of(await wait_for_link(mailbox, INVITEE, PATH))
    invitee = GraphQLClient(new_http())

    # when: 15 characters are needed when the password is the only factor
    short = await accept(invitee, token, "only 12 char")
    accepted = await accept(invitee, token)

    # then
    assert (short["reason"], short["minLength"]) == ("TOO_SHORT", 15)
    assert accepted["__typename"] == "LoggedIn"
    assert (await invitee.execute(doc.VIEWER_EMAIL))["viewer"] == {"email": INVITEE}


async def test_an_invitation_works_once_even_in_parallel(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given
    admin = await signed_in_admin(new_http, make_user, clock)
    await invite(admin, role="NONE")
    token = token_of(await wait_for_link(mailbox, INVITEE, PATH))

    # when
    answers = await asyncio.gather(
        *(accept(GraphQLClient(new_http()), token, f"{CHOSEN} {n}") for n in range(5))
    )
    later = await accept(GraphQLClient(new_http()), token)

    # then
    assert sorted(a["__typename"] for a in answers) == ["LinkInvalidError"] * 4 + ["LoggedIn"]
    assert later["__typename"] == "LinkInvalidError"
    assert await User.filter(email=INVITEE).count() == 1


async def test_a_link_expires_after_7_days(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given
    admin = await signed_in_admin(new_http, make_user, clock)
    await invite(admin)
    token = token_of(await wait_for_link(mailbox, INVITEE, PATH))

    # when
    clock.advance(timedelta(days=7))
    late = await accept(GraphQLClient(new_http()), token)

    # then
    assert late["__typename"] == "LinkInvalidError"
    assert not await User.exists(email=INVITEE)


async def test_resending_replaces_the_link_and_revoking_ends_it(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given
    admin = await signed_in_admin(new_http, make_user, clock)
    invitation_id = (await invite(admin))["invitation"]["id"]
    first = token_of(await wait_for_link(mailbox, INVITEE, PATH))

    # when
    resent = await admin.execute(RESEND, {"input": {"id": invitation_id}})
    second = token_of(await wait_for_link(mailbox, INVITEE, PATH, 2))
    listed = await admin.execute(PENDING)
    revoked = await admin.execute(REVOKE, {"input": {"id": invitation_id}})

    # then: the first link died at the resend, the second at the revocation
    assert resent["resendInvitation"]["__typename"] == "InvitationSent"
    assert first != second
    assert listed["pendingInvitations"] == [
        {"id": invitation_id, "email": INVITEE, "role": "PAYEE", "admin": False}
    ]
    assert revoked["revokeInvitation"] == {"__typename": "InvitationRevoked", "id": invitation_id}
    assert (await accept(GraphQLClient(new_http()), first))["__typename"] == "LinkInvalidError"
    assert (await accept(GraphQLClient(new_http()), second))["__typename"] == "LinkInvalidError"
    assert (await admin.execute(PENDING))["pendingInvitations"] == []


async def test_an_admin_manages_only_their_own_companys_invitations(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given: an invitation of Acme, and the admin of another company
    acme = await signed_in_admin(new_http, make_user, clock)
    invitation_id = (await invite(acme))["invitation"]["id"]
    other = await signed_in_admin(new_http, make_user, clock, company="Globex")

    # when
    revoked = await other.execute(REVOKE, {"input": {"id": invitation_id}})
    resent = await other.execute(RESEND, {"input": {"id": invitation_id}})
    listed = await other.execute(PENDING)

    # then
    assert revoked["revokeInvitation"]["code"] == "INVITATION_NOT_FOUND"
    assert resent["resendInvitation"]["code"] == "INVITATION_NOT_FOUND"
    assert listed["pendingInvitations"] == []
    assert await Invitation.filter(id=invitation_id, revoked_at__isnull=True).exists()


async def test_only_company_admins_invite(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: a payor of no company, signed in
    await make_user("payor@example.com", PayRole.PAYOR)
    await enroll_with_app(browser, "payor@example.com", clock)

    # when
    refused = await invite(browser)

    # then
    assert refused == {"__typename": "NotCompanyAdminError", "code": "NOT_COMPANY_ADMIN"}
    assert (await browser.execute(PENDING))["pendingInvitations"] is None


async def test_an_admin_must_have_proven_the_factor_recently(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    admin = await signed_in_admin(new_http, make_user, clock)
    clock.advance(timedelta(minutes=16))

    # when
    refused = await invite(admin)

    # then
    assert refused["__typename"] == "ReauthenticationRequiredError"
    assert not await Invitation.exists(email=INVITEE)


async def test_an_address_with_an_account_in_the_company_is_named_others_are_not(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given: a colleague in Acme, and someone with an account of another company
    admin = await signed_in_admin(new_http, make_user, clock)
    colleague = await make_user("colleague@example.com", PayRole.PAYEE)
    await User.filter(id=colleague.id).update(company_id=(await Company.get(name="Acme")).id)
    await make_user("elsewhere@example.com", PayRole.PAYEE)

    # when
    own = await invite(admin, "colleague@example.com")
    elsewhere = await invite(admin, "elsewhere@example.com")

    # then: the admin learns about their own company only; the other holder gets no link
    assert own == {"__typename": "AccountExistsError", "code": "ACCOUNT_EXISTS"}
    assert elsewhere["__typename"] == "InvitationSent"
    await asyncio.sleep(0)
    assert len(mailbox.to("elsewhere@example.com")) == 1
    assert links_to(mailbox, "elsewhere@example.com", PATH) == []


async def test_an_invitation_token_is_no_reset_token(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given
    admin = await signed_in_admin(new_http, make_user, clock)
    await invite(admin)
    token = token_of(await wait_for_link(mailbox, INVITEE, PATH))

    # when
    variables = {"input": {"token": token, "newPassword": CHOSEN}}
    used = await GraphQLClient(new_http()).execute(doc.RESET_PASSWORD, variables)

    # then
    assert used["resetPassword"]["__typename"] == "LinkInvalidError"
