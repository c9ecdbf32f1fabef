"""A person who signs in, with their password hash and enrolled second factors."""

from __future__ import annotations

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
    phone_e164 = fields.CharField(max_length=20, null=True)
    phone_verified_at = fields.DatetimeField(null=True)
    recovery_code_hmac = fields.CharField(max_length=64, null=True)
    recovery_code_created_at = fields.DatetimeField(null=True)
    mfa_enrolled_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "user_account"

    @property
    def mfa_methods(self) -> list[MfaMethod]:
        """The second factors this user can pass a sign-in challenge with."""
        return [MfaMethod.SMS] if self.phone_verified_at else []

    @property
    def mfa_enrolled(self) -> bool:
        return bool(self.mfa_methods)

    @property
    def mfa_required(self) -> bool:
        """Every Pay user must hold a second factor before any session is issued."""
        return self.pay_role in (PayRole.PAYOR, PayRole.PAYEE)
