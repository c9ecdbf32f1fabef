"""logIn's cost in SQL statements: a new-device password sign-in stays a handful of them."""

from __future__ import annotations

import logging

import pytest

from models.enums import PayRole
from tests.support import documents as doc
from tests.support.constants import PASSWORD
from tests.support.graphql import GraphQLClient
from tests.support.users import MakeUser

EMAIL = "counted@example.com"


def statements(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "tortoise.db_client"]


async def test_a_new_device_password_sign_in_runs_few_statements(
    browser: GraphQLClient, make_user: MakeUser, caplog: pytest.LogCaptureFixture
) -> None:
    # given: a user a password alone signs in, on a device never seen
    await make_user(EMAIL, PayRole.NONE)
    caplog.set_level(logging.DEBUG, logger="tortoise.db_client")
    caplog.clear()
    # when
    data = await browser.execute(
        doc.LOG_IN, {"input": {"email": EMAIL, "password": PASSWORD, "client": "BROWSER"}}
    )
    # then
    assert data["logIn"]["__typename"] == "LoggedIn"
    ran = statements(caplog)
    assert len(ran) <= 10, ran  # 16-18 before issue 25 (bench/README.md)
