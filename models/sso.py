"""Single sign-on: each company's identity providers, the email domains that name the
company, the external identities linked to users, and the short-lived sign-in records
(an OpenID Connect request in flight, a native app's one-time code).

Pure storage: domain/sso/ holds the rules. Secrets the server must read back (an OpenID
Connect client secret, a native hand-off's session token) are sealed (models/sealing.py).
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID, uuid4

from tortoise import fields
from tortoise.models import Model

from models.company import Company
from models.user import User


class SsoKind(StrEnum):
    """The protocol an identity provider speaks."""

    SAML = "saml"
    OIDC = "oidc"


class IdentityProvider(Model):
    """One company's identity provider. `config` is the protocol's JSON (SAML: what its
    metadata says; OIDC: nothing needed beyond the columns). `allowed_acr`/`allowed_amr`
    list (space-separated) the values whose word replaces Twofold's second factor for users
    outside payments; empty (the default) means Twofold's MFA always applies."""

    id = fields.UUIDField(primary_key=True, default=uuid4)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "twofold.Company", related_name="identity_providers", on_delete=fields.CASCADE
    )
    company_id: UUID
    kind = fields.CharEnumField(SsoKind, max_length=8)
    name = fields.CharField(max_length=200, description="Shown on the sign-in button.")
    issuer = fields.CharField(max_length=2000)
    client_id = fields.CharField(max_length=500, null=True)
    client_secret_sealed = fields.TextField(null=True)
    config = fields.TextField(default="{}")
    allowed_acr = fields.TextField(default="")
    allowed_amr = fields.TextField(default="")
    native_redirect_uri = fields.CharField(max_length=2000, null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "sso_provider"

    @property
    def acr_allowlist(self) -> tuple[str, ...]:
        return tuple(self.allowed_acr.split())

    @property
    def amr_allowlist(self) -> tuple[str, ...]:
        return tuple(self.allowed_amr.split())


class SsoDomain(Model):
    """An email domain that belongs to one company only. `verified`: the operator who adds a
    domain from the command line vouches for it (there is no DNS proof yet)."""

    id = fields.UUIDField(primary_key=True, default=uuid4)
    domain = fields.CharField(max_length=253, unique=True)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "twofold.Company", related_name="sso_domains", on_delete=fields.CASCADE
    )
    company_id: UUID
    verified = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()

    class Meta:
        table = "sso_domain"


class ExternalIdentity(Model):
    """The provider's stable subject of one user: later sign-ins link by it alone."""

    id = fields.UUIDField(primary_key=True, default=uuid4)
    provider: fields.ForeignKeyRelation[IdentityProvider] = fields.ForeignKeyField(
        "twofold.IdentityProvider", related_name="identities", on_delete=fields.CASCADE
    )
    provider_id: UUID
    subject = fields.CharField(max_length=255)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "twofold.User", related_name="external_identities", on_delete=fields.CASCADE
    )
    user_id: UUID
    created_at = fields.DatetimeField()

    class Meta:
        table = "sso_identity"
        unique_together = (("provider", "subject"),)


class SsoRequest(Model):
    """A sign-in sent to an identity provider and not back yet: found by the hash of its
    `state`, used once."""

    id = fields.UUIDField(primary_key=True, default=uuid4)
    state_sha256 = fields.CharField(max_length=64, unique=True)
    browser_sha256 = fields.CharField(max_length=64)
    provider: fields.ForeignKeyRelation[IdentityProvider] = fields.ForeignKeyField(
        "twofold.IdentityProvider", related_name="requests", on_delete=fields.CASCADE
    )
    provider_id: UUID
    nonce = fields.CharField(max_length=128)
    code_verifier = fields.CharField(max_length=128)
    return_to = fields.CharField(max_length=2000, default="/")
    native = fields.BooleanField(default=False)
    app_challenge = fields.CharField(max_length=128, null=True)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "sso_request"


class SsoHandoff(Model):
    """A native app's one-time code: its keyed hash, and the sign-in's answer sealed."""

    id = fields.UUIDField(primary_key=True, default=uuid4)
    code_hmac = fields.CharField(max_length=64, unique=True)
    answer_sealed = fields.TextField()
    app_challenge = fields.CharField(max_length=128, null=True)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "sso_handoff"
