"""A trusted browser as its owner sees it in self-service."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry

from models.trusted_browser import TrustedBrowser as TrustedBrowserModel


@strawberry.type(
    name="TrustedBrowser",
    description="A browser where signing in skips the second factor until it expires.",
)
class TrustedBrowserType:
    id: strawberry.ID = strawberry.field(description="Stable opaque identifier.")
    user_agent: str = strawberry.field(description="The browser's User-Agent when it was trusted.")
    created_at: datetime = strawberry.field(description="When it was trusted.")
    last_used_at: datetime = strawberry.field(description="When it last skipped the challenge.")
    expires_at: datetime = strawberry.field(description="When the trust ends.")

    @classmethod
    def from_model(cls, browser: TrustedBrowserModel) -> Self:
        return cls(
            id=strawberry.ID(str(browser.id)),
            user_agent=browser.user_agent,
            created_at=browser.created_at,
            last_used_at=browser.last_used_at,
            expires_at=browser.expires_at,
        )
