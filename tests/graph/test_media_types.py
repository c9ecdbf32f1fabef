"""Which media type answers which `Accept` (GraphQL over HTTP, with the legacy default)."""

from __future__ import annotations

import pytest

from graph.http.media_types import GRAPHQL_RESPONSE_JSON, JSON, negotiate

CASES: dict[str, tuple[str | None, str | None]] = {
    "absent": (None, JSON),
    "blank": ("", JSON),
    "anything": ("*/*", JSON),
    "json": ("application/json", JSON),
    "graphql-response": (GRAPHQL_RESPONSE_JSON, GRAPHQL_RESPONSE_JSON),
    "urql": (
        "application/graphql-response+json, application/graphql+json, application/json, "
        "text/event-stream, multipart/mixed",
        GRAPHQL_RESPONSE_JSON,
    ),
    "apollo": ("application/graphql-response+json,application/json;q=0.9", GRAPHQL_RESPONSE_JSON),
    "json-preferred-by-q": (
        "application/graphql-response+json;q=0.5, application/json",
        JSON,
    ),
    "json-listed-first": ("application/json, application/graphql-response+json", JSON),
    "browser-navigation": ("text/html,application/xhtml+xml,*/*;q=0.8", JSON),
    "refused-type": (
        "application/json;q=0, application/graphql-response+json",
        GRAPHQL_RESPONSE_JSON,
    ),
    "html-only": ("text/html", None),
    "json-refused": ("application/json;q=0", None),
    "case-insensitive": ("Application/JSON", JSON),
}


@pytest.mark.parametrize(("accept", "chosen"), CASES.values(), ids=CASES.keys())
def test_the_answer_is_in_the_highest_quality_json_type_the_client_accepts(
    accept: str | None, chosen: str | None
) -> None:
    assert negotiate(accept) == chosen
