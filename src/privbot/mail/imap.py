"""IMAP intake: take new mail from a server folder into the durable spool, then move or flag it.

`Poller.cycle()` selects the folder, settles what an earlier cycle left, searches the UIDs above
the last one spooled and takes them in batches: sizes first (`RFC822.SIZE`), then bodies with
`BODY.PEEK[]` so `\\Seen` stays the people's. One transaction spools a batch together with the
folder's new last UID and the batch's pending moves; only after that commit is the server told
(`mail/imap_move.py`: moved to the processed folder or flagged; quarantined and oversized mail
to the quarantine folder). Waiting for mail, IDLE and reconnecting are `mail/watch.py`'s;
processing is the pipeline's, reached through the `process` callback.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError
from imapclient.response_parser import parse_fetch_response
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from privbot.config import ImapConfig
from privbot.db import session_scope
from privbot.errors import MailboxError
from privbot.mail.imap_connect import close, connect, network
from privbot.mail.imap_move import Job, Mover, chunks, uid_set
from privbot.mail.parse import message_id_of, spool_key
from privbot.mail.spool import record_oversized, spool_many
from privbot.models import ImapFolderState, SpoolEntry, SpoolState, utcnow

log = logging.getLogger(__name__)

_FOLDERS: Any = ImapFolderState.__table__  # type: ignore[attr-defined]
_HEADER = "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"
_SPAN = 10_000  # UID numbers per search
_SIZES = 2000  # UIDs per span of work: sizes of its large messages, then its groups


@dataclass
class CycleReport:
    """What one cycle did, in counts (never content)."""

    new: int = 0  # spool entries created
    known: int = 0  # already in the spool (another path, or taken again after a crash)
    oversized: int = 0
    processed: int = 0  # moved to the processed folder or flagged
    quarantined: int = 0  # moved to the quarantine folder
    held: int = 0  # spooled, still waiting for the pipeline; settled next cycle
    resynced: bool = False  # UIDVALIDITY had changed
    pipeline: dict[str, int] = field(default_factory=dict)


class Poller:
    """One server folder feeding the spool. One thread drives it (its mover has its own).

    `process`, when given, runs the pipeline before messages are moved, so mail the pipeline
    quarantines goes to the quarantine folder; without it (spool-only intake) everything
    spooled goes to the processed folder at once, except oversized mail.
    """

    def __init__(
        self,
        engine: Engine,
        cfg: ImapConfig,
        max_bytes: int,
        process: Callable[[], dict[str, int]] | None = None,
        mailbox: str = "",
    ) -> None:
        self.engine = engine
        self.cfg = cfg
        self.mailbox = mailbox  # the `[[mailbox]]` this account serves, recorded on its mail
        self.max_bytes = max_bytes
        self.process = process
        self.account = "%s@%s:%d" % (cfg.user, cfg.host, cfg.port)
        self.lease_name = "imap:%s/%s" % (self.account, cfg.folder)  # one poller per folder
        self.client: IMAPClient | None = None
        self.mover: Mover | None = None
        self.folder = self.processed = self.quarantine = ""
        self.can_move = self.can_uidplus = self.can_idle = False
        self._in_flight: set[int] = set()  # UIDs handed to the mover, not yet confirmed
        # Spool-only intake: the state of what this poller has just stored, known without
        # asking the database (pending, or quarantined when oversized), until it is moved.
        self._stored: dict[int, SpoolState] = {}

    # --- connection ---

    def connect(self) -> IMAPClient:
        if self.client is not None:
            return self.client
        client = connect(self.cfg)
        try:
            with network("setup", self.cfg):
                caps = set(client.capabilities())
                self.can_move, self.can_uidplus, self.can_idle = (
                    b"MOVE" in caps,
                    b"UIDPLUS" in caps,
                    b"IDLE" in caps,
                )
                listed = client.list_folders("", "")  # LIST "" "" names the hierarchy delimiter
                delimiter = listed[0][1] if listed else None
                delimiter = (
                    delimiter.decode() if isinstance(delimiter, bytes) else (delimiter or "/")
                )
                self.folder, self.processed, self.quarantine = (
                    f if f.upper() == "INBOX" else f.replace("/", delimiter)
                    for f in (
                        self.cfg.folder,
                        self.cfg.processed_folder,
                        self.cfg.quarantine_folder,
                    )
                )
                for name in [self.quarantine] + (
                    [self.processed] if self.cfg.after == "move" else []
                ):
                    _ensure_folder(client, name)
        except IMAPClientError as exc:
            close(client)
            raise MailboxError(
                "IMAP %s:%d: folder set-up failed (%s)"
                % (self.cfg.host, self.cfg.port, type(exc).__name__)
            ) from None
        except BaseException:
            close(client)
            raise
        self.client = client
        log.info(
            "imap connected to %s:%d (move=%s uidplus=%s idle=%s)",
            self.cfg.host,
            self.cfg.port,
            self.can_move,
            self.can_uidplus,
            self.can_idle,
        )
        return client

    def close(self) -> None:
        if self.mover is not None:
            self.mover.close()
            self.mover = None
        self._in_flight.clear()
        self._stored.clear()
        if self.client is not None:
            client, self.client = self.client, None
            close(client)

    # --- one cycle ---

    def cycle(self) -> CycleReport:
        """Catch up with the folder: settle leftovers, take every new message. Connects if needed."""
        client = self.connect()
        report = CycleReport()
        try:
            with network("select", self.cfg):
                # Read-only (EXAMINE): this connection only searches and reads, and the mover's
                # connection changes the folder. A read-write SELECT of a folder with new mail
                # makes the server record it as seen by a session (\\Recent: Dovecot rewrites
                # its index, 0.1 s for 5,000 new messages) before the cycle can start; the
                # mover's SELECT does that while this connection fetches.
                selected = client.select_folder(self.folder, readonly=True)
            state = self._load_state(int(selected[b"UIDVALIDITY"]), report)
            self._settle(state, report, wait=True)
            # New UIDs a range at a time, so memory stays bounded whatever the mailbox holds;
            # mail arriving meanwhile (UIDNEXT and above) is the next cycle's.
            uidnext = int(selected.get(b"UIDNEXT", 0))
            first = state.last_uid + 1
            ranges = (
                [(lo, str(min(lo + _SPAN, uidnext) - 1)) for lo in range(first, uidnext, _SPAN)]
                if uidnext
                else [(first, "*")]
            )
            for lo, hi in ranges:
                with network("search", self.cfg):
                    criteria: list[str] = ["UID", "%d:%s" % (lo, hi)]
                    if self.cfg.after == "flag":
                        criteria += ["UNKEYWORD", self.cfg.flag]
                    uids = sorted(u for u in client.search(criteria) if u > state.last_uid)
                    # Sizes first, but only where they matter: the server names the large ones
                    # (a message grows no larger once searched, so the second search is safe).
                    large = (
                        set(client.search(criteria + ["LARGER", str(self._small)]))
                        if uids
                        else set()
                    )
                if uids:
                    # the mover's connection and its read-write SELECT (the server records the
                    # new mail as seen by a session: 0.1 s for 5,000 messages) get ready while
                    # this connection fetches, rather than after the first commit
                    self._mover().open()
                last_range = hi == "*" or int(hi) >= uidnext - 1
                for start in range(0, len(uids), _SIZES):
                    span = uids[start : start + _SIZES]
                    # how many follow this span (unknown while another range follows)
                    later = len(uids) - start - len(span) if last_range else None
                    self._take(client, state, span, large, report, later)
            self._settle(state, report, wait=True)
            if self.mover is not None:  # an idle second connection would only be logged out
                self.mover.close()
                self.mover = None
        except (IMAPClientError, MailboxError) as exc:
            self.close()
            if isinstance(exc, MailboxError):
                raise
            raise MailboxError(
                "IMAP %s:%d: the server refused a command (%s)"
                % (self.cfg.host, self.cfg.port, type(exc).__name__)
            ) from None
        return report

    def _load_state(self, uidvalidity: int, report: CycleReport) -> ImapFolderState:
        with session_scope(self.engine) as session:
            state = session.exec(
                select(ImapFolderState).where(
                    ImapFolderState.account == self.account, ImapFolderState.folder == self.folder
                )
            ).first()
            if state is None:
                state = ImapFolderState(
                    account=self.account, folder=self.folder, uidvalidity=uidvalidity
                )
            elif state.uidvalidity != uidvalidity:
                # The server renumbered the folder: take everything again; the spool knows what
                # it has, so nothing is stored twice, and old UIDs in `pending` mean nothing now.
                log.warning(
                    "imap UIDVALIDITY changed (%d -> %d): resynchronising the folder",
                    state.uidvalidity,
                    uidvalidity,
                )
                state.uidvalidity, state.last_uid, state.pending = uidvalidity, 0, []
                report.resynced = True
            state.updated_at = utcnow()
            session.add(state)
        return state

    @property
    def _small(self) -> int:
        """Messages up to this size are taken `batch_size` at a time without asking their size."""
        return max(1, min(self.max_bytes, self.cfg.batch_bytes // self.cfg.batch_size))

    def _take(
        self,
        client: IMAPClient,
        state: ImapFolderState,
        uids: list[int],
        large: set[int],
        report: CycleReport,
        later: int | None = None,
    ) -> None:
        """Take a span of new UIDs into the spool. `later`: how many new messages follow the
        span in this cycle (None: not known)."""
        asked = [uid for uid in uids if uid in large]
        sizes = dict.fromkeys(uids, self._small)
        if asked:
            with network("fetch", self.cfg):
                found = {
                    uid: int(data.get(b"RFC822.SIZE", 0))
                    for uid, data in client.fetch(asked, ["RFC822.SIZE"]).items()
                }
            sizes.update(found)
            for uid in set(asked) - set(found):  # expunged by another client since the search
                del sizes[uid]
        # Groups in UID order, bounded by count and by body bytes; each is one fetch and is
        # stored with the folder's last UID in the same transaction, so the last UID committed
        # never passes a message not yet stored.
        groups: list[list[int]] = [[]]
        held = 0
        for uid in uids:
            if uid not in sizes:
                continue
            size = sizes[uid] if sizes[uid] <= self.max_bytes else 0
            if groups[-1] and (
                held + size > self.cfg.batch_bytes or len(groups[-1]) >= self.cfg.batch_size
            ):
                groups.append([])
                held = 0
            groups[-1].append(uid)
            held += size
        # Bodies are fetched a group ahead, in a thread of this cycle, while the previous group
        # is stored: the server's and the database's waits overlap. Groups are committed
        # together up to `move_batch` messages (one fsync for them), and only committed mail
        # is handed to the mover, which moves it while the next groups are fetched. The move
        # of the last commit overlaps nothing, so toward the end of the cycle commits get
        # smaller (never larger than what is left after them): the last one is a group.
        fetched = _Prefetch(self, client, groups, sizes)
        session: Session | None = None
        uncommitted = 0
        left = sum(map(len, groups)) + (later if later is not None else self.cfg.move_batch)
        try:
            for index, (group, bodies, heads) in enumerate(fetched):
                if session is None:
                    session = Session(self.engine, expire_on_commit=False)
                last_group = index == len(fetched.groups) - 1
                last = uids[-1] if last_group else group[-1]
                self._spool_group(session, state, bodies, heads, sizes, last, report)
                uncommitted += len(group)
                left -= len(group)
                if uncommitted >= min(self.cfg.move_batch, left) or last_group:
                    self._save(session, state, state.pending, state.last_uid)
                    session.commit()
                    session.close()
                    session, uncommitted = None, 0
                    if not last_group or later:  # else the cycle's end settles it, waiting
                        self._settle(state, report, wait=False)
        finally:
            fetched.stop()
            if session is not None:
                session.rollback()
                session.close()

    def _fetch_group(
        self, client: IMAPClient, group: list[int], sizes: dict[int, int]
    ) -> tuple[dict[int, tuple[bytes, tuple[str, str]]], dict[int, bytes]]:
        """The bodies of a group's messages with their spool keys, and only the Message-ID of
        those too large."""
        if not group:  # every message of the span was expunged since the search
            return {}, {}
        small = [uid for uid in group if sizes[uid] <= self.max_bytes]
        big = [uid for uid in group if sizes[uid] > self.max_bytes]
        with network("fetch", self.cfg):
            raws = fetch_bodies(client, small) if small else {}
            heads = (
                {
                    uid: data.get(b"BODY[HEADER.FIELDS (MESSAGE-ID)]") or b""
                    for uid, data in client.fetch(big, [_HEADER]).items()
                }
                if big
                else {}
            )
        return {uid: (raw, spool_key(raw)) for uid, raw in raws.items()}, heads

    def _spool_group(
        self,
        session: Session,
        state: ImapFolderState,
        bodies: dict[int, tuple[bytes, tuple[str, str]]],
        heads: dict[int, bytes],
        sizes: dict[int, int],
        last: int,
        report: CycleReport,
    ) -> None:
        """Store a fetched group in the caller's transaction; the folder's new last UID and
        pending moves are the caller's to save in it before the commit."""
        pending = self._confirmed(state, report)
        ordered = sorted(bodies)
        stored = spool_many(
            session,
            [(bodies[uid][0], self._ref(state, uid)) for uid in ordered],
            "imap",
            mailbox=self.mailbox,
            keys=[bodies[uid][1] for uid in ordered],
        )
        for uid, (spool_id, created) in zip(ordered, stored, strict=True):
            report.new += created
            report.known += not created
            pending.append([uid, spool_id])
            if created and self.process is None:
                self._stored[spool_id] = SpoolState.pending
        for uid in sorted(heads):
            entry = record_oversized(
                session,
                message_id_of(heads[uid] + b"\r\n\r\n")[:998],
                sizes[uid],
                "imap",
                self._ref(state, uid),
            )
            report.oversized += 1
            pending.append([uid, entry.id or 0])
            if self.process is None:
                self._stored[entry.id or 0] = entry.state
        state.last_uid, state.pending = max(last, state.last_uid), pending  # saved at commit
        log.info(
            "imap spooled %d message(s) up to uid %d", len(bodies) + len(heads), state.last_uid
        )

    def _ref(self, state: ImapFolderState, uid: int) -> str:
        return ("imap:%d:%d:%s" % (state.uidvalidity, uid, self.folder))[:200]

    def _save(
        self, session: Session, state: ImapFolderState, pending: list[list[int]], last_uid: int
    ) -> None:
        """Record the folder's last UID and pending moves in the caller's transaction (on the
        table: through the ORM the UPDATE spent twice its own time in Python)."""
        session.execute(
            _FOLDERS.update()
            .where(_FOLDERS.c.id == state.id)
            .values(last_uid=last_uid, pending=pending, updated_at=utcnow())
        )
        state.last_uid, state.pending = last_uid, pending

    # --- telling the server, after the commit ---

    def _confirmed(self, state: ImapFolderState, report: CycleReport) -> list[list[int]]:
        """`state.pending` less what the mover has confirmed (to be saved by the caller)."""
        settled: set[int] = set()
        for job in self.mover.done() if self.mover else []:
            settled.update(uid for uid, _ in job.items)
            report.processed += len(job.processed)
            report.quarantined += len(job.quarantine)
        self._in_flight -= settled
        return [item for item in state.pending if item[0] not in settled]

    def _settle(self, state: ImapFolderState, report: CycleReport, wait: bool) -> None:
        """Hand every pending message whose outcome is known to the mover; with `wait`, until
        the server has confirmed them all, and save what is still pending."""
        todo = [item for item in state.pending if item[0] not in self._in_flight]
        if todo:
            ids = [spool_id for _, spool_id in todo]
            if self.process is None:  # only what an earlier cycle or another path stored is read
                states = {i: self._stored.pop(i) for i in ids if i in self._stored}
                states.update(self._states([i for i in ids if i not in states]))
            else:
                states = self._states(ids)
                if SpoolState.pending in states.values():
                    for result, count in self.process().items():
                        report.pipeline[result] = report.pipeline.get(result, 0) + count
                    states = self._states(ids)
            job = Job(items=[])
            for uid, spool_id in todo:
                outcome = states.get(spool_id)
                if outcome is SpoolState.pending and self.process is not None:
                    continue  # the pipeline has not got to it (another worker has it): next time
                job.items.append([uid, spool_id])
                (job.quarantine if outcome is SpoolState.quarantined else job.processed).append(uid)
            if job.items:
                self._mover().submit(job)
                self._in_flight.update(uid for uid, _ in job.items)
        if not wait:
            return
        if self.mover is not None:
            self.mover.wait()
        pending = self._confirmed(state, report)
        report.held = len(pending)
        if pending != state.pending:
            with session_scope(self.engine) as session:
                self._save(session, state, pending, state.last_uid)

    def _mover(self) -> Mover:
        if self.mover is None:
            self.mover = Mover(self.cfg, (self.folder, self.processed, self.quarantine))
        return self.mover

    def _states(self, ids: list[int]) -> dict[int, SpoolState]:
        found: dict[int, SpoolState] = {}
        with Session(self.engine) as session:
            for chunk in chunks(ids, 1000):
                rows = session.exec(
                    select(SpoolEntry.id, SpoolEntry.state).where(col(SpoolEntry.id).in_(chunk))
                ).all()
                found.update({int(i): SpoolState(s) for i, s in rows if i is not None})
        return found


