"""A company: the customer account users belong to."""

from tortoise import fields
from tortoise.models import Model


class Company(Model):
    """A customer organisation whose admins reset the MFA of its users."""

    id = fields.UUIDField(primary_key=True)
    name = fields.CharField(max_length=200, unique=True)
    require_authenticator_app = fields.BooleanField(
        default=False,
        db_default=False,
        description="All users of the company must use an authenticator app.",
    )
    require_security_key_for_payors = fields.BooleanField(
        default=False,
        db_default=False,
        description="Payors must use a security key or passkey (a phishing-resistant factor).",
    )
    allow_trusted_browsers = fields.BooleanField(
        default=False,
        db_default=False,
        description="Users may skip the sign-in challenge on a browser they chose to trust.",
    )
    allow_password_with_sso = fields.BooleanField(
        default=False,
        db_default=False,
        description="Users of the company's SSO domains may also sign in with a password.",
    )
    sso_auto_provisioning = fields.BooleanField(
        default=False,
        db_default=False,
        description="An SSO sign-in of an unknown address of a verified domain creates a user.",
    )
    require_two_admins_for_mfa_reset = fields.BooleanField(
        default=False,
        db_default=False,
        description="An admin's MFA reset waits for a second admin of the company to approve it.",
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "company"
