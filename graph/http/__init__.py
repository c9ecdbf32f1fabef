"""The ASGI edge: HTTP endpoints beside /graphql."""
