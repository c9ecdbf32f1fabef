"""OpenID Connect sign-in (authorization code flow with PKCE S256): the request to the
provider, then the checks of its answer, ending in an `ExternalAssertion`.

The request: a random `state` (only its SHA-256 is stored), bound to the browser that started
it by a second random value whose hash is on the row and whose value is in a `__Host-` cookie;
a `nonce`; a PKCE verifier; one redirect URI per provider. The answer: the state (used once,
within ten minutes, by the same browser), RFC 9207's `iss` when sent (required when discovery
says the provider sends it), the code exchanged at the token endpoint, then the ID token:
signature by a key of the provider's JWKS (asymmetric algorithms only), `iss`, `aud` (and
`azp`), `exp`, `iat`, the nonce. `email_verified` must be the JSON `true`: an `email` claim
alone proves nothing (nOAuth).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from domain.runtime import Runtime
from domain.sso.gate import ExternalAssertion, refuse
from domain.sso.paths import oidc_callback_path
from domain.sso.providers import client_secret
from domain.sso.refusals import SsoRefusalCode, SsoRefused
from models.codes import same
from models.sso import IdentityProvider, SsoRequest
from providers.oidc import OidcHttp, OidcUnavailable

REQUEST_LIFETIME = timedelta(minutes=10)
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
_LEEWAY = 60


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def redirect_uri(runtime: Runtime, provider: IdentityProvider, base_url: str) -> str:
    """The provider's one redirect URI: PUBLIC_URL's, else this request's origin."""
    base = runtime.settings.public_url.rstrip("/") or base_url.rstrip("/")
    return base + oidc_callback_path(provider.id)


@dataclass(frozen=True)
class Started:
    """Where to send the browser, and the value its `__Host-` cookie keeps."""

    location: str
    browser_binding: str


async def start(
    runtime: Runtime,
    provider: IdentityProvider,
    callback_uri: str,
    return_to: str,
    *,
    native: bool = False,
    app_challenge: str | None = None,
) -> Started | SsoRefused:
    try:
        meta = await runtime.providers.oidc.discovery(provider.issuer)
    except OidcUnavailable:
        return await refuse(runtime, SsoRefusalCode.PROVIDER_UNAVAILABLE)
    endpoint = meta.get("authorization_endpoint")
    if meta.get("issuer") != provider.issuer or not isinstance(endpoint, str):
        return await refuse(runtime, SsoRefusalCode.WRONG_ISSUER)
    random = runtime.providers.randomness
    state, binding, nonce, verifier = (random.session_token() for _ in range(4))
    now = runtime.now()
    # Requests past their lifetime are kept a day (for the audit's sake), then go.
    await SsoRequest.filter(expires_at__lt=now - timedelta(days=1)).delete()
    await SsoRequest.create(
        state_sha256=_sha256(state),
        browser_sha256=_sha256(binding),
        provider=provider,
        nonce=nonce,
        code_verifier=verifier,
        return_to=return_to,
        native=native,
        app_challenge=app_challenge,
        created_at=now,
        expires_at=now + REQUEST_LIFETIME,
    )
    location = prepare_grant_uri(
        endpoint,
        client_id=provider.client_id,
        response_type="code",
        redirect_uri=callback_uri,
        scope="openid email",
        state=state,
        nonce=nonce,
        code_challenge=create_s256_code_challenge(verifier),
        code_challenge_method="S256",
    )
    return Started(location, binding)


@dataclass(frozen=True)
class Finished:
    request: SsoRequest
    assertion: ExternalAssertion


async def finish(
    runtime: Runtime,
    provider: IdentityProvider,
    params: dict[str, str],
    browser_binding: str | None,
    callback_uri: str,
) -> Finished | SsoRefused:
    """Check the provider's answer (the callback's query) and the ID token it leads to."""
    request = await _claim_request(runtime, provider, params.get("state", ""), browser_binding)
    if request is None:
        return await refuse(runtime, SsoRefusalCode.INVALID_STATE)
    try:
        meta = await runtime.providers.oidc.discovery(provider.issuer)
    except OidcUnavailable:
        return await refuse(runtime, SsoRefusalCode.PROVIDER_UNAVAILABLE)
    sent_iss = params.get("iss")
    iss_required = meta.get("authorization_response_iss_parameter_supported") is True
    if (
        meta.get("issuer") != provider.issuer
        or (sent_iss is not None and sent_iss != provider.issuer)
        or (sent_iss is None and iss_required)
    ):
        return await refuse(runtime, SsoRefusalCode.WRONG_ISSUER)
    if "error" in params or not params.get("code"):
        return await refuse(runtime, SsoRefusalCode.PROVIDER_ERROR)
    claims = await _id_token_claims(runtime, provider, meta, params["code"], request, callback_uri)
    if isinstance(claims, SsoRefused):
        return claims
    return Finished(request, _assertion(provider, claims))


