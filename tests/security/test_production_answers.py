"""Production answers reveal nothing of the schema beyond what a client asked for correctly:
no "Did you mean ...?", no Python exception text, and the client's own mistakes are not masked
as bugs (OWASP GraphQL cheat sheet: introspection and suggestions)."""

from __future__ import annotations

import logging

import pytest

from domain.settings import Settings
from providers.registry import Providers
from tests.support.apps import running_app
from tests.support.graphql import GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn

CHOOSE = "mutation Choose($m: MfaMethod!) { chooseMfaMethod(input: {method: $m}) { __typename } }"
MISTAKES = {
    "misspelt-field": ("{ viewr { email } }", None),
    "misspelt-nested-field": ("{ viewer { emial } }", None),
    "misspelt-argument": ("mutation { logIn(inptu: {}) { __typename } }", None),
    "misspelt-enum-literal": (
        "mutation { chooseMfaMethod(input: {method: SMSS}) { __typename } }",
        None,
    ),
    "misspelt-enum-variable": (CHOOSE, {"m": "SMSS"}),
    "misspelt-input-field": ('mutation { logIn(input: {emial: "a"}) { __typename } }', None),
    "misspelt-type-condition": ("{ ... on Qurey { viewer { email } } }", None),
    "unknown-fragment": ("{ ...Nope }", None),
}


@pytest.mark.parametrize(("document", "variables"), MISTAKES.values(), ids=MISTAKES.keys())
async def test_production_names_no_suggestions_and_masks_no_client_mistake(
    document: str,
    variables: dict | None,
    settings: Settings,
    providers: Providers,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given
    caplog.set_level(logging.DEBUG)
    async with (
        running_app(
            settings,
            providers,
            messagebird,
            mailbox,
            environment="production",
            trusted_documents_only=False,  # free documents: what production does with them
        ) as app,
        app() as http,
    ):
        # when
        response = await GraphQLClient(http).post(document, variables)

    # then
    errors = response.json()["errors"]
    messages = " ".join(e["message"] for e in errors)
    assert "Did you mean" not in messages
    assert "Unexpected error" not in messages  # the client's mistake, told as such
    assert "KeyError" not in messages and "Traceback" not in messages
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_development_still_suggests(browser: GraphQLClient) -> None:
    # when
    errors = (await browser.post("{ viewr { email } }")).json()["errors"]

    # then: the helpful answer stays where the schema is no secret
    assert "Did you mean 'viewer'?" in errors[0]["message"]
