"""Transaction approvals between the domain and the API: who is asking (a service, or the
approval's own user), and the union member of each refusal."""

from __future__ import annotations

from domain import transaction_approvals
from domain.phone_trust import approval_methods
from domain.service_clients import authenticate_service
from domain.transaction_approvals import Refusal
from graph.context import Context
from graph.types.transaction_approval import TransactionApproval, approval_type
from graph.types.transaction_errors import (
    PayloadHashMismatchError,
    TransactionAlreadyDecidedError,
    TransactionAlreadyRedeemedError,
    TransactionApprovalExpiredError,
    TransactionApprovalNotFoundError,
    TransactionDeclinedError,
    TransactionNotApprovedError,
)
from models.service_client import ServiceClient
from models.session import AuthSession
from models.transaction_approval import TransactionApproval as StoredApproval
from models.user import User

RefusalAnswer = (
    TransactionApprovalNotFoundError
    | TransactionApprovalExpiredError
    | TransactionDeclinedError
    | TransactionAlreadyDecidedError
    | TransactionNotApprovedError
    | PayloadHashMismatchError
    | TransactionAlreadyRedeemedError
)
_ANSWERS: dict[Refusal, type[RefusalAnswer]] = {
    Refusal.NOT_FOUND: TransactionApprovalNotFoundError,
    Refusal.EXPIRED: TransactionApprovalExpiredError,
    Refusal.DECLINED: TransactionDeclinedError,
    Refusal.ALREADY_DECIDED: TransactionAlreadyDecidedError,
    Refusal.NOT_APPROVED: TransactionNotApprovedError,
    Refusal.PAYLOAD_HASH_MISMATCH: PayloadHashMismatchError,
    Refusal.ALREADY_REDEEMED: TransactionAlreadyRedeemedError,
}


def refusal_answer(refusal: Refusal) -> RefusalAnswer:
    return _ANSWERS[refusal]()


async def calling_service(context: Context) -> ServiceClient | None:
    """The service credential this request's `Authorization: Basic` proves; a session cookie
    or bearer token never counts as one."""
    return await authenticate_service(context.runtime, context.facts.authorization)


async def shown(
    approval: StoredApproval, context: Context, user: User | None = None
) -> TransactionApproval:
    """The approval as the API shows it, with the methods its user may approve with."""
    owner = user if user is not None else await User.get(id=approval.user_id)
    methods = await approval_methods(owner, context.runtime)
    return approval_type(approval, context.runtime.now(), methods)


async def own_pending(
    context: Context, typed_id: str
) -> tuple[AuthSession, StoredApproval] | TransactionApprovalNotFoundError:
    """The signed-in session and its user's approval with that id; anyone else's is not found."""
    session = await context.require_full_session()
    approval = await transaction_approvals.own_approval(typed_id, session.user_id)
    if approval is None:
        return TransactionApprovalNotFoundError()
    return session, approval
