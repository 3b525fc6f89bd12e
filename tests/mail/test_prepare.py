"""Preparation: the author's own text without quotes, signatures and disclaimers; forwards and
contact-form relays read as the person's message; long bodies stay fast."""

from __future__ import annotations

import json
import re
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from privbot.errors import ParseError
from privbot.mail.parse import ParsedMail, parse
from privbot.mail.prepare import prepare


def mail(
    body: str, subject: str = "Hej", sender: str = "Kim Kund <kim@kund.example>", **headers: str
) -> ParsedMail:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "dataskydd@company.example"
    msg["Subject"] = subject
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return parse(msg.as_bytes())


CUT = [
    (
        "swedish quote header",
        "Radera mitt konto.\n\nDen 3 mars 2025 kl. 10:12 skrev Dataskydd <dataskydd@company.example>:\n> Vi har mottagit din begäran om registerutdrag.\n",
    ),
    (
        "english quote header",
        "Radera mitt konto.\n\nOn Mon, 3 Mar 2025 at 10:12, Dataskydd <dataskydd@company.example> wrote:\n> Your registerutdrag is attached.\n",
    ),
    ("bare > lines", "Radera mitt konto.\n> registerutdrag\n> rättelse\n"),
    (
        "outlook block, swedish",
        "Radera mitt konto.\n\nFrån: Dataskydd <dataskydd@company.example>\nSkickat: den 3 mars 2025 10:12\nTill: Kim\nÄmne: Registerutdrag\n\nHär är ditt registerutdrag.\n",
    ),
    (
        "outlook block, english",
        "Radera mitt konto.\n\nFrom: Dataskydd <dataskydd@company.example>\nSent: Monday, March 3, 2025 10:12 AM\nTo: Kim\nSubject: Registerutdrag\n\nHere is your registerutdrag.\n",
    ),
    ("iphone signature", "Radera mitt konto.\n\nSkickat från min iPhone\n"),
    ("dash-dash signature", "Radera mitt konto.\n\n-- \nKim Kund\nRegisterutdrag AB\n"),
    (
        "legal disclaimer",
        "Radera mitt konto.\n\nKim\n\nDetta e-postmeddelande kan innehålla konfidentiell information. Läs om registerutdrag på vår webb.\n",
    ),
]


@pytest.mark.parametrize(("point", "body"), CUT, ids=[c[0] for c in CUT])
def test_new_text_only(point: str, body: str) -> None:
    prepared = prepare(mail(body))
    assert "Radera mitt konto." in prepared.new_text
    assert "registerutdrag" not in prepared.new_text.lower()
    assert prepared.requester_addr == "kim@kund.example"
    assert not prepared.forwarded and not prepared.relayed


FORWARDS = [
    (
        "vidarebefordrat",
        "VB: Radering",
        "Kan ni ta den här?\n\n---------- Vidarebefordrat meddelande ---------\nFrån: Lo Larsson <lo@hemma.example>\n"
        "Datum: 2 maj 2025\nÄmne: Radering\nTill: info@company.example\n\nTa bort alla mina uppgifter.\n",
    ),
    (
        "original message",
        "FW: delete",
        "FYI\n\n-----Original Message-----\nFrom: Lo Larsson <lo@hemma.example>\nSent: Friday, May 2, 2025 9:00 AM\n"
        "To: info@company.example\nSubject: delete\n\nTa bort alla mina uppgifter.\n",
    ),
    (
        "begin forwarded message",
        "Fwd: delete",
        "Begin forwarded message:\n\nFrom: Lo Larsson <lo@hemma.example>\nSubject: delete\nDate: 2 May 2025 at 09:00:00 CEST\n"
        "To: info@company.example\n\nTa bort alla mina uppgifter.\n",
    ),
    (
        "outlook forward",
        "VB: Radering",
        "Hej dataskydd, den här kom till kundtjänst.\n\n________________________________\nFrån: Lo Larsson <lo@hemma.example>\n"
        "Skickat: den 2 maj 2025 09:00\nTill: kundtjanst@company.example\nÄmne: Radering\n\nTa bort alla mina uppgifter.\n",
    ),
]


