"""The GraphQL schema: one query field per status, one mutation per enrollment transition."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import ExecutionContext

from graph.context import NotAuthenticated
from graph.text_input import check_text_inputs
from graph.types.accounts import Invitation
from graph.types.admin_request import AdminRequestType
from graph.types.enrollment import MfaEnrollment
from graph.types.security_events import SecurityEventConnection
from graph.types.sso import SignInOptions
from graph.types.transaction_approval import TransactionApproval
from graph.types.user import User
from resolvers.accept_invitation import accept_invitation
from resolvers.add_authenticator_app import add_authenticator_app
from resolvers.add_security_key import add_security_key
from resolvers.approve_hold_release import approve_hold_release
from resolvers.approve_mfa_reset import approve_mfa_reset
from resolvers.approve_transaction import approve_transaction
from resolvers.change_password import change_password
from resolvers.check_password import check_password
from resolvers.choose_mfa_method import choose_mfa_method
from resolvers.company_hold_release_requests import company_hold_release_requests
from resolvers.company_mfa_reset_requests import company_mfa_reset_requests
from resolvers.company_security_events import company_security_events
from resolvers.confirm_phone_number_change import confirm_phone_number_change
from resolvers.confirm_recovery_code_saved import confirm_recovery_code_saved
from resolvers.create_transaction_approval import create_transaction_approval
from resolvers.decline_transaction import decline_transaction
from resolvers.exchange_sso_code import exchange_sso_code
from resolvers.forget_trusted_browsers import forget_trusted_browsers
from resolvers.invite_user import invite_user
from resolvers.issue_access_token import issue_access_token
from resolvers.log_in import log_in
from resolvers.log_in_with_passkey import log_in_with_passkey
from resolvers.log_in_with_recovery_code import log_in_with_recovery_code
from resolvers.log_out import log_out
from resolvers.log_out_everywhere import log_out_everywhere
from resolvers.mfa_enrollment import mfa_enrollment
from resolvers.passkey_sign_in_enabled import passkey_sign_in_enabled
from resolvers.pending_invitations import pending_invitations
from resolvers.reauthenticate import reauthenticate
from resolvers.redeem_transaction_approval import redeem_transaction_approval
from resolvers.regenerate_recovery_code import regenerate_recovery_code
from resolvers.register_security_key import register_security_key
from resolvers.remove_mfa_method import remove_mfa_method
from resolvers.remove_security_key import remove_security_key
from resolvers.rename_security_key import rename_security_key
from resolvers.request_hold_release import request_hold_release
from resolvers.request_password_reset import request_password_reset
from resolvers.resend_invitation import resend_invitation
from resolvers.resend_sms_code import resend_sms_code
from resolvers.reset_password import reset_password
from resolvers.reset_user_mfa import reset_user_mfa
from resolvers.revoke_invitation import revoke_invitation
from resolvers.send_login_code import send_login_code
from resolvers.send_reauthentication_code import send_reauthentication_code
from resolvers.send_sms_code import send_sms_code
from resolvers.send_transaction_code import send_transaction_code
from resolvers.set_preferred_language import set_preferred_language
from resolvers.set_preferred_mfa_method import set_preferred_mfa_method
from resolvers.sign_in_options import sign_in_options
from resolvers.start_mfa_setup import start_mfa_setup
from resolvers.start_passkey_sign_in import start_passkey_sign_in
from resolvers.start_phone_number_change import start_phone_number_change
from resolvers.start_security_key_challenge import start_security_key_challenge
from resolvers.start_transaction_key_challenge import start_transaction_key_challenge
from resolvers.transaction_approval import transaction_approval
from resolvers.verify_authenticator_code import verify_authenticator_code
from resolvers.verify_login_code import verify_login_code
from resolvers.verify_sms_code import verify_sms_code
from resolvers.viewer import viewer


@check_text_inputs
@strawberry.type(description="Read where the current user stands.")
class Query:
    viewer: User | None = strawberry.field(
        resolver=viewer, description="The signed-in user; null without a full session."
    )
    company_security_events: SecurityEventConnection | None = strawberry.field(
        resolver=company_security_events,
        description="The audit trail of every user of the signed-in company administrator's "
        "company, newest first, optionally of one `kind`; null for anyone else.",
    )
    company_mfa_reset_requests: list[AdminRequestType] | None = strawberry.field(
        resolver=company_mfa_reset_requests,
        description="Company admin: the MFA reset requests of the company waiting for a second "
        "admin (approveMfaReset), oldest first; null for anyone else.",
    )
    company_hold_release_requests: list[AdminRequestType] | None = strawberry.field(
        resolver=company_hold_release_requests,
        description="Company admin: the requests to end a user's cooling-off holds early "
        "waiting for a second admin (approveHoldRelease), oldest first; null for anyone else.",
    )
    mfa_enrollment: MfaEnrollment | None = strawberry.field(
        resolver=mfa_enrollment,
        description="Enrollment status of the current pending or full session; null without one.",
    )
    passkey_sign_in_enabled: bool = strawberry.field(
        resolver=passkey_sign_in_enabled,
        description="Whether this server offers passkey sign-in (startPasskeySignIn, "
        "logInWithPasskey; the PASSKEY_SIGN_IN setting): show 'Sign in with a passkey' only then.",
    )
    pending_invitations: list[Invitation] | None = strawberry.field(
        resolver=pending_invitations,
        description="The signed-in company admin's invitations not yet accepted, revoked or "
        "expired, newest first; null for anyone else.",
    )
    transaction_approval: TransactionApproval | None = strawberry.field(
        resolver=transaction_approval,
        description="Signed in: one of the user's own transaction approvals, showing what is "
        "approved; null for any other id (another user's reveals nothing).",
    )
    sign_in_options: SignInOptions = strawberry.field(
        resolver=sign_in_options,
        description="Identifier-first sign-in: whether to show the password field or "
        "'Continue with SSO' for this email (the answer depends only on its domain).",
    )


@check_text_inputs
@strawberry.type(description="Each mutation is one screen transition of sign-in or enrollment.")
class Mutation:
    log_in = strawberry.mutation(
        resolver=log_in, description="Sign in with email and password ('Continue')."
    )
    exchange_sso_code = strawberry.mutation(
        resolver=exchange_sso_code,
        description="NATIVE clients after single sign-on in the system browser: trade the "
        "redirect's one-time code for the pending token of the MFA screens (or the session).",
    )
    start_mfa_setup = strawberry.mutation(
        resolver=start_mfa_setup,
        description="'Set Up Now' on 'Two-Factor Authentication Required': list the methods.",
    )
    choose_mfa_method = strawberry.mutation(
        resolver=choose_mfa_method,
        description="'Select an Authentication Method' -> Continue.",
    )
    send_sms_code = strawberry.mutation(
        resolver=send_sms_code,
        description="'Set Up SMS Verification' -> Send Text Message.",
    )
    resend_sms_code = strawberry.mutation(
        resolver=resend_sms_code,
        description="'Resend New Code': a new code to the same number; the old one stops working.",
    )
    verify_sms_code = strawberry.mutation(
        resolver=verify_sms_code,
        description="'Enter the 6-Digit Verification Code' -> Continue: shows the recovery code.",
    )
    verify_authenticator_code = strawberry.mutation(
        resolver=verify_authenticator_code,
        description="After scanning the QR code: check an app code; shows the recovery code.",
    )
    confirm_recovery_code_saved = strawberry.mutation(
        resolver=confirm_recovery_code_saved,
        description="'I Have Securely Saved This Code' -> Continue: enrollment ends, signed in.",
    )
    send_login_code = strawberry.mutation(
        resolver=send_login_code,
        description="Sign-in challenge: text a code to the enrolled phone (again, after cooldown).",
    )
    verify_login_code = strawberry.mutation(
        resolver=verify_login_code,
        description="Sign-in challenge: check the texted code; success signs the user in.",
    )
    log_in_with_recovery_code = strawberry.mutation(
        resolver=log_in_with_recovery_code,
        description=(
            "Sign-in challenge without the phone: spend the recovery code; a new one is shown "
            "and must be confirmed saved before the session is issued."
        ),
    )
    send_reauthentication_code = strawberry.mutation(
        resolver=send_reauthentication_code,
        description="Signed in: text a step-up code to the enrolled phone before a change.",
    )
    reauthenticate = strawberry.mutation(
        resolver=reauthenticate,
        description=(
            "Signed in: prove a second factor again; factor changes are allowed for "
            "REAUTHENTICATION_MINUTES afterwards."
        ),
    )
    issue_access_token = strawberry.mutation(
        resolver=issue_access_token,
        description=(
            "Signed in (browser or native): an access token for another service, stating who "
            "signed in, when and with which factors (docs/services.md)."
        ),
    )
    add_authenticator_app = strawberry.mutation(
        resolver=add_authenticator_app,
        description="Signed in: start adding an app; then call verifyAuthenticatorCode.",
    )
    start_phone_number_change = strawberry.mutation(
        resolver=start_phone_number_change,
        description="Signed in: text a code to a new phone number (added, or replacing the old).",
    )
    confirm_phone_number_change = strawberry.mutation(
        resolver=confirm_phone_number_change,
        description="Signed in: the code from the new number makes it the SMS factor.",
    )
    remove_mfa_method = strawberry.mutation(
        resolver=remove_mfa_method,
        description="Signed in: remove a factor (never the last usable one of a payments user).",
    )
    set_preferred_mfa_method = strawberry.mutation(
        resolver=set_preferred_mfa_method,
        description="Signed in: choose the factor sign-in asks for first.",
    )
    set_preferred_language = strawberry.mutation(
        resolver=set_preferred_language,
        description=(
            "Signed in: the language of the user's texts, emails and error messages "
            "(en, es, fr); null follows the browser's Accept-Language."
        ),
    )
    regenerate_recovery_code = strawberry.mutation(
        resolver=regenerate_recovery_code,
        description=(
            "A new recovery code, the old one dies at once; then call confirmRecoveryCodeSaved. "
            "Signed in it needs a recent second factor; during a sign-in or enrollment it "
            "replaces, at 'Save Your Recovery Code', a code that was shown and lost."
        ),
    )
    reset_user_mfa = strawberry.mutation(
        resolver=reset_user_mfa,
        description=(
            "Company admin: reset a user's MFA (factors and recovery code, also a lock) after "
            "verifying their request; they enroll again at their next sign-in."
        ),
    )
    approve_mfa_reset = strawberry.mutation(
        resolver=approve_mfa_reset,
        description=(
            "Company admin, after proving their own second factor: approve another admin's "
            "MFA reset request; the reset happens then and starts a 72-hour cooling-off hold. "
            "The requester and the user it is about cannot approve."
        ),
    )
    request_hold_release = strawberry.mutation(
        resolver=request_hold_release,
        description=(
            "Company admin: ask to end a user's cooling-off holds early; a second admin of the "
            "company approves (approveHoldRelease)."
        ),
    )
    approve_hold_release = strawberry.mutation(
        resolver=approve_hold_release,
        description=(
            "Company admin, after proving their own second factor: approve another admin's "
            "request to end a user's cooling-off holds; they end at once."
        ),
    )
    log_out_everywhere = strawberry.mutation(
        resolver=log_out_everywhere,
        description="Signed in: end every other session of this user (other devices).",
    )
    log_out = strawberry.mutation(
        resolver=log_out, description="End the current session on the server."
    )
    register_security_key = strawberry.mutation(
        resolver=register_security_key,
        description=(
            "After chooseMfaMethod(SECURITY_KEY) (or, signed in, addSecurityKey): keep the new "
            "credential. In enrollment it shows the recovery code."
        ),
    )
    add_security_key = strawberry.mutation(
        resolver=add_security_key,
        description=(
            "Signed in, after reauthenticating: start registering another security key or "
            "passkey; then call registerSecurityKey."
        ),
    )
    rename_security_key = strawberry.mutation(
        resolver=rename_security_key, description="Signed in: give a security key a new name."
    )
    remove_security_key = strawberry.mutation(
        resolver=remove_security_key,
        description=(
            "Signed in, after reauthenticating: remove one security key (never the last usable "
            "factor of a payments user)."
        ),
    )
    forget_trusted_browsers = strawberry.mutation(
        resolver=forget_trusted_browsers,
        description="Signed in: stop trusting one browser, or all of them (no input id).",
    )
    start_passkey_sign_in = strawberry.mutation(
        resolver=start_passkey_sign_in,
        description="Passkey sign-in (when PASSKEY_SIGN_IN is on): a challenge for any passkey.",
    )
    log_in_with_passkey = strawberry.mutation(
        resolver=log_in_with_passkey,
        description=(
            "Sign in with a passkey and no password: a discoverable credential verified with "
            "the user's PIN or biometric proves both factors."
        ),
    )
    start_security_key_challenge = strawberry.mutation(
        resolver=start_security_key_challenge,
        description=(
            "A WebAuthn challenge for the security key: at the sign-in challenge (pending "
            "session) or, signed in, before reauthenticate."
        ),
    )
    invite_user = strawberry.mutation(
        resolver=invite_user,
        description=(
            "Company admin, after reauthenticating: email an invitation (a link valid 7 days) "
            "to open an account in the admin's company with a role."
        ),
    )
    resend_invitation = strawberry.mutation(
        resolver=resend_invitation,
        description="Company admin: send a pending invitation again with a new link.",
    )
    revoke_invitation = strawberry.mutation(
        resolver=revoke_invitation,
        description="Company admin: a pending invitation's link stops working.",
    )
    accept_invitation = strawberry.mutation(
        resolver=accept_invitation,
        description=(
            "'Accept your invitation': choose a password. Payments users go on to MFA "
            "enrollment (MfaSetupRequired); others are signed in."
        ),
    )
    request_password_reset = strawberry.mutation(
        resolver=request_password_reset,
        description="'Forgot password?': email a reset link (30 minutes); one answer for all.",
    )
    reset_password = strawberry.mutation(
        resolver=reset_password,
        description=(
            "'Set a new password': users with a second factor pass the sign-in challenge "
            "first (MfaChallengeRequired); the password changes only then."
        ),
    )
    change_password = strawberry.mutation(
        resolver=change_password,
        description=(
            "Signed in, after reauthenticating: change the password with the current one; "
            "every other session ends."
        ),
    )
    check_password = strawberry.mutation(
        resolver=check_password,
        description="The password rules for this account, and whether a password meets them.",
    )
    create_transaction_approval = strawberry.mutation(
        resolver=create_transaction_approval,
        description=(
            "Service credential only (HTTP Basic): ask a user to approve one transaction, bound "
            "to exactly what is shown (docs/services.md)."
        ),
    )
    send_transaction_code = strawberry.mutation(
        resolver=send_transaction_code,
        description="Signed in: text a code for one approval, naming its amount and payee.",
    )
    start_transaction_key_challenge = strawberry.mutation(
        resolver=start_transaction_key_challenge,
        description=(
            "Signed in: a security key challenge carrying the approval's payload hash; sign it "
            "and pass the credential to approveTransaction."
        ),
    )
    approve_transaction = strawberry.mutation(
        resolver=approve_transaction,
        description=(
            "Signed in: approve one transaction with its texted code, an app code or a key "
            "signature (never a recovery code, never an earlier step-up)."
        ),
    )
    decline_transaction = strawberry.mutation(
        resolver=decline_transaction, description="Signed in: decline one transaction."
    )
    redeem_transaction_approval = strawberry.mutation(
        resolver=redeem_transaction_approval,
        description=(
            "Service credential only: spend an approved approval, exactly once, with the hash of "
            "what was approved."
        ),
    )


class TwofoldSchema(strawberry.Schema):
    """Logs unexpected errors for operators; an expired session is routine, not an error."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Document and variable errors are the client's, and they quote what the client sent
        # (a password, a code): only errors raised by Twofold's own code reach the log.
        unexpected = [
            e
            for e in errors
            if e.original_error is not None
            and not isinstance(e.original_error, GraphQLError | NotAuthenticated)
        ]
        super().process_errors(unexpected, execution_context)


class QuietExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Execution that never answers "Did you mean ...?" (for production: it reveals the schema)."""

    @classmethod
    def build(cls, *args: Any, **kwargs: Any) -> Any:
        kwargs["hide_suggestions"] = True
        return super().build(*args, **kwargs)


def build_schema(
    extensions: Sequence[Callable[[], SchemaExtension]] = (), *, suggestions: bool = True
) -> strawberry.Schema:
    return TwofoldSchema(
        query=Query,
        mutation=Mutation,
        extensions=list(extensions),
        execution_context_class=None if suggestions else QuietExecutionContext,
    )


schema = build_schema()
