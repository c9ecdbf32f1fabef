"""A payments service asks for an approval with its own credential, the user approves it with
a texted code that names the amount and payee, and the service redeems it exactly once."""

from __future__ import annotations

import hashlib
import json

import pytest

from domain import service_clients
from domain.runtime import RequestMeta, Runtime
from domain.settings import Settings
from providers.registry import Providers
from tests.support import documents as doc
from tests.support.access_tokens import basic, service_credential
from tests.support.clients import HttpFactory
from tests.support.constants import PHONE
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.transactions import (
    DISBURSEMENT,
    PaymentsService,
    approve,
    signed_in_payer,
    texted_code,
)
from tests.support.users import cheap_user

EMAIL = "payor@example.com"


async def test_a_disbursement_is_created_approved_by_sms_and_redeemed_once(
    payments: PaymentsService, new_http: HttpFactory, messagebird: MessageBirdStandIn
) -> None:
    # given
    payer, user_id = await signed_in_payer(new_http(), messagebird, EMAIL)
    created = await payments.approval(user_id)
    shown = await payer.execute(doc.TRANSACTION_APPROVAL, {"id": created["id"]})
    code = await texted_code(payer, messagebird, created["id"])

    # when
    approved = await approve(payer, created["id"], code)
    redeemed = await payments.redeem(created["id"], created["payloadHash"])
    again = await payments.redeem(created["id"], created["payloadHash"])

    # then
    assert created["status"] == "PENDING"
    assert shown["transactionApproval"]["amountText"] == "USD 12,400.00"
    assert shown["transactionApproval"]["payeeName"] == "Acme Drywall LLC"
    assert shown["transactionApproval"]["methods"] == ["SMS"]
    assert approved["__typename"] == "TransactionApproved"
    assert approved["approval"]["status"] == "APPROVED"
    assert redeemed["__typename"] == "TransactionApprovalRedeemed"
    assert redeemed["approval"]["status"] == "REDEEMED"
    assert redeemed["method"] == "SMS"
    assert redeemed["amr"] == ["sms", "mfa"]
    assert again["__typename"] == "TransactionAlreadyRedeemedError"


async def test_the_text_names_the_amount_and_the_payee_and_says_keep_it_private(
    payments: PaymentsService, new_http: HttpFactory, messagebird: MessageBirdStandIn
) -> None:
    # given
    payer, user_id = await signed_in_payer(new_http(), messagebird, EMAIL)
    created = await payments.approval(user_id)

    # when
    await texted_code(payer, messagebird, created["id"])

    # then
    body = messagebird.messages[-1].body
    assert "USD 12,400.00 to Acme Drywall LLC (**6789)" in body
    assert "Never share it" in body
    assert messagebird.messages[-1].recipients == [PHONE.lstrip("+")]


async def test_the_payload_hash_is_the_sha256_of_the_canonical_json_of_what_is_approved(
    payments: PaymentsService, new_http: HttpFactory, messagebird: MessageBirdStandIn
) -> None:
    # given
    _, user_id = await signed_in_payer(new_http(), messagebird, EMAIL)

    # when
    created = await payments.approval(user_id)

    # then
    payload = created["payload"]
    assert hashlib.sha256(payload.encode()).hexdigest() == created["payloadHash"]
    parsed = json.loads(payload)
    assert parsed["amount_minor"] == DISBURSEMENT["amountMinor"]
    assert parsed["payee_name"] == DISBURSEMENT["payeeName"]
    assert parsed["approval_id"] == created["id"]
    assert parsed["user_id"] == user_id
    assert payload == json.dumps(parsed, sort_keys=True, separators=(",", ":"))


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"action": "DISBURSEMENT", "payeeName": "Acme"}, "amountMinor", "required"),
        (
            {"action": "DISBURSEMENT", "amountMinor": 100, "currency": "USD"},
            "payeeName",
            "required",
        ),
        (
            {"action": "DISBURSEMENT", "amountMinor": 100, "currency": "XYZ", "payeeName": "A"},
            "currency",
            "unknown_currency",
        ),
        (
            {"action": "DISBURSEMENT", "amountMinor": 100, "currency": "DEM", "payeeName": "A"},
            "currency",
            "unknown_currency",
        ),
        (
            {"action": "DISBURSEMENT", "amountMinor": 0, "currency": "USD", "payeeName": "A"},
            "amountMinor",
            "out_of_range",
        ),
        ({"action": "DISBURSEMENT", "amountMinor": 5, "payeeName": "A"}, "currency", "required"),
        ({"action": "BANK_ACCOUNT_CHANGE", "payeeName": "A"}, "payeeReference", "required"),
        ({"action": "AGREEMENT_SIGNATURE"}, "description", "required"),
        ({"action": "PAYMENTS_ACCESS", "description": "x" * 281}, "description", "too_long"),
        # a right-to-left override makes "\u202eecilA" read "Alice"; zero-width hides text
        (
            {
                "action": "DISBURSEMENT",
                "amountMinor": 100,
                "currency": "USD",
                "payeeName": "\u202eecilA \u2066",
            },
            "payeeName",
            "invalid_characters",
        ),
        (
            {
                "action": "BANK_ACCOUNT_CHANGE",
                "payeeName": "A",
                "payeeReference": "0210\u200b00021",
            },
            "payeeReference",
            "invalid_characters",
        ),
    ],
)
async def test_what_cannot_be_approved_answers_a_typed_error(
    payments: PaymentsService,
    new_http: HttpFactory,
    messagebird: MessageBirdStandIn,
    fields: dict,
    field: str,
    reason: str,
) -> None:
    # given
    _, user_id = await signed_in_payer(new_http(), messagebird, EMAIL)

    # when
    created = await payments.create(user_id, **fields)

    # then
    assert created["__typename"] == "InvalidTransactionError"
    assert (created["code"], created["field"], created["reason"]) == (
        "INVALID_TRANSACTION",
        field,
        reason,
    )


