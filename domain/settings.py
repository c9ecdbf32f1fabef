"""Twofold's settings, read once from the environment and an optional `.env` file."""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.config import Config

logger = logging.getLogger("twofold.settings")

DEVELOPMENT = "development"
PRODUCTION = "production"
DEV_SECRET_FILE = ".twofold-secret"
MESSAGEBIRD_DEFAULT_ENDPOINT = "https://rest.messagebird.com"
DELIVERY_REPORT_PATH = "/webhooks/messagebird/status"
TWILIO_DEFAULT_ENDPOINT = "https://api.twilio.com"
TWILIO_STATUS_PATH = "/webhooks/twilio/status"
SMS_PROVIDERS = ("messagebird", "twilio")
DEFAULT_SMS_ROUTES = "default=messagebird,twilio"
SmsRoutes = tuple[tuple[str, tuple[str, ...]], ...]


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Settings:
    """Every knob of Twofold. Defaults are the product's documented behaviour."""

    database_url: str = "sqlite://twofold.sqlite3"
    environment: str = DEVELOPMENT
    secret_key: str = field(default="", repr=False)
    messagebird_access_key: str = field(default="", repr=False)
    messagebird_originator: str = "Twofold"
    messagebird_endpoint: str = MESSAGEBIRD_DEFAULT_ENDPOINT
    sms_allowed_countries: tuple[str, ...] = ("US",)
    sms_code_ttl_minutes: int = 30
    sms_code_max_attempts: int = 5
    app_code_max_attempts: int = 5
    sms_resend_cooldown_seconds: int = 30
    sms_resend_cooldown_max_seconds: int = 900
    sms_per_number_per_hour: int = 5
    sms_per_user_per_day: int = 10
    sms_per_ip_per_hour: int = 20
    sms_per_country_per_day: int = 1000
    trusted_proxies: tuple[str, ...] = ()
    login_free_failures: int = 5
    login_max_delay_seconds: int = 900
    login_failures_per_ip_per_hour: int = 50
    passkey_challenges_per_ip_per_hour: int = 60
    login_account_free_failures: int = 20
    password_hash_queue: int = 64
    known_device_days: int = 90
    second_factor_max_failures: int = 10
    second_factor_lock_failures: int = 100
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_starttls: bool = True
    mail_from: str = "Twofold <no-reply@twofold.localhost>"
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    pending_session_minutes: int = 60
    network_timeout_seconds: float = 10.0
    sms_worker_threads: int = 8
    allowed_origins: tuple[str, ...] = ("http://127.0.0.1:8000", "http://localhost:8000")
    graphiql_assets_url: str = ""
    totp_issuer: str = "Twofold"
    webauthn_rp_id: str = ""
    webauthn_rp_name: str = "Twofold"
    webauthn_origins: tuple[str, ...] = ()
    webauthn_challenge_seconds: int = 300
    trusted_browser_days: int = 30
    passkey_sign_in: bool = False
    reauthentication_minutes: int = 15
    graphql_max_aliases: int = 10
    graphql_max_depth: int = 10
    graphql_max_tokens: int = 2000
    graphql_max_selections: int = 1000
    # None: on in production, off in development (see `documents_only`).
    trusted_documents_only: bool | None = None
    max_request_body_bytes: int = 65536
    log_format: str = "text"
    metrics_token: str = field(default="", repr=False)
    outbox_poll_seconds: float = 5.0
    webhook_timeout_seconds: float = 5.0
    sso_max_auth_age_seconds: int = 300
    sso_native_code_seconds: int = 60
    sso_timeout_seconds: float = 5.0
    public_url: str = ""
    messagebird_signing_key: str = field(default="", repr=False)
    access_token_seconds: int = 300
    access_token_audiences: tuple[str, ...] = ()
    jwks_max_age_seconds: int = 300
    password_min_length: int = 8
    password_resets_per_email_per_hour: int = 3
    password_resets_per_ip_per_hour: int = 20
    transaction_approval_seconds: int = 300
    hold_after_mfa_reset_hours: int = 72
    hold_after_recovery_code_sign_in_hours: int = 72
    hold_after_phone_change_hours: int = 24
    hold_after_factor_change_hours: int = 24
    hold_after_password_change_hours: int = 24
    twilio_account_sid: str = ""
    twilio_auth_token: str = field(default="", repr=False)
    twilio_from: str = ""
    twilio_endpoint: str = TWILIO_DEFAULT_ENDPOINT
    sms_routes: SmsRoutes = (("default", ("messagebird", "twilio")),)
    sms_provider_timeout_seconds: float = 4.0
    sms_send_budget_seconds: float = 9.0
    sms_breaker_failures: int = 3
    sms_breaker_window_seconds: int = 300
    sms_breaker_cooldown_seconds: int = 60

    def sms_route_for(self, country: str) -> tuple[str, ...]:
        """The providers to try for a number of `country`, in order (SMS_ROUTES)."""
        routes = dict(self.sms_routes)
        return routes.get(country.upper()) or routes.get("default") or SMS_PROVIDERS

    @property
    def twilio_status_url(self) -> str | None:
        """Where Twilio reports what became of each text (PUBLIC_URL's `/webhooks/twilio/status`),
        or None: reports off without PUBLIC_URL."""
        if not self.public_url:
            return None
        return self.public_url.rstrip("/") + TWILIO_STATUS_PATH

    @property
    def delivery_report_url(self) -> str | None:
        """Where MessageBird reports what became of each text: PUBLIC_URL's
        `/webhooks/messagebird/status`, or None (reports off) without PUBLIC_URL."""
        if not self.public_url:
            return None
        return self.public_url.rstrip("/") + DELIVERY_REPORT_PATH

    @property
    def is_production(self) -> bool:
        return self.environment == PRODUCTION

    @property
    def documents_only(self) -> bool:
        """TRUSTED_DOCUMENTS_ONLY: only documents of the manifest run; by default in
        production, never by default in development (GraphiQL stays free there)."""
        if self.trusted_documents_only is None:
            return self.is_production
        return self.trusted_documents_only

    @property
    def relying_party_id(self) -> str:
        """WEBAUTHN_RP_ID, else the host name of the first allowed origin that is not an IP
        address (WebAuthn refuses those): `localhost` with the development defaults."""
        if self.webauthn_rp_id:
            return self.webauthn_rp_id
        for origin in self.allowed_origins:
            host = urlsplit(origin).hostname or ""
            if host and not _is_ip_address(host):
                return host
        return "localhost"

    @property
    def relying_party_origins(self) -> tuple[str, ...]:
        """WEBAUTHN_ORIGINS, else the allowed origins on the relying party's host or below it."""
        if self.webauthn_origins:
            return self.webauthn_origins
        rp_id = self.relying_party_id
        return tuple(
            origin
            for origin in self.allowed_origins
            if (host := urlsplit(origin).hostname or "") == rp_id or host.endswith(f".{rp_id}")
        )

    @classmethod
    def from_environment(cls, env_file: str | Path = ".env") -> Settings:
        """Read settings from `os.environ`, falling back to `env_file` when it exists.

        Every missing or malformed setting is named in one SettingsError, so an operator fixes
        them all before the next start rather than one per restart.
        """
        config = _Reader(Config(env_file if Path(env_file).is_file() else None))
        environment = config("TWOFOLD_ENV", default=DEVELOPMENT)
        if environment not in (DEVELOPMENT, PRODUCTION):
            config.problem(f"TWOFOLD_ENV must be {DEVELOPMENT} or {PRODUCTION}")
        secret_key = config("TWOFOLD_SECRET_KEY", default="")
        if not secret_key:
            if environment == PRODUCTION:
                config.problem("TWOFOLD_SECRET_KEY is required in production")
            else:
                secret_key = _development_secret_key()
        if secret_key and len(secret_key) < 32:
            config.problem("TWOFOLD_SECRET_KEY must be at least 32 characters")
        if environment == PRODUCTION:
            for required in ("MESSAGEBIRD_ACCESS_KEY", "SMTP_HOST"):
                if not config(required, default=""):
                    config.problem(f"{required} is required in production")
        log_format = config("LOG_FORMAT", default="text")
        if log_format not in ("text", "json"):
            config.problem("LOG_FORMAT must be text or json")
        countries = config("SMS_ALLOWED_COUNTRIES", default="US")
        public_url = config("PUBLIC_URL", default="").rstrip("/")
        signing_key = config("MESSAGEBIRD_SIGNING_KEY", default="")
        _check_delivery_reports(config, public_url, signing_key, environment)
        settings = cls(
            database_url=config("DATABASE_URL", default=cls.database_url),
            environment=environment,
            secret_key=secret_key,
            messagebird_access_key=config("MESSAGEBIRD_ACCESS_KEY", default=""),
            messagebird_originator=config("MESSAGEBIRD_ORIGINATOR", default="Twofold"),
            messagebird_endpoint=config(
                "MESSAGEBIRD_ENDPOINT", default=MESSAGEBIRD_DEFAULT_ENDPOINT
            ),
            sms_allowed_countries=tuple(code.upper() for code in _split(countries)),
            sms_code_ttl_minutes=config("SMS_CODE_TTL_MINUTES", cast=int, default=30),
            sms_code_max_attempts=config("SMS_CODE_MAX_ATTEMPTS", cast=int, default=5),
            app_code_max_attempts=_app_code_max_attempts(config),
            sms_resend_cooldown_seconds=config("SMS_RESEND_COOLDOWN_SECONDS", cast=int, default=30),
            sms_resend_cooldown_max_seconds=config(
                "SMS_RESEND_COOLDOWN_MAX_SECONDS", cast=int, default=900
            ),
            sms_per_number_per_hour=config("SMS_PER_NUMBER_PER_HOUR", cast=int, default=5),
            sms_per_user_per_day=config("SMS_PER_USER_PER_DAY", cast=int, default=10),
            sms_per_ip_per_hour=config("SMS_PER_IP_PER_HOUR", cast=int, default=20),
            sms_per_country_per_day=config("SMS_PER_COUNTRY_PER_DAY", cast=int, default=1000),
            trusted_proxies=_split(config("TRUSTED_PROXIES", default="")),
            login_free_failures=config("LOGIN_FREE_FAILURES", cast=int, default=5),
            login_max_delay_seconds=config("LOGIN_MAX_DELAY_SECONDS", cast=int, default=900),
            login_failures_per_ip_per_hour=config(
                "LOGIN_FAILURES_PER_IP_PER_HOUR", cast=int, default=50
            ),
            login_account_free_failures=config("LOGIN_ACCOUNT_FREE_FAILURES", cast=int, default=20),
            passkey_challenges_per_ip_per_hour=config(
                "PASSKEY_CHALLENGES_PER_IP_PER_HOUR", cast=int, default=60
            ),
            password_hash_queue=config("PASSWORD_HASH_QUEUE", cast=int, default=64),
            known_device_days=config("KNOWN_DEVICE_DAYS", cast=int, default=90),
            second_factor_lock_failures=config(
                "SECOND_FACTOR_LOCK_FAILURES", cast=int, default=100
            ),
            second_factor_max_failures=config("SECOND_FACTOR_MAX_FAILURES", cast=int, default=10),
            smtp_host=config("SMTP_HOST", default=""),
            smtp_port=config("SMTP_PORT", cast=int, default=587),
            smtp_username=config("SMTP_USERNAME", default=""),
            smtp_password=config("SMTP_PASSWORD", default=""),
            smtp_starttls=config("SMTP_STARTTLS", cast=bool, default=True),
            mail_from=config("MAIL_FROM", default=cls.mail_from),
            session_idle_minutes=config("SESSION_IDLE_MINUTES", cast=int, default=30),
            session_absolute_hours=config("SESSION_ABSOLUTE_HOURS", cast=int, default=12),
            pending_session_minutes=config("PENDING_SESSION_MINUTES", cast=int, default=60),
            network_timeout_seconds=config("NETWORK_TIMEOUT_SECONDS", cast=float, default=10.0),
            allowed_origins=_split(
                config(
                    "ALLOWED_ORIGINS",
                    default="" if environment == PRODUCTION else ",".join(cls.allowed_origins),
                )
            ),
            graphiql_assets_url=config("GRAPHIQL_ASSETS_URL", default=""),
            totp_issuer=config("TOTP_ISSUER", default="Twofold"),
            webauthn_rp_id=config("WEBAUTHN_RP_ID", default=""),
            webauthn_rp_name=config("WEBAUTHN_RP_NAME", default="Twofold"),
            webauthn_origins=_split(config("WEBAUTHN_ORIGINS", default="")),
            webauthn_challenge_seconds=config("WEBAUTHN_CHALLENGE_SECONDS", cast=int, default=300),
            trusted_browser_days=config("TRUSTED_BROWSER_DAYS", cast=int, default=30),
            passkey_sign_in=config("PASSKEY_SIGN_IN", cast=bool, default=False),
            reauthentication_minutes=config("REAUTHENTICATION_MINUTES", cast=int, default=15),
            graphql_max_aliases=config("GRAPHQL_MAX_ALIASES", cast=int, default=10),
            graphql_max_depth=config("GRAPHQL_MAX_DEPTH", cast=int, default=10),
            graphql_max_tokens=config("GRAPHQL_MAX_TOKENS", cast=int, default=2000),
            graphql_max_selections=config("GRAPHQL_MAX_SELECTIONS", cast=int, default=1000),
            trusted_documents_only=config(
                "TRUSTED_DOCUMENTS_ONLY", cast=bool, default=environment == PRODUCTION
            ),
            max_request_body_bytes=config("MAX_REQUEST_BODY_BYTES", cast=int, default=65536),
            log_format=log_format,
            metrics_token=config("METRICS_TOKEN", default=""),
            outbox_poll_seconds=config("OUTBOX_POLL_SECONDS", cast=float, default=5.0),
            webhook_timeout_seconds=config("WEBHOOK_TIMEOUT_SECONDS", cast=float, default=5.0),
            sso_max_auth_age_seconds=config("SSO_MAX_AUTH_AGE_SECONDS", cast=int, default=300),
            sso_native_code_seconds=config("SSO_NATIVE_CODE_SECONDS", cast=int, default=60),
            sso_timeout_seconds=config("SSO_TIMEOUT_SECONDS", cast=float, default=5.0),
            public_url=public_url,
            messagebird_signing_key=signing_key,
            access_token_seconds=_access_token_seconds(config),
            access_token_audiences=_split(config("ACCESS_TOKEN_AUDIENCES", default="")),
            jwks_max_age_seconds=_jwks_max_age_seconds(config),
            password_min_length=_password_min_length(config),
            password_resets_per_email_per_hour=config(
                "PASSWORD_RESETS_PER_EMAIL_PER_HOUR", cast=int, default=3
            ),
            password_resets_per_ip_per_hour=config(
                "PASSWORD_RESETS_PER_IP_PER_HOUR", cast=int, default=20
            ),
            transaction_approval_seconds=_transaction_approval_seconds(config),
            hold_after_mfa_reset_hours=_hold_hours(
                config,
                "HOLD_AFTER_MFA_RESET_HOURS",
                config("HOLD_AFTER_MFA_RESET_HOURS", cast=int, default=72),
            ),
            hold_after_recovery_code_sign_in_hours=_hold_hours(
                config,
                "HOLD_AFTER_RECOVERY_CODE_SIGN_IN_HOURS",
                config("HOLD_AFTER_RECOVERY_CODE_SIGN_IN_HOURS", cast=int, default=72),
            ),
            hold_after_phone_change_hours=_hold_hours(
                config,
                "HOLD_AFTER_PHONE_CHANGE_HOURS",
                config("HOLD_AFTER_PHONE_CHANGE_HOURS", cast=int, default=24),
            ),
            hold_after_factor_change_hours=_hold_hours(
                config,
                "HOLD_AFTER_FACTOR_CHANGE_HOURS",
                config("HOLD_AFTER_FACTOR_CHANGE_HOURS", cast=int, default=24),
            ),
            hold_after_password_change_hours=_hold_hours(
                config,
                "HOLD_AFTER_PASSWORD_CHANGE_HOURS",
                config("HOLD_AFTER_PASSWORD_CHANGE_HOURS", cast=int, default=24),
            ),
            **_sms_routing(config),
        )
        config.raise_problems()
        return settings


