"""Validation is built once per schema and cached, so a repeated document is validated once.

Strawberry's own limiters build a new rule class on every request, which would make every
request a cache miss; Twofold's validator holds one set of rules for the schema's lifetime.
"""

from __future__ import annotations

from functools import partial

from domain.settings import Settings
from graph.documents.manifest import TrustedDocuments
from graph.extensions.security import document_validator, security_extensions
from graph.extensions.validation import BoundedValidation, DocumentValidator
from graph.schema import build_schema
from tests.support.constants import SECRET_KEY

DOCUMENT = "query Twice { __typename a: __typename }"


def extensions_of(settings: Settings) -> list:
    validator = document_validator(settings)
    return security_extensions(settings, validator, TrustedDocuments(validator))


def validator_of(factories: list) -> DocumentValidator:
    [bounded] = [f for f in factories if isinstance(f, partial) and f.func is BoundedValidation]
    validator = bounded.args[0]
    assert isinstance(validator, DocumentValidator)
    return validator


async def test_two_requests_with_one_document_are_validated_once() -> None:
    # given
    factories = extensions_of(Settings(secret_key=SECRET_KEY))
    schema = build_schema(factories)
    validator = validator_of(factories)
    rules = validator.rules

    # when
    first = await schema.execute(DOCUMENT)
    errors_of_first = validator._cache[DOCUMENT]
    second = await schema.execute(DOCUMENT)

    # then: the second request found the first one's result (the same list, not a new one)
    assert first.errors is None and second.errors is None
    assert second.data == {"__typename": "Query", "a": "Query"}
    assert validator._cache[DOCUMENT] is errors_of_first
    assert list(validator._cache) == [DOCUMENT]
    # and the rules, limiters included, are the very classes built with the schema
    assert validator.rules is rules
    assert all(isinstance(rule, type) for rule in rules)


async def test_the_rules_include_the_depth_and_alias_limits() -> None:
    # given
    settings = Settings(secret_key=SECRET_KEY, graphql_max_aliases=1)
    schema = build_schema(extensions_of(settings))

    # when
    answer = await schema.execute("{ a: __typename b: __typename }")

    # then
    assert answer.errors is not None
    assert "aliases" in answer.errors[0].message
