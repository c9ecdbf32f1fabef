"""Invitations: how accounts come to be. A company admin (or the operator) invites an email
with a role; the emailed single-use link, valid for 7 days, opens the account with a password
of the invitee's choosing, and so proves the address.

Inviting an address that already has an account in the admin's own company answers
`AccountExists`: that admin sees their company's users anyway. An address with an account
elsewhere answers as a new invitation would, so no admin learns about other companies' users;
its holder is told by email, without a link, and nothing can be accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain import account_links, audit, email_texts, password_rules, proofs, webhooks
from domain.accounts import MAX_EMAIL_LENGTH, normalize_email
from domain.flows import start_flow
from domain.notifications import send_announcement
from domain.outbox import enqueue
from domain.password_rules import Reason, Rules
from domain.runtime import Runtime
from domain.sessions import start_session
from i18n.catalogs import DEFAULT_LOCALE
from i18n.markers import N_
from models.company import Company
from models.enums import FlowPurpose, PayRole, SessionKind, Step
from models.invitation import Invitation
from models.session import AuthSession
from models.user import User
from providers.email import EmailMessage

LIFETIME = timedelta(days=7)
_KIND = "invitation"
_EVENT = "account_invited"


class BadEmail(ValueError):
    """Not an email address Twofold can keep."""


@dataclass(frozen=True)
class Invited:
    invitation: Invitation
    queued: UUID


@dataclass(frozen=True)
class AccountExists:
    """The address has an account in this company already."""


def check_email(email: str) -> str:
    address = normalize_email(email)
    local, _, domain = address.partition("@")
    if not local or "." not in domain or len(address) > MAX_EMAIL_LENGTH or " " in address:
        raise BadEmail(
            f"{email!r} is not an email address of at most {MAX_EMAIL_LENGTH} characters"
        )
    return address


async def invite(
    runtime: Runtime,
    *,
    email: str,
    role: PayRole,
    company: Company,
    admin: bool,
    inviter: User | None,
    base_url: str,
    locale: str | None = None,
) -> Invited | AccountExists:
    """Record an invitation and queue its email (sent once the caller's work committed: call
    `send`). An earlier pending invitation of the address to this company is replaced.
    `locale`: a supported language (i18n.negotiation.supported) the email is written in and
    the accepted user keeps; None writes in English and leaves the user's setting empty."""
    address = check_email(email)
    existing = await User.get_or_none(email=address)
    if existing is not None and existing.company_id == company.id:
        return AccountExists()
    token, digest = account_links.new_token(_KIND, runtime)
    now = runtime.now()
    async with in_transaction():
        await Invitation.filter(
            email=address, company_id=company.id, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        invitation = await Invitation.create(
            token_hmac=digest,
            email=address,
            pay_role=role,
            is_company_admin=admin,
            company=company,
            invited_by=inviter,
            created_at=now,
            sent_at=now,
            expires_at=now + LIFETIME,
            locale=locale,
        )
        queued = await _queue_email(invitation, company, existing, token, base_url, runtime)
        await audit.record(runtime, _EVENT, "done", None, inviter.id if inviter else None)
        await webhooks.queue_event(
            runtime, "account.invited", None,
            webhooks.Actor.admin(inviter.id) if inviter else webhooks.OPERATOR,
            company_id=company.id, invitation_id=str(invitation.id), role=role.value,
        )  # fmt: skip
    return Invited(invitation, queued)


async def resend(
    runtime: Runtime, invitation_id: UUID, company_id: UUID, base_url: str
) -> Invited | None:
    """A new link for a pending invitation, valid 7 days from now; the old link dies."""
    invitation = await pending_one(invitation_id, company_id, runtime)
    if invitation is None:
        return None
    token, digest = account_links.new_token(_KIND, runtime)
    now = runtime.now()
    company = await Company.get(id=company_id)
    existing = await User.get_or_none(email=invitation.email)
    async with in_transaction():
        await Invitation.filter(id=invitation.id).update(
            token_hmac=digest, sent_at=now, expires_at=now + LIFETIME
        )
        await invitation.refresh_from_db()
        queued = await _queue_email(invitation, company, existing, token, base_url, runtime)
        await audit.record(runtime, _EVENT, "resent", None)
    return Invited(invitation, queued)


async def revoke(runtime: Runtime, invitation_id: UUID, company_id: UUID) -> bool:
    invitation = await pending_one(invitation_id, company_id, runtime)
    if invitation is None:
        return False
    revoked = await Invitation.filter(id=invitation.id, accepted_at__isnull=True).update(
        revoked_at=runtime.now()
    )
    await audit.record(runtime, _EVENT, "revoked", None)
    return bool(revoked)


async def pending_one(invitation_id: UUID, company_id: UUID, runtime: Runtime) -> Invitation | None:
    return await Invitation.get_or_none(
        id=invitation_id,
        company_id=company_id,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=runtime.now(),
    )


async def pending(company_id: UUID, runtime: Runtime) -> list[Invitation]:
    """The company's invitations not yet accepted, revoked or expired, newest first."""
    return (
        await Invitation.filter(
            company_id=company_id,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=runtime.now(),
        )
        .order_by("-created_at")
        .all()
    )


async def send(runtime: Runtime, invited: Invited) -> bool:
    return await send_announcement(runtime, "account_invitation", invited.queued)


async def _queue_email(
    invitation: Invitation,
    company: Company,
    existing: User | None,
    token: str,
    base_url: str,
    runtime: Runtime,
) -> UUID:
    locale = invitation.locale or DEFAULT_LOCALE
    if existing is not None:
        body = email_texts.text(
            locale,
            N_(
                "You were invited to join {company} on Twofold, but this address already "
                "has an account. Sign in as usual, or ask the administrator who invited you.\n"
            ),
            company=company.name,
        )
    else:
        url = account_links.link(base_url, account_links.INVITATION_PATH, token)
        body = email_texts.text(
            locale,
            N_(
                "You are invited to join {company} on Twofold. To open your account and "
                "choose a password, open this link within 7 days:\n\n{url}\n\n"
                "The link works once. If you did not expect this, ignore this email.\n"
            ),
            company=company.name,
            url=url,
        )
    subject = email_texts.text(locale, N_("Join {company} on Twofold"), company=company.name)
    message = EmailMessage(to=invitation.email, subject=subject, body=body, locale=locale)
    return (await enqueue(runtime, "account_invitation", message)).id


@dataclass(frozen=True)
class LinkInvalid:
    """Unknown, accepted, revoked, expired, or its address took an account meanwhile."""


@dataclass(frozen=True)
class Weak:
    reason: Reason
    rules: Rules


@dataclass(frozen=True)
class Accepted:
    """The account exists. `enroll`: a payments user, whose pending session enrolls MFA
    before any full session; else `session` is a full one (password only)."""

    session: AuthSession
    token: str
    user: User
    enroll: bool


def rules_for_role(role: PayRole, runtime: Runtime) -> Rules:
    has_factor = role in (PayRole.PAYOR, PayRole.PAYEE)  # they must enroll one at once
    return password_rules.rules_for(runtime.settings, has_second_factor=has_factor)


async def find(token: str, runtime: Runtime) -> Invitation | None:
    return await Invitation.get_or_none(
        token_hmac=account_links.digest(_KIND, token, runtime),
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=runtime.now(),
    )


class _Taken(Exception):
    """Rolls the acceptance back: the address has an account already."""


async def accept(token: str, password: str, runtime: Runtime) -> LinkInvalid | Weak | Accepted:
    """Open the account the invitation names, once, whatever parallel requests do."""
    invitation = await find(token, runtime)
    if invitation is None:
        return LinkInvalid()
    rules = rules_for_role(invitation.pay_role, runtime)
    reason = password_rules.check(password, invitation.email, rules)
    if reason is not None:
        return Weak(reason, rules)
    digest = await runtime.providers.passwords.hash(password)
    now = runtime.now()
    try:
        async with in_transaction():
            if not await Invitation.filter(
                id=invitation.id, accepted_at__isnull=True, revoked_at__isnull=True
            ).update(accepted_at=now):
                return LinkInvalid()
            try:
                user = await User.create(
                    email=invitation.email,
                    password_hash=digest,
                    pay_role=invitation.pay_role,
                    company_id=invitation.company_id,
                    is_company_admin=invitation.is_company_admin,
                    locale=invitation.locale,
                )
            except IntegrityError:
                raise _Taken() from None
            await audit.record(runtime, "account_created", "invitation", user.id)
            if user.mfa_required:
                session, pending = await start_session(user, SessionKind.PENDING, runtime)
                await start_flow(
                    session, user, FlowPurpose.ENROLLMENT, Step.SETUP_REQUIRED, runtime
                )
                return Accepted(session, pending, user, enroll=True)
            session, full = await start_session(
                user, SessionKind.FULL, runtime, proof=proofs.password_only(now)
            )
            return Accepted(session, full, user, enroll=False)
    except _Taken:
        return LinkInvalid()
