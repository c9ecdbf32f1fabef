"""JSON answers for requests that are refused, or fail, outside GraphQL execution.

They have the shape of a GraphQL response with only top-level `errors`, like the transport
guard's refusals, so a client handles every failure of the endpoint the same way: by
`extensions.code`.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from graph.error_codes import INTERNAL_SERVER_ERROR
from graph.http.request_id import HEADER, request_id_of


def error_response(status: int, code: str, message: str, **extensions: str) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]},
        status_code=status,
    )


async def internal_server_error(request: Request, exc: Exception) -> Response:
    """Starlette's 500 handler: masked, JSON, and never cached.

    It answers from outside every other wrapper, so it sets `no-store` and the request id itself;
    the id is the one on the request's log lines, so a support ticket can name it. Starlette raises
    the exception again after this answer, so the server still logs the traceback.
    """
    request_id = request_id_of(request.scope)
    response = error_response(
        500, INTERNAL_SERVER_ERROR, "Internal server error.", requestId=request_id
    )
    response.headers["Cache-Control"] = "no-store"
    # This answer bypasses the middleware that names the request, so it names it itself.
    response.headers[HEADER] = request_id
    return response
