"""Several mailboxes in one install: the config, which mailbox a message belongs to, and mail
that speaks for the right company, end to end through SMTP intake and a real relay."""

from __future__ import annotations

import os
import re
import smtplib
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from privbot import mailboxes
from privbot.cases import breach, outbox
from privbot.cases.digest import send_digest
from privbot.cases.store import approve, current_draft, get_case
from privbot.chat.settings import ChatSettings
from privbot.config import Config, data_path, load_config
from privbot.db import make_engine, session_scope
from privbot.errors import ConfigError
from privbot.mail.parse import parse
from privbot.mail.smtp import Intake
from privbot.mail.spool import spool
from privbot.models import Case, SpoolEntry
from privbot.pipeline import Context, run
from privbot.service import Service
from privbot.web.app import create_app
from tests.chat.helpers import confirmation_code, mail_text, say
from tests.conftest import Catcher, free_port
from tests.helpers import serving
from tests.mail.test_watch import wait_until

if TYPE_CHECKING:
    from tests.dovecot import Dovecot

# A second company, written for these tests: its own name, addresses and supervisory authority.
NORDVIK = {
    "IT-team Stockholm AB": "Nordvik Konsult AB",
    'short_name = "IT-team"': 'short_name = "Nordvik"',
    "556691-7455": "559012-3456",
    "dataskydd@it-team.se": "integritet@nordvik.example",
    "Domnarvsgatan 11": "Hamngatan 4",
    "163 53": "411 14",
    "Spånga": "Göteborg",
    "Integritetsskyddsmyndigheten (IMY)": "Tillsynsnämnden för dataskydd (TND)",
    "imy@imy.se": "registrator@tnd.example",
}
# Nordvik's own signature: it adds the postal address, which the shipped one leaves out.
NORDVIK_SIGNATURE = """Vänliga hälsningar
{% for line in company.signature.sv %}
{{ line }}
{% endfor %}
{{ company.address.street }}, {{ company.address.postal_code }} {{ company.address.city }}
{{ company.email }}
"""


def two_mailboxes(folder: Path, relay_port: int | None = None, extra: str = "") -> Path:
    """A config with the shipped company (`itteam`, DS-) and Nordvik (`nordvik`, NK-)."""
    facts = data_path("company.toml").read_text(encoding="utf-8")
    for old, new in NORDVIK.items():
        facts = facts.replace(old, new)
    (folder / "nordvik.toml").write_text(facts, encoding="utf-8")
    (folder / "nordvik-replies" / "sv").mkdir(parents=True)
    (folder / "nordvik-replies" / "sv" / "_signature.j2").write_text(NORDVIK_SIGNATURE, "utf-8")
    relay = '[relay]\nhost = "127.0.0.1"\nport = %d\n' % relay_port if relay_port else ""
    path = folder / "privbot.toml"
    path.write_text(
        relay
        + """
[[mailbox]]
name = "itteam"
addresses = ["dataskydd@it-team.se"]
reference_prefix = "DS"

[[mailbox]]
name = "nordvik"
addresses = ["integritet@nordvik.example", "gdpr@nordvik.example"]
company_file = "nordvik.toml"
replies_dir = "nordvik-replies"
reference_prefix = "NK"

[mailbox.identity]
close_after_days = 30
"""
        + extra,
        encoding="utf-8",
    )
    return path


def load(folder: Path, path: Path) -> Config:
    return load_config(env={"PRIVBOT_HOME": str(folder / "home"), "PRIVBOT_CONFIG": str(path)})


