"""What a data protection officer reads: drafts made from real mails through the spool and the
pipeline (ingest), checked for greeting, wording and what they promise."""

from __future__ import annotations

from dataclasses import replace
from email.message import EmailMessage

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from privbot.cases import store
from privbot.config import Config
from privbot.db import session_scope
from privbot.mail.spool import spool
from privbot.models import AuditEvent, Case, Message
from privbot.pipeline import Context, run
from privbot.replies import Replies

_count = iter(range(1, 10_000))


def mail(sender: str, subject: str, body: str, html: str = "", reply_to: str = "") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "Dataskydd <dataskydd@it-team.se>"
    if reply_to:
        msg["Reply-To"] = reply_to
    msg["Subject"] = subject
    msg["Message-ID"] = "<draft-%d@example.se>" % next(_count)
    msg["Date"] = "Wed, 02 Dec 2026 09:00:00 +0100"
    msg.set_content(body)
    if html:
        msg.add_alternative(html, subtype="html")
    return msg


def ingest(engine: Engine, ctx: Context, msg: EmailMessage) -> tuple[Case, str]:
    """Spool one mail, run the pipeline, return its case and the draft's body."""
    with session_scope(engine) as session:
        spool(session, msg.as_bytes(), "file")
    run(engine, ctx)
    with Session(engine) as session:
        case = session.exec(select(Case).order_by(Case.id.desc())).first()  # type: ignore[union-attr]
        assert case is not None
        draft = store.current_draft(session, case)
        assert draft is not None
        return case, draft.body


ERASE_SV = "Hej!\n\nJag vill att ni raderar alla uppgifter ni har om mig.\n\nMvh\nLinnea"
ERASE_EN = "Hello,\n\nPlease erase all personal data you hold about me.\n\nBest wishes\nLinnea"


# --- greeting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sender", "body", "greeting"),
    [
        ("Linnea Dahl <linnea.dahl@example.se>", ERASE_SV, "Hej Linnea,\n"),
        ('"Dahl, Linnea" <linnea.dahl@example.se>', ERASE_SV, "Hej Linnea,\n"),
        ("linnea.dahl@example.se", ERASE_SV, "Hej,\n"),
        ("Linnea Dahl <linnea.dahl@example.org>", ERASE_EN, "Dear Linnea,\n"),
        ("linnea.dahl@example.org", ERASE_EN, "Hello,\n"),
    ],
)
def test_greeting_uses_the_first_name_or_stays_neutral(
    engine: Engine, ctx: Context, sender: str, body: str, greeting: str
) -> None:
    case, text = ingest(engine, ctx, mail(sender, "Mina uppgifter", body))
    assert text.startswith(greeting)
    assert "Linnea Dahl" not in text and "!" not in text.splitlines()[0]


FORM_HTML = """<html><body><h2>Kontaktformulär – nytt ärende</h2>
<table border="1"><tr><td><b>Namn</b></td><td>Signe Lundmark</td></tr>
<tr><td><b>E-post</b></td><td><a href="mailto:signe@example.se">signe@example.se</a></td></tr>
<tr><td><b>Telefon</b></td><td></td></tr>
<tr><td><b>Ärende</b></td><td>Övrigt</td></tr>
<tr><td><b>Meddelande</b></td><td>Hej, skicka inga fler nyhetsbrev till mig, tack.</td></tr>
</table><p>Svara på mejlet för att nå personen.</p></body></html>"""


def form_ctx(ctx: Context) -> Context:
    """The site's contact forms are configured as form senders ([intake] form_senders)."""
    senders = ("noreply@it-team.se", "no-reply@it-team.se")
    return replace(ctx, config=replace(ctx.config, form_senders=senders))


def test_html_contact_form_greets_the_name_in_the_form(engine: Engine, ctx: Context) -> None:
    ctx = form_ctx(ctx)
    msg = mail(
        "IT-team webbformulär <noreply@it-team.se>",
        "Nytt meddelande från kontaktformuläret",
        "Se HTML-versionen.",
        html=FORM_HTML,
        reply_to="Signe Lundmark <signe@example.se>",
    )
    # The plain part is a stub; the form lives in the HTML part only.
    msg.get_body(("plain",)).set_content("")  # type: ignore[union-attr]
    case, text = ingest(engine, ctx, msg)
    assert case.requester_email == "signe@example.se"
    assert case.requester_name == "Signe Lundmark"
    assert case.intents[0] == "marketing_optout"  # the message field, not the "Ärende" menu
    assert text.startswith("Hej Signe,\n")
    assert "webbformulär" not in text


