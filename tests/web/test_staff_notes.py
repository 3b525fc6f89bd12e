"""Notes for staff never reach the requester: the case page shows them beside the editor, never
in it, and approving refuses a text that still holds a note or a placeholder, naming the line."""

from __future__ import annotations

import email
import email.policy
import html
import re
from collections.abc import Callable
from email.message import EmailMessage

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from privbot.config import Config
from privbot.mail.send import outbox_files
from privbot.models import Case, Draft, DraftStatus, OutgoingMail, Status
from tests.web.helpers import Browser

Client = Callable[..., Browser]
Ingest = Callable[[bytes], Case]


def question_mail() -> bytes:
    msg = EmailMessage()
    msg["From"] = "Olle Berg <olle.berg@example.se>"
    msg["To"] = "dataskydd@it-team.se"
    msg["Subject"] = "Fråga om era underleverantörer"
    msg["Message-ID"] = "<web-question-1@example.se>"
    msg.set_content(
        # a question the privacy policy does not answer, so the draft keeps the placeholder
        "Hej! Jag har en fråga om personuppgifter: har ni kontor i Göteborg?\n\nOlle\n"
    )
    return msg.as_bytes()


def pending_draft(engine: Engine, case: Case) -> Draft:
    with Session(engine) as session:
        return session.exec(
            select(Draft).where(Draft.case_id == case.id, Draft.status == DraftStatus.pending)
        ).one()


def textarea(page: str) -> str:
    found = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', page, re.S)
    assert found is not None
    return html.unescape(found.group(1))


def flashes(page: str) -> str:
    return html.unescape(" ".join(re.findall(r'class="flash error"[^>]*>(.*?)<', page, re.S)))


def test_notes_beside_the_editor_and_approval_refused_until_clean(
    client: Client, ingest: Ingest, engine: Engine, config: Config
) -> None:
    case = ingest(question_mail())
    assert "question" in case.intents
    anna = client("anna")
    anna.submit("/cases/%s/verify" % case.reference, how="reply from the address of record")
    draft = pending_draft(engine, case)
    assert draft.notes and "[OBS till" not in draft.body and "[[" in draft.body
    page = anna.get("/cases/%s" % case.reference).text
    assert "Notes for staff (never sent)" in page
    first_note = draft.notes.splitlines()[0]
    assert html.escape(first_note, quote=False) in page or first_note in html.unescape(page)
    assert first_note not in textarea(page)

    # 1. The placeholder is still there: refused, and the line is named.
    line = next(n for n, text in enumerate(draft.body.splitlines(), 1) if "[[" in text)
    anna.submit("/cases/%s/approve" % case.reference, subject=draft.subject, body=draft.body)
    refused = flashes(anna.get("/cases/%s" % case.reference).text)
    assert "line %d" % line in refused and "placeholder" in refused

    # 2. Filled in, but a note for staff typed into the text: refused, naming that line.
    answer = "Vi anlitar två underleverantörer inom EU; inget skickas utanför EU/EES."
    filled = re.sub(r"\[\[.*?\]\]", answer, draft.body)
    noted = "[OBS till handläggaren: kolla med IT först]\n" + filled
    anna.submit("/cases/%s/approve" % case.reference, subject=draft.subject, body=noted)
    refused = flashes(anna.get("/cases/%s" % case.reference).text)
    assert "line 1" in refused and "note for staff" in refused
    with Session(engine) as session:
        assert session.get(Case, case.id).status != Status.sent  # type: ignore[union-attr]
        assert (
            session.exec(select(OutgoingMail).where(OutgoingMail.draft_id == draft.id)).first()
            is None
        )

    # 3. Clean: it goes, and what went holds the answer and no note.
    anna.submit("/cases/%s/approve" % case.reference, subject=draft.subject, body=filled)
    with Session(engine) as session:
        out = session.exec(select(OutgoingMail).where(OutgoingMail.draft_id == draft.id)).one()
    files = [f.read_bytes() for f in outbox_files(config)]
    assert out.raw in files  # written to the outbox (no relay configured)
    sent = email.message_from_bytes(out.raw, policy=email.policy.default)
    text = sent.get_content()
    assert answer in text
    assert "OBS till" not in text and "[[" not in text and first_note not in text
