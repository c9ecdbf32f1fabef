#!/usr/bin/env python3
"""Twofold's two set-up commands, needing nothing but Python 3.11 on the machine.

    python3 dev.py serve [--host H] [--port P]   serve on the embedded defaults (SQLite, console)
    python3 dev.py test  [pytest arguments]      run the test suite (SQLite unless told otherwise)

Each creates `.venv` and installs Twofold with its test tools on first use (and again when
pyproject.toml changes), then runs the command inside it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".twofold-installed"


def ensure_environment() -> None:
    if sys.version_info < (3, 11):
        sys.exit("Twofold needs Python 3.11 or newer")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.is_file() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print("creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    print("installing Twofold and its test tools into .venv ...", flush=True)
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "--editable", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"serve", "test"}:
        print(__doc__)
        return 2
    ensure_environment()
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "serve":
        argv = [str(BIN / "twofold"), "serve", *rest]
    else:
        argv = [str(BIN / "python"), "-m", "pytest", *rest]
    os.chdir(ROOT)
    if os.name == "nt":
        return subprocess.call(argv)
    # Replace this process with the command: a process manager's SIGTERM or SIGINT, sent to the
    # pid it started, reaches the server itself, and no child is left holding the port.
    sys.stdout.flush()
    os.execv(argv[0], argv)  # noqa: S606


if __name__ == "__main__":
    raise SystemExit(main())
