"""What privbot's outgoing headers look like on the wire: parsed from the bytes a real relay got.

Threading ids are never RFC 2047-encoded, however long; names and subjects are encoded words, so
a relay without SMTPUTF8 takes them; a hostile display name never adds a recipient.
"""

from __future__ import annotations

import email
import email.charset
import email.errors
import email.header
import email.policy
import email.utils
import re
from dataclasses import replace
from datetime import UTC, timedelta, timezone
from email.message import EmailMessage

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from privbot.cases import outbox, store
from privbot.config import Config, RelayConfig
from privbot.db import session_scope
from privbot.mail.headers import _UTF8_Q, OUTGOING, display_name, one_line
from privbot.mail.send import compose, enqueue, wire_bytes
from privbot.mail.spool import spool
from privbot.models import Case, OutgoingMail, OutStatus
from privbot.pipeline import Context, run
from tests.helpers import Catcher

ID_HEADERS = ("Message-ID", "In-Reply-To", "References")
ADDRESS_HEADERS = ("From", "To", "Cc", "Bcc", "Reply-To", "Sender")


def long_id(n: int, length: int = 200) -> str:
    """A Microsoft-365-like Message-ID of exactly `length` characters."""
    domain = "@EURPRD02.PROD.OUTLOOK.COM>"
    stem = "<DU0PR02MB%04dSEQ" % n
    return stem + "X" * (length - len(stem) - len(domain)) + domain


