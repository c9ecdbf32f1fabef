"""SAML 2.0 single sign-on, Twofold as the service provider (HTTP-Redirect out, HTTP-POST in).

Library choice: pysaml2, whose xmlsec1 backend drives Debian's `xmlsec1` binary (no C bindings
to build); every document is parsed by defusedxml first, and the checks are Twofold's own
(response.py, signature.py) so each failure has its own typed error (errors.py).
"""

from domain.sso.saml.authn_request import build_authn_request, safe_relay_state
from domain.sso.saml.errors import SamlError
from domain.sso.saml.metadata import (
    ServiceProvider,
    fetch_metadata,
    provider_config_from_metadata,
    sp_metadata,
)
from domain.sso.saml.replay import consume
from domain.sso.saml.response import SamlAssertion, parse_response

__all__ = [
    "SamlAssertion",
    "SamlError",
    "ServiceProvider",
    "build_authn_request",
    "consume",
    "fetch_metadata",
    "parse_response",
    "provider_config_from_metadata",
    "safe_relay_state",
    "sp_metadata",
]
