"""What a request says about itself, read once and shared by every guard that judges it.

The transport guard, the GraphQL context, the rate limits and the audit trail must agree on
which credential a request presents and where it comes from. When each read the headers its own
way, a second `Cookie` header or a space before `=` slipped the session cookie past the Origin
check, and only the first `X-Forwarded-For` line was read. So `FactsMiddleware` reads them once,
with Starlette's own cookie parser, and keeps the result in the ASGI scope for everyone else.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

SESSION_COOKIE = "__Host-twofold-session"
DEVICE_COOKIE = "__Host-twofold-device"
TRUSTED_BROWSER_COOKIE = "__Host-twofold-trusted"
_SCOPE_KEY = "twofold.request_facts"
_SINGLE_HEADERS = ("authorization", "origin")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class RequestFacts:
    client_ip: str
    user_agent: str
    origin: str | None
    authorization: str | None
    session_cookie: str | None
    device_cookie: str | None
    ambiguity: str | None
    """Why the request cannot be judged (a header or cookie that may appear once, twice)."""
    own_origin: str = ""
    """This server's origin as the client addressed it: `scheme://host[:port]` from the request,
    or from `X-Forwarded-Proto` and `X-Forwarded-Host` when a trusted proxy sent them."""
    fetch_site: str | None = None
    """A browser's `Sec-Fetch-Site`: `same-origin` when the page is this server's own."""
    trusted_browser_cookie: str | None = None

    @property
    def bearer_token(self) -> str | None:
        """The token of `Authorization: Bearer <token>`; None if absent, blank or another scheme."""
        scheme, _, token = (self.authorization or "").partition(" ")
        return (token.strip() or None) if scheme.lower() == "bearer" else None

    @property
    def presented_token(self) -> str | None:
        """A bearer token wins over the cookie. Any Authorization header at all, even a blank or
        malformed one, means no cookie is used: the Origin check exempts such requests."""
        if self.authorization is not None:
            return self.bearer_token
        return self.session_cookie or None

    @property
    def uses_cookie(self) -> bool:
        return self.authorization is None and bool(self.session_cookie)


def facts_of(scope: Scope) -> RequestFacts:
    """The facts `FactsMiddleware` read for this request."""
    return scope[_SCOPE_KEY]  # type: ignore[no-any-return]


def facts_if_read(scope: Scope) -> RequestFacts | None:
    """The facts, for code outside `FactsMiddleware` that may see requests it refused early."""
    return scope.get(_SCOPE_KEY)


class FactsMiddleware:
    """Reads each HTTP request's facts once, before any guard or resolver sees the request."""

    def __init__(self, app: ASGIApp, trusted_proxies: Iterable[str]) -> None:
        self.app = app
        self.trusted = tuple(ipaddress.ip_network(p, strict=False) for p in trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope[_SCOPE_KEY] = read_facts(scope, self.trusted)
        await self.app(scope, receive, send)


def read_facts(scope: Scope, trusted: tuple[IPNetwork, ...]) -> RequestFacts:
    headers = Headers(scope=scope)
    repeated = [name for name in _SINGLE_HEADERS if len(headers.getlist(name)) > 1]
    cookie_headers = headers.getlist("cookie")
    session_cookie, session_repeated = _cookie(cookie_headers, SESSION_COOKIE)
    device_cookie, device_repeated = _cookie(cookie_headers, DEVICE_COOKIE)
    repeated += [f"cookie {SESSION_COOKIE}"] * session_repeated
    repeated += [f"cookie {DEVICE_COOKIE}"] * device_repeated
    trusted_cookie, trusted_repeated = _cookie(cookie_headers, TRUSTED_BROWSER_COOKIE)
    repeated += [f"cookie {TRUSTED_BROWSER_COOKIE}"] * trusted_repeated
    peer = scope["client"][0] if scope.get("client") else ""
    return RequestFacts(
        client_ip=client_address(peer, headers.getlist("x-forwarded-for"), trusted),
        user_agent=headers.get("user-agent", "")[:255],
        origin=headers.get("origin"),
        authorization=headers.get("authorization"),
        session_cookie=session_cookie,
        device_cookie=device_cookie,
        ambiguity=f"{repeated[0]} sent more than once" if repeated else None,
        own_origin=own_origin(scope, headers, trusted),
        fetch_site=headers.get("sec-fetch-site"),
        trusted_browser_cookie=trusted_cookie,
    )


def own_origin(scope: Scope, headers: Headers, trusted: tuple[IPNetwork, ...]) -> str:
    """`scheme://host[:port]` of this request, as the browser that sent it saw this server.

    Behind a trusted proxy the last `X-Forwarded-Proto` and `X-Forwarded-Host` entries (the
    proxy's own) win. A page can never choose the `Host` its browser sends, and a DNS-rebound
    name gets no `__Host-` cookie of ours, so comparing `Origin` with this is CSRF-safe.
    """
    scheme = str(scope.get("scheme", "http"))
    host = headers.get("host", "")
    peer = _parse_ip(scope["client"][0]) if scope.get("client") else None
    if peer is not None and _is_trusted(peer, trusted):
        scheme = _last(headers.getlist("x-forwarded-proto")) or scheme
        host = _last(headers.getlist("x-forwarded-host")) or host
    return normalize_origin(f"{scheme}://{host}") if host else ""


def normalize_origin(origin: str) -> str:
    """An origin as browsers write it: lower case, no trailing slash, no default port."""
    origin = origin.strip().rstrip("/").lower()
    for scheme, port in (("http://", ":80"), ("https://", ":443")):
        if origin.startswith(scheme) and origin.endswith(port):
            return origin[: -len(port)]
    return origin


def _last(values: list[str]) -> str:
    entries = [entry.strip() for value in values for entry in value.split(",") if entry.strip()]
    return entries[-1] if entries else ""


def _cookie(cookie_headers: list[str], name: str) -> tuple[str | None, bool]:
    """A cookie as Starlette's parser reads it, and whether it came more than once."""
    values = [
        parsed[name]
        for header in cookie_headers
        for chunk in header.split(";")
        if name in (parsed := cookie_parser(chunk))
    ]
    return (values[-1] if values else None), len(values) > 1


def client_address(peer: str, forwarded_for: list[str], trusted: tuple[IPNetwork, ...]) -> str:
    """The peer address, or the client a trusted proxy names in `X-Forwarded-For`.

    Every line of the header counts (a proxy may append its own line), and the hops are walked
    from the right: the first one that is not a trusted proxy is the client as a trusted proxy
    saw it. A client can prepend anything, but never get past the proxy's own entry; an entry
    that is not an IP address stops the walk, so no text a client wrote is ever stored.
    """
    address = _parse_ip(peer)
    if address is None:
        return peer[:45]
    hops = [hop for line in forwarded_for for hop in line.split(",") if hop.strip()]
    while _is_trusted(address, trusted) and hops:
        hop = _parse_ip(hops.pop())
        if hop is None:
            break
        address = hop
    return str(address)


def _is_trusted(address: IPAddress, trusted: tuple[IPNetwork, ...]) -> bool:
    return any(address in network for network in trusted)


@lru_cache(maxsize=4096)
def _parse_ip(text: str) -> IPAddress | None:
    """An address as proxies write it: `1.2.3.4`, `1.2.3.4:80`, `2001:db8::1`, `[::1]:80`.
    Remembered: the same peers and proxies come again and again, and `ipaddress` parses in
    Python (a few microseconds each time)."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address
