"""Links in emails as the local SMTP server received them: wait for one, and read its token."""

from __future__ import annotations

import asyncio
import re
from urllib.parse import urlsplit

from tests.support.mailbox import Mailbox

_LINK = re.compile(r"https?://\S+#token=[A-Za-z0-9_\-]+")


async def wait_for_link(mailbox: Mailbox, address: str, path: str, count: int = 1) -> str:
    """The newest link to `path` in the emails to `address`, once `count` such emails arrived
    (links are sent after the answer, so they may come a moment later)."""
    for _ in range(200):
        links = links_to(mailbox, address, path)
        if len(links) >= count:
            return links[-1]
        await asyncio.sleep(0.025)
    raise AssertionError(f"no {count} email(s) with a {path} link to {address}")


def links_to(mailbox: Mailbox, address: str, path: str) -> list[str]:
    found = []
    for message in mailbox.to(address):
        body = str(message.get_body(("plain",)).get_content())
        found += [link for link in _LINK.findall(body) if urlsplit(link).path == path]
    return found


def token_of(link: str) -> str:
    """The token after `#token=`: a fragment, which browsers never send to a server."""
    fragment = urlsplit(link).fragment
    assert fragment.startswith("token="), link
    return fragment.removeprefix("token=")


async def wait_for_subject(mailbox: Mailbox, address: str, subject: str) -> None:
    for _ in range(200):
        if any(m["Subject"] == subject for m in mailbox.to(address)):
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"no email {subject!r} to {address}")
