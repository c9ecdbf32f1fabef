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
from providers.webhooks import HttpWebhooks


def build_providers(settings: Settings) -> Providers:
    clock = SystemClock()
    return Providers(
        sms=_sms(settings),
        email=_email(settings, clock),
        clock=clock,
        passwords=PasswordHasher(max_waiting=settings.password_hash_queue),
        webhooks=HttpWebhooks(timeout=settings.webhook_timeout_seconds),
        oidc=HttpOidc(timeout=settings.sso_timeout_seconds),
    )


def _sms(settings: Settings) -> SmsSender:
    if settings.messagebird_access_key:
        return MessageBirdSms(
            access_key=settings.messagebird_access_key,
            originator=settings.messagebird_originator,
            endpoint=settings.messagebird_endpoint,
            timeout=settings.network_timeout_seconds,
            max_workers=settings.sms_worker_threads,
            report_url=settings.delivery_report_url,
        )
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