@pytest.mark.parametrize(("point", "subject", "body"), FORWARDS, ids=[f[0] for f in FORWARDS])
def test_forwarded_by_staff_is_the_forwarded_person(point: str, subject: str, body: str) -> None:
    forward = mail(body, subject, sender="Kundtjänst <kundtjanst@company.example>")
    prepared = prepare(forward, staff_domains={"company.example"})
    assert prepared.forwarded
    assert prepared.new_text.startswith("Ta bort alla mina uppgifter.")
    assert prepared.requester_addr == "lo@hemma.example"
    assert prepared.requester_name == "Lo Larsson"


def test_customer_forwarding_our_mail_speaks_for_themselves() -> None:
    body = (
        "Ni skickade det här till alla kunder med synliga adresser. Det är ett dataintrång och jag vill "
        "att ni förklarar hur det kunde hända och vad ni gör för att det inte ska hända igen.\n\n"
        "---------- Forwarded message ---------\nFrån: Nyhetsbrev <nyhetsbrev@company.example>\n"
        "Datum: 2 maj 2025\nÄmne: Vårens erbjudanden\nTill: kim@kund.example\n\nKöp nu!\n"
    )
    prepared = prepare(mail(body, "Fwd: Vårens erbjudanden"))
    assert not prepared.forwarded
    assert prepared.new_text.startswith("Ni skickade")
    assert prepared.requester_addr == "kim@kund.example"


def test_contact_form_relay_is_the_person() -> None:
    body = (
        "Nytt meddelande från webbformuläret\n\nNamn: Lo Larsson\nE-post: lo@hemma.example\nTelefon: 070-000 00 00\n"
        "Meddelande: Jag vill veta vilka uppgifter ni har om mig.\n\n\n\nSkickat från formuläret på company.example\n"
    )
    prepared = prepare(
        mail(
            body,
            "Nytt meddelande",
            sender="Webbformulär <no-reply@company.example>",
            Reply_To="lo@hemma.example",
        ),
        form_senders={"no-reply@company.example"},
    )
    assert prepared.relayed
    assert prepared.new_text == "Jag vill veta vilka uppgifter ni har om mig."
    assert prepared.requester_addr == "lo@hemma.example"
    assert prepared.requester_name == "Lo Larsson"


def test_english_contact_form_relay() -> None:
    body = "Name: Lo Larsson\nEmail: lo@home.example\nMessage: Please delete my account.\n"
    prepared = prepare(
        mail(body, "Contact form", sender="noreply@company.example"),
        form_senders={"noreply@company.example"},
    )
    assert prepared.relayed and prepared.requester_addr == "lo@home.example"
    assert prepared.new_text == "Please delete my account."


def test_reply_to_of_a_configured_form_sender_is_the_requester() -> None:
    prepared = prepare(
        mail("Radera mitt konto.", sender="no-reply@forms.example", Reply_To="lo@hemma.example"),
        form_senders={"no-reply@forms.example"},
    )
    assert prepared.requester_addr == "lo@hemma.example"


def test_reply_to_and_form_fields_of_anyone_else_are_not_the_requester() -> None:
    body = "Namn: Lo Larsson\nE-post: victim@third.example\nMeddelande: Radera mitt konto.\n"
    for raw in (
        mail(
            "Radera mitt konto.", sender="no-reply@forms.example", Reply_To="victim@third.example"
        ),
        mail(body, sender="Mallory <mallory@evil.example>", Reply_To="victim@third.example"),
    ):
        prepared = prepare(raw, form_senders={"formular@company.example"})
        assert prepared.requester_addr == raw.from_addr


