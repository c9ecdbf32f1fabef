"""Single sign-on's HTTP endpoints (SAML 2.0 in saml.py)."""
