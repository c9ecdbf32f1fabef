"""The risky changes that start a cooling-off hold, driven through GraphQL as the apps do, and
the payloads of each transaction action a hold refuses or lets through."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from models.audit_event import AuditEvent
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.flows import app_code
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn

NEW_PHONE = "+12015550145"
ACTIONS: dict[str, dict[str, Any]] = {
    "DISBURSEMENT": {
        "action": "DISBURSEMENT",
        "amountMinor": 1240000,
        "currency": "USD",
        "payeeName": "Acme Drywall LLC",
        "payeeReference": "021000021-000123456789",
    },
    "BANK_ACCOUNT_CHANGE": {
        "action": "BANK_ACCOUNT_CHANGE",
        "payeeName": "Acme Drywall LLC",
        "payeeReference": "021000021-000987654321",
    },
    "AGREEMENT_SIGNATURE": {"action": "AGREEMENT_SIGNATURE", "description": "Master agreement"},
    "PAYMENTS_ACCESS": {"action": "PAYMENTS_ACCESS", "description": "Read payouts"},
}
HELD = ("DISBURSEMENT", "BANK_ACCOUNT_CHANGE")
NOT_HELD = ("AGREEMENT_SIGNATURE", "PAYMENTS_ACCESS")
REMOVE_MFA_METHOD = """
mutation Remove($input: MfaMethodInput!) { removeMfaMethod(input: $input) { __typename } }
"""


async def change_phone(client: GraphQLClient, messagebird: MessageBirdStandIn) -> None:
    started = await client.execute(
        doc.START_PHONE_NUMBER_CHANGE,
        {"input": {"countryCode": "+1", "phoneNumber": "201 555 0145"}},
    )
    assert started["startPhoneNumberChange"]["__typename"] == "SmsCodeSent", started
    changed = await client.execute(
        doc.CONFIRM_PHONE_NUMBER_CHANGE, {"input": {"code": messagebird.last_code(NEW_PHONE)}}
    )
    assert changed["confirmPhoneNumberChange"]["__typename"] == "PhoneNumberChanged", changed


async def add_app(client: GraphQLClient, clock: ManualClock) -> None:
    chosen = (await client.execute(doc.ADD_AUTHENTICATOR_APP))["addAuthenticatorApp"]
    assert chosen["__typename"] == "AuthenticatorAppMethodChosen", chosen
    code = app_code(str(chosen["secret"]).replace(" ", ""), clock.now())
    added = await client.execute(doc.VERIFY_AUTHENTICATOR_CODE, {"input": {"code": code}})
    assert added["verifyAuthenticatorCode"]["__typename"] == "AuthenticatorAppAdded", added
    clock.advance(timedelta(seconds=30))


async def remove_app(client: GraphQLClient) -> None:
    removed = await client.execute(REMOVE_MFA_METHOD, {"input": {"method": "AUTHENTICATOR_APP"}})
    assert removed["removeMfaMethod"]["__typename"] == "MfaMethodRemoved", removed


async def holds_of(client: GraphQLClient) -> list[dict[str, Any]]:
    return list((await client.execute(doc.VIEWER_HOLDS))["viewer"]["holds"])


async def hold_audit(outcome: str) -> int:
    return await AuditEvent.filter(event="hold", outcome=outcome).count()
