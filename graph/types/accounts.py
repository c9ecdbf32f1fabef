"""Accounts from invitation to recovery: inputs, payloads and result unions of inviting,
accepting an invitation, resetting and changing a password, and checking a new one."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self
from uuid import UUID

import strawberry

from domain.password_rules import Reason, Rules
from graph.types.enums import ClientKind, PayRoleType, to_role
from graph.types.errors import (
    AccountExistsError,
    AccountLockedError,
    InvalidCredentialsError,
    InvalidEmailError,
    InvitationNotFoundError,
    LinkInvalidError,
    NotCompanyAdminError,
    RateLimitedError,
    ReauthenticationRequiredError,
    SsoRequiredError,
    UnsupportedLocaleError,
    WeakPasswordError,
    WeakPasswordReason,
)
from graph.types.payloads import LoggedIn, MfaChallengeRequired, MfaSetupRequired
from graph.types.user import User
from models.invitation import Invitation as InvitationModel

_TOKEN = "The token from the emailed link (after `#token=`)."


def invitation_id(raw: str) -> UUID | None:
    """The id a client sent, or None when it cannot be one."""
    try:
        return UUID(raw)
    except ValueError:
        return None


def weak_password(reason: Reason, rules: Rules) -> WeakPasswordError:
    return WeakPasswordError(
        reason=WeakPasswordReason[reason.name],
        min_length=rules.min_length,
        max_length=rules.max_length,
    )


@strawberry.type(description="An invitation not yet accepted, revoked or expired.")
class Invitation:
    id: strawberry.ID = strawberry.field(description="Stable identifier.")
    email: str = strawberry.field(description="The address invited.")
    role: PayRoleType = strawberry.field(description="The payments role the account gets.")
    admin: bool = strawberry.field(description="Whether the account becomes a company admin.")
    sent_at: datetime = strawberry.field(description="When the latest link was sent.")
    expires_at: datetime = strawberry.field(description="When the latest link stops working.")
    locale: str | None = strawberry.field(
        description="The invitee's language (BCP 47), or null: the email was in English."
    )

    @classmethod
    def from_model(cls, row: InvitationModel) -> Self:
        return cls(
            id=strawberry.ID(str(row.id)),
            email=row.email,
            role=to_role(row.pay_role),
            admin=row.is_company_admin,
            sent_at=row.sent_at,
            expires_at=row.expires_at,
            locale=row.locale,
        )


@strawberry.input(description="Whom to invite to the admin's company, and as what.")
class InviteUserInput:
    email: str = strawberry.field(description="The invitee's email address.")
    role: PayRoleType = strawberry.field(description="The payments role of the new account.")
    admin: bool = strawberry.field(default=False, description="Make them a company admin.")
    locale: str | None = strawberry.field(
        default=None,
        description=(
            'The invitee\'s language, a BCP 47 tag ("es", "fr-CA"...): the email is written in '
            "it and the new account keeps it. Null: English, and the account follows its browser."
        ),
    )


@strawberry.input(description="One pending invitation of the admin's company.")
class InvitationIdInput:
    id: strawberry.ID = strawberry.field(description="The invitation's id.")


@strawberry.input(description="'Accept your invitation': the link's token and a new password.")
class AcceptInvitationInput:
    token: str = strawberry.field(description=_TOKEN)
    password: str = strawberry.field(description="The password to sign in with from now on.")
    client: ClientKind = strawberry.field(
        default=ClientKind.BROWSER, description="How tokens should travel; BROWSER by default."
    )


@strawberry.input(description="'Forgot password?': the account's email address.")
class RequestPasswordResetInput:
    email: str = strawberry.field(description="The sign-in email address.")


@strawberry.input(description="'Set a new password': the link's token and the new password.")
class ResetPasswordInput:
    token: str = strawberry.field(description=_TOKEN)
    new_password: str = strawberry.field(description="The new password.")
    client: ClientKind = strawberry.field(
        default=ClientKind.BROWSER, description="How tokens should travel; BROWSER by default."
    )


@strawberry.input(description="Signed in: the current password and the new one.")
class ChangePasswordInput:
    current_password: str = strawberry.field(description="The password in use now.")
    new_password: str = strawberry.field(description="The new password.")


@strawberry.input(description="A password being typed, and whose it would be.")
class CheckPasswordInput:
    password: str = strawberry.field(description="The password typed so far.")
    token: str | None = strawberry.field(
        default=None, description="On 'Set a new password' or 'Accept your invitation': " + _TOKEN
    )
    email: str | None = strawberry.field(
        default=None, description="The account's email, when neither signed in nor with a token."
    )


@strawberry.type(description="An invitation email is on its way.")
class InvitationSent:
    invitation: Invitation = strawberry.field(description="The pending invitation.")


@strawberry.type(description="The invitation's link no longer works.")
class InvitationRevoked:
    id: strawberry.ID = strawberry.field(description="The revoked invitation's id.")


@strawberry.type(
    description="If the address has an account, a link to reset its password is on its way. "
    "The same answer for every address."
)
class PasswordResetRequested:
    expires_in_minutes: int = strawberry.field(description="How long the emailed link works.")


@strawberry.type(description="The password was changed; every other session has ended.")
class PasswordChanged:
    user: User = strawberry.field(description="The signed-in user.")


@strawberry.type(
    description="The password rules for this account, and whether a password meets them."
)
class PasswordCheck:
    acceptable: bool = strawberry.field(description="Whether the password meets every rule.")
    reason: WeakPasswordReason | None = strawberry.field(
        description="The first rule it breaks; null when acceptable."
    )
    min_length: int = strawberry.field(description="The shortest password allowed here.")
    max_length: int = strawberry.field(description="The longest password allowed.")


InviteUserResult = Annotated[
    InvitationSent
    | AccountExistsError
    | InvalidEmailError
    | NotCompanyAdminError
    | ReauthenticationRequiredError
    | UnsupportedLocaleError,
    strawberry.union("InviteUserResult", description="Outcome of inviteUser."),
]
ResendInvitationResult = Annotated[
    InvitationSent | InvitationNotFoundError | NotCompanyAdminError | ReauthenticationRequiredError,
    strawberry.union("ResendInvitationResult", description="Outcome of resendInvitation."),
]
RevokeInvitationResult = Annotated[
    InvitationRevoked | InvitationNotFoundError | NotCompanyAdminError,
    strawberry.union("RevokeInvitationResult", description="Outcome of revokeInvitation."),
]
AcceptInvitationResult = Annotated[
    MfaSetupRequired | LoggedIn | LinkInvalidError | WeakPasswordError,
    strawberry.union("AcceptInvitationResult", description="Outcome of acceptInvitation."),
]
RequestPasswordResetResult = Annotated[
    PasswordResetRequested | RateLimitedError | SsoRequiredError,
    strawberry.union("RequestPasswordResetResult", description="Outcome of requestPasswordReset."),
]
ResetPasswordResult = Annotated[
    MfaChallengeRequired
    | MfaSetupRequired
    | LoggedIn
    | LinkInvalidError
    | WeakPasswordError
    | AccountLockedError
    | SsoRequiredError,
    strawberry.union("ResetPasswordResult", description="Outcome of resetPassword."),
]
ChangePasswordResult = Annotated[
    PasswordChanged
    | InvalidCredentialsError
    | WeakPasswordError
    | ReauthenticationRequiredError
    | RateLimitedError,
    strawberry.union("ChangePasswordResult", description="Outcome of changePassword."),
]
CheckPasswordResult = Annotated[
    PasswordCheck,
    strawberry.union("CheckPasswordResult", description="Outcome of checkPassword."),
]
