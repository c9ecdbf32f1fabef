"""The reference single-page app's files: its GraphQL operations are valid against the schema,
the package build takes every file along, and the server serves them at `/` with their media
types and a Content-Security-Policy that lets the page load nothing from elsewhere."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from graphql import OperationDefinitionNode, parse, validate

from graph.http.web_app import CONTENT_SECURITY_POLICY
from graph.schema import schema
from tests.support.clients import HttpFactory

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"


def operations() -> list[OperationDefinitionNode]:
    document = parse((WEB / "operations.graphql").read_text(encoding="utf-8"))
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def test_the_apps_operations_are_valid_against_the_schema() -> None:
    # when
    errors = validate(
        schema._schema, parse((WEB / "operations.graphql").read_text(encoding="utf-8"))
    )

    # then
    assert [e.message for e in errors] == []


def test_every_operation_is_named_and_used_by_the_app() -> None:
    # given: every operation is named, once
    names = [o.name.value for o in operations() if o.name]
    assert len(names) == len(operations()) == len(set(names))

    # when: the strings app.js names operations (and typenames) with
    used = set(re.findall(r'"([A-Z]\w+)"', (WEB / "app.js").read_text(encoding="utf-8")))

    # then: each operation is used, and each operation-like name used is an operation
    assert set(names) <= used
    called = re.findall(
        r'(?:call|change)\([^,()]+, "(\w+)"', (WEB / "app.js").read_text(encoding="utf-8")
    )
    assert called and set(called) <= set(names)


def test_the_package_data_takes_every_web_file_along() -> None:
    # given
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["web"]

    # then
    for path in WEB.iterdir():
        if path.suffix != ".py" and path.is_file():
            assert any(path.match(p) for p in patterns), path.name


async def test_the_page_is_served_at_the_root_with_a_strict_policy(
    new_http: HttpFactory,
) -> None:
    async with new_http() as http:
        # when
        page = await http.get("/")
        script = await http.get("/web/app.js")
        operations_file = await http.get("/web/operations.graphql")
        unknown = await http.get("/web/../pyproject.toml")
        missing = await http.get("/web/secret.py")

    # then
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert page.headers["x-content-type-options"] == "nosniff"
    assert '<script type="module" src="web/app.js">' in page.text
    assert script.headers["content-type"] == "text/javascript; charset=utf-8"
    assert script.text == (WEB / "app.js").read_text(encoding="utf-8")
    assert operations_file.text == (WEB / "operations.graphql").read_text(encoding="utf-8")
    assert unknown.status_code == 404
    assert missing.status_code == 404


def test_the_app_loads_nothing_from_elsewhere() -> None:
    # then: no absolute URL in any file the browser runs
    for name in ["index.html", "app.js", "api.js", "dom.js", "style.css"]:
        text = (WEB / name).read_text(encoding="utf-8")
        assert not re.search(r"https?://|//cdn|@import", text), name
