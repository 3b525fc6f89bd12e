"""Every database table, nothing else.

Times are timezone-aware UTC (`utcnow()`; sqlmodel refuses naive ones), dates are calendar dates. Statuses
are `StrEnum`s whose values are the strings of DESIGN.md.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Index,
    LargeBinary,
    UniqueConstraint,
    and_,
    event,
    func,
    literal_column,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import relationship
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.types import NullType
from sqlmodel import Field, Relationship, SQLModel, col


def utcnow() -> datetime:
    return datetime.now(UTC)


# The default factories of JSON columns: a new empty list or dict, as `list` and `dict` make.
# Not the builtins themselves: pydantic inspects a default factory's signature every time a table
# model is made without that field (sqlmodel builds table models field by field), and a
# builtin's signature is parsed from its text each time (0.2 ms for `list`, three times per new
# case); a plain function's is read at once.
def new_list() -> list[Any]:
    return []


def new_dict() -> dict[str, Any]:
    return {}


_Row = TypeVar("_Row", bound=SQLModel)


@cache
def _field_defaults(model: type[SQLModel]) -> tuple[tuple[str, Any, Any], ...]:
    """Each field of `model` with its default factory and default (None, Ellipsis: required)."""
    return tuple(
        (name, field.default_factory, ... if field.is_required() else field.default)
        for name, field in model.model_fields.items()
    )


def built(model: type[_Row], **values: Any) -> _Row:
    """A `model` object with `values` and the defaults of its other fields, as `model(**values)`
    makes it, but made the way SQLAlchemy makes an object it loads: without `__init__`, the
    values put in its `__dict__`. SQLModel's `__init__` sets each field through SQLAlchemy's
    instrumentation and pydantic's `__setattr__` (60 µs for a Case, 40 for a Draft), and neither
    validates a table model. For an object added as new (inserted from its `__dict__` when the
    session flushes) or made to look read back (`make_transient_to_detached`); the history of
    the values set here is empty, as a loaded object's is."""
    row: _Row = model._sa_class_manager.new_instance()  # type: ignore[attr-defined]
    fields = row.__dict__
    for name, factory, default in _field_defaults(model):
        if name in values:
            fields[name] = values[name]
        elif factory is not None:
            fields[name] = factory()
        elif default is not ...:
            fields[name] = default
    return row


class SpoolState(StrEnum):
    pending = "pending"  # stored, not yet processed
    done = "done"  # became a case or a thread entry
    screened = "screened"  # auto-reply, bounce, spam, list mail: recorded, no case
    quarantined = "quarantined"  # could not be understood; kept for staff


class Status(StrEnum):
    new = "new"
    awaiting_identity = "awaiting_identity"
    in_progress = "in_progress"
    awaiting_requester = "awaiting_requester"
    draft_ready = "draft_ready"
    approved = "approved"
    sent = "sent"
    closed = "closed"


class Channel(StrEnum):
    """How a case reached privbot."""

    email = "email"
    chat = "chat"  # a request made and confirmed in the web chat


class ChatState(StrEnum):
    """What a chat conversation waits for next."""

    idle = "idle"
    offer = "offer"  # the bot offered to open a request
    ask_name = "ask_name"
    ask_email = "ask_email"
    await_code = "await_code"  # a request waits for its email confirmation


class RequestState(StrEnum):
    """A request made in the chat: waiting for confirmation, confirmed (spooled), or expired."""

    pending = "pending"
    confirmed = "confirmed"
    expired = "expired"


class Outcome(StrEnum):
    fulfilled = "fulfilled"
    denied = "denied"
    withdrawn = "withdrawn"
    duplicate = "duplicate"


class DraftStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    superseded = "superseded"


class OutStatus(StrEnum):
    queued = "queued"
    sending = "sending"  # handed to the transport; if found so after a crash, staff decide
    sent = "sent"
    failed = "failed"  # retrying with backoff
    uncertain = "uncertain"  # interrupted mid-send: never repeated blindly
    bounced = "bounced"  # refused for good by the relay, or a delivery report said it failed


