"""GraphQL over HTTP as its specification says, on top of Strawberry's ASGI view.

- Queries run over GET too (`allow_queries_via_get`); a mutation over GET answers 405 with
  `Allow: POST` and runs nothing (Strawberry refuses it before execution).
- The answer's media type follows `Accept` (graph/http/media_types.py). Under
  `application/graphql-response+json` an operation that never ran (parse, validation, variable
  coercion, limits) answers 400 without `data`; under `application/json` it answers 200.
- Every top-level error gets its code (graph/error_codes.py); Strawberry's own refusals (no
  query, unknown operation name) answer JSON with a code instead of text/plain.
- A browser that navigates here (Accept: text/html) gets the development GraphiQL page.
- A request may name a trusted document by id instead of sending its text
  (graph/documents/wire.py); a refusal answers JSON with its code and runs nothing.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.schema.base import BaseSchema as Schema
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from graph.context import Context
from graph.documents.manifest import TrustedDocuments
from graph.documents.wire import DocumentRefused, document_to_run, requested_id
from graph.error_codes import BAD_REQUEST, METHOD_NOT_ALLOWED, add_codes, is_request_error
from graph.http.http_errors import error_response
from graph.http.media_types import GRAPHQL_RESPONSE_JSON, JSON, negotiate
from graph.http.transport_guard import ALLOW

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


class CORS(CORSMiddleware):
    """Starlette's CORS, whose refused preflights answer JSON with a code like every refusal."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        refusal = error_response(response.status_code, BAD_REQUEST, bytes(response.body).decode())
        for name, value in response.headers.items():
            if name.lower().startswith("access-control-") or name.lower() == "vary":
                refusal.headers[name] = value
        return refusal


class MutationOverGet(HTTPException):
    def __init__(self) -> None:
        super().__init__(405, "Mutations are sent as POST application/json.")


class GraphQLOverHTTP(GraphQL[Context, None]):
    """Strawberry's ASGI view, answering as the GraphQL-over-HTTP specification says."""

    def __init__(
        self,
        schema: Schema,
        documents: TrustedDocuments,
        *,
        only_trusted: bool,
        **options: Any,
    ) -> None:
        super().__init__(schema, **options)
        self.documents = documents
        self.only_trusted = only_trusted

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData:
        """Strawberry's reading of the request, with the document an id names put in place
        of (or checked against) the text."""
        data = await super().parse_http_body(request)
        assert isinstance(data, GraphQLRequestData)  # graphql_body.py refuses batches first
        if request.method == "GET":
            named = request.query_params.get("documentId")
        else:
            body = self.parse_json(await request.get_body())
            named = body.get("documentId") if isinstance(body, dict) else None
        wanted = requested_id(named, data.extensions)
        data.query = await document_to_run(
            self.documents, wanted, data.query, only_trusted=self.only_trusted
        )
        return data

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        """The page for a browser that navigates here, with or without `?query=` (GraphiQL
        keeps the document in the address); it runs nothing. API clients never ask for HTML."""
        return (
            self.graphql_ide is not None
            and request.method == "GET"
            and "text/html" in request.headers.get("accept", "")
        )

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
        except DocumentRefused as refusal:
            response = error_response(refusal.status, refusal.code, refusal.message)
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
