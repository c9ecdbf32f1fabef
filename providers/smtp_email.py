"""Email over SMTP with aiosmtplib, with a timeout on every exchange."""

from __future__ import annotations

import logging
from email.message import EmailMessage as MimeMessage
from email.utils import format_datetime, make_msgid

import aiosmtplib

from providers.clock import Clock
from providers.email import EmailDeliveryError, EmailMessage

logger = logging.getLogger("twofold.email")


class SmtpEmail:
    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        clock: Clock,
        username: str = "",
        password: str = "",
        starttls: bool = True,
        timeout: float = 10.0,
    ) -> None:
        self._host = host
        self._port = port
        self._sender = sender
        self._clock = clock
        self._username = username or None
        self._password = password or None
        self._starttls = starttls
        self._timeout = timeout

    async def send(self, message: EmailMessage) -> None:
        mime = MimeMessage()
        mime["From"] = self._sender
        mime["To"] = message.to
        mime["Subject"] = message.subject
        mime["Date"] = format_datetime(self._clock.now())
        mime["Message-ID"] = make_msgid(domain="twofold")
        mime.set_content(message.body)
        try:
            await aiosmtplib.send(
                mime,
                hostname=self._host,
                port=self._port,
                username=self._username,
                password=self._password,
                start_tls=self._starttls,
                timeout=self._timeout,
            )
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            logger.warning("SMTP delivery failed: %s", type(exc).__name__)
            raise EmailDeliveryError("the mail server did not accept the message") from exc
