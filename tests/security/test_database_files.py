"""The embedded database is readable by its owner only: a SQLite file holds password hashes,
sealed secrets and the audit trail, and the machine may have other users (ASVS 14.2)."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

from tests.support.served import twofold_command


def test_twofold_creates_its_sqlite_files_private_whatever_the_umask(tmp_path: Path) -> None:
    # given: a permissive umask, as on many servers
    env = {**os.environ, "DATABASE_URL": f"sqlite://{tmp_path / 'fresh.sqlite3'}"}
    env.pop("TWOFOLD_ENV", None)

    # when
    done = subprocess.run(
        ["sh", "-c", 'umask 022 && exec "$@"', "sh", *twofold_command("migrate")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    # then: the database and any journal beside it are the owner's alone
    assert done.returncode == 0, done.stderr
    files = sorted(tmp_path.glob("fresh.sqlite3*"))
    assert files, list(tmp_path.iterdir())
    for path in files:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, (path.name, oct(mode))
