"""What became of each text: MessageBird's delivery reports, and the report tokens already
used (so a captured report cannot be played again)."""

from __future__ import annotations

from uuid import uuid4

from tortoise import fields
from tortoise.models import Model

SENT = "sent"
"""The provider took the text; no report yet."""

DELIVERY_STATUSES = frozenset(
    {"scheduled", "sent", "buffered", "delivered", "expired", "delivery_failed"}
)
"""The statuses MessageBird reports for a text."""

NOT_DELIVERED = frozenset({"expired", "delivery_failed"})
"""The statuses that say the text will not arrive."""

FINAL_STATUSES = NOT_DELIVERED | {"delivered"}
"""The statuses after which a text changes no more."""


class SmsDelivery(Model):
    """One text a flow sent. Its id is the `reference` the text carries (an opaque id, never
    the phone number); the flow's newest one is its current code's."""

    id = fields.UUIDField(primary_key=True, default=uuid4)
    flow_id = fields.UUIDField(db_index=True)
    country = fields.CharField(max_length=8)
    provider = fields.CharField(max_length=16, null=True)
    """The provider that took the text (messagebird, twilio), null until one did."""
    status = fields.CharField(max_length=32, default=SENT)
    status_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "sms_delivery"


class ReportToken(Model):
    """The `jti` of a signed delivery report already accepted, kept until the token expires."""

    jti = fields.CharField(primary_key=True, max_length=128)
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "sms_report_token"