class SpoolEntry(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("message_id", "content_hash"),)
    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(index=True, max_length=998)
    content_hash: str = Field(max_length=64)
    source: str = Field(max_length=16)  # smtp, imap, file, chat
    source_ref: str = Field(default="", max_length=200)  # e.g. imap folder/uidvalidity/uid
    raw: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    size: int = 0
    received_at: datetime = Field(default_factory=utcnow, index=True)
    state: SpoolState = Field(default=SpoolState.pending, index=True)
    stage: str = Field(default="", max_length=32)  # where processing stopped, for quarantine
    reason: str = Field(default="", max_length=500)  # why screened or quarantined (no content)
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True)
    processed_at: datetime | None = None
    # The mailbox the message arrived at, when intake knew it (SMTP recipient, IMAP account);
    # "" lets the pipeline find it from the headers (mailboxes.py).
    mailbox: str = Field(default="", max_length=40)


# Pending, with 'pending' written into the SQL (a partial index serves only a query that says
# it in these words). The pipeline claims the oldest pending entries: ix_spoolentry_pending
# holds only those, in spool order, so a claim reads its batch off the index; through
# ix_spoolentry_state it read and sorted every pending row (their raw bytes too) for each
# batch, and on a fresh database without statistics PostgreSQL chose that.
SPOOL_PENDING = col(SpoolEntry.state) == literal_column("'pending'")
Index(
    "ix_spoolentry_pending",
    col(SpoolEntry.id),
    sqlite_where=SPOOL_PENDING,
    postgresql_where=SPOOL_PENDING,
)


