"""signInOptions: the identifier-first sign-in screen asks what to show for an email."""

from __future__ import annotations

import strawberry

from domain.sso.domains import sso_for_email
from domain.sso.paths import start_path
from graph.context import Context
from graph.types.sso import SignInOptions, SsoOption


async def sign_in_options(info: strawberry.Info[Context, None], email: str) -> SignInOptions:
    choice = await sso_for_email(email)
    if choice is None:
        return SignInOptions(password=True, sso=None)
    option = SsoOption(start_url=start_path(choice.provider.id), provider_name=choice.provider.name)
    return SignInOptions(password=choice.password_allowed, sso=option)
