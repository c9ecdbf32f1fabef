"""The baselines: a bare Strawberry app answering a trivial query, with or without caches, and
a plain Starlette JSON endpoint.

`uvicorn bench.bare_app:plain` has no extensions; `bench.bare_app:cached` adds Strawberry's
ParserCache and ValidationCache; `bench.bare_app:starlette_json` reads the body and answers a
JSON object, no GraphQL at all. Same Strawberry, graphql-core, Starlette and uvicorn as Twofold.
"""

from __future__ import annotations

import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"


plain = GraphQL(strawberry.Schema(query=Query), graphql_ide=None)
cached = GraphQL(
    strawberry.Schema(
        query=Query, extensions=[ParserCache(maxsize=256), ValidationCache(maxsize=256)]
    ),
    graphql_ide=None,
)


async def _hello(request: Request) -> JSONResponse:
    await request.body()
    return JSONResponse({"data": {"hello": "world"}})


starlette_json = Starlette(routes=[Route("/{path:path}", _hello, methods=["GET", "POST"])])
