"""Screening: auto-replies, bounces, lists and spam by headers and by wording; people stay human."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from privbot.classify.intents import load_intents
from privbot.mail.parse import ParsedMail, parse
from privbot.mail.screen import Kind, ScreenRules, screen

RULES = load_intents(Path(__file__).resolve().parents[2] / "intents").screening


def mail(
    body: str = "Hej, radera mina uppgifter.",
    subject: str = "Radering",
    sender: str = "kim@example.net",
    ctype: str = "",
    **headers: str,
) -> ParsedMail:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "dataskydd@company.example"
    msg["Subject"] = subject
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    if ctype:
        msg.replace_header("Content-Type", ctype)
    return parse(msg.as_bytes())


HEADER_CASES = [
    ("rfc 3834 auto-replied", {"Auto_Submitted": "auto-replied"}, Kind.auto_reply),
    ("rfc 3834 auto-generated", {"Auto_Submitted": "auto-generated"}, Kind.auto_reply),
    ("x-autoreply", {"X_Autoreply": "yes"}, Kind.auto_reply),
    ("x-autorespond", {"X_Autorespond": "yes"}, Kind.auto_reply),
    ("precedence junk", {"Precedence": "junk"}, Kind.auto_reply),
    ("precedence auto_reply", {"Precedence": "auto_reply"}, Kind.auto_reply),
    ("exchange suppress", {"X_Auto_Response_Suppress": "All"}, Kind.auto_reply),
    ("x-loop of another helpdesk", {"X_Loop": "support@helpdesk.example"}, Kind.auto_reply),
    ("empty return path", {"Return_Path": "<>"}, Kind.bounce),
    ("failed recipients", {"X_Failed_Recipients": "x@example.org"}, Kind.bounce),
    ("mailing list", {"List_Id": "<gdpr.lists.example>", "Precedence": "list"}, Kind.spam),
    (
        "bulk with unsubscribe",
        {"List_Unsubscribe": "<mailto:u@x.example>", "Precedence": "bulk"},
        Kind.spam,
    ),
    ("spam filter verdict", {"X_Spam_Flag": "YES"}, Kind.spam),
    ("auto-submitted: no is a person", {"Auto_Submitted": "no"}, Kind.human),
]


@pytest.mark.parametrize(
    ("point", "headers", "kind"), HEADER_CASES, ids=[c[0] for c in HEADER_CASES]
)
def test_headers(point: str, headers: dict[str, str], kind: Kind) -> None:
    result = screen(mail(**headers), (), RULES)
    assert result.kind is kind
    assert result.reasons or kind is Kind.human


def test_mailer_daemon_is_a_bounce() -> None:
    assert screen(mail(sender="MAILER-DAEMON@mx.example.org")).kind is Kind.bounce


def test_own_address_is_a_loop() -> None:
    assert (
        screen(mail(sender="dataskydd@company.example"), ["DATASKYDD@company.example"]).kind
        is Kind.auto_reply
    )


TEXT_CASES = [
    (
        "swedish vacation, no headers",
        "Re: Radering av konto",
        "Hej!\nJag är på semester till och med 4 augusti med begränsad tillgång till e-post. "
        "I brådskande ärenden når du växeln.",
        Kind.auto_reply,
    ),
    (
        "english out of office, no headers",
        "Re: Your request",
        "Thank you for your message. I am currently away on annual leave and will return on 3 June.",
        Kind.auto_reply,
    ),
    ("auto subject", "Automatiskt svar: Re: Registerutdrag", "Jag är borta.", Kind.auto_reply),
    (
        "ticket acknowledgement",
        "Ärende #48213 har registrerats",
        "Detta är ett automatiskt meddelande. Vi har tagit emot ditt ärende och återkommer.",
        Kind.auto_reply,
    ),
    (
        "swedish ndr text",
        "Olevererbart: Re: Din begäran",
        "Det gick inte att leverera meddelandet till följande mottagare.",
        Kind.bounce,
    ),
    (
        "english ndr text",
        "Returned mail: see transcript",
        "This message was created automatically. Your message could not be delivered to one or more recipients.",
        Kind.bounce,
    ),
    (
        "phishing",
        "Action required: verify your mailbox",
        "Your mailbox is almost full. Click here to verify your account within 24 hours or it will be suspended.",
        Kind.spam,
    ),
    (
        "person on leave still asks",
        "Radering",
        "Hej, jag är föräldraledig just nu men vill att ni raderar mitt konto hos er.",
        Kind.human,
    ),
    ("person", "Fråga", "Hur länge sparar ni mina uppgifter?", Kind.human),
]


@pytest.mark.parametrize(
    ("point", "subject", "body", "kind"), TEXT_CASES, ids=[c[0] for c in TEXT_CASES]
)
def test_wording(point: str, subject: str, body: str, kind: Kind) -> None:
    assert screen(mail(body, subject), (), RULES).kind is kind


def test_without_rules_only_headers_count() -> None:
    body = (
        "Thank you for your message. I am currently away on annual leave and will return on 3 June."
    )
    assert screen(mail(body, "Out of office")).kind is Kind.human
    assert screen(mail(body, "Out of office"), (), ScreenRules()).kind is Kind.human


def test_quoted_history_does_not_count_when_text_is_given() -> None:
    body = "Radera mitt konto tack.\n\n> Detta är ett automatiskt meddelande. Vi har tagit emot ditt ärende."
    assert (
        screen(mail(body, "Re: Ditt ärende"), (), RULES, text="Radera mitt konto tack.").kind
        is Kind.human
    )
