"""Access tokens as a service must treat them: only Twofold's ES256 signature by a served key
counts (no tampering, no `alg: none`, no HS256 keyed with the public key), for its own audience
and issuer, until it expires; introspection says inactive as soon as the session ends, and
answers only service credentials."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import timedelta

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from starlette.applications import Starlette

from domain import signing_keys
from domain.runtime import RequestMeta, Runtime
from domain.service_clients import revoke
from domain.settings import Settings
from providers.clock import ManualClock
from providers.registry import Providers
from tests.support.access_tokens import (
    introspect,
    is_active,
    issued_token,
    key_set,
    service_credential,
    verified,
    with_audiences,
)
from tests.support.flows import log_in
from tests.support.graphql import GraphQLClient
from tests.support.users import cheap_user

EMAIL = "user@example.com"
MOVED = timedelta(hours=13)  # PyJWT checks iat/exp in real time; some tests move the clock


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return with_audiences(settings)


@pytest.fixture
async def signed_in(browser: GraphQLClient) -> GraphQLClient:
    """A user who needs no second factor, signed in on a browser."""
    await cheap_user(EMAIL)
    assert (await log_in(browser, EMAIL))["__typename"] == "LoggedIn"
    return browser


@pytest.fixture
async def credential(settings: Settings, providers: Providers, app: Starlette) -> tuple[str, str]:
    return await service_credential(settings, providers)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def forged(header: dict, claims: dict, sign: bytes | None = None) -> str:
    """A JWT put together by hand; `sign` keys an HMAC-SHA256 signature, None leaves none."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    if sign is None:
        return signing_input + "."
    mac = hmac.new(sign, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(mac)}"


async def test_a_tampered_token_is_refused(
    signed_in: GraphQLClient, credential: tuple[str, str]
) -> None:
    # given: a token whose claims were changed after signing (another user, a higher level)
    token = await issued_token(signed_in)
    head, body, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=="))
    tampered = f"{head}.{b64(json.dumps(claims | {'acr': 'urn:twofold:acr:phr'}).encode())}"
    tampered += f".{signature}"

    # when / then
    with pytest.raises(jwt.InvalidSignatureError):
        verified(tampered, await key_set(signed_in.http))
    assert not await is_active(signed_in.http, tampered, credential)
    assert await is_active(signed_in.http, token, credential)


async def test_alg_none_and_hs256_with_the_public_key_are_refused(
    signed_in: GraphQLClient, credential: tuple[str, str]
) -> None:
    # given: the real token's header and claims, re-signed with nothing, or with HMAC keyed
    # by the served public key (the classic algorithm-confusion forgery)
    token = await issued_token(signed_in)
    keys = await key_set(signed_in.http)
    header, claims = (
        jwt.get_unverified_header(token),
        jwt.decode(token, options={"verify_signature": False}),
    )
    public = jwt.PyJWKSet.from_dict(keys)[header["kid"]].key
    public_pem = public.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    forgeries = [
        forged(header | {"alg": "none"}, claims),
        forged(header | {"alg": "HS256"}, claims, sign=public_pem),
        forged(header | {"alg": "HS256"}, claims, sign=json.dumps(keys["keys"][0]).encode()),
    ]

    # when / then
    for forgery in forgeries:
        with pytest.raises(jwt.InvalidTokenError):
            verified(forgery, keys)
        assert not await is_active(signed_in.http, forgery, credential)


async def test_a_token_of_another_kind_or_issuer_is_inactive(
    signed_in: GraphQLClient, credential: tuple[str, str], app: Starlette
) -> None:
    # given: a token issued at this address, introspected at another (another issuer)
    token = await issued_token(signed_in)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="https://other.example") as other:
        # when
        elsewhere = await is_active(other, token, credential)

    # then
    assert not elsewhere
    assert not await is_active(signed_in.http, "not.a.token", credential)
    assert await is_active(signed_in.http, token, credential)


async def test_an_expired_token_is_refused(
    signed_in: GraphQLClient, credential: tuple[str, str], clock: ManualClock
) -> None:
    # given: a token issued six minutes ago, as the clock provider tells time
    clock.advance(timedelta(minutes=-6))
    token = await issued_token(signed_in)
    clock.advance(timedelta(minutes=6))

    # when / then: PyJWT refuses it in real time, introspection by the provider's clock
    with pytest.raises(jwt.ExpiredSignatureError):
        verified(token, await key_set(signed_in.http))
    assert not await is_active(signed_in.http, token, credential)