async def test_an_unknown_user_is_a_typed_error(payments: PaymentsService) -> None:
    # when
    created = await payments.create("00000000-0000-0000-0000-000000000000")

    # then
    assert (created["__typename"], created["field"]) == ("InvalidTransactionError", "userId")


async def test_a_user_without_a_second_factor_cannot_be_asked(payments: PaymentsService) -> None:
    # given
    user = await cheap_user("nofactor@example.com")

    # when
    created = await payments.create(str(user.id))

    # then
    assert (created["field"], created["reason"]) == ("userId", "no_second_factor")


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [(1240000, "USD", "USD 12,400.00"), (12400, "JPY", "JPY 12,400"), (1234, "KWD", "KWD 1.234")],
)
async def test_the_amount_is_shown_with_the_currency_minor_unit(
    payments: PaymentsService,
    new_http: HttpFactory,
    messagebird: MessageBirdStandIn,
    minor: int,
    currency: str,
    text: str,
) -> None:
    # given
    _, user_id = await signed_in_payer(new_http(), messagebird, EMAIL)

    # when
    created = await payments.approval(
        user_id, action="DISBURSEMENT", amountMinor=minor, currency=currency, payeeName="Acme"
    )

    # then
    assert created["amountText"] == text


async def test_a_user_session_never_creates_or_redeems_an_approval(
    payments: PaymentsService, new_http: HttpFactory, messagebird: MessageBirdStandIn
) -> None:
    # given
    payer, user_id = await signed_in_payer(new_http(), messagebird, EMAIL)
    created = await payments.approval(user_id)
    redeem = {"input": {"approvalId": created["id"], "payloadHash": created["payloadHash"]}}

    # when
    by_user = await payer.execute(
        doc.CREATE_TRANSACTION_APPROVAL, {"input": {"userId": user_id, **DISBURSEMENT}}
    )
    redeemed_by_user = await payer.execute(doc.REDEEM_TRANSACTION_APPROVAL, redeem)

    # then
    assert by_user["createTransactionApproval"]["code"] == "SERVICE_CREDENTIAL_REQUIRED"
    assert redeemed_by_user["redeemTransactionApproval"]["code"] == "SERVICE_CREDENTIAL_REQUIRED"


@pytest.mark.parametrize(
    "authorization", [basic("svc_unknown", "not-the-secret"), "Basic", "Bearer abc", ""]
)
async def test_a_wrong_secret_or_no_credential_is_no_service(
    payments: PaymentsService,
    new_http: HttpFactory,
    messagebird: MessageBirdStandIn,
    authorization: str,
) -> None:
    # given
    _, user_id = await signed_in_payer(new_http(), messagebird, EMAIL)
    payments.authorization = authorization

    # when
    created = await payments.create(user_id)

    # then
    assert created["code"] == "SERVICE_CREDENTIAL_REQUIRED"


async def test_a_revoked_credential_is_no_service(
    payments: PaymentsService,
    settings: Settings,
    providers: Providers,
    new_http: HttpFactory,
    messagebird: MessageBirdStandIn,
) -> None:
    # given
    _, user_id = await signed_in_payer(new_http(), messagebird, EMAIL)
    runtime = Runtime(settings, providers, RequestMeta("-", "tests"))
    [client] = await service_clients.listed()
    await service_clients.revoke(client.client_id, runtime)

    # when
    created = await payments.create(user_id)

    # then
    assert created["code"] == "SERVICE_CREDENTIAL_REQUIRED"


async def test_another_service_cannot_redeem_an_approval_it_did_not_create(
    payments: PaymentsService,
    settings: Settings,
    providers: Providers,
    new_http: HttpFactory,
    messagebird: MessageBirdStandIn,
) -> None:
    # given
    payer, user_id = await signed_in_payer(new_http(), messagebird, EMAIL)
    created = await payments.approval(user_id)
    await approve(payer, created["id"], await texted_code(payer, messagebird, created["id"]))
    other = PaymentsService(new_http(), await service_credential(settings, providers))

    # when
    redeemed = await other.redeem(created["id"], created["payloadHash"])

    # then
    assert redeemed["__typename"] == "TransactionApprovalNotFoundError"
    assert (await payments.redeem(created["id"], created["payloadHash"]))["__typename"] == (
        "TransactionApprovalRedeemed"
    )