def test_contact_form_without_a_name_is_greeted_neutrally(engine: Engine, ctx: Context) -> None:
    ctx = form_ctx(ctx)
    body = (
        "Nytt meddelande via kontaktformuläret\n\nNamn:\nE-post: okand@example.se\n"
        "Telefon:\nMeddelande:\nJag vill att ni raderar mina personuppgifter.\n"
    )
    msg = mail("IT-team formulär <no-reply@it-team.se>", "Kontaktformulär", body)
    case, text = ingest(engine, ctx, msg)
    assert case.requester_email == "okand@example.se" and case.requester_name == ""
    assert text.startswith("Hej,\n")
    assert "formulär" not in text.splitlines()[0]


# --- nothing promised as done -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "promise", "never"),
    [
        (
            "Hej,\n\nSluta skicka nyhetsbrev och sms med erbjudanden till mig.\n\nHälsningar\nOla",
            "Vi kommer att stoppa all direktmarknadsföring till dig via e-post, sms och telefon",
            ["har nu stoppat", "har stoppat", "Av ditt meddelande framgår att du skriver för"],
        ),
        (
            "Hi,\n\nPlease unsubscribe me from your newsletter.\n\nThanks\nOla",
            "We will stop all direct marketing to you by email, text message and phone",
            ["have now stopped", "have stopped"],
        ),
    ],
)
def test_marketing_optout_says_we_will(
    engine: Engine, ctx: Context, body: str, promise: str, never: list[str]
) -> None:
    case, text = ingest(engine, ctx, mail("Ola Berg <ola@example.se>", "Utskick", body))
    assert case.intents[0] == "marketing_optout" and not case.third_party
    assert promise in text
    for phrase in never:
        assert phrase not in text


def test_erasure_after_verification_says_we_will(
    engine: Engine, ctx: Context, config: Config
) -> None:
    case, _ = ingest(engine, ctx, mail("Linnea Dahl <linnea@example.se>", "Radera", ERASE_SV))
    with session_scope(engine) as session:
        fresh = session.get(Case, case.id)
        assert fresh is not None
        fresh.identity_verified = True
        draft = store.make_draft(session, fresh, config, ctx.replies)
        assert "Vi kommer att radera de uppgifter om dig som vi inte längre behöver" in draft.body
        assert "raderar nu" not in draft.body and "är raderade" not in draft.body


# --- third-party requests ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "language", "expect"),
    [
        (
            "Hej,\n\nta bort alla på @firma.example från era utskick, vi vill inte ha mer "
            "reklam från er.\n\nMvh\nKim, IT-chef",
            "sv",
            [
                "till alla adresser på @firma.example",
                "Till din egen adress kommer vi att stoppa all direktmarknadsföring",
                "kommer vi också att stoppa marknadsföringen till de andra adresserna på "
                "@firma.example",
                "NOTE: Begäran gäller fler personer än avsändaren",
            ],
        ),
        (
            "Hej,\n\nsluta skicka nyhetsbrev till mig och mina kollegor.\n\nMvh\nKim",
            "sv",
            ["andra, till exempel dina kollegor", "de adresser du nämner"],
        ),
        (
            "Hello,\n\nplease unsubscribe my colleagues and me from your newsletter.\n\nKim",
            "en",
            [
                "other people, such as your colleagues",
                "For your own address, we will stop all direct marketing",
                "NOTE: This request covers more people than the sender",
            ],
        ),
    ],
)
def test_marketing_optout_for_others_is_a_third_party_request(
    engine: Engine, ctx: Context, body: str, language: str, expect: list[str]
) -> None:
    case, text = ingest(engine, ctx, mail("Kim Ek <kim@firma.example>", "Utskick", body))
    assert case.intents[0] == "marketing_optout" and case.language == language
    assert case.third_party
    with Session(engine) as session:
        actions = session.exec(select(AuditEvent.action).where(AuditEvent.case_id == case.id))
        assert "third_party_flagged" in list(actions)
    with Session(engine) as session:
        draft = store.current_draft(session, case)
        assert draft is not None
    for phrase in expect:
        if phrase.startswith("NOTE: "):  # notes for staff stay beside the text, never in it
            assert phrase.removeprefix("NOTE: ") in draft.notes
        else:
            assert phrase in text
    assert "OBS till" not in text and "NOTE TO STAFF" not in text
    # A mandate is asked for only where someone else's data would be disclosed or changed.
    assert "fullmakt" not in text and "power of attorney" not in text
    assert "har nu stoppat" not in text and "have now stopped" not in text


