"""Single sign-on: per-company identity providers (SAML 2.0 in `domain.sso.saml`)."""
