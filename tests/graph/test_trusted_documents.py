"""Trusted documents: a request names a document by its SHA-256 (the persisted documents
proposal's `documentId`, or Apollo's `extensions.persistedQuery.sha256Hash`), and with
TRUSTED_DOCUMENTS_ONLY (production's default) no other document runs."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import httpx
import pytest
from graphql import parse
from starlette.applications import Starlette

from domain import trusted_documents
from domain.settings import Settings
from graph.documents.ids import document_id
from graph.documents.manifest import TrustedDocuments
from graph.documents.reference_app import reference_app_documents
from graph.extensions.security import document_validator
from graph.schema import schema
from models.audit_event import AuditEvent
from providers.registry import Providers
from tests.support.apps import running_app
from tests.support.clients import HttpFactory
from tests.support.graphql import ORIGIN
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn

SIGN_IN_OPTIONS = reference_app_documents()["SignInOptions"]
SIGN_IN_OPTIONS_ID = document_id(SIGN_IN_OPTIONS)
FREE = "query Free { passkeySignInEnabled }"
UNKNOWN_ID = "sha256:" + "0" * 64
GRAPHIQL = (files("graph.http.graphiql") / "operations.graphql").read_text("utf-8")


async def post(http: httpx.AsyncClient, body: dict[str, Any]) -> httpx.Response:
    return await http.post("/graphql", json=body, headers={"Origin": ORIGIN})


def code_of(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


async def test_a_known_document_runs_by_its_document_id(new_http: HttpFactory) -> None:
    # when
    async with new_http() as http:
        response = await post(http, {"documentId": SIGN_IN_OPTIONS_ID})

    # then
    assert response.status_code == 200
    assert response.json() == {"data": {"passkeySignInEnabled": False}}


async def test_a_known_document_runs_by_apollos_hash_over_post_and_get(
    new_http: HttpFactory,
) -> None:
    # given
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": SIGN_IN_OPTIONS_ID[7:]}}

    # when
    async with new_http() as http:
        posted = await post(http, {"extensions": extensions})
        fetched = await http.get("/graphql", params={"extensions": json.dumps(extensions)})
        by_id = await http.get("/graphql", params={"documentId": SIGN_IN_OPTIONS_ID})

    # then
    for answer in (posted, fetched, by_id):
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"data": {"passkeySignInEnabled": False}}


async def test_a_known_id_with_its_own_text_runs_as_apollo_retries(new_http: HttpFactory) -> None:
    # when
    async with new_http() as http:
        response = await post(http, {"documentId": SIGN_IN_OPTIONS_ID, "query": SIGN_IN_OPTIONS})

    # then
    assert response.json() == {"data": {"passkeySignInEnabled": False}}


@pytest.mark.parametrize("wire", ["documentId", "apollo"])
async def test_an_unknown_id_answers_persisted_query_not_found(
    wire: str, new_http: HttpFactory
) -> None:
    # given
    body: dict[str, Any] = (
        {"documentId": UNKNOWN_ID}
        if wire == "documentId"
        else {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}}
    )

    # when
    async with new_http() as http:
        response = await post(http, body)

    # then
    assert response.status_code == 404
    assert response.json()["errors"] == [
        {
            "message": "PersistedQueryNotFound",
            "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
        }
    ]


async def test_a_known_id_with_a_different_text_is_refused_and_runs_nothing(
    new_http: HttpFactory,
) -> None:
    # given: the id of a harmless query, the text of a sign-in
    log_in = 'mutation { logIn(input: {email: "a@example.com", password: "x"}) { __typename } }'

    # when
    async with new_http() as http:
        response = await post(http, {"documentId": SIGN_IN_OPTIONS_ID, "query": log_in})

    # then
    assert response.status_code == 400
    assert code_of(response) == "DOCUMENT_ID_MISMATCH"
    assert "data" not in response.json()
    assert await AuditEvent.all().count() == 0  # the sign-in never ran


@pytest.mark.parametrize(
    "body",
    [
        {"documentId": "sha256:ABC"},
        {"documentId": "md5:" + "0" * 64},
        {"documentId": 12},
        {"extensions": {"persistedQuery": {"sha256Hash": 12}}},
        {"documentId": UNKNOWN_ID, "extensions": {"persistedQuery": {"sha256Hash": "1" * 64}}},
    ],
    ids=["upper-case", "other-hash", "not-a-string", "apollo-not-a-string", "two-ids"],
)
async def test_a_malformed_id_is_a_bad_request(body: dict, new_http: HttpFactory) -> None:
    # when
    async with new_http() as http:
        response = await post(http, body)

    # then
    assert response.status_code == 400
    assert code_of(response) == "BAD_REQUEST"


async def test_development_runs_free_documents_and_graphiqls_ready_document(
    new_http: HttpFactory,
) -> None:
    # when
    async with new_http() as http:
        free = await post(http, {"query": FREE})
        ready = await post(http, {"query": GRAPHIQL, "operationName": "Viewer"})

    # then
    assert free.json() == {"data": {"passkeySignInEnabled": False}}
    assert ready.json() == {"data": {"viewer": None}}


async def test_production_refuses_every_document_it_does_not_trust(
    settings: Settings,
    providers: Providers,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
) -> None:
    # given
    async with (
        running_app(settings, providers, messagebird, mailbox, environment="production") as app,
        app() as http,
    ):
        # when
        free = await post(http, {"query": FREE})
        unknown_with_text = await post(http, {"documentId": document_id(FREE), "query": FREE})
        trusted = await post(http, {"documentId": SIGN_IN_OPTIONS_ID})
        trusted_text = await post(http, {"query": SIGN_IN_OPTIONS})

    # then
    assert free.status_code == 400 and code_of(free) == "TRUSTED_DOCUMENT_REQUIRED"
    assert unknown_with_text.status_code == 404
    assert code_of(unknown_with_text) == "PERSISTED_QUERY_NOT_FOUND"
    assert trusted.json() == {"data": {"passkeySignInEnabled": False}}
    assert trusted_text.json() == {"data": {"passkeySignInEnabled": False}}


async def test_trusted_only_in_development_refuses_free_documents_too(
    settings: Settings,
    providers: Providers,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
) -> None:
    # given
    async with (
        running_app(settings, providers, messagebird, mailbox, trusted_documents_only=True) as app,
        app() as http,
    ):
        # when
        free = await post(http, {"query": FREE})
        ready = await post(http, {"query": GRAPHIQL, "operationName": "Viewer"})

    # then: GraphiQL's ready document is trusted; an edited one is not
    assert code_of(free) == "TRUSTED_DOCUMENT_REQUIRED"
    assert ready.json() == {"data": {"viewer": None}}


async def test_a_document_registered_while_serving_is_trusted_without_a_restart(
    settings: Settings,
    providers: Providers,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
) -> None:
    # given: production, already serving
    async with (
        running_app(settings, providers, messagebird, mailbox, environment="production") as app,
        app() as http,
    ):
        before = await post(http, {"documentId": document_id(FREE)})

        # when: an operator registers it (as `twofold documents add` does)
        await trusted_documents.register(document_id(FREE), FREE, "mobile 1.0")
        after = await post(http, {"documentId": document_id(FREE)})
        by_text = await post(http, {"query": FREE})

    # then
    assert before.status_code == 404
    assert after.json() == {"data": {"passkeySignInEnabled": False}}
    assert by_text.json() == {"data": {"passkeySignInEnabled": False}}


async def test_the_app_gets_an_id_for_each_of_its_operations(new_http: HttpFactory) -> None:
    # when
    async with new_http() as http:
        response = await http.get("/web/documents.json")

    # then: every operation of web/operations/, each id the hash of one whole document
    ids = response.json()
    assert response.status_code == 200
    assert ids == {name: document_id(text) for name, text in reference_app_documents().items()}
    assert "SignInOptions" in ids and "LogIn" in ids
    for text in reference_app_documents().values():
        definitions = parse(text).definitions
        assert sum(1 for d in definitions if d.kind == "operation_definition") == 1


async def test_a_trusted_mutation_named_over_get_is_refused_and_runs_nothing(
    new_http: HttpFactory,
) -> None:
    # given: the reference app's sign-in, a mutation
    log_in = document_id(reference_app_documents()["LogIn"])
    variables = json.dumps({"email": "a@example.com", "password": "x" * 12})

    # when
    async with new_http() as http:
        response = await http.get("/graphql", params={"documentId": log_in, "variables": variables})

    # then
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert await AuditEvent.all().count() == 0


async def test_a_removed_document_stops_being_trusted_when_the_process_reads_them_again(
    app: Starlette, settings: Settings
) -> None:
    # given: a process that trusts a registered document
    documents = TrustedDocuments(document_validator(settings))
    documents.load_built_in(schema._schema)
    await trusted_documents.register(document_id(FREE), FREE, "mobile 1.0")
    trusted = await documents.find(document_id(FREE))

    # when: the operator removes it, and the process re-reads them (every REFRESH_SECONDS)
    await trusted_documents.remove(document_id(FREE))
    await documents.load_registered()

    # then
    assert trusted is not None and trusted.text == FREE
    assert documents.by_text(FREE) is None
    assert await documents.find(document_id(FREE)) is None
    assert documents.by_text(SIGN_IN_OPTIONS) is not None  # built-in ones stay
