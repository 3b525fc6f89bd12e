"""The roles as separate processes: two intakes on one mailbox, several workers on one PostgreSQL.

Every process here is a real `privbot` subprocess: intakes poll a real Dovecot, workers share a
real PostgreSQL database and send through a real SMTP relay (aiosmtpd).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from privbot import lease
from privbot.db import make_engine, session_scope
from privbot.mail.spool import spool
from privbot.models import Case, OutgoingMail, OutStatus, SpoolEntry, SpoolState
from tests.dovecot import Dovecot
from tests.helpers import Catcher, free_port, imap_env, postgres_database

REQUESTS = [
    ("Radera mina uppgifter", "Hej, jag vill att ni raderar alla uppgifter ni har om mig."),
    ("Registerutdrag", "Hej, kan ni skicka mig en kopia av mina personuppgifter?"),
    ("Unsubscribe", "Please stop sending me your newsletter and marketing emails."),
    ("Felaktig adress", "Min adress är fel i ert register, rätta den till Storgatan 3."),
]


def request_mail(n: int) -> bytes:
    subject, body = REQUESTS[n % len(REQUESTS)]
    msg = EmailMessage()
    msg["From"] = "Person %d <person%d@kund%d.example>" % (n, n, n % 97)
    msg["To"] = "dataskydd@it-team.se"
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="kund.example")
    msg.set_content(body)
    return bytes(msg)


def wait_for(
    check: Callable[[], bool], timeout: float, what: str, state: Callable[[], object] = str
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for %s: %s" % (what, state()))


def start(role: str, env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "privbot", role, *args],
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )


@pytest.fixture
def procs() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for p in started:
        if p.poll() is None:
            p.terminate()
    for p in started:
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()


def spooled(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(SpoolEntry)).one())


def test_two_intakes_one_polls_and_the_other_takes_over_after_sigkill(
    dovecot: Dovecot, tmp_path: Path, procs: list[subprocess.Popen[bytes]]
) -> None:
    home = tmp_path / "home"
    cfg = tmp_path / "privbot.toml"
    cfg.write_text("[imap]\nlease_seconds = 3\npoll_interval = 1\n")
    env = imap_env(dovecot, home, PRIVBOT_CONFIG=str(cfg))
    engine = make_engine("sqlite:///%s" % (home / "privbot.db"))
    name = "imap:%s@127.0.0.1:%d/INBOX" % (dovecot.user, dovecot.port)
    for i in range(2):
        log = tmp_path / ("intake%d.log" % i)
        procs.append(start("intake", env, log, "--smtp-port", str(free_port())))
    wait_for(lambda: lease.holder_of(engine, name) is not None, 30, "a poller to take the lease")
    first = lease.holder_of(engine, name)
    assert first is not None
    dovecot.append(request_mail(n) for n in range(20))
    wait_for(lambda: spooled(engine) == 20, 30, "the holder to spool 20 messages")

    holder_pid = int(first.split(":")[1])
    assert holder_pid in {p.pid for p in procs}
    os.kill(holder_pid, signal.SIGKILL)
    dovecot.append(request_mail(n) for n in range(20, 40))
    wait_for(
        lambda: (lease.holder_of(engine, name) or first) != first,
        15,
        "the other intake to take the lease once it expired",
    )
    second = lease.holder_of(engine, name)
    assert second is not None and int(second.split(":")[1]) != holder_pid
    wait_for(lambda: spooled(engine) == 40 and dovecot.count("INBOX") == 0, 30, "all 40 spooled")
    time.sleep(2)  # a further cycle or two changes nothing
    with Session(engine) as session:
        entries = session.exec(select(SpoolEntry)).all()
    assert len(entries) == 40 and len({e.message_id for e in entries}) == 40
    assert dovecot.count("privbot/processed") == 40
    engine.dispose()


def test_three_workers_process_each_message_once_and_send_each_mail_once(
    postgres_url: str,
    relay: tuple[Catcher, int],
    tmp_path: Path,
    procs: list[subprocess.Popen[bytes]],
) -> None:
    catcher, relay_port = relay
    total = int(os.environ.get("PRIVBOT_WORKER_TEST_MESSAGES", "2000"))
    with postgres_database(postgres_url) as url:
        engine = make_engine(url)
        with session_scope(engine) as session:
            for n in range(total):
                spool(session, request_mail(n), "file", "m%d.eml" % n)
        caps = tmp_path / "privbot.toml"  # every request gets its one automatic mail here
        caps.write_text("[receipt]\ndaily_cap_per_domain = 100000\nhourly_cap = 100000\n")
        env = {
            "PRIVBOT_CONFIG": str(caps),
            "PRIVBOT_HOME": str(tmp_path / "home"),
            "PRIVBOT_DATABASE_URL": url,
            "PRIVBOT_RELAY_HOST": "127.0.0.1",
            "PRIVBOT_RELAY_PORT": str(relay_port),
        }
        for i in range(3):
            procs.append(start("worker", env, tmp_path / ("worker%d.log" % i)))

        def state() -> dict[str, object]:
            with Session(engine) as session:
                spool_states = session.exec(
                    select(SpoolEntry.state, func.count()).group_by(SpoolEntry.state)
                ).all()
                out_states = session.exec(
                    select(OutgoingMail.status, func.count()).group_by(OutgoingMail.status)
                ).all()
            tails = [(tmp_path / ("worker%d.log" % i)).read_text()[-800:] for i in range(3)]
            return {"spool": dict(spool_states), "outbox": dict(out_states), "logs": tails}

        def done() -> bool:
            now = state()
            return set(now["spool"]) == {SpoolState.done} and set(now["outbox"]) == {OutStatus.sent}  # type: ignore[call-overload]

        wait_for(done, 1800, "three workers to process the spool and send the outbox", state)
        with Session(engine) as session:
            entries = session.exec(select(SpoolEntry)).all()
            cases = session.exec(select(Case)).all()
            out = session.exec(select(OutgoingMail)).all()
        engine.dispose()
    logs = "".join((tmp_path / ("worker%d.log" % i)).read_text() for i in range(3))
    assert "Traceback" not in logs
    assert all(e.state == SpoolState.done for e in entries), Counter(e.state for e in entries)
    assert len(cases) == total  # one case per request, none quarantined by a busy neighbour
    assert len({c.reference for c in cases}) == total
    per_case = Counter(o.case_id for o in out)
    assert len(per_case) == total and set(per_case.values()) == {1}  # one automatic mail each
    sent_ids = [m["Message-ID"] for m in catcher.wait(len(out), timeout=30)]
    assert len(sent_ids) == len(out)
    assert Counter(sent_ids).most_common(1)[0][1] == 1  # nothing sent twice
    assert set(sent_ids) == {o.message_id for o in out}
