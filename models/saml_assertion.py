"""SAML assertion ids already consumed, so a captured response cannot sign anyone in twice."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class UsedSamlAssertion(Model):
    """One consumed assertion, keyed by a hash of (provider, assertion ID), kept until it expires.

    The primary key is the replay guard: two processes consuming the same assertion at once
    both insert, and the database lets exactly one of them succeed.
    """

    key = fields.CharField(primary_key=True, max_length=64)
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "saml_used_assertion"