class _Reader:
    """starlette's Config, remembering each malformed value instead of stopping at the first."""

    def __init__(self, config: Config) -> None:
        self._config = config
        self._problems: list[str] = []

    def __call__(self, name: str, cast: Any = None, default: Any = None) -> Any:
        try:
            return self._config(name, cast=cast, default=default)
        except (ValueError, TypeError):
            kind = getattr(cast, "__name__", "value")
            self.problem(f"{name} must be a valid {kind}")
            return default

    def problem(self, text: str) -> None:
        self._problems.append(text)

    def raise_problems(self) -> None:
        if self._problems:
            raise SettingsError(f"settings to fix: {'; '.join(self._problems)}")


def _app_code_max_attempts(config: _Reader) -> int:
    """APP_CODE_MAX_ATTEMPTS; until it is set, SMS_CODE_MAX_ATTEMPTS, which used to limit both."""
    own = config("APP_CODE_MAX_ATTEMPTS", cast=int, default=None)
    if own is not None:
        return int(own)
    legacy = config("SMS_CODE_MAX_ATTEMPTS", cast=int, default=None)
    if legacy is None:
        return Settings.app_code_max_attempts
    logger.warning(
        "SMS_CODE_MAX_ATTEMPTS no longer limits authenticator app codes: set "
        "APP_CODE_MAX_ATTEMPTS for those (until then it follows SMS_CODE_MAX_ATTEMPTS)"
    )
    return int(legacy)


