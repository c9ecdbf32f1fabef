"""A payments service beside the served reference app (`twofold service create`, then GraphQL
with HTTP Basic), and the browser steps that open what it asks the user to approve."""

from __future__ import annotations

import base64
from typing import Any

import httpx

from tests.support import documents as doc
from tests.support.served import run_twofold
from tests.support.transactions import DISBURSEMENT
from tests.support.web_app import Served, Web


class Payments:
    """The payments service: `twofold service create`, then GraphQL with HTTP Basic."""

    def __init__(self, served: Served) -> None:
        created = run_twofold(served.env, served.cwd, "service", "create", "payments")
        printed = dict(line.split("=", 1) for line in created.stdout.splitlines() if "=" in line)
        pair = f"{printed['client_id']}:{printed['client_secret']}".encode()
        self.headers = {"Authorization": "Basic " + base64.b64encode(pair).decode()}
        self.base = served.base

    def call(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        answer = httpx.post(
            f"{self.base}/graphql",
            json={"query": query, "variables": variables},
            headers=self.headers,
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        return dict(answer.json()["data"])

    def create(self, user_id: str) -> dict[str, Any]:
        variables = {"input": {"userId": user_id, **DISBURSEMENT}}
        created = self.call(doc.CREATE_TRANSACTION_APPROVAL, variables)["createTransactionApproval"]
        assert created["__typename"] == "TransactionApprovalCreated", created
        return dict(created["approval"])

    def redeem(self, approval: dict[str, Any]) -> str:
        variables = {
            "input": {"approvalId": approval["id"], "payloadHash": approval["payloadHash"]}
        }
        return str(
            self.call(doc.REDEEM_TRANSACTION_APPROVAL, variables)["redeemTransactionApproval"][
                "__typename"
            ]
        )


async def viewer_id(web: Web) -> str:
    """The signed-in user's id, as the payments service knows it (an access token's `sub`)."""
    return str(
        await web.page.evaluate(
            """async () => {
              const answer = await fetch("/graphql", {method: "POST",
                headers: {"Content-Type": "application/json"},
                body: JSON.stringify({query: "{ viewer { id } }"})});
              return (await answer.json()).data.viewer.id;
            }"""
        )
    )


async def open_approval(web: Web, approval_id: str) -> None:
    await web.page.goto(f"{web.base}/approve/{approval_id}")
