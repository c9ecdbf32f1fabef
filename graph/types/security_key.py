"""A security key or passkey as its owner sees it in self-service."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry

from models.security_key import SecurityKey as SecurityKeyModel


@strawberry.type(name="SecurityKey", description="A security key or passkey the user registered.")
class SecurityKeyType:
    id: strawberry.ID = strawberry.field(description="Stable opaque identifier.")
    name: str = strawberry.field(description="The name the user gave it.")
    created_at: datetime = strawberry.field(description="When it was registered.")
    last_used_at: datetime | None = strawberry.field(
        description="When it last signed in or reauthenticated; null if never."
    )
    backup_eligible: bool = strawberry.field(
        description="Whether it is a passkey that may be synced to other devices."
    )
    backed_up: bool = strawberry.field(
        description="Whether it was synced (backed up) when last used."
    )

    @classmethod
    def from_model(cls, key: SecurityKeyModel) -> Self:
        return cls(
            id=strawberry.ID(str(key.id)),
            name=key.name,
            created_at=key.created_at,
            last_used_at=key.last_used_at,
            backup_eligible=key.backup_eligible,
            backed_up=key.backed_up,
        )
