"""Single sign-on (SAML 2.0 and OpenID Connect), per company, found by email domain.

Every protocol ends in `domain.sso.gate.complete_sso_sign_in` with an `ExternalAssertion`;
see that module for the interface and the rules it keeps.
"""
