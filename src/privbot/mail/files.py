"""Mail read from files for `privbot ingest` and `classify`: .eml files, directories of them,
maildirs and mbox files.

Inside a directory nothing is followed: symbolic links and anything that is not a regular file
are skipped with a reason, and a file is opened with O_NOFOLLOW and checked again on the open
descriptor. A message larger than `max_bytes` is not read; the caller records it as oversized.
A path named on the command line may itself be a link (the person typed it), but it must lead
to a regular file or a directory.
"""

from __future__ import annotations

import mailbox
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from privbot.errors import PrivbotError


@dataclass(frozen=True)
class FileMessage:
    name: str
    raw: bytes  # empty when skipped
    size: int = 0
    skipped: str = ""  # why it was not read: "symbolic link", "not a regular file", "oversized"


def _read(path: Path, max_bytes: int, follow: bool) -> FileMessage:
    flags = os.O_RDONLY | (0 if follow else os.O_NOFOLLOW) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == 40:  # ELOOP: a symbolic link under O_NOFOLLOW
            return FileMessage(str(path), b"", skipped="symbolic link")
        raise PrivbotError("cannot read %s (%s)" % (path, exc.strerror)) from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return FileMessage(str(path), b"", skipped="not a regular file")
        if info.st_size > max_bytes:
            return FileMessage(str(path), b"", info.st_size, "oversized")
        raw = fh.read(max_bytes + 1)
    if len(raw) > max_bytes:  # grew while we read
        return FileMessage(str(path), b"", len(raw), "oversized")
    return FileMessage(str(path), raw, len(raw))


def _walk(root: Path) -> Iterator[Path]:
    """Every entry under `root`, sorted, without descending into linked directories."""
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        for name in sorted(files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]):
            yield Path(folder) / name


def _skip_reason(path: Path) -> str:
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        return "symbolic link"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    return ""


def _mbox(path: Path, max_bytes: int) -> Iterator[FileMessage]:
    for index, msg in enumerate(mailbox.mbox(path, create=False)):
        raw = msg.as_bytes()
        name = "%s#%d" % (path, index)
        if len(raw) > max_bytes:
            yield FileMessage(name, b"", len(raw), "oversized")
        else:
            yield FileMessage(name, raw, len(raw))


def iter_messages(paths: list[Path], max_bytes: int) -> Iterator[FileMessage]:
    for path in paths:
        if path.is_dir() and all((path / sub).is_dir() for sub in ("cur", "new")):
            for sub in ("new", "cur"):
                for child in sorted((path / sub).iterdir()):
                    if child.name.startswith("."):
                        continue
                    reason = _skip_reason(child)
                    yield (
                        FileMessage(str(child), b"", skipped=reason)
                        if reason
                        else _read(child, max_bytes, follow=False)
                    )
        elif path.is_dir():
            for child in _walk(path):
                if child.suffix.lower() != ".eml":
                    continue
                reason = _skip_reason(child)
                yield (
                    FileMessage(str(child), b"", skipped=reason)
                    if reason
                    else _read(child, max_bytes, follow=False)
                )
        elif path.exists():
            first = _read(path, max_bytes, follow=True)
            if first.skipped == "oversized" and _looks_like_mbox(path):
                yield from _mbox(path, max_bytes)  # an archive: the limit is per message
            elif first.skipped:
                yield first
            elif (
                first.raw.startswith(b"From ")
                and first.raw.count(b"\nFrom ") >= 1
                and path.suffix.lower() != ".eml"
            ):
                yield from _mbox(path, max_bytes)
            else:
                yield first
        else:
            raise PrivbotError("no such file or directory: %s" % path)


def _looks_like_mbox(path: Path) -> bool:
    if path.suffix.lower() == ".eml" or not path.is_file():
        return False
    with path.open("rb") as fh:
        return fh.read(5) == b"From "
