"""Trusted documents: the GraphQL documents this server knows by their SHA-256, parsed and
validated once at start (the reference app's operations, GraphiQL's ready document, and the
documents an operator registered for mobile apps with `twofold documents add`)."""
