"""Choose the real or the local provider for each outside system, from settings."""

from __future__ import annotations

from domain.settings import Settings, SettingsError
from providers.clock import SystemClock
from providers.email import ConsoleEmail, EmailSender
from providers.messagebird_sms import MessageBirdSms
from providers.oidc import HttpOidc
from providers.passwords import PasswordHasher
from providers.registry import Providers
from providers.sms import ConsoleSms, SmsSender
from providers.smtp_email import SmtpEmail
from providers.twilio_sms import TwilioSms
from providers.webhooks import HttpWebhooks


def build_providers(settings: Settings) -> Providers:
    clock = SystemClock()
    routes = _sms_providers(settings)
    return Providers(
        sms=next(iter(routes.values()), None) or _sms(settings),
        sms_providers=routes,
        email=_email(settings, clock),
        clock=clock,
        passwords=PasswordHasher(max_waiting=settings.password_hash_queue),
        webhooks=HttpWebhooks(timeout=settings.webhook_timeout_seconds),
        oidc=HttpOidc(timeout=settings.sso_timeout_seconds),
    )


def _sms_providers(settings: Settings) -> dict[str, SmsSender]:
    """Each configured SMS provider by name. A provider's own timeout is no longer than the
    time its route gets, so a thread waiting on a silent provider is freed with the route."""
    timeout = min(settings.network_timeout_seconds, settings.sms_provider_timeout_seconds)
    senders: dict[str, SmsSender] = {}
    if settings.messagebird_access_key:
        senders["messagebird"] = MessageBirdSms(
            access_key=settings.messagebird_access_key,
            originator=settings.messagebird_originator,
            endpoint=settings.messagebird_endpoint,
            timeout=timeout,
            max_workers=settings.sms_worker_threads,
            report_url=settings.delivery_report_url,
        )
    if settings.twilio_account_sid:
        senders["twilio"] = TwilioSms(
            account_sid=settings.twilio_account_sid,
            auth_token=settings.twilio_auth_token,
            sender=settings.twilio_from,
            endpoint=settings.twilio_endpoint,
            timeout=timeout,
            max_workers=settings.sms_worker_threads,
            status_url=settings.twilio_status_url,
        )
    return senders


def _sms(settings: Settings) -> SmsSender:
    if settings.is_production:
        raise SettingsError("MESSAGEBIRD_ACCESS_KEY is required in production")
    return ConsoleSms()


def _email(settings: Settings, clock: SystemClock) -> EmailSender:
    if settings.smtp_host:
        return SmtpEmail(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.mail_from,
            clock=clock,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
            timeout=settings.network_timeout_seconds,
        )
    if settings.is_production:
        raise SettingsError("SMTP_HOST is required in production")
    return ConsoleEmail()
