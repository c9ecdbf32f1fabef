"""A transactional code's text in the payer's language, as the MessageBird stand-in gets it:
the amount in the language's number format, the payee, keep-private and WebOTP lines."""

from __future__ import annotations

from uuid import UUID

import pytest

from domain.sms_segments import segments
from models.user import User
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.transactions import PaymentsService, signed_in_payer, texted_code

EMAIL = "payor@example.com"


@pytest.mark.parametrize(
    ("locale", "amount", "expected"),
    [
        (
            "es",
            "12.400,00 USD",
            "Tu clave {code} aprueba 12.400,00 USD a Acme Drywall LLC (**6789). Caduca en 5 "
            "minutos.\nNo la compartas con nadie: nunca te la pediremos.\n\n"
            "@app.twofold.test #{code}",
        ),
        (
            "fr",
            "12 400,00 USD",
            "Votre code {code} approuve 12\u202f400,00 USD à Acme Drywall LLC (**6789). Il "
            "expire dans 5 minutes.\nNe le partagez avec personne : nous ne vous le demanderons "
            "jamais.\n\n@app.twofold.test #{code}",
        ),
    ],
)
async def test_the_payers_language_names_the_amount_and_payee_in_the_text_and_the_api(
    locale: str,
    amount: str,
    expected: str,
    payments: PaymentsService,
    new_http: HttpFactory,
    messagebird: MessageBirdStandIn,
) -> None:
    # given
    payer, user_id = await signed_in_payer(new_http(), messagebird, EMAIL)
    await User.filter(id=UUID(user_id)).update(locale=locale)
    created = await payments.approval(user_id)

    # when
    shown = await payer.execute(doc.TRANSACTION_APPROVAL, {"id": created["id"]})
    code = await texted_code(payer, messagebird, created["id"])

    # then: Babel's narrow no-break space becomes a plain one, so the text stays GSM-7
    body = messagebird.messages[-1].body
    assert body == expected.replace("\u202f", " ").format(code=code)
    assert segments(body).encoding == "GSM-7" and segments(body).count <= 2
    assert shown["transactionApproval"]["amountText"] == amount
