"""A SAML sign-in from start to the SSO core's gate.

Start: an AuthnRequest, remembered server-side as an `SsoRequest` (the hash of its id and the
hash of a browser secret, used once, ten minutes) and bound to the browser by a `__Host-`
cookie holding `request id.browser secret`. The ACS reads the cookie back: a response is
accepted as SP-initiated only when it answers that very request in that very browser; with no
such request it is IdP-initiated, allowed only when the provider's config says so. Then the
assertion id is consumed (replay.py) and `complete_sso_sign_in` decides.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from domain.runtime import Runtime
from domain.sso.gate import ExternalAssertion, SsoClient, SsoOutcome, complete_sso_sign_in, refuse
from domain.sso.refusals import SsoRefusalCode
from domain.sso.saml import errors
from domain.sso.saml.authn_request import build_authn_request, safe_relay_state
from domain.sso.saml.metadata import ServiceProvider
from domain.sso.saml.replay import consume
from domain.sso.saml.response import parse_response
from models.sso import IdentityProvider, SsoRequest

logger = logging.getLogger("twofold.sso.saml")

REQUEST_LIFETIME = timedelta(minutes=10)
REQUEST_COOKIE = "__Host-twofold-saml"

# How each failed check is told to the user and the audit trail (the SSO core's codes).
_REFUSAL = {
    errors.WrongIssuer: SsoRefusalCode.WRONG_ISSUER,
    errors.IdpRefused: SsoRefusalCode.PROVIDER_ERROR,
    errors.UnknownRequest: SsoRefusalCode.INVALID_STATE,
    errors.UnsolicitedRefused: SsoRefusalCode.INVALID_STATE,
}


def service_provider(base_url: str, provider_id: str) -> ServiceProvider:
    """Twofold as the SP of one provider: the entity id is its metadata's URL."""
    root = f"{base_url.rstrip('/')}/sso/saml/{provider_id}"
    return ServiceProvider(provider_id, root + "/metadata", root + "/acs")


def config_of(provider: IdentityProvider) -> dict[str, Any]:
    config: dict[str, Any] = json.loads(provider.config or "{}")
    return config


@dataclass(frozen=True)
class Started:
    redirect_url: str
    cookie: str  # the REQUEST_COOKIE's value


@dataclass(frozen=True)
class Finished:
    outcome: SsoOutcome
    return_to: str
    native: bool = False  # started by a native app (the SSO core's hand-off delivers)
    app_challenge: str | None = None


async def start(
    runtime: Runtime,
    provider: IdentityProvider,
    sp: ServiceProvider,
    return_to: str,
    *,
    native: bool = False,
    app_challenge: str | None = None,
) -> Started:
    path = safe_relay_state(return_to)
    url, request_id = build_authn_request(config_of(provider), sp, path, now=runtime.now())
    browser_secret = secrets.token_urlsafe(32)
    await SsoRequest.create(
        state_sha256=_sha256("saml\0" + request_id),
        browser_sha256=_sha256(browser_secret),
        provider=provider,
        nonce="",
        code_verifier="",
        return_to=path,
        native=native,
        app_challenge=app_challenge,
        created_at=runtime.now(),
        expires_at=runtime.now() + REQUEST_LIFETIME,
    )
    return Started(url, f"{request_id}.{browser_secret}")


async def finish(
    runtime: Runtime,
    provider: IdentityProvider,
    sp: ServiceProvider,
    saml_response: str,
    relay_state: str | None,
    cookie: str | None,
) -> Finished:
    """Check the POSTed response, then hand its identity to the SSO core's gate."""
    request = await _this_browsers_request(provider, cookie, runtime)
    expected = cookie.split(".", 1)[0] if request is not None and cookie else None
    return_to = request.return_to if request is not None else safe_relay_state(relay_state)
    try:
        result = await parse_response(
            config_of(provider), sp, saml_response, expected, runtime.now()
        )
        if request is not None:
            # Single use, across processes: only one ACS call marks the request used.
            used = await SsoRequest.filter(id=request.id, used_at__isnull=True).update(
                used_at=runtime.now()
            )
            if used != 1:
                raise errors.UnknownRequest("request already answered")
        await consume(str(provider.id), result.assertion_id, result.expires_at, runtime.now())
    except errors.SamlError as error:
        logger.info("SAML response refused: %s", error.reason)
        code = _REFUSAL.get(type(error), SsoRefusalCode.INVALID_RESPONSE)
        return Finished(await refuse(runtime, code), return_to, *_client_of(request))
    assertion = ExternalAssertion(
        provider_id=provider.id,
        issuer=result.issuer,
        subject=result.subject,
        email=result.email or "",
        email_verified=result.email_verified,
        acr=result.acr,
        amr=list(result.amr),
        auth_time=result.auth_time,
    )
    native, app_challenge = _client_of(request)
    client = SsoClient.NATIVE if native else SsoClient.BROWSER
    outcome = await complete_sso_sign_in(runtime, provider, assertion, client)
    return Finished(outcome, return_to, native, app_challenge)


def _client_of(request: SsoRequest | None) -> tuple[bool, str | None]:
    """IdP-initiated sign-ins are always a browser's."""
    return (request.native, request.app_challenge) if request is not None else (False, None)


async def _this_browsers_request(
    provider: IdentityProvider, cookie: str | None, runtime: Runtime
) -> SsoRequest | None:
    if not cookie or "." not in cookie:
        return None
    request_id, browser_secret = cookie.split(".", 1)
    return await SsoRequest.get_or_none(
        state_sha256=_sha256("saml\0" + request_id),
        browser_sha256=_sha256(browser_secret),
        provider_id=provider.id,
        used_at__isnull=True,
        expires_at__gt=runtime.now(),
    )


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
