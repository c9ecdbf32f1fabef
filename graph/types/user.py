"""The signed-in user as clients see it."""

from __future__ import annotations

from datetime import datetime
from typing import Self
from uuid import UUID

import strawberry

from domain import holds as hold_rules
from graph.context import Context
from graph.text_input import TextInputs
from graph.types.enums import MfaMethodType, PayRoleType, to_method, to_role
from graph.types.hold import HoldType
from graph.types.security_events import SecurityEventConnection, events_connection
from graph.types.security_key import SecurityKeyType
from graph.types.trusted_browser import TrustedBrowserType
from i18n.negotiation import best_locale
from models.security_key import SecurityKey
from models.trusted_browser import TrustedBrowser
from models.user import User as UserModel


@strawberry.type(description="The second factors a user holds.")
class MfaStatus:
    enrolled: bool = strawberry.field(description="Whether the user holds any second factor.")
    methods: list[MfaMethodType] = strawberry.field(
        description="The factors the user holds, the authenticator app first."
    )
    preferred_method: MfaMethodType | None = strawberry.field(
        description="The factor asked for first at sign-in."
    )
    masked_phone_number: str | None = strawberry.field(
        description="The enrolled phone number with only its last 2 digits visible."
    )
    authenticator_app_added_at: datetime | None = strawberry.field(
        description="When the authenticator app was added; null without one."
    )
    recovery_code_created_at: datetime | None = strawberry.field(
        description="When the current recovery code was issued; null without one."
    )


async def _security_keys(root: User) -> list[SecurityKeyType]:
    keys = SecurityKey.filter(user_id=str(root.id), enabled_at__isnull=False)
    return [SecurityKeyType.from_model(key) for key in await keys.order_by("created_at")]


async def _trusted_browsers(root: User) -> list[TrustedBrowserType]:
    browsers = TrustedBrowser.filter(user_id=str(root.id)).order_by("created_at")
    return [TrustedBrowserType.from_model(b) for b in await browsers]


async def _holds(root: User, info: strawberry.Info[Context, None]) -> list[HoldType]:
    running = await hold_rules.active(info.context.runtime, UUID(str(root.id)))
    return [HoldType.from_model(hold) for hold in running]


def _effective_locale(root: User, info: strawberry.Info[Context, None]) -> str:
    return root.locale or best_locale(info.context.runtime.caller.accept_language)


@strawberry.type(description="A person who signs in to Twofold.")
class User:
    id: strawberry.ID = strawberry.field(description="Stable opaque identifier.")
    email: str = strawberry.field(description="The sign-in email address.")
    pay_role: PayRoleType = strawberry.field(description="The user's side in payments.")
    mfa: MfaStatus = strawberry.field(description="The user's second factors.")
    is_company_admin: bool = strawberry.field(
        description="Whether the user may reset the MFA of their company's users (resetUserMfa)."
    )
    security_keys: list[SecurityKeyType] = strawberry.field(
        resolver=_security_keys,
        description="The security keys and passkeys the user holds, oldest first.",
    )
    trusted_browsers: list[TrustedBrowserType] = strawberry.field(
        resolver=_trusted_browsers,
        description="Browsers where signing in skips the second factor (expired ones too).",
    )
    holds: list[HoldType] = strawberry.field(
        resolver=_holds,
        description=(
            "The cooling-off holds running on the account, the one lasting longest first: "
            "until they end, disbursements and bank-account changes are refused."
        ),
    )

    locale: str | None = strawberry.field(
        description=(
            'The language the user chose (setPreferredLanguage), a BCP 47 tag such as "es"; '
            "null when Twofold follows each request's Accept-Language."
        )
    )
    effective_locale: str = strawberry.field(
        resolver=_effective_locale,
        description=(
            "The language Twofold writes to the user in now: `locale`, else the best match of "
            "this request's Accept-Language, else en."
        ),
    )

    @strawberry.field(  # type: ignore[untyped-decorator]
        description="The user's own audit trail, newest first: sign-ins, failures, factor "
        "changes. `first` is capped at 100.",
        extensions=[TextInputs()],
    )
    async def security_events(
        self, first: int | None = 20, after: str | None = None
    ) -> SecurityEventConnection:
        return await events_connection({"subject_id": UUID(str(self.id))}, first, after)

    @classmethod
    def from_model(cls, user: UserModel) -> Self:
        methods = user.mfa_methods
        preferred = user.preferred_of(methods)
        return cls(
            id=strawberry.ID(str(user.id)),
            email=user.email,
            pay_role=to_role(user.pay_role),
            is_company_admin=user.is_company_admin,
            locale=user.locale,
            mfa=MfaStatus(
                enrolled=bool(methods),
                methods=[to_method(m) for m in methods],
                preferred_method=to_method(preferred) if preferred else None,
                masked_phone_number=user.phone_masked if user.phone_verified_at else None,
                authenticator_app_added_at=user.totp_added_at,
                recovery_code_created_at=user.recovery_code_created_at,
            ),
        )
