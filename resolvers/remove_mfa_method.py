"""removeMfaMethod: drop a factor, never the last usable one of a payments user."""

from __future__ import annotations

from typing import Any

import strawberry
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from domain import holds, trusted_browsers, webhooks
from domain.notifications import (
    factor_change_message,
    queue_announcement,
    send_announcement,
)
from graph.answers import method_not_allowed
from graph.context import Context
from graph.guards import require_recent_step_up
from graph.types.enums import from_method
from graph.types.errors import LastFactorError
from graph.types.inputs import MfaMethodInput
from graph.types.payloads import MfaMethodRemoved
from graph.types.results import RemoveMfaMethodResult
from graph.types.user import User as UserType
from i18n.markers import N_
from models.enums import MfaMethod
from models.hold import HoldReason
from models.security_key import SecurityKey
from models.stored_phone import NO_PHONE
from models.user import User

_CLEARED: dict[MfaMethod, dict[str, Any]] = {
    MfaMethod.SMS: {**NO_PHONE, "phone_verified_at": None, "phone_digest": None},
    MfaMethod.AUTHENTICATOR_APP: {
        "totp_secret_sealed": None,
        "totp_added_at": None,
        "totp_last_step": None,
    },
    MfaMethod.SECURITY_KEY: {"security_key_added_at": None},
}
_HELD: dict[MfaMethod, Q] = {
    MfaMethod.SMS: Q(phone_verified_at__isnull=False),
    MfaMethod.AUTHENTICATOR_APP: Q(totp_added_at__isnull=False),
    MfaMethod.SECURITY_KEY: Q(security_key_added_at__isnull=False),
}


def _another_factor(method: MfaMethod) -> Q:
    """Some other factor, which must still be there when a payments user removes one."""
    return Q(*(held for m, held in _HELD.items() if m is not method), join_type=Q.OR)


async def remove_mfa_method(
    info: strawberry.Info[Context, None], input: MfaMethodInput
) -> RemoveMfaMethodResult:
    context, runtime = info.context, info.context.runtime
    guard = await require_recent_step_up(context)
    if not isinstance(guard, tuple):
        return guard
    session, policy = guard
    user = session.user
    method = from_method(input.method)
    if method not in user.mfa_methods:
        return method_not_allowed(user.mfa_methods)
    remaining_usable = [m for m in policy.usable if m is not method]
    if user.mfa_required and not remaining_usable:
        return LastFactorError()
    # The condition on the other factor makes two parallel removals unable to remove both.
    condition = _another_factor(method) if user.mfa_required else Q()
    changes = dict(_CLEARED[method])
    if user.preferred_method is method:
        changes["preferred_method"] = None
    what = N_("The {method} was removed from your account's second factors")
    message = holds.with_notice(
        factor_change_message(user, runtime.now(), what, method=method, runtime=runtime),
        runtime,
        HoldReason.FACTOR_REMOVED,
    )
    async with in_transaction():
        if not await User.filter(condition, id=user.id).update(**changes):
            return LastFactorError()
        if method is MfaMethod.SECURITY_KEY:
            await SecurityKey.filter(user_id=user.id).delete()
        # A factor change ends every trusted browser: they were trusted on the old factors.
        await trusted_browsers.forget(user.id)
        queued = await queue_announcement(runtime, "factor_removed", user, message)
        await webhooks.queue_event(
            runtime, "mfa.factor_removed", user, webhooks.Actor.user(user.id), method=method
        )
        await holds.start(runtime, user, HoldReason.FACTOR_REMOVED, webhooks.Actor.user(user.id))
    await send_announcement(runtime, "factor_removed", queued)
    return MfaMethodRemoved(user=UserType.from_model(await User.get(id=user.id)))
