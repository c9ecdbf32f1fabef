"""Single sign-on on the GraphQL surface: what the sign-in screen offers for an email, and
the native app's code exchange."""

from __future__ import annotations

import strawberry


@strawberry.type(description="A company's identity provider, as the sign-in screen offers it.")
class SsoOption:
    start_url: str = strawberry.field(
        description="This server's path that starts the sign-in (navigate the browser there; "
        "native apps open it in the system browser with `client=native&code_challenge=...`)."
    )
    provider_name: str = strawberry.field(description="The name to show on the button.")


@strawberry.type(
    description="How an email signs in. It depends only on the email's domain, never on "
    "whether an account exists."
)
class SignInOptions:
    password: bool = strawberry.field(
        description="Whether to show the password field (false: the company signs in by SSO only)."
    )
    sso: SsoOption | None = strawberry.field(
        description="The company's identity provider when the domain is one of its SSO domains."
    )


@strawberry.input(description="The one-time code a native app's redirect received.")
class ExchangeSsoCodeInput:
    code: str = strawberry.field(description="The `code` query parameter of the redirect.")
    code_verifier: str | None = strawberry.field(
        default=None,
        description="The verifier whose S256 challenge the app sent to the start URL (required "
        "when it sent one).",
    )
