"""`/.well-known/jwks.json` (the access tokens' public keys) and
`/.well-known/oauth-authorization-server` (RFC 8414 metadata)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from domain import signing_keys
from domain.runtime import RequestMeta, Runtime
from domain.settings import Settings
from graph.http.issuer import issuer
from providers.registry import Providers

JWKS_PATH = "/.well-known/jwks.json"
METADATA_PATH = "/.well-known/oauth-authorization-server"
INTROSPECTION_PATH = "/oauth/introspect"


def well_known_routes(settings: Settings, providers: Providers) -> list[Route]:
    runtime = Runtime(settings, providers, RequestMeta("-", "well-known"))
    # A new key is published this long before it signs (domain/signing_keys.py).
    cache = f"public, max-age={settings.jwks_max_age_seconds}"

    async def jwks(_: Request) -> Response:
        keys = [view.public_jwk for view in await signing_keys.published(runtime)]
        return JSONResponse({"keys": keys}, headers={"Cache-Control": cache})

    async def metadata(request: Request) -> Response:
        base = issuer(settings, request)
        document = {
            "issuer": base,
            "jwks_uri": base + JWKS_PATH,
            "introspection_endpoint": base + INTROSPECTION_PATH,
            "introspection_endpoint_auth_methods_supported": ["client_secret_basic"],
        }
        return JSONResponse(document, headers={"Cache-Control": cache})

    return [
        Route(JWKS_PATH, jwks, methods=["GET"]),
        Route(METADATA_PATH, metadata, methods=["GET"]),
    ]
