"""The IMAP poller against a real Dovecot: cases from the mailbox, moves after commit, crash safety."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from privbot.config import Config, load_config
from privbot.errors import ConfigError
from privbot.mail.imap import CycleReport, Poller, fetch_bodies
from privbot.models import AuditEvent, Case, ImapFolderState, Message, SpoolEntry, SpoolState
from tests.dovecot import Dovecot
from tests.helpers import DATA, imap_env
from tests.mail.helpers import imap_config, poller, request

EXAMPLES = Path(__file__).parents[2] / "examples"


def cycle(p: Poller) -> CycleReport:
    """One cycle on a fresh connection, closed afterwards."""
    try:
        return p.cycle()
    finally:
        p.close()


def count(engine: Engine, model: type, *where: object) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(model).where(*where)).one())  # type: ignore[arg-type]


def privbot(
    *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "privbot", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_mailbox_mail_becomes_cases_and_a_second_poll_changes_nothing(
    dovecot: Dovecot, home: Path, engine: Engine
) -> None:
    dovecot.append(p.read_bytes() for p in sorted(EXAMPLES.glob("*.eml")))
    env = imap_env(dovecot, home)
    first = privbot("poll", "--once", env=env)
    assert first.returncode == 0, first.stderr
    assert "5 new" in first.stderr and first.stdout == ""
    with Session(engine) as session:
        assert len(session.exec(select(Case)).all()) == 4  # the out-of-office example opens none
        entries = session.exec(select(SpoolEntry)).all()
        assert {e.source for e in entries} == {"imap"} and all(
            e.state != SpoolState.pending for e in entries
        )
    assert dovecot.count("INBOX") == 0 and dovecot.count("privbot/processed") == 5
    assert all(
        b"\\Seen" not in flags for flags in dovecot.flags("privbot/processed").values()
    )  # \Seen is the people's

    before = [count(engine, m) for m in (SpoolEntry, Case, Message, AuditEvent)]
    second = privbot("poll", "--once", env=env)
    assert second.returncode == 0, second.stderr
    assert "0 new" in second.stderr
    assert [count(engine, m) for m in (SpoolEntry, Case, Message, AuditEvent)] == before
    assert dovecot.count("privbot/processed") == 5


def test_poll_once_logs_one_summary_line_and_per_case_lines_only_when_verbose(
    dovecot: Dovecot, home: Path
) -> None:
    """Cron mails whatever a job prints: a quiet run is one INFO line."""
    dovecot.append([request(i) for i in range(3)])
    quiet = privbot("poll", "--once", env=imap_env(dovecot, home))
    assert quiet.returncode == 0, quiet.stderr
    lines = quiet.stderr.strip().splitlines()
    assert len(lines) == 1 and " INFO privbot.poll: imap INBOX: 3 new" in lines[0], lines
    assert quiet.stdout == ""

    dovecot.append([request(i) for i in range(3, 5)])
    loud = privbot("poll", "--once", "--verbose", env=imap_env(dovecot, home))
    assert loud.returncode == 0, loud.stderr
    assert loud.stderr.count("opened case DS-") == 2
    assert "imap INBOX: 2 new" in loud.stderr


def test_unparseable_mail_is_recorded_and_moved_to_quarantine(
    dovecot: Dovecot, engine: Engine, config: Config
) -> None:
    broken = (DATA / "malformed" / "m021.eml").read_bytes()  # no sender address anywhere
    dovecot.append([broken, request(1)])
    config = imap_config(dovecot, config)
    report = cycle(poller(engine, config))
    assert (report.new, report.processed, report.quarantined) == (2, 1, 1)
    assert dovecot.count("privbot/quarantine") == 1 and dovecot.count("privbot/processed") == 1
    with Session(engine) as session:
        entry = session.exec(
            select(SpoolEntry).where(SpoolEntry.state == SpoolState.quarantined)
        ).one()
        assert entry.stage == "parse" and entry.raw
    assert next(iter(dovecot.messages("privbot/quarantine").values())).replace(
        b"\r\n", b"\n"
    ) == broken.replace(b"\r\n", b"\n")


def test_oversized_mail_is_recorded_and_quarantined_without_its_body(
    dovecot: Dovecot, engine: Engine, config: Config
) -> None:
    big = (
        request(2).replace(b"\r\n\r\n", b"\r\n\r\n" + b"x" * 70 + b"\r\n", 1)
        + (b"y" * 76 + b"\r\n") * 400
    )
    dovecot.append([request(1), big])
    config = replace(imap_config(dovecot, config), max_message_bytes=20_000)
    report = cycle(poller(engine, config))
    assert (report.new, report.oversized, report.quarantined, report.processed) == (1, 1, 1, 1)
    with Session(engine) as session:
        entry = session.exec(select(SpoolEntry).where(SpoolEntry.stage == "intake")).one()
        assert entry.state == SpoolState.quarantined and entry.raw == b"" and entry.size > 20_000
        assert entry.message_id == "<req-2@example.se>" and "size limit" in entry.reason
    assert dovecot.count("privbot/quarantine") == 1


def test_flag_mode_keeps_mail_in_place_and_never_sets_seen(
    dovecot: Dovecot, engine: Engine, config: Config
) -> None:
    dovecot.append(request(i) for i in range(3))
    config = imap_config(dovecot, config, after="flag")
    assert cycle(poller(engine, config)).processed == 3
    flags = dovecot.flags("INBOX")
    assert len(flags) == 3 and all(
        b"$PrivbotProcessed" in f and b"\\Seen" not in f for f in flags.values()
    )
    assert (
        "privbot/processed" not in dovecot.folders()
        and "privbot.processed" not in dovecot.folders()
    )
    again = cycle(poller(engine, config))
    assert (again.new, again.known, again.processed) == (0, 0, 0)
    assert count(engine, SpoolEntry) == 3


def test_without_move_copies_then_expunges_only_its_own_uids(
    config: Config, engine: Engine
) -> None:
    server = Dovecot(capability="IMAP4rev1 LITERAL+ SASL-IR IDLE NAMESPACE UIDPLUS MULTIAPPEND")
    server.start()
    try:
        p = poller(engine, imap_config(server, config), process=False)
        cycle(p)  # empty mailbox: the folder state exists from now on
        # Someone else's message, flagged \Deleted but not expunged, that privbot took long ago.
        server.append([request(90)])
        with server.client() as client:
            client.select_folder("INBOX")
            (foreign,) = client.search("ALL")
            client.add_flags([foreign], [b"\\Deleted"])
        with Session(engine) as session:
            state = session.exec(select(ImapFolderState)).one()
            state.last_uid = foreign
            session.add(state)
            session.commit()
        server.append(request(i) for i in range(3))
        assert cycle(p).processed == 3 and not p.can_move and p.can_uidplus
        assert list(server.flags("INBOX")) == [foreign]  # a plain EXPUNGE would have removed it
        assert server.count("privbot/processed") == 3
    finally:
        server.cleanup()


def test_without_uidplus_nothing_is_expunged(config: Config, engine: Engine) -> None:
    server = Dovecot(capability="IMAP4rev1 LITERAL+ SASL-IR IDLE NAMESPACE MULTIAPPEND")
    server.start()
    try:
        server.append(request(i) for i in range(3))
        p = poller(engine, imap_config(server, config), process=False)
        assert cycle(p).processed == 3
        assert server.count("privbot/processed") == 3
        flags = server.flags("INBOX")  # the originals stay, \Deleted, for the owner to expunge
        assert len(flags) == 3 and all(b"\\Deleted" in f for f in flags.values())
        assert cycle(p).processed == 0 and server.count("privbot/processed") == 3
    finally:
        server.cleanup()


@pytest.mark.parametrize("after", ["move", "flag"])
def test_uidvalidity_change_resynchronises_without_duplicates(
    dovecot: Dovecot, engine: Engine, config: Config, after: str
) -> None:
    messages = [request(i) for i in range(6)]
    dovecot.append(messages, "Intake")
    config = imap_config(dovecot, config, folder="Intake", after=after)
    first = cycle(poller(engine, config))
    assert first.new == 6
    old = dovecot.uidvalidity("Intake")
    dovecot.recreate("Intake", messages + [request(6)])  # the same mail, renumbered, and one new
    assert dovecot.uidvalidity("Intake") != old
    second = cycle(poller(engine, config))
    assert second.resynced and (second.new, second.known) == (1, 6)
    with Session(engine) as session:
        ids = Counter(session.exec(select(SpoolEntry.message_id)).all())
        assert len(ids) == 7 and set(ids.values()) == {1}
        assert len(session.exec(select(Case)).all()) == 7
        assert session.exec(select(ImapFolderState)).one().uidvalidity == dovecot.uidvalidity(
            "Intake"
        )


def test_wrong_password_is_a_clear_error_and_a_non_zero_exit(dovecot: Dovecot, home: Path) -> None:
    dovecot.append([request(1)])
    env = imap_env(dovecot, home, PRIVBOT_IMAP_PASSWORD="not-the-password")
    started = time.monotonic()
    done = privbot("poll", "--once", env=env)
    assert done.returncode != 0
    assert "refused the login" in done.stderr
    assert "password from the environment (PRIVBOT_IMAP_PASSWORD)" in done.stderr
    assert "user from the environment (PRIVBOT_IMAP_USER)" in done.stderr
    assert "not-the-password" not in done.stderr + done.stdout and "Traceback" not in done.stderr
    assert time.monotonic() - started < 30  # one attempt, no retry loop
    assert dovecot.count("INBOX") == 1


def test_wrong_password_from_the_config_file_names_that_file(
    dovecot: Dovecot, home: Path, tmp_path: Path
) -> None:
    settings = tmp_path / "privbot.toml"
    settings.write_text(
        '[imap]\nhost = "127.0.0.1"\nport = %d\ntls = "none"\nuser = "%s"\n'
        'password = "wrong-in-the-file"\n' % (dovecot.port, dovecot.user)
    )
    env = {"PRIVBOT_HOME": str(home), "PRIVBOT_CONFIG": str(settings)}
    done = privbot("poll", "--once", env=env)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "refused the login" in done.stderr
    assert "user from the config file %s [imap] (user)" % settings in done.stderr
    assert "password from the config file %s [imap] (password)" % settings in done.stderr
    assert "wrong-in-the-file" not in done.stderr + done.stdout


def test_password_file_and_env_overrides(tmp_path: Path) -> None:
    secret = tmp_path / "imap-password"
    secret.write_text("s3cret-from-file\n")
    env = {
        "PRIVBOT_HOME": str(tmp_path),
        "PRIVBOT_IMAP_HOST": "imap.example.se",
        "PRIVBOT_IMAP_TLS": "starttls",
        "PRIVBOT_IMAP_USER": "dataskydd",
        "PRIVBOT_IMAP_PASSWORD_FILE": str(secret),
        "PRIVBOT_IMAP_FOLDER": "Dataskydd",
    }
    cfg = load_config(env=env).imap
    assert (cfg.host, cfg.port, cfg.tls, cfg.user, cfg.folder, cfg.password) == (
        "imap.example.se",
        143,
        "starttls",
        "dataskydd",
        "Dataskydd",
        "s3cret-from-file",
    )
    assert "s3cret" not in repr(cfg) and "s3cret" not in repr(load_config(env=env))
    assert load_config(env={**env, "PRIVBOT_IMAP_TLS": "imaps"}).imap.port == 993
    with pytest.raises(ConfigError, match="imap.tls"):
        load_config(env={**env, "PRIVBOT_IMAP_TLS": "ssl3"})


def test_poller_logs_hold_no_addresses_or_password(
    dovecot: Dovecot, engine: Engine, config: Config, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    dovecot.append(
        [request(i) for i in range(5)] + [(DATA / "malformed" / "m021.eml").read_bytes()]
    )
    cycle(poller(engine, imap_config(dovecot, config)))
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("privbot"))
    assert "spooled" in ours and "@example" not in ours and "Radera" not in ours
    assert dovecot.password not in caplog.text


def test_sigkill_at_random_moments_loses_and_duplicates_nothing(
    dovecot: Dovecot, home: Path, tmp_path: Path, engine: Engine
) -> None:
    total = 500
    dovecot.append(request(i) for i in range(total))
    config_file = tmp_path / "privbot.toml"
    config_file.write_text(
        "[imap]\nbatch_size = 20\nmove_batch = 60\n"
    )  # many commits and moves to land in
    env = {**os.environ, **imap_env(dovecot, home, PRIVBOT_CONFIG=str(config_file))}
    rng = random.Random(int(os.environ.get("PRIVBOT_CRASH_SEED", "20261126")))

    def progress() -> tuple[int, int]:
        if not (home / "privbot.db").exists():
            return (0, 0)
        return count(engine, SpoolEntry), count(
            engine, SpoolEntry, SpoolEntry.state != SpoolState.pending
        )

    kills = 0
    for _ in range(7):
        before = progress()
        proc = subprocess.Popen(
            [sys.executable, "-m", "privbot", "poll", "--once"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Now and then while it starts up; otherwise a random moment after it got going.
        deadline = time.monotonic() + (rng.uniform(0.1, 1.0) if rng.random() < 0.2 else 30)
        while time.monotonic() < deadline and progress() == before and proc.poll() is None:
            time.sleep(0.02)
        time.sleep(rng.uniform(0, 0.3))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
    final = subprocess.run(
        [sys.executable, "-m", "privbot", "poll", "--once"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert final.returncode == 0, final.stderr
    assert kills >= 5  # the test proves something only if the kills landed mid-run

    with Session(engine) as session:
        ids = Counter(session.exec(select(SpoolEntry.message_id)).all())
        assert len(ids) == total and set(ids.values()) == {1}  # no loss, no duplicate
        assert count(engine, SpoolEntry, SpoolEntry.state == SpoolState.pending) == 0
        spooled_in = Counter(
            session.exec(select(Message.spool_id).where(Message.direction == "in")).all()
        )
        assert set(spooled_in.values()) == {1}  # each message joined one case once
        assert session.exec(select(ImapFolderState)).one().pending == []
    assert dovecot.count("INBOX") == 0
    assert (
        dovecot.count("privbot/processed") + dovecot.count("privbot/quarantine") == total
    )  # MOVE never copies twice


def test_spooled_entries_name_their_source(
    dovecot: Dovecot, engine: Engine, config: Config
) -> None:
    dovecot.append([request(1)])
    cycle(poller(engine, imap_config(dovecot, config), process=False))
    with Session(engine) as session:
        entry = session.exec(select(SpoolEntry)).one()
        assert entry.source == "imap" and entry.source_ref.startswith(
            "imap:%d:1:INBOX" % dovecot.uidvalidity()
        )
        assert entry.state == SpoolState.pending  # spool-only: processing is the worker's
    assert count(engine, SpoolEntry, col(SpoolEntry.case_id).is_not(None)) == 0


def test_cycle_on_both_databases(dovecot: Dovecot, any_engine: tuple[Engine, Config]) -> None:
    engine, config = any_engine
    dovecot.append(request(i) for i in range(4))
    config = imap_config(dovecot, config)
    first = cycle(poller(engine, config))
    assert (first.new, first.processed, first.pipeline.get("opened")) == (4, 4, 4)
    second = cycle(poller(engine, config))
    assert (second.new, second.known, second.processed) == (0, 0, 0)
    with Session(engine) as session:
        state = session.exec(select(ImapFolderState)).one()
        assert state.uidvalidity == dovecot.uidvalidity()
        assert state.last_uid == 4 and state.pending == []


@pytest.mark.parametrize("separator", ["/", "."])
def test_folders_are_created_in_the_servers_hierarchy(
    config: Config, engine: Engine, separator: str
) -> None:
    server = Dovecot(separator=separator)
    server.start()
    try:
        server.append([request(1)])
        cycle(poller(engine, imap_config(server, config), process=False))
        folders = server.folders()
        assert (
            "privbot%sprocessed" % separator in folders
            and "privbot%squarantine" % separator in folders
        )
        assert (
            server.count("privbot/processed") == 1
        )  # the fixture translates '/' as privbot's config does
    finally:
        server.cleanup()


def test_new_uids_are_searched_a_range_at_a_time(
    dovecot: Dovecot, engine: Engine, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    import privbot.mail.imap

    monkeypatch.setattr(privbot.mail.imap, "_SPAN", 3)
    dovecot.append(request(i) for i in range(10))
    with dovecot.client() as client:  # a gap in the UIDs, as other clients' deletions leave
        client.select_folder("INBOX")
        client.delete_messages([4, 5, 6, 7])
        client.uid_expunge([4, 5, 6, 7])
    report = cycle(poller(engine, imap_config(dovecot, config, batch_size=2), process=False))
    assert (report.new, report.processed) == (6, 6)
    with Session(engine) as session:
        assert session.exec(select(ImapFolderState)).one().last_uid == 10


def test_the_mover_connects_while_the_first_messages_are_fetched(
    dovecot: Dovecot, engine: Engine, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its read-write SELECT (the server records new mail as seen by a session) overlaps the
    first fetch and commit rather than delaying the first move; an idle cycle opens nothing."""
    import privbot.mail.imap
    import privbot.mail.imap_move

    said: list[str] = []
    opened = privbot.mail.imap_move.Mover.open
    saved = privbot.mail.imap.Poller._save
    monkeypatch.setattr(
        privbot.mail.imap_move.Mover, "open", lambda m: (said.append("open"), opened(m))[1]
    )
    monkeypatch.setattr(
        privbot.mail.imap.Poller, "_save", lambda p, *a: (said.append("commit"), saved(p, *a))[1]
    )
    dovecot.append(request(i) for i in range(6))
    cfg = imap_config(dovecot, config, batch_size=2, move_batch=2)
    report = cycle(poller(engine, cfg, process=False))
    assert (report.new, report.processed) == (6, 6)
    assert said[0] == "open" and said.count("commit") >= 3
    with dovecot.client() as client:
        assert client.select_folder("INBOX")[b"EXISTS"] == 0
    said.clear()
    assert cycle(poller(engine, cfg, process=False)).new == 0
    assert "open" not in said


