"""The staff JSON API under `/api`. `web/app.py` mounts this router behind `current_staff`, like
every staff page, so a disabled user or an ended session gets 401 at once. (The chat's public
`/api/chat` is the chat's own route, not part of this router.)"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlmodel import col, select

from privbot.mailboxes import visible
from privbot.models import Case
from privbot.web.deps import MailboxScope, SessionDep

router = APIRouter(prefix="/api")


@router.get("/cases")
def api_cases(session: SessionDep, scope: MailboxScope) -> list[dict[str, Any]]:
    """Cases by deadline (`?mailbox=` narrows to one mailbox; a limited user sees only theirs)."""
    rows = session.exec(visible(select(Case), scope).order_by(col(Case.due)).limit(1000)).all()
    return [
        {
            "reference": c.reference,
            "mailbox": c.mailbox,
            "status": c.status.value,
            "intents": c.intents,
            "due": c.due.isoformat(),
        }
        for c in rows
    ]
