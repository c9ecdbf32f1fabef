"""The Starlette application factory."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, request_response

from domain import outbox, password_reset, password_rules, signing_keys
from domain.metrics import watch_hashing_queue
from domain.runtime import RequestMeta, Runtime
from domain.settings import Settings
from domain.webhook_delivery import WEBHOOKS
from graph.context import Context
from graph.documents.manifest import TrustedDocuments
from graph.extensions.operation_metrics import time_root_fields
from graph.extensions.security import document_validator, security_extensions
from graph.http.access_log import AccessLog
from graph.http.body_limit import BodyLimit
from graph.http.graphiql.assets import asset_route
from graph.http.graphiql.page import graphiql_page
from graph.http.graphql_body import GraphQLBodyCheck, decode_checked_json
from graph.http.graphql_http import CORS, CORS_REQUEST_HEADERS, GraphQLOverHTTP
from graph.http.http_errors import internal_server_error
from graph.http.no_store import NoStore
from graph.http.oauth.introspection import introspection_routes
from graph.http.probes import metrics_endpoint, readiness
from graph.http.request_facts import FactsMiddleware
from graph.http.request_id import RequestIds
from graph.http.sso.routes import sso_routes
from graph.http.transport_guard import TransportGuard
from graph.http.web_app import web_routes
from graph.http.webhooks.messagebird import DELIVERY_REPORT_PATH, delivery_report_endpoint
from graph.http.webhooks.twilio import TWILIO_STATUS_PATH, status_callback_endpoint
from graph.http.well_known import well_known_routes
from graph.schema import build_schema
from graph.startup.db import apply_migrations, close_database, open_database
from graph.startup.log_redaction import install_redaction
from graph.startup.log_request_ids import install_request_ids
from graph.startup.logs import configure_logging
from graph.startup.wiring import build_providers
from i18n.catalogs import compile_all
from providers.registry import Providers

logger = logging.getLogger("twofold")


class TwofoldGraphQL(GraphQLOverHTTP):
    """Strawberry's ASGI app with Twofold's typed context."""

    def __init__(self, settings: Settings, providers: Providers) -> None:
        validator = document_validator(settings)
        documents = TrustedDocuments(validator)
        schema = build_schema(
            security_extensions(settings, validator, documents),
            suggestions=not settings.is_production,
        )
        time_root_fields(schema._schema)
        super().__init__(
            schema,
            documents,
            only_trusted=settings.documents_only,
            graphql_ide=None if settings.is_production else "graphiql",
            # Queries only: execute_single answers a mutation over GET with 405.
            allow_queries_via_get=True,
        )
        documents.load_built_in(schema._schema)
        self.settings = settings
        self.providers = providers

    @property
    def graphql_ide_html(self) -> str:
        """Twofold's GraphiQL page, its files from Twofold unless GRAPHIQL_ASSETS_URL is set."""
        return graphiql_page(self.settings.graphiql_assets_url)

    def decode_json(self, data: str | bytes) -> object:
        return decode_checked_json(data)

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        return Context(
            request=request, response=response, settings=self.settings, providers=self.providers
        )


def create_app(
    settings: Settings, providers: Providers | None = None, *, migrate: bool = True
) -> Starlette:
    """Build the app. Tortoise opens and closes in the lifespan, never at import time."""
    install_redaction()
    install_request_ids()
    compile_all()
    owned = providers is None
    active = providers or build_providers(settings)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if migrate:
            await apply_migrations(settings.database_url, settings.secret_key)
        await open_database(settings.database_url, session_reads=True)
        await graphql.documents.load_registered()
        # The first process on a new database makes the signing key; the others find it.
        await signing_keys.ensure_key(Runtime(settings, active, RequestMeta("-", "twofold")))
        senders = [
            asyncio.create_task(
                outbox.run_sender(
                    Runtime(settings, active, RequestMeta("-", "twofold outbox")),
                    settings.outbox_poll_seconds,
                    queue,
                ),
                name=f"twofold outbox sender ({queue.name})",
            )
            for queue in (outbox.EMAIL, WEBHOOKS)
        ]
        senders.append(
            asyncio.create_task(
                graphql.documents.keep_refreshing(), name="twofold trusted documents refresh"
            )
        )
        password_rules.warm_up()  # the common-password list, before the first request
        try:
            yield
        finally:
            # Reset links still being sent finish while the database is open.
            await password_reset.settled()
            for sender in senders:
                sender.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sender
            await close_database()
            if owned:
                active.close()

    async def health(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    watch_hashing_queue(active.passwords.queued)

    graphql = TwofoldGraphQL(settings, active)
    # Headers first (the guard reads no body), then the size limit, then the body's shape.
    checked = BodyLimit(GraphQLBodyCheck(graphql), settings.max_request_body_bytes)
    guarded = TransportGuard(checked, settings.allowed_origins, graphql.graphql_ide is not None)
    routes = [
        # Every method reaches the guard, so even its 405s say no-store.
        Route("/graphql", NoStore(guarded)),
        Route("/healthz", health),
        *web_routes(),  # the reference single-page app at /
        Route("/readyz", readiness),
        *well_known_routes(settings, active),
        *introspection_routes(settings, active),
        *sso_routes(settings, active),
    ]
    if settings.delivery_report_url is not None:
        # A report is a few hundred bytes; the limit keeps an unsigned flood from being read.
        report = BodyLimit(request_response(delivery_report_endpoint(settings, active)), 16_384)
        routes.append(Route(DELIVERY_REPORT_PATH, report, methods=["GET", "POST"]))
    if settings.twilio_status_url is not None and settings.twilio_account_sid:
        callback = BodyLimit(request_response(status_callback_endpoint(settings, active)), 16_384)
        routes.append(Route(TWILIO_STATUS_PATH, callback, methods=["POST"]))
    if settings.metrics_token or not settings.is_production:
        routes.append(Route("/metrics", metrics_endpoint(settings.metrics_token)))
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
                CORS,
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


def app_from_environment() -> Starlette:
    """The app of one `twofold serve --workers N` process; the parent applied the migrations.

    A worker is a fresh interpreter, so it sets up its own logging in the operator's format.
    """
    settings = Settings.from_environment()
    configure_logging(settings.log_format)
    return create_app(settings, migrate=False)
