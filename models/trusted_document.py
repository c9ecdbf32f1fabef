"""GraphQL documents an operator registered for mobile apps, trusted by their SHA-256."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class TrustedDocument(Model):
    """One registered document, keyed by sha256 and the hex digest of its exact text.

    Every process reads this table at start and again when a request names an id it does
    not know, so a document added by the command line is seen by all of them.
    """

    id = fields.CharField(primary_key=True, max_length=71)
    text = fields.TextField()
    name = fields.CharField(max_length=128, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "trusted_document"
