"""What a domain service needs of the request it serves: settings, providers, the caller."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.settings import Settings
from providers.registry import Providers


@dataclass(frozen=True)
class RequestMeta:
    """The caller as the audit trail and the per-address limits see it."""

    ip_address: str
    user_agent: str
    accept_language: str = ""  # the languages the caller's client asks for (domain/locales.py)


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    providers: Providers
    caller: RequestMeta

    def now(self) -> datetime:
        return self.providers.clock.now()

    @property
    def secret_key(self) -> str:
        return self.settings.secret_key
