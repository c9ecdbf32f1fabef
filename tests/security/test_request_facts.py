"""Every guard reads a request the same way: the Origin rule sees the session cookie in every
form Starlette's parser accepts, headers that may come once are refused when doubled, and the
client address comes from `X-Forwarded-For` only as far as trusted proxies vouch for it."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

import httpx
import pytest

from domain.settings import Settings
from graph.context import SESSION_COOKIE
from models.audit_event import AuditEvent
from models.enums import PayRole
from models.session import AuthSession
from providers.registry import Providers
from tests.support.apps import running_app
from tests.support.clients import PEER, HttpFactory, PeerHttpFactory
from tests.support.constants import PASSWORD
from tests.support.flows import log_in
from tests.support.graphql import ORIGIN, GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "facts@example.com"
FOREIGN = "https://evil.example"
VIEWER = b'{"query": "{ viewer { email } }"}'
LOG_OUT_EVERYWHERE = b'{"query": "mutation { logOutEverywhere { __typename } }"}'
LOG_IN = (
    '{"query": "mutation { logIn(input: {email: \\"'
    + EMAIL
    + '\\", password: \\"wrong password\\"}) '
    '{ __typename } }"}'
).encode()

# Ways a client can deliver the session cookie T that Starlette's cookie parser accepts.
COOKIE_FORMS: dict[str, list[bytes]] = {
    "plain": [b"__Host-twofold-session=T"],
    "second-header": [b"theme=dark", b"__Host-twofold-session=T"],
    "space-before-equals": [b"__Host-twofold-session =T"],
    "space-after-equals": [b"__Host-twofold-session= T"],
    "no-space-after-semicolon": [b"theme=dark;__Host-twofold-session=T"],
    "trailing-semicolon": [b"theme=dark; __Host-twofold-session=T;"],
    "quoted": [b'__Host-twofold-session="T"'],
    "tab-padded": [b"\t__Host-twofold-session=T\t"],
}


def with_token(form: list[bytes], token: str) -> list[tuple[bytes, bytes]]:
    return [(b"cookie", value.replace(b"T", token.encode())) for value in form]


async def cookie_of_signed_in_browser(new_http: HttpFactory, make_user: MakeUser) -> str:
    await make_user(EMAIL, PayRole.NONE)
    async with new_http() as http:
        assert (await log_in(GraphQLClient(http), EMAIL))["__typename"] == "LoggedIn"
        return str(http.cookies[SESSION_COOKIE])


async def raw_post(
    new_http: HttpFactory, body: bytes, headers: list[tuple[bytes, bytes]]
) -> httpx.Response:
    """A POST whose headers are exactly `headers` plus the JSON content type, duplicates kept."""
    async with new_http() as http:
        return await http.post(
            "/graphql", content=body, headers=[(b"content-type", b"application/json"), *headers]
        )


@pytest.mark.parametrize("form", COOKIE_FORMS.values(), ids=COOKIE_FORMS.keys())
async def test_every_cookie_form_is_recognised_with_the_allowed_origin(
    form: list[bytes], new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    token = await cookie_of_signed_in_browser(new_http, make_user)

    # when
    response = await raw_post(
        new_http, VIEWER, [(b"origin", ORIGIN.encode()), *with_token(form, token)]
    )

    # then: the form really carries the session (so the next test is not vacuous)
    assert response.status_code == 200
    assert response.json()["data"]["viewer"] == {"email": EMAIL}


@pytest.mark.parametrize("form", COOKIE_FORMS.values(), ids=COOKIE_FORMS.keys())
async def test_every_cookie_form_needs_an_allowed_origin(
    form: list[bytes], new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given: the signed-in user has a second session that a forged request would end
    token = await cookie_of_signed_in_browser(new_http, make_user)
    await cookie_of_signed_in_browser_again(new_http)

    # when
    response = await raw_post(
        new_http, LOG_OUT_EVERYWHERE, [(b"origin", FOREIGN.encode()), *with_token(form, token)]
    )

    # then
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN_ORIGIN"
    assert await AuthSession.filter(revoked_at__isnull=False).count() == 0


async def cookie_of_signed_in_browser_again(new_http: HttpFactory) -> None:
    async with new_http() as http:
        assert (await log_in(GraphQLClient(http), EMAIL))["__typename"] == "LoggedIn"


@pytest.mark.parametrize(
    "headers",
    [
        [(b"cookie", b"__Host-twofold-session=A"), (b"cookie", b"__Host-twofold-session=B")],
        [(b"cookie", b"__Host-twofold-session=A; __Host-twofold-session=B")],
        [(b"origin", ORIGIN.encode()), (b"origin", FOREIGN.encode())],
        [(b"authorization", b"Bearer A"), (b"authorization", b"Bearer B")],
    ],
    ids=["cookie-in-two-headers", "cookie-twice-in-one", "two-origins", "two-authorizations"],
)
async def test_headers_that_may_come_once_are_refused_when_doubled(
    headers: list[tuple[bytes, bytes]], new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    await cookie_of_signed_in_browser(new_http, make_user)
    events = await AuditEvent.all().count()

    # when
    response = await raw_post(
        new_http, LOG_OUT_EVERYWHERE, [(b"origin", ORIGIN.encode()), *headers]
    )

    # then: which one counts is ambiguous, so none does and nothing runs
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert response.headers["cache-control"] == "no-store"
    assert await AuthSession.filter(revoked_at__isnull=False).count() == 0
    assert await AuditEvent.all().count() == events


ProxiedApp = Callable[[str], AbstractAsyncContextManager[PeerHttpFactory]]


@pytest.fixture
def behind_proxy(
    settings: Settings, providers: Providers, messagebird: MessageBirdStandIn, mailbox: Mailbox
) -> ProxiedApp:
    """The app behind a proxy: `TRUSTED_PROXIES` set to the given address or network."""

    def serve(trusted: str) -> AbstractAsyncContextManager[PeerHttpFactory]:
        return running_app(settings, providers, messagebird, mailbox, trusted_proxies=(trusted,))

    return serve


# (X-Forwarded-For lines as they arrive, other headers, the client address to record)
FORWARDED_FORMS: dict[str, tuple[list[bytes], list[tuple[bytes, bytes]], str]] = {
    "one-hop": ([b"198.51.100.9"], [], "198.51.100.9"),
    "forged-line-then-proxy-line": ([b"6.6.6.6", b"198.51.100.9"], [], "198.51.100.9"),
    "forged-hop-then-proxy-hop": ([b"6.6.6.6, 198.51.100.9"], [], "198.51.100.9"),
    "padding-and-empty-hops": ([b" 6.6.6.6 ,, 198.51.100.9 "], [], "198.51.100.9"),
    "markup-then-proxy-hop": ([b"<script>alert(1)</script>", b"198.51.100.9"], [], "198.51.100.9"),
    "markup-only": ([b"<img src=x onerror=alert(1)>"], [], PEER),
    "port": ([b"198.51.100.9:4711"], [], "198.51.100.9"),
    "ipv6-bracketed-port": ([b"[2001:db8::9]:4711"], [], "2001:db8::9"),
    "ipv4-mapped-ipv6": ([b"::ffff:198.51.100.9"], [], "198.51.100.9"),
    "rfc7239-forwarded-ignored": ([], [(b"forwarded", b"for=6.6.6.6")], PEER),
    "x-real-ip-ignored": ([], [(b"x-real-ip", b"6.6.6.6")], PEER),
}


@pytest.mark.parametrize(
    ("lines", "others", "recorded"), FORWARDED_FORMS.values(), ids=FORWARDED_FORMS.keys()
)
async def test_forwarded_client_address_as_a_trusted_proxy_vouches_for_it(
    lines: list[bytes],
    others: list[tuple[bytes, bytes]],
    recorded: str,
    behind_proxy: ProxiedApp,
    make_user: MakeUser,
) -> None:
    # given: Twofold behind a proxy at the peer address, which appends the client it saw
    headers = [(b"x-forwarded-for", line) for line in lines] + others

    async with behind_proxy(PEER) as new_http:
        await make_user(EMAIL, PayRole.NONE)

        # when: a sign-in with a wrong password leaves an audit row with the client address
        response = await raw_post(new_http, LOG_IN, [(b"origin", ORIGIN.encode()), *headers])

        # then
        assert response.status_code == 200
        addresses = await AuditEvent.filter(event="password").values_list("ip_address", flat=True)
        assert addresses == [recorded]


async def test_forwarded_for_from_an_untrusted_peer_is_ignored(
    new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given: no trusted proxies (the default)
    await make_user(EMAIL, PayRole.NONE)

    # when
    response = await raw_post(
        new_http,
        LOG_IN,
        [(b"origin", ORIGIN.encode()), (b"x-forwarded-for", b"198.51.100.9")],
    )

    # then
    assert response.status_code == 200
    assert await AuditEvent.filter(event="password").values_list("ip_address", flat=True) == [PEER]


async def test_trusted_proxies_may_be_networks(
    behind_proxy: ProxiedApp, make_user: MakeUser
) -> None:
    # given: the peer and the last forwarded hop are both proxies of a trusted network
    headers = [(b"x-forwarded-for", b"6.6.6.6, 198.51.100.9, 203.0.113.99")]

    async with behind_proxy("203.0.113.0/24") as new_http:
        await make_user(EMAIL, PayRole.NONE)

        # when
        await raw_post(new_http, LOG_IN, [(b"origin", ORIGIN.encode()), *headers])

        # then
        addresses = await AuditEvent.filter(event="password").values_list("ip_address", flat=True)
        assert addresses == ["198.51.100.9"]


async def test_signing_in_records_the_forwarded_client_on_the_session(
    behind_proxy: ProxiedApp, make_user: MakeUser
) -> None:
    # given
    body = (
        '{"query": "mutation { logIn(input: {email: \\"'
        + EMAIL
        + '\\", password: \\"'
        + PASSWORD
        + '\\"}) { __typename } }"}'
    ).encode()
    forwarded = [(b"x-forwarded-for", b"6.6.6.6"), (b"x-forwarded-for", b"198.51.100.9")]

    async with behind_proxy(PEER) as new_http:
        await make_user(EMAIL, PayRole.NONE)

        # when
        response = await raw_post(new_http, body, [(b"origin", ORIGIN.encode()), *forwarded])

        # then
        assert response.json()["data"]["logIn"]["__typename"] == "LoggedIn"
        assert await AuthSession.all().values_list("ip_address", flat=True) == ["198.51.100.9"]


# (the peer is a trusted proxy, headers, the page's Origin, the answer's status)
OWN_ORIGINS: dict[str, tuple[bool, list[tuple[bytes, bytes]], bytes, int]] = {
    "request-host": (False, [], b"https://testserver", 200),
    "request-host-default-port": (False, [], b"https://testserver:443", 200),
    "other-scheme": (False, [], b"http://testserver", 403),
    "other-port": (False, [], b"https://testserver:8443", 403),
    "trusted-proxy-names-host": (
        True,
        [(b"x-forwarded-proto", b"https"), (b"x-forwarded-host", b"twofold.example")],
        b"https://twofold.example",
        200,
    ),
    "trusted-proxy-last-entry-wins": (
        True,
        [(b"x-forwarded-proto", b"http, https"), (b"x-forwarded-host", b"evil.example, tf.test")],
        b"https://tf.test",
        200,
    ),
    "forged-host-not-the-proxy-entry": (
        True,
        [(b"x-forwarded-proto", b"https"), (b"x-forwarded-host", b"evil.example, tf.test")],
        b"https://evil.example",
        403,
    ),
    "untrusted-peer-forwarded-host-ignored": (
        False,
        [(b"x-forwarded-proto", b"https"), (b"x-forwarded-host", b"twofold.example")],
        b"https://twofold.example",
        403,
    ),
}


@pytest.mark.parametrize(
    ("trusted", "headers", "origin", "status"), OWN_ORIGINS.values(), ids=OWN_ORIGINS.keys()
)
async def test_the_own_origin_is_the_request_s_or_the_one_a_trusted_proxy_names(
    trusted: bool,
    headers: list[tuple[bytes, bytes]],
    origin: bytes,
    status: int,
    behind_proxy: ProxiedApp,
    make_user: MakeUser,
) -> None:
    # given: a signed-in browser; the peer is the trusted proxy, or not
    async with behind_proxy(PEER if trusted else "192.0.2.1") as new_http:
        token = await cookie_of_signed_in_browser(new_http, make_user)

        # when: a cookie request from the page at `origin`
        cookie = (b"cookie", f"{SESSION_COOKIE}={token}".encode())
        response = await raw_post(new_http, VIEWER, [(b"origin", origin), cookie, *headers])

    # then
    assert response.status_code == status, response.text
    if status == 200:
        assert response.json()["data"]["viewer"] == {"email": EMAIL}
