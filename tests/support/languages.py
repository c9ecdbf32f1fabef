"""GraphQL documents and clients of the language tests."""

from __future__ import annotations

import httpx

from domain.settings import Settings
from models.company import Company
from models.enums import PayRole
from models.user import User
from providers.clock import ManualClock
from tests.support.clients import HttpFactory
from tests.support.flows import enroll_with_app
from tests.support.graphql import ORIGIN, GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.users import MakeUser

SET_PREFERRED_LANGUAGE = """
mutation Language($input: SetPreferredLanguageInput!) { setPreferredLanguage(input: $input) {
  __typename
  ... on PreferredLanguageSet { user { email locale effectiveLocale } }
  ... on UnsupportedLocaleError { code message supportedLocales }
} }
"""

VIEWER_LOCALE = "{ viewer { email locale effectiveLocale } }"


def speaking(new_http: HttpFactory, accept_language: str) -> httpx.AsyncClient:
    """A new client whose every request sends `Accept-Language: accept_language`."""
    http = new_http()
    http.headers["Accept-Language"] = accept_language
    return http


def command_environment(settings: Settings, mailbox: Mailbox) -> dict[str, str]:
    """What `twofold` commands need to reach the test database and SMTP server."""
    return {
        "DATABASE_URL": settings.database_url,
        "TWOFOLD_SECRET_KEY": settings.secret_key,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(mailbox.port),
        "SMTP_STARTTLS": "false",
        "ALLOWED_ORIGINS": ORIGIN,
        "PATH": "/usr/bin:/bin",
    }


async def signed_in_admin(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock, email: str
) -> GraphQLClient:
    """An admin of company Acme, a payor who just proved the app (within the step-up window)."""
    owner = await Company.create(name="Acme")
    await make_user(email, PayRole.PAYOR)
    await User.filter(email=email).update(is_company_admin=True, company_id=owner.id)
    admin = GraphQLClient(new_http())
    await enroll_with_app(admin, email, clock)
    return admin