def complaint(number: int, to: str, sender: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Person %d <%s>" % (number, sender)
    msg["To"] = to
    msg["Subject"] = "Klagomål"
    msg["Message-ID"] = "<complaint-%d@example.se>" % number
    msg.set_content(
        "Hej, jag vill klaga på hur ni har hanterat mina personuppgifter. Jag vill lämna "
        "ett klagomål.\n\nMvh Person %d\n" % number
    )
    return msg.as_bytes()


# --- the config ---------------------------------------------------------------------------------


def test_a_config_without_mailboxes_is_the_one_default_mailbox(config: Config) -> None:
    (box,) = config.mailboxes
    assert box.key == "default" and box.addresses == config.addresses
    assert box.company["name"] == "IT-team Stockholm AB" and box.reference_prefix == "DS"
    assert box.from_address == config.from_address and box.replies_dir is None


def test_two_mailboxes_are_read_with_their_own_facts(tmp_path: Path) -> None:
    config = load(tmp_path, two_mailboxes(tmp_path))
    itteam, nordvik = config.mailboxes
    assert (itteam.key, nordvik.key) == ("itteam", "nordvik")
    assert config.default_mailbox is itteam
    assert nordvik.company["name"] == "Nordvik Konsult AB"
    assert nordvik.company["authority"]["short_name"] == "IMY"  # only what the file changed
    assert nordvik.from_address == "integritet@nordvik.example"
    assert nordvik.reference_prefix == "NK" and nordvik.identity_close_days == 30
    assert itteam.identity_close_days == 14
    assert nordvik.replies_dir == (tmp_path / "nordvik-replies").resolve()
    # intake answers for every mailbox's addresses
    assert set(config.addresses) == {
        "dataskydd@it-team.se",
        "integritet@nordvik.example",
        "gdpr@nordvik.example",
    }


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ('[[mailbox]]\nname = "Other Box"\n', "lower-case"),
        ('[[mailbox]]\nname = "itteam"\naddresses = ["x@example.se"]\n', "same name"),
        ('[[mailbox]]\nname = "third"\naddresses = ["gdpr@nordvik.example"]\n', "same address"),
        ('[[mailbox]]\nname = "third"\naddresses = ["x@example.se"]\nprefix = "X"\n', "unknown"),
        ('[[mailbox]]\nname = "third"\naddresses = ["x@e.se"]\nreference_prefix = "D-S"\n', "1-8"),
        ('[[mailbox]]\nname = "third"\naddresses = ["x@e.se"]\nreplies_dir = "nope"\n', "folder"),
        ('[[mailbox]]\nname = "third"\naddresses = ["x@e.se"]\ncompany_file = "no.toml"\n', "read"),
    ],
)
def test_a_bad_mailbox_is_a_clear_config_error(tmp_path: Path, extra: str, error: str) -> None:
    with pytest.raises(ConfigError, match=error):
        load(tmp_path, two_mailboxes(tmp_path, extra=extra))


def test_a_replies_folder_with_a_broken_template_is_named(tmp_path: Path) -> None:
    config = load(tmp_path, two_mailboxes(tmp_path))
    (tmp_path / "nordvik-replies" / "sv" / "_signature.j2").write_text("{% if %}\n", "utf-8")
    with pytest.raises(ConfigError, match="nordvik-replies/sv/_signature.j2:1"):
        mailboxes.load_replies(config)


# --- which mailbox ------------------------------------------------------------------------------


def test_a_message_without_a_recorded_mailbox_is_placed_by_its_headers(tmp_path: Path) -> None:
    config = load(tmp_path, two_mailboxes(tmp_path))
    to_nordvik = parse(complaint(1, "GDPR@nordvik.example", "a@example.se"))
    to_nobody = parse(complaint(2, "someone@else.example", "a@example.se"))
    assert mailboxes.for_message(config, "", to_nordvik).key == "nordvik"
    assert mailboxes.for_message(config, "", to_nobody).key == "itteam"  # the default
    assert mailboxes.for_message(config, "itteam", to_nordvik).key == "itteam"  # intake knew
    assert mailboxes.for_recipients(config, ["x@y.se", "integritet@nordvik.example"]).key == (
        "nordvik"
    )


def test_file_intake_opens_the_case_in_the_addressed_mailbox(tmp_path: Path) -> None:
    config = load(tmp_path, two_mailboxes(tmp_path))
    engine = make_engine(config.database_url)
    with session_scope(engine) as session:
        spool(session, complaint(1, "gdpr@nordvik.example", "anna@example.se"), "file")
    run(engine, Context.load(config))
    with Session(engine) as session:
        (case,) = session.exec(select(Case)).all()
    assert case.mailbox == "nordvik" and case.reference.startswith("NK-")
    engine.dispose()


# --- end to end: SMTP in, relay out ---------------------------------------------------------------


@dataclass
class Install:
    config: Config
    engine: Engine
    intake: Intake
    catcher: Catcher


@pytest.fixture
def install(tmp_path: Path, relay: tuple[Catcher, int]) -> Iterator[Install]:
    catcher, port = relay
    config = load(tmp_path, two_mailboxes(tmp_path, port))
    engine = make_engine(config.database_url)
    intake = Intake(engine, config, port=free_port())
    intake.start()
    yield Install(config, engine, intake, catcher)
    intake.stop()
    engine.dispose()


def _sent_to(catcher: Catcher, address: str) -> list[EmailMessage]:
    return [m for m in catcher.messages if m["To"].addresses[0].addr_spec == address]


