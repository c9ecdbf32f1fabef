"""The set of providers one app instance talks to the outside world through."""

from __future__ import annotations

from dataclasses import dataclass, field

from providers.clock import Clock, SystemClock
from providers.email import EmailSender
from providers.oidc import HttpOidc, OidcHttp
from providers.passwords import PasswordHasher
from providers.randomness import Randomness, SecretsRandomness
from providers.sms import SmsSender
from providers.webhooks import HttpWebhooks, WebhookSender


@dataclass
class Providers:
    sms: SmsSender
    email: EmailSender
    clock: Clock = field(default_factory=SystemClock)
    randomness: Randomness = field(default_factory=SecretsRandomness)
    passwords: PasswordHasher = field(default_factory=PasswordHasher)
    webhooks: WebhookSender = field(default_factory=HttpWebhooks)
    oidc: OidcHttp = field(default_factory=HttpOidc)
    sms_providers: dict[str, SmsSender] = field(default_factory=dict)
    """The SMS providers by name (messagebird, twilio) that routes choose from; empty: `sms`."""

    def close(self) -> None:
        """Release thread pools and HTTP sessions held by providers that have them."""
        providers = [self.sms, self.email, self.passwords]
        providers += [p for p in self.sms_providers.values() if p is not self.sms]
        for provider in providers:
            close = getattr(provider, "close", None)
            if callable(close):
                close()