class Case(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(unique=True, index=True, max_length=20)
    # The `[[mailbox]]` it came to: its company facts, templates and sender (mailboxes.py).
    mailbox: str = Field(default="default", index=True, max_length=40)
    status: Status = Field(default=Status.new, index=True)
    outcome: Outcome | None = None
    outcome_reason: str = Field(default="", max_length=200)
    intents: list[str] = Field(default_factory=new_list, sa_column=Column(JSON, nullable=False))
    language: str = Field(default="sv", max_length=8)
    channel: str = Field(default=Channel.email, max_length=16)  # a Channel
    requester_email: str = Field(default="", index=True, max_length=320)
    requester_name: str = Field(default="", max_length=200)
    received_at: datetime = Field(default_factory=utcnow)  # ix_case_received_at, below
    due: date = Field(index=True)
    extended_due: date | None = None
    extension_reason: str = ""
    identity_verified: bool = False
    verified_how: str = Field(default="", max_length=200)
    needs_review: bool = False
    confidence: float = 0.0
    assignee: str = Field(default="", max_length=100)
    duplicate_of: int | None = Field(default=None, foreign_key="case.id")
    closed_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow, index=True)  # search catches up by it
    third_party: bool = False  # made for someone else (parent, lawyer, employer): mandate needed
    # Addresses staff added: mail from them joins the case like the requester's own.
    allowed_senders: list[str] = Field(
        default_factory=new_list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    # A personnummer staff verified as this requester's (normalised, 12 digits); blanked by purge.
    verified_pnr: str = Field(default="", index=True, max_length=12)
    # Personal data removed by retention; the row stays as a count. Search catches up by it.
    purged_at: datetime | None = Field(default=None, index=True)
    # Why the last reply did not arrive (a bounce, a refusal by the relay); empty when it did.
    delivery_problem: str = Field(default="", max_length=500)
    # A reported personal data breach: notify the supervisory authority by then (art. 33,
    # 72 hours from receipt). Open breaches come first in every case list.
    notify_by: datetime | None = Field(default=None, index=True)


class Message(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    spool_id: int | None = Field(default=None, foreign_key="spoolentry.id")
    direction: str = Field(default="in", max_length=4)  # in, out
    message_id: str = Field(index=True, max_length=998)
    subject: str = Field(default="", max_length=2000)
    from_addr: str = Field(default="", max_length=320)
    from_name: str = Field(default="", max_length=200)
    to_addr: str = Field(default="", max_length=320)
    at: datetime = Field(default_factory=utcnow)
    text: str = ""
    html: str = ""
    attachments: list[dict[str, Any]] = Field(
        default_factory=new_list, sa_column=Column(JSON, nullable=False)
    )
    classification: dict[str, Any] = Field(
        default_factory=new_dict, sa_column=Column(JSON, nullable=False)
    )
    # A hash of the subject (without reply prefixes) and text with whitespace folded, for an
    # incoming message: the same text sent again finds its first case by it (cases/from_mail.py).
    # None on rows written before it existed (and on outgoing mail).
    content_key: str | None = Field(default=None, max_length=64)


# A resend is looked up by sender and content key.
Index("ix_message_from_addr_content_key", col(Message.from_addr), col(Message.content_key))


class Draft(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    template: str = Field(default="reply", max_length=40)
    language: str = Field(default="sv", max_length=8)
    subject: str = Field(default="", max_length=998)
    body: str = ""
    notes: str = ""  # for the case handler, one a line; shown beside the editor, never sent
    status: DraftStatus = Field(default=DraftStatus.pending, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    edited_by: str = Field(default="", max_length=100)
    decided_by: str = Field(default="", max_length=100)
    decided_at: datetime | None = None
    reject_reason: str = ""


class OutgoingMail(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True)
    draft_id: int | None = Field(default=None, foreign_key="draft.id")
    message_id: str = Field(index=True, max_length=998)
    to_addr: str = Field(max_length=320, index=True)
    automatic: bool = False  # receipts and notices: Auto-Submitted: auto-replied
    raw: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    status: OutStatus = Field(default=OutStatus.queued, index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow)
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    sent_at: datetime | None = None


class AuditEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(default="privbot", max_length=100)
    action: str = Field(max_length=64, index=True)
    detail: dict[str, Any] = Field(default_factory=new_dict, sa_column=Column(JSON, nullable=False))


class ReferenceCounter(SQLModel, table=True):
    year: int = Field(primary_key=True)
    last: int = 0


class IdentityToken(SQLModel, table=True):
    """A one-time confirmation code (and link) sent to the address of record; only hashes are kept."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    salt: str = Field(max_length=64)
    code_hash: str = Field(max_length=64)
    link_hash: str = Field(default="", max_length=64, index=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    expires_at: datetime
    used_at: datetime | None = None
    failed_attempts: int = 0
    outgoing_id: int | None = Field(default=None, foreign_key="outgoingmail.id")
    kind: str = Field(default="request", max_length=16)  # request, reminder
    # The mail that carries the code: set when both are new, the flush writes it first.
    outgoing: OutgoingMail | None = Relationship(sa_relationship=relationship(OutgoingMail))


class CasePause(SQLModel, table=True):
    """An interval in which the case waited for the requester (identity, clarification).

    Recorded always; it moves the effective due date only when `config.pause_clock` is on."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    reason: str = Field(max_length=32)  # identity, clarification
    started_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None


class DigestRun(SQLModel, table=True):
    """One supervisors' digest per calendar day: the primary key makes a second one impossible."""

    day: date = Field(primary_key=True)
    sent_at: datetime = Field(default_factory=utcnow)
    due_soon: int = 0
    overdue: int = 0
    recipients: int = 0


class ChatSession(SQLModel, table=True):
    """A web or terminal chat conversation; deleted when idle past its expiry."""

    id: str = Field(primary_key=True, max_length=64)  # sha256 of the client's session token
    created_at: datetime = Field(default_factory=utcnow)
    last_seen: datetime = Field(default_factory=utcnow, index=True)
    language: str = Field(default="sv", max_length=8)
    state: str = Field(default=ChatState.idle, max_length=16)  # a ChatState
    intents: list[str] = Field(
        default_factory=new_list, sa_column=Column(JSON, nullable=False)
    )  # offered or requested
    name: str = Field(default="", max_length=200)
    transcript: list[dict[str, Any]] = Field(
        default_factory=new_list, sa_column=Column(JSON, nullable=False)
    )
    request_id: int | None = None  # the ChatRequest awaiting confirmation


class ChatRequest(SQLModel, table=True):
    """A request made in the chat, waiting for email confirmation; opens a case when confirmed."""

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(index=True, max_length=64)
    state: str = Field(default=RequestState.pending, index=True, max_length=16)  # a RequestState
    intents: list[str] = Field(default_factory=new_list, sa_column=Column(JSON, nullable=False))
    language: str = Field(default="sv", max_length=8)
    name: str = Field(default="", max_length=200)
    email: str = Field(default="", index=True, max_length=320)
    message_id: str = Field(default="", max_length=998)  # of the transcript message it becomes
    transcript: list[dict[str, Any]] = Field(
        default_factory=new_list, sa_column=Column(JSON, nullable=False)
    )
    token_hash: str = Field(default="", index=True, max_length=64)
    code_hash: str = Field(default="", max_length=64)
    attempts: int = 0
    created_at: datetime = Field(default_factory=utcnow, index=True)
    expires_at: datetime = Field(default_factory=utcnow, index=True)
    confirmed_at: datetime | None = None
    spool_id: int | None = Field(default=None, foreign_key="spoolentry.id")
    case_id: int | None = Field(default=None, foreign_key="case.id")


class Role(StrEnum):
    staff = "staff"
    supervisor = "supervisor"
    admin = "admin"


class User(SQLModel, table=True):
    """Someone who signs in to the web app; the password is kept only as an argon2 hash."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True, max_length=100)
    role: Role = Field(default=Role.staff)
    password_hash: str = Field(max_length=200)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    language: str = Field(default="", max_length=8)  # the web app's language; "" = company default
    # The mailboxes whose cases this user may see; empty: all of them.
    mailboxes: list[str] = Field(
        default_factory=new_list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )


# The staff inbox, the supervisor queues and the figures filter by status and sort by deadline.
Index(
    "ix_case_status_effective_due",
    Case.status,
    func.coalesce(Case.extended_due, Case.due),
    col(Case.id),
)
Index("ix_case_assignee_status", Case.assignee, Case.status)
# Not closed, with 'closed' written into the SQL: a query that says it in these words is
# served by the partial index below without reading the rows (a bound value would need them).
NOT_CLOSED = col(Case.status) != literal_column("'closed'")
OPEN_STATUSES = tuple(s for s in Status if s != Status.closed)


class _Open(ColumnElement[Any]):
    """Open: on SQLite also as the list of open statuses, so that its planner can seek an index
    that begins with (or follows an equality with) the status, such as ix_case_assignee_status,
    where "!= closed" alone is no range it can seek. PostgreSQL gets NOT_CLOSED alone: the
    list would only have it AND a bitmap of every open case from ix_case_status into a scan
    that the partial indexes below already limit to open cases. NOT_CLOSED keeps those usable."""

    type = NullType()  # not Boolean: SQLite would get "= 1" after it
    inherit_cache = True


@compiles(_Open)
def _open_listed(element: _Open, compiler: Any, **kw: Any) -> str:
    listed = col(Case.status).in_([literal_column("'%s'" % s) for s in OPEN_STATUSES])
    return "(%s)" % compiler.process(and_(listed, NOT_CLOSED), **kw)


@compiles(_Open, "postgresql")
def _open_not_closed(element: _Open, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(NOT_CLOSED, **kw))


IS_OPEN = _Open()
# Open cases by deadline (the inbox and the queues page through it without sorting): only the
# open ones, so a deadline order need not step over the closed cases of past years.
Index(
    "ix_case_open_effective_due",
    func.coalesce(Case.extended_due, Case.due),
    col(Case.id),
    sqlite_where=NOT_CLOSED,
    postgresql_where=NOT_CLOSED,
)

# A handler's open cases by deadline (the queues' order) and newest first (the all-cases
# list's), filtered by assignee and "overdue", "due within 7 days" or a date range: seek the
# handler and walk the order, where ix_case_assignee_status would have them all sorted.
Index(
    "ix_case_open_assignee_due",
    col(Case.assignee),
    func.coalesce(Case.extended_due, Case.due),
    col(Case.id),
    sqlite_where=NOT_CLOSED,
    postgresql_where=NOT_CLOSED,
)
Index(
    "ix_case_open_assignee_received",
    col(Case.assignee),
    col(Case.received_at),
    col(Case.id),
    # PostgreSQL checks the deadline ("overdue") in the index: no table row for a case skipped
    postgresql_include=["extended_due", "due"],
    sqlite_where=NOT_CLOSED,
    postgresql_where=NOT_CLOSED,
)
# Every case newest first, to the id that breaks ties: PostgreSQL pages through it without
# reading a table row for each case it skips (SQLite's indexes end in the rowid anyway).
Index("ix_case_received_at", col(Case.received_at), col(Case.id))
# Every case by deadline: the all-cases list sorted by due date without a status (with a
# language, a channel or a due date range), which ix_case_status_effective_due cannot give.
Index("ix_case_effective_due", func.coalesce(Case.extended_due, Case.due), col(Case.id))
# Open cases newest first (the all-cases list's default order with "overdue", the queues by
# receipt), with the deadline in the index: "overdue" newest first steps over the open cases
# not yet due without reading their rows.
Index(
    "ix_case_open_received",
    col(Case.received_at),
    col(Case.id),
    col(Case.extended_due),
    col(Case.due),
    sqlite_where=NOT_CLOSED,
    postgresql_where=NOT_CLOSED,
)


# The intents of every case one a row, for the lists' intent filter (below).
class CaseIntent(SQLModel, table=True):
    """An intent of a case. Kept from `Case.intents` by triggers in the database
    (`INTENT_TRIGGERS`), so that every way a case is written keeps it, the app's sessions and
    bulk inserts alike; the app only reads it. The lists find a rare intent's cases here
    without reading every case, and PostgreSQL knows from its statistics how common each is."""

    intent: str = Field(primary_key=True, max_length=40)
    case_id: int = Field(primary_key=True, foreign_key="case.id", ondelete="CASCADE")


_SQLITE_INTENTS = (
    "INSERT OR IGNORE INTO caseintent (intent, case_id) SELECT DISTINCT substr(j.value, 1, 40), "
    "NEW.id FROM json_each(CASE WHEN json_valid(NEW.intents) THEN NEW.intents ELSE '[]' END) "
    "AS j WHERE j.type = 'text';"
)
INTENT_TRIGGERS: dict[str, list[str]] = {
    "sqlite": [
        'CREATE TRIGGER IF NOT EXISTS case_intents_insert AFTER INSERT ON "case" '
        "BEGIN %s END" % _SQLITE_INTENTS,
        'CREATE TRIGGER IF NOT EXISTS case_intents_update AFTER UPDATE OF intents ON "case" '
        "BEGIN DELETE FROM caseintent WHERE case_id = NEW.id; %s END" % _SQLITE_INTENTS,
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION case_intents_sync() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        "IF TG_OP = 'UPDATE' THEN DELETE FROM caseintent WHERE case_id = NEW.id; END IF; "
        "INSERT INTO caseintent (intent, case_id) SELECT DISTINCT left(v, 40), NEW.id "
        "FROM json_array_elements_text(CASE WHEN json_typeof(NEW.intents) = 'array' "
        "THEN NEW.intents ELSE '[]'::json END) AS v ON CONFLICT DO NOTHING; "
        "RETURN NULL; END $$",
        'DROP TRIGGER IF EXISTS case_intents_insert ON "case"',
        'CREATE TRIGGER case_intents_insert AFTER INSERT ON "case" '
        "FOR EACH ROW EXECUTE FUNCTION case_intents_sync()",
        'DROP TRIGGER IF EXISTS case_intents_update ON "case"',
        'CREATE TRIGGER case_intents_update AFTER UPDATE OF intents ON "case" '
        "FOR EACH ROW EXECUTE FUNCTION case_intents_sync()",
    ],
}


@event.listens_for(CaseIntent.__table__, "after_create")  # type: ignore[attr-defined]
def _intent_triggers(_table: Any, connection: Any, **_kw: Any) -> None:
    for statement in INTENT_TRIGGERS.get(connection.dialect.name, []):
        connection.exec_driver_sql(statement)


class ImapFolderState(SQLModel, table=True):
    """Where the IMAP poller stands in one server folder.

    `last_uid` is the highest UID whose message is committed to the spool under `uidvalidity`;
    `pending` holds `[uid, spool_id]` pairs committed but not yet moved or flagged on the server
    (written in the spool's transaction, cleared after the server confirmed the move).
    """

    __table_args__ = (UniqueConstraint("account", "folder"),)
    id: int | None = Field(default=None, primary_key=True)
    account: str = Field(max_length=400)  # user@host:port
    folder: str = Field(max_length=400)
    uidvalidity: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    last_uid: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    pending: list[list[int]] = Field(
        default_factory=new_list, sa_column=Column(JSON, nullable=False)
    )
    updated_at: datetime = Field(default_factory=utcnow)


class WebSession(SQLModel, table=True):
    """A signed-in staff session. The cookie holds a random token; only its sha256 is stored, so
    deleting the row (logout, disabling the user, a new password) ends the session at once."""

    id: str = Field(primary_key=True, max_length=64)  # sha256 of the cookie's token
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen: datetime = Field(default_factory=utcnow, index=True)
    expires_at: datetime = Field(index=True)  # the absolute limit, set at sign-in


class LoginCounter(SQLModel, table=True):
    """Sign-in attempts per user name or client address in the current window, counted before
    the password is checked (`web/auth.py`)."""

    key: str = Field(primary_key=True, max_length=200)  # "user:<name>" or "addr:<ip>"
    window_start: datetime = Field(default_factory=utcnow, index=True)
    attempts: int = 0


class Lease(SQLModel, table=True):
    """One holder at a time for a named job across processes (an IMAP folder's poller)."""

    name: str = Field(primary_key=True, max_length=400)
    holder: str = Field(default="", max_length=200)
    expires_at: datetime = Field(default_factory=utcnow)