def test_replies_carry_each_companys_name_address_and_authority(install: Install) -> None:
    with smtplib.SMTP("127.0.0.1", install.intake.port) as smtp:
        smtp.sendmail(
            "anna@example.se", ["dataskydd@it-team.se"], complaint(1, "x", "anna@example.se")
        )
        smtp.sendmail("bo@example.se", ["GDPR@nordvik.example"], complaint(2, "y", "bo@example.se"))
    with Session(install.engine) as session:
        recorded = {e.message_id: e.mailbox for e in session.exec(select(SpoolEntry)).all()}
    assert recorded == {"<complaint-1@example.se>": "itteam", "<complaint-2@example.se>": "nordvik"}
    assert run(install.engine, Context.load(install.config)) == {"opened": 2}
    with Session(install.engine) as session:
        cases = {c.requester_email: c for c in session.exec(select(Case).order_by(col(Case.id)))}
    anna, bo = cases["anna@example.se"], cases["bo@example.se"]
    assert (anna.mailbox, bo.mailbox) == ("itteam", "nordvik")
    assert anna.reference.startswith("DS-") and bo.reference.startswith("NK-")

    assert outbox.deliver(install.engine, install.config) == 2  # the receipts
    with session_scope(install.engine) as session:
        for reference in (anna.reference, bo.reference):
            case = get_case(session, reference)
            draft = current_draft(session, case)
            assert draft is not None
            answer = draft.body.replace("[[Svar på klagomålet i sak]]", "Vi har rättat uppgiften.")
            approve(session, install.config, case, "handläggare", text=answer)
    assert outbox.deliver(install.engine, install.config) == 2  # the replies
    install.catcher.wait(4)

    anna_mail, bo_mail = (
        _sent_to(install.catcher, "anna@example.se"),
        _sent_to(install.catcher, "bo@example.se"),
    )
    assert len(anna_mail) == 2 and len(bo_mail) == 2
    for msg in anna_mail:
        assert msg["From"].addresses[0].addr_spec == "dataskydd@it-team.se"
        assert msg["From"].addresses[0].display_name == "IT-team Stockholm AB"
    for msg in bo_mail:
        assert msg["From"].addresses[0].addr_spec == "integritet@nordvik.example"
        assert msg["From"].addresses[0].display_name == "Nordvik Konsult AB"
    # the envelope is each company's own too (bounces go back to the right mailbox)
    senders = {rcpts[0]: sender for sender, rcpts in install.catcher.envelopes}
    assert senders == {
        "anna@example.se": "dataskydd@it-team.se",
        "bo@example.se": "integritet@nordvik.example",
    }

    anna_reply = anna_mail[1].get_content()
    bo_reply = bo_mail[1].get_content()
    assert "IT-team Stockholm AB" in anna_reply and "dataskydd@it-team.se" in anna_reply
    assert "Integritetsskyddsmyndigheten (IMY)" in anna_reply and "imy@imy.se" in anna_reply
    assert "Nordvik" not in anna_reply and "Hamngatan" not in anna_reply
    assert "Nordvik Konsult AB" in bo_reply and "integritet@nordvik.example" in bo_reply
    assert "Hamngatan 4, 411 14 Göteborg" in bo_reply  # Nordvik's own signature template
    assert (
        "Tillsynsnämnden för dataskydd (TND)" in bo_reply and "registrator@tnd.example" in bo_reply
    )
    assert "IT-team" not in bo_reply and "Integritetsskyddsmyndigheten" not in bo_reply
    # the receipts name the company the person wrote to
    assert "IT-team Stockholm AB" in anna_mail[0].get_content()
    assert "Nordvik Konsult AB" in bo_mail[0].get_content()
    assert "IT-team" not in bo_mail[0].get_content()


