"""Bad text never surfaces as an internal error: every string input of the schema, found by
walking the schema itself, is fuzzed with lone surrogates, NUL and other control characters,
overlong strings, right-to-left and combining characters. Each answer is a documented result:
a union member, or a documented top-level code that is not INTERNAL_SERVER_ERROR; a typed
error changes nothing. A body that is not UTF-8 stays a 400 BAD_REQUEST."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLNonNull,
    GraphQLObjectType,
    Undefined,
    get_named_type,
)
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tortoise import Tortoise

from graph.error_codes import INTERNAL_SERVER_ERROR, TOP_LEVEL_CODES
from graph.schema import schema
from graph.text_input import acceptable
from models.enums import PayRole
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.constants import PASSWORD
from tests.support.flows import enroll_with_app, reach_code_verification
from tests.support.graphql import ORIGIN, GraphQLClient
from tests.support.users import MakeUser

GRAPHQL = schema._schema
STRING_TYPES = {"String", "ID"}
ENROLLED = "fuzz-enrolled@example.com"
PENDING = "fuzz-pending@example.com"
ADMIN = "fuzz-admin@example.com"

# Where a string argument may appear: top-level fields, and fields of the signed-in `User`.
ROOTS = {"Query": "", "Mutation": "", "User": "viewer"}

NASTY = [
    "\ud800@example.com",
    f"{ENROLLED}\udfff",
    "\x00",
    f"{ENROLLED}\x00",
    "123\x00456",
    "\x1b[31m",
    "a" * 321 + "@example.com",
    "1" * 5000,
    "\u202eenilno\u202c",
    "e\u0301\u0301\u0301",
    "",
]

fuzzed_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(blacklist_categories=()), max_size=30),
    st.integers(min_value=64, max_value=20_000).map(lambda n: "9" * n),
)


def _valid_value(name: str) -> Any:
    """A value of the named input field that would be accepted, or at least well formed."""
    return {
        "email": ENROLLED,
        "password": PASSWORD,
        "code": "123456",
        "recoveryCode": "ABCD-EFGH-IJKL-MNOP-QRST-UVWX",
        "countryCode": "+1",
        "phoneNumber": "201 555 0123",
        "credential": "{}",
        "name": "Blue",
        "id": "00000000-0000-0000-0000-000000000000",
    }.get(name)


@dataclass(frozen=True)
class Target:
    """One string input: `root.field(arg: ...)`, or the `inner` field of the argument's input."""

    root: str
    field: str
    argument: str
    inner: str | None

    def __str__(self) -> str:
        place = f"{self.argument}.{self.inner}" if self.inner else self.argument
        return f"{self.root}.{self.field}({place})"

    def request(self, text: str) -> tuple[str, dict[str, Any]]:
        """The document and variables that send `text` in this input, the rest valid."""
        owner = GRAPHQL.get_type(self.root)
        assert isinstance(owner, GraphQLObjectType)
        field: GraphQLField = owner.fields[self.field]
        declared = field.args[self.argument].type
        if self.inner is None:
            value: Any = text
        else:
            value = _input_value(get_named_type(declared), self.inner, text)  # type: ignore[arg-type]
        call = f"{self.field}({self.argument}: $value) {{ __typename }}"
        operation = "mutation" if self.root == "Mutation" else "query"
        if ROOTS[self.root]:
            call = f"{ROOTS[self.root]} {{ {call} }}"
        return f"{operation} Fuzz($value: {declared}) {{ {call} }}", {"value": value}


def _input_value(input_type: GraphQLInputObjectType, fuzzed: str, text: str) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for name, field in input_type.fields.items():
        named = get_named_type(field.type)
        if name == fuzzed:
            value[name] = text
        elif not isinstance(field.type, GraphQLNonNull) or field.default_value is not Undefined:
            continue
        elif named.name in STRING_TYPES:
            value[name] = _valid_value(name)
        elif isinstance(named, GraphQLEnumType):
            value[name] = next(iter(named.values))
        elif named.name == "Boolean":
            value[name] = True
        elif named.name == "Int":
            value[name] = 1
    return value


def string_inputs() -> list[Target]:
    targets: list[Target] = []
    for root in ROOTS:
        owner = GRAPHQL.get_type(root)
        assert isinstance(owner, GraphQLObjectType)
        for field_name, field in owner.fields.items():
            for arg_name, arg in field.args.items():
                named = get_named_type(arg.type)
                if named.name in STRING_TYPES:
                    targets.append(Target(root, field_name, arg_name, None))
                elif isinstance(named, GraphQLInputObjectType):
                    for inner, inner_field in named.fields.items():
                        if get_named_type(inner_field.type).name in STRING_TYPES:
                            targets.append(Target(root, field_name, arg_name, inner))
    return targets


TARGETS = string_inputs()


def test_every_string_argument_of_the_schema_is_fuzzed() -> None:
    # given every object type with a field that takes an argument holding text
    holders = set()
    for type_name, named in GRAPHQL.type_map.items():
        if type_name.startswith("__") or not isinstance(named, GraphQLObjectType):
            continue
        for field in named.fields.values():
            for arg in field.args.values():
                arg_type = get_named_type(arg.type)
                holds_text = arg_type.name in STRING_TYPES or (
                    isinstance(arg_type, GraphQLInputObjectType)
                    and any(
                        get_named_type(f.type).name in STRING_TYPES
                        for f in arg_type.fields.values()
                    )
                )
                if holds_text:
                    holders.add(type_name)

    # then each is reached by the fuzz test, and the fuzz test has the inputs it should
    assert holders <= set(ROOTS), holders - set(ROOTS)
    assert {"Mutation.logIn(input.email)", "Mutation.logIn(input.password)"} <= {
        str(t) for t in TARGETS
    }
    assert len(TARGETS) >= 20


