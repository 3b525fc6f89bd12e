"""Every stage, in order: spool → parse → screen and classify → thread → case → draft.

`process` takes one spooled message through the stages inside the caller's transaction and says
what became of it; `run` claims pending spool entries a batch per transaction and processes them,
quarantining an entry whose processing raises (with the stage and the exception class) and going
on with the rest. The entries' new states are written together, in
one statement per batch, in the transaction that holds their work.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy import select as core_select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from privbot import mailboxes
from privbot.cases import from_mail, identity, outbox, resends, thread
from privbot.cases.audit import audit
from privbot.cases.kept_back import KeptBack, kept_back
from privbot.cases.receipt import queue_receipt
from privbot.cases.store import make_draft, open_case
from privbot.cases.thread import find_case
from privbot.chat import requests
from privbot.classify.match import classify_screened
from privbot.classify.result import Classification
from privbot.context import Context
from privbot.db import claimable, session_scope, temporary_in_memory
from privbot.errors import ParseError
from privbot.mail import bounces
from privbot.mail.parse import ParsedMail, parse
from privbot.mail.prepare import Prepared, prepare
from privbot.mail.screen import Kind, Screening, screen
from privbot.models import SPOOL_PENDING, Channel, Message, SpoolEntry, SpoolState, utcnow
from privbot.text import content_key

__all__ = ["Context", "Disposition", "Reading", "process", "read", "run"]

log = logging.getLogger(__name__)

# A batch is one transaction: its fixed costs (the claim, the batch's lookups, the flush, the
# commit) are shared by its messages, and each stage runs back to back over them. 200 took
# 9 % less CPU per message than 50 (the gain flattens beyond). Its mail is held in memory
# together, parsed too, so a batch also stops at `BATCH_BYTES` of raw mail.
BATCH = 200
BATCH_BYTES = 32 * 1024 * 1024


class Disposition(StrEnum):
    """What became of one spooled message."""

    opened = "opened"
    threaded = "threaded"
    screened = "screened"
    quarantined = "quarantined"


_SPOOL_STATE = {
    Disposition.opened: SpoolState.done,
    Disposition.threaded: SpoolState.done,
    Disposition.screened: SpoolState.screened,
    Disposition.quarantined: SpoolState.quarantined,
}


@dataclass(frozen=True, slots=True)
class Entry:
    """A claimed spool entry: what processing reads of it."""

    id: int
    source: str
    raw: bytes
    received_at: datetime
    mailbox: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one entry, written to its spool row by `run`."""

    disposition: Disposition
    stage: str = ""
    reason: str = ""
    case_id: int | None = None


def _finish(
    entry: Entry,
    disposition: Disposition,
    stage: str = "",
    reason: str = "",
    case_id: int | None = None,
) -> Outcome:
    return Outcome(disposition, stage, reason[:500], case_id)


@dataclass(frozen=True, slots=True)
class Reading:
    """What a mail says before any case is looked at: its own text and requester, its kind and,
    when a person wrote it, what it asks (`classification`; None for mail screened out)."""

    prepared: Prepared
    screening: Screening
    classification: Classification | None


def read(mail: ParsedMail, ctx: Context) -> Reading:
    """New text apart from quotes (a configured form relay or a staff forward names the
    requester), whether a person wrote it, and what a person's mail asks."""
    return _classified(mail, _prepared_and_screened(mail, ctx), ctx)


def _prepared_and_screened(mail: ParsedMail, ctx: Context) -> tuple[Prepared, Screening]:
    prepared = prepare(mail, ctx.config.form_senders, ctx.staff_domains)
    return prepared, screen(mail, ctx.own_addresses, ctx.ruleset.screening, prepared.new_text)


def _classified(mail: ParsedMail, seen: tuple[Prepared, Screening], ctx: Context) -> Reading:
    prepared, screening = seen
    return Reading(prepared, screening, classify_screened(mail, prepared, ctx.ruleset, screening))


