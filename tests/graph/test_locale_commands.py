"""`twofold create-user --locale` and `twofold invite --locale`: the account's language from the
command line, stored as the best supported match; an unsupported one is refused."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette

from domain.settings import Settings
from models.user import User
from tests.support import documents as doc
from tests.support.account_links import token_of, wait_for_link
from tests.support.clients import HttpFactory
from tests.support.graphql import GraphQLClient
from tests.support.languages import command_environment
from tests.support.mailbox import Mailbox
from tests.support.served import run_twofold

PASSWORD = "a long and private sentence"


async def test_create_user_stores_the_supported_language_of_its_locale(
    app: Starlette, settings: Settings, mailbox: Mailbox, tmp_path: Path
) -> None:
    # given
    env = command_environment(settings, mailbox)

    def create(email: str, *locale: str) -> tuple[int, str]:
        done = run_twofold(
            env, tmp_path, "create-user", "--email", email, "--password", PASSWORD,
            "--role", "none", *locale,
        )  # fmt: skip
        return done.returncode, done.stderr

    # when
    mexican = create("ana@example.com", "--locale", "es-MX")
    german = create("hans@example.com", "--locale", "de")
    without = create("sam@example.com")

    # then
    assert mexican[0] == 0, mexican[1]
    assert (await User.get(email="ana@example.com")).locale == "es"
    assert german[0] == 1 and "unsupported locale 'de'" in german[1]
    assert not await User.exists(email="hans@example.com")
    assert without[0] == 0 and (await User.get(email="sam@example.com")).locale is None


async def test_an_invitation_in_spanish_is_written_in_spanish_and_the_account_keeps_it(
    app: Starlette,
    settings: Settings,
    mailbox: Mailbox,
    new_http: HttpFactory,
    tmp_path: Path,
) -> None:
    # given
    env = command_environment(settings, mailbox)
    email = "lucia@example.com"

    # when
    invited = run_twofold(
        env, tmp_path, "invite", "--email", email, "--role", "none", "--company", "Initech",
        "--locale", "es",
    )  # fmt: skip
    link = await wait_for_link(mailbox, email, "/accept-invitation")
    async with new_http() as http:
        accepted = await GraphQLClient(http).execute(
            doc.ACCEPT_INVITATION, {"input": {"token": token_of(link), "password": PASSWORD}}
        )

    # then
    assert invited.returncode == 0, invited.stderr
    (message,) = mailbox.to(email)
    assert message["Subject"] == "Únete a Initech en Twofold"
    body = str(message.get_body(("plain",)).get_content())
    assert body.startswith("Te invitan a unirte a Initech en Twofold.")
    assert accepted["acceptInvitation"]["__typename"] == "LoggedIn"
    assert (await User.get(email=email)).locale == "es"
