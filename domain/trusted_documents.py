"""The documents operators registered for mobile apps (`twofold documents add`), by their id."""

from __future__ import annotations

from models.trusted_document import TrustedDocument


async def registered() -> list[TrustedDocument]:
    return await TrustedDocument.all().order_by("created_at")


async def find(document_id: str) -> TrustedDocument | None:
    return await TrustedDocument.get_or_none(id=document_id)


async def register(document_id: str, text: str, name: str) -> bool:
    """Keep a document; False when one with this id is already kept (the same text)."""
    _, created = await TrustedDocument.get_or_create(
        id=document_id, defaults={"text": text, "name": name}
    )
    return created


async def remove(document_id: str) -> bool:
    return await TrustedDocument.filter(id=document_id).delete() > 0
