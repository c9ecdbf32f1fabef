"""Repudiation and forensics: every authentication event leaves an audit row with actor,
subject, time, address and user agent, and no row holds a secret (63B 4.6; ASVS 16.3)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from graph.context import SESSION_COOKIE
from models.audit_event import AuditEvent
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.codes import other_code
from tests.support.constants import PASSWORD, PHONE
from tests.support.flows import enroll_with_sms, reach_code_verification
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser, cheap_user

EMAIL = "audited@example.com"
PEER = "203.0.113.7"
USER_AGENT = "TwofoldAuditProbe/1.0 (security suite)"
WRONG_PASSWORD = "definitely-wrong-9931"


def probe(http: httpx.AsyncClient) -> GraphQLClient:
    """A client with its own user agent, forging the address it comes from."""
    http.headers["User-Agent"] = USER_AGENT
    http.headers["X-Forwarded-For"] = "198.51.100.99"
    return GraphQLClient(http)


async def attempt(client: GraphQLClient, email: str, password: str) -> str:
    data = await client.execute(doc.LOG_IN, {"input": {"email": email, "password": password}})
    return str(data["logIn"]["__typename"])


async def probe_events() -> list[dict[str, Any]]:
    return list(await AuditEvent.filter(user_agent=USER_AGENT).order_by("id").values())


async def test_sign_in_and_sign_out_events_are_audited_with_address_and_user_agent(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given: an enrolled payee
    user = await make_user(EMAIL)
    async with new_http() as http:
        recovery_code = await enroll_with_sms(GraphQLClient(http), messagebird, EMAIL)
    secrets = {PASSWORD, WRONG_PASSWORD, recovery_code, recovery_code.replace("-", "")}

    # when: failures and a whole sign-in, then sign-out
    async with new_http() as http:
        client = probe(http)
        assert await attempt(client, EMAIL, WRONG_PASSWORD) == "InvalidCredentialsError"
        assert await attempt(client, "stranger@example.com", WRONG_PASSWORD) == (
            "InvalidCredentialsError"
        )
        assert await attempt(client, EMAIL, PASSWORD) == "MfaChallengeRequired"
        secrets.add(http.cookies[SESSION_COOKIE])
        await client.execute(doc.SEND_LOGIN_CODE)
        code = messagebird.last_code(PHONE)
        failed = await client.execute(doc.VERIFY_LOGIN_CODE, {"input": {"code": other_code(code)}})
        assert failed["verifyLoginCode"]["__typename"] == "InvalidCodeError"
        passed = await client.execute(doc.VERIFY_LOGIN_CODE, {"input": {"code": code}})
        assert passed["verifyLoginCode"]["__typename"] == "LoggedIn"
        secrets.add(http.cookies[SESSION_COOKIE])
        await client.execute(doc.LOG_OUT)

    # then
    events = await probe_events()
    assert [(e["event"], e["outcome"], e["subject_id"]) for e in events] == [
        ("password", "failed", user.id),
        ("password", "failed", None),
        ("password", "passed", user.id),
        ("second_factor.login", "failed", user.id),
        ("second_factor.login", "passed", user.id),
        ("session", "signed_in", user.id),
        ("session", "signed_out", user.id),
    ]
    assert [e["actor_id"] for e in events] == [e["subject_id"] for e in events]
    assert {e["ip_address"] for e in events} == {PEER}
    assert all(abs(e["at"] - clock.now()) < timedelta(seconds=1) for e in events)
    secrets |= {code, other_code(code)}
    everything = [str(v) for row in await AuditEvent.all().values() for v in row.values()]
    assert [s for s in secrets for v in everything if s in v] == []


async def test_brakes_and_ended_sign_ins_are_audited(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given: one account whose password is guessed, another whose texted codes are
    await cheap_user("braked@example.com")
    await make_user(EMAIL)

    # when: six wrong passwords in a row, and ten wrong codes across a resend
    async with new_http() as http:
        client = probe(http)
        answers = [await attempt(client, "braked@example.com", WRONG_PASSWORD) for _ in range(6)]
        await reach_code_verification(client, EMAIL)
        for round_ in range(2):
            code = messagebird.last_code(PHONE)
            for n in range(1, 6):
                await client.post(doc.VERIFY_SMS_CODE, {"input": {"code": other_code(code, n)}})
            if round_ == 0:
                clock.advance(timedelta(seconds=30))
                await client.execute(doc.RESEND_SMS_CODE)

    # then
    assert answers[-1] == "RateLimitedError"
    outcomes = [(e["event"], e["outcome"]) for e in await probe_events()]
    assert outcomes.count(("password", "failed")) == 5
    assert outcomes.count(("password", "braked")) == 1
    assert outcomes.count(("second_factor.enrollment", "failed")) == 10
    assert outcomes.count(("session", "ended_after_failures")) == 1