async def test_an_active_answer_carries_the_claims(
    signed_in: GraphQLClient, credential: tuple[str, str]
) -> None:
    # given
    token = await issued_token(signed_in)

    # when
    response = await introspect(signed_in.http, token, credential)

    # then
    body = response.json()
    assert response.headers["cache-control"] == "no-store"
    assert body["active"] is True and body["token_type"] == "Bearer"
    claims = verified(token, await key_set(signed_in.http))
    assert {key: body[key] for key in claims} == claims


@pytest.mark.parametrize("sent", ["none", "wrong secret", "unknown client", "revoked", "bearer"])
async def test_introspection_answers_service_credentials_only(
    signed_in: GraphQLClient,
    credential: tuple[str, str],
    settings: Settings,
    providers: Providers,
    sent: str,
) -> None:
    # given
    token = await issued_token(signed_in)
    client_id, secret = credential
    headers = {
        "none": {},
        "wrong secret": {"Authorization": _basic(client_id, secret[:-1] + "x")},
        "unknown client": {"Authorization": _basic("svc_nobody", secret)},
        "revoked": {"Authorization": _basic(client_id, secret)},
        "bearer": {"Authorization": f"Bearer {secret}"},
    }[sent]
    if sent == "revoked":
        assert await revoke(client_id, Runtime(settings, providers, RequestMeta("-", "t")))

    # when
    response = await signed_in.http.post(
        "/oauth/introspect", data={"token": token}, headers=headers
    )

    # then
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Basic")
    assert response.headers["cache-control"] == "no-store"
    assert "active" not in response.json()


def _basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


# Key rotation.


async def test_after_rotation_old_and_new_tokens_verify_and_the_new_key_waits_for_caches(
    signed_in: GraphQLClient,
    credential: tuple[str, str],
    settings: Settings,
    providers: Providers,
    clock: ManualClock,
) -> None:
    # given: a token signed by the first key
    runtime = Runtime(settings, providers, RequestMeta("-", "twofold keys"))
    old_token = await issued_token(signed_in)
    old_kid = jwt.get_unverified_header(old_token)["kid"]

    # when: an operator rotates (`twofold keys rotate`)
    rotated = await signing_keys.rotate(runtime)

    # then: the new key is published at once, but the old one signs for the cache lifetime
    published = {key["kid"] for key in (await key_set(signed_in.http))["keys"]}
    assert published == {old_kid, rotated.kid}
    still_old = await issued_token(signed_in)
    assert jwt.get_unverified_header(still_old)["kid"] == old_kid
    clock.advance(timedelta(seconds=settings.jwks_max_age_seconds - 1))
    assert jwt.get_unverified_header(await issued_token(signed_in))["kid"] == old_kid

    # and then: once every cache has the new key, it signs; the old one verifies old tokens
    clock.advance(timedelta(seconds=1))
    new_token = await issued_token(signed_in)
    assert jwt.get_unverified_header(new_token)["kid"] == rotated.kid
    keys = await key_set(signed_in.http)
    assert verified(new_token, keys, leeway=MOVED)["sid"] == verified(old_token, keys)["sid"]
    assert await is_active(signed_in.http, new_token, credential)
    states = {view.kid: view.state for view in await signing_keys.key_views(runtime)}
    assert states == {old_kid: "retired", rotated.kid: "active"}

    # and last: when no token it signed can be alive, the old key is no longer published
    clock.advance(timedelta(minutes=6) + timedelta(seconds=1))
    published = {key["kid"] for key in (await key_set(signed_in.http))["keys"]}
    assert published == {rotated.kid}
    states = {view.kid: view.state for view in await signing_keys.key_views(runtime)}
    assert states[old_kid] == "expired"


async def test_the_key_set_holds_public_keys_only_and_may_be_cached(
    signed_in: GraphQLClient,
) -> None:
    # when
    response = await signed_in.http.get("/.well-known/jwks.json")

    # then
    assert response.headers["cache-control"] == "public, max-age=300"
    [key] = response.json()["keys"]
    assert key["kty"] == "EC" and key["crv"] == "P-256" and key["alg"] == "ES256"
    assert set(key) == {"kty", "crv", "x", "y", "kid", "use", "alg"}  # no private "d"


def test_settings_refuse_tokens_longer_than_five_minutes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given
    monkeypatch.setenv("ACCESS_TOKEN_SECONDS", "301")

    # when / then
    with pytest.raises(ValueError, match="ACCESS_TOKEN_SECONDS"):
        Settings.from_environment(env_file="/nonexistent")