MAX_ACCESS_TOKEN_SECONDS = 300
"""Access tokens outlive neither this nor their session by much: a service that does not
introspect trusts a signed-out session's token at most this long."""


def _access_token_seconds(config: _Reader) -> int:
    seconds = int(config("ACCESS_TOKEN_SECONDS", cast=int, default=MAX_ACCESS_TOKEN_SECONDS))
    if not 1 <= seconds <= MAX_ACCESS_TOKEN_SECONDS:
        config.problem(f"ACCESS_TOKEN_SECONDS must be between 1 and {MAX_ACCESS_TOKEN_SECONDS}")
    return seconds


MAX_TRANSACTION_APPROVAL_SECONDS = 300
"""PSD2 RTS Art. 4(3)(d): an authentication code lives at most five minutes."""


def _transaction_approval_seconds(config: _Reader) -> int:
    default = MAX_TRANSACTION_APPROVAL_SECONDS
    seconds = int(config("TRANSACTION_APPROVAL_SECONDS", cast=int, default=default))
    if not 1 <= seconds <= MAX_TRANSACTION_APPROVAL_SECONDS:
        config.problem(
            f"TRANSACTION_APPROVAL_SECONDS must be between 1 and {MAX_TRANSACTION_APPROVAL_SECONDS}"
        )
    return seconds


