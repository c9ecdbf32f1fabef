"""Which factors a session proved and when, as access tokens state them (`amr`, `acr`,
`auth_time`). Pure: the session's `proofs` column holds the record as JSON.

`amr` values are RFC 8176's: `pwd` (password), `sms` (texted code), `otp` (authenticator app),
`hwk` (a security key as the second factor: a hardware-bound key), `swk` (a passkey signing in
alone: usually synced, so a software-secured key) and `mfa` (two factors proven). A recovery
code names no method: `pwd` and `mfa` alone. `acr` is one of three ordered levels.

A single sign-on records no `pwd`: the identity provider proved the first factor, and RFC
8176 registers no value for "federated" (so none is invented). The session states the
registered methods the provider itself reported (`pwd`, `otp`, ...; its `mfa` only when that
provider's allowlist accepted its word), then Twofold's second factor as usual.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from models.enums import MfaMethod

ACR_PASSWORD = "urn:twofold:acr:pwd"
ACR_MFA = "urn:twofold:acr:mfa"
ACR_PHISHING_RESISTANT = "urn:twofold:acr:phr"
LEVELS = (ACR_PASSWORD, ACR_MFA, ACR_PHISHING_RESISTANT)
"""Weakest first: a level satisfies a request for itself or any level before it."""

PASSWORD, MULTI_FACTOR, PASSKEY = "pwd", "mfa", "swk"
_METHOD_AMR = {
    MfaMethod.SMS: "sms",
    MfaMethod.AUTHENTICATOR_APP: "otp",
    MfaMethod.SECURITY_KEY: "hwk",
}
_KEPT = 8  # step-ups append; the oldest proofs say nothing a newer one does not


@dataclass(frozen=True)
class Proof:
    """One authentication event: its time (epoch seconds), methods and level."""

    at: int
    amr: tuple[str, ...]
    acr: str


def _epoch(at: datetime) -> int:
    return int(at.timestamp())


def password_only(at: datetime) -> Proof:
    """A sign-in with no second factor: none required, or a trusted browser skipped it."""
    return Proof(_epoch(at), (PASSWORD,), ACR_PASSWORD)


def password_and(method: MfaMethod, at: datetime) -> Proof:
    """The password, then `method` as the second factor."""
    return Proof(_epoch(at), (PASSWORD, _METHOD_AMR[method], MULTI_FACTOR), _level(method))


def password_and_recovery_code(at: datetime) -> Proof:
    return Proof(_epoch(at), (PASSWORD, MULTI_FACTOR), ACR_MFA)


def passkey(at: datetime) -> Proof:
    """A passkey with user verification: possession and a PIN or biometric at once."""
    return Proof(_epoch(at), (PASSKEY, MULTI_FACTOR), ACR_PHISHING_RESISTANT)


def step_up(method: MfaMethod, at: datetime) -> Proof:
    """`method` proven again in a session whose first factor was proven at sign-in."""
    return Proof(_epoch(at), (_METHOD_AMR[method], MULTI_FACTOR), _level(method))


RFC_8176 = frozenset(
    "face fpt geo hwk iris kba mca mfa otp pin pwd rba retina sc sms swk tel user vbm wia".split()
)


def federated(reported_amr: list[str], at: datetime, *, vouched: bool = False) -> Proof:
    """An identity provider's sign-in: the registered methods it reported; `vouched` (its
    word accepted by the provider's allowlist) makes it a multi-factor proof."""
    methods = tuple(dict.fromkeys(m for m in reported_amr if m in RFC_8176 and m != MULTI_FACTOR))
    if vouched:
        return Proof(_epoch(at), (*methods, MULTI_FACTOR), ACR_MFA)
    return Proof(_epoch(at), methods, ACR_PASSWORD)


def after_first_factor(pending_proofs: str, second: Proof) -> Proof:
    """`second` (a password-and-factor proof) for a pending session that recorded its own
    first factor: that factor's methods replace `pwd`. Password sign-ins record none."""
    if not pending_proofs:
        return second
    firsts = [
        Proof(int(at), tuple(amr.split()), acr) for at, amr, acr in json.loads(pending_proofs)
    ]
    first = firsts[0].amr
    rest = tuple(m for m in second.amr if m != PASSWORD and m not in first)
    return Proof(second.at, (*first, *rest), second.acr)


def _level(method: MfaMethod) -> str:
    return ACR_PHISHING_RESISTANT if method is MfaMethod.SECURITY_KEY else ACR_MFA


def encode(proofs: list[Proof]) -> str:
    return json.dumps([[p.at, " ".join(p.amr), p.acr] for p in proofs[-_KEPT:]])


def decode(stored: str, created_at: datetime, second_factor_at: datetime | None) -> list[Proof]:
    """The stored record; a session from before it was kept gets the little its columns tell."""
    if stored:
        return [Proof(int(at), tuple(amr.split()), acr) for at, amr, acr in json.loads(stored)]
    if second_factor_at is None:
        return [password_only(created_at)]
    return [Proof(_epoch(second_factor_at), (PASSWORD, MULTI_FACTOR), ACR_MFA)]


def appended(
    stored: str, created_at: datetime, second_factor_at: datetime | None, new: Proof
) -> str:
    return encode([*decode(stored, created_at, second_factor_at), new])


@dataclass(frozen=True)
class Authentication:
    """What a token says of its session: `auth_time`, `amr`, `acr`."""

    auth_time: int
    amr: list[str]
    acr: str


@dataclass(frozen=True)
class NotProven:
    """The session has not proven `acr` (at least) within the asked age: step up."""

    acr: str


def authentication(
    proofs: list[Proof], now: datetime, max_age: int | None, acr_values: list[str] | None
) -> Authentication | NotProven:
    """The session's authentication as RFC 9470 asks for it: proven within `max_age`
    seconds, at one of `acr_values` (the first one the session satisfies; a higher level
    satisfies a lower one, unknown values never)."""
    eligible = [p for p in proofs if max_age is None or _epoch(now) - p.at <= max(0, max_age)]
    known = [value for value in acr_values or [] if value in LEVELS]
    if not eligible:
        return NotProven(min(known, key=LEVELS.index) if known else ACR_PASSWORD)
    best = max((p.acr for p in eligible), key=LEVELS.index)
    if acr_values:
        satisfied = [v for v in known if LEVELS.index(v) <= LEVELS.index(best)]
        if not satisfied:
            return NotProven(min(known, key=LEVELS.index) if known else ACR_MFA)
        best = satisfied[0]
    return Authentication(max(p.at for p in eligible), _amr(proofs), best)


def _amr(proofs: list[Proof]) -> list[str]:
    methods: list[str] = []
    for proof in proofs:
        methods += [m for m in proof.amr if m not in methods and m != MULTI_FACTOR]
    two = any(MULTI_FACTOR in p.amr for p in proofs) or len(methods) >= 2
    return [*methods, MULTI_FACTOR] if two else methods
