"""The README stays a few screens long, and every relative link in it, in docs/ and in
bench/README.md leads to a file that exists (and to a heading there when it names one)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCUMENTS = [README, ROOT / "bench" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
README_LIMIT_BYTES = 12 * 1024
FENCE = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
INLINE_CODE = re.compile(r"`[^`\n]*`")
# [text](target) and ![alt](target); <img src="target">, <a href="target">
MARKDOWN_LINK = re.compile(r"\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
HTML_LINK = re.compile(r"\b(?:src|href)=\"(?P<target>[^\"]+)\"")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
HEADING = re.compile(r"^#{1,6} (?P<title>.+?)\s*#*$", re.MULTILINE)


def _prose(path: Path) -> str:
    """The text a reader follows links in: code blocks and code spans hold no links."""
    return INLINE_CODE.sub("", FENCE.sub("", path.read_text(encoding="utf-8")))


def _anchors(path: Path) -> set[str]:
    """GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens."""
    anchors = set()
    for match in HEADING.finditer(FENCE.sub("", path.read_text(encoding="utf-8"))):
        title = match["title"].strip().lower().replace("`", "")
        anchors.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return anchors


def _relative_links(path: Path) -> list[str]:
    text = _prose(path)
    targets = [m["target"] for m in MARKDOWN_LINK.finditer(text)]
    targets += [m["target"] for m in HTML_LINK.finditer(text)]
    return [target for target in targets if not EXTERNAL.match(target)]


def _broken(path: Path, target: str) -> str | None:
    file_part, _, anchor = target.partition("#")
    linked = (path.parent / unquote(file_part)).resolve() if file_part else path
    if not linked.exists():
        return f"{path.name}: {target} (no such file)"
    if anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
        return f"{path.name}: {target} (no such heading)"
    return None


def test_the_readme_is_under_12_kb() -> None:
    # then
    assert README.stat().st_size < README_LIMIT_BYTES


def test_the_readme_links_every_document_in_docs() -> None:
    # given
    linked = {(ROOT / target.partition("#")[0]).resolve() for target in _relative_links(README)}

    # then
    assert sorted(p.name for p in (ROOT / "docs").glob("*.md") if p.resolve() not in linked) == []


@pytest.mark.parametrize("path", DOCUMENTS, ids=[str(p.relative_to(ROOT)) for p in DOCUMENTS])
def test_every_relative_link_leads_to_something_that_exists(path: Path) -> None:
    # when
    broken = [problem for target in _relative_links(path) if (problem := _broken(path, target))]

    # then
    assert broken == []


def test_the_link_check_sees_links_and_would_see_a_broken_one(tmp_path: Path) -> None:
    # given: a document with a good link, a broken one and a missing heading
    (tmp_path / "there.md").write_text("# Here it is\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "[a](there.md#here-it-is) [b](gone.md) [c](there.md#elsewhere) `[d](in-code.md)`\n",
        encoding="utf-8",
    )

    # when
    broken = [target for target in _relative_links(page) if _broken(page, target)]

    # then
    assert broken == ["gone.md", "there.md#elsewhere"]
