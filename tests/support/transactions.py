"""A payments service asking Twofold for transaction approvals, with its own credential, and
the signed-in user who answers them."""

from __future__ import annotations

from typing import Any

import httpx

from models.enums import PayRole
from models.user import User
from tests.support import documents as doc
from tests.support.access_tokens import basic
from tests.support.constants import PHONE
from tests.support.flows import enroll_with_sms
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import CHEAP_HASH

DISBURSEMENT: dict[str, Any] = {
    "action": "DISBURSEMENT",
    "amountMinor": 1240000,
    "currency": "USD",
    "payeeName": "Acme Drywall LLC",
    "payeeReference": "021000021-000123456789",
}


class PaymentsService:
    """The service side: every request carries `Authorization: Basic` and no cookie."""

    def __init__(self, http: httpx.AsyncClient, credential: tuple[str, str]) -> None:
        self.http = http
        self.authorization = basic(*credential)

    async def post(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        response = await self.http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": self.authorization},
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body
        return dict(body["data"])

    async def create(self, user_id: str, **fields: Any) -> dict[str, Any]:
        """The createTransactionApproval answer for `fields` (a disbursement by default)."""
        variables = {"input": {"userId": user_id, **(fields or DISBURSEMENT)}}
        data = await self.post(doc.CREATE_TRANSACTION_APPROVAL, variables)
        return dict(data["createTransactionApproval"])

    async def approval(self, user_id: str, **fields: Any) -> dict[str, Any]:
        """A new pending approval (its id, status, expiresAt, payloadHash ...)."""
        created = await self.create(user_id, **fields)
        assert created["__typename"] == "TransactionApprovalCreated", created
        return dict(created["approval"])

    async def redeem(self, approval_id: str, payload_hash: str) -> dict[str, Any]:
        variables = {"input": {"approvalId": approval_id, "payloadHash": payload_hash}}
        data = await self.post(doc.REDEEM_TRANSACTION_APPROVAL, variables)
        return dict(data["redeemTransactionApproval"])


async def signed_in_payer(
    http: httpx.AsyncClient, messagebird: MessageBirdStandIn, email: str
) -> tuple[GraphQLClient, str]:
    """A payments user (a payee: payors may not text) enrolled with SMS and signed in on a browser, and their user id."""
    await User.create(email=email, password_hash=CHEAP_HASH, pay_role=PayRole.PAYEE)
    client = GraphQLClient(http)
    await enroll_with_sms(client, messagebird, email)
    return client, str((await User.get(email=email)).id)


async def send_code(client: GraphQLClient, approval_id: str) -> dict[str, Any]:
    variables = {"input": {"approvalId": approval_id}}
    return dict((await client.execute(doc.SEND_TRANSACTION_CODE, variables))["sendTransactionCode"])


async def approve(
    client: GraphQLClient, approval_id: str, code: str, method: str = "SMS"
) -> dict[str, Any]:
    variables = {"input": {"approvalId": approval_id, "code": code, "method": method}}
    return dict((await client.execute(doc.APPROVE_TRANSACTION, variables))["approveTransaction"])


async def texted_code(
    client: GraphQLClient, messagebird: MessageBirdStandIn, approval_id: str
) -> str:
    """Text a code for the approval and read it from the MessageBird stand-in."""
    sent = await send_code(client, approval_id)
    assert sent["__typename"] == "TransactionCodeSent", sent
    return messagebird.last_code(PHONE)


async def status_of(client: GraphQLClient, approval_id: str) -> str:
    """The approval's status as its user sees it."""
    shown = await client.execute(doc.TRANSACTION_APPROVAL, {"id": approval_id})
    return str(shown["transactionApproval"]["status"])
