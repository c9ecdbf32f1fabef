"""The GraphiQL files committed in graph/http/graphiql/ are the ones the manifest describes, and the
package build takes every one of them along (a `pip install .` must serve them too)."""

from __future__ import annotations

import base64
import hashlib
import json
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "graph" / "http" / "graphiql"


def test_every_bundled_file_is_in_the_manifest_with_its_hash() -> None:
    # given
    manifest = json.loads((PACKAGE / "manifest.json").read_text(encoding="utf-8"))

    # when
    on_disk = {
        path.name: base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()
        for path in (PACKAGE / "static").iterdir()
    }

    # then
    assert on_disk == {entry["name"]: entry["sha384"] for entry in manifest["files"]}
    assert {entry["package"] for entry in manifest["files"]} == {
        "react",
        "react-dom",
        "graphiql",
        "@graphiql/plugin-explorer",
    }


def test_the_package_data_takes_every_graphiql_file_along() -> None:
    # given
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["graph.http.graphiql"]

    # when
    packaged = {path for pattern in patterns for path in PACKAGE.glob(pattern)}

    # then
    data_files = {
        path
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    }
    assert data_files
    assert data_files - packaged == set()
