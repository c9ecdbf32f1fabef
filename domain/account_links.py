"""Links emailed to open an account or reset a password: their tokens and where they point.

A token is 256 bits from the randomness provider; the database keeps a keyed hash of it only,
domain-separated by the link's kind, so a reset token never opens an invitation. The token
travels after `#`, which browsers never send to a server: no proxy or access log sees it.
"""

from __future__ import annotations

from domain.runtime import Runtime
from domain.settings import Settings
from models.codes import keyed_hash

MAX_TOKEN_LENGTH = 128
RESET_PATH = "/reset-password"
INVITATION_PATH = "/accept-invitation"


def new_token(kind: str, runtime: Runtime) -> tuple[str, str]:
    """A fresh token and the keyed hash the database keeps of it."""
    token = runtime.providers.randomness.session_token()
    return token, digest(kind, token, runtime)


def digest(kind: str, token: str, runtime: Runtime) -> str:
    return keyed_hash(runtime.secret_key, f"account-link:{kind}", token[:MAX_TOKEN_LENGTH])


def base_url(settings: Settings, own_origin: str = "") -> str:
    """Where links point: PUBLIC_URL; else this server's origin as the request addressed it,
    but only when it is one of ALLOWED_ORIGINS (a forged Host header must never receive a
    victim's token); else the first allowed origin."""
    if settings.public_url:
        return settings.public_url.rstrip("/")
    if own_origin and own_origin in settings.allowed_origins:
        return own_origin
    if settings.allowed_origins:
        return settings.allowed_origins[0].rstrip("/")
    return own_origin


def link(base: str, path: str, token: str) -> str:
    return f"{base}{path}#token={token}"
