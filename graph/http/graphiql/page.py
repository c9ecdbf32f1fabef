"""The development GraphiQL page: GraphiQL with the explorer plugin, opened on the flow's
operations (operations.graphql) and sending the session cookie with each request.

Strawberry's own page is not reused: it loads a cookie library for Django's CSRF token, points
a WebSocket at subscriptions Twofold does not serve, and writes the document and its variables,
passwords and codes included, into the address bar. This page keeps its files' integrity hashes
whether they come from Twofold or from a CDN.
"""

from __future__ import annotations

import json
from functools import cache
from html import escape
from importlib.resources import files

from graph.http.graphiql.assets import bundled_assets

_HERE = files("graph.http.graphiql")

STARTING_VARIABLES = {
    "email": "payee@example.com",
    "password": "correct horse",
    "method": "AUTHENTICATOR_APP",
    "code": "",
    "countryCode": "+1",
    "phoneNumber": "201 555 0123",
}
"""One set of variables serves every operation of the document (each reads the ones it
declares), so a developer types a code once, in one place, for whichever step is next."""


def operations_document() -> str:
    return (_HERE / "operations.graphql").read_text(encoding="utf-8")


@cache
def graphiql_page(cdn: str) -> str:
    """The page, its files from Twofold itself, or from `cdn` (unpkg's layout) when set."""
    assets = bundled_assets()
    stylesheets = [
        f'    <link rel="stylesheet" crossorigin="anonymous" href="{escape(a.url(cdn))}" '
        f'integrity="{escape(a.integrity)}" />'
        for a in assets
        if a.is_stylesheet
    ]
    scripts = [
        f'    <script crossorigin="anonymous" src="{escape(a.url(cdn))}" '
        f'integrity="{escape(a.integrity)}"></script>'
        for a in assets
        if not a.is_stylesheet
    ]
    config = {
        "document": operations_document(),
        "variables": json.dumps(STARTING_VARIABLES, indent=2),
    }
    template = (_HERE / "page.html").read_text(encoding="utf-8")
    return (
        template.replace("<!--STYLESHEETS-->", "\n".join(stylesheets))
        .replace("<!--SCRIPTS-->", "\n".join(scripts))
        .replace("<!--CONFIG-->", _script_json(config))
    )


def _script_json(value: object) -> str:
    """JSON that cannot end its <script> element early nor open a comment inside it."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
