"""The SSO start's `return_to` leads only to this server's own paths (no open redirect)."""

from __future__ import annotations

import pytest

from graph.http.sso.finish import own_path


@pytest.mark.parametrize(
    ("asked", "kept"),
    [
        ("/account?tab=keys", "/account?tab=keys"),
        ("/", "/"),
        (None, "/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("/\\/evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("account", "/"),
        ("/a\nb", "/"),
    ],
)
def test_return_to_goes_only_to_our_own_paths(asked: str | None, kept: str) -> None:
    # when
    target = own_path(asked)

    # then
    assert target == kept
