"""sendTransactionCode: text a code that names the amount and payee it approves."""

from __future__ import annotations

import strawberry

from domain import transaction_texts
from domain.phone_trust import approval_methods
from domain.texting import Cooldown, DeliveryFailed, RateLimited
from domain.transaction_approvals import Refusal
from graph.answers import method_not_allowed
from graph.context import Context
from graph.transaction_answers import own_pending, refusal_answer
from graph.types.errors import RateLimitedError, ResendNotAvailableError, SmsDeliveryFailedError
from graph.types.transaction_approval import TransactionApprovalInput, TransactionCodeSent
from graph.types.transaction_results import SendTransactionCodeResult
from models.enums import MfaMethod


async def send_transaction_code(
    info: strawberry.Info[Context, None], input: TransactionApprovalInput
) -> SendTransactionCodeResult:
    context = info.context
    found = await own_pending(context, str(input.approval_id))
    if not isinstance(found, tuple):
        return found
    session, approval = found
    methods = await approval_methods(session.user, context.runtime)
    if MfaMethod.SMS not in methods:
        return method_not_allowed(methods)
    outcome = await transaction_texts.send_code(approval, session.user, context.runtime)
    match outcome:
        case transaction_texts.Sent():
            return TransactionCodeSent(
                masked_phone_number=outcome.masked_phone_number,
                expires_at=outcome.expires_at,
                resend_available_at=outcome.resend_available_at,
            )
        case Cooldown():
            return ResendNotAvailableError(retry_after_seconds=outcome.retry_after_seconds)
        case RateLimited():
            return RateLimitedError(retry_after_seconds=outcome.retry_after_seconds)
        case DeliveryFailed():
            return SmsDeliveryFailedError()
        case Refusal():
            return refusal_answer(outcome)  # type: ignore[return-value]
