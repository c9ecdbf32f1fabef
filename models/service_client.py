"""Service credentials: other services (e.g. payments) authenticate with HTTP Basic."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class ServiceClient(Model):
    """One service credential: the secret is kept only as a keyed hash."""

    id = fields.UUIDField(primary_key=True)
    client_id = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=100)
    secret_hmac = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "service_client"
