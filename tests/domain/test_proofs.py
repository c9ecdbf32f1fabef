"""What a session's record of proofs says in a token: pure rules, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain import proofs
from domain.proofs import ACR_MFA, ACR_PASSWORD, ACR_PHISHING_RESISTANT, Authentication, NotProven
from models.enums import MfaMethod

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def test_a_session_from_before_the_record_says_what_its_columns_tell() -> None:
    # when
    password_only = proofs.decode("", NOW - timedelta(hours=1), None)
    with_factor = proofs.decode("", NOW - timedelta(hours=1), NOW - timedelta(minutes=5))

    # then
    assert password_only == [proofs.password_only(NOW - timedelta(hours=1))]
    assert with_factor[0].amr == ("pwd", "mfa") and with_factor[0].acr == ACR_MFA


def test_the_record_keeps_the_latest_proofs_only() -> None:
    # given
    record = proofs.encode([proofs.password_and(MfaMethod.SMS, NOW)])

    # when
    for minute in range(20):
        step = proofs.step_up(MfaMethod.AUTHENTICATOR_APP, NOW + timedelta(minutes=minute))
        record = proofs.appended(record, NOW, NOW, step)

    # then
    kept = proofs.decode(record, NOW, NOW)
    assert len(kept) == 8
    assert kept[-1].at == int((NOW + timedelta(minutes=19)).timestamp())


def test_max_age_and_acr_values_look_at_the_proofs_inside_the_age_only() -> None:
    # given: a security key at sign-in an hour ago, an SMS step-up a minute ago
    record = [
        proofs.password_and(MfaMethod.SECURITY_KEY, NOW - timedelta(hours=1)),
        proofs.step_up(MfaMethod.SMS, NOW - timedelta(minutes=1)),
    ]

    # when
    recent_phr = proofs.authentication(record, NOW, 300, [ACR_PHISHING_RESISTANT])
    recent_mfa = proofs.authentication(record, NOW, 300, [ACR_PHISHING_RESISTANT, ACR_MFA])
    any_age = proofs.authentication(record, NOW, None, None)

    # then: the key is too old for a phishing-resistant request within five minutes
    assert recent_phr == NotProven(ACR_PHISHING_RESISTANT)
    assert isinstance(recent_mfa, Authentication) and recent_mfa.acr == ACR_MFA
    assert isinstance(recent_mfa, Authentication)
    assert recent_mfa.auth_time == int((NOW - timedelta(minutes=1)).timestamp())
    # and the phishing-resistant level's time is the key's, not the later texted code's
    assert any_age == Authentication(
        int((NOW - timedelta(hours=1)).timestamp()),
        ["pwd", "hwk", "sms", "mfa"],
        ACR_PHISHING_RESISTANT,
    )


def test_unknown_acr_values_are_never_satisfied() -> None:
    # given
    record = [proofs.password_only(NOW)]

    # when
    outcome = proofs.authentication(record, NOW, None, ["urn:elsewhere:gold"])

    # then
    assert isinstance(outcome, NotProven)
    assert proofs.authentication(record, NOW, None, [ACR_PASSWORD]) == Authentication(
        int(NOW.timestamp()), ["pwd"], ACR_PASSWORD
    )