_BODY = re.compile(rb"\d+ \(UID (\d+) BODY\[\] \{\d+\}")


def fetch_bodies(client: IMAPClient, uids: list[int]) -> dict[int, bytes]:
    """UID -> raw bytes (`BODY.PEEK[]`) of those of the messages still in the selected folder.

    imapclient's general parser costs more per message than storing it, so answers of the
    usual form, `* n FETCH (UID u BODY[] {size}` + the bytes + `)`, are taken from imaplib's
    data as they are; any other (items in another order, a body as a quoted string, an
    unsolicited flag change in between) goes through imapclient's parser whole.
    """
    imap = client._imap  # imapclient's own imaplib connection, as its `fetch` uses it
    typ, data = imap.uid("FETCH", uid_set(uids), "(BODY.PEEK[])")
    if typ != "OK":
        raise IMAPClientError("FETCH failed: %r" % data[:1])
    found: dict[int, bytes] = {}
    items = iter(data)
    for item in items:
        if not (
            isinstance(item, tuple)
            and (match := _BODY.fullmatch(item[0]))
            and next(items, None) == b")"
        ):
            break
        found[int(match[1])] = item[1]
    else:
        return found
    wanted = set(uids)
    return {  # `BODY[] NIL`: expunged by another client since the search (Dovecot's answer)
        uid: body
        for uid, fields in parse_fetch_response(data, client.normalise_times, True).items()
        if uid in wanted and isinstance(body := fields.get(b"BODY[]"), bytes)
    }


