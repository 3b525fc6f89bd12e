"""Supervisor exports: the request register as CSV (what a regulator may ask to see) and the
audit log, filtered on the page and as CSV. Personnummer are masked in both; cells that a
spreadsheet would run as formulas are defused.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar
from starlette.responses import Response

from privbot.cases.audit import audit as record
from privbot.mailboxes import visible
from privbot.models import AuditEvent, Case
from privbot.pnr import mask
from privbot.web.deps import CurrentSupervisor, MailboxScope, Scope, SessionDep
from privbot.web.listing import PAGE_SIZE
from privbot.web.render import page

router = APIRouter()
REGISTER_COLUMNS = (
    "reference",
    "received",
    "channel",
    "language",
    "intents",
    "requester_name",
    "requester_email",
    "status",
    "outcome",
    "outcome_reason",
    "due",
    "extended_due",
    "extension_reason",
    "breach_notify_by",
    "identity_verified",
    "verified_how",
    "assignee",
    "closed",
    "duplicate_of",
)


def cell(value: object) -> str:
    """A CSV cell with personnummer masked and formula triggers (= + - @ tab CR) defused."""
    text = mask("" if value is None else str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(header: tuple[str, ...], rows: Iterator[list[object]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for n, values in enumerate(rows):
        writer.writerow([cell(v) for v in values])
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _download(name: str, body: Iterator[str]) -> Response:
    return StreamingResponse(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="%s"' % name},
    )


def _register_rows(engine: Engine, scope: Scope = None) -> Iterator[list[object]]:
    with Session(engine) as session:
        targets = select(Case.duplicate_of).where(Case.duplicate_of != None)  # noqa: E711
        refs = dict(
            session.exec(select(Case.id, Case.reference).where(col(Case.id).in_(targets))).all()
        )
        for c in session.exec(
            visible(select(Case), scope)
            .order_by(col(Case.received_at), col(Case.id))
            .execution_options(yield_per=1000)
        ):
            yield [
                c.reference,
                c.received_at.isoformat(timespec="seconds") + "Z",
                c.channel,
                c.language,
                " ".join(c.intents),
                c.requester_name,
                c.requester_email,
                c.status.value,
                c.outcome.value if c.outcome else "",
                c.outcome_reason,
                c.due.isoformat(),
                c.extended_due.isoformat() if c.extended_due else "",
                c.extension_reason,
                c.notify_by.isoformat(timespec="minutes") if c.notify_by else "",
                "yes" if c.identity_verified else "no",
                c.verified_how,
                c.assignee,
                c.closed_at.isoformat(timespec="seconds") + "Z" if c.closed_at else "",
                refs.get(c.duplicate_of, "") if c.duplicate_of else "",
            ]


@router.get("/export/register.csv")
def register_csv(
    request: Request, session: SessionDep, user: CurrentSupervisor, scope: MailboxScope
) -> Response:
    record(session, None, "register_exported", actor=user.name, mailboxes=list(scope or ()))
    session.commit()
    return _download(
        "register-%s.csv" % date.today().isoformat(),
        _csv(REGISTER_COLUMNS, _register_rows(request.app.state.engine, scope)),
    )


def _audit_query(
    actor: str,
    action: str,
    case: str,
    since: date | None,
    until: date | None,
    scope: Scope = None,
) -> SelectOfScalar[AuditEvent]:
    """Events matching the filters; with a `scope`, only events about its mailboxes' cases
    (install-wide events, such as sign-ins, are for supervisors of every mailbox)."""
    query = select(AuditEvent)
    if scope is not None:
        query = query.where(col(AuditEvent.case_id).in_(visible(select(Case.id), scope)))
    if actor:
        query = query.where(AuditEvent.actor == actor)
    if action:
        query = query.where(AuditEvent.action == action)
    if case:
        query = query.where(
            AuditEvent.case_id
            == select(Case.id).where(Case.reference == case.strip().upper()).scalar_subquery()
        )
    if since:
        query = query.where(AuditEvent.at >= datetime.combine(since, time.min, tzinfo=UTC))
    if until:
        query = query.where(
            AuditEvent.at < datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC)
        )
    return query


Filter = Annotated[str, Query(max_length=100)]


@router.get("/audit")
def audit_log(
    request: Request,
    session: SessionDep,
    user: CurrentSupervisor,
    scope: MailboxScope,
    actor: Filter = "",
    action: Filter = "",
    case: Filter = "",
    since: date | None = None,
    until: date | None = None,
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    query = _audit_query(actor, action, case, since, until, scope)
    events = session.exec(
        query.order_by(col(AuditEvent.id).desc())
        .offset((page_no - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    ).all()
    refs = dict(
        session.exec(
            select(Case.id, Case.reference).where(
                col(Case.id).in_({e.case_id for e in events if e.case_id})
            )
        ).all()
    )
    rows = [
        (
            e,
            refs.get(e.case_id or 0, ""),
            mask(json.dumps(e.detail, ensure_ascii=False, default=str)),
        )
        for e in events[:PAGE_SIZE]
    ]
    actions = session.exec(
        select(AuditEvent.action).distinct().order_by(col(AuditEvent.action))
    ).all()
    params = {
        "actor": actor,
        "action": action,
        "case": case,
        "since": since.isoformat() if since else "",
        "until": until.isoformat() if until else "",
        "mailbox": request.query_params.get("mailbox", ""),
    }
    return page(
        request,
        "audit.html",
        user=user,
        rows=rows,
        params=params,
        actions=actions,
        page_no=page_no,
        more=len(events) > PAGE_SIZE,
    )


@router.get("/export/audit.csv")
def audit_csv(
    request: Request,
    session: SessionDep,
    user: CurrentSupervisor,
    scope: MailboxScope,
    actor: Filter = "",
    action: Filter = "",
    case: Filter = "",
    since: date | None = None,
    until: date | None = None,
) -> Response:
    query = _audit_query(actor, action, case, since, until, scope).order_by(col(AuditEvent.id))
    record(session, None, "audit_exported", actor=user.name)
    session.commit()
    engine = request.app.state.engine

    def rows() -> Iterator[list[object]]:
        with Session(engine) as s:
            refs = dict(s.exec(select(Case.id, Case.reference)).all())
            for e in s.exec(query.execution_options(yield_per=1000)):
                yield [
                    e.id,
                    e.at.isoformat(timespec="seconds") + "Z",
                    e.actor,
                    e.action,
                    refs.get(e.case_id or 0, ""),
                    json.dumps(e.detail, ensure_ascii=False, default=str),
                ]

    return _download(
        "audit-%s.csv" % date.today().isoformat(),
        _csv(("id", "at", "actor", "action", "case", "detail"), rows()),
    )
