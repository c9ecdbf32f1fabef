"""viewer.securityEvents and companySecurityEvents: the audit trail as cursor connections,
newest first, every row exactly once, company admins only for the company's trail."""

from __future__ import annotations

from models.audit_event import AuditEvent
from models.company import Company
from models.enums import PayRole
from models.user import User
from providers.clock import ManualClock
from tests.support.clients import HttpFactory
from tests.support.flows import enroll_with_app, enroll_with_sms
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

FIELDS = """
  edges { cursor node { id at kind outcome subjectEmail bySomeoneElse ipAddress userAgent } }
  pageInfo { hasNextPage endCursor }
"""
OWN_EVENTS = f"""
query Own($first: Int, $after: String) {{ viewer {{ securityEvents(first: $first, after: $after) {{
{FIELDS} }} }} }}
"""
COMPANY_EVENTS = f"""
query Company($first: Int, $after: String, $kind: String) {{
  companySecurityEvents(first: $first, after: $after, kind: $kind) {{ {FIELDS} }} }}
"""
ADMIN = "events.admin@example.com"
PAYEE = "events.payee@example.com"
OUTSIDER = "events.outsider@example.com"


async def page_through(
    client: GraphQLClient, document: str, path: list[str], **variables
) -> list[dict]:  # type: ignore[no-untyped-def]
    nodes: list[dict] = []
    after = None
    while True:
        data = await client.execute(document, {"first": 2, "after": after, **variables})
        for key in path:
            data = data[key]
        nodes += [edge["node"] for edge in data["edges"]]
        if not data["pageInfo"]["hasNextPage"]:
            return nodes
        after = data["pageInfo"]["endCursor"]


async def test_a_user_pages_through_every_own_event_once_newest_first(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given: a payee who enrolled (password, code, enrollment, sign-in events), and another
    await make_user(PAYEE)
    other = await make_user(OUTSIDER)
    await AuditEvent.create(
        at=clock.now(), event="session", outcome="signed_in", subject_id=other.id, actor_id=other.id
    )
    await enroll_with_sms(browser, messagebird, PAYEE)
    payee = await User.get(email=PAYEE)
    expected = (
        await AuditEvent.filter(subject_id=payee.id).order_by("-id").values_list("id", flat=True)
    )
    assert len(expected) >= 4

    # when: the payee reads the trail two at a time
    nodes = await page_through(browser, OWN_EVENTS, ["viewer", "securityEvents"])

    # then: every own row exactly once, newest first, nobody else's
    assert [int(n["id"]) for n in nodes] == list(expected)
    assert {n["subjectEmail"] for n in nodes} == {PAYEE}
    assert {"signed_in", "passed", "done"} <= {n["outcome"] for n in nodes}
    assert not any(n["bySomeoneElse"] for n in nodes)
    # and no secret: every field is one of the listed, none holds a code
    code = messagebird.last_code("+12015550123")
    assert code not in str(nodes)


async def test_a_company_admin_reads_the_company_trail_and_no_other(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock, messagebird: MessageBirdStandIn
) -> None:
    # given: an admin and a payee of one company, and a user of another, all with events
    acme, other = await Company.create(name="Acme Events"), await Company.create(name="Other")
    for email, role, company in [
        (ADMIN, PayRole.PAYOR, acme),
        (PAYEE, PayRole.PAYEE, acme),
        (OUTSIDER, PayRole.PAYEE, other),
    ]:
        user = await make_user(email, role)
        user.company = company
        await user.save()
    await User.filter(email=ADMIN).update(is_company_admin=True)
    payee = GraphQLClient(new_http())
    await enroll_with_sms(payee, messagebird, PAYEE)
    outsider = GraphQLClient(new_http())
    await enroll_with_sms(outsider, messagebird, OUTSIDER)
    admin = GraphQLClient(new_http())
    await enroll_with_app(admin, ADMIN, clock)
    acme_ids = (
        await AuditEvent.filter(subject__company_id=acme.id)
        .order_by("-id")
        .values_list("id", flat=True)
    )

    # when
    everything = await page_through(admin, COMPANY_EVENTS, ["companySecurityEvents"])
    sign_ins = await page_through(admin, COMPANY_EVENTS, ["companySecurityEvents"], kind="session")
    by_payee = await payee.execute(COMPANY_EVENTS, {"first": 5})

    # then: each row of the company once, newest first; the kind filter; others get null
    assert [int(n["id"]) for n in everything] == list(acme_ids)
    assert {n["subjectEmail"] for n in everything} == {ADMIN, PAYEE}
    assert sign_ins and {n["kind"] for n in sign_ins} == {"session"}
    assert by_payee["companySecurityEvents"] is None


async def test_a_cursor_that_is_not_twofolds_gives_an_empty_page(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    await make_user(PAYEE)
    await enroll_with_sms(browser, messagebird, PAYEE)

    for cursor in ["not base64 !", "aGVsbG8=", "YXVkaXQ6eA=="]:
        data = await browser.execute(OWN_EVENTS, {"first": 5, "after": cursor})
        page = data["viewer"]["securityEvents"]
        assert page == {"edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}
