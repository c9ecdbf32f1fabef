"""The development GraphiQL page over HTTP: its files come from Twofold itself (or, opted in, a
CDN) with their integrity hashes, and its ready document is valid and runs within the limits."""

from __future__ import annotations

import base64
import hashlib
import json
from html.parser import HTMLParser
from importlib.resources import files
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from graphql import OperationDefinitionNode, parse, validate

from domain.settings import Settings
from graph.schema import schema
from providers.registry import Providers
from tests.support.apps import running_app
from tests.support.clients import HttpFactory
from tests.support.graphql import GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn

HTML = {"Accept": "text/html"}
FLOW_OPERATIONS = {
    "LogIn",
    "StartMfaSetup",
    "ChooseMfaMethod",
    "SendSmsCode",
    "VerifySmsCode",
    "VerifyAuthenticatorCode",
    "ConfirmRecoveryCodeSaved",
    "SendLoginCode",
    "VerifyLoginCode",
    "Viewer",
    "MfaEnrollment",
    "LogOut",
}
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css"}


class PageParts(HTMLParser):
    """The files a page loads (URL and integrity), and its JSON configuration."""

    def __init__(self) -> None:
        super().__init__()
        self.files: list[tuple[str, str | None]] = []
        self.config_text = ""
        self._in_config = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and found.get("src"):
            self.files.append((str(found["src"]), found.get("integrity")))
        elif tag == "link" and found.get("rel") == "stylesheet":
            self.files.append((str(found["href"]), found.get("integrity")))
        self._in_config = tag == "script" and found.get("type") == "application/json"

    def handle_data(self, data: str) -> None:
        if self._in_config:
            self.config_text += data

    def handle_endtag(self, tag: str) -> None:
        self._in_config = False


def page_parts(html: str) -> PageParts:
    parts = PageParts()
    parts.feed(html)
    return parts


def sri(content: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode()


async def graphiql_page(http: httpx.AsyncClient) -> PageParts:
    page = await http.get("/graphql", headers=HTML)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    return page_parts(page.text)


async def test_graphiql_loads_every_file_from_twofold_itself_with_its_integrity_hash(
    new_http: HttpFactory,
) -> None:
    # given
    async with new_http() as http:
        page = await graphiql_page(http)
        page_url = str(http.base_url.join("/graphql"))

        # when
        loaded = []
        for url, integrity in page.files:
            absolute = urljoin(page_url, url)
            loaded.append((absolute, integrity, await http.get(absolute)))

    # then: react, react-dom, graphiql (script and style), the explorer (script and style)
    assert len(loaded) == 6
    for absolute, integrity, response in loaded:
        assert urlsplit(absolute).netloc == urlsplit(page_url).netloc, absolute
        assert response.status_code == 200, absolute
        suffix = absolute[absolute.rindex(".") :]
        assert response.headers["content-type"].startswith(MEDIA_TYPES[suffix])
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "immutable" in response.headers["cache-control"]
        assert integrity == sri(response.content)


async def test_graphiql_loads_its_files_from_a_cdn_only_when_one_is_set(
    settings: Settings, providers: Providers, messagebird: MessageBirdStandIn, mailbox: Mailbox
) -> None:
    # given
    cdn = "https://cdn.example.test/npm/"
    async with (
        running_app(settings, providers, messagebird, mailbox, graphiql_assets_url=cdn) as new,
        new() as http,
    ):
        # when
        page = await graphiql_page(http)

    # then: unpkg's layout under that URL, with the very same integrity hashes
    assert {url.rsplit("@", 1)[0] for url, _ in page.files} == {
        "https://cdn.example.test/npm/react",
        "https://cdn.example.test/npm/react-dom",
        "https://cdn.example.test/npm/graphiql",
        "https://cdn.example.test/npm/@graphiql/plugin-explorer",
    }
    manifest = json.loads((files("graph.http.graphiql") / "manifest.json").read_text())
    assert sorted(integrity or "" for _, integrity in page.files) == sorted(
        f"sha384-{entry['sha384']}" for entry in manifest["files"]
    )


@pytest.mark.parametrize(
    "path",
    [
        "/graphiql/assets/manifest.json",
        "/graphiql/assets/..%2Fmanifest.json",
        "/graphiql/assets/..%2F..%2Fapp.py",
        "/graphiql/assets/react.js",
    ],
)
async def test_only_the_files_the_manifest_lists_are_served(
    path: str, new_http: HttpFactory
) -> None:
    # when
    async with new_http() as http:
        response = await http.get(path)

    # then
    assert response.status_code == 404


async def test_production_serves_no_graphiql_files(
    settings: Settings, providers: Providers, messagebird: MessageBirdStandIn, mailbox: Mailbox
) -> None:
    # given: the name of a file that development serves
    async with running_app(settings, providers, messagebird, mailbox) as new, new() as http:
        name = (await graphiql_page(http)).files[0][0].rsplit("/", 1)[1]
        assert (await http.get(f"/graphiql/assets/{name}")).status_code == 200

    # when
    async with (
        running_app(settings, providers, messagebird, mailbox, environment="production") as new,
        new() as http,
    ):
        response = await http.get(f"/graphiql/assets/{name}")

    # then
    assert response.status_code == 404


def test_the_ready_document_holds_the_flows_operations_and_is_valid() -> None:
    # given
    document = parse((files("graph.http.graphiql") / "operations.graphql").read_text())

    # when
    errors = validate(schema._schema, document)

    # then
    assert errors == []
    names = {
        d.name.value
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode) and d.name
    }
    assert names == FLOW_OPERATIONS


async def test_graphiql_opens_on_the_document_and_each_operation_passes_the_limits(
    new_http: HttpFactory,
) -> None:
    # given: the document and variables the page starts with, sent whole as GraphiQL sends them
    async with new_http() as http:
        config = json.loads((await graphiql_page(http)).config_text)
        document, variables = config["document"], json.loads(config["variables"])
        assert document == (files("graph.http.graphiql") / "operations.graphql").read_text()

        # when: each operation runs without a session
        answers = {}
        for name in sorted(FLOW_OPERATIONS):
            response = await GraphQLClient(http).post(document, variables, operation_name=name)
            assert response.status_code == 200, response.text
            answers[name] = response.json()

    # then: nothing refused the document or its variables; at most the session was missing
    for name, body in answers.items():
        codes = {e.get("extensions", {}).get("code") for e in body.get("errors", [])}
        assert codes <= {"UNAUTHENTICATED"}, (name, body)
    assert answers["LogIn"]["data"]["logIn"]["__typename"] == "InvalidCredentialsError"
    assert answers["Viewer"]["data"] == {"viewer": None}
