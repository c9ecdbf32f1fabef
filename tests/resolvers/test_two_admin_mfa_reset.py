"""Two admins for an MFA reset: where the company asks for it, resetUserMfa only requests; a
different admin of the same company approves after proving their own factor, once."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from domain.settings import Settings
from models.admin_request import AdminRequest
from models.audit_event import AuditEvent
from models.company import Company
from models.enums import PayRole
from models.hold import Hold
from models.user import User
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.flows import enroll_with_app, enroll_with_sms
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.served import run_twofold
from tests.support.users import MakeUser

PAYEE, FIRST, SECOND, THIRD = (
    "payee@example.com",
    "first-admin@example.com",
    "second-admin@example.com",
    "third-admin@example.com",
)
STRANGER = "globex-admin@example.com"
VERIFIED = {"input": {"email": PAYEE, "verifiedUserRequest": True}}


class Acme:
    """A company requiring two admins, its admins signed in (app just proven), and a payee."""

    def __init__(self, admins: dict[str, GraphQLClient], payee: GraphQLClient) -> None:
        self.admins, self.payee = admins, payee

    async def request(self) -> str:
        asked = (await self.admins[FIRST].execute(doc.RESET_USER_MFA_REQUESTED, VERIFIED))[
            "resetUserMfa"
        ]
        assert asked["__typename"] == "MfaResetRequested", asked
        return str(asked["request"]["id"])


async def approve(client: GraphQLClient, request_id: str) -> dict[str, Any]:
    variables = {"input": {"requestId": request_id}}
    return dict((await client.execute(doc.APPROVE_MFA_RESET, variables))["approveMfaReset"])


async def admin_of(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock, email: str, company: Company
) -> GraphQLClient:
    user = await make_user(email, PayRole.PAYOR)
    await User.filter(id=user.id).update(company_id=company.id, is_company_admin=True)
    client = GraphQLClient(new_http())
    await enroll_with_app(client, email, clock)
    return client


@pytest.fixture
async def acme(
    app: Starlette,
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> Acme:
    company = await Company.create(name="Acme", require_two_admins_for_mfa_reset=True)
    payee = await make_user(PAYEE, PayRole.PAYEE)
    await User.filter(id=payee.id).update(company_id=company.id)
    device = GraphQLClient(new_http())
    await enroll_with_sms(device, messagebird, PAYEE)
    admins = {
        email: await admin_of(new_http, make_user, clock, email, company)
        for email in (FIRST, SECOND, THIRD)
    }
    globex = await Company.create(name="Globex", require_two_admins_for_mfa_reset=True)
    admins[STRANGER] = await admin_of(new_http, make_user, clock, STRANGER, globex)
    return Acme(admins, device)


async def test_a_reset_waits_for_a_second_admin_then_happens_with_its_hold(acme: Acme) -> None:
    # given
    request_id = await acme.request()
    untouched = await User.get(email=PAYEE)
    listed = (await acme.admins[SECOND].execute(doc.COMPANY_MFA_RESET_REQUESTS))[
        "companyMfaResetRequests"
    ]

    # when
    approved = await approve(acme.admins[SECOND], request_id)

    # then: nothing changed until approved; then reset, held 72 h, and off the list
    assert untouched.mfa_methods != []
    assert [(r["id"], r["kind"], r["userEmail"]) for r in listed] == [
        (request_id, "MFA_RESET", PAYEE)
    ]
    assert approved == {"__typename": "MfaResetApproved", "request": {"id": request_id}}
    assert (await User.get(email=PAYEE)).mfa_methods == []
    assert (await acme.payee.execute(doc.VIEWER))["viewer"] is None
    hold = await Hold.get(user_id=untouched.id)
    assert hold.until - hold.started_at == timedelta(hours=72)
    after = await acme.admins[SECOND].execute(doc.COMPANY_MFA_RESET_REQUESTS)
    assert after["companyMfaResetRequests"] == []


async def test_the_requester_cannot_approve(acme: Acme) -> None:
    # given
    request_id = await acme.request()

    # when
    answer = await approve(acme.admins[FIRST], request_id)

    # then
    assert answer["code"] == "REQUESTER_CANNOT_APPROVE"
    assert (await User.get(email=PAYEE)).mfa_methods != []


async def test_an_admin_of_another_company_cannot_approve_nor_list(acme: Acme) -> None:
    # given
    request_id = await acme.request()

    # when
    answer = await approve(acme.admins[STRANGER], request_id)
    listed = await acme.admins[STRANGER].execute(doc.COMPANY_MFA_RESET_REQUESTS)

    # then
    assert answer["code"] == "ADMIN_REQUEST_NOT_FOUND"
    assert listed["companyMfaResetRequests"] == []
    assert (await User.get(email=PAYEE)).mfa_methods != []


async def test_the_target_user_cannot_approve(acme: Acme) -> None:
    # given: the payee is an admin of the company too
    await User.filter(email=PAYEE).update(is_company_admin=True)
    request_id = await acme.request()

    # when
    answer = await approve(acme.payee, request_id)

    # then
    assert answer["code"] == "TARGET_CANNOT_APPROVE"
    assert (await User.get(email=PAYEE)).mfa_methods != []


async def test_a_user_who_is_no_admin_cannot_approve(
    acme: Acme, new_http: HttpFactory, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    request_id = await acme.request()
    await User.filter(email=SECOND).update(is_company_admin=False)

    # when
    answer = await approve(acme.admins[SECOND], request_id)

    # then
    assert answer["code"] == "NOT_COMPANY_ADMIN"


async def test_an_approval_needs_the_admins_own_recent_second_factor(
    acme: Acme, clock: ManualClock
) -> None:
    # given
    request_id = await acme.request()
    clock.advance(timedelta(minutes=16))

    # when
    answer = await approve(acme.admins[SECOND], request_id)

    # then
    assert answer["__typename"] == "ReauthenticationRequiredError"
    assert (await User.get(email=PAYEE)).mfa_methods != []


async def test_an_expired_request_cannot_be_approved(acme: Acme, clock: ManualClock) -> None:
    # given: the request is older than 24 hours
    request_id = await acme.request()
    await AdminRequest.filter(id=request_id).update(expires_at=clock.now())

    # when
    answer = await approve(acme.admins[SECOND], request_id)

    # then
    assert answer["code"] == "ADMIN_REQUEST_EXPIRED"


async def test_two_admins_approving_at_once_reset_once(acme: Acme) -> None:
    # given
    request_id = await acme.request()

    # when
    answers = await asyncio.gather(
        approve(acme.admins[SECOND], request_id), approve(acme.admins[THIRD], request_id)
    )

    # then
    kinds = sorted(a["__typename"] for a in answers)
    assert kinds == ["AdminRequestAlreadyApprovedError", "MfaResetApproved"]
    payee = await User.get(email=PAYEE)
    assert await AuditEvent.filter(event="mfa_reset", outcome="approved").count() == 1
    assert (
        await AuditEvent.filter(event="mfa_reset", outcome="done", subject_id=payee.id).count() == 1
    )
    assert await Hold.filter(user_id=payee.id).count() == 1


async def test_a_company_with_one_admin_is_told_so(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given
    company = await Company.create(name="Solo", require_two_admins_for_mfa_reset=True)
    payee = await make_user(PAYEE, PayRole.PAYEE)
    await User.filter(id=payee.id).update(company_id=company.id)
    admin = await admin_of(new_http, make_user, clock, FIRST, company)

    # when
    answer = (await admin.execute(doc.RESET_USER_MFA_REQUESTED, VERIFIED))["resetUserMfa"]

    # then
    assert answer["code"] == "SECOND_ADMIN_REQUIRED"
    assert not await AdminRequest.exists()


async def test_the_operator_lists_and_approves_from_the_command_line(
    acme: Acme, settings: Settings, tmp_path: Path
) -> None:
    # given
    request_id = await acme.request()
    env = {
        "DATABASE_URL": settings.database_url,
        "TWOFOLD_SECRET_KEY": settings.secret_key,
        "PATH": "/usr/bin:/bin",
    }

    # when
    listed = run_twofold(env, tmp_path, "mfa-reset", "list")
    approved = run_twofold(env, tmp_path, "mfa-reset", "approve", request_id)
    again = run_twofold(env, tmp_path, "mfa-reset", "approve", request_id)

    # then
    assert listed.returncode == 0, listed.stderr
    assert request_id in listed.stdout and PAYEE in listed.stdout
    assert approved.returncode == 0, approved.stderr
    assert (await User.get(email=PAYEE)).mfa_methods == []
    assert again.returncode == 1
    assert await AuditEvent.filter(event="mfa_reset", outcome="approved").exists()
    assert (await AdminRequest.get(id=request_id)).approver_id is None  # the operator


async def test_two_admins_end_a_hold_early(acme: Acme, messagebird: MessageBirdStandIn) -> None:
    # given: the reset's hold runs
    await approve(acme.admins[SECOND], await acme.request())
    asked = (
        await acme.admins[FIRST].execute(doc.REQUEST_HOLD_RELEASE, {"input": {"email": PAYEE}})
    )["requestHoldRelease"]
    assert asked["__typename"] == "HoldReleaseRequested", asked
    variables = {"input": {"requestId": asked["request"]["id"]}}

    # when
    alone = await acme.admins[FIRST].execute(doc.APPROVE_HOLD_RELEASE, variables)
    released = await acme.admins[THIRD].execute(doc.APPROVE_HOLD_RELEASE, variables)

    # then
    assert alone["approveHoldRelease"]["code"] == "REQUESTER_CANNOT_APPROVE"
    assert released["approveHoldRelease"]["__typename"] == "HoldReleased"
    payee = await User.get(email=PAYEE)
    hold = await Hold.get(user_id=payee.id)
    assert hold.released_at is not None
    assert await AuditEvent.filter(event="hold", outcome="released").count() == 1