def process(
    session: Session,
    entry: Entry,
    ctx: Context,
    parsed: ParsedMail | None = None,
    reading: Reading | None = None,
) -> Outcome:
    """`parsed`: the entry's mail when the caller has parsed it already; `reading`: what `read`
    made of it, likewise."""
    if entry.source == "chat":  # a request confirmed in the chat: structured, never read as mail
        return _chat_request(session, entry, ctx)
    try:
        mail = parsed if parsed is not None else parse(entry.raw)
    except ParseError as exc:
        return _finish(entry, Disposition.quarantined, "parse", str(exc))
    if reading is None:
        reading = read(mail, ctx)
    classification = reading.classification
    if classification is None:
        reason = _screened(session, entry, reading.screening)
        return _finish(entry, Disposition.screened, "screen", reason)
    cfg, replies, received = ctx.config, ctx.replies, entry.received_at
    # These lookups read Message-IDs, references, senders, content keys and whether a case is
    # purged or merged, which nothing in the pipeline changes after writing: the changes earlier
    # messages of the batch made to their cases need not be flushed first (they go together).
    with session.no_autoflush:
        match = find_case(session, mail)  # trusted only from the requester or an allowed address
        resent_to = resends.resent(session, cfg, mail, received) if match is None else None
    known = match.case if match is not None and match.trusted else resent_to
    if known is not None:
        from_mail.follow_up(
            session, cfg, replies, known, mail, entry.id, classification, received, bool(resent_to)
        )
        return _finish(entry, Disposition.threaded, case_id=known.id)
    claimed = match.case if match is not None else None  # someone else's reference or thread
    case, first = from_mail.open_from_mail(
        session,
        cfg,
        mail,
        reading.prepared,
        entry.id,
        classification,
        received,
        ctx.third_party,
        claimed,
        mailbox=mailboxes.for_message(cfg, entry.mailbox, mail).key,
    )
    from_mail.first_draft(session, cfg, replies, case, mail, first)
    return _finish(entry, Disposition.opened, case_id=case.id)


def _screened(session: Session, entry: Entry, screening: Screening) -> str:
    """Why a message is not a person's; a report about privbot's own mail acts on it."""
    reason = "%s: %s" % (screening.kind.value, "; ".join(screening.reasons))
    if screening.kind is Kind.bounce:
        reason = outbox.bounce_report(session, entry.raw, entry.id) or reason
    return reason


def _chat_request(session: Session, entry: Entry, ctx: Context) -> Outcome:
    """A request confirmed in the chat: a case for the confirmed address, without mail parsing."""
    try:
        request = requests.read_entry(entry.raw)
    except (ValueError, KeyError, TypeError) as exc:
        return _finish(entry, Disposition.quarantined, "chat", "unreadable chat request (%s)" % exc)
    language = request.language if request.language in ("sv", "en") else "sv"
    result = Classification(Kind.human, language, request.intents, 1.0)  # the person confirmed them
    received = entry.received_at
    case = open_case(
        session,
        ctx.config,
        request.email,
        request.name,
        result,
        received,
        channel=Channel.chat,
        mailbox=mailboxes.for_message(ctx.config, entry.mailbox, None).key,
    )
    message = Message(
        case_id=case.id or 0,
        spool_id=entry.id,
        direction="in",
        message_id=request.message_id,
        subject=request.subject,
        from_addr=request.email,
        from_name=request.name,
        at=received,
        text=request.text,
        classification=result.as_json(),
        content_key=content_key(request.subject, request.text),
    )
    session.add(message)
    resends.joined(session, case, request.email, message.content_key or "", received)
    thread.joined(session, request.message_id, case.id)
    if ctx.third_party.on_behalf(request.text):
        case.third_party = True
        audit(session, case, "third_party_flagged")
    identity.on_new_case(session, case)
    make_draft(
        session,
        case,
        ctx.config,
        ctx.replies,
        opened=True,
        subject=request.subject,
        first_message=message,
    )
    queue_receipt(session, ctx.config, ctx.replies, case, request.subject, request.message_id)
    requests.link_case(session, request.request_id, case)
    return _finish(entry, Disposition.opened, case_id=case.id)


