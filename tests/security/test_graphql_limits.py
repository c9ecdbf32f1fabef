"""Abusing GraphQL itself: alias amplification, deep and long documents are refused before
anything runs, and production hides the schema, the IDE and the insides of bugs (OWASP
GraphQL cheat sheet; ASVS 4.3)."""

from __future__ import annotations

import logging

import httpx
import pytest

from domain.settings import Settings
from models.audit_event import AuditEvent
from models.enums import PayRole
from models.session import AuthSession
from models.user import User
from providers.clock import ManualClock
from providers.registry import Providers
from tests.support import documents as doc
from tests.support.apps import running_app
from tests.support.constants import PASSWORD
from tests.support.documents import token_count
from tests.support.flows import app_code, enroll_with_app
from tests.support.graphql import GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.records import nothing_ran
from tests.support.users import MakeUser, cheap_user

EMAIL = "limited@example.com"
MASKED = "Unexpected error."

INTROSPECTION = ["{ __schema { queryType { name } } }", '{ __type(name: "User") { name } }']


def log_in_field(password: str, alias: str = "") -> str:
    """A logIn selection with its arguments written into the document."""
    prefix = f"{alias}: " if alias else ""
    return (
        f'{prefix}logIn(input: {{email: "{EMAIL}", password: "{password}"}}) '
        "{ __typename ... on UserError { code } }"
    )


def padded_log_in(tokens: int) -> str:
    """A valid document of exactly `tokens` tokens whose `LogIn` operation signs in.

    The padding is further small operations, as in a client's file of operations: padding
    one selection set with the same field hundreds of times is refused as too complex.
    """
    head = "mutation LogIn { " + log_in_field(PASSWORD)
    spare = tokens - token_count(head + " }")
    operations, singles = divmod(spare, 5)  # `query Pn { __typename }` is 5 tokens
    padding = "".join(f" query P{n} {{ __typename }}" for n in range(operations))
    document = head + " __typename" * singles + " }" + padding
    assert token_count(document) == tokens
    return document


def nested(depth: int) -> str:
    """`{ viewer { mfa { x { x ... { y } } } } }` with `depth` levels of selections."""
    fields = ["viewer", "mfa", *["x"] * (depth - 2), "y"]
    return "{ " + " { ".join(fields) + " }" * depth + " }"


async def post(
    http: httpx.AsyncClient,
    query: str,
    variables: dict | None = None,
    operation_name: str | None = None,
) -> dict:
    response = await GraphQLClient(http).post(query, variables, operation_name)
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.mark.parametrize(("aliases", "allowed"), [(10, True), (11, False)])
async def test_more_than_ten_aliases_are_refused(
    aliases: int, allowed: bool, browser: GraphQLClient
) -> None:
    # given
    document = "{ " + " ".join(f"a{n}: viewer {{ email }}" for n in range(aliases)) + " }"

    # when
    body = await post(browser.http, document)

    # then
    assert ("errors" not in body) is allowed
    assert (body["data"] is not None and len(body["data"]) == aliases) is allowed


