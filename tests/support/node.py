"""npm packages for tests that drive Twofold from JavaScript clients, as apps do.

Packages are installed once with npm (the registry is the only network used) into a cache
folder, TWOFOLD_NPM_CACHE or ~/.cache/twofold-npm, one folder per set of pinned versions.
A script runs from inside that folder, since ES modules resolve packages from their own folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def npm_folder(packages: tuple[str, ...]) -> Path:
    """A folder whose node_modules holds `packages` (pinned `name@version`), installed once."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.fail("node and npm must be on PATH")
    cache = Path(os.environ.get("TWOFOLD_NPM_CACHE", Path.home() / ".cache" / "twofold-npm"))
    folder = cache / "-".join(p.replace("/", "_").replace("@", "") for p in packages)
    if not (folder / "installed").is_file():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "package.json").write_text('{"private": true}\n')
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--silent", *packages],
            cwd=folder,
            check=True,
            timeout=300,
        )
        (folder / "installed").write_text("\n".join(packages) + "\n")
    return folder


def run_node(folder: Path, name: str, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Write `script` as `name` into `folder` and run it with node; its output as text."""
    path = folder / name
    path.write_text(script)
    node = shutil.which("node")
    assert node is not None
    return subprocess.run(
        [node, str(path), *args], capture_output=True, text=True, timeout=60, check=False
    )
