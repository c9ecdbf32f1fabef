"""Native apps sign in by SSO in the system browser: the redirect to the app's registered URI
carries a one-time code (single use, short-lived, bound to the app's verifier) that
exchangeSsoCode trades for the pending token of Twofold's MFA screens."""

from __future__ import annotations

import secrets
from datetime import timedelta

import httpx

from domain.sso.handoff import s256
from models.company import Company
from models.enums import PayRole
from models.sso import IdentityProvider
from providers.clock import ManualClock
from tests.sso.oidc_setup import acme_at, back, to_callback
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.graphql import GraphQLClient
from tests.support.idp import Idp, idp, query_of
from tests.support.users import MakeUser

__all__ = ["idp"]  # the fixture, used by name

APP_REDIRECT = "com.example.twofold:/sso"
EXCHANGE = """
mutation Exchange($code: String!, $verifier: String) {
  exchangeSsoCode(input: {code: $code, codeVerifier: $verifier}) {
    __typename
    ... on MfaSetupRequired { pendingToken }
    ... on UserError { code }
  }
}
"""


async def app_redirect(
    twofold: httpx.AsyncClient, idp: Idp, provider: IdentityProvider, verifier: str
) -> str:
    """The system browser's trip, ending at the app's redirect: its `code`."""
    query = f"?client=native&code_challenge={s256(verifier)}"
    trip = await to_callback(twofold, idp, provider, "pat", query)
    answer = await back(twofold, trip.callback_url)
    assert answer.status_code == 303
    location = answer.headers["location"]
    assert location.startswith(APP_REDIRECT + "?")
    return query_of(location)["code"]


async def exchange(app: GraphQLClient, code: str, verifier: str | None) -> dict[str, str]:
    data = await app.execute(EXCHANGE, {"code": code, "verifier": verifier})
    return data["exchangeSsoCode"]


async def acme_with_app(idp: Idp, clock: ManualClock, make_user: MakeUser) -> IdentityProvider:
    provider = await acme_at(idp, clock, native_redirect=APP_REDIRECT)
    user = await make_user("pat@acme.example", PayRole.PAYOR)
    user.company_id = (await Company.get(name="Acme")).id
    await user.save(update_fields=["company_id"])
    idp.account("pat", "pat@acme.example")
    return provider


async def test_the_code_gives_the_pending_token_once(
    idp: Idp, clock: ManualClock, new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    provider = await acme_with_app(idp, clock, make_user)
    verifier = secrets.token_urlsafe(32)

    async with new_http() as system_browser, new_http() as http:
        code = await app_redirect(system_browser, idp, provider, verifier)
        app = GraphQLClient(http)
        # when
        first = await exchange(app, code, verifier)
        again = await exchange(app, code, verifier)
        step = await GraphQLClient(http, bearer=first["pendingToken"]).execute(doc.ENROLLMENT_STEP)

    # then
    assert first["__typename"] == "MfaSetupRequired"
    assert again == {"__typename": "SsoCodeInvalidError", "code": "SSO_CODE_INVALID"}
    assert step == {"mfaEnrollment": {"step": "SETUP_REQUIRED"}}


async def test_an_expired_code_gives_nothing(
    idp: Idp, clock: ManualClock, new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    provider = await acme_with_app(idp, clock, make_user)
    verifier = secrets.token_urlsafe(32)

    async with new_http() as system_browser, new_http() as http:
        code = await app_redirect(system_browser, idp, provider, verifier)
        clock.advance(timedelta(seconds=61))
        # when
        answer = await exchange(GraphQLClient(http), code, verifier)

    # then
    assert answer["__typename"] == "SsoCodeInvalidError"


async def test_a_wrong_verifier_spends_the_code(
    idp: Idp, clock: ManualClock, new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given: another app on the device caught the redirect, without the verifier
    provider = await acme_with_app(idp, clock, make_user)
    verifier = secrets.token_urlsafe(32)

    async with new_http() as system_browser, new_http() as http:
        code = await app_redirect(system_browser, idp, provider, verifier)
        app = GraphQLClient(http)
        # when
        stolen = await exchange(app, code, secrets.token_urlsafe(32))
        without = await exchange(app, code, None)
        owner = await exchange(app, code, verifier)

    # then
    assert [stolen["__typename"], without["__typename"], owner["__typename"]] == [
        "SsoCodeInvalidError"
    ] * 3


async def test_without_a_registered_redirect_native_sign_in_is_refused(
    idp: Idp, clock: ManualClock, new_http: HttpFactory
) -> None:
    # given
    provider = await acme_at(idp, clock)

    async with new_http() as system_browser:
        # when
        answer = await system_browser.get(f"/sso/{provider.id}/start?client=native")

    # then
    assert query_of(answer.headers["location"]) == {"sso_error": "SSO_UNKNOWN_PROVIDER"}
