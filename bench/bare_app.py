"""The baseline: a bare Strawberry app answering a trivial query, with or without caches.

`uvicorn bench.bare_app:plain` has no extensions; `bench.bare_app:cached` adds Strawberry's
ParserCache and ValidationCache. Same Strawberry, graphql-core and uvicorn as Twofold.
"""

from __future__ import annotations

import strawberry
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
