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
# The browser's files: the entry module app.js, the modules beside it and those in web/screens/.
SCRIPTS = sorted(WEB.rglob("*.js"))
SHIPPED = sorted(p for p in WEB.rglob("*") if p.is_file() and p.suffix not in {".py", ".pyc"})


def scripts_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in SCRIPTS)


OPERATION_FILES = sorted((WEB / "operations").glob("*.graphql"))


def operations_text() -> str:
    """Every operation file of the app, as one document (fragments cross files)."""
    return "\n".join(path.read_text(encoding="utf-8") for path in OPERATION_FILES)


def operations() -> list[OperationDefinitionNode]:
    document = parse(operations_text())
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def test_the_apps_operations_are_valid_against_the_schema() -> None:
    # when
    errors = validate(schema._schema, parse(operations_text()))

    # then
    assert [e.message for e in errors] == []


def test_the_app_loads_every_operation_file() -> None:
    # when: the files api.js fetches
    listed = re.search(r"OPERATION_FILES = \[(.*?)\]", (WEB / "api.js").read_text("utf-8"), re.S)

    # then
    assert listed
    assert sorted(re.findall(r'"([\w-]+\.graphql)"', listed.group(1))) == [
        path.name for path in OPERATION_FILES
    ]


def test_every_operation_is_named_and_used_by_the_app() -> None:
    # given: every operation is named, once
    names = [o.name.value for o in operations() if o.name]
    assert len(names) == len(operations()) == len(set(names))

    # when: the strings the app's modules name operations (and typenames) with
    used = set(re.findall(r'"([A-Z]\w+)"', scripts_text()))

    # then: each operation is used, and each operation-like name used is an operation
    assert set(names) <= used
    called = re.findall(r'(?:call|change)\([^,()]+, "(\w+)"', scripts_text())
    assert called and set(called) <= set(names)


def test_the_package_data_takes_every_web_file_along() -> None:
    # given
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["web"]

    # then: the patterns (globs from the package's folder) take each file, web/screens/ too
    taken = {path for p in patterns for path in WEB.glob(p)}
    assert SHIPPED and any(path.parent != WEB for path in SHIPPED)
    for path in SHIPPED:
        assert path in taken, path.relative_to(WEB).as_posix()


async def test_the_page_is_served_at_the_root_with_a_strict_policy(
    new_http: HttpFactory,
) -> None:
    async with new_http() as http:
        # when
        page = await http.get("/")
        script = await http.get("/web/app.js")
        operations_files = [
            await http.get(f"/web/operations/{path.name}") for path in OPERATION_FILES
        ]
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
    assert OPERATION_FILES and [answer.text for answer in operations_files] == [
        path.read_text(encoding="utf-8") for path in OPERATION_FILES
    ]
    assert unknown.status_code == 404
    assert missing.status_code == 404


async def test_every_file_of_the_app_is_served_as_it_is(new_http: HttpFactory) -> None:
    # given: each module (app.js imports the others), the stylesheet and the operations
    names = [p.relative_to(WEB).as_posix() for p in SHIPPED if p.name != "index.html"]

    async with new_http() as http:
        # when
        answers = {name: await http.get(f"/web/{name}") for name in names}

    # then
    for name, answer in answers.items():
        assert answer.status_code == 200, name
        assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, name
        assert answer.text == (WEB / name).read_text(encoding="utf-8"), name
    media_types = {answers[p.relative_to(WEB).as_posix()].headers["content-type"] for p in SCRIPTS}
    assert media_types == {"text/javascript; charset=utf-8"}


def test_the_app_loads_nothing_from_elsewhere() -> None:
    # then: no absolute URL in any file the browser runs
    for path in [WEB / "index.html", *SCRIPTS, WEB / "style.css"]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"https?://|//cdn|@import", text), path.name
