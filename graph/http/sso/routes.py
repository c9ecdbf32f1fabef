"""`GET /sso/{provider_id}/start` and the OpenID Connect callback."""

from __future__ import annotations

import importlib
from typing import Any
from uuid import UUID

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from domain.runtime import Runtime
from domain.settings import Settings
from domain.sso import oidc
from domain.sso.gate import SsoClient, complete_sso_sign_in, refuse
from domain.sso.refusals import SsoRefusalCode, SsoRefused
from graph.context import Context
from graph.http.sso.finish import BINDING_COOKIE, deliver, error_screen, native_error, own_path
from models.sso import IdentityProvider, SsoKind
from providers.registry import Providers

_MAX_CHALLENGE = 128


def _saml() -> Any | None:
    try:
        return importlib.import_module("graph.http.sso.saml")
    except ImportError:
        return None


def sso_routes(settings: Settings, providers: Providers) -> list[BaseRoute]:
    def context_of(request: Request) -> Context:
        return Context(request=request, response=Response(), settings=settings, providers=providers)

    async def provider_of(request: Request, runtime: Runtime) -> IdentityProvider | SsoRefused:
        try:
            provider_id = UUID(request.path_params["provider_id"])
        except ValueError:
            return await refuse(runtime, SsoRefusalCode.UNKNOWN_PROVIDER)
        found = await IdentityProvider.get_or_none(id=provider_id)
        return found or await refuse(runtime, SsoRefusalCode.UNKNOWN_PROVIDER)

    async def start(request: Request) -> Response:
        context = context_of(request)
        provider = await provider_of(request, context.runtime)
        if isinstance(provider, SsoRefused):
            return error_screen(provider.code)
        query = request.query_params
        native = query.get("client") == "native"
        challenge = query.get("code_challenge") or None
        if native and (
            provider.native_redirect_uri is None or len(challenge or "") > _MAX_CHALLENGE
        ):
            return error_screen(
                (await refuse(context.runtime, SsoRefusalCode.UNKNOWN_PROVIDER)).code
            )
        return_to = own_path(query.get("return_to"))
        if provider.kind is SsoKind.SAML:
            saml = _saml()
            if saml is None or not hasattr(saml, "saml_start"):
                refused = await refuse(context.runtime, SsoRefusalCode.UNKNOWN_PROVIDER)
                return error_screen(refused.code)
            answer: Response = await saml.saml_start(
                request, context, provider, return_to, native, challenge
            )
            return answer
        callback = oidc.redirect_uri(context.runtime, provider, str(request.base_url))
        started = await oidc.start(
            context.runtime, provider, callback, return_to, native=native, app_challenge=challenge
        )
        if isinstance(started, SsoRefused):
            return error_screen(started.code)
        response = RedirectResponse(started.location, 303, {"Cache-Control": "no-store"})
        # Lax, not Strict: the identity provider's redirect back is a cross-site navigation.
        response.set_cookie(
            BINDING_COOKIE,
            started.browser_binding,
            max_age=int(oidc.REQUEST_LIFETIME.total_seconds()),
            path="/",
            secure=True,
            httponly=True,
            samesite="lax",
        )
        return response

    async def oidc_callback(request: Request) -> Response:
        context = context_of(request)
        runtime = context.runtime
        provider = await provider_of(request, runtime)
        if isinstance(provider, SsoRefused):
            return error_screen(provider.code)
        if provider.kind is not SsoKind.OIDC:
            return error_screen((await refuse(runtime, SsoRefusalCode.UNKNOWN_PROVIDER)).code)
        callback = oidc.redirect_uri(runtime, provider, str(request.base_url))
        params = {key: request.query_params[key] for key in request.query_params}
        binding = request.cookies.get(BINDING_COOKIE)
        finished = await oidc.finish(runtime, provider, params, binding, callback)
        if isinstance(finished, SsoRefused):
            # The request's kind is unknown without its state: browsers get the error screen.
            return error_screen(finished.code)
        sso_request = finished.request
        client = SsoClient.NATIVE if sso_request.native else SsoClient.BROWSER
        outcome = await complete_sso_sign_in(runtime, provider, finished.assertion, client)
        if sso_request.native and isinstance(outcome, SsoRefused):
            return native_error(provider, outcome.code)
        return await deliver(
            request,
            context,
            provider,
            outcome,
            native=sso_request.native,
            return_to=sso_request.return_to,
            app_challenge=sso_request.app_challenge,
        )

    routes: list[BaseRoute] = [
        Route("/sso/{provider_id}/start", start, methods=["GET"]),
        Route("/sso/oidc/{provider_id}/callback", oidc_callback, methods=["GET"]),
    ]
    saml = _saml()
    if saml is not None and hasattr(saml, "saml_routes"):
        routes += saml.saml_routes(settings, providers)
    return routes