def test_a_forward_from_outside_names_no_third_party() -> None:
    _, subject, body = FORWARDS[0]
    prepared = prepare(mail(body, subject), staff_domains={"company.example"})
    assert prepared.forwarded and prepared.new_text.startswith("Ta bort alla mina uppgifter.")
    assert prepared.requester_addr == "kim@kund.example"


def test_only_quoted_history_falls_back_to_it() -> None:
    body = "On Mon, 3 Mar 2025 at 10:12, Kim <kim@kund.example> wrote:\n> Radera mitt konto.\n"
    prepared = prepare(mail(body, "Re: Radering"))
    assert "Radera mitt konto." in prepared.new_text
    assert prepared.quoted_only


@pytest.mark.parametrize(
    "body", ["a" * 1_000_000, ("hej > från: skrev\n" * 12_000)[:200_000], "> " + "x " * 100_000]
)
def test_long_bodies_are_prepared(body: str) -> None:
    # Speed is measured in benchmarks/classify.py; here: no crash, no catastrophic regex, text kept.
    prepared = prepare(mail(body))
    assert prepared.new_text.strip() or prepared.quoted_only


_SIGNED = [
    "Radera mina uppgifter.\n\n\n\n-- \nKim Berg\nKund AB",
    "Delete my data.\n\n\n" + "_" * 40 + "\nFrom: Kim\nSent: today\nTo: us\nSubject: x\n\nold",
    "Hej!\n\n\n\nMvh\nKim\n\n\nMed vänliga hälsningar\nKim",
    "Please stop.\n\n\n\n\nSent from my iPhone\n\n",
    "Tack.\n\n\n\n- Kim\n\n- Berg",
    "Svar.\n\nOn Mon, 3 Mar 2025 at 10:12, Kim <kim@kund.example> wrote:\n\n\n\n> fråga\n>\n> Best regards\n",
    "\n\n\n\n\nBest regards\n\n\n/Kim",
    "Hej" + "\n" * 2000 + "Thanks,\nKim" + "\n" * 50,
    "Jag vill ha ut mina uppgifter. /Kim" + "\n" * 3000,
    # every kind of header the reply regex splits at: at the start, after text, quoted, twice
    "Den 3 mars 2025 kl. 10:12 skrev Kim <kim@kund.example>:\n> gammalt",
    "Ta bort mig.\nDen mån 3 mars 2025 skrev Kim Berg <kim@kund.example>:\n> Hej\n",
    "Stop.\n\nOn Mon, 3 Mar 2025, Kim wrote:\n> old\n\n> On Sun, Bo wrote:\n>> older",
    "Svar ovan.\n\nFrån: Kim Berg\nSkickat: den 3 mars\nTill: oss\nÄmne: Radera\n\nRadera",
    "Answer.\n*From:* Kim\n*Sent:* Monday\n*To:* us\n*Subject:* Data\n\nSend my data",
    "Hej\n> From: Kim\n> To: us\n> Date: today\nquoted",
    "Top.\n-----Original Message-----\nFrom: a@b.example\nSent: x\n\nBody\n\nMvh\nKim",
    "From: Kim\nTo: us\n\nFrån: Bo\nKopia: Li\n\nOn Tue, Bo wrote:\nend",
    "  indented text wrote:\n\tFrom: tab\r\nTo: crlf\r\n\r\nbody -- \n-- \nsig",
    # disclaimers (each has "mail" in it), and one without "mail" that is none
    "Radera mig.\n\nDisclaimer: This e-mail and any attachments are confidential.\nKim",
    "Stop.\nCONFIDENTIALITY: this EMAIL is for its addressee.\n\nOn Mon, Kim wrote:\n> x",
    "Hej.\n Observera: Detta e-postmeddelande (Email) kan innehålla sekretess.",
    "Hej.\nVarning: detta mejl är konfidentiellt.",
]


