"""The typed per-request GraphQL context: request, response, settings, providers, session."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response

from graph.settings import Settings
from models.enums import SessionKind
from models.session import AuthSession
from providers.registry import Providers
from resolvers.sessions import RequestMeta, find_live_session

SESSION_COOKIE = "__Host-twofold-session"


class NotAuthenticated(GraphQLError):
    """The request carries no live session; clients sign in again."""

    def __init__(self) -> None:
        super().__init__(
            "Not signed in, or the session has ended.",
            extensions={"code": "UNAUTHENTICATED"},
        )


def bearer_token(headers: Mapping[str, str]) -> str | None:
    """The token of an `Authorization: Bearer <token>` header; None if absent or blank."""
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


@dataclass
class Context:
    request: Request
    response: Response
    settings: Settings
    providers: Providers
    _session: AuthSession | None = field(default=None, init=False)
    _session_loaded: bool = field(default=False, init=False)

    @property
    def meta(self) -> RequestMeta:
        return RequestMeta(
            ip_address=self.client_ip(),
            user_agent=self.request.headers.get("user-agent", "")[:255],
        )

    def client_ip(self) -> str:
        """The peer address, or what a trusted proxy says in `X-Forwarded-For`.

        Walking the header from the right and stopping at the first untrusted hop means a
        client cannot choose its own address by sending the header itself.
        """
        peer = self.request.client.host if self.request.client else ""
        trusted = self.settings.trusted_proxies
        if peer not in trusted:
            return peer
        hops = [h.strip() for h in self.request.headers.get("x-forwarded-for", "").split(",")]
        for hop in reversed([h for h in hops if h]):
            if hop not in trusted:
                return hop[:45]
        return peer

    def presented_bearer(self) -> bool:
        """Native clients authenticate with a bearer token; they get tokens in payloads."""
        return bearer_token(self.request.headers) is not None

    def presented_token(self) -> str | None:
        """A bearer token wins over the cookie. Any Authorization header at all, even a blank
        or malformed one, means no cookie is used: the Origin check exempts such requests."""
        if "authorization" in self.request.headers:
            return bearer_token(self.request.headers)
        return self.request.cookies.get(SESSION_COOKIE) or None

    async def session(self) -> AuthSession | None:
        """The live session this request presents, looked up once per request."""
        if not self._session_loaded:
            token = self.presented_token()
            self._session = (
                await find_live_session(token, self.settings, self.providers.clock)
                if token
                else None
            )
            self._session_loaded = True
        return self._session

    async def require_session(self) -> AuthSession:
        session = await self.session()
        if session is None:
            raise NotAuthenticated()
        return session

    async def require_full_session(self) -> AuthSession:
        """Self-service needs a signed-in user; a pending token only drives MFA steps."""
        session = await self.session()
        if session is None or session.kind is not SessionKind.FULL:
            raise NotAuthenticated()
        return session

    def forget_session(self) -> None:
        self._session = None
        self._session_loaded = True

    def deliver_token(self, token: str, *, native: bool, max_age_seconds: int) -> str | None:
        """Put a new token where this client keeps it; return it only for native clients."""
        if native:
            return token
        self.response.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=max_age_seconds,
            path="/",
            secure=True,
            httponly=True,
            samesite="strict",
        )
        return None

    def clear_cookie(self) -> None:
        self.response.delete_cookie(
            SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="strict"
        )
