"""Parsing survives hostile and broken mail: every file parses or raises a clear ParseError."""

import email
import json
from email import policy
from pathlib import Path

import pytest

from privbot.errors import ParseError
from privbot.mail.parse import (
    _Message,
    clean_header,
    decode_bytes,
    message_id_of,
    normalise_line_endings,
    parse,
)

MALFORMED = Path(__file__).parents[1] / "data" / "malformed"
MANIFEST = [
    json.loads(line)
    for line in (MALFORMED / "manifest.jsonl").read_text().splitlines()
    if line.strip()
]


@pytest.mark.parametrize("item", MANIFEST, ids=[m["file"] for m in MANIFEST])
def test_malformed_corpus_parses_or_quarantines(item: dict[str, str]) -> None:
    raw = (MALFORMED / item["file"]).read_bytes()
    if item["expect"] == "quarantine":
        with pytest.raises(ParseError):
            parse(raw)
        return
    mail = parse(raw)
    assert "@" in mail.from_addr
    assert mail.text.strip()
    assert "\r" not in mail.subject and "\n" not in mail.subject
    assert mail.message_id.startswith("<") and mail.message_id.endswith(">")


def test_unknown_charset_falls_back_to_latin1() -> None:
    mail = parse((MALFORMED / "m001.eml").read_bytes())
    assert (
        "raderar" in mail.text
        and "\ufffd" not in mail.text
        and "ö" in mail.text.lower() + mail.from_name.lower()
    )


def test_utf8_mislabelled_as_latin1_is_read_as_utf8() -> None:
    assert decode_bytes("Hälsningar".encode(), "iso-8859-1") == "Hälsningar"
    assert decode_bytes("Hälsningar".encode("cp1252"), "utf-8") == "H\ufffdlsningar"
    assert decode_bytes("Hälsningar".encode("latin-1"), "x-klingon") == "Hälsningar"
    assert decode_bytes("Hälsningar".encode(), "utf\x00-8") == "Hälsningar"  # was ValueError


def test_rfc2231_parameters_the_stdlib_cannot_join_leave_the_text_readable() -> None:
    """`name*=` beside `name*0=` made the stdlib's `decode_params` raise TypeError from every
    parameter lookup, reading 8-bit text too: the mail was lost to an internal error."""
    raw = (
        b"From: Anna <anna@example.se>\r\nSubject: Radering\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=utf-8; name*=utf-8''%E5r.txt; name*0=\"a\"\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        + "Radera mitt konto och alla uppgifter om mig, tack. Hälsningar Anna".encode()
    )
    mail = parse(raw)
    assert "Radera mitt konto" in mail.text and "Hälsningar" in mail.text
    assert mail.attachments == ()


def test_header_injection_is_flattened() -> None:
    mail = parse((MALFORMED / "m028.eml").read_bytes())
    assert "\n" not in mail.subject and "\r" not in mail.subject
    assert clean_header("a\r\nBcc: x@example.com") == "a Bcc: x@example.com"


def test_html_only_mail_becomes_text_without_scripts() -> None:
    mail = parse((MALFORMED / "m033.eml").read_bytes())
    assert "raderar" in mail.text
    assert "<script" not in mail.text.lower() and "document.cookie" not in mail.text


def test_missing_message_id_gets_a_stable_synthetic_one() -> None:
    raw = (MALFORMED / "m022.eml").read_bytes()
    assert parse(raw).message_id == parse(raw).message_id == message_id_of(raw)
    assert message_id_of(raw).endswith("@privbot.invalid>")


def test_hostile_attachment_names_are_reduced_to_base_names() -> None:
    mail = parse((MALFORMED / "m019.eml").read_bytes())
    names = [a.filename for a in mail.attachments]
    assert names and all("/" not in n and "\\" not in n and not n.startswith(".") for n in names)


def test_bare_cr_and_mbox_envelopes() -> None:
    assert "profiling" in parse((MALFORMED / "m047.eml").read_bytes()).text
    mail = parse((MALFORMED / "m046.eml").read_bytes())
    assert mail.from_addr == "nils.berg@example.com"


def test_empty_and_junk_are_parse_errors_with_reasons() -> None:
    with pytest.raises(ParseError, match="empty"):
        parse(b"")
    with pytest.raises(ParseError, match="no sender"):
        parse(b"Subject: hej\r\n\r\nRadera mig.\r\n")


def test_indexed_message_answers_as_compat32_does() -> None:
    """`_Message`'s header index and content type follow every change to the headers."""
    raw = (MALFORMED / "m019.eml").read_bytes()
    for path in sorted(MALFORMED.glob("*.eml")):
        data = normalise_line_endings(path.read_bytes())
        plain = email.message_from_bytes(data, policy=policy.compat32)
        indexed = email.message_from_bytes(data, _class=_Message, policy=policy.compat32)
        for a, b in zip(plain.walk(), indexed.walk(), strict=True):
            for name in {k for k, _ in a.raw_items()} | {"Content-Type", "X-None"}:
                assert str(a.get(name)) == str(b.get(name)) and (name in a) == (name in b)
            assert a.get_content_type() == b.get_content_type()
    msg = email.message_from_bytes(raw, _class=_Message, policy=policy.compat32)
    msg.replace_header("Content-Type", "text/html")
    assert msg.get_content_type() == "text/html" == msg.get("content-type")
    msg.set_param("charset", "utf-8")
    assert msg.get_content_charset() == "utf-8"
    del msg["Content-Type"]
    assert msg.get_content_type() == "text/plain" and "content-type" not in msg
    msg.set_default_type("message/rfc822")
    assert msg.get_content_type() == "message/rfc822"
    msg["Content-Type"] = "multipart/mixed"
    assert msg.get_content_type() == "multipart/mixed"
