"""`twofold invite` and `twofold create-user` as an operator runs them: the invitation's email
carries a link that opens an admin account, and create-user applies the password rules."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette

from domain.settings import Settings
from models.enums import PayRole
from models.user import User
from tests.support import documents as doc
from tests.support.account_links import token_of, wait_for_link
from tests.support.clients import HttpFactory
from tests.support.graphql import ORIGIN, GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.served import run_twofold

ADMIN = "first.admin@example.com"


def environment(settings: Settings, mailbox: Mailbox) -> dict[str, str]:
    return {
        "DATABASE_URL": settings.database_url,
        "TWOFOLD_SECRET_KEY": settings.secret_key,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(mailbox.port),
        "SMTP_STARTTLS": "false",
        "ALLOWED_ORIGINS": ORIGIN,
        "PATH": "/usr/bin:/bin",
    }


async def test_the_operator_invites_a_first_admin(
    app: Starlette, settings: Settings, mailbox: Mailbox, new_http: HttpFactory, tmp_path: Path
) -> None:
    # given
    env = environment(settings, mailbox)

    # when
    invited = run_twofold(
        env, tmp_path, "invite", "--email", ADMIN, "--role", "payor", "--company", "Initech",
        "--admin",
    )  # fmt: skip
    again = run_twofold(
        env, tmp_path, "invite", "--email", "not an address", "--role", "none", "--company", "X"
    )

    # then: the link opens an admin account of the company, which enrolls MFA first
    assert invited.returncode == 0, invited.stderr
    assert again.returncode == 1 and "email" in again.stderr
    token = token_of(await wait_for_link(mailbox, ADMIN, "/accept-invitation"))
    variables = {"input": {"token": token, "password": "a long and private sentence"}}
    async with new_http() as http:
        accepted = await GraphQLClient(http).execute(doc.ACCEPT_INVITATION, variables)
    assert accepted["acceptInvitation"]["__typename"] == "MfaSetupRequired"
    user = await User.get(email=ADMIN).select_related("company")
    assert user.is_company_admin and user.pay_role is PayRole.PAYOR
    assert user.company.name == "Initech"


async def test_create_user_applies_the_password_rules(
    app: Starlette, settings: Settings, mailbox: Mailbox, tmp_path: Path
) -> None:
    # given
    env = environment(settings, mailbox)

    def create(email: str, password: str, role: str) -> tuple[int, str]:
        done = run_twofold(
            env, tmp_path, "create-user", "--email", email, "--password", password, "--role", role
        )
        return done.returncode, done.stderr

    # when
    common = create("a@example.com", "iloveyou", "payee")
    short = create("b@example.com", "twelve chars", "none")
    named = create("carol@example.com", "Carol-rules-the-world", "payee")
    fine = create("d@example.com", "twelve chars", "payee")

    # then: each refusal names its rule; 8 characters suffice for a payments user
    assert common[0] == 1 and "COMMON" in common[1]
    assert short[0] == 1 and "TOO_SHORT" in short[1] and "15" in short[1]
    assert named[0] == 1 and "CONTAINS_EMAIL" in named[1]
    assert fine[0] == 0, fine[1]
    assert await User.exists(email="d@example.com")
    assert not await User.exists(email="a@example.com")
