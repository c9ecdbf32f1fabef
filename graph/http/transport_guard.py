"""Transport rules in front of /graphql: JSON POSTs or GET queries, answers a client accepts,
and the session cookie only from the server's own origin or one in `ALLOWED_ORIGINS`.

Browsers cannot send `application/json` cross-site without a CORS preflight, and our session
cookie is `__Host-`, SameSite=Strict; checking `Origin` on every cookie-authenticated request is
the third, independent CSRF defence (OWASP ASVS 3.5). Bearer-token requests carry no ambient
credentials and need no Origin.

GET runs queries only (mutations answer 405, see graph/http/app.py), yet a cookie GET is held to the
same rule as a POST, so no page of another origin can even make one run: browsers send `Origin`
on every cross-origin fetch, and leave it out only on a same-origin GET, which they mark with
`Sec-Fetch-Site: same-origin`. A cookie GET with neither is refused.
"""

from __future__ import annotations

from collections.abc import Collection

from starlette.datastructures import Headers, QueryParams
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from graph.error_codes import (
    BAD_REQUEST,
    FORBIDDEN_ORIGIN,
    METHOD_NOT_ALLOWED,
    NOT_ACCEPTABLE,
    UNSUPPORTED_MEDIA_TYPE,
)
from graph.http.http_errors import error_response as _refusal
from graph.http.media_types import negotiate
from graph.http.request_facts import RequestFacts, facts_of, normalize_origin

ALLOW = "GET, POST"
SEND_AS = "Send GraphQL as POST application/json, or a query as GET ?query=."
FORBIDDEN_ORIGIN_MESSAGE = (
    "This origin may not use the session cookie: serve the page from this server's own "
    "origin, or add its origin to the ALLOWED_ORIGINS setting."
)


class TransportGuard:
    def __init__(self, app: ASGIApp, allowed_origins: Collection[str], ide_enabled: bool) -> None:
        self.app = app
        self.allowed_origins = frozenset(normalize_origin(o) for o in allowed_origins)
        self.ide_enabled = ide_enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._check(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _check(self, scope: Scope) -> Response | None:
        headers = Headers(scope=scope)
        method = scope["method"]
        if method == "GET":
            if self.ide_enabled and "text/html" in headers.get("accept", ""):
                return None  # the GraphiQL page (graph/http/app.py); it runs no operation
            params = QueryParams(scope["query_string"])
            # A trusted document may be named instead (graph/documents/wire.py).
            if not any(name in params for name in ("query", "documentId", "extensions")):
                return _refusal(400, BAD_REQUEST, "A GET request needs a `query` parameter.")
        elif method == "POST":
            media_type = headers.get("content-type", "").split(";")[0].strip().lower()
            if media_type != "application/json":
                return _refusal(415, UNSUPPORTED_MEDIA_TYPE, SEND_AS)
        else:
            refusal = _refusal(405, METHOD_NOT_ALLOWED, SEND_AS)
            refusal.headers["Allow"] = ALLOW
            return refusal
        if negotiate(headers.get("accept")) is None:
            message = "Accept application/graphql-response+json or application/json."
            return _refusal(406, NOT_ACCEPTABLE, message)
        # The same reading of credentials as the GraphQL context's (graph/http/request_facts.py).
        facts = facts_of(scope)
        if facts.ambiguity is not None:
            return _refusal(400, BAD_REQUEST, f"Ambiguous request: {facts.ambiguity}.")
        if facts.uses_cookie and not self._may_use_cookie(facts, method):
            return _refusal(403, FORBIDDEN_ORIGIN, FORBIDDEN_ORIGIN_MESSAGE)
        return None

    def _may_use_cookie(self, facts: RequestFacts, method: str) -> bool:
        if facts.origin is None:
            # Only a browser's same-origin GET leaves Origin out, and it says so.
            return method == "GET" and facts.fetch_site == "same-origin"
        origin = normalize_origin(facts.origin)
        return origin in self.allowed_origins or (origin == facts.own_origin != "")
