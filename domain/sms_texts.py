"""The words of every text message, in the recipient's language, within two segments.

Each text is the message, the keep-private line, a blank line, then the WebOTP line
`@<relying party host> #<code>` that lets browsers offer the code (origin-bound one-time
codes). The texts are written to stay in the GSM-7 alphabet (so "clave", not "código", in
Spanish); a payee name or description that would push a text past two segments, in whatever
encoding it ends up in, is cut short with "...".
"""

from __future__ import annotations

from domain import locales, transaction_payload
from domain.runtime import Runtime
from domain.sms_segments import segments
from i18n.catalogs import gettext
from i18n.markers import N_
from models.flow import MfaFlow
from models.transaction_approval import TransactionAction, TransactionApproval

MAX_SEGMENTS = 2
_ELLIPSIS = "..."
_BULLET = "\u2022"  # the reference's mask is UCS-2: texts show `**6789`

KEEP_PRIVATE = N_("Never share it with anyone; we will never ask for it.")
_VERIFICATION = N_("Your verification code is {code}. It expires in {minutes} minutes.")
_TRANSACTION = N_("Your code {code} approves {summary}. It expires in {minutes} minutes.")
_DISBURSEMENT = N_("{amount} to {payee}")
_BANK_ACCOUNT_CHANGE = N_("a bank account change to {payee}")
_AGREEMENT_SIGNATURE = N_("signing: {description}")
_PAYMENTS_ACCESS = N_("payments access: {description}")


def _compose(locale: str, first_line: str, code: str, host: str) -> str:
    return f"{first_line}\n{gettext(locale, KEEP_PRIVATE)}\n\n@{host} #{code}"


def verification_text(code: str, minutes: int, locale: str, host: str) -> str:
    """The text of a sign-in, enrollment or step-up code."""
    line = gettext(locale, _VERIFICATION).format(code=code, minutes=minutes)
    return _compose(locale, line, code, host)


async def for_flow(flow: MfaFlow, code: str, runtime: Runtime) -> str:
    """The verification text of `flow`, in its user's language (else the request's)."""
    user = await flow.user
    locale = locales.locale_of(user, runtime)
    minutes = runtime.settings.sms_code_ttl_minutes
    return verification_text(code, minutes, locale, runtime.settings.relying_party_id)


def _summary(approval: TransactionApproval, locale: str, free_text: str) -> str:
    """What the code approves; `free_text` is the payee name or description, maybe cut."""
    if approval.action in (TransactionAction.DISBURSEMENT, TransactionAction.BANK_ACCOUNT_CHANGE):
        reference = transaction_payload.masked_reference(approval.payee_reference)
        payee = f"{free_text} ({reference.replace(_BULLET, '*')})" if reference else free_text
        if approval.action is TransactionAction.BANK_ACCOUNT_CHANGE:
            return gettext(locale, _BANK_ACCOUNT_CHANGE).format(payee=payee)
        amount = transaction_payload.amount_text(approval.amount_minor, approval.currency, locale)
        return gettext(locale, _DISBURSEMENT).format(amount=amount, payee=payee)
    template = (
        _AGREEMENT_SIGNATURE
        if approval.action is TransactionAction.AGREEMENT_SIGNATURE
        else _PAYMENTS_ACCESS
    )
    return gettext(locale, template).format(description=free_text)


def transaction_text(
    approval: TransactionApproval, code: str, minutes: int, locale: str, host: str
) -> str:
    """The text of a transactional code, naming what it approves (PSD2 RTS Art. 5(1)(a))."""
    payee_like = approval.action in (
        TransactionAction.DISBURSEMENT,
        TransactionAction.BANK_ACCOUNT_CHANGE,
    )
    free_text = (approval.payee_name if payee_like else approval.description) or ""

    def render(shown: str) -> str:
        summary = _summary(approval, locale, shown)
        line = gettext(locale, _TRANSACTION).format(code=code, summary=summary, minutes=minutes)
        return _compose(locale, line, code, host)

    text = render(free_text)
    kept = len(free_text)
    while segments(text).count > MAX_SEGMENTS and kept > 0:
        kept -= 1
        text = render(free_text[:kept].rstrip() + _ELLIPSIS)
    return text
