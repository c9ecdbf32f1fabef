"""The ASGI edge: the Starlette app, its middleware, the /graphql transport and other routes.

Endpoints outside GraphQL each get a sub-package here, as the MessageBird delivery reports have
`graph/http/webhooks/`: the coming `/.well-known/...` and `/oauth/...` ones go in e.g.
`graph/http/well_known/` and `graph/http/oauth/`.
"""
