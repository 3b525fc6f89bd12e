"""Every stage, in order: spool → parse → screen → thread → classify → case → draft.

`process` takes one spooled message through the stages inside the caller's transaction; `run`
claims pending spool entries and processes each in its own transaction, quarantining an entry
whose processing raises (with the stage and the exception class) and going on with the rest.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from privbot.cases import from_mail
from privbot.cases.third_party import ThirdPartyRules
from privbot.cases.thread import find_case
from privbot.classify.intents import IntentSet, load_intents
from privbot.classify.match import classify_message
from privbot.config import Config
from privbot.db import claimable, session_scope
from privbot.errors import ParseError
from privbot.mail.parse import parse
from privbot.mail.prepare import prepare
from privbot.mail.screen import Kind, screen
from privbot.models import Channel, SpoolEntry, SpoolState, utcnow
from privbot.replies import Replies

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Context:
    """What every stage reads, loaded once at start-up: the config, the intent and screening
    rules, the third-party phrases and the reply templates."""

    config: Config
    intents: IntentSet
    replies: Replies
    third_party: ThirdPartyRules

    @classmethod
    def load(cls, config: Config) -> Context:
        """Load and validate the data files; a bad one raises ConfigError naming it (and the
        line, for TOML)."""
        return cls(
            config,
            load_intents(config.intents_dir),
            Replies.load(config.replies_dir),
            ThirdPartyRules.load(config.intents_dir),
        )

    @property
    def own_addresses(self) -> tuple[str, ...]:
        return (*self.config.addresses, self.config.from_address)


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


def _staff_domains(config: Config) -> frozenset[str]:
    return frozenset(a.rpartition("@")[2] for a in (*config.addresses, config.from_address))


def _finish(
    entry: SpoolEntry,
    disposition: Disposition,
    stage: str = "",
    reason: str = "",
    case_id: int | None = None,
) -> Disposition:
    entry.state = _SPOOL_STATE[disposition]
    entry.stage = stage
    entry.reason = reason[:500]
    entry.case_id = case_id
    entry.processed_at = utcnow()
    return disposition


def process(session: Session, entry: SpoolEntry, ctx: Context) -> Disposition:
    try:
        mail = parse(entry.raw)
    except ParseError as exc:
        return _finish(entry, Disposition.quarantined, "parse", str(exc))
    # New text apart from quotes; a configured form relay or a staff forward names the requester.
    prepared = prepare(mail, ctx.config.form_senders, _staff_domains(ctx.config))
    screening = screen(mail, ctx.own_addresses, ctx.intents.screening, prepared.new_text)
    if screening.kind is not Kind.human:
        why = "%s: %s" % (screening.kind.value, "; ".join(screening.reasons))
        return _finish(entry, Disposition.screened, "screen", why)
    match = find_case(session, mail)  # trusted only from the requester or an allowed address
    classification = classify_message(mail, prepared, ctx.intents)
    received, cfg, replies = entry.received_at, ctx.config, ctx.replies
    known = match.case if match is not None and match.trusted else None
    resend = known is None and match is None
    known = known or (from_mail.resent(session, cfg, mail, received) if resend else None)
    if known is not None:
        from_mail.follow_up(
            session, cfg, replies, known, mail, entry.id, classification, received, resend
        )
        return _finish(entry, Disposition.threaded, case_id=known.id)
    channel = Channel.chat if entry.source == "chat" else Channel.email
    claimed = match.case if match is not None else None  # someone else's reference or thread
    case = from_mail.open_from_mail(
        session,
        cfg,
        mail,
        prepared,
        entry.id,
        classification,
        received,
        channel,
        ctx.third_party,
        claimed,
    )
    from_mail.first_draft(session, cfg, replies, case, mail)
    return _finish(entry, Disposition.opened, case_id=case.id)


def run(engine: Engine, ctx: Context, limit: int = 10_000, batch: int = 50) -> dict[str, int]:
    """Process pending spool entries, `batch` per transaction; returns counts per disposition.

    Each entry runs in a savepoint: one that raises is quarantined with its stage and exception
    class and the batch goes on. If the commit itself fails, the batch stays pending and is
    retried; processing is idempotent because an entry leaves `pending` in the same commit.
    """
    counts: dict[str, int] = {}
    done = 0
    while done < limit:
        with session_scope(engine) as session:
            query = (
                select(SpoolEntry)
                .where(SpoolEntry.state == SpoolState.pending)
                .order_by(col(SpoolEntry.id))
            )
            entries = session.exec(claimable(session, query.limit(min(batch, limit - done)))).all()
            if not entries:
                break
            for entry in entries:
                try:
                    with session.begin_nested():
                        disposition = process(session, entry, ctx)
                except Exception as exc:  # quarantine the entry, keep the loop going
                    log.error("spool %s failed in processing (%s)", entry.id, type(exc).__name__)
                    log.debug("processing failure of spool %s", entry.id, exc_info=True)
                    disposition = _finish(
                        entry,
                        Disposition.quarantined,
                        "process",
                        "internal error: %s" % type(exc).__name__,
                    )
                session.add(entry)
                counts[disposition.value] = counts.get(disposition.value, 0) + 1
        done += len(entries)
    return counts
