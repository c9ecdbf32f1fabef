"""`twofold documents add|list|remove` as an operator runs them, while a server process runs:
the document a mobile app ships is trusted by the running server at once, by the id printed."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette

from domain.settings import Settings
from graph.documents.ids import document_id
from tests.support.clients import HttpFactory
from tests.support.graphql import ORIGIN
from tests.support.served import run_twofold

MOBILE = "query MobileViewer {\n  passkeySignInEnabled\n}\n"


def environment(settings: Settings) -> dict[str, str]:
    return {
        "DATABASE_URL": settings.database_url,
        "TWOFOLD_SECRET_KEY": settings.secret_key,
        "PATH": "/usr/bin:/bin",
    }


async def test_an_added_document_runs_by_its_id_and_stops_once_removed(
    app: Starlette, settings: Settings, new_http: HttpFactory, tmp_path: Path
) -> None:
    # given
    env = environment(settings)
    (tmp_path / "viewer.graphql").write_text(MOBILE, encoding="utf-8")
    wanted = document_id(MOBILE)
    body = {"documentId": wanted}

    # when
    added = run_twofold(env, tmp_path, "documents", "add", "viewer.graphql", "--name", "ios 2.1")
    again = run_twofold(env, tmp_path, "documents", "add", "viewer.graphql")
    listed = run_twofold(env, tmp_path, "documents", "list")
    async with new_http() as http:
        runs = await http.post("/graphql", json=body, headers={"Origin": ORIGIN})

    # then
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == wanted
    assert again.returncode == 0 and "already registered" in again.stdout
    assert f"{wanted} " in listed.stdout and "valid ios 2.1" in listed.stdout
    assert runs.json() == {"data": {"passkeySignInEnabled": False}}

    # when
    removed = run_twofold(env, tmp_path, "documents", "remove", wanted)
    missing = run_twofold(env, tmp_path, "documents", "remove", wanted)

    # then
    assert removed.returncode == 0, removed.stderr
    assert missing.returncode == 1
    assert run_twofold(env, tmp_path, "documents", "list").stdout.strip() == (
        "no registered documents"
    )


async def test_a_document_the_schema_refuses_is_not_added(
    app: Starlette, settings: Settings, tmp_path: Path
) -> None:
    # given: a misspelt field, and introspection (refused in production, so never trusted)
    (tmp_path / "bad.graphql").write_text("query { viewr { id } }", encoding="utf-8")
    (tmp_path / "schema.graphql").write_text("{ __schema { types { name } } }", encoding="utf-8")
    env = environment(settings)

    # when
    bad = run_twofold(env, tmp_path, "documents", "add", "bad.graphql")
    introspection = run_twofold(env, tmp_path, "documents", "add", "schema.graphql")

    # then
    assert bad.returncode == 1 and "viewr" in bad.stderr
    assert introspection.returncode == 1
    assert "no registered documents" in run_twofold(env, tmp_path, "documents", "list").stdout
