"""removeSecurityKey: drop one security key, never the last usable factor of a payments user."""

from __future__ import annotations

import strawberry
from tortoise.transactions import in_transaction

from domain import holds, trusted_browsers, webhooks
from domain.notifications import factor_change_message, queue_announcement, send_announcement
from domain.security_keys import key_id
from graph.context import Context
from graph.guards import require_recent_step_up
from graph.types.errors import LastFactorError, SecurityKeyNotFoundError
from graph.types.inputs import SecurityKeyInput
from graph.types.payloads import SecurityKeyRemoved
from graph.types.results import RemoveSecurityKeyResult
from graph.types.user import User as UserType
from i18n.markers import N_
from models.enums import MfaMethod
from models.hold import HoldReason
from models.security_key import SecurityKey
from models.user import User


class _LastFactor(Exception):
    """Rolls the removal back."""


async def remove_security_key(
    info: strawberry.Info[Context, None], input: SecurityKeyInput
) -> RemoveSecurityKeyResult:
    context, runtime = info.context, info.context.runtime
    guard = await require_recent_step_up(context)
    if not isinstance(guard, tuple):
        return guard
    session, policy = guard
    wanted = key_id(input.id)
    key = await SecurityKey.get_or_none(
        id=wanted, user_id=session.user_id, enabled_at__isnull=False
    )
    if wanted is None or key is None:
        return SecurityKeyNotFoundError()
    others_usable = [m for m in policy.usable if m is not MfaMethod.SECURITY_KEY]
    now = runtime.now()
    what = N_("A security key ({name}) was removed from your account")
    try:
        async with in_transaction():
            # The user's row is locked, so two removals in parallel cannot both take the last.
            user = await User.select_for_update().get(id=session.user_id)
            await SecurityKey.filter(id=key.id).delete()
            if not await SecurityKey.exists(user_id=user.id, enabled_at__isnull=False):
                if user.mfa_required and not others_usable:
                    raise _LastFactor()
                changes: dict[str, object] = {"security_key_added_at": None}
                if user.preferred_method is MfaMethod.SECURITY_KEY:
                    changes["preferred_method"] = None
                await User.filter(id=user.id).update(**changes)
            # A factor change ends every trusted browser: they were trusted on the old factors.
            await trusted_browsers.forget(user.id)
            message = holds.with_notice(
                factor_change_message(user, now, what, name=key.name, runtime=runtime),
                runtime,
                HoldReason.FACTOR_REMOVED,
            )
            queued = await queue_announcement(runtime, "factor_removed", user, message)
            # One key of several is a factor removed too: the payments service hears of it.
            await webhooks.queue_event(
                runtime, "mfa.factor_removed", user, webhooks.Actor.user(user.id),
                method=MfaMethod.SECURITY_KEY, security_key_id=str(key.id),
            )  # fmt: skip
            await holds.start(
                runtime, user, HoldReason.FACTOR_REMOVED, webhooks.Actor.user(user.id)
            )
    except _LastFactor:
        return LastFactorError()
    await send_announcement(runtime, "factor_removed", queued)
    return SecurityKeyRemoved(user=UserType.from_model(await User.get(id=session.user_id)))