@pytest.mark.parametrize("text", _SIGNED)
def test_reply_splitting_is_mail_parser_replys_own(text: str) -> None:
    # prepare reads replies through its own faster regexes: the fragments must be the library's.
    from mailparser_reply import EmailReplyParser

    from privbot.mail.prepare import _replies

    def fragments(replies: list[Any]) -> list[tuple[str, str, str, list[str], str]]:
        return [(r.content, r.headers, r.signatures, r.disclaimers, r.body) for r in replies]

    expected = EmailReplyParser(languages=["sv", "en"]).read(text).replies
    assert fragments(_replies(text)) == fragments(expected)


def test_the_reply_splitting_cases_find_signatures() -> None:
    from mailparser_reply import EmailReplyParser

    parser = EmailReplyParser(languages=["sv", "en"])
    signed = [t for t in _SIGNED if any(r.signatures for r in parser.read(t).replies)]
    assert len(signed) >= 6
    warned = [t for t in _SIGNED if any(r.disclaimers for r in parser.read(t).replies)]
    assert len(warned) >= 3


# --- issue 13: preparation keeps the request ------------------------------------------------

SHARED = next(
    (
        d
        for d in (
            Path(__file__).resolve().parents[3] / "shared",
            Path(__file__).resolve().parents[4] / "shared",
        )
        if (d / "corpus").is_dir()
    ),
    None,
)
# Words a greeting, a sign-off or a forwarder's note is made of; a prepared text of nothing else
# has lost the request.
NOTE_WORDS = set(
    """hej hejsan hallå god morgon dag tack på förhand mvh vänliga hälsningar hälsning med
    kan ni ta det den här detta hand om se nedan bifogat fyi för kännedom vidarebefordrar
    hi hello dear good morning thanks thank you regards best kind cheers please see below
    could can you take a look at this handle forwarding forwarded fwd fw vb hei hallo moi
    kiitos terveisin danke grüße mit freundlichen bonjour merci cordialement hola gracias
    saludos dzień dobry dziękuję pozdrawiam tak venlig hilsen""".split()
)


