"""OAuth endpoints for other services: token introspection (RFC 7662)."""
