"""Redacted log records stay formattable by any handler: the arguments keep their shape, so
uvicorn's access formatter (which unpacks them) and `%d` still work, and names that end with
a secret word (`access_token`, `new_password`, `x-api-key`) lose their whole value."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping

import pytest
from uvicorn.logging import AccessFormatter

from graph.startup.log_redaction import install_redaction, redact

# How uvicorn's HTTP protocols write an access record, and how its default config formats it.
UVICORN_ACCESS = '%s - "%s %s HTTP/%s" %d'
UVICORN_ACCESS_FORMAT = '%(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s'
CLIENT = "203.0.113.7:50000"
TOKEN = "1234"
SECRET_VALUE = "7f3a9c2e41"
NAMES = ["access_token", "refresh_token", "otp_code", "new_password", "x-api-key"]
FORMS = ["{name}={value}", '"{name}": "{value}"', "{name}: {value}"]


class Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def kept() -> Iterator[Kept]:
    """Records made by a real logger, through the record factory the app installs."""
    install_redaction()
    handler = Kept()
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def logged(kept: Kept, msg: str, *args: object) -> logging.LogRecord:
    logging.getLogger("tests.redaction").info(msg, *args)
    return kept.records[-1]


def fragments(secret: str) -> list[str]:
    """Any four characters of the secret in a row: what a partial redaction leaves."""
    return [secret[i : i + 4] for i in range(len(secret) - 3)]


def test_a_uvicorn_access_record_formats_with_any_formatter_and_without_its_secret(
    kept: Kept,
) -> None:
    # given
    record = logged(
        kept, UVICORN_ACCESS, CLIENT, "GET", f"/graphql?access_token={TOKEN}", "1.1", 200
    )

    # when: uvicorn's access formatter unpacks the five arguments; a plain one formats them
    lines = [
        AccessFormatter(fmt=UVICORN_ACCESS_FORMAT, use_colors=False).format(record),
        logging.Formatter().format(record),
    ]

    # then
    assert all(TOKEN not in line for line in lines), lines
    assert all('"GET /graphql?access_token=' in line and "200" in line for line in lines), lines


def test_arguments_keep_their_types_and_their_mapping(kept: Kept) -> None:
    # given
    access = logged(kept, UVICORN_ACCESS, CLIENT, "GET", "/graphql", "1.1", 200)
    mapped = logged(
        kept,
        "%(client)s asked for %(path)s",
        {"client": "203.0.113.7", "path": f"/graphql?access_token={TOKEN}"},
    )
    # a secret that only the whole message shows: the name in the format, the value an argument
    split = logged(kept, "password=%s", SECRET_VALUE)

    # when
    formatted = [logging.Formatter().format(r) for r in (access, mapped, split)]

    # then: `%d` still gets a number, `%(name)s` still gets a mapping...
    assert isinstance(access.args, tuple)
    assert type(access.args[-1]) is int
    assert isinstance(mapped.args, Mapping)
    assert mapped.args["client"] == "203.0.113.7"
    assert formatted[1].startswith("203.0.113.7 asked for /graphql?access_token=")
    # ...and no secret is left in any of them
    assert not [line for line in formatted if TOKEN in line or SECRET_VALUE in line], formatted


def test_names_that_end_with_a_secret_word_lose_their_whole_value(kept: Kept) -> None:
    # given: each name in each form, as the message itself and as an argument
    texts = [form.format(name=name, value=SECRET_VALUE) for name in NAMES for form in FORMS]

    # when
    lines = [logging.Formatter().format(logged(kept, text)) for text in texts]
    lines += [logging.Formatter().format(logged(kept, "sent %s", text)) for text in texts]

    # then: the name stays readable, the value is gone, not even part of it is left
    leaks = [line for line in lines if any(part in line for part in fragments(SECRET_VALUE))]
    assert leaks == []
    assert all(any(name in line for name in NAMES) for line in lines)


@pytest.mark.parametrize(
    "text",
    [
        "PASSWORD='hunter22'",
        "recoveryCode: ABCD-EFGH",
        "Authorization: Bearer abc.def",
        "cannot represent a non string value: 731594",
        "x-api-KEY=abc123",
        "pa\u017f\u017fword='hunter22'",  # a long s folds to s: not ASCII, so fully checked
    ],
)
def test_the_quick_look_for_secret_words_never_skips_a_redaction(text: str) -> None:
    # when
    redacted = redact(text)

    # then: whatever the four patterns redact, the quick look let them see
    assert redacted == _full_redaction(text)
    assert redacted != text or not text.isascii()


def _full_redaction(text: str) -> str:
    from graph.startup import log_redaction as r

    text = r._QUOTED.sub(lambda m: f"{m['key']}{m['q']}{r.MASK}{m['q']}", text)
    text = r._UNQUOTED.sub(lambda m: f"{m['key']}{r.MASK}", text)
    text = r._COERCION.sub(lambda m: f"{m['key']}{r.MASK}", text)
    return r._BEARER.sub(lambda m: f"{m['key']}{r.MASK}", text)
