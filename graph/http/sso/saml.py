"""SAML 2.0 over HTTP: the SP metadata, the SP-initiated start (called by the SSO start route
for a SAML provider), and the Assertion Consumer Service (HTTP-POST binding).

    GET  /sso/saml/{provider_id}/metadata   what the IdP's administrator imports
    POST /sso/saml/{provider_id}/acs        the IdP's auto-POST form: SAMLResponse, RelayState

The ACS answers with a redirect: to the path the sign-in started from (or a RelayState path of
this site for an IdP-initiated sign-in; anything else becomes `/`) with the session cookie
set, or to `/?sso_error=CODE` when the SSO core or a SAML check refused.
"""

from __future__ import annotations

from urllib.parse import parse_qs
from uuid import UUID

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route, request_response

from domain.runtime import RequestMeta, Runtime
from domain.sessions import lifetime_seconds
from domain.settings import Settings
from domain.sign_in import SecondFactorNeeded, SignedIn
from domain.sso.refusals import SsoRefused
from domain.sso.saml import sign_in, sp_metadata
from graph.context import Context
from graph.http.body_limit import BodyLimit
from graph.http.issuer import issuer
from graph.http.request_facts import DEVICE_COOKIE, SESSION_COOKIE, facts_of
from models.sso import IdentityProvider, SsoKind
from providers.registry import Providers

_FORM = "application/x-www-form-urlencoded"
_NO_STORE = {"Cache-Control": "no-store"}
# A signed response with its certificate and a few attributes is some kilobytes, base64'd.
MAX_ACS_BODY = 393_216


def runtime_of(settings: Settings, providers: Providers, request: Request) -> Runtime:
    facts = facts_of(request.scope)
    return Runtime(settings, providers, RequestMeta(facts.client_ip, facts.user_agent))


async def saml_provider(provider_id: str) -> IdentityProvider | None:
    try:
        key = UUID(provider_id)
    except ValueError:
        return None
    return await IdentityProvider.get_or_none(id=key, kind=SsoKind.SAML)


async def saml_start(
    request: Request,
    context: Context,
    provider: IdentityProvider,
    return_to: str,
    native: bool = False,
    app_challenge: str | None = None,
) -> Response:
    """Send the browser to the IdP with an AuthnRequest bound to it by a `__Host-` cookie.
    Called by `GET /sso/{provider_id}/start` for a SAML provider."""
    runtime = context.runtime
    sp = sign_in.service_provider(issuer(runtime.settings, request), str(provider.id))
    started = await sign_in.start(
        runtime, provider, sp, return_to, native=native, app_challenge=app_challenge
    )
    response = RedirectResponse(started.redirect_url, status_code=303, headers=_NO_STORE)
    # SameSite=None: the IdP's auto-POST to the ACS is a cross-site request that must carry it.
    response.set_cookie(
        sign_in.REQUEST_COOKIE,
        started.cookie,
        max_age=int(sign_in.REQUEST_LIFETIME.total_seconds()),
        path="/",
        secure=True,
        httponly=True,
        samesite="none",
    )
    return response


def saml_routes(settings: Settings, providers: Providers) -> list[Route]:
    async def metadata(request: Request) -> Response:
        provider = await saml_provider(request.path_params["provider_id"])
        if provider is None:
            return Response("unknown provider", status_code=404, media_type="text/plain")
        sp = sign_in.service_provider(issuer(settings, request), str(provider.id))
        return Response(sp_metadata(sp), media_type="application/samlmetadata+xml")

    async def acs(request: Request) -> Response:
        provider = await saml_provider(request.path_params["provider_id"])
        if provider is None:
            return Response("unknown provider", status_code=404, media_type="text/plain")
        fields = _form(request.headers.get("content-type", ""), await request.body())
        if fields is None or len(fields.get("SAMLResponse", [])) != 1:
            return Response("a SAMLResponse form field is needed", status_code=400)
        relay = (
            fields.get("RelayState", [None])[0] if len(fields.get("RelayState", [])) <= 1 else None
        )
        runtime = runtime_of(settings, providers, request)
        sp = sign_in.service_provider(issuer(settings, request), str(provider.id))
        finished = await sign_in.finish(
            runtime,
            provider,
            sp,
            fields["SAMLResponse"][0],
            relay,
            request.cookies.get(sign_in.REQUEST_COOKIE),
        )
        return _answer(finished, settings)

    return [
        Route("/sso/saml/{provider_id}/metadata", metadata, methods=["GET"]),
        Route(
            "/sso/saml/{provider_id}/acs",
            BodyLimit(request_response(acs), MAX_ACS_BODY),
            methods=["POST"],
        ),
    ]


def standalone_start_route(settings: Settings, providers: Providers) -> Route:
    """`GET /sso/{provider_id}/start` for SAML providers, until the SSO core's own start route
    (which dispatches by kind to `saml_start`) is merged; then this goes."""

    async def start(request: Request) -> Response:
        provider = await saml_provider(request.path_params["provider_id"])
        if provider is None:
            return Response("unknown provider", status_code=404, media_type="text/plain")
        context = Context(
            request=request, response=Response(), settings=settings, providers=providers
        )
        return await saml_start(
            request, context, provider, request.query_params.get("return_to", "/")
        )

    return Route("/sso/{provider_id}/start", start, methods=["GET"])


def _form(content_type: str, body: bytes) -> dict[str, list[str]] | None:
    """The urlencoded form (parsed here: python-multipart is not a dependency)."""
    if content_type.split(";")[0].strip().lower() != _FORM:
        return None
    try:
        return parse_qs(body.decode("ascii"), strict_parsing=True, max_num_fields=10)
    except (UnicodeDecodeError, ValueError):
        return None


def _answer(finished: sign_in.Finished, settings: Settings) -> Response:
    outcome = finished.outcome
    if isinstance(outcome, SsoRefused):
        response = RedirectResponse(
            f"/?sso_error={outcome.code.value}", status_code=303, headers=_NO_STORE
        )
    else:
        response = RedirectResponse(finished.return_to, status_code=303, headers=_NO_STORE)
        if isinstance(outcome, SignedIn | SecondFactorNeeded):
            _cookie(response, SESSION_COOKIE, outcome.token, lifetime_seconds(outcome.session))
        if isinstance(outcome, SignedIn) and outcome.device_token:
            _cookie(
                response, DEVICE_COOKIE, outcome.device_token, settings.known_device_days * 86400
            )
    response.delete_cookie(
        sign_in.REQUEST_COOKIE, path="/", secure=True, httponly=True, samesite="none"
    )
    return response


def _cookie(response: Response, name: str, value: str, max_age: int) -> None:
    """The same `__Host-` attributes as graph/context.py gives GraphQL's cookies."""
    response.set_cookie(
        name, value, max_age=max_age, path="/", secure=True, httponly=True, samesite="strict"
    )
