"""Telling the IMAP server what privbot has taken: move or flag messages already in the spool.

The `Mover` works on a connection of its own, in its own thread, so the server's work on one
batch (MOVE costs it per message and per command) overlaps the poller fetching the next. It only
ever sees messages whose spool transaction has committed; the poller forgets a pending message
only after the mover reports its job done. MOVE where the server advertises it; otherwise COPY,
flag `\\Deleted` and `UID EXPUNGE` with UIDPLUS only — never a plain EXPUNGE, which would remove
other clients' deleted mail too.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from privbot.config import ImapConfig
from privbot.errors import MailboxError
from privbot.mail.imap_connect import close, connect, network

log = logging.getLogger(__name__)

DELETED = b"\\Deleted"
CHUNK = 1000  # UIDs per command, sent as ranges (1:200,205)


def chunks(items: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def uid_set(uids: Sequence[int]) -> str:
    """An IMAP sequence set with runs folded: [1, 2, 3, 7] -> '1:3,7'."""
    parts: list[str] = []
    ordered = sorted(set(uids))
    start = prev = ordered[0] if ordered else 0
    for uid in ordered[1:] + [0]:
        if uid == prev + 1:
            prev = uid
            continue
        parts.append(str(start) if start == prev else "%d:%d" % (start, prev))
        start = prev = uid
    return ",".join(parts)


def move(client: IMAPClient, uids: list[int], folder: str) -> None:
    """Move messages of the selected folder, whatever the server offers.

    Without UIDPLUS the originals stay, flagged \\Deleted, for the mailbox's owner to expunge.
    A message already \\Deleted was copied by an earlier, interrupted attempt (or deleted by its
    owner) and is not copied again.
    """
    caps = set(client.capabilities())
    for chunk in chunks(uids, CHUNK):
        if b"MOVE" in caps:
            client.move(uid_set(chunk), folder)
            continue
        flags = client.get_flags(chunk)
        fresh = [uid for uid in chunk if uid in flags and DELETED not in flags[uid]]
        if fresh:
            client.copy(uid_set(fresh), folder)  # raises on NO: then nothing is flagged
            client.add_flags(uid_set(fresh), [DELETED], silent=True)
        if b"UIDPLUS" in caps:
            client.uid_expunge(uid_set(chunk))


def flag(client: IMAPClient, uids: list[int], keyword: str) -> None:
    for chunk in chunks(uids, CHUNK):
        client.add_flags(uid_set(chunk), [keyword.encode()], silent=True)


@dataclass
class Job:
    """Messages to tell the server about, and the pending [uid, spool_id] pairs this settles."""

    items: list[list[int]]
    processed: list[int] = field(default_factory=list)
    quarantine: list[int] = field(default_factory=list)


class Mover:
    """Moves (or flags) in a thread on its own connection; `wait()` and `done()` report back."""

    def __init__(self, cfg: ImapConfig, folders: tuple[str, str, str]) -> None:
        """`folders`: the polled folder, the processed and the quarantine folder, server names."""
        self.cfg = cfg
        self.folder, self.processed, self.quarantine = folders
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._done: list[Job] = []
        self._lock = threading.Lock()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._client: IMAPClient | None = None

    def submit(self, job: Job) -> None:
        self.check()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="imap-mover", daemon=True)
            self._thread.start()
        self._jobs.put(job)

    def open(self) -> None:
        """Connect and select the folder now, in the mover's thread, if not done yet."""
        if self._client is None and self._thread is None:
            self.submit(Job(items=[]))

    def done(self) -> list[Job]:
        """Jobs the server has confirmed since the last call."""
        with self._lock:
            finished, self._done = self._done, []
        return finished

    def wait(self) -> None:
        """Until every submitted job is done; raises what stopped the mover."""
        self._jobs.join()
        self.check()

    def check(self) -> None:
        if self._error is not None:
            raise self._error

    def close(self) -> None:
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join(timeout=self.cfg.timeout + 5)
            self._thread = None
        if self._client is not None:
            close(self._client)
            self._client = None

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            try:
                if (
                    self._error is None
                ):  # after a failure, jobs are dropped: their messages stay pending
                    self._do(job)
                    with self._lock:
                        self._done.append(job)
            except BaseException as exc:  # handed to the poller's thread, which raises it
                self._error = (
                    exc
                    if isinstance(exc, MailboxError)
                    else MailboxError(
                        "IMAP %s:%d: moving failed (%s)"
                        % (self.cfg.host, self.cfg.port, type(exc).__name__)
                    )
                )
            finally:
                self._jobs.task_done()
        self._jobs.task_done()

    def _do(self, job: Job) -> None:
        with network("move", self.cfg):
            try:
                if self._client is None:
                    self._client = connect(self.cfg)
                    self._client.select_folder(self.folder)
                move(self._client, job.quarantine, self.quarantine)
                if self.cfg.after == "flag":
                    flag(self._client, job.processed, self.cfg.flag)
                else:
                    move(self._client, job.processed, self.processed)
            except IMAPClientError as exc:
                raise MailboxError(
                    "IMAP %s:%d: the server refused to move (%s)"
                    % (self.cfg.host, self.cfg.port, type(exc).__name__)
                ) from None
        log.debug("imap moved %d, quarantined %d", len(job.processed), len(job.quarantine))