def header_lines(raw: bytes) -> dict[str, str]:
    """Each header as on the wire (folded lines joined), from the raw bytes; the first wins."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode("utf-8")
    found: dict[str, str] = {}
    for line in head.replace("\r\n ", "\n ").replace("\r\n\t", "\n\t").split("\r\n"):
        name, _, value = line.partition(":")
        found.setdefault(name, value)
    return found


def relay_config(config: Config, port: int) -> Config:
    return replace(config, relay=RelayConfig(host="127.0.0.1", port=port))


def test_long_message_ids_and_20_references_are_never_encoded(
    engine: Engine, config: Config, relay: tuple[Catcher, int]
) -> None:
    catcher, port = relay
    cfg = relay_config(config, port)
    chain = [long_id(n) for n in range(20)]
    with session_scope(engine) as session:
        enqueue(
            session,
            compose(cfg, "anna@example.se", "Anna", "Svar", "Hej\n", chain[-1], tuple(chain)),
            None,
        )
    assert outbox.deliver(engine, cfg) == 1
    (raw,) = catcher.raw
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert max(len(line) for line in head.split(b"\r\n")) <= 998
    lines = header_lines(raw)
    for name in ID_HEADERS:
        assert "=?" not in lines[name], name
    assert lines["In-Reply-To"].split() == [chain[-1]]
    assert lines["References"].split() == chain
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["In-Reply-To"].strip() == chain[-1]
    assert parsed["References"].split() == chain
    assert parsed["Message-ID"].strip().startswith("<") and "=?" not in parsed["Message-ID"]


def test_a_reply_through_the_pipeline_threads_to_a_200_character_message_id(
    engine: Engine, config: Config, relay: tuple[Catcher, int]
) -> None:
    """The whole path: an Outlook-like request with 19 earlier ids, the draft approved, sent."""
    catcher, port = relay
    cfg = relay_config(config, port)
    earlier = [long_id(n) for n in range(19)]
    own = long_id(99)
    request = (
        "From: Fredrik =?utf-8?q?=C3=85str=C3=B6m?= <fredrik@example.se>\r\n"
        "To: dataskydd@it-team.se\r\nSubject: Sluta skicka reklam\r\n"
        "Message-ID: %s\r\nReferences: %s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Jag vill inte längre få era nyhetsbrev eller annan marknadsföring.\r\n"
        % (own, "\r\n ".join(earlier))
    ).encode()
    with session_scope(engine) as session:
        spool(session, request, "smtp")
    run(engine, Context.load(cfg))
    with session_scope(engine) as session:
        case = session.exec(select(Case)).one()
        store.approve(session, cfg, case, "anna")
    assert outbox.deliver(engine, cfg) == 2  # the receipt and the reply
    for raw in catcher.raw:
        lines = header_lines(raw)
        assert "=?" not in lines["In-Reply-To"] + lines["References"]
        assert lines["In-Reply-To"].split() == [own]
        assert lines["References"].split()[-1] == own
        to = email.message_from_bytes(raw, policy=email.policy.default)["To"]
        assert to.addresses[0].display_name == "Fredrik Åström"


def test_non_ascii_name_and_subject_pass_a_relay_without_smtputf8(
    engine: Engine, config: Config, ascii_relay: tuple[Catcher, int]
) -> None:
    catcher, port = ascii_relay
    cfg = relay_config(config, port)
    with session_scope(engine) as session:
        enqueue(
            session,
            compose(
                cfg,
                "fredrik@example.se",
                "Fredrik Åström",
                "Svar på din begäran [DS-2026-0007]",
                "Hej Fredrik,\n\nVi har tagit bort dina uppgifter ur vårt register.\n",
            ),
            None,
        )
    assert outbox.deliver(engine, cfg) == 1
    (raw,) = catcher.raw
    assert raw.isascii()
    (options,) = catcher.mail_options
    assert not any(o.upper().startswith(("SMTPUTF8", "BODY=")) for o in options)  # plain 7-bit
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["To"].addresses[0].display_name == "Fredrik Åström"
    assert "=?utf-8?" in header_lines(raw)["To"].lower()
    assert str(parsed["Subject"]) == "Svar på din begäran [DS-2026-0007]"
    assert (
        parsed.get_content().replace("\r\n", "\n")
        == "Hej Fredrik,\n\nVi har tagit bort dina uppgifter ur vårt register.\n"
    )


def test_non_ascii_address_fails_clearly_without_smtputf8_and_is_not_counted_as_sent(
    engine: Engine, config: Config, ascii_relay: tuple[Catcher, int]
) -> None:
    catcher, port = ascii_relay
    cfg = relay_config(config, port)
    with session_scope(engine) as session:
        enqueue(session, compose(cfg, "jörg@example.se", "Jörg", "Svar", "Hej\n"), None)
    assert outbox.deliver(engine, cfg) == 0
    assert catcher.raw == []
    with Session(engine) as session:
        out = session.exec(select(OutgoingMail)).one()
    assert out.status == OutStatus.bounced  # refused for good: not sent, not retried
    assert "SMTPUTF8" in out.last_error and "jörg@example.se" in out.last_error


def test_non_ascii_address_uses_smtputf8_when_the_relay_offers_it(
    engine: Engine, config: Config, relay: tuple[Catcher, int]
) -> None:
    catcher, port = relay
    cfg = relay_config(config, port)
    with session_scope(engine) as session:
        enqueue(session, compose(cfg, "jörg@example.se", "Jörg", "Svar", "Hej\n"), None)
    assert outbox.deliver(engine, cfg) == 1
    assert "SMTPUTF8" in [o.upper() for o in catcher.mail_options[0]]
    assert catcher.envelopes[0][1] == ["jörg@example.se"]


HOSTILE_PARTS = [
    ",",
    '"',
    "'",
    "<",
    ">",
    "\\",
    ";",
    ":",
    "@",
    "(",
    ")",
    "\r\n",
    "\n",
    "\r",
    "\r\n ",
    "\t",
    "\x00",
    "\u2028",
    "\x85",
    " ",
    "=?utf-8?q?",
    "?=",
    "victim@third.example",
    "Bob <att2@evil.example>",
    '"x" <a@b.example>,',
    "Bcc: x@evil.example",
    "Åström",
    "Дмитрий",
    "a" * 70,
]
hostile_names = st.lists(st.sampled_from(HOSTILE_PARTS) | st.text(max_size=8), max_size=14).map(
    "".join
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(to_name=hostile_names, company=hostile_names, subject=hostile_names)
@example(to_name="=?utf-8?q?victim=40x=2Ese?=", company="A, B", subject="=?utf-8?q??=")
@example(
    to_name='"Anna" <anna@example.se>, victim@third.example',
    company="\r\nBcc: x@y",
    subject="å" * 99,
)
@example(to_name="Åström, " * 20, company="x" * 200, subject="Re: " + "a" * 1200)
def test_hostile_names_yield_exactly_the_intended_addresses(
    config: Config, to_name: str, company: str, subject: str
) -> None:
    cfg = replace(config, company={**config.company, "name": company})
    raw = wire_bytes(compose(cfg, "anna@example.se", to_name, subject, "Hej\n"))
    assert raw.isascii()
    plain = email.message_from_bytes(raw, policy=email.policy.compat32)
    assert {name for name in plain.keys() if name in ADDRESS_HEADERS} == {"From", "To"}
    expected = {
        "From": (display_name(company), cfg.from_address),
        "To": (display_name(to_name), "anna@example.se"),
    }
    for name in ADDRESS_HEADERS:
        values = [str(v) for v in plain.get_all(name, [])]
        found = [(decoded(n), addr) for n, addr in email.utils.getaddresses(values)]
        assert found == ([expected[name]] if name in expected else []), (name, values)
    assert decoded(str(plain["Subject"])) == one_line(subject)[:900]


def decoded(value: str) -> str:
    """An RFC 2047 value as a mail client shows it (adjacent encoded words joined, RFC 2047
    6.2; the email package's address parser wrongly puts a space between them)."""
    unfolded = value.replace("\r\n ", " ").replace("\n ", " ")  # RFC 5322 2.2.3
    return str(email.header.make_header(email.header.decode_header(unfolded)))


def test_a_hostile_name_through_the_relay_reaches_only_the_requester(
    engine: Engine, config: Config, ascii_relay: tuple[Catcher, int]
) -> None:
    catcher, port = ascii_relay
    cfg = relay_config(config, port)
    name = "Anna Ånge, " * 8 + "victim@third.example, Bob <att2@evil.example>"
    with session_scope(engine) as session:
        enqueue(session, compose(cfg, "anna@example.se", name, "Svar", "Hej\n"), None)
    assert outbox.deliver(engine, cfg) == 1
    (raw,) = catcher.raw
    assert catcher.envelopes[0][1] == ["anna@example.se"]
    to = email.message_from_bytes(raw, policy=email.policy.compat32).get_all("To")
    assert [addr for _, addr in email.utils.getaddresses([str(v) for v in to])] == [
        "anna@example.se"
    ]


def test_an_automatic_reply_is_written_header_by_header(config: Config) -> None:
    raw = wire_bytes(
        compose(
            config,
            "anna@example.se",
            "Anna Berg",
            "Re: Mina uppgifter",
            "Hej Anna!\n",
            "<a@example.se>",
            ("<a@example.se>",),
            automatic=True,
        )
    )
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("ascii").split("\r\n")
    assert re.fullmatch(r"Date: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000", lines[3])
    assert re.fullmatch(r"Message-ID: <[\d.]+@it-team\.se>", lines[4])
    assert lines[:3] + lines[5:] == [
        'From: "IT-team Stockholm AB" <dataskydd@it-team.se>',
        'To: "Anna Berg" <anna@example.se>',
        "Subject: Re: Mina uppgifter",
        "In-Reply-To: <a@example.se>",
        "References: <a@example.se>",
        "X-Privbot-Loop: dataskydd@it-team.se",
        "Auto-Submitted: auto-replied",
        "X-Auto-Response-Suppress: All",
        "Precedence: bulk",
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: 7bit",
        "MIME-Version: 1.0",
    ]
    assert body == b"Hej Anna!\r\n"


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(
        ["Date", "Auto-Submitted", "Precedence", "X-Privbot-Loop", "Comments", "X-" + "y" * 60]
    ),
    value=st.text(st.characters(min_codepoint=1, max_codepoint=0x24F), max_size=100)
    | st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=2))])).map(
        email.utils.format_datetime
    )
    | st.sampled_from(["Thu, 3 Dec 2026 04:35:11 +0000", "x  y", " x", "=?utf-8?q?x?="]),
)
def test_other_headers_are_written_as_the_email_package_writes_them(name: str, value: str) -> None:
    """Other headers are kept as set when that writes the same bytes as `email.policy.SMTP`."""
    ours, theirs = EmailMessage(policy=OUTGOING), EmailMessage(policy=email.policy.SMTP)
    try:
        theirs[name] = value
        expected = theirs.as_bytes()
    except (ValueError, IndexError, UnicodeError, email.errors.HeaderParseError):
        return  # refused or not writable: not privbot's to keep
    ours[name] = value
    assert ours.as_bytes() == expected


_STDLIB_Q = email.charset.Charset("utf-8")
_STDLIB_Q.header_encoding = email.charset.QP


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list('ab Z=?_."\t') + list("åÖé€中") + ["😀", "\u0301"])),
    st.sampled_from(["Subject", "To", "X-A-Rather-Long-Header-Name"]),
)
@example("Ärende: " + "åäö" * 40, "Subject")
def test_encoded_words_are_split_as_the_stdlib_splits_them(text: str, name: str) -> None:
    """privbot's Q-encoding charset splits a long text into the stdlib's very words."""
    ours = email.header.Header(text, _UTF8_Q, header_name=name).encode(linesep="\r\n")
    assert ours == email.header.Header(text, _STDLIB_Q, header_name=name).encode(linesep="\r\n")
