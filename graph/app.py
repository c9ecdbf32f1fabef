"""The Starlette application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from domain.settings import Settings
from graph.access_log import AccessLog
from graph.body_limit import BodyLimit
from graph.context import Context
from graph.db import apply_migrations, close_database, open_database
from graph.error_codes import BAD_REQUEST, METHOD_NOT_ALLOWED, add_codes, is_request_error
from graph.extensions import security_extensions
from graph.graphiql.assets import asset_route
from graph.graphiql.page import graphiql_page
from graph.graphql_body import GraphQLBodyCheck, decode_checked_json
from graph.http_errors import error_response, internal_server_error
from graph.log_redaction import install_redaction
from graph.media_types import GRAPHQL_RESPONSE_JSON, JSON, negotiate
from graph.no_store import NoStore
from graph.request_facts import FactsMiddleware
from graph.request_id import RequestIds, install_request_ids
from graph.schema import build_schema
from graph.transport_guard import ALLOW, TransportGuard
from graph.wiring import build_providers
from providers.registry import Providers

logger = logging.getLogger("twofold")

# Request headers browsers may send cross-origin (CORS preflight), besides the CORS-safelisted
# ones: credentials, request ids, W3C trace context and baggage, and GraphQL clients' own.
CORS_REQUEST_HEADERS = (
    "Accept",
    "Authorization",
    "Content-Type",
    "X-Request-ID",
    "traceparent",
    "tracestate",
    "baggage",
    "sentry-trace",
    "apollo-require-preflight",
    "x-apollo-operation-name",
    "x-apollo-operation-id",
    "apollographql-client-name",
    "apollographql-client-version",
    "graphql-client-name",
    "graphql-client-version",
    "x-graphql-client-name",
    "x-graphql-client-version",
)

# The media type and status of the answer being written, decided with the result in hand.
_answer: ContextVar[tuple[str, int]] = ContextVar("graphql_answer", default=(JSON, 200))


class MutationOverGet(HTTPException):
    def __init__(self) -> None:
        super().__init__(405, "Mutations are sent as POST application/json.")


class TwofoldGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI app with Twofold's typed context."""

    def __init__(self, settings: Settings, providers: Providers) -> None:
        super().__init__(
            build_schema(security_extensions(settings), suggestions=not settings.is_production),
            graphql_ide=None if settings.is_production else "graphiql",
            # Queries only: execute_single answers a mutation over GET with 405.
            allow_queries_via_get=True,
        )
        self.settings = settings
        self.providers = providers

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        """The page for a browser that navigates here, with or without `?query=` (GraphiQL
        keeps the document in the address); it runs nothing. API clients never ask for HTML."""
        return (
            self.graphql_ide is not None
            and request.method == "GET"
            and "text/html" in request.headers.get("accept", "")
        )

    @property
    def graphql_ide_html(self) -> str:
        """Twofold's GraphiQL page, its files from Twofold unless GRAPHIQL_ASSETS_URL is set."""
        return graphiql_page(self.settings.graphiql_assets_url)

    def decode_json(self, data: str | bytes) -> object:
        return decode_checked_json(data)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Strawberry's own refusals (no query, unknown operation, mutation over GET) in
        JSON with a code, like every other refusal of the endpoint."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        response: Response
        try:
            response = await self.run(Request(scope, receive))
        except HTTPException as refusal:
            response = _refusal_of(refusal)
        await response(scope, receive, send)

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        try:
            return await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        except HTTPException as refusal:
            if isinstance(refusal.__cause__, InvalidOperationTypeError):
                raise MutationOverGet() from refusal
            raise

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        """Codes on every error; under application/graphql-response+json, a request that never
        ran (parse, validation, variables) answers 400 without `data`, as the spec says."""
        if result.errors:
            add_codes(result.errors)
        answer = await super().process_result(request, result)
        media_type = negotiate(request.headers.get("accept")) or JSON
        status = 200
        if (
            media_type == GRAPHQL_RESPONSE_JSON
            and result.data is None
            and result.errors
            and is_request_error(result.errors)
        ):
            answer.pop("data", None)
            status = 400
        _answer.set((media_type, status))
        return answer

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        media_type, status = _answer.get()
        response = Response(
            self.encode_json(response_data),
            status_code=sub_response.status_code or status,
            media_type=media_type,
        )
        response.headers.raw.extend(sub_response.headers.raw)
        if sub_response.background:
            response.background = sub_response.background
        return response

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        return Context(
            request=request, response=response, settings=self.settings, providers=self.providers
        )


def _refusal_of(refusal: HTTPException) -> Response:
    if isinstance(refusal, MutationOverGet):
        response = error_response(405, METHOD_NOT_ALLOWED, refusal.reason)
        response.headers["Allow"] = "POST"
        return response
    if refusal.status_code == 405:
        response = error_response(405, METHOD_NOT_ALLOWED, refusal.reason)
        response.headers["Allow"] = ALLOW
        return response
    if refusal.status_code == 404:
        return error_response(404, BAD_REQUEST, "There is nothing to show here.")
    return error_response(refusal.status_code, BAD_REQUEST, refusal.reason)


def create_app(
    settings: Settings, providers: Providers | None = None, *, migrate: bool = True
) -> Starlette:
    """Build the app. Tortoise opens and closes in the lifespan, never at import time."""
    install_redaction()
    install_request_ids()
    owned = providers is None
    active = providers or build_providers(settings)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if migrate:
            await apply_migrations(settings.database_url, settings.secret_key)
        await open_database(settings.database_url)
        try:
            yield
        finally:
            await close_database()
            if owned:
                active.close()

    async def health(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    graphql = TwofoldGraphQL(settings, active)
    # Headers first (the guard reads no body), then the size limit, then the body's shape.
    checked = BodyLimit(GraphQLBodyCheck(graphql), settings.max_request_body_bytes)
    guarded = TransportGuard(checked, settings.allowed_origins, graphql.graphql_ide is not None)
    routes = [
        # Every method reaches the guard, so even its 405s say no-store.
        Route("/graphql", NoStore(guarded)),
        Route("/healthz", health),
    ]
    if graphql.graphql_ide is not None:
        routes.append(asset_route())  # GraphiQL's own files, like the page: development only
    return Starlette(
        routes=routes,
        middleware=[
            # Outermost, so every answer and every log line carries the request's id.
            Middleware(RequestIds),
            # Next, so every answer gets its access line: preflights, refusals, failures.
            Middleware(AccessLog),
            Middleware(FactsMiddleware, trusted_proxies=settings.trusted_proxies),
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.allowed_origins),
                allow_credentials=True,
                # Never "*": with credentials, every origin and header is named.
                allow_methods=["GET", "POST"],
                allow_headers=list(CORS_REQUEST_HEADERS),
                # A page's script may read the id to quote it in a support request.
                expose_headers=["X-Request-ID"],
                max_age=600,
            ),
        ],
        lifespan=lifespan,
        exception_handlers={500: internal_server_error},
    )