async def test_eleven_aliased_log_ins_run_nothing(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given: eleven right passwords, each of which would start a session
    await make_user(EMAIL, PayRole.NONE)
    document = "mutation { " + " ".join(log_in_field(PASSWORD, f"a{n}") for n in range(11)) + " }"

    # when
    body = await post(browser.http, document)

    # then
    assert body["data"] is None
    assert len(body["errors"]) == 1
    assert await nothing_ran()


async def test_ten_aliased_log_ins_all_run(browser: GraphQLClient) -> None:
    # given: the control: ten wrong passwords in one document are each judged or braked
    await cheap_user(EMAIL)
    document = (
        "mutation { " + " ".join(log_in_field(f"wrong-{n}-pw", f"a{n}") for n in range(10)) + " }"
    )

    # when
    body = await post(browser.http, document)

    # then
    answers = [body["data"][f"a{n}"]["__typename"] for n in range(10)]
    assert answers == ["InvalidCredentialsError"] * 5 + ["RateLimitedError"] * 5
    assert await AuditEvent.filter(event="password").count() == 10


async def test_depth_beyond_ten_is_refused(browser: GraphQLClient) -> None:
    # given: no field of the schema nests ten deep, so both documents also name an unknown
    # field; the depth rule is the one extra error of the deeper document
    at_limit, beyond = nested(10), nested(11)

    # when
    at_limit_body = await post(browser.http, at_limit)
    beyond_body = await post(browser.http, beyond)

    # then
    assert at_limit_body["data"] is None
    assert beyond_body["data"] is None
    assert len(at_limit_body["errors"]) == 1
    assert len(beyond_body["errors"]) == 2


@pytest.mark.parametrize(("tokens", "runs"), [(2000, True), (2001, False)])
async def test_documents_over_two_thousand_tokens_are_refused(
    tokens: int, runs: bool, browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL, PayRole.NONE)
    document = padded_log_in(tokens)

    # when
    body = await post(browser.http, document, operation_name="LogIn")

    # then
    assert ("errors" not in body) is runs
    assert await AuthSession.all().count() == (1 if runs else 0)
    if not runs:
        assert await nothing_ran()


@pytest.mark.parametrize("environment", ["development", "production"])
async def test_introspection_is_off_in_production(
    environment: str,
    settings: Settings,
    providers: Providers,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
) -> None:
    # given
    async with (
        running_app(
            settings,
            providers,
            messagebird,
            mailbox,
            environment=environment,
            trusted_documents_only=False,  # free documents: what production does with them
        ) as new_http,
        new_http() as http,
    ):
        # when
        answers = [await post(http, query) for query in INTROSPECTION]

    # then
    refused = environment == "production"
    assert [("errors" in a) for a in answers] == [refused] * len(INTROSPECTION)
    assert [a["data"] is None for a in answers] == [refused] * len(INTROSPECTION)


@pytest.mark.parametrize("environment", ["development", "production"])
async def test_graphiql_is_off_in_production(
    environment: str,
    settings: Settings,
    providers: Providers,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
) -> None:
    # given
    async with (
        running_app(
            settings,
            providers,
            messagebird,
            mailbox,
            environment=environment,
            trusted_documents_only=False,  # free documents: what production does with them
        ) as new_http,
        new_http() as http,
    ):
        # when
        page = await http.get("/graphql", headers={"Accept": "text/html"})

    # then
    if environment == "production":
        assert page.status_code == 400  # a GET without a query: nothing to run, no page
        assert not page.headers.get("content-type", "").startswith("text/html")
    else:
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")


async def test_a_bug_in_production_is_masked_for_clients_and_logged_for_operators(
    settings: Settings,
    providers: Providers,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    make_user: MakeUser,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given: a user enrolled with the app whose sealed secret was damaged in the database,
    # so unsealing it fails inside the resolver
    async with running_app(
        settings,
        providers,
        messagebird,
        mailbox,
        environment="production",
        trusted_documents_only=False,  # free documents: what production does with them
    ) as new_http:
        await make_user(EMAIL)
        async with new_http() as http:
            secret, _ = await enroll_with_app(GraphQLClient(http), EMAIL, clock)
        await User.filter(email=EMAIL).update(totp_secret_sealed="gAAAAABdamaged-sealed-secret")
        async with new_http() as http:
            native = {"input": {"email": EMAIL, "password": PASSWORD, "client": "NATIVE"}}
            pending = (await post(http, doc.LOG_IN_NATIVE, native))["data"]["logIn"]["pendingToken"]
            client = GraphQLClient(http, bearer=pending)
            code = {"input": {"code": app_code(secret, clock.now()), "method": "AUTHENTICATOR_APP"}}

            # when
            with caplog.at_level(logging.ERROR):
                response = await client.post(doc.VERIFY_LOGIN_CODE, code)
            unauthenticated = await GraphQLClient(http).post(doc.LOG_OUT_EVERYWHERE)

    # then: the client learns only that something went wrong, and the id to quote
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert [e["message"] for e in body["errors"]] == [MASKED]
    request_id = response.headers["x-request-id"]
    assert body["errors"][0]["extensions"] == {
        "code": "INTERNAL_SERVER_ERROR",
        "requestId": request_id,
    }
    assert "InvalidToken" not in response.text
    assert "Traceback" not in response.text
    # operators see the real exception in the log, on a line with the same id
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(
        "InvalidToken" in (r.exc_text or "") + r.getMessage()
        and getattr(r, "request_id", None) == request_id
        for r in logged
    )
    # and errors meant for clients pass unmasked
    assert unauthenticated.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