async def _claim_request(
    runtime: Runtime, provider: IdentityProvider, state: str, binding: str | None
) -> SsoRequest | None:
    """The unexpired, unused request `state` names, for this provider and this browser;
    marked used at once, so a second callback with the same state finds nothing."""
    if not state or not binding or len(state) > 256 or len(binding) > 256:
        return None
    now = runtime.now()
    request = await SsoRequest.get_or_none(state_sha256=_sha256(state))
    if (
        request is None
        or request.provider_id != provider.id
        or not same(request.browser_sha256, _sha256(binding))
        or request.used_at is not None
        or request.expires_at <= now
    ):
        return None
    taken = await SsoRequest.filter(id=request.id, used_at__isnull=True).update(used_at=now)
    return request if taken else None


async def _id_token_claims(
    runtime: Runtime,
    provider: IdentityProvider,
    meta: dict[str, Any],
    code: str,
    request: SsoRequest,
    callback_uri: str,
) -> dict[str, Any] | SsoRefused:
    oidc = runtime.providers.oidc
    endpoint, jwks_uri = meta.get("token_endpoint"), meta.get("jwks_uri")
    if not isinstance(endpoint, str) or not isinstance(jwks_uri, str):
        return await refuse(runtime, SsoRefusalCode.PROVIDER_ERROR)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": callback_uri,
        "code_verifier": request.code_verifier,
    }
    secret = client_secret(provider, runtime.secret_key)
    try:
        status, body = await oidc.token(endpoint, form, provider.client_id or "", secret)
    except OidcUnavailable:
        return await refuse(runtime, SsoRefusalCode.PROVIDER_UNAVAILABLE)
    id_token = body.get("id_token")
    if status != 200 or not isinstance(id_token, str):
        return await refuse(runtime, SsoRefusalCode.PROVIDER_ERROR)
    try:
        claims = await _verified(oidc, jwks_uri, id_token)
    except (JoseError, ValueError, OidcUnavailable):
        return await refuse(runtime, SsoRefusalCode.INVALID_TOKEN)
    return await _checked(runtime, provider, claims, request)


async def _verified(oidc: OidcHttp, jwks_uri: str, id_token: str) -> dict[str, Any]:
    """The ID token's claims if a key of the provider's set signed it."""
    for refresh in (False, True):
        keys = KeySet.import_key_set(await oidc.jwks(jwks_uri, refresh=refresh))  # type: ignore[arg-type]
        try:
            token = jwt.decode(id_token, keys, algorithms=list(ALGORITHMS))
        except JoseError:
            if refresh:
                raise
            continue
        return dict(token.claims)
    raise ValueError("unreachable")


async def _checked(
    runtime: Runtime, provider: IdentityProvider, claims: dict[str, Any], request: SsoRequest
) -> dict[str, Any] | SsoRefused:
    now = int(runtime.now().timestamp())
    if claims.get("iss") != provider.issuer:
        return await refuse(runtime, SsoRefusalCode.WRONG_ISSUER)
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    client = provider.client_id
    azp = claims.get("azp")
    exp, iat = claims.get("exp"), claims.get("iat")
    if (
        client not in audiences
        or (len(audiences) > 1 and azp != client)
        or (azp is not None and azp != client)
        or not isinstance(exp, int)
        or exp + _LEEWAY <= now
        or not isinstance(iat, int)
        or iat - _LEEWAY > now
        or not isinstance(claims.get("sub"), str)
        or not claims["sub"]
    ):
        return await refuse(runtime, SsoRefusalCode.INVALID_TOKEN)
    if not same(str(claims.get("nonce", "")), request.nonce):
        return await refuse(runtime, SsoRefusalCode.INVALID_NONCE)
    return claims


def _assertion(provider: IdentityProvider, claims: dict[str, Any]) -> ExternalAssertion:
    amr = claims.get("amr")
    auth_time = claims.get("auth_time")
    acr = claims.get("acr")
    email = claims.get("email")
    return ExternalAssertion(
        provider_id=provider.id,
        issuer=str(claims["iss"]),
        subject=str(claims["sub"]),
        email=email if isinstance(email, str) else "",
        email_verified=claims.get("email_verified") is True,
        acr=acr if isinstance(acr, str) else None,
        amr=[m for m in amr if isinstance(m, str)] if isinstance(amr, list) else [],
        auth_time=datetime.fromtimestamp(auth_time, UTC) if isinstance(auth_time, int) else None,
    )
