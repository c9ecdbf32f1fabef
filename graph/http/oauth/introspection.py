"""`POST /oauth/introspect` (RFC 7662): is this access token still good? For services that
authenticate with a service credential (`client_secret_basic`)."""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, request_response

from domain import access_tokens
from domain.runtime import RequestMeta, Runtime
from domain.service_clients import authenticate_service
from domain.settings import Settings
from graph.http.body_limit import BodyLimit
from graph.http.issuer import issuer
from graph.http.well_known import INTROSPECTION_PATH
from providers.registry import Providers

_NO_STORE = {"Cache-Control": "no-store"}
_FORM = "application/x-www-form-urlencoded"


def introspection_routes(settings: Settings, providers: Providers) -> list[Route]:
    async def introspect(request: Request) -> Response:
        runtime = Runtime(settings, providers, RequestMeta("-", "introspection"))
        client = await authenticate_service(runtime, request.headers.get("authorization"))
        if client is None:
            return JSONResponse(
                {"error": "invalid_client"},
                status_code=401,
                headers={**_NO_STORE, "WWW-Authenticate": 'Basic realm="twofold"'},
            )
        if request.headers.get("content-type", "").split(";")[0].strip() != _FORM:
            return _invalid_request()
        token = _token_of(await request.body())
        if token is None:
            return _invalid_request()
        claims = await access_tokens.active_claims(token, issuer(settings, request), runtime)
        if claims is None:
            return JSONResponse({"active": False}, headers=_NO_STORE)
        return JSONResponse({"active": True, **claims, "token_type": "Bearer"}, headers=_NO_STORE)

    # A token is a kilobyte or so: the limit keeps an unauthenticated flood from being read.
    endpoint = BodyLimit(request_response(introspect), 16_384)
    return [Route(INTROSPECTION_PATH, endpoint, methods=["POST"])]


def _token_of(body: bytes) -> str | None:
    """The one `token` of a form body (parsed here: no multipart parser for one field)."""
    try:
        fields = parse_qs(
            body.decode("ascii"), strict_parsing=True, max_num_fields=10, errors="strict"
        )
    except (UnicodeDecodeError, ValueError):
        return None
    tokens = fields.get("token", [])
    return tokens[0] if len(tokens) == 1 and tokens[0] else None


def _invalid_request() -> Response:
    return JSONResponse({"error": "invalid_request"}, status_code=400, headers=_NO_STORE)
