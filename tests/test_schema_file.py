"""`schema.graphql` is the contract with clients: it must match the code, and document itself."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
    build_schema,
)

from graph.schema import schema

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def test_checked_in_schema_matches_the_code() -> None:
    exported = schema.as_str() + "\n"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == exported, (
        "schema.graphql is stale: run `twofold export-schema --output schema.graphql`"
    )


def test_every_type_field_and_enum_value_has_a_description() -> None:
    parsed = build_schema(SCHEMA_FILE.read_text(encoding="utf-8"))
    missing = []
    for name, kind in parsed.type_map.items():
        if name.startswith("__") or name in {"String", "Boolean", "Int", "ID", "Float", "DateTime"}:
            continue
        if not kind.description:  # type: ignore[union-attr]
            missing.append(name)
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            missing += [f"{name}.{f}" for f, field in kind.fields.items() if not field.description]
        if isinstance(kind, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, value in kind.values.items() if not value.description]
    assert missing == []


def test_every_error_implements_user_error_and_is_in_a_result_union() -> None:
    parsed = build_schema(SCHEMA_FILE.read_text(encoding="utf-8"))
    user_error = parsed.get_type("UserError")
    errors = {
        name
        for name, kind in parsed.type_map.items()
        if isinstance(kind, GraphQLObjectType) and name.endswith("Error")
    }
    assert errors
    for name in errors:
        kind = parsed.get_type(name)
        assert isinstance(kind, GraphQLObjectType)
        assert user_error in kind.interfaces, name
    in_unions = {
        member.name
        for kind in parsed.type_map.values()
        if isinstance(kind, GraphQLUnionType)
        for member in kind.types
    }
    assert errors <= in_unions


def test_mutations_with_arguments_take_one_input() -> None:
    parsed = build_schema(SCHEMA_FILE.read_text(encoding="utf-8"))
    mutation = parsed.mutation_type
    assert mutation is not None
    for name, field in mutation.fields.items():
        assert set(field.args) <= {"input"}, name
        assert str(field.type).endswith("Result!"), name
