"""Webhook endpoints the operator registered, and the deliveries waiting for them.

A delivery row has the email outbox's claim columns (models/outbox.py), so the one outbox
machinery in domain/outbox.py claims, retries and fails both kinds of row.
"""

from __future__ import annotations

from uuid import UUID, uuid4

from tortoise import fields
from tortoise.models import Model

from models.outbox import QueuedRow


class WebhookEndpoint(Model):
    """A URL that hears about security events, signed with its own secret (sealed at rest)."""

    id = fields.UUIDField(primary_key=True, default=uuid4)
    url = fields.CharField(max_length=2000)
    events = fields.TextField(description="Comma-separated event types, or empty for every type.")
    secret_sealed = fields.TextField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "webhook_endpoint"

    @property
    def event_types(self) -> tuple[str, ...]:
        return tuple(part for part in self.events.split(",") if part)

    def wants(self, event_type: str) -> bool:
        return not self.events or event_type in self.event_types


class WebhookDelivery(QueuedRow):
    """One event for one endpoint: its body is fixed when queued, and its id is the
    `webhook-id` of every attempt, so a receiver recognises a retry."""

    id = fields.UUIDField(primary_key=True, default=uuid4)
    endpoint: fields.ForeignKeyRelation[WebhookEndpoint] = fields.ForeignKeyField(
        "twofold.WebhookEndpoint", related_name="deliveries", on_delete=fields.CASCADE
    )
    endpoint_id: UUID
    event = fields.CharField(max_length=64)
    body = fields.TextField()

    class Meta:
        table = "webhook_outbox"

    @property
    def webhook_id(self) -> str:
        return f"msg_{self.id.hex}"
