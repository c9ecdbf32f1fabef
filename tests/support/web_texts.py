"""The reference app's texts as the tests see them: the msgids Babel extracts from web/ (the
catalogs' source), and the string literals of its modules that look like words a person reads
(a heuristic: literals passed to t() are the translated ones)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.extract import extract

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
# As pybabel would be told (`-k t`): t("English text", {vars}) is the only marker.
KEYWORDS = {"t": None}


def web_modules() -> list[Path]:
    return sorted(WEB.rglob("*.js"))


def extracted_msgids() -> dict[str, list[str]]:
    """Each msgid of the app's modules, with the `file:line`s it comes from."""
    found: dict[str, list[str]] = {}
    for path in web_modules():
        with path.open("rb") as source:
            for line, message, _comments, _context in extract("javascript", source, KEYWORDS):
                assert isinstance(message, str), f"{path.name}:{line}: t() takes one string"
                where = f"{path.relative_to(ROOT).as_posix()}:{line}"
                found.setdefault(message, []).append(where)
    return found


@dataclass(frozen=True)
class Literal:
    line: int
    text: str
    translated: bool  # the first argument of t()
    start: int = 0  # where its quote opens in the source
    end: int = 0  # just after its closing quote
    key: str | None = None  # the object key it is the value of: `class: "notice hold"`


def string_literals(source: str) -> list[Literal]:
    """The string and template literals of a module (comments and regular expressions
    skipped, a template's `${...}` parts left out of its text)."""
    found: list[Literal] = []
    i, n, line = 0, len(source), 1
    last_code = ""  # the code before a literal, to tell t("...") and a regex's slash
    while i < n:
        c = source[i]
        if c == "\n":
            line += 1
        if source.startswith("//", i):
            end = source.find("\n", i)
            i = n if end < 0 else end
            continue
        if source.startswith("/*", i):
            end = source.find("*/", i + 2)
            line += source.count("\n", i, end)
            i = end + 2
            continue
        if c == "/" and re.search(r"(^|[(,=:!&|?{};\[]|return)\s*$", last_code[-20:]):
            # A regular expression literal: skip it, classes included.
            j, in_class = i + 1, False
            while j < n and (source[j] != "/" or in_class):
                if source[j] == "\\":
                    j += 1
                elif source[j] == "[":
                    in_class = True
                elif source[j] == "]":
                    in_class = False
                j += 1
            i = j + 1
            last_code += "x"
            continue
        if c in "\"'`":
            start_line, j, parts = line, i + 1, []
            while j < n and source[j] != c:
                if source[j] == "\\":
                    parts.append(source[j : j + 2])
                    j += 2
                    continue
                if c == "`" and source.startswith("${", j):
                    depth, j = 1, j + 2
                    while j < n and depth:
                        depth += {"{": 1, "}": -1}.get(source[j], 0)
                        j += 1
                    parts.append("\x00")
                    continue
                if source[j] == "\n":
                    line += 1
                parts.append(source[j])
                j += 1
            translated = c != "`" and bool(re.search(r"(?<![\w.])t\(\s*$", last_code[-40:]))
            # t("one line " + "and the next"): Babel joins them into one msgid.
            joined = (
                found
                and found[-1].translated
                and re.fullmatch(r"\s*\+\s*", source[found[-1].end : i])
            )
            translated = translated or bool(joined)
            keyed = re.search(r"""["']?([\w-]+)["']?\s*:\s*$""", last_code[-40:])
            key = keyed.group(1) if keyed else None
            found.append(Literal(start_line, "".join(parts), translated, i, j + 1, key))
            i = j + 1
            last_code += "x"
            continue
        if not c.isspace():
            last_code = (last_code + c)[-60:]
        elif last_code and not last_code.endswith(" "):
            last_code += " "
        i += 1
    return found


# Words of the code that look like text: names the API, the DOM and the browser give things.
NOT_TEXT = {
    "Accept",
    "Accept-Language",
    "Content-Type",
    "Mac OS",
    "Android",
    "Chrome",
    "Edge",
    "Firefox",
    "Linux",
    "Safari",
    "Windows",
    "Twofold",
    " · Twofold",
    "\x00 · Twofold",
    "unknown operation \x00",  # a bug's message, for developers
}


# Attributes whose values are code, never shown: `class: "notice hold"`, `role: "status"`.
CODE_KEYS = {
    "autocomplete",
    "class",
    "credentials",
    "for",
    "href",
    "id",
    "inputmode",
    "method",
    "name",
    "pattern",
    "role",
    "type",
}


def shown(literal: Literal, names: set[str]) -> bool:
    """A literal a person may read that does not go through t()."""
    if literal.translated or literal.key in CODE_KEYS:
        return False
    return looks_user_visible(literal.text, names)


def looks_user_visible(text: str, names: set[str]) -> bool:
    """Words a person reads: several words, or one capitalised word that is no name of the
    API (operations, types) or the platform."""
    if text in NOT_TEXT or text in names:
        return False
    bare = text.replace("\x00", " ").strip()
    if re.fullmatch(r"\{\w+\}", bare):  # a placeholder t() filled in: "{email}"
        return False
    if not re.search(r"[A-Za-z]{2}", bare):
        return False
    # Classes, attributes, selectors, media types.
    if re.fullmatch(r"[a-z0-9_.:/#=\[\]*+;,()-]+", bare):
        return False
    if "-" in bare and re.fullmatch(r"[a-z-]+( [a-z-]+)*", bare):  # class lists
        return False
    if re.fullmatch(r"[A-Z0-9_]+", bare):  # enum values
        return False
    if re.fullmatch(r"[a-z]+[A-Z][A-Za-z0-9]*", bare):  # identifiers: keyName, iPhone, macOS
        return False
    if " " not in bare and "/" in bare:  # a User-Agent's marks: Edg/, Chrome/
        return False
    if re.fullmatch(r"[A-Z][A-Za-z]+", bare):  # one capitalised word: a name, unless known text
        return not re.search(r"[A-Z]", bare[1:]) or bare in names
    return bool(re.search(r"[A-Za-z]{2,}", bare))
