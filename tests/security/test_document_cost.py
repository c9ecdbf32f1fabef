"""Small documents built to be expensive are refused before any validation rule walks them,
and validating any document costs time bounded in proportion to its size (OWASP GraphQL cheat
sheet: query cost analysis)."""

from __future__ import annotations

import logging
import time

import pytest
from graphql import GraphQLError, parse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from domain.settings import Settings
from graph.extensions.validation import DocumentValidator, ValidationPolicy
from graph.schema import schema
from models.audit_event import AuditEvent
from models.enums import PayRole
from models.session import AuthSession
from tests.support.constants import PASSWORD
from tests.support.documents import token_count
from tests.support.flows import log_in
from tests.support.graphql import GraphQLClient
from tests.support.users import MakeUser

EMAIL = "costly@example.com"
MAX_TOKENS = Settings.graphql_max_tokens
# Generous for a loaded CI machine; exponential or quadratic work overshoots it by far.
BASE_SECONDS = 0.01
SECONDS_PER_TOKEN = 0.0001


def doubling_fragments(levels: int, leaf: str = "viewer { email }") -> str:
    """Each fragment spreads the next one twice: 2**levels selections from ~10 tokens a level."""
    lines = ["query Costly { ...F0 }"]
    lines += [f"fragment F{n} on Query {{ ...F{n + 1} ...F{n + 1} }}" for n in range(levels)]
    lines.append(f"fragment F{levels} on Query {{ {leaf} }}")
    return "\n".join(lines)


def repeated_fields(times: int) -> str:
    return "{ " + " ".join(["viewer { email }"] * times) + " }"


async def nothing_ran() -> bool:
    return await AuthSession.all().count() == 0 and await AuditEvent.all().count() == 0


@pytest.mark.parametrize(
    "document",
    [doubling_fragments(16), doubling_fragments(40), repeated_fields(300)],
    ids=["doubling-16", "doubling-40", "repeated-300"],
)
async def test_costly_documents_are_refused_as_too_complex(
    document: str, browser: GraphQLClient
) -> None:
    # when
    response = await browser.post(document)

    # then
    body = response.json()
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["QUERY_TOO_COMPLEX"]
    assert await nothing_ran()


async def test_a_costly_mutation_runs_nothing(browser: GraphQLClient, make_user: MakeUser) -> None:
    # given
    await make_user(EMAIL, PayRole.NONE)
    leaf = f'logIn(input: {{email: "{EMAIL}", password: "{PASSWORD}"}}) {{ __typename }}'
    document = doubling_fragments(12, leaf).replace("query Costly", "mutation Costly")
    document = document.replace("on Query", "on Mutation")

    # when
    body = (await browser.post(document)).json()

    # then
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert await nothing_ran()


@pytest.mark.parametrize(
    ("document", "code"),
    [
        ("query Q { ...Missing }", "GRAPHQL_VALIDATION_FAILED"),
        ("query Q { viewer { ...Missing } }", "GRAPHQL_VALIDATION_FAILED"),
        ("query Q { ...A } fragment A on Query { ...B } fragment B on Query { ...A }", None),
        ("query Q { ...A } fragment A on Query { viewer { email } ...A }", None),
    ],
    ids=["unknown-at-root", "unknown-nested", "cycle-of-two", "self-spread"],
)
async def test_unknown_and_cyclic_fragments_are_plain_validation_errors(
    document: str,
    code: str | None,
    browser: GraphQLClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given
    caplog.set_level(logging.DEBUG)

    # when
    body = (await browser.post(document)).json()

    # then: a validation message, never a Python exception's text, and nothing logged as a bug
    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"].startswith(("Unknown fragment", "Cannot spread fragment"))
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_legitimate_documents_with_fragments_still_work(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given: a signed-in user, and a client that builds its query from reused fragments
    await make_user(EMAIL, PayRole.NONE)
    assert (await log_in(browser, EMAIL))["__typename"] == "LoggedIn"
    document = """
    query Me { viewer { ...Who mfa { ...Factors } } mfaEnrollment { ...Where } }
    fragment Who on User { id email payRole }
    fragment Factors on MfaStatus { enrolled methods preferredMethod }
    fragment Where on MfaEnrollment { step method allowedMethods recommendedMethod }
    """

    # when
    data = await browser.execute(document)

    # then
    assert data["viewer"]["email"] == EMAIL
    assert data["mfaEnrollment"]["step"] == "COMPLETE"


VALIDATOR = DocumentValidator(
    ValidationPolicy(
        max_selections=Settings.graphql_max_selections,
        max_depth=Settings.graphql_max_depth,
        max_aliases=Settings.graphql_max_aliases,
        introspection=False,
        suggestions=False,
    )
)
FIELDS = [
    "__typename",
    "viewer { email }",
    "viewer { mfa { enrolled methods } }",
    "mfaEnrollment { step }",
    "a: viewer { id }",
    "... on Query { viewer { payRole } }",
]


@st.composite
def fragment_documents(draw: st.DrawFn) -> str:
    """An operation and a chain of named fragments, each spreading later ones (or, sometimes,
    an earlier one: a cycle), with fields, inline fragments and spreads in any mix."""
    count = draw(st.integers(min_value=1, max_value=30))
    fragments = []
    for n in range(count):
        items = draw(st.lists(st.sampled_from(FIELDS), max_size=3))
        later = list(range(n + 1, count))
        if later:
            target = draw(st.sampled_from(later))
            items += [f"...F{target}"] * draw(st.integers(min_value=0, max_value=4))
        if draw(st.integers(min_value=0, max_value=20)) == 0:
            items.append(f"...F{draw(st.integers(min_value=0, max_value=n))}")
        if draw(st.booleans()):
            items = [f"... on Query {{ {' '.join(items) or '__typename'} }}"]
        fragments.append(f"fragment F{n} on Query {{ {' '.join(items) or '__typename'} }}")
    roots = " ".join(["...F0"] * draw(st.integers(min_value=1, max_value=3)))
    return f"query Fuzz {{ {roots} }}\n" + "\n".join(fragments)


def validation_seconds(document: str) -> tuple[float, list[GraphQLError]]:
    """CPU time of this thread to parse and validate, as the server does per new document."""
    best, errors = float("inf"), []
    for _ in range(3):
        started = time.thread_time()
        try:
            errors = VALIDATOR.errors(schema._schema, None, parse(document, max_tokens=MAX_TOKENS))
        except GraphQLError as error:
            errors = [error]
        best = min(best, time.thread_time() - started)
    return best, errors


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(fragment_documents())
@example(doubling_fragments(14))
@example(doubling_fragments(20))
@example(repeated_fields(200))
@example(doubling_fragments(14).replace("viewer { email }", "__typename __typename"))
def test_validation_time_is_bounded_by_document_size(document: str) -> None:
    # when
    seconds, _ = validation_seconds(document)

    # then
    tokens = token_count(document)
    assert seconds <= BASE_SECONDS + SECONDS_PER_TOKEN * min(tokens, MAX_TOKENS), (tokens, seconds)
