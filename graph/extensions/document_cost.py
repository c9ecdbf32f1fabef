"""What a GraphQL document costs to validate, measured in time bounded by a budget.

Two shapes make a small document expensive. Named fragments that each spread the next one
twice expand to 2**n selections, and Strawberry's depth and alias limiters walk every expanded
path. Fields repeated under one response path make graphql-core's OverlappingFieldsCanBeMerged
compare every pair of them. `over_budget` counts both, stopping as soon as the budget is
passed, after checking in one linear pass that every spread names a fragment and that no
fragment spreads itself (the walk, and Strawberry's limiters, assume both).
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from graph.error_codes import GRAPHQL_VALIDATION_FAILED, QUERY_TOO_COMPLEX


def over_budget(document: DocumentNode, budget: int) -> GraphQLError | None:
    """Why `document` may not be validated, or None when its cost is within `budget`.

    The cost is the number of selections (fields, spreads, inline fragments) once every
    fragment is expanded where it is spread, at most `budget`, and the number of pairs of
    fields that share a response path, at most a quarter of it (each pair costs validation
    several selections' worth of work). Fragment definitions count as roots too: validation
    checks each on its own. At most `budget` selections are visited.
    """
    max_pairs = budget // 4
    fragments = {
        definition.name.value: definition.selection_set
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    malformed = _unknown_or_cyclic_spread(document, fragments)
    if malformed is not None:
        return malformed
    path_ids: dict[tuple[int, str], int] = {}
    fields_at: list[int] = []
    steps = pairs = 0
    for root_id, root in enumerate(_roots(document)):
        stack: list[tuple[SelectionSetNode, int]] = [(root, -1 - root_id)]
        while stack:
            selection_set, parent = stack.pop()
            for selection in selection_set.selections:
                steps += 1
                if steps > budget:
                    return _too_complex(f"The document expands to more than {budget} selections.")
                if isinstance(selection, FieldNode):
                    path = path_ids.setdefault(
                        (parent, (selection.alias or selection.name).value), len(fields_at)
                    )
                    if path == len(fields_at):
                        fields_at.append(0)
                    pairs += fields_at[path]
                    fields_at[path] += 1
                    if pairs > max_pairs:
                        return _too_complex("The document repeats the same fields too often.")
                    if selection.selection_set is not None:
                        stack.append((selection.selection_set, path))
                elif isinstance(selection, InlineFragmentNode):
                    stack.append((selection.selection_set, parent))
                elif isinstance(selection, FragmentSpreadNode):
                    stack.append((fragments[selection.name.value], parent))
    return None


def _roots(document: DocumentNode) -> Iterator[SelectionSetNode]:
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode):
            yield definition.selection_set


def _spreads_in(selection_set: SelectionSetNode) -> Iterator[FragmentSpreadNode]:
    """The spreads written in one selection set, without entering the fragments they name."""
    stack = [selection_set]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                yield selection
            elif isinstance(selection, FieldNode | InlineFragmentNode):
                if selection.selection_set is not None:
                    stack.append(selection.selection_set)


def _unknown_or_cyclic_spread(
    document: DocumentNode, fragments: dict[str, SelectionSetNode]
) -> GraphQLError | None:
    """The specification's KnownFragmentNames and NoFragmentCycles checks, in one linear pass."""
    edges: dict[str, list[str]] = {}
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode):
            continue
        names = [spread.name.value for spread in _spreads_in(definition.selection_set)]
        for name in names:
            if name not in fragments:
                return _invalid(f"Unknown fragment '{name}'.")
        if isinstance(definition, FragmentDefinitionNode):
            edges.setdefault(definition.name.value, []).extend(names)
    # Depth-first search with colours: reaching a fragment still on the path is a cycle.
    done: set[str] = set()
    for start in edges:
        if start in done:
            continue
        on_path = {start}
        stack = [(start, iter(edges[start]))]
        while stack:
            name, successors = stack[-1]
            successor = next(successors, None)
            if successor is None:
                stack.pop()
                on_path.discard(name)
                done.add(name)
            elif successor in on_path:
                return _invalid(f"Cannot spread fragment '{successor}' within itself.")
            elif successor not in done:
                on_path.add(successor)
                stack.append((successor, iter(edges.get(successor, ()))))
    return None


def _too_complex(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": QUERY_TOO_COMPLEX})


def _invalid(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": GRAPHQL_VALIDATION_FAILED})
