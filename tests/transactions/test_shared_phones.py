"""A number verified by users of two companies, or a VoIP number, signs in but never approves a
transaction by SMS; verifying a number another company's user holds is flagged."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain import metrics, webhooks
from domain.runtime import RequestMeta, Runtime
from domain.settings import Settings
from models.audit_event import AuditEvent
from models.company import Company
from models.enums import PayRole
from models.user import User
from models.webhook import WebhookDelivery
from providers.registry import Providers
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.constants import PHONE
from tests.support.flows import reach_code_verification
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.transactions import PaymentsService, send_code
from tests.support.users import MakeUser

FIRST, SECOND = "first@example.com", "second@example.com"
VOIP = "+445612345678"  # phonenumbers: GB, VOIP


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, sms_allowed_countries=("US", "GB"))


async def enrolled(
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    email: str,
    company: str,
    phone: str = PHONE,
) -> tuple[GraphQLClient, str]:
    """A payee of `company` enrolled with SMS on `phone`, signed in; and their id."""
    owner, _ = await Company.get_or_create(name=company)
    user = await make_user(email, PayRole.PAYEE)
    await User.filter(id=user.id).update(company_id=owner.id)
    client = GraphQLClient(new_http())
    await reach_code_verification(client, email, phone)
    verified = await client.execute(
        doc.VERIFY_SMS_CODE, {"input": {"code": messagebird.last_code(phone)}}
    )
    assert verified["verifySmsCode"]["__typename"] == "RecoveryCodeIssued", verified
    done = await client.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)
    assert done["confirmRecoveryCodeSaved"]["__typename"] == "LoggedIn", done
    return client, str(user.id)


def flagged_count() -> float:
    value = metrics.REGISTRY.get_sample_value(
        "twofold_phone_shared_across_companies_total", {"where": "enrollment"}
    )
    return value or 0.0


async def test_a_number_of_another_company_signs_in_but_cannot_approve_by_sms(
    payments: PaymentsService,
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
) -> None:
    # given: a user of Acme verified the number
    await enrolled(new_http, make_user, messagebird, FIRST, "Acme")
    before = flagged_count()

    # when: a user of Globex verifies it too (and is signed in: LoggedIn above)
    client, user_id = await enrolled(new_http, make_user, messagebird, SECOND, "Globex")
    approval = await payments.approval(user_id)
    sent = await send_code(client, approval["id"])

    # then: flagged (audit row, webhook row, metric), and SMS is no approval method
    second = await User.get(email=SECOND)
    assert await AuditEvent.filter(
        event="phone", outcome="shared_across_companies", subject_id=second.id
    ).exists()
    assert flagged_count() == before + 1
    assert approval["methods"] == []
    assert sent["__typename"] == "MethodNotAllowedError"
    assert sent["code"] == "METHOD_NOT_ALLOWED"
    assert (await client.execute(doc.VIEWER))["viewer"]["mfa"]["methods"] == ["SMS"]


async def test_the_flag_queues_the_webhook_with_ids_only(
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    settings: Settings,
    providers: Providers,
) -> None:
    # given: an endpoint for the event
    runtime = Runtime(settings, providers, RequestMeta("-", "tests"))
    await webhooks.add_endpoint(
        runtime, "http://127.0.0.1:9/hooks", ["phone.shared_across_companies"]
    )
    await enrolled(new_http, make_user, messagebird, FIRST, "Acme")

    # when
    await enrolled(new_http, make_user, messagebird, SECOND, "Globex")

    # then
    rows = await WebhookDelivery.filter(event="phone.shared_across_companies")
    assert len(rows) == 1
    second = await User.get(email=SECOND)
    assert f'"user_id":"{second.id}"' in rows[0].body
    assert PHONE not in rows[0].body and PHONE.lstrip("+") not in rows[0].body
    assert SECOND not in rows[0].body


async def test_a_number_shared_within_one_company_approves_by_sms(
    payments: PaymentsService,
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
) -> None:
    # given
    await enrolled(new_http, make_user, messagebird, FIRST, "Acme")

    # when
    client, user_id = await enrolled(new_http, make_user, messagebird, SECOND, "Acme")
    approval = await payments.approval(user_id)

    # then
    assert approval["methods"] == ["SMS"]
    assert (await send_code(client, approval["id"]))["__typename"] == "TransactionCodeSent"
    assert not await AuditEvent.filter(event="phone").exists()


async def test_a_voip_number_signs_in_but_cannot_approve_by_sms(
    payments: PaymentsService,
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
) -> None:
    # given / when
    client, user_id = await enrolled(new_http, make_user, messagebird, FIRST, "Acme", VOIP)
    approval = await payments.approval(user_id)
    sent = await send_code(client, approval["id"])

    # then
    assert approval["methods"] == []
    assert sent["__typename"] == "MethodNotAllowedError"