MAX_HOLD_HOURS = 720
"""A cooling-off hold lasts at most 30 days; 0 turns that hold off."""


def _hold_hours(config: _Reader, name: str, read: int) -> int:
    hours = int(read)
    if not 0 <= hours <= MAX_HOLD_HOURS:
        config.problem(f"{name} must be between 0 and {MAX_HOLD_HOURS}")
    return hours


def _jwks_max_age_seconds(config: _Reader) -> int:
    seconds = int(config("JWKS_MAX_AGE_SECONDS", cast=int, default=300))
    if not 0 <= seconds <= 86400:
        config.problem("JWKS_MAX_AGE_SECONDS must be between 0 and 86400")
    return seconds


def _password_min_length(config: _Reader) -> int:
    """PASSWORD_MIN_LENGTH: 63B rev. 4 allows no fewer than 8; 64 is the most it may ask."""
    length = int(config("PASSWORD_MIN_LENGTH", cast=int, default=8))
    if not 8 <= length <= 64:
        config.problem("PASSWORD_MIN_LENGTH must be between 8 and 64")
    return length


def _check_delivery_reports(
    config: _Reader, public_url: str, signing_key: str, environment: str
) -> None:
    """Delivery reports are on with PUBLIC_URL, and then need the key that signs them."""
    if not public_url:
        return
    parts = urlsplit(public_url)
    secure = parts.scheme == "https" or (environment != PRODUCTION and parts.scheme == "http")
    if not secure or not parts.hostname or parts.query or parts.fragment:
        config.problem("PUBLIC_URL must be an https:// URL (http:// in development) without query")
    if not signing_key:
        config.problem("MESSAGEBIRD_SIGNING_KEY is required with PUBLIC_URL")