_TABLE: Any = SpoolEntry.__table__  # type: ignore[attr-defined]
_CLAIM = (
    core_select(_TABLE.c.id, _TABLE.c.size)
    .where(SPOOL_PENDING)  # read off ix_spoolentry_pending
    .order_by(_TABLE.c.id)
)
_ENTRIES = (
    core_select(_TABLE.c.id, _TABLE.c.source, _TABLE.c.raw, _TABLE.c.received_at, _TABLE.c.mailbox)
    .where(_TABLE.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(_TABLE.c.id)
)


class _EntryFailed(Exception):
    """An entry raised in a batch processed without savepoints: the batch is done again."""


def run(
    engine: Engine,
    ctx: Context,
    limit: int = 10_000,
    batch: int = BATCH,
    batch_bytes: int = BATCH_BYTES,
) -> dict[str, int]:
    """Process pending spool entries, up to `batch` of them and `batch_bytes` of mail per
    transaction; returns counts per disposition.

    An entry that raises is quarantined with its stage and exception class and the batch goes
    on. A savepoint per entry would cost two statements per message (two round trips on
    PostgreSQL) for what is rare, so a batch runs without them; when an entry raises, the batch
    is rolled back and done again with a savepoint per entry. If the commit itself fails, the
    batch stays pending and is retried; processing is idempotent because an entry leaves
    `pending` in the same commit.
    """
    counts: dict[str, int] = {}
    done = 0
    careful = False  # savepoints per entry: the batch before had an entry that raised
    while done < limit:
        try:
            outcomes = _run_batch(engine, ctx, min(batch, limit - done), batch_bytes, careful)
        except _EntryFailed:
            careful = True
            continue
        if not outcomes:
            break
        for outcome in outcomes:
            key = outcome.disposition.value
            counts[key] = counts.get(key, 0) + 1
        done += len(outcomes)
        careful = False
    return counts


def _run_batch(
    engine: Engine, ctx: Context, size: int, max_bytes: int, careful: bool
) -> list[Outcome]:
    """Claim up to `size` pending entries (`max_bytes` of mail) and process them in one
    transaction."""
    with session_scope(engine) as session, kept_back(session) as kept:
        entries = _claim(session, size, max_bytes)
        if careful:
            finished = [_in_savepoint(session, entry, ctx, kept) for entry in entries]
        else:
            finished = _without_savepoints(session, entries, ctx, kept)
        if entries:
            _write_outcomes(session, entries, finished)
    return [outcome for outcome, _ in finished]


# The batch's outcomes on SQLite: an executemany, its rows as the driver takes them (the state's
# name, the time as the column stores it). As a Core statement, SQLAlchemy worked each row's
# parameters out anew: 10.8 -> 8.2 µs per entry.
_SQLITE_FINISH = (
    "UPDATE spoolentry SET state = ?, stage = ?, reason = ?, case_id = ?, processed_at = ?"
    " WHERE id = ?"
)
# On PostgreSQL: one UPDATE from arrays, where an executemany is a statement per entry (each
# bound, executed and answered on its own, pipelined or not).
_PG_FINISH = text(
    "UPDATE spoolentry SET state = CAST(f.state AS spoolstate), stage = f.stage,"
    " reason = f.reason, case_id = f.case_id, processed_at = f.at"
    " FROM unnest(CAST(:entries AS integer[]), CAST(:states AS text[]), CAST(:stages AS text[]),"
    " CAST(:reasons AS text[]), CAST(:cases AS integer[]), CAST(:ats AS timestamptz[]))"
    " AS f(id, state, stage, reason, case_id, at) WHERE spoolentry.id = f.id"
)


def _write_outcomes(
    session: Session, entries: list[Entry], finished: list[tuple[Outcome, datetime]]
) -> None:
    """Each entry's new state, stage, reason, case and time, in one statement."""
    connection = session.connection()
    pairs = list(zip(entries, finished, strict=True))
    if connection.dialect.name == "postgresql":
        connection.execute(
            _PG_FINISH,
            {
                "entries": [entry.id for entry, _ in pairs],
                "states": [_SPOOL_STATE[outcome.disposition].name for _, (outcome, _) in pairs],
                "stages": [outcome.stage for _, (outcome, _) in pairs],
                "reasons": [outcome.reason for _, (outcome, _) in pairs],
                "cases": [outcome.case_id for _, (outcome, _) in pairs],
                "ats": [at for _, (_, at) in pairs],
            },
        )
        return
    stored = _stored_time(connection.dialect)
    connection.exec_driver_sql(
        _SQLITE_FINISH,
        [
            (
                _SPOOL_STATE[outcome.disposition].name,
                outcome.stage,
                outcome.reason,
                outcome.case_id,
                stored(at),
                entry.id,
            )
            for entry, (outcome, at) in pairs
        ],
    )


@cache
def _stored_time(dialect: Any) -> Any:
    """How the dialect stores a time of `processed_at` (SQLite: text, in UTC, as the ORM does)."""
    column_type = _TABLE.c.processed_at.type
    return column_type.dialect_impl(dialect).bind_processor(dialect)


@cache
def _claim_query(size: int) -> Any:
    """`_CLAIM` for `size` entries, built once: a new statement each batch had its cache key
    worked out again."""
    return _CLAIM.limit(size)


# The claim on PostgreSQL, as `_CLAIM` with `claimable` words it.
_PG_CLAIM = (
    "SELECT id, size FROM spoolentry"
    " WHERE state = 'pending' ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED"
)
_PG_ENTRIES = (
    "SELECT id, source, raw, received_at, mailbox FROM spoolentry WHERE id = ANY(%s) ORDER BY id"
)


def _claim(session: Session, size: int, max_bytes: int = BATCH_BYTES) -> list[Entry]:
    """Up to `size` pending entries, oldest first, holding at most `max_bytes` of mail between
    them (an entry larger than that alone); on PostgreSQL locked for this worker, and skipped by
    the others. Ids and sizes are claimed first and the mail read after, so a run of large
    messages is never all in memory at once; an entry claimed beyond the bytes stays pending
    (and locked until the batch commits) for the next batch.

    The claim reads ix_spoolentry_pending in id order and stops after `size` rows. But when the
    statistics do not count the pending rows (a fresh database, or a burst of mail after the
    table was analysed with none pending), PostgreSQL expects a handful and reads every pending
    row to sort them: 11 ms a claim with 5,000 pending instead of 0.2 ms. So sorting is off for
    the claim alone, set and reset in the claim's round trip (psycopg's pipeline mode); the
    batch's other statements are planned as usual."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        # Core statements on the connection: through the session they went the ORM's way, and
        # the entries were fetched a row at a time (1.6 -> 1.35 ms a batch of 200)
        temporary_in_memory(session)  # a batch's size is bounded
        query = claimable(session, _claim_query(size))
        ids = _within(connection.execute(query).all(), max_bytes)
        if not ids:
            return []
        return [Entry(*row) for row in connection.execute(_ENTRIES, {"ids": ids}).all()]
    driver: Any = connection.connection.dbapi_connection  # psycopg's own
    with driver.pipeline(), driver.cursor() as before, driver.cursor() as claim:
        with driver.cursor() as after:
            before.execute("SET LOCAL enable_sort = off")
            claim.execute(_PG_CLAIM, (size,))
            after.execute("SET LOCAL enable_sort TO DEFAULT")
            ids = _within(claim.fetchall(), max_bytes)
    if not ids:
        return []
    with driver.cursor() as cursor:
        cursor.execute(_PG_ENTRIES, (ids,))
        return [Entry(*row) for row in cursor.fetchall()]


def _within(claimed: Sequence[Any], max_bytes: int) -> list[int]:
    """The ids of the claimed (id, size) rows, in order, up to `max_bytes` of mail (the first
    always)."""
    ids: list[int] = []
    held = 0
    for entry_id, entry_size in claimed:
        held += entry_size
        if ids and held > max_bytes:
            break
        ids.append(entry_id)
    return ids


def _without_savepoints(
    session: Session, entries: list[Entry], ctx: Context, kept: KeptBack
) -> list[tuple[Outcome, datetime]]:
    """Each entry's outcome and when it was reached; `_EntryFailed` when one raises, in its own
    processing or in writing its changes (which may come with a later entry's query)."""
    try:
        mails = [_parsed(entry) for entry in entries]
        # Every mail is prepared and screened before any is classified (each as `read` reads
        # one): each stage run back to back over the batch keeps its tables warm in the CPU's
        # caches, about 4 % less CPU per message than one mail through every stage at a time.
        seen = [None if mail is None else _prepared_and_screened(mail, ctx) for mail in mails]
        readings = [
            None if mail is None or looked is None else _classified(mail, looked, ctx)
            for mail, looked in zip(mails, seen, strict=True)
        ]
        # Only a person's mail is threaded or looked up as a resend: screened mail needs
        # neither lookup.
        human = [
            (entry, mail)
            for entry, mail, reading in zip(entries, mails, readings, strict=True)
            if mail is not None and reading is not None and reading.classification is not None
        ]
        wants = [resends.wanted(ctx.config, mail, entry.received_at) for entry, mail in human]
        # only a bounce is matched to privbot's outgoing mail (`_screened`)
        reports = [
            (entry.id, entry.raw)
            for entry, reading in zip(entries, readings, strict=True)
            if entry.id is not None
            and reading is not None
            and reading.classification is None
            and reading.screening.kind is Kind.bounce
        ]
        # the batch's resends, the Message-IDs its messages answer and the outgoing mail its
        # bounces name in a query each, not in one per message (a round trip each)
        with (
            resends.for_batch(session, [want for want in wants if want is not None]),
            thread.for_batch(session, [mail for _, mail in human]),
            bounces.for_batch(session, reports),
        ):
            finished = [
                (process(session, entry, ctx, mail, reading), utcnow())
                for entry, mail, reading in zip(entries, mails, readings, strict=True)
            ]
        session.flush()
        kept.write()  # the batch's audit events and thread messages, a statement per table
    except Exception as exc:  # the whole batch again, carefully
        log.debug("an entry raised in a batch without savepoints", exc_info=True)
        raise _EntryFailed from exc
    return finished


def _parsed(entry: Entry) -> ParsedMail | None:
    """The entry's mail, parsed and read ahead for the batch's lookups; None for a chat request
    or a mail that does not parse (`process` quarantines it)."""
    if entry.source == "chat":
        return None
    try:
        return parse(entry.raw)
    except ParseError:
        return None


def _in_savepoint(
    session: Session, entry: Entry, ctx: Context, kept: KeptBack
) -> tuple[Outcome, datetime]:
    """Process `entry` in a savepoint of its own; one that raises is quarantined."""
    try:
        with session.begin_nested():
            outcome = process(session, entry, ctx)
            kept.write()  # in its savepoint: a row that cannot be written fails its entry
    except Exception as exc:  # quarantine the entry, keep the loop going
        kept.clear()
        log.error("spool %s failed in processing (%s)", entry.id, type(exc).__name__)
        log.debug("processing failure of spool %s", entry.id, exc_info=True)
        outcome = _finish(
            entry, Disposition.quarantined, "process", "internal error: %s" % type(exc).__name__
        )
    return outcome, utcnow()