def test_erasure_for_a_whole_domain_asks_for_the_mandate(engine: Engine, ctx: Context) -> None:
    body = "Hej,\n\nradera alla uppgifter ni har om alla på @firma.example.\n\nMvh\nKim"
    case, text = ingest(engine, ctx, mail("Kim Ek <kim@firma.example>", "Radera", body))
    assert case.intents[0] == "erasure" and case.third_party
    assert "för någon annans räkning" in text and "fullmakt" in text


# --- consent withdrawal --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "language", "ask"),
    [
        (
            "Hej,\n\njag återkallar härmed mitt samtycke.\n\nMvh\nPer",
            "sv",
            "Av ditt meddelande framgår inte vilket samtycke det gäller.",
        ),
        (
            "Hello,\n\nI hereby withdraw my consent.\n\nRegards\nPer",
            "en",
            "Your message does not say which consent you mean.",
        ),
    ],
)
def test_consent_withdrawal_without_an_object_asks_which(
    engine: Engine, ctx: Context, body: str, language: str, ask: str
) -> None:
    case, text = ingest(engine, ctx, mail("Per Holm <per@example.se>", "Samtycke", body))
    assert case.intents == ["consent_withdrawal"] and case.language == language
    assert ask in text
    # Nothing is assumed: no newsletter is named as the withdrawn consent.
    for assumed in ("nyhetsbrev –", "samtycke till vårt nyhetsbrev", "consent to our newsletter"):
        assert assumed not in text
    assert "Vi har slutat" not in text and "We have stopped" not in text


CONSENT_CASES = [
    (
        ["recording"],
        "sv",
        "Du har återkallat ditt samtycke till inspelning av dina samtal med oss.",
    ),
    (
        ["newsletter", "surveys"],
        "sv",
        "Du har återkallat ditt samtycke till vårt nyhetsbrev och kundundersökningar.",
    ),
    (["calls"], "en", "You have withdrawn your consent to phone calls from us."),
    (["cookies"], "en", "You have withdrawn your consent to cookies on our website."),
]


@pytest.mark.parametrize(("consents", "language", "sentence"), CONSENT_CASES)
def test_consent_withdrawal_names_what_the_classifier_found(
    engine: Engine,
    ctx: Context,
    config: Config,
    consents: list[str],
    language: str,
    sentence: str,
) -> None:
    """The draft reads the classification's `objects` for consent_withdrawal (set by the
    classifier) off the case's first message; here they are written into the stored
    classification of a real case."""
    body = {
        "sv": "Hej,\n\njag återkallar mitt samtycke.\n\nPer",
        "en": "Hello,\n\nI withdraw my consent.\n\nPer",
    }[language]
    case, _ = ingest(engine, ctx, mail("Per Holm <per@example.se>", "Samtycke", body))
    with session_scope(engine) as session:
        first = store.thread_messages(session, session.get(Case, case.id))[0]  # type: ignore[arg-type]
        first.classification = {
            **first.classification,
            "objects": {"consent_withdrawal": consents},
        }
        session.add(first)
        session.flush()
        draft = store.make_draft(session, session.get(Case, case.id), config, ctx.replies)  # type: ignore[arg-type]
        assert sentence in draft.body
        assert ("framgår inte vilket" not in draft.body) and (
            "does not say which" not in draft.body
        )
        others = {"recording", "newsletter", "surveys", "calls", "cookies"} - set(consents)
        names = {"recording": "inspelning", "newsletter": "nyhetsbrev", "surveys": "undersökning"}
        for other in others & names.keys():
            if language == "sv":
                assert names[other] not in draft.body