ATTEMPT_RECORDS = {"AuditEvent", "LoginThrottle", "SendSlot", "MfaFlow"}
"""Where a refused attempt is itself recorded: the audit trail, password brakes and quota
slots, and the flow that counts wrong codes (a wrong step-up code opens one)."""


async def _row_counts() -> dict[str, int]:
    """Rows of every table a typed error must leave alone."""
    counts = {}
    for name, model in Tortoise.apps["twofold"].items():
        if name in ATTEMPT_RECORDS:
            continue
        counts[name] = await model.all().count()
    return counts


@dataclass
class Devices:
    anonymous: GraphQLClient
    pending: GraphQLClient
    signed_in: GraphQLClient


@pytest.fixture
async def devices(new_http: HttpFactory, make_user: MakeUser, clock: ManualClock) -> Devices:
    await make_user(ENROLLED, PayRole.PAYOR)
    await make_user(PENDING, PayRole.PAYEE)
    signed_in = GraphQLClient(new_http())
    await enroll_with_app(signed_in, ENROLLED, clock)
    pending = GraphQLClient(new_http())
    await reach_code_verification(pending, PENDING)
    return Devices(GraphQLClient(new_http()), pending, signed_in)


async def _post(client: GraphQLClient, document: str, variables: dict[str, Any]) -> httpx.Response:
    """POST as JSON with every non-ASCII character escaped, as many JSON encoders do: the only
    way a lone surrogate (`\\ud800`) travels in a body that is valid UTF-8."""
    headers = {"Origin": ORIGIN, "Content-Type": "application/json"}
    body = json.dumps({"query": document, "variables": variables})
    return await client.http.post("/graphql", content=body.encode(), headers=headers)


def _assert_documented(body: dict[str, Any], where: str) -> None:
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code in TOP_LEVEL_CODES, (where, error)
        assert code != INTERNAL_SERVER_ERROR, (where, error)


def _typed_error(data: Any) -> bool:
    """Whether the answer is a union member that is an error (it carries a `code`)."""
    while isinstance(data, dict) and "__typename" not in data:
        data = next(iter(data.values()), None)
    if not isinstance(data, dict):
        return False
    named = GRAPHQL.get_type(data["__typename"])
    return isinstance(named, GraphQLObjectType) and "code" in named.fields


@pytest.mark.parametrize("target", TARGETS, ids=str)
@settings(
    max_examples=6,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=fuzzed_text)
@example(text=NASTY[0])
@example(text=NASTY[3])
@example(text=NASTY[7])
async def test_a_fuzzed_string_input_answers_a_documented_result(
    target: Target, text: str, devices: Devices
) -> None:
    # given
    document, variables = target.request(text)

    for name, client in vars(devices).items():
        before = await _row_counts()

        # when
        response = await _post(client, document, variables)

        # then
        where = f"{target} as {name} with {text[:40]!r}"
        assert response.status_code == 200, (where, response.text)
        body = response.json()
        _assert_documented(body, where)
        if _typed_error(body.get("data")):
            after = await _row_counts()
            assert after == before, (
                where,
                body,
                {k: (before[k], after[k]) for k in after if after[k] != before[k]},
            )


@pytest.mark.parametrize("body", [b'{"query": "{ __typename }", "x": "\xff\xfe"}', b"\xc3("])
async def test_a_body_that_is_not_utf8_is_a_bad_request(body: bytes, new_http: HttpFactory) -> None:
    # when
    async with new_http() as http:
        response = await http.post(
            "/graphql",
            content=body,
            headers={"Origin": ORIGIN, "Content-Type": "application/json"},
        )

    # then
    assert response.status_code == 400
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["BAD_REQUEST"]


async def test_an_email_holding_a_lone_surrogate_is_refused_like_a_wrong_password(
    new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    await make_user(ENROLLED, PayRole.PAYOR)
    emails = ("\ud800@example.com", f"{ENROLLED}\x00", "a" * 321 + "@example.com", ENROLLED)

    # when
    async with new_http() as http:
        client = GraphQLClient(http)
        answers = []
        for email in emails:
            variables = {"input": {"email": email, "password": "not the password"}}
            answers.append((await _post(client, doc.LOG_IN, variables)).json())

    # then every one is the answer a wrong password gets
    summaries = [
        (a.get("errors"), a["data"]["logIn"]["__typename"], a["data"]["logIn"]["code"])
        for a in answers
    ]
    assert summaries == [(None, "InvalidCredentialsError", "INVALID_CREDENTIALS")] * 4


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("email", "a" * 308 + "@example.com", True),
        ("email", "a" * 309 + "@example.com", False),
        ("password", "p" * 1024, True),
        ("password", "p" * 1025, False),
        ("password", "pass\x00word", False),
        ("email", "\t" + ENROLLED + "\r\n", True),
        ("email", "\ud800@example.com", False),
        ("name", "\u202eBlue key e\u0301", True),
        ("name", "Blue\x7f", False),
        ("credential", '{\n\t"id": "x"\r\n}', True),
        ("credential", '{"id": "\x00"}', False),
        ("unlisted", "x" * 1025, False),
    ],
)
def test_acceptable_text_is_scalar_values_without_controls_within_the_limit(
    name: str, text: str, expected: bool
) -> None:
    assert acceptable(name, text) is expected
