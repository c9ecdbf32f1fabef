"""Single sign-on endpoints: `GET /sso/{provider_id}/start` for every protocol, and the
OpenID Connect callback `GET /sso/oidc/{provider_id}/callback` (graph/http/sso/oidc.py).

A SAML provider's start is handled by `graph.http.sso.saml.saml_start(request, context,
provider, return_to, native, app_challenge) -> Response` when that module exists; its own
routes join through `graph.http.sso.saml.saml_routes(settings, providers)` (both looked up
by name, so this package works without SAML). Every protocol's last step is
`graph.http.sso.finish.deliver(context, provider, outcome, ...)`, which sets the cookies as
`logIn` does, or sends a native app its one-time code.
"""
