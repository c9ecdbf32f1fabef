"""SAML 2.0 over HTTP: the SP metadata, the SP-initiated start (called by the SSO start route
for a SAML provider), and the Assertion Consumer Service (HTTP-POST binding).

    GET  /sso/saml/{provider_id}/metadata   what the IdP's administrator imports
    POST /sso/saml/{provider_id}/acs        the IdP's auto-POST form: SAMLResponse, RelayState

The ACS ends as every SSO sign-in does (graph/http/sso/finish.py's `deliver`): the session
cookie and a page of ours that moves on (to the path the sign-in started from, or a RelayState
path of this site for an IdP-initiated one; anything else becomes `/`), a native app's
one-time code, or `/?sso_error=CODE` when the SSO core or a SAML check refused.
"""

from __future__ import annotations

from urllib.parse import parse_qs
from uuid import UUID

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route, request_response

from domain.settings import Settings
from domain.sso.saml import sign_in, sp_metadata
from graph.context import Context
from graph.http.body_limit import BodyLimit
from graph.http.issuer import issuer
from graph.http.sso.finish import deliver
from models.sso import IdentityProvider, SsoKind
from providers.registry import Providers

_FORM = "application/x-www-form-urlencoded"
_NO_STORE = {"Cache-Control": "no-store"}
# A signed response with its certificate and a few attributes is some kilobytes, base64'd.
MAX_ACS_BODY = 393_216


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
        relays = fields.get("RelayState", [])
        context = Context(
            request=request, response=Response(), settings=settings, providers=providers
        )
        sp = sign_in.service_provider(issuer(settings, request), str(provider.id))
        finished = await sign_in.finish(
            context.runtime,
            provider,
            sp,
            fields["SAMLResponse"][0],
            relays[0] if len(relays) == 1 else None,
            request.cookies.get(sign_in.REQUEST_COOKIE),
        )
        # The SSO core's last step: cookies as `logIn` sets them, or a native app's code.
        response = await deliver(
            request,
            context,
            provider,
            finished.outcome,
            native=finished.native,
            return_to=finished.return_to,
            app_challenge=finished.app_challenge,
        )
        response.delete_cookie(
            sign_in.REQUEST_COOKIE, path="/", secure=True, httponly=True, samesite="none"
        )
        return response

    return [
        Route("/sso/saml/{provider_id}/metadata", metadata, methods=["GET"]),
        Route(
            "/sso/saml/{provider_id}/acs",
            BodyLimit(request_response(acs), MAX_ACS_BODY),
            methods=["POST"],
        ),
    ]


def _form(content_type: str, body: bytes) -> dict[str, list[str]] | None:
    """The urlencoded form (parsed here: python-multipart is not a dependency)."""
    if content_type.split(";")[0].strip().lower() != _FORM:
        return None
    try:
        return parse_qs(body.decode("ascii"), strict_parsing=True, max_num_fields=10)
    except (UnicodeDecodeError, ValueError):
        return None
