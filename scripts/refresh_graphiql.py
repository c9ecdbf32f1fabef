#!/usr/bin/env python3
"""Refresh the GraphiQL files Twofold ships in graph/http/graphiql/ from the npm registry.

    python3 scripts/refresh_graphiql.py

The development GraphiQL page loads these files from Twofold itself, so it works without a
public CDN. To move to other versions, change PINS and run this script: it `npm pack`s each
pinned package into a temporary folder, copies the files the page loads into
graph/http/graphiql/static/, recomputes their sha384 (the page's subresource-integrity hashes), and
rewrites graph/http/graphiql/manifest.json and THIRD_PARTY_LICENSES.txt. Needs only Python and npm.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "graph" / "http" / "graphiql"

# (package, version, files the page loads, as paths inside the package and on unpkg), in the
# order the page loads them: GraphiQL's UMD build needs the React globals, and the explorer
# plugin needs GraphiQL's. These are the versions Strawberry's own GraphiQL page pins.
PINS: list[tuple[str, str, list[str]]] = [
    ("react", "18.2.0", ["umd/react.production.min.js"]),
    ("react-dom", "18.2.0", ["umd/react-dom.production.min.js"]),
    ("graphiql", "3.8.3", ["graphiql.min.css", "graphiql.min.js"]),
    ("@graphiql/plugin-explorer", "1.0.2", ["dist/style.css", "dist/index.umd.js"]),
]


def main() -> int:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("refresh_graphiql: npm is not on PATH")
    entries, licenses, contents = [], [], {}
    with tempfile.TemporaryDirectory(prefix="twofold-graphiql-") as temp:
        for package, version, wanted in PINS:
            tarball, tarball_integrity = _pack(npm, f"{package}@{version}", Path(temp))
            with tarfile.open(tarball) as archive:
                for file in wanted:
                    data = _member(archive, f"package/{file}")
                    name = _served_name(package, version, file)
                    contents[name] = data
                    entries.append(
                        {
                            "package": package,
                            "version": version,
                            "file": file,
                            "name": name,
                            "sha384": base64.b64encode(hashlib.sha384(data).digest()).decode(),
                            "bytes": len(data),
                            "tarball": tarball_integrity,
                        }
                    )
                licenses.append(_license(archive, package, version))
    static = TARGET / "static"
    if static.exists():
        shutil.rmtree(static)
    static.mkdir(parents=True)
    for name, data in contents.items():
        (static / name).write_bytes(data)
    manifest = {
        "generated_by": "scripts/refresh_graphiql.py; edit PINS there and run it, never this file",
        "files": entries,
    }
    (TARGET / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    (TARGET / "THIRD_PARTY_LICENSES.txt").write_text("\n\n".join(licenses), encoding="utf-8")
    total = sum(entry["bytes"] for entry in entries)
    print(f"wrote {len(entries)} files ({total:,} bytes) to {static.relative_to(ROOT)}")
    return 0


def _pack(npm: str, spec: str, into: Path) -> tuple[Path, str]:
    """`npm pack` one exact version; npm checks the tarball against the registry's integrity."""
    packed = subprocess.run(
        [npm, "pack", spec, "--json", "--pack-destination", str(into)],
        check=True,
        capture_output=True,
        text=True,
        cwd=into,
    )
    (result,) = json.loads(packed.stdout)
    return into / result["filename"], str(result["integrity"])


def _member(archive: tarfile.TarFile, path: str) -> bytes:
    """One regular file's bytes, read from the archive without extracting anything to disk."""
    member = archive.getmember(path)
    handle = archive.extractfile(member) if member.isfile() else None
    if handle is None:
        sys.exit(f"refresh_graphiql: {path} is not a regular file in the package")
    return handle.read()


def _served_name(package: str, version: str, file: str) -> str:
    """A flat, versioned file name: versions in the name make the files safe to cache forever."""
    slug = package.lstrip("@").replace("/", "-")
    return f"{slug}-{version}-{Path(file).name}"


def _license(archive: tarfile.TarFile, package: str, version: str) -> str:
    """The package's LICENSE text, or what its package.json says when it ships none."""
    heading = f"== {package}@{version}"
    names = set(archive.getnames())
    for candidate in ("package/LICENSE", "package/LICENSE.md", "package/LICENSE.txt"):
        if candidate in names:
            return f"{heading}\n\n{_member(archive, candidate).decode().strip()}\n"
    meta = json.loads(_member(archive, "package/package.json"))
    repository = meta.get("repository", {})
    url = repository.get("url", "") if isinstance(repository, dict) else str(repository)
    return (
        f"{heading}\n\nLicense: {meta.get('license', 'unknown')} (from its package.json; the "
        f"package ships no LICENSE file). Source: {url}\n"
    )


if __name__ == "__main__":
    raise SystemExit(main())
