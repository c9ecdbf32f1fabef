"""The typed per-request GraphQL context: request, response, settings, providers, session."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response

from domain import flows, locales
from domain.runtime import RequestMeta, Runtime
from domain.sessions import find_live_session
from domain.settings import Settings
from graph.error_codes import UNAUTHENTICATED
from graph.http.request_facts import (
    DEVICE_COOKIE,
    SESSION_COOKIE,
    TRUSTED_BROWSER_COOKIE,
    RequestFacts,
    facts_of,
)
from models.enums import SessionKind
from models.flow import MfaFlow
from models.session import AuthSession
from models.state_machine import Event
from providers.registry import Providers

__all__ = ["SESSION_COOKIE", "Context", "NotAuthenticated"]


class NotAuthenticated(GraphQLError):
    """The request carries no live session; clients sign in again."""

    def __init__(self) -> None:
        super().__init__(
            "Not signed in, or the session has ended.",
            extensions={"code": UNAUTHENTICATED},
        )


@dataclass
class Context:
    request: Request
    response: Response
    settings: Settings
    providers: Providers
    _session: AuthSession | None = field(default=None, init=False)
    _session_loaded: bool = field(default=False, init=False)
    _locale: str | None = field(default=None, init=False)

    @property
    def facts(self) -> RequestFacts:
        """Client address, credentials and origin, as every guard of this request reads them."""
        return facts_of(self.request.scope)

    @cached_property
    def runtime(self) -> Runtime:
        """What the domain services need of this request."""
        caller = RequestMeta(
            ip_address=self.facts.client_ip,
            user_agent=self.facts.user_agent,
            accept_language=self.request.headers.get("accept-language", ""),
        )
        return Runtime(self.settings, self.providers, caller)

    async def locale(self) -> str:
        """The language of this request's answers: the session's user's setting (signed in or
        pending), else the best match of Accept-Language, else English. Chosen once."""
        if self._locale is None:
            session = await self.session()
            self._locale = locales.locale_of(session.user if session else None, self.runtime)
        return self._locale

    def use_locale(self, locale: str) -> None:
        """The user chose a language in this request: the rest of the answer speaks it."""
        self._locale = locale

    def presented_bearer(self) -> bool:
        """Native clients authenticate with a bearer token; they get tokens in payloads."""
        return self.facts.bearer_token is not None

    async def session(self) -> AuthSession | None:
        """The live session this request presents, looked up once per request."""
        if not self._session_loaded:
            token = self.facts.presented_token
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

    async def flow_for(self, event: Event) -> MfaFlow:
        """The live flow of this request's session if `event` is legal for it now, else
        `IllegalTransition`; without a session, NotAuthenticated."""
        return await flows.flow_for(await self.require_session(), event, self.runtime)

    async def require_full_session(self) -> AuthSession:
        """Self-service needs a signed-in user; a pending token only drives MFA steps."""
        session = await self.session()
        if session is None or session.kind is not SessionKind.FULL:
            raise NotAuthenticated()
        return session

    def forget_session(self) -> None:
        if self._session is not None and self._locale is None:  # the answer keeps the language
            self._locale = locales.locale_of(self._session.user, self.runtime)
        self._session = None
        self._session_loaded = True

    def end_session(self) -> None:
        """The session ended on the server: this request and the browser forget it too."""
        self.forget_session()
        self.clear_cookie()

    def deliver_token(self, token: str, *, native: bool, max_age_seconds: int) -> str | None:
        """Put a new token where this client keeps it; return it only for native clients."""
        if native:
            return token
        self._set_cookie(SESSION_COOKIE, token, max_age_seconds)
        return None

    def deliver_device_token(self, token: str | None, *, native: bool) -> str | None:
        """A known device's token: an HttpOnly cookie for browsers, the payload for apps."""
        if token is None or native:
            return token
        self._set_cookie(DEVICE_COOKIE, token, self.settings.known_device_days * 86400)
        return None

    def deliver_trusted_browser_token(self, token: str) -> None:
        """A trusted browser's token lives only in an HttpOnly cookie."""
        self._set_cookie(TRUSTED_BROWSER_COOKIE, token, self.settings.trusted_browser_days * 86400)

    def _set_cookie(self, name: str, value: str, max_age_seconds: int) -> None:
        """`__Host-` cookies: this host only, every path, HTTPS only, never sent cross-site."""
        self.response.set_cookie(
            name,
            value,
            max_age=max_age_seconds,
            path="/",
            secure=True,
            httponly=True,
            samesite="strict",
        )

    def clear_cookie(self) -> None:
        self.response.delete_cookie(
            SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="strict"
        )