def test_each_supervisor_is_told_only_about_their_mailboxes(
    tmp_path: Path, relay: tuple[Catcher, int]
) -> None:
    """The digest and a breach alert: `[reminders] supervisors` hear of every mailbox, a
    mailbox's own supervisors of that mailbox only, through the real outbox and relay."""
    catcher, port = relay
    path = two_mailboxes(tmp_path, port, extra='\n[reminders]\nsupervisors = ["dpo@it-team.se"]\n')
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace('prefix = "DS"\n', 'prefix = "DS"\nsupervisors = ["chef@it-team.se"]\n')
        .replace('prefix = "NK"\n', 'prefix = "NK"\nsupervisors = ["Chef@Nordvik.example"]\n'),
        encoding="utf-8",
    )
    config = load(tmp_path, path)
    assert config.supervisor_scopes() == {
        "dpo@it-team.se": None,
        "chef@it-team.se": frozenset({"itteam"}),
        "chef@nordvik.example": frozenset({"nordvik"}),
    }
    engine = make_engine(config.database_url)
    with session_scope(engine) as session:
        spool(session, complaint(1, "dataskydd@it-team.se", "anna@example.se"), "file")
        spool(session, complaint(2, "integritet@nordvik.example", "bo@example.se"), "file")
    ctx = Context.load(config)
    assert run(engine, ctx) == {"opened": 2}
    today = date.today()
    with session_scope(engine) as session:
        ours, theirs = session.exec(select(Case).order_by(col(Case.id))).all()
        assert (ours.mailbox, theirs.mailbox) == ("itteam", "nordvik")
        ours.due = theirs.due = today - timedelta(days=1)
        breach.start_clock(session, config, ctx.replies, theirs)  # alerts at once
    outbox.deliver(engine, config)
    with session_scope(engine) as session:
        digest = send_digest(session, config, ctx.replies, today)
        assert digest is not None and len(digest.overdue) == 2
        assert send_digest(session, config, ctx.replies, today) is None  # once a day
    outbox.deliver(engine, config)
    catcher.wait(2 + 2 + 3)  # receipts, breach alerts, digests
    supervisors = set(config.supervisor_scopes())
    told = [m for m in catcher.messages if m["To"].addresses[0].addr_spec in supervisors]
    alerted = {m["To"].addresses[0].addr_spec for m in told if theirs.reference in m["Subject"]}
    assert alerted == {"dpo@it-team.se", "chef@nordvik.example"}
    digests = {m["To"].addresses[0].addr_spec: m for m in told if "Ärendebevakning" in m["Subject"]}
    assert set(digests) == supervisors
    everything = digests["dpo@it-team.se"].get_content()
    assert ours.reference in everything and theirs.reference in everything
    assert "(Nordvik Konsult AB)" in everything  # which mailbox, where there are several
    assert "2 försenade" in digests["dpo@it-team.se"]["Subject"]
    for address, own, other in (
        ("chef@it-team.se", ours, theirs),
        ("chef@nordvik.example", theirs, ours),
    ):
        body = digests[address].get_content()
        assert own.reference in body and other.reference not in body, address
        assert "1 försenade" in digests[address]["Subject"]
        assert ("Personuppgiftsincidenter" in body) is (own is theirs)  # the breach is Nordvik's
    engine.dispose()


def test_the_chat_serves_the_mailbox_its_setting_names(
    tmp_path: Path, relay: tuple[Catcher, int]
) -> None:
    """`[chat] mailbox`: Nordvik's chat speaks for Nordvik, sends from its address, and the
    request it confirms opens a Nordvik case; through the real web app and relay."""
    catcher, port = relay
    web_port = free_port()
    chat = '\n[chat]\nmailbox = "nordvik"\nbase_url = "http://127.0.0.1:%d/"\n' % web_port
    path = two_mailboxes(tmp_path, port, extra=chat)
    with pytest.raises(ConfigError, match="nordvik has no policy_file"):
        ChatSettings.from_config(load(tmp_path, path))  # it answers questions from it
    shipped_policy = load(tmp_path, path).policy_file
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'prefix = "NK"\n', 'prefix = "NK"\npolicy_file = "%s"\n' % shipped_policy
        ),
        encoding="utf-8",
    )
    config = load(tmp_path, path)
    engine = make_engine(config.database_url)
    with serving(create_app(config, engine), web_port) as web:
        session_id, _ = say(
            web, "Jag vill att ni raderar mina uppgifter.", "Karin Holm", "karin@example.se"
        )
        [mail] = catcher.wait(1)
        assert mail["From"].addresses[0].addr_spec == "integritet@nordvik.example"
        assert "Nordvik Konsult AB" in mail_text(mail) and "IT-team" not in mail_text(mail)
        done = httpx.post(
            web + "/api/chat",
            json={"session_id": session_id, "message": confirmation_code(mail)},
        )
        assert done.status_code == 200
    run(engine, Context.load(config))
    with Session(engine) as session:
        [case] = session.exec(select(Case)).all()
    engine.dispose()
    assert (case.channel, case.mailbox) == ("chat", "nordvik")
    assert case.reference.startswith("NK-")


# --- IMAP: one poller per mailbox ---------------------------------------------------------------