def _sms_routing(config: _Reader) -> dict[str, Any]:
    """The second SMS provider (Twilio), the routes per country and the circuit breakers."""
    timeout = float(config("SMS_PROVIDER_TIMEOUT_SECONDS", cast=float, default=4.0))
    budget = float(config("SMS_SEND_BUDGET_SECONDS", cast=float, default=9.0))
    if not 0 < timeout <= budget:
        config.problem(
            "SMS_PROVIDER_TIMEOUT_SECONDS must be above 0 and at most SMS_SEND_BUDGET_SECONDS"
        )
    sid = config("TWILIO_ACCOUNT_SID", default="")
    token = config("TWILIO_AUTH_TOKEN", default="")
    sender = config("TWILIO_FROM", default="")
    if sid and not (token and sender):
        config.problem("TWILIO_AUTH_TOKEN and TWILIO_FROM are required with TWILIO_ACCOUNT_SID")
    return {
        "twilio_account_sid": sid,
        "twilio_auth_token": token,
        "twilio_from": sender,
        "twilio_endpoint": config("TWILIO_ENDPOINT", default=TWILIO_DEFAULT_ENDPOINT),
        "sms_routes": parse_sms_routes(config, config("SMS_ROUTES", default=DEFAULT_SMS_ROUTES)),
        "sms_provider_timeout_seconds": timeout,
        "sms_send_budget_seconds": budget,
        "sms_breaker_failures": max(1, config("SMS_BREAKER_FAILURES", cast=int, default=3)),
        "sms_breaker_window_seconds": config("SMS_BREAKER_WINDOW_SECONDS", cast=int, default=300),
        "sms_breaker_cooldown_seconds": config(
            "SMS_BREAKER_COOLDOWN_SECONDS", cast=int, default=60
        ),
    }


def parse_sms_routes(config: _Reader, text: str) -> SmsRoutes:
    """`default=messagebird,twilio;US=twilio,messagebird`: per ISO region (or `default`), the
    providers in the order they are tried."""
    routes: list[tuple[str, tuple[str, ...]]] = []
    for entry in (part.strip() for part in text.split(";") if part.strip()):
        country, _, names = entry.partition("=")
        country = country.strip().upper() if country.strip() != "default" else "default"
        providers = _split(names)
        well_formed = country == "default" or (len(country) == 2 and country.isalpha())
        if not well_formed or not providers or any(p not in SMS_PROVIDERS for p in providers):
            config.problem(
                "SMS_ROUTES must be COUNTRY=provider,provider;... with providers among "
                + ", ".join(SMS_PROVIDERS)
            )
            return Settings.sms_routes
        routes.append((country, providers))
    return tuple(routes) or Settings.sms_routes


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _development_secret_key() -> str:
    """Generate a key once and keep it, so development restarts keep sessions and codes valid."""
    path = Path(DEV_SECRET_FILE)
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key
