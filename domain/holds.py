"""Cooling-off holds: after a risky account change, payouts and bank-account changes wait.

A risky change (an admin MFA reset, a recovery-code sign-in, a new phone number, a factor added
or removed, a password change or reset) starts a hold in its own transaction: the row, its
audit row, the `hold.started` webhook (and `hold.ended`, held back until the hold ends), and
the change's own email says so (`with_notice`). While any hold runs, createTransactionApproval
refuses the actions of HELD_ACTIONS; all else works. Whether a hold runs is read from the clock.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from domain import audit, email_texts, webhooks
from domain.runtime import Runtime
from domain.settings import Settings
from i18n.markers import N_
from models.hold import Hold, HoldReason
from models.outbox import OutboxStatus
from models.transaction_approval import TransactionAction
from models.user import User
from models.webhook import WebhookDelivery
from providers.email import EmailMessage

HELD_ACTIONS = frozenset({TransactionAction.DISBURSEMENT, TransactionAction.BANK_ACCOUNT_CHANGE})
"""What a hold refuses: moving money out, and changing where it goes."""

_CHANGES = {
    HoldReason.MFA_RESET: "a company administrator reset your two-factor authentication",
    HoldReason.RECOVERY_CODE_SIGN_IN: "someone signed in to your account with its recovery code",
    HoldReason.PHONE_CHANGE: "the phone number for your verification codes was changed",
    HoldReason.FACTOR_ADDED: "a second factor was added to your account",
    HoldReason.FACTOR_REMOVED: "a second factor was removed from your account",
    HoldReason.PASSWORD_CHANGE: "your password was changed",
    HoldReason.PASSWORD_RESET: "your password was reset",
}


def hours_for(settings: Settings, reason: HoldReason) -> int:
    """How long a hold for `reason` lasts (HOLD_AFTER_*_HOURS); 0 means no hold."""
    return {
        HoldReason.MFA_RESET: settings.hold_after_mfa_reset_hours,
        HoldReason.RECOVERY_CODE_SIGN_IN: settings.hold_after_recovery_code_sign_in_hours,
        HoldReason.PHONE_CHANGE: settings.hold_after_phone_change_hours,
        HoldReason.FACTOR_ADDED: settings.hold_after_factor_change_hours,
        HoldReason.FACTOR_REMOVED: settings.hold_after_factor_change_hours,
        HoldReason.PASSWORD_CHANGE: settings.hold_after_password_change_hours,
        HoldReason.PASSWORD_RESET: settings.hold_after_password_change_hours,
    }[reason]


def with_notice(message: EmailMessage, runtime: Runtime, reason: HoldReason) -> EmailMessage:
    """The change's own email, telling also what waits until when and what to do if it was
    not the user, in the email's language; unchanged when that hold is off. The hold starts
    in the same transaction."""
    hours = hours_for(runtime.settings, reason)
    if hours <= 0:
        return message
    until = runtime.now() + timedelta(hours=hours)
    notice = email_texts.text(
        message.locale,
        N_(
            "For your protection, payouts and bank-account changes from your account are "
            "paused until {until}; you can still sign in and use everything else. If this was "
            "not you, change your password now and contact your company administrator at "
            "once, before the pause ends.\n"
        ),
        until=email_texts.when(until, message.locale),
    )
    return replace(message, body=f"{message.body}\n{notice}")


async def start(
    runtime: Runtime, user: User, reason: HoldReason, actor: webhooks.Actor
) -> Hold | None:
    """Start a hold on `user`; None when its setting is 0. Call inside the change's transaction,
    whose email went through `with_notice`."""
    hours = hours_for(runtime.settings, reason)
    if hours <= 0:
        return None
    now = runtime.now()
    hold = await Hold.create(
        id=uuid4(), user_id=user.id, reason=reason, started_at=now,
        until=now + timedelta(hours=hours),
    )  # fmt: skip
    await audit.record(runtime, "hold", "started", user.id, actor.id)
    await _queue(runtime, "hold.started", user, actor, hold)
    await _queue(runtime, "hold.ended", user, webhooks.SYSTEM, hold, "expired", hold.until)
    return hold


async def release(runtime: Runtime, user: User, actor: webhooks.Actor) -> int:
    """End the user's running holds now (two admins agreed); inside their transaction. The
    `hold.ended` held back for each is replaced by one sent at once. Returns how many ended."""
    now = runtime.now()
    running = await Hold.filter(user_id=user.id, released_at__isnull=True, until__gt=now)
    for hold in running:
        if not await Hold.filter(id=hold.id, released_at__isnull=True).update(
            released_at=now, released_by_id=actor.id, end_recorded=True
        ):
            continue
        await audit.record(runtime, "hold", "released", user.id, actor.id)
        await WebhookDelivery.filter(
            event="hold.ended", status=OutboxStatus.PENDING, body__contains=str(hold.id)
        ).delete()
        await _queue(runtime, "hold.ended", user, actor, hold, "released")
    return len(running)


async def active(runtime: Runtime, user_id: UUID) -> list[Hold]:
    """The user's running holds, the one lasting longest first. Holds seen ended for the first
    time are audited now (they end by the clock: no job runs when they do)."""
    now = runtime.now()
    await _record_expired(runtime, user_id, now)
    holds = Hold.filter(user_id=user_id, released_at__isnull=True, until__gt=now)
    return await holds.order_by("-until", "-started_at")


async def held_until(runtime: Runtime, user_id: UUID) -> datetime | None:
    """When the last running hold ends (the latest `until` wins), or None."""
    holds = await active(runtime, user_id)
    return holds[0].until if holds else None


async def _record_expired(runtime: Runtime, user_id: UUID, now: datetime) -> None:
    ended = await Hold.filter(
        user_id=user_id, released_at__isnull=True, until__lte=now, end_recorded=False
    ).values_list("id", flat=True)
    for hold_id in ended:
        # Conditional: of parallel readers, one audits the end.
        if await Hold.filter(id=hold_id, end_recorded=False).update(end_recorded=True):
            await audit.record(runtime, "hold", "expired", user_id)


async def _queue(
    runtime: Runtime,
    event: str,
    user: User,
    actor: webhooks.Actor,
    hold: Hold,
    ended: str | None = None,
    deliver_at: datetime | None = None,
) -> None:
    facts: dict[str, Any] = {
        "hold_id": str(hold.id),
        "reason": hold.reason.value,
        "until": webhooks.iso(hold.until),
    }
    if ended:
        facts["ended"] = ended
    await webhooks.queue_event(runtime, event, user, actor, deliver_at=deliver_at, **facts)
