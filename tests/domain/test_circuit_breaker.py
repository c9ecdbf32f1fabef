"""The circuit breaker of each SMS provider and country: failures in the window open it, texts
then skip that route, the cool-down (on the clock provider) lets one trial through, and its
success closes the breaker. `/readyz`, `/metrics` and `twofold sms routes` (another process,
reading the database) show the state."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from domain.metrics import REGISTRY
from domain.settings import Settings
from providers.clock import ManualClock
from tests.support.flows import reach_code_verification
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.routes import SIGNING_KEY, RoutedApp, routed_settings
from tests.support.served import run_twofold
from tests.support.twilio_standin import TwilioStandIn

BREAKER = {"sms_breaker_failures": 2, "sms_breaker_cooldown_seconds": 60}


def routes_command(settings: Settings, twilio: TwilioStandIn, cwd: Path) -> str:
    on = routed_settings(settings, twilio)
    env = {
        "DATABASE_URL": on.database_url,
        "TWOFOLD_SECRET_KEY": on.secret_key,
        "MESSAGEBIRD_ACCESS_KEY": on.messagebird_access_key,
        "TWILIO_ACCOUNT_SID": on.twilio_account_sid,
        "TWILIO_AUTH_TOKEN": on.twilio_auth_token,
        "TWILIO_FROM": on.twilio_from,
        "SMS_ROUTES": "default=messagebird,twilio;GB=twilio",
        "SMS_BREAKER_COOLDOWN_SECONDS": "60",
        "PATH": "/usr/bin:/bin",
    }
    done = run_twofold(env, cwd, "sms", "routes")
    assert done.returncode == 0, done.stderr
    return done.stdout


def breaker_gauge(provider: str) -> float | None:
    labels = {"provider": provider, "country": "US"}
    return REGISTRY.get_sample_value("twofold_sms_breaker_state", labels)


async def texted(http: Any, make_user: Any, n: int) -> None:
    email = f"breaker{n}@example.com"
    await make_user(email)
    await reach_code_verification(GraphQLClient(http()), email)


async def test_the_breaker_opens_skips_the_route_and_closes_after_a_trial(
    routed: RoutedApp,
    settings: Settings,
    clock: ManualClock,
    messagebird: MessageBirdStandIn,
    twilio: TwilioStandIn,
    make_user: Any,
    tmp_path: Path,
) -> None:
    async with routed(**BREAKER) as http:
        # given: MessageBird fails two texts in the window
        messagebird.mode = "500"
        await texted(http, make_user, 1)
        await texted(http, make_user, 2)
        async with http() as probe:
            ready = (await probe.get("/readyz")).json()
            await probe.get("/metrics")
        listed_open = routes_command(settings, twilio, tmp_path)

        # when: a third text while open, then one after the cool-down with MessageBird back
        await texted(http, make_user, 3)
        skipped = messagebird.requests
        clock.advance(timedelta(seconds=61))
        messagebird.mode = "ok"
        await texted(http, make_user, 4)
        async with http() as probe:
            await probe.get("/metrics")
        listed_closed = routes_command(settings, twilio, tmp_path)

        # then: open after two failures, the third text straight to Twilio, the trial closed it
        assert ready["status"] == "ready"
        assert {"provider": "messagebird", "country": "US", "state": "open"} in ready["details"][
            "sms_breakers"
        ]
        assert skipped == 2
        assert (messagebird.requests, len(messagebird.messages), len(twilio.messages)) == (3, 1, 3)
        assert breaker_gauge("messagebird") == 0
        assert "providers: messagebird, twilio" in listed_open
        assert "routes: default=messagebird,twilio;GB=twilio" in listed_open
        assert "messagebird US open failures=2" in listed_open
        assert "messagebird US closed failures=0" in listed_closed


async def test_an_open_breaker_waits_its_cool_down_and_a_failed_trial_opens_it_again(
    routed: RoutedApp,
    clock: ManualClock,
    messagebird: MessageBirdStandIn,
    twilio: TwilioStandIn,
    make_user: Any,
) -> None:
    async with routed(**BREAKER) as http:
        # given: open
        messagebird.mode = "500"
        await texted(http, make_user, 1)
        await texted(http, make_user, 2)

        # when: just before the cool-down ends, then after it (still failing), then again
        clock.advance(timedelta(seconds=59))
        await texted(http, make_user, 3)
        before_cool_down = messagebird.requests
        clock.advance(timedelta(seconds=2))
        await texted(http, make_user, 4)
        trial = messagebird.requests
        await texted(http, make_user, 5)
        async with http() as probe:
            await probe.get("/metrics")

        # then: no call before the cool-down, one trial after it, open again after its failure
        assert (before_cool_down, trial, messagebird.requests) == (2, 3, 3)
        assert len(twilio.messages) == 5
        assert breaker_gauge("messagebird") == 2


async def test_failed_delivery_reports_open_the_breaker_too(
    routed: RoutedApp,
    messagebird: MessageBirdStandIn,
    twilio: TwilioStandIn,
    make_user: Any,
) -> None:
    async with routed(**BREAKER) as http:
        # given: two texts MessageBird took, both reported undelivered
        for n in (1, 2):
            await texted(http, make_user, n)
        assert len(messagebird.messages) == 2
        for message in messagebird.messages:
            path, headers = messagebird.delivery_report(message, "delivery_failed", SIGNING_KEY)
            async with http() as provider:
                assert (await provider.get(path, headers=headers)).status_code == 200

        # when
        await texted(http, make_user, 3)

        # then: MessageBird is skipped for US numbers
        assert (len(messagebird.messages), len(twilio.messages)) == (2, 1)