def test_every_consent_object_has_wording_in_both_languages(ctx: Context, config: Config) -> None:
    replies: Replies = ctx.replies
    for language in ("sv", "en"):
        env = replies._environments[language]  # noqa: SLF001
        objects = env.get_template("_consent.j2").module.consent_objects  # type: ignore[attr-defined]
        assert set(objects) == {"newsletter", "calls", "surveys", "recording", "cookies"}
        assert all(o["what"] and o["stop"] for o in objects.values())


# --- questions answered from the policy ----------------------------------------------------


@pytest.mark.parametrize(
    ("body", "language", "answer", "citation"),
    [
        (
            "Hej!\n\nHur länge sparar ni mina personuppgifter?\n\nMvh\nEva",
            "sv",
            "Vi sparar dina uppgifter bara så länge de behövs",
            "(Enligt avsnitt 8.1 i vår integritetspolicy.)",
        ),
        (
            "Hej,\n\nSäljer ni mina personuppgifter till andra företag?\n\nEva",
            "sv",
            "Vi säljer aldrig personuppgifter.",
            "(Enligt avsnitt 9.1 i vår integritetspolicy.)",
        ),
        (
            "Hello,\n\nDo you transfer my personal data outside the EU?\n\nThanks, Eva",
            "en",
            "data may be transferred there",
            "(According to section 9.3 of our privacy policy.)",
        ),
    ],
)
def test_question_is_answered_from_the_policy_citing_its_section(
    engine: Engine, ctx: Context, body: str, language: str, answer: str, citation: str
) -> None:
    case, text = ingest(engine, ctx, mail("Eva Berg <eva@example.se>", "En fråga", body))
    assert case.intents == ["question"] and case.language == language
    assert answer in text and citation in text
    assert "Skriv svaret" not in text and "Write the answer" not in text


def test_question_the_policy_does_not_answer_keeps_the_placeholder(
    engine: Engine, ctx: Context
) -> None:
    body = "Hej,\n\nJag har en fråga om personuppgifter: har ni kontor i Göteborg?\n\nEva"
    case, text = ingest(engine, ctx, mail("Eva Berg <eva@example.se>", "Fråga", body))
    assert case.intents == ["question"]
    assert "[[Svaret på frågan]]" in text  # the placeholder approval refuses until filled
    assert "Enligt avsnitt" not in text


# --- reply language ------------------------------------------------------------------------


def detected_language(engine: Engine, case: Case) -> str:
    """The language the classifier named for the case's first message (shown on the case page)."""
    with Session(engine) as session:
        first = session.exec(select(Message).where(Message.case_id == case.id)).first()
        assert first is not None
        return str(first.classification["language"])


@pytest.mark.parametrize(
    ("body", "detected", "reply"),
    [
        (
            "Hei! Jeg ber dere slette alle personopplysninger dere har om meg. Hilsen Ola",
            "no",
            "sv",
        ),
        ("Hej! Jeg beder jer slette alle oplysninger I har om mig. Hilsen Mette", "da", "sv"),
        ("Hei! Pyydän poistamaan kaikki minua koskevat henkilötiedot. Terveisin Aino", "fi", "en"),
        ("Guten Tag, bitte löschen Sie alle meine Daten bei Ihnen. Grüße, Jonas", "de", "en"),
    ],
)
def test_the_reply_goes_out_in_swedish_for_nordic_mail_and_in_english_otherwise(
    engine: Engine, ctx: Context, body: str, detected: str, reply: str
) -> None:
    case, draft = ingest(engine, ctx, mail("Kim <kim@example.eu>", "GDPR", body))
    assert detected_language(engine, case) == detected and "erasure" in case.intents
    assert case.language == reply
    with Session(engine) as session:
        stored = store.current_draft(session, case)
        assert stored is not None and stored.language == reply
    marker = {"sv": "Du har bett oss radera", "en": "You have asked us to erase"}[reply]
    assert marker in draft


def test_the_reply_language_is_configurable(engine: Engine, config: Config) -> None:
    finnish = replace(config, reply_languages={**config.reply_languages, "fi": "sv"})
    body = "Hei! Pyydän poistamaan kaikki minua koskevat henkilötiedot. Terveisin Aino"
    case, draft = ingest(
        engine, Context.load(finnish), mail("Aino <aino@example.fi>", "Tiedot", body)
    )
    assert detected_language(engine, case) == "fi" and case.language == "sv"
    assert "Du har bett oss radera" in draft
