"""Phone numbers at rest: a copy of the database holds no phone number in clear, neither an
enrolled one nor one typed for a change and never confirmed. Numbers are sealed under the
server key, shown masked, and counted by sending limits under a keyed hash."""

from __future__ import annotations

from tortoise import Tortoise

from tests.support import documents as doc
from tests.support.constants import PHONE
from tests.support.flows import enroll_with_sms, log_in
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "at.rest@example.com"
UNCONFIRMED_PHONE = "+12015550145"
# The national digits, which every way of writing either number in clear contains.
DIGITS = ("2015550123", "2015550145")


async def everything_stored() -> str:
    """Every value of every row of every table, as text, on SQLite and PostgreSQL alike."""
    conn = Tortoise.get_connection("default")
    if conn.capabilities.dialect == "postgres":
        tables_query = "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()"
    else:
        tables_query = "SELECT name FROM sqlite_master WHERE type = 'table'"
    tables = [row["name"] for row in await conn.execute_query_dict(tables_query)]
    assert {"user_account", "mfa_flow", "send_slot"} <= set(tables)
    values = []
    for table in tables:
        for row in await conn.execute_query_dict(f'SELECT * FROM "{table}"'):
            values.extend(str(value) for value in row.values())
    return "\n".join(values)


async def test_no_table_holds_an_enrolled_or_a_typed_phone_number_in_clear(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given: a payee enrolled a phone, signed in again with a texted code, and started a
    # change to a second number that is never confirmed
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)
    await browser.execute(doc.LOG_OUT)
    assert (await log_in(browser, EMAIL))["__typename"] == "MfaChallengeRequired"
    sent = (await browser.execute(doc.SEND_LOGIN_CODE))["sendLoginCode"]
    assert sent["__typename"] == "SmsCodeSent", sent
    verified = await browser.execute(
        doc.VERIFY_LOGIN_CODE, {"input": {"code": messagebird.last_code(PHONE)}}
    )
    assert verified["verifyLoginCode"]["__typename"] == "LoggedIn", verified
    started = await browser.execute(
        doc.START_PHONE_NUMBER_CHANGE,
        {"input": {"countryCode": "+1", "phoneNumber": "201 555 0145"}},
    )
    assert started["startPhoneNumberChange"]["__typename"] == "SmsCodeSent", started
    assert messagebird.codes_for(UNCONFIRMED_PHONE)

    # when
    stored = await everything_stored()

    # then: neither number is there in clear, and both are there masked (so the scan read
    # the rows that hold them)
    for digits in DIGITS:
        assert digits not in stored
    assert "+*********23" in stored
    assert "+*********45" in stored
