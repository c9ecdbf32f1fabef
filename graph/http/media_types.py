"""Which media type a GraphQL answer is written in, as the GraphQL-over-HTTP specification says.

`application/graphql-response+json` lets a client tell a request the server refused (status
400, no `data`) from one that ran; `application/json` is what every older client expects, and
what a request with no `Accept` header, or `Accept: */*`, gets (the specification's rule until
its legacy watershed; the `graphql-http` audit checks it). Among the types a client lists, the
highest `q` wins; on a tie, the one listed first.
"""

from __future__ import annotations

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"

_SERVED = {
    GRAPHQL_RESPONSE_JSON: GRAPHQL_RESPONSE_JSON,
    JSON: JSON,
    "application/*": JSON,
    "*/*": JSON,
}


def negotiate(accept: str | None) -> str | None:
    """The media type to answer in; None when the client accepts neither JSON type (406)."""
    if accept is None or not accept.strip():
        return JSON
    best: tuple[float, int, str] | None = None
    for position, item in enumerate(accept.split(",")):
        media_range, *parameters = (part.strip() for part in item.split(";"))
        served = _SERVED.get(media_range.lower())
        if served is None:
            continue
        quality = _quality(parameters)
        if quality <= 0:
            continue
        candidate = (quality, -position, served)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return None if best is None else best[2]


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value.strip())
            except ValueError:
                return 0.0
    return 1.0
