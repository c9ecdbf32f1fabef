"""The end of every single sign-on at the HTTP edge: cookies for browsers (as `logIn` sets
them, through the GraphQL context), a one-time code for native apps, the error screen for
refusals."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from domain.sessions import lifetime_seconds
from domain.sign_in import SecondFactorNeeded, SignedIn
from domain.sso import handoff
from domain.sso.gate import SsoOutcome
from domain.sso.refusals import SsoRefusalCode, SsoRefused
from graph.context import Context
from models.sso import IdentityProvider

BINDING_COOKIE = "__Host-twofold-sso"
"""The browser's half of an OpenID Connect request in flight (its hash is on the row)."""
_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def own_path(return_to: str | None) -> str:
    """`return_to` when it is a path of this server, else `/` (never another origin)."""
    if not return_to or not return_to.startswith("/") or return_to.startswith(("//", "/\\")):
        return "/"
    parts = urlsplit(return_to)
    if parts.scheme or parts.netloc or "\\" in return_to or any(ord(c) < 32 for c in return_to):
        return "/"
    return return_to[:2000]


def error_screen(code: SsoRefusalCode) -> Response:
    """The reference app's error screen names the code. The binding cookie stays: a forged
    callback must not end the sign-in the browser has in flight (it lapses in ten minutes)."""
    return RedirectResponse("/?" + urlencode({"sso_error": code.value}), 303, _HEADERS)


def native_error(provider: IdentityProvider, code: SsoRefusalCode) -> Response:
    return _to_app(provider, {"error": code.value})


def _to_app(provider: IdentityProvider, query: dict[str, str]) -> Response:
    target = provider.native_redirect_uri or ""
    joiner = "&" if "?" in target else "?"
    response = RedirectResponse(target + joiner + urlencode(query), 303, _HEADERS)
    response.delete_cookie(BINDING_COOKIE, path="/", secure=True, httponly=True, samesite="lax")
    return response


async def deliver(
    request: Request,
    context: Context,
    provider: IdentityProvider,
    outcome: SsoOutcome,
    *,
    native: bool,
    return_to: str,
    app_challenge: str | None,
) -> Response:
    """Answer the browser that came back from the identity provider."""
    if isinstance(outcome, SsoRefused):
        return native_error(provider, outcome.code) if native else error_screen(outcome.code)
    if not isinstance(outcome, SecondFactorNeeded | SignedIn):
        locked = SsoRefusalCode.ACCOUNT_LOCKED
        return native_error(provider, locked) if native else error_screen(locked)
    if native:
        code = await handoff.issue(context.runtime, outcome, app_challenge)
        return _to_app(provider, {"code": code})
    # The same calls `logIn` makes, on this response.
    context.deliver_token(
        outcome.token, native=False, max_age_seconds=lifetime_seconds(outcome.session)
    )
    if isinstance(outcome, SignedIn):
        context.deliver_device_token(outcome.device_token, native=False)
    target = return_to if isinstance(outcome, SignedIn) else "/"
    response = _continue_page(target)
    for header, value in context.response.headers.items():
        if header.lower() == "set-cookie":
            response.headers.append("set-cookie", value)
    response.delete_cookie(BINDING_COOKIE, path="/", secure=True, httponly=True, samesite="lax")
    return response


def _continue_page(target: str) -> HTMLResponse:
    """A page of ours that moves on to `target`: the session cookie is SameSite=Strict, and a
    browser sends none on a redirect chain that began at the identity provider's site; a
    navigation this page starts is same-site."""
    url = escape(target, quote=True)
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0;url={url}"><title>Signing in</title></head>'
        f'<body><p><a href="{url}">Continue</a></p></body></html>'
    )
    return HTMLResponse(body, headers=_HEADERS)
