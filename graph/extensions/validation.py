"""GraphQL validation whose cost is bounded by a budget fixed in settings, whatever the document.

Before any rule runs, `graph.extensions.document_cost.over_budget` measures the document in at most
`max_selections` steps; a document over budget is refused as QUERY_TOO_COMPLEX and validated no
further. Within budget, the work of every rule is bounded by the budget too. The rules are
built once per app (Strawberry's limiter extensions build a new rule class per request, which
defeats any cache), and results are cached by query text, whose hash Python keeps (hashing a
parsed document walks all of it).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from graphql import DocumentNode, GraphQLError, GraphQLSchema, specified_rules, validate
from graphql.validation import (
    ASTValidationRule,
    NoSchemaIntrospectionCustomRule,
    ValidationContext,
)
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter, SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from graph.error_codes import GRAPHQL_VALIDATION_FAILED, QUERY_TOO_COMPLEX
from graph.extensions.document_cost import over_budget


@dataclass(frozen=True)
class ValidationPolicy:
    max_selections: int
    max_depth: int
    max_aliases: int
    introspection: bool
    suggestions: bool


class DocumentValidator:
    """Validates query texts against one schema under one policy; shared by all requests."""

    def __init__(self, policy: ValidationPolicy, cache_size: int = 256) -> None:
        self.policy = policy
        self.rules = _full_rules(policy)
        self._cache: OrderedDict[str, list[GraphQLError]] = OrderedDict()
        self._cache_size = cache_size

    def errors(
        self, schema: GraphQLSchema, query: str | None, document: DocumentNode
    ) -> list[GraphQLError]:
        if query is None:
            return self._validate(schema, document)
        cached = self._cache.get(query)
        if cached is None:
            cached = self._cache[query] = self._validate(schema, document)
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(query)
        return cached

    def check(self, schema: GraphQLSchema, document: DocumentNode) -> list[GraphQLError]:
        """The errors of one document, without the cache (trusted documents, checked once)."""
        return self._validate(schema, document)

    def _validate(self, schema: GraphQLSchema, document: DocumentNode) -> list[GraphQLError]:
        refusal = over_budget(document, self.policy.max_selections)
        if refusal is not None:
            return [refusal]
        errors = validate(
            schema, document, self.rules, hide_suggestions=not self.policy.suggestions
        )
        for error in errors:
            if not (error.extensions or {}).get("code"):
                error.extensions = {**(error.extensions or {}), "code": GRAPHQL_VALIDATION_FAILED}
        return errors


def _full_rules(policy: ValidationPolicy) -> tuple[type[ASTValidationRule], ...]:
    """The specification's rules, Strawberry's own, and Strawberry's limiters, built once."""
    limiters: Sequence[type[ASTValidationRule]] = tuple(
        _too_complex_when_failing(rule)
        for rule in (
            *QueryDepthLimiter(max_depth=policy.max_depth).validation_rules,
            *MaxAliasesLimiter(max_alias_count=policy.max_aliases).validation_rules,
        )
    )
    rules = (*specified_rules, MaybeNullValidationRule, OneOfInputValidationRule, *limiters)
    if not policy.introspection:
        rules += (NoSchemaIntrospectionCustomRule,)
    return rules


def _too_complex_when_failing(rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
    """A limiter rule whose errors say QUERY_TOO_COMPLEX, like the cost check's. Strawberry's
    limiters report while they are built, so the context's error callback is wrapped then."""

    class TooComplex(rule):  # type: ignore[valid-type,misc]
        def __init__(self, context: ValidationContext) -> None:
            report = context.on_error

            def coded(error: GraphQLError) -> None:
                error.extensions = {**(error.extensions or {}), "code": QUERY_TOO_COMPLEX}
                report(error)

            context.on_error = coded  # type: ignore[method-assign]
            try:
                super().__init__(context)
            finally:
                context.on_error = report  # type: ignore[method-assign]

        def report_error(self, error: GraphQLError) -> None:
            error.extensions = {**(error.extensions or {}), "code": QUERY_TOO_COMPLEX}
            super().report_error(error)

    TooComplex.__name__ = rule.__name__
    return TooComplex


class Trusts(Protocol):
    def by_text(self, text: str | None) -> Any: ...


class BoundedValidation(SchemaExtension):
    """Runs Twofold's validation in place of Strawberry's default step; a trusted document was
    validated at start (graph/documents/manifest.py)."""

    def __init__(self, validator: DocumentValidator, documents: Trusts) -> None:
        self.validator = validator
        self.documents = documents

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None  # validation follows a successful parse
        trusted = self.documents.by_text(context.query)
        if trusted is not None and trusted.document is context.graphql_document:
            context.pre_execution_errors = []
        else:
            context.pre_execution_errors = self.validator.errors(
                context.schema._schema, context.query, context.graphql_document
            )
        yield
