"""What an SSO session states (RFC 8176 `amr`): the provider's registered methods, never an
invented "federated" value nor Twofold's `pwd`, then Twofold's second factor."""

from __future__ import annotations

from datetime import UTC, datetime

from domain import proofs
from models.enums import MfaMethod

AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_the_providers_registered_methods_replace_the_password() -> None:
    # given: the provider said pwd, a made-up value and mfa (not accepted)
    first = proofs.federated(["pwd", "fed", "mfa"], AT)

    # when: Twofold's app then proved the second factor
    second = proofs.after_first_factor(
        proofs.encode([first]), proofs.password_and(MfaMethod.AUTHENTICATOR_APP, AT)
    )

    # then
    assert first.amr == ("pwd",) and first.acr == proofs.ACR_PASSWORD
    assert second.amr == ("pwd", "otp", "mfa") and second.acr == proofs.ACR_MFA


def test_a_provider_that_reports_nothing_leaves_only_twofolds_factor() -> None:
    # when
    second = proofs.after_first_factor(
        proofs.encode([proofs.federated([], AT)]), proofs.password_and(MfaMethod.SECURITY_KEY, AT)
    )

    # then
    assert second.amr == ("hwk", "mfa") and second.acr == proofs.ACR_PHISHING_RESISTANT


def test_a_password_sign_in_keeps_its_proof_and_an_accepted_provider_word_is_multi_factor() -> None:
    # when
    password = proofs.after_first_factor("", proofs.password_and(MfaMethod.SMS, AT))
    vouched = proofs.federated(["pwd", "otp"], AT, vouched=True)

    # then
    assert password.amr == ("pwd", "sms", "mfa")
    assert vouched.amr == ("pwd", "otp", "mfa") and vouched.acr == proofs.ACR_MFA
