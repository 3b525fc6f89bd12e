"""The requester's identity link: GET shows a button and changes nothing, POST verifies once."""

from __future__ import annotations

import re
from dataclasses import replace
from email import message_from_bytes, policy

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from privbot.config import Config
from privbot.db import make_engine, session_scope
from privbot.mail.spool import spool
from privbot.models import Case, OutgoingMail, Status
from privbot.pipeline import Context, run
from privbot.web.app import create_app
from tests.web.helpers import erasure_mail


def test_identity_link_verifies_the_case_once(config: Config) -> None:
    cfg = replace(config, public_url="https://privbot.example.se")
    engine: Engine = make_engine(cfg.database_url)
    with session_scope(engine) as session:
        spool(session, erasure_mail(), "file")
    run(engine, Context.load(cfg))
    with Session(engine) as session:
        case = session.exec(select(Case)).one()
        assert case.status == Status.awaiting_identity and not case.identity_verified
        notices = [
            message_from_bytes(o.raw, policy=policy.default)
            for o in session.exec(select(OutgoingMail)).all()
        ]
    links = [
        m
        for n in notices
        for m in re.findall(
            r"https://privbot\.example\.se/verify/(\S+)", n.get_body().get_content()
        )
    ]
    assert len(links) == 1
    client = TestClient(create_app(cfg, engine, secret="s" * 48))

    page = client.get("/verify/" + links[0])
    assert (
        page.status_code == 200
        and 'id="verify-button"' in page.text
        and "Bekräfta att det är du" in page.text
    )
    with Session(engine) as session:
        assert not session.get(
            Case, case.id
        ).identity_verified  # a mail scanner opening the link verifies nothing

    done = client.post("/verify/" + links[0])
    assert done.status_code == 200 and case.reference in done.text
    with Session(engine) as session:
        verified = session.get(Case, case.id)
        assert verified.identity_verified and "link" in verified.verified_how
    assert client.post("/verify/" + links[0]).status_code == 404  # one time only
    assert client.get("/verify/not-a-token").status_code == 404
    engine.dispose()
