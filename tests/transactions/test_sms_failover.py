"""A transactional code fails over like a sign-in code: MessageBird refusing, the same text
(amount and payee) reaches the payer through Twilio, and its code approves."""

from __future__ import annotations

from domain.settings import Settings
from providers.registry import Providers
from tests.support.access_tokens import service_credential
from tests.support.constants import PHONE
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.routes import RoutedApp
from tests.support.transactions import PaymentsService, approve, send_code, signed_in_payer
from tests.support.twilio_standin import TwilioStandIn


async def test_a_transaction_code_goes_through_twilio_when_messagebird_refuses(
    routed: RoutedApp,
    settings: Settings,
    providers: Providers,
    messagebird: MessageBirdStandIn,
    twilio: TwilioStandIn,
) -> None:
    async with routed() as http:
        # given: a signed-in payer (enrolled through MessageBird) and a disbursement to approve
        client, owner = await signed_in_payer(http(), messagebird, "payee@example.com")
        payments = PaymentsService(http(), await service_credential(settings, providers))
        approval = await payments.approval(owner)
        messagebird.mode = "500"

        # when
        sent = await send_code(client, approval["id"])

        # then
        assert sent["__typename"] == "TransactionCodeSent", sent
        (text,) = twilio.messages
        assert text.to == PHONE and "Acme Drywall LLC" in text.body
        approved = await approve(client, approval["id"], twilio.last_code(PHONE))
        assert approved["__typename"] == "TransactionApproved", approved
