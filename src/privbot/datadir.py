"""The data directory holds personal data: the directory is 0700 and the files privbot writes in
it (the SQLite database with its -wal and -shm files, outbox/*.eml, the web secret) 0600,
whatever the umask of the process that creates them.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) and make it 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if path.stat().st_mode & 0o777 != PRIVATE_DIR:
        os.chmod(path, PRIVATE_DIR)
    return path


def private_file(path: Path) -> None:
    """Create `path` empty if missing, and make it 0600."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)


def open_private(path: Path) -> int:
    """A new file for writing, 0600 from the start (an existing one is truncated)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    os.fchmod(fd, PRIVATE_FILE)
    return fd


def secure_sqlite(database: Path) -> None:
    """The database and its journal files 0600; SQLite gives -wal and -shm the database's mode."""
    if not database.parent.exists():
        private_dir(database.parent)
    private_file(database)
    for suffix in ("-wal", "-shm", "-journal"):
        extra = database.with_name(database.name + suffix)
        if extra.exists():
            os.chmod(extra, PRIVATE_FILE)


def secure_home(home: Path) -> None:
    """The data directory 0700, its outbox 0700 and the files already in them 0600 (a missing
    directory is left to whoever first writes there, which creates it 0700)."""
    if not home.is_dir() or home.is_symlink():
        return
    private_dir(home)
    for child in home.iterdir():
        if child.is_symlink():
            continue
        if child.is_file() and child.stat().st_mode & 0o777 != PRIVATE_FILE:
            os.chmod(child, PRIVATE_FILE)
    outbox = home / "outbox"
    if outbox.is_dir() and not outbox.is_symlink():
        private_dir(outbox)
        for child in outbox.iterdir():
            if child.is_file() and not child.is_symlink():
                os.chmod(child, PRIVATE_FILE)
