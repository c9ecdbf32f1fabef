"""The keys that sign access tokens. A key's state follows from its timestamps and its
successor's, never from a job that moves it along (domain/signing_keys.py reads them)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class SigningKey(Model):
    """One ES256 key pair, the private half sealed with TWOFOLD_SECRET_KEY."""

    kid = fields.CharField(primary_key=True, max_length=64)
    generation = fields.IntField(unique=True)
    """1 for the first key, one more for each rotation: the unique index lets exactly one of
    several processes that start at once create a generation."""
    private_key_sealed = fields.TextField()
    public_jwk = fields.TextField()
    created_at = fields.DatetimeField()
    signs_from = fields.DatetimeField()
    """When the key starts signing: after it has been published for the key set's cache
    lifetime. It signs until the next generation's `signs_from`."""

    class Meta:
        table = "signing_key"
