"""startTransactionKeyChallenge: a WebAuthn challenge that carries the approval's payload hash."""

from __future__ import annotations

import strawberry

from domain import transaction_challenges
from domain.phone_trust import approval_methods
from graph.answers import method_not_allowed
from graph.context import Context
from graph.transaction_answers import own_pending, refusal_answer
from graph.types.transaction_approval import (
    TransactionApprovalInput,
    TransactionKeyChallengeStarted,
)
from graph.types.transaction_results import StartTransactionKeyChallengeResult
from models.enums import MfaMethod


async def start_transaction_key_challenge(
    info: strawberry.Info[Context, None], input: TransactionApprovalInput
) -> StartTransactionKeyChallengeResult:
    context = info.context
    found = await own_pending(context, str(input.approval_id))
    if not isinstance(found, tuple):
        return found
    session, approval = found
    methods = await approval_methods(session.user, context.runtime)
    if MfaMethod.SECURITY_KEY not in methods:
        return method_not_allowed(methods)
    started = await transaction_challenges.key_challenge(approval, context.runtime)
    if isinstance(started, transaction_challenges.KeyChallenge):
        return TransactionKeyChallengeStarted(
            request_options=started.options_json, expires_at=approval.expires_at
        )
    return refusal_answer(started)  # type: ignore[return-value]
