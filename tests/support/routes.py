"""The app with both SMS providers on their stand-ins, delivery reports on (PUBLIC_URL and both
providers' signing secrets), and helpers that read what each stand-in was sent."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import replace
from typing import Any

from domain.metrics import REGISTRY
from domain.settings import Settings
from graph.startup.wiring import build_providers
from providers.clock import ManualClock
from tests.support.apps import running_app
from tests.support.clients import PeerHttpFactory
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.twilio_standin import ACCOUNT_SID, AUTH_TOKEN, FROM, TwilioStandIn

PUBLIC_URL = "https://twofold.example"
SIGNING_KEY = "test-messagebird-signing-key-0123456789abcdef"


def routed_settings(settings: Settings, twilio: TwilioStandIn, **overrides: Any) -> Settings:
    """The suite's settings with Twilio second on every route and reports on."""
    return replace(
        settings,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_from=FROM,
        twilio_endpoint=twilio.endpoint,
        public_url=PUBLIC_URL,
        messagebird_signing_key=SIGNING_KEY,
        **overrides,
    )


@asynccontextmanager
async def routed_app(
    settings: Settings,
    clock: ManualClock,
    messagebird: MessageBirdStandIn,
    twilio: TwilioStandIn,
    mailbox: Mailbox,
    **overrides: Any,
) -> AsyncIterator[PeerHttpFactory]:
    on = routed_settings(settings, twilio, **overrides)
    providers = replace(build_providers(on), clock=clock)
    try:
        async with running_app(on, providers, messagebird, mailbox) as factory:
            twilio.reset()
            yield factory
    finally:
        providers.close()


# `async with routed(**settings) as http`: the app on both stand-ins (the `routed` fixture).
RoutedApp = Callable[..., AbstractAsyncContextManager[PeerHttpFactory]]


def route_count(provider: str, outcome: str, country: str = "US") -> float:
    labels = {"provider": provider, "country": country, "outcome": outcome}
    return REGISTRY.get_sample_value("twofold_sms_route_texts_total", labels) or 0.0
