"""This server's single sign-on paths (graph/http/sso/ serves them)."""

from __future__ import annotations

from uuid import UUID


def start_path(provider_id: UUID) -> str:
    """Where a browser (or an app's system browser) starts signing in with the provider."""
    return f"/sso/{provider_id}/start"


def oidc_callback_path(provider_id: UUID) -> str:
    """The one redirect URI of an OpenID Connect provider (register it at the provider)."""
    return f"/sso/oidc/{provider_id}/callback"