_Fetched = tuple[list[int], dict[int, tuple[bytes, tuple[str, str]]], dict[int, bytes]]


class _Prefetch:
    """Fetches a poller's groups in order, one ahead of the consumer, in a thread of its own.

    Iterating yields (group, bodies, heads); an error in the thread is raised in the consumer
    at the group it stopped at. `stop()` ends the thread (after the fetch under way)."""

    def __init__(
        self, poller: Poller, client: IMAPClient, groups: list[list[int]], sizes: dict[int, int]
    ) -> None:
        self.groups = groups
        self._queue: queue.Queue[_Fetched | BaseException] = queue.Queue(maxsize=1)
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(poller, client, sizes), name="imap-fetch", daemon=True
        )
        self._thread.start()

    def _run(self, poller: Poller, client: IMAPClient, sizes: dict[int, int]) -> None:
        for group in self.groups:
            try:
                item: _Fetched | BaseException = (
                    group,
                    *poller._fetch_group(client, group, sizes),
                )
            except BaseException as exc:  # handed to the consumer, which raises it
                item = exc
            while not self._stopping.is_set():
                try:
                    self._queue.put(item, timeout=0.1)
                    break
                except queue.Full:
                    continue
            if isinstance(item, BaseException) or self._stopping.is_set():
                return

    def __iter__(self) -> Iterator[_Fetched]:
        for _ in self.groups:
            item = self._queue.get()
            if isinstance(item, BaseException):
                raise item
            yield item

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join()


def _ensure_folder(client: IMAPClient, name: str) -> None:
    if client.folder_exists(name):
        return
    try:
        client.create_folder(name)
    except IMAPClientError:
        if not client.folder_exists(name):  # another client may have created it meanwhile
            raise
    client.subscribe_folder(name)
    log.info("imap created a folder for privbot")
