"""A person who signs in, with their password hash and enrolled second factors."""

from __future__ import annotations

from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from models.company import Company
from models.enums import MfaMethod, PayRole


class User(Model):
    """A user account. The enrolled phone and recovery code are set only when enrollment ends."""

    id = fields.UUIDField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    password_hash = fields.CharField(max_length=255)
    pay_role = fields.CharEnumField(PayRole, max_length=16, default=PayRole.NONE)
    is_company_admin = fields.BooleanField(default=False)
    company: fields.ForeignKeyNullableRelation[Company] = fields.ForeignKeyField(
        "twofold.Company", related_name="users", null=True, on_delete=fields.SET_NULL
    )
    company_id: UUID | None
    # The number sealed under the server key, and the masked form that may leave the server.
    phone_sealed = fields.TextField(null=True)
    phone_masked = fields.CharField(max_length=20, null=True)
    phone_verified_at = fields.DatetimeField(null=True)
    # The keyed hash of the verified number, to find the same number on other companies' users.
    phone_digest = fields.CharField(max_length=64, null=True, db_index=True)
    totp_secret_sealed = fields.TextField(null=True)
    totp_added_at = fields.DatetimeField(null=True)
    totp_last_step = fields.BigIntField(null=True)
    security_key_added_at = fields.DatetimeField(
        null=True, description="Set while the user holds at least one enabled security key."
    )
    preferred_method = fields.CharEnumField(MfaMethod, max_length=32, null=True)
    recovery_code_hmac = fields.CharField(max_length=64, null=True)
    recovery_code_created_at = fields.DatetimeField(null=True)
    mfa_enrolled_at = fields.DatetimeField(null=True)
    second_factor_failures = fields.IntField(default=0, db_default=0)
    second_factor_locked_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    # A supported BCP 47 language (en, es, fr), or null to follow the browser of each request.
    locale = fields.CharField(max_length=16, null=True)

    class Meta:
        table = "user_account"

    @property
    def mfa_methods(self) -> list[MfaMethod]:
        """The second factors this user holds, the authenticator app first."""
        held = []
        if self.totp_added_at and self.totp_secret_sealed:
            held.append(MfaMethod.AUTHENTICATOR_APP)
        if self.phone_verified_at and self.phone_sealed:
            held.append(MfaMethod.SMS)
        if self.security_key_added_at:
            held.append(MfaMethod.SECURITY_KEY)
        return held

    @property
    def mfa_enrolled(self) -> bool:
        return bool(self.mfa_methods)

    def preferred_of(self, usable: list[MfaMethod]) -> MfaMethod | None:
        """The user's chosen factor when usable, else the first usable one."""
        if self.preferred_method in usable:
            return self.preferred_method
        return usable[0] if usable else None

    @property
    def mfa_required(self) -> bool:
        """Every Pay user must hold a second factor before any session is issued."""
        return self.pay_role in (PayRole.PAYOR, PayRole.PAYEE)