def test_each_mailboxs_imap_folder_is_polled_into_its_own_cases(
    tmp_path: Path, dovecot: Dovecot
) -> None:
    """Two mailboxes reading two folders of one real Dovecot account: the mail of each folder
    opens cases in its own mailbox, even when its headers name neither address."""
    imap = (
        '[mailbox.imap]\nhost = "127.0.0.1"\nport = %d\ntls = "none"\nuser = "%s"\n'
        'password = "%s"\npoll_interval = 0.5\n' % (dovecot.port, dovecot.user, dovecot.password)
    )
    path = two_mailboxes(tmp_path)
    text = path.read_text(encoding="utf-8")
    first, second = text.split("[[mailbox]]")[1:]
    path.write_text(
        "[[mailbox]]"
        + first
        + imap
        + 'folder = "INBOX"\n\n[[mailbox]]'
        + second
        + imap
        + 'folder = "Nordvik"\nprocessed_folder = "nordvik/processed"\n',
        encoding="utf-8",
    )
    config = load(tmp_path, path)
    dovecot.append([complaint(1, "dataskydd@it-team.se", "anna@example.se")])
    dovecot.append([complaint(2, "alias@forwarder.example", "bo@example.se")], folder="Nordvik")
    service = Service(config, smtp_port=free_port(), interval=0.2, roles=("intake", "worker"))
    service.start()
    try:
        assert [w.poller.mailbox for w in service.watchers] == ["itteam", "nordvik"]
        wait_until(
            lambda: (
                dovecot.count("privbot/processed") == 1 and dovecot.count("nordvik/processed") == 1
            )
        )
        with Session(service.engine) as session:
            cases = {c.requester_email: c for c in session.exec(select(Case)).all()}
    finally:
        service.stop()
    assert cases["anna@example.se"].mailbox == "itteam"
    assert cases["bo@example.se"].mailbox == "nordvik"
    assert cases["bo@example.se"].reference.startswith("NK-")


def test_questions_are_answered_from_the_own_mailboxs_policy_only(tmp_path: Path) -> None:
    """The install's policy answers the first mailbox's questions; Nordvik has no policy file,
    so its draft leaves the answer to staff instead of quoting another company's policy."""
    config = load(tmp_path, two_mailboxes(tmp_path))
    assert config.mailboxes[0].policy_file == config.policy_file
    assert config.mailboxes[1].policy_file is None
    engine = make_engine(config.database_url)
    with session_scope(engine) as session:
        for number, to in ((1, "dataskydd@it-team.se"), (2, "gdpr@nordvik.example")):
            msg = EmailMessage()
            msg["From"] = "p%d@example.se" % number
            msg["To"] = to
            msg["Subject"] = "Fråga"
            msg["Message-ID"] = "<question-%d@example.se>" % number
            msg.set_content("Hej! Hur länge sparar ni mina uppgifter?\n\nMvh P\n")
            spool(session, msg.as_bytes(), "file")
    run(engine, Context.load(config))
    with Session(engine) as session:
        drafts = {case.mailbox: current_draft(session, case) for case in session.exec(select(Case))}
    engine.dispose()
    itteam, nordvik = drafts["itteam"], drafts["nordvik"]
    assert itteam is not None and nordvik is not None
    assert "integritetspolicy.)" in itteam.body and "[[" not in itteam.body
    assert "integritetspolicy.)" not in nordvik.body and "[[" in nordvik.body


# --- the CLI ------------------------------------------------------------------------------------


def _cli(folder: Path, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRIVBOT_HOME": str(folder / "home"), "PRIVBOT_CONFIG": str(config)}
    return subprocess.run(
        [sys.executable, "-m", "privbot", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_cli_limits_users_to_mailboxes_and_refuses_unknown_ones(tmp_path: Path) -> None:
    path = two_mailboxes(tmp_path)
    secret = tmp_path / "password"
    secret.write_text("a long enough password for lena\n", encoding="utf-8")
    added = _cli(
        tmp_path,
        path,
        "users",
        "add",
        "lena",
        "--mailbox",
        "nordvik",
        "--password-file",
        str(secret),
    )
    assert added.returncode == 0, added.stderr
    assert "mailboxes: nordvik" in added.stdout
    refused = _cli(tmp_path, path, "users", "mailboxes", "lena", "nowhere")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "no mailbox nowhere" in refused.stderr and "itteam, nordvik" in refused.stderr
    assert _cli(tmp_path, path, "users", "mailboxes", "lena", "itteam", "nordvik").returncode == 0
    assert re.search(
        r"lena\s+staff\s+active\s+itteam, nordvik", _cli(tmp_path, path, "users", "list").stdout
    )
    assert _cli(tmp_path, path, "users", "mailboxes", "lena").returncode == 0
    assert re.search(
        r"lena\s+staff\s+active\s+all mailboxes", _cli(tmp_path, path, "users", "list").stdout
    )