@pytest.mark.parametrize("qresync", [True, False])
def test_bodies_are_read_whatever_else_the_server_says_meanwhile(
    dovecot: Dovecot, qresync: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The usual answer is read directly; one with another client's flag change in it (an
    unsolicited FETCH) goes through imapclient's parser, with the same bodies."""
    import privbot.mail.imap

    parsed: list[object] = []
    general = privbot.mail.imap.parse_fetch_response
    monkeypatch.setattr(
        privbot.mail.imap,
        "parse_fetch_response",
        lambda data, *args: parsed.append(data) or general(data, *args),
    )
    sent = [request(i) for i in range(6)]
    dovecot.append(sent)
    with dovecot.client() as ours, dovecot.client() as theirs:
        if qresync:
            assert ours.enable("QRESYNC")  # unsolicited FETCHes then carry UID and MODSEQ
        ours.select_folder("INBOX")
        theirs.select_folder("INBOX")
        assert fetch_bodies(ours, [1, 2]) == {1: sent[0], 2: sent[1]}
        assert parsed == []
        theirs.add_flags([1, 5], [b"\\Flagged"])
        assert fetch_bodies(ours, [3, 4, 6]) == {3: sent[2], 4: sent[3], 6: sent[5]}
        assert len(parsed) == 1  # the flag change came with it
        assert fetch_bodies(ours, [9]) == {}
        theirs.delete_messages([2])
        theirs.expunge()
        assert fetch_bodies(ours, [1, 2, 3]) == {1: sent[0], 3: sent[2]}


def test_the_imap_conversation_is_formatted_only_for_a_log_that_keeps_it(
    dovecot: Dovecot, config: Config
) -> None:
    """imapclient has imaplib format every response for its logger, mail bytes included; on
    privbot's connections that happens only while the logger is on for debugging."""
    import logging

    from privbot.mail.imap_connect import connect

    sent = [request(i) for i in range(3)]
    dovecot.append(sent)
    cfg = imap_config(dovecot, config).imap
    logger = logging.getLogger("imapclient.imaplib")
    for debugging in (False, True):
        saved = logger.level
        logger.setLevel(logging.DEBUG if debugging else logging.WARNING)
        try:
            client = connect(cfg)
        finally:
            logger.setLevel(saved)
        formatted: list[str] = []
        client._imap._mesg = formatted.append
        try:
            client.select_folder("INBOX", readonly=True)
            assert fetch_bodies(client, [1, 2, 3]) == {1: sent[0], 2: sent[1], 3: sent[2]}
        finally:
            client.logout()
        shown = "\n".join(formatted)
        assert ("Radera" in shown or "Registerutdrag" in shown) is debugging
        assert bool(formatted) is debugging
