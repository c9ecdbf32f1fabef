"""Transport rules in front of /graphql: JSON POSTs only, and an allowed Origin with cookies.

Browsers cannot send `application/json` cross-site without a CORS preflight, and our session
cookie is SameSite=Strict; checking `Origin` on every cookie-authenticated request is the
third, independent CSRF defence (OWASP ASVS 3.5). Bearer-token requests carry no ambient
credentials and need no Origin.
"""

from __future__ import annotations

from collections.abc import Collection

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from graph.http_errors import error_response as _refusal
from graph.request_facts import facts_of


class TransportGuard:
    def __init__(self, app: ASGIApp, allowed_origins: Collection[str], ide_enabled: bool) -> None:
        self.app = app
        self.allowed_origins = frozenset(o.rstrip("/") for o in allowed_origins)
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
                return None  # the GraphiQL page itself; it runs no operation
            return _refusal(405, "METHOD_NOT_ALLOWED", "Send GraphQL as POST application/json.")
        if method != "POST":
            return _refusal(405, "METHOD_NOT_ALLOWED", "Send GraphQL as POST application/json.")
        media_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json":
            return _refusal(415, "UNSUPPORTED_MEDIA_TYPE", "Send GraphQL as POST application/json.")
        # The same reading of credentials as the GraphQL context's (graph/request_facts.py).
        facts = facts_of(scope)
        if facts.ambiguity is not None:
            return _refusal(400, "BAD_REQUEST", f"Ambiguous request: {facts.ambiguity}.")
        origin = (facts.origin or "").rstrip("/")
        if facts.uses_cookie and origin not in self.allowed_origins:
            return _refusal(403, "FORBIDDEN_ORIGIN", "This origin may not use the session cookie.")
        return None
