#!/usr/bin/env python3
"""Run the GraphQL-over-HTTP audit (npm `graphql-http`, `auditServer`) against Twofold.

    .venv/bin/python scripts/http_audit.py

Installs the pinned `graphql-http` with npm into a cache folder (TWOFOLD_NPM_CACHE, default
~/.cache/twofold-npm), serves Twofold (`twofold serve`, development settings, a throwaway
SQLite database) on a free loopback port, and runs scripts/http_audit.mjs against it. Prints
every failed audit and the MUST, SHOULD and MAY counts; exits non-zero unless MUST is complete.
Needs Python, node and npm; the npm registry is the only network it uses.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AUDIT_PACKAGES = ("graphql-http@1.23.1", "graphql@16.15.0")


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise SystemExit(f"{name} is not on PATH")
    return path


def npm_folder(packages: tuple[str, ...]) -> Path:
    """A folder whose node_modules holds exactly `packages` (installed once, then reused)."""
    cache = Path(os.environ.get("TWOFOLD_NPM_CACHE", Path.home() / ".cache" / "twofold-npm"))
    folder = cache / "-".join(p.replace("/", "_").replace("@", "") for p in packages)
    if not (folder / "installed").is_file():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "package.json").write_text('{"private": true}\n')
        subprocess.run(
            [tool("npm"), "install", "--no-audit", "--no-fund", "--silent", *packages],
            cwd=folder,
            check=True,
            timeout=300,
        )
        (folder / "installed").write_text("\n".join(packages) + "\n")
    return folder


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("twofold serve stopped before it answered")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("twofold serve did not come up in 60 s")


def main() -> int:
    modules = npm_folder(AUDIT_PACKAGES)
    with tempfile.TemporaryDirectory() as scratch:
        # ES modules resolve packages from the script's own folder (NODE_PATH does not count).
        script = modules / "http_audit.mjs"
        script.write_text((ROOT / "scripts" / "http_audit.mjs").read_text())
        port = free_port()
        env = {
            **os.environ,
            "TWOFOLD_ENV": "development",
            "DATABASE_URL": f"sqlite://{scratch}/audit.sqlite3",
            "TWOFOLD_SECRET_KEY": "http-audit-secret-key-0123456789-abcdefghijklmnop",
        }
        with Path(scratch, "serve.log").open("wb") as log:
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "graph.cli",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                base = f"http://127.0.0.1:{port}"
                wait_until_up(base, server)
                audit = subprocess.run(
                    [tool("node"), str(script), f"{base}/graphql"],
                    timeout=120,
                    check=False,
                )
            finally:
                server.terminate()
                server.wait(timeout=10)
    return audit.returncode


if __name__ == "__main__":
    sys.exit(main())
