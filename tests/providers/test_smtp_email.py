"""SmtpEmail delivers over real SMTP to the local server."""

from __future__ import annotations

import socket

import pytest

from providers.clock import ManualClock
from providers.email import EmailDeliveryError, EmailMessage
from providers.smtp_email import SmtpEmail
from tests.support.mailbox import Mailbox


async def test_message_arrives_with_headers_and_body(mailbox: Mailbox) -> None:
    # given
    mailbox.reset()
    sender = SmtpEmail(
        "127.0.0.1",
        mailbox.port,
        "Twofold <no-reply@twofold.test>",
        ManualClock(),
        starttls=False,
        timeout=2,
    )
    # when
    await sender.send(EmailMessage(to="ann@example.com", subject="Hello", body="Body text"))
    # then
    [received] = mailbox.to("ann@example.com")
    assert received["Subject"] == "Hello"
    assert received["From"] == "Twofold <no-reply@twofold.test>"
    assert received.get_content().strip() == "Body text"


async def test_unreachable_server_is_a_delivery_error() -> None:
    # given: a port nobody listens on
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sender = SmtpEmail(
        "127.0.0.1", port, "t@twofold.test", ManualClock(), starttls=False, timeout=1
    )
    # when / then
    with pytest.raises(EmailDeliveryError):
        await sender.send(EmailMessage(to="ann@example.com", subject="s", body="b"))