def _human_mails() -> list[Path]:
    if SHARED is None:
        return []
    found: list[Path] = []
    for corpus in ("dev", "dev2"):
        folder = SHARED / "corpus" / corpus
        for line in (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip() and json.loads(line)["kind"] == "human":
                found.append(folder / json.loads(line)["file"])
    return found


@pytest.mark.skipif(SHARED is None, reason="../shared/corpus is not here")
def test_every_human_corpus_mail_keeps_its_request() -> None:
    lost = []
    for path in _human_mails():
        try:
            parsed = parse(path.read_bytes())
        except ParseError:
            lost.append(f"{path.parent.name}/{path.name}: quarantined")
            continue
        words = re.findall(r"[^\W\d_]+", prepare(parsed).new_text.lower())
        if not [w for w in words if w not in NOTE_WORDS]:
            lost.append(f"{path.parent.name}/{path.name}: {words}")
    assert len(_human_mails()) > 300
    assert not lost, lost


def test_bulleted_list_keeps_every_item() -> None:
    body = (
        "Hej,\n\nJag har två önskemål:\n- sluta skicka erbjudanden via sms\n"
        "- jag vill inte att ni analyserar mina köp\n\nMvh Kim"
    )
    text = prepare(mail(body)).new_text
    assert "sms" in text and "analyserar mina köp" in text


@pytest.mark.parametrize(
    ("point", "subject", "body"),
    [
        (
            "gmail, swedish, mixed labels",
            "Fwd: Konto",
            "Hej dataskydd,\n\nkan ni titta på den här?\n\n/Sam\n\n"
            "---------- Vidarebefordrat meddelande ---------\nFrån: Lo Larsson <lo@hemma.example>\n"
            "Date: tis 4 mars 2025 kl. 08:00\nSubject: Konto\nTo: <support@company.example>\n\n\n"
            "Hej,\n\nJag har slutat som kund. Stäng mitt konto och ta bort det ni har om mig.\n\nLo\n",
        ),
        (
            "apple mail, swedish, quoted",
            "Fwd: Konto",
            "Kund hörde av sig.\n\nSkickat från min iPhone\n\nBörjan på vidarebefordrat meddelande:\n\n"
            "> Från: Lo Larsson <lo@hemma.example>\n> Datum: 4 mars 2025 kl. 08:00:00 CET\n"
            "> Till: Sam <sam@company.example>\n> Ämne: Konto\n>\n> Stäng mitt konto och ta bort det ni har om mig.\n",
        ),
        (
            "thunderbird",
            "Fwd: Account",
            "FYI\n\n-------- Forwarded Message --------\nSubject: \tAccount\nDate: \tTue, 4 Mar 2025 08:00:00 +0100\n"
            "From: \tLo Larsson <lo@hemma.example>\nTo: \tsupport@company.example\n\n"
            "Stäng mitt konto och ta bort det ni har om mig.\n",
        ),
        (
            "outlook, no mark, no forward subject",
            "Konto",
            "\nFrån: Lo Larsson <lo@hemma.example>\nSkickat: den 4 mars 2025 08:00\n"
            "Till: Support <support@company.example>\nÄmne: Konto\n\n"
            "Stäng mitt konto och ta bort det ni har om mig.\n",
        ),
    ],
)
def test_forward_formats(point: str, subject: str, body: str) -> None:
    prepared = prepare(mail(body, subject, sender="Sam <sam@company.example>"))
    assert prepared.new_text.startswith(("Hej,", "Stäng")), prepared.new_text
    assert "Stäng mitt konto" in prepared.new_text
    assert "kan ni titta" not in prepared.new_text and "FYI" not in prepared.new_text


def test_forward_as_attachment_is_the_attached_person() -> None:
    inner = EmailMessage()
    inner["From"] = "Lo Larsson <lo@hemma.example>"
    inner["To"] = "faktura@company.example"
    inner["Subject"] = "Mina uppgifter"
    inner.set_content("Ta bort alla mina personuppgifter ur era system.")
    outer = EmailMessage()
    outer["From"] = "Sam <sam@company.example>"
    outer["To"] = "dataskydd@company.example"
    outer["Subject"] = "VB: Mina uppgifter"
    outer.set_content("Se bifogat mejl.\n\n/Sam")
    outer.add_attachment(inner)
    prepared = prepare(parse(outer.as_bytes()), staff_domains=("company.example",))
    assert prepared.forwarded and prepared.requester_addr == "lo@hemma.example"
    assert prepared.new_text == "Ta bort alla mina personuppgifter ur era system."


def test_contact_form_with_other_labels_and_a_long_message() -> None:
    body = (
        "Ett nytt formulär har skickats in\n\nFörnamn och efternamn: Lo Larsson\nMejl: lo@hemma.example\n"
        "Kundnummer: 4411\nKategori: Övrigt\nMeddelande:\nHej!\nJag flyttade förra året.\n"
        "Obs: adressen ni har är gammal, byt till Storgatan 1.\n\n--\nSkickat via webbplatsen\n"
    )
    prepared = prepare(
        mail(body, "Formulär: Övrigt", sender="noreply@company.example"),
        form_senders=("noreply@company.example",),
    )
    assert prepared.relayed and prepared.requester_addr == "lo@hemma.example"
    assert prepared.new_text.startswith("Hej!") and "Storgatan 1" in prepared.new_text
    assert "Övrigt" not in prepared.new_text


def test_bottom_posted_answer_is_the_new_text() -> None:
    body = (
        "On Mon, 3 Mar 2025 at 10:12, Dataskydd <dataskydd@company.example> wrote:\n"
        "> Vill du att vi raderar kontot eller bara avslutar nyhetsbrevet?\n\nBara nyhetsbrevet, tack.\n"
    )
    prepared = prepare(mail(body, "Re: Din begäran"))
    assert prepared.new_text == "Bara nyhetsbrevet, tack." and not prepared.quoted_only


@pytest.mark.parametrize(
    "tail",
    [
        "\n\nEnviado desde mi iPhone\n",
        "\n\nVon meinem iPhone gesendet\n",
        "\n\nSendt fra min iPad\n",
    ],
)
def test_signatures_in_other_languages_are_cut(tail: str) -> None:
    assert (
        prepare(mail("Borren mis datos, por favor." + tail)).new_text
        == "Borren mis datos, por favor."
    )


def test_garbled_plain_text_content_type_is_read() -> None:
    raw = (
        b"From: Kim <kim@kund.example>\r\nTo: dataskydd@company.example\r\nSubject: Hej\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: plain/text; charset=utf-8\r\n\r\n"
        b"Radera mitt konto, tack.\r\n"
    )
    assert prepare(parse(raw)).new_text == "Radera mitt konto, tack."


def test_headers_only_message_is_read_from_its_subject() -> None:
    raw = (
        b"From: Kim <kim@kund.example>\r\nTo: dataskydd@company.example\r\n"
        b"Subject: Radera mitt konto\r\nMessage-ID: <h@kund.example>\r\n\r\n"
    )
    parsed = parse(raw)
    assert prepare(parsed).new_text == "Radera mitt konto"


@pytest.mark.parametrize("subject", ["Avregistrera", "Unsubscribe!"])
def test_one_word_subject_over_an_empty_body_is_read(subject: str) -> None:
    message = EmailMessage()
    message["From"] = "Kim <kim@kund.example>"
    message["To"] = "dataskydd@company.example"
    message["Subject"] = subject
    message.set_content("")
    assert prepare(parse(message.as_bytes())).new_text == subject


def test_a_cut_off_subject_over_no_body_is_not_read() -> None:
    raw = b"From: Kim <kim@kund.example>\r\nTo: dataskydd@company.example\r\nSubject: Fr"
    with pytest.raises(ParseError):
        parse(raw)


def test_a_forwarded_newsletter_is_the_forwarders_note() -> None:
    body = (
        "Hej, fick det här utskicket från en leverantör. Ska vi anmäla oss?\n/Lena\n\n"
        "---------- Forwarded message ---------\n"
        "From: Molnakademin <nyhetsbrev@molnakademin.example>\n"
        "Date: Mon, 1 Dec 2026 at 08:00\n"
        "Subject: Frukostseminarium om GDPR\n"
        "To: Lena <lena@kund.example>\n\n"
        "Lär dig hantera registerutdrag och radering i Microsoft 365.\n"
        "Vill du inte längre få våra utskick? Avregistrera dig här.\n"
    )
    prepared = prepare(mail(body, "Fwd: Frukostseminarium om GDPR"))
    assert not prepared.forwarded
    assert prepared.new_text.startswith("Hej, fick det här utskicket")
    assert "Avregistrera" not in prepared.new_text


def test_a_forward_between_two_addresses_of_one_domain_keeps_what_it_passes_on() -> None:
    # a daughter forwards her father's mail, both at one mail provider: the request is his text
    body = (
        "Hej, jag skickar vidare pappas mejl, kan ni hjälpa honom?\n\n"
        "---------- Forwarded message ---------\nFrom: Bo Berg <bo.berg@webmail.example>\n"
        "Date: Tue, Dec 1, 2026 at 9:00 AM\nSubject: mina uppgifter\nTo: <info@company.example>\n\n"
        "Hej, jag vill ha en kopia av alla uppgifter ni har om mig.\n"
    )
    prepared = prepare(mail(body, "Fwd: mina uppgifter", "Lo Berg <lo.berg@webmail.example>"))
    assert prepared.new_text.startswith("Hej, jag skickar vidare pappas mejl")
    assert "en kopia av alla uppgifter" in prepared.new_text
