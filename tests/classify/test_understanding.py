"""Intents that need more than one fixed phrase: breach reports, composed requests, languages.

Every example is written for this file; none comes from a corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from privbot.classify.intents import RuleSet, load_intents
from privbot.classify.language import detect_language
from privbot.classify.match import classify, classify_text
from privbot.classify.normalise import NOT, normalise
from privbot.mail.parse import parse

INTENTS_DIR = Path(__file__).resolve().parents[2] / "intents"


@pytest.fixture(scope="module")
def intents() -> RuleSet:
    return load_intents(INTENTS_DIR)


BREACH = [
    (
        "Ert utskick",
        "Hej! Ert senaste nyhetsbrev gick ut med alla mottagares adresser synliga för alla, "
        "så nu kan vem som helst se min e-post. Det här måste vara en personuppgiftsincident.",
    ),
    (
        "Your mailing",
        "Hi, your invitation yesterday was sent with every recipient visible in the To field "
        "(cc instead of bcc). My private address is now exposed to 300 strangers.",
    ),
    (
        "Fel kund",
        "När jag loggade in på mina sidor såg jag någon annans uppgifter, med namn och adress.",
    ),
]


@pytest.mark.parametrize(("subject", "body"), BREACH, ids=["sv-visible", "en-cc", "sv-other"])
def test_breach_reports_are_breach(intents: RuleSet, subject: str, body: str) -> None:
    result = classify_text(subject, body, intents)
    assert result.intents[0] == "breach", result.evidence


def test_delete_what_you_hold_is_not_access(intents: RuleSet) -> None:
    body = "Please delete all personal data you hold about me, and confirm when it is done."
    result = classify_text("Deletion", body, intents)
    assert result.intents == ("erasure",), result.evidence


# Plain requests without the legal words: an action, an object, a request mood.
PLAIN = [
    (
        "sv",
        "Min adress hamnade hos er av misstag. Jag vill att den tas bort ur alla system.",
        "erasure",
    ),
    ("sv", "Jag vill inte bli uppringd av era säljare mer.", "marketing_optout"),
    (
        "en",
        "I am switching firms. Please send my tickets and purchases as a CSV file so the new company can import them.",
        "portability",
    ),
    (
        "sv",
        "För ett år sedan kryssade jag i att ni fick använda min bild. Det godkännandet tar jag tillbaka nu.",
        "consent_withdrawal",
    ),
    (
        "en",
        "I was not offered the job. I would like my CV and the recruitment notes to be deleted.",
        "erasure",
    ),
    ("sv", "Efternamnet är felstavat i mitt konto, det ska vara Lindqvist.", "rectification"),
    ("en", "Please freeze the use of my data until the dispute is settled.", "restriction"),
    ("en", "I object to you analysing my purchases for targeted offers.", "objection"),
]


@pytest.mark.parametrize(("lang", "body", "intent"), PLAIN, ids=[p[2] for p in PLAIN])
def test_plain_requests(intents: RuleSet, lang: str, body: str, intent: str) -> None:
    result = classify_text("", body, intents)
    assert intent in result.intents, result.evidence
    assert result.language == lang


def test_evidence_names_action_object_and_cue(intents: RuleSet) -> None:
    result = classify_text("", "Hej! Jag vill att ni raderar alla mina gamla uppgifter.", intents)
    rule = next(e for e in result.evidence if e.action)
    assert rule.intent == "erasure"
    assert rule.action.startswith("delete: raderar")
    assert rule.obj.startswith("my_data: uppgifter")
    assert rule.cue.startswith("request:")
    shown = rule.as_json()
    assert {"action", "object", "cue"} <= set(shown)


@pytest.mark.parametrize(
    "body",
    [
        "Jag vill INTE att ni tar bort mina uppgifter.",
        "Ta inte bort mitt konto, jag använder det.",
        "Om jag skulle be er radera mina uppgifter, hur lång tid tar det?",
    ],
)
def test_negated_and_hypothetical_requests_do_not_count(intents: RuleSet, body: str) -> None:
    assert "erasure" not in classify_text("", body, intents).intents


def test_objects_of_a_withdrawal_are_named(intents: RuleSet) -> None:
    body = "Jag återkallar mitt samtycke till att ni spelar in mina samtal med kundtjänst."
    result = classify_text("", body, intents)
    assert result.intents[0] == "consent_withdrawal"
    assert "recording" in result.objects["consent_withdrawal"]
    body = "Please stop sending me the newsletter and the customer surveys."
    result = classify_text("", body, intents)
    assert set(result.objects["marketing_optout"]) >= {"newsletter", "surveys"}
    assert result.as_json()["objects"] == {k: list(v) for k, v in result.objects.items()}


# The core request of every intent in the other languages privbot reads (own examples).
OTHER_LANGUAGES = [
    (
        "no",
        "Hei, jeg ønsker at dere sletter alle mine personopplysninger. Vennlig hilsen Ola",
        "erasure",
    ),
    (
        "da",
        "Hej, jeg vil gerne have en kopi af de oplysninger I har om mig. Venlig hilsen Mette",
        "access",
    ),
    (
        "fi",
        "Hei, pyydän että poistatte kaikki tietoni rekisteristänne. Ystävällisin terveisin Aino",
        "erasure",
    ),
    (
        "de",
        "Sehr geehrte Damen und Herren, bitte löschen Sie alle meine Daten. Mit freundlichen Grüßen",
        "erasure",
    ),
    ("pl", "Dzień dobry, proszę o usunięcie moich danych osobowych. Pozdrawiam, Anna", "erasure"),
    (
        "fr",
        "Bonjour, je souhaite que vous supprimiez mes données personnelles. Cordialement, Marie",
        "erasure",
    ),
    ("es", "Hola, por favor eliminen todos mis datos personales. Saludos, Lucía", "erasure"),
    (
        "de",
        "Hallo, ich möchte keine Werbung und keinen Newsletter mehr von Ihnen bekommen. Danke",
        "marketing_optout",
    ),
    (
        "fr",
        "Bonjour, je retire mon consentement à l'enregistrement de mes appels. Merci",
        "consent_withdrawal",
    ),
    (
        "es",
        "Hola, mi dirección es incorrecta, por favor corrijan mis datos. Gracias",
        "rectification",
    ),
    ("pl", "Dzień dobry, proszę przesłać mi kopię moich danych. Dziękuję", "access"),
    (
        "fi",
        "Hei, haluan siirtää tietoni uudelle palveluntarjoajalle CSV-tiedostona. Kiitos",
        "portability",
    ),
    ("no", "Hei, jeg protesterer mot profilering av mine kjøp. Hilsen Kari", "objection"),
]


@pytest.mark.parametrize(
    ("lang", "body", "intent"), OTHER_LANGUAGES, ids=[f"{o[0]}-{o[2]}" for o in OTHER_LANGUAGES]
)
def test_other_languages(intents: RuleSet, lang: str, body: str, intent: str) -> None:
    result = classify_text("", body, intents)
    assert intent in result.intents, result.evidence
    assert result.language == lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hej, jag vill veta vilka uppgifter ni har om mig. Tack på förhand!", "sv"),
        ("Hej, jag vill veta vilka uppgifter ni har om mig. Tack pa forhand!", "sv"),
        ("Hello, could you please tell me what data you hold about me? Thanks", "en"),
        ("Hei, kan dere fortelle meg hva slags opplysninger dere har om meg? Takk", "no"),
        ("Hej, kan I fortælle mig hvad for oplysninger I har om mig? Tak", "da"),
        # Danish and Norwegian share most words; "jer", "noget", "længe" are Danish alone
        ("Hvor længe gemmer I noget om jeres kunder, og hvem kan se det? Peter", "da"),
        ("Hvor lenge lagrer dere noe om kundene, og hvem kan se det? Hei fra Per", "no"),
        ("Tere! Palun saatke mulle koopia minu isikuandmetest. Lugupidamisega", "other"),
        (
            "Hi / Hej, jag skriver på svenska and English because my Swedish is not so good, "
            "men jag hoppas att ni förstår vad jag menar and what I want.",
            "other",
        ),
        (  # the same notice twice, paragraph by paragraph: the first paragraph's language
            "Hej! Jag är på semester hela veckan och svarar på mejl när jag är tillbaka.\n\n"
            "Hi! I am on vacation all week and will answer your mail when I am back.",
            "sv",
        ),
        (
            "We could not deliver your message to the address you gave because it does not "
            "exist.\n\nHej Kim, tack för ditt mejl om dina uppgifter, vi återkommer inom kort.",
            "en",
        ),
    ],
)
def test_language_is_named(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    ("body", "intent"),
    [
        ("Palun saatke mulle koopia vastavalt artiklile 15.", "access"),  # Estonian
        ("Zgodnie z artykułem 17 RODO wnoszę o wszystko.", "erasure"),  # Polish
        ("Conforme al artículo 20 del reglamento, gracias.", "portability"),  # Spanish
    ],
)
def test_an_article_number_names_the_right_in_any_language(
    intents: RuleSet, body: str, intent: str
) -> None:
    assert classify_text("", body, intents).intents[0] == intent


@pytest.mark.parametrize(
    "body",
    [
        "Bitte senden Sie mir keine Werbung mehr.",
        "Proszę nie wysyłać mi ofert.",
        "Älkää lähettäkö minulle mainoksia.",
        "Por favor, no me envíen más ofertas.",
    ],
)
def test_a_refusal_around_its_object_is_an_optout(intents: RuleSet, body: str) -> None:
    assert "marketing_optout" in classify_text("", body, intents).intents


def test_a_request_in_a_sentence_of_its_own_stands_beside_the_one_it_yields_to(
    intents: RuleSet,
) -> None:
    body = (
        "Two things. First, tell me what information you keep about me.\n\n"
        "Second, we are moving to a new supplier: please export my service tickets as a CSV "
        "file their system can import."
    )
    assert set(classify_text("", body, intents).intents) == {"access", "portability"}
    one = "Please send my service tickets as a CSV file that the new supplier can import."
    assert classify_text("", one, intents).intents == ("portability",)


@pytest.mark.parametrize(
    "body",
    [
        "You lost my details and then mailed me again. I am really upset, how is that possible?",
        "Jag är mycket kritisk till hur ni har hanterat min adress och vill veta varför.",
    ],
)
def test_dissatisfaction_is_a_complaint(intents: RuleSet, body: str) -> None:
    assert "complaint" in classify_text("", body, intents).intents


@pytest.mark.parametrize(
    ("body", "wrong"),
    [
        (
            "Ni får gärna spara mina uppgifter så länge jag är kund, det är helt okej.",
            "restriction",
        ),
        ("Min nya dator fick en skada i frakten, kan ni byta den?", "access"),
        ("Hälsningar från Anders på kontoret, vi hörs om offerten.", "rectification"),
    ],
)
def test_words_of_other_languages_match_as_written_not_by_swedish_stems(
    intents: RuleSet, body: str, wrong: str
) -> None:
    """Danish "spærre" folds to "sparre", German "Daten" is near "dator", "ändern" begins
    "anders": none of them may be read into a Swedish sentence."""
    assert wrong not in classify_text("", body, intents).intents


@pytest.mark.parametrize(
    "body",
    [
        "När jag handlade kryssade jag i rutan om utskick. Kan ni ta tillbaka det?",
        "I said yes to your photo release at the fair. I have changed my mind.",
    ],
)
def test_a_consent_given_in_an_earlier_sentence_is_withdrawn(intents: RuleSet, body: str) -> None:
    assert "consent_withdrawal" in classify_text("", body, intents).intents


@pytest.mark.parametrize(
    "body",
    [
        "Hej! Kan ni mejla mig en kopia på kvittot för skrivaren jag köpte i maj?",
        "Could you send me a copy of the signed service agreement for our records?",
    ],
)
def test_a_copy_of_a_business_document_is_not_access(intents: RuleSet, body: str) -> None:
    assert "access" not in classify_text("", body, intents).intents


def test_one_piece_of_contact_data_erased_and_data_made_to_disappear(intents: RuleSet) -> None:
    assert (
        "erasure" in classify_text("", "Stryk mitt mobilnummer ur kundregistret.", intents).intents
    )
    body = "I want every detail you have on me to disappear from your systems."
    assert "erasure" in classify_text("", body, intents).intents


def test_a_purchase_of_something_compliant_is_not_a_complaint(intents: RuleSet) -> None:
    body = "Can you quote us a GDPR compliant backup service for our twelve laptops?"
    assert "complaint" not in classify_text("", body, intents).intents


def test_a_right_address_is_not_a_request_to_correct_it(intents: RuleSet) -> None:
    """ "rätt" (right) shares its stem with "rätta" (correct): only "rätta…" is the action."""
    body = "Det var rätt person som svarade och mitt namn stämde, tack."
    result = classify_text("", body, intents)
    assert not any(e.action.startswith("correct") for e in result.evidence), result.evidence
    assert "rectification" not in result.intents


def test_a_writer_who_types_diacritics_means_andra_by_andra(intents: RuleSet) -> None:
    """Folded, "ändra" (change) is "andra" (others); only a writer without å, ä, ö means it."""
    shared = "Vår förening delade min adress med andra medlemmar på årsmötet."
    assert "rectification" not in classify_text("", shared, intents).intents
    plain = "Kan ni andra min adress till Storgatan 1 i Solna?"
    assert "rectification" in classify_text("", plain, intents).intents


@pytest.mark.parametrize(
    ("body", "wrong"),
    [
        (
            "My new surname applies from the end of the month, so please use it from then.",
            "objection",
        ),
        ("Jag vill inte att min person nämns i er kundtidning.", "objection"),
    ],
)
def test_words_the_english_stemmer_cuts_short_do_not_match(
    intents: RuleSet, body: str, wrong: str
) -> None:
    """ "end" (the noun) is not "stop"; "person" is not "personalized" (stem "person")."""
    assert wrong not in classify_text("", body, intents).intents


def test_a_negation_in_the_next_clause_does_not_cancel_a_correction(intents: RuleSet) -> None:
    body = (
        "My surname is misspelt on my account, please correct my name. "
        "Until it is fixed, please don't use the old spelling on the invoices."
    )
    result = classify_text("", body, intents)
    assert "rectification" in result.intents, result.evidence


def test_wrong_data_that_must_be_put_right_is_a_rectification(intents: RuleSet) -> None:
    body = "Ni har mitt födelseår som 1961 men det stämmer inte. Det måste bli rätt."
    assert "rectification" in classify_text("", body, intents).intents


def test_an_until_is_not_negated_by_the_request_before_it(intents: RuleSet) -> None:
    body = "Använd inte min adress till något alls förrän ni har rett ut vems den är."
    assert classify_text("", body, intents).intents[0] == "restriction"


def test_not_wanting_data_to_remain_is_erasure(intents: RuleSet) -> None:
    body = "Jag vill inte att min ansökan och mina betyg finns kvar hos er efter rekryteringen."
    assert "erasure" in classify_text("", body, intents).intents


def test_an_object_in_the_clause_after_but_is_not_the_actions(intents: RuleSet) -> None:
    """ "I don't want you to delete anything, but the data may not be used": the "don't want"
    is about deleting, not about the use in the next clause."""
    body = "Jag vill inte att ni raderar något, men uppgifterna får inte användas till något annat."
    evidence = classify_text("", body, intents).evidence
    assert not any(
        e.action.startswith("not_want_that") and "användas" in e.obj for e in evidence
    ), evidence


@pytest.mark.parametrize(
    "body",
    [
        "Jag återkallar mitt samtycke till att ni spelar in mina samtal med kundtjänst.",
        "I withdraw my consent to you recording my calls with your support desk.",
    ],
)
def test_withdrawing_call_recording_is_not_withdrawing_calls(intents: RuleSet, body: str) -> None:
    """The reply names what was withdrawn: the recording of calls, not being called."""
    assert classify_text("", body, intents).objects == {"consent_withdrawal": ("recording",)}


def test_an_address_or_link_is_not_read_as_words() -> None:
    # "data@…" would otherwise be "my data", and the dots in it would end sentences
    norm = normalise(
        "Skicka fakturan till data@ekdalens-bygg.example eller se www.ekdalen.example/info tack"
    )
    assert [t.word for t in norm.tokens] == ["skicka", "fakturan", "till", "eller", "se", "tack"]
    assert {t.sentence for t in norm.tokens} == {0}


@pytest.mark.parametrize(
    ("body", "intent"),
    [
        ("Går det att ni raderar mitt konto och allt ni sparat om mig?", "erasure"),
        ("Is it possible to get a copy of the personal data you hold about me?", "access"),
        ("Er det mulig at dere sletter kontoen min?", "erasure"),
    ],
    ids=["sv-gar-det", "en-is-it-possible", "no-er-det-mulig"],
)
def test_a_polite_question_is_a_request(intents: RuleSet, body: str, intent: str) -> None:
    result = classify_text("", body, intents)
    assert result.intents[:1] == (intent,), result.evidence


# Restriction without its legal name: keep but do not use, while something is settled.
RESTRICTION = [
    (
        "Radera inte",
        "Radera inte mina uppgifter ännu, jag behöver dem i en tvist med min hyresvärd. "
        "Men använd dem inte till något annat.",
    ),
    (
        "Keep it",
        "Do not delete my account data, I need it as evidence in court next spring.",
    ),
    (
        "Hold",
        "Could you block my details from any further use while the complaint I sent is "
        "being looked into?",
    ),
    (
        "Sperre",
        "Bitte schränken Sie die Verarbeitung meiner Daten ein, bis der Fehler geklärt ist.",
    ),
]


@pytest.mark.parametrize(
    ("subject", "body"), RESTRICTION, ids=["sv-keep", "en-court", "en-while", "de"]
)
def test_keep_but_do_not_use_is_restriction(intents: RuleSet, subject: str, body: str) -> None:
    # what a while- or until-clause names (a complaint, an objection) is its condition
    result = classify_text(subject, body, intents)
    assert result.intents == ("restriction",), result.evidence


def test_french_elision_is_read_as_two_words(intents: RuleSet) -> None:
    result = classify_text(
        "Données", "Je vous demande d'effacer l'ensemble de mes données.", intents
    )
    assert result.intents == ("erasure",), result.evidence


def test_an_object_in_the_question_after_a_comma(intents: RuleSet) -> None:
    # Finnish and German set the question that completes "know" apart with a comma
    body = "Haluan tietää, mitä henkilötietoja teillä on minusta tallennettuna."
    assert classify_text("", body, intents).intents == ("access",)


def test_remove_all_about_me_is_not_unsubscribing(intents: RuleSet) -> None:
    body = "Jag har sagt upp mitt avtal. Ta bort allt ni har om mig."
    assert classify_text("Uppsägning", body, intents).intents == ("erasure",)


def test_two_full_requests_in_one_sentence_both_stand(intents: RuleSet) -> None:
    body = "Stop sending me your promotions and erase my details from your customer database."
    result = classify_text("Enough", body, intents)
    assert set(result.intents) == {"marketing_optout", "erasure"}, result.evidence


def test_someone_elses_account_is_not_my_data(intents: RuleSet) -> None:
    # an administrator about a colleague who left: "his account" is not the writer's own
    body = "Vår kollega Nils har slutat. Kan ni flytta hans filer till den gemensamma disken?"
    result = classify_text("Slutat", body, intents)
    assert "portability" not in result.intents, result.evidence


def test_who_is_your_dpo_is_a_question(intents: RuleSet) -> None:
    result = classify_text(
        "DPO", "Who is your data protection officer and how do I reach them?", intents
    )
    assert result.intents == ("question",), result.evidence


def _reply(body: str, quoted: str) -> bytes:
    lines = "\n".join(f"> {line}".rstrip() for line in quoted.splitlines())
    return (
        "From: Ebba Lund <ebba@example.net>\nTo: dataskydd@example.se\n"
        "Subject: Re: Ditt ärende [DS-2026-0042]\nMessage-ID: <r1@example.net>\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        f"{body}\n\nDen 3 dec. 2026 skrev Dataskydd <dataskydd@example.se>:\n{lines}\n"
    ).encode()


def test_a_short_yes_takes_its_request_from_the_quoted_question(intents: RuleSet) -> None:
    quoted = (
        "Hej Ebba,\n\nVi har tagit bort dig från vårt nyhetsbrev.\n\n"
        "Vill du att vi även raderar ditt kundkonto och uppgifterna som hör till det?\n"
        "Svara på det här mejlet.\n"
    )
    result = classify(parse(_reply("Ja, gör det.", quoted)), intents)
    assert result.intents == ("erasure",), result.evidence
    assert result.needs_review
    assert {e.where for e in result.evidence} == {"quoted"}
    # a short thanks agrees to nothing: it stays "other"
    assert classify(parse(_reply("Tack så mycket!", quoted)), intents).intents == ("other",)


def test_a_list_lead_asks_for_each_item(intents: RuleSet) -> None:
    body = (
        "Hej,\n\nJag vill ha följande:\n1. en kopia av uppgifterna ni har om mig\n"
        "2. min köphistorik som Excel-fil till min nya leverantör\n\nMvh Ida"
    )
    result = classify_text("Två önskemål", body, intents)
    assert set(result.intents) == {"access", "portability"}, result.evidence


def test_a_list_item_that_asks_its_own_question_is_not_the_leads_object(
    intents: RuleSet,
) -> None:
    body = (
        "Inför revisionen behöver vi veta:\n1. Har ni ett biträdesavtal med oss?\n"
        "2. Var lagras våra uppgifter?"
    )
    assert "access" not in classify_text("Revision", body, intents).intents


def test_item_numbers_are_breaks_not_words() -> None:
    norm = normalise("Jag vill:\n1. radera\n2) skicka\nJag betalade 200. Tack")
    assert [t.word for t in norm.tokens] == [
        "jag",
        "vill",
        "radera",
        "skicka",
        "jag",
        "betalade",
        "200",
        "tack",
    ]
    assert [t.sentence for t in norm.tokens][:4] == [0, 0, 1, 2]


def test_a_word_in_a_company_name_is_not_an_object(intents: RuleSet) -> None:
    body = "Vi vill meddela att Holm Data AB flyttar till nya lokaler i Solna den 1 maj."
    assert "portability" not in classify_text("Flytt", body, intents).intents


@pytest.mark.parametrize(
    ("body", "intent"),
    [
        ("Jag har kvar gamla kunduppgifter hos er sedan 2015. Släng dem, tack.", "erasure"),
        ("You still have my old order history. Please get rid of it.", "erasure"),
        ("Ni har min gamla adress i registret. Kan ni rätta den?", "rectification"),
    ],
    ids=["sv-dem", "en-it", "sv-den"],
)
def test_a_pronoun_stands_for_the_object_named_before(
    intents: RuleSet, body: str, intent: str
) -> None:
    assert intent in classify_text("", body, intents).intents


def test_a_pronoun_in_a_statement_is_not_an_object(intents: RuleSet) -> None:
    body = "Jag fick en faktura i går. Det var fel belopp på den, men det är redan löst."
    assert "rectification" not in classify_text("Faktura", body, intents).intents


def test_do_not_delete_them_is_not_erasure(intents: RuleSet) -> None:
    body = (
        "Ni har mina uppgifter från reklamationen. Radera dem inte, jag kan behöva dem i en tvist."
    )
    assert "erasure" not in classify_text("Reklamation", body, intents).intents


@pytest.mark.parametrize(
    "body",
    [
        "Jag vill inte längre finnas i era register.",
        "I do not want to exist in your systems any more.",
    ],
    ids=["sv", "en"],
)
def test_not_to_be_in_your_records_is_erasure(intents: RuleSet, body: str) -> None:
    assert classify_text("", body, intents).intents == ("erasure",)


@pytest.mark.parametrize(
    ("subject", "body", "not_intent"),
    [
        (
            "Backup",
            "We need to restore a removed folder from the backup of our file server.",
            "erasure",
        ),
        (
            "Full inkorg",
            "Min inkorg är full och jag kan inte ta emot mejl. Kan ni arkivera gamla?",
            "marketing_optout",
        ),
        (
            "Mailbox",
            "My mailbox is full and I can't receive emails from customers.",
            "marketing_optout",
        ),
        ("Fakturan", "Fakturan har fel organisationsnummer, kan ni skicka en ny?", "rectification"),
    ],
    ids=["participle", "sv-cannot", "en-cannot", "business-number"],
)
def test_it_and_business_mail_is_not_a_right(
    intents: RuleSet, subject: str, body: str, not_intent: str
) -> None:
    assert not_intent not in classify_text(subject, body, intents).intents


def test_an_ignored_request_is_a_complaint(intents: RuleSet) -> None:
    body = (
        "Jag bad er sluta ringa mig redan i maj, men ni ringde igen i går. Det är "
        "oacceptabelt och jag är inte alls nöjd med hur ni har hanterat det."
    )
    assert "complaint" in classify_text("Samtal", body, intents).intents


def test_correct_it_to(intents: RuleSet) -> None:
    body = "Ni har mitt gamla efternamn. Kan ni ändra det till Lindgren?"
    assert classify_text("Namnbyte", body, intents).intents == ("rectification",)


def test_inga_is_none_but_inga_with_a_ring_is_not_a_negation() -> None:
    assert normalise("inga fler mejl").tokens[0].sv == NOT
    assert normalise("mina uppgifter ska ingå i statistiken").tokens[3].sv != NOT


def test_objecting_to_being_part_of_statistics(intents: RuleSet) -> None:
    body = "Ni gör statistik på kundernas köp. Jag vill inte att mina uppgifter ska ingå i den."
    assert classify_text("Statistik", body, intents).intents == ("objection",)


def test_an_object_that_opens_the_sentence_may_stand_far_from_its_verb(
    intents: RuleSet,
) -> None:
    body = "Hej. Mitt gamla mobilnummer vill jag faktiskt att ni stryker helt ur systemet."
    assert "erasure" in classify_text("Nummer", body, intents).intents


def test_one_request_read_two_ways_is_reported_once(intents: RuleSet) -> None:
    # "skicka över" is both "send me" and "move": the transfer is what is asked
    body = "Går det att ni skickar över det jag har registrerat hos er till Datahuset i Kista?"
    assert classify_text("Byte", body, intents).intents == ("portability",)


def test_a_use_ruled_out_is_an_objection(intents: RuleSet) -> None:
    body = (
        "Ni får gärna använda min historik för att felsöka min dator, "
        "men inte för analyser av hur jag använder era tjänster."
    )
    assert "objection" in classify_text("Min historik", body, intents).intents


def test_where_did_you_get_my_number_is_access(intents: RuleSet) -> None:
    body = "Sluta ringa mig med erbjudanden. Och varifrån har ni mitt nummer? Jag har aldrig lämnat det."
    assert set(classify_text("Samtal", body, intents).intents) == {"marketing_optout", "access"}


def test_stop_while_you_consider_my_objection_is_restriction_too(intents: RuleSet) -> None:
    body = (
        "Jag invänder mot att ni analyserar mina köp. Medan ni prövar min invändning "
        "vill jag att ni slutar behandla mina uppgifter."
    )
    result = classify_text("Invändning", body, intents)
    assert set(result.intents) == {"objection", "restriction"}, result.evidence


def test_store_but_do_not_use_it_until_told_is_restriction(intents: RuleSet) -> None:
    body = "You may store my details, but please do not use them for anything until I say so."
    assert classify_text("Hold", body, intents).intents == ("restriction",)


def test_do_you_keep_my_history_is_a_question(intents: RuleSet) -> None:
    body = "On what legal basis do you keep my order history after the warranty has expired?"
    assert classify_text("Legal basis", body, intents).intents == ("question",)


def test_a_consent_denied_after_the_fact_is_withdrawn(intents: RuleSet) -> None:
    body = "I ticked the box for your partner offers last year. I've changed my mind and no longer agree to that."
    assert classify_text("Partners", body, intents).intents[:1] == ("consent_withdrawal",)


def test_keep_before_an_ing_verb_goes_on_it_does_not_retain(intents: RuleSet) -> None:
    body = (
        "I don't want you to keep analysing my data for your product statistics. Please stop that."
    )
    result = classify_text("Statistics", body, intents)
    assert "erasure" not in result.intents, result.evidence
    assert "objection" in result.intents


def test_an_object_after_a_list_still_belongs_to_its_verb(intents: RuleSet) -> None:
    body = (
        "Could you export my devices, licences, warranty dates and ticket history into a "
        "spreadsheet? We are moving to a new IT firm."
    )
    assert classify_text("Export", body, intents).intents == ("portability",)


def test_a_sentence_break_still_ends_a_list(intents: RuleSet) -> None:
    # the verb and the format are in different sentences: no transfer is asked
    body = "Please send my invoices, receipts and contracts. Our accountant prefers Excel."
    assert "portability" not in classify_text("Papers", body, intents).intents


def test_weak_words_alone_do_not_make_a_request(intents: RuleSet) -> None:
    # "raderar" (0.4) and a subject word add up to more than half, but none is strong
    body = "Hur raderar man gamla filer från OneDrive så att det blir plats? Lagringen är full."
    assert classify_text("Radera filer", body, intents).intents == ("other",)


def test_a_finnish_withdrawal_is_not_also_an_objection(intents: RuleSet) -> None:
    body = "Hei, peruutan suostumukseni tietojeni käsittelyyn. Terveisin Aino"
    assert classify_text("Suostumus", body, intents).intents == ("consent_withdrawal",)


def test_a_french_misspelt_name_is_to_be_corrected(intents: RuleSet) -> None:
    body = "Bonjour, mon prénom est mal orthographié sur vos factures. Cordialement, Hélène"
    assert classify_text("Erreur", body, intents).intents == ("rectification",)


def test_what_a_thank_you_names_was_done_not_asked(intents: RuleSet) -> None:
    body = "Hej! Tack för utdraget, jag har läst igenom det. Allt verkar rätt."
    assert classify_text("Re: Ditt registerutdrag", body, intents).intents == ("other",)
    body = "Thanks for sending my data so quickly, it all looks correct."
    assert classify_text("Re: Your access request", body, intents).intents == ("other",)
    # a request after the thank-you stands
    body = "Tack för utdraget! Nu vill jag att ni raderar mitt konto och allt om mig."
    assert classify_text("Re: Ditt registerutdrag", body, intents).intents == ("erasure",)


def test_thanks_in_advance_asks(intents: RuleSet) -> None:
    body = "Hej, tack på förhand för ett registerutdrag med allt ni har om mig."
    assert classify_text("Utdrag", body, intents).intents == ("access",)
    # an att-clause says its own tense: present asks, past tells
    body = "Tack för att ni raderar mina uppgifter."
    assert classify_text("Radering", body, intents).intents == ("erasure",)
    body = "Tack för att ni raderade mina uppgifter så snabbt."
    assert classify_text("Re: Radering", body, intents).intents == ("other",)


def test_a_refusal_after_another_negation_stands(intents: RuleSet) -> None:
    body = "Ni ringer mig varje månad. Jag är inte intresserad och vill inte bli uppringd igen."
    assert classify_text("Samtal", body, intents).intents == ("marketing_optout",)


def test_inform_is_not_information(intents: RuleSet) -> None:
    body = (
        "For a course paper: could you tell me how you inform customers about automated decisions?"
    )
    assert classify_text("Course paper", body, intents).intents == ("question",)


def test_leaving_me_out_of_analytics_is_an_objection(intents: RuleSet) -> None:
    body = "Please exclude me from your segmentation and usage analytics, but keep my account."
    assert classify_text("Analytics", body, intents).intents == ("objection",)
    body = "Ta bort mig ur era kundanalyser, men låt kontot vara kvar."
    assert classify_text("Analyser", body, intents).intents == ("objection",)


def test_danish_and_norwegian_andre_is_other_not_change(intents: RuleSet) -> None:
    body = "Hei, jeg vil at dere sletter kontoen min og alle andre opplysninger om meg. Hilsen Tor"
    assert classify_text("Sletting", body, intents).intents == ("erasure",)


def test_one_piece_of_contact_data_deleted_is_an_erasure_off_a_list_an_opt_out(
    intents: RuleSet,
) -> None:
    body = "Jag vill inte att ni lämnar ut min adress till andra företag. Stryk också mitt mobilnummer."
    assert set(classify_text("Adress", body, intents).intents) == {"objection", "erasure"}
    body = "Ta bort mitt mobilnummer från era ringlistor, jag vill inte bli uppringd."
    assert classify_text("Samtal", body, intents).intents == ("marketing_optout",)


def test_the_writer_as_what_is_deleted(intents: RuleSet) -> None:
    body = "hej jag vill bli raderad ur ert kundregister mvh Per"
    assert classify_text("", body, intents).intents == ("erasure",)


def test_texting_shorthand_asks(intents: RuleSet) -> None:
    body = "hi can u send me whatever data u have on me thx"
    assert classify_text("data", body, intents).intents == ("access",)


def test_a_verb_before_its_subject_in_a_question_asks_whether(intents: RuleSet) -> None:
    body = "Hej, raderar ni mitt konto automatiskt när jag säger upp abonnemanget, eller måste jag be om det?"
    assert classify_text("Uppsägning", body, intents).intents == ("question",)


def test_what_we_did_is_told_not_asked(intents: RuleSet) -> None:
    body = "Ni raderade mitt konto av misstag i förra veckan och nu är alla mina dokument borta. Det är oacceptabelt."
    assert classify_text("Mitt konto", body, intents).intents == ("complaint",)
    body = (
        "You have removed my address from the delivery form by mistake, so my parcel was returned."
    )
    assert "erasure" not in classify_text("Parcel", body, intents).intents


def test_what_the_writer_has_changed_their_mind_about_is_withdrawn(intents: RuleSet) -> None:
    body = "Jag kryssade i att ni fick använda min mejl för enkäter. Det har jag ångrat nu."
    assert classify_text("Enkäter", body, intents).intents == ("consent_withdrawal",)


def test_is_my_data_asks_a_question(intents: RuleSet) -> None:
    body = "Hi, is my data stored with a cloud provider in the US or only in Sweden?"
    assert classify_text("Storage", body, intents).intents == ("question",)


def test_a_new_value_told_is_a_correction(intents: RuleSet) -> None:
    body = "Hej! Mitt mobilnummer har ändrats till 070-000 11 22, använd det framöver."
    assert classify_text("Nummer", body, intents).intents == ("rectification",)
    body = "Hi, I've moved house. New address: 3 Elm Row, York. Please use it from now on."
    assert classify_text("Moving", body, intents).intents == ("rectification",)
    body = (
        "Hej, kan ni lägga in min nya e-postadress, per.berg@exempel.se, i stället för den gamla?"
    )
    assert classify_text("E-post", body, intents).intents == ("rectification",)


def test_my_profile_is_not_profiling(intents: RuleSet) -> None:
    body = (
        "My phone number in my profile is wrong, the last digits should be 42. Please correct it."
    )
    assert classify_text("Profile", body, intents).intents == ("rectification",)


def test_a_pronoun_inside_a_refusal_is_its_object(intents: RuleSet) -> None:
    body = "Mina gamla fakturor har fel belopp och jag har reklamerat dem. Använd dem inte under tiden."
    assert "restriction" in classify_text("Reklamation", body, intents).intents


def test_no_longer_wanting_what_one_allowed_withdraws_it(intents: RuleSet) -> None:
    body = "Last spring I gave you permission to show my picture in your brochure. I no longer want that."
    assert classify_text("Brochure", body, intents).intents == ("consent_withdrawal",)


def test_a_wait_longer_than_the_law_allows_is_a_complaint(intents: RuleSet) -> None:
    body = "Hej, jag har väntat i över en månad på svar om mina uppgifter. Det är längre än lagen tillåter."
    assert classify_text("Väntan", body, intents).intents[:1] == ("complaint",)


def test_the_law_is_not_a_repair(intents: RuleSet) -> None:
    # "lagen" and "laga" (repair) share a stem; only the law is meant
    body = "Spara fakturorna så länge bokföringslagen kräver, men konto, ärenden, anteckningar och kontaktuppgifter ska bort."
    evidence = classify_text("Radering", body, intents).evidence
    assert not [e for e in evidence if e.intent == "rectification" and e.score > 0], evidence


def test_english_it_after_its_verb_is_a_pronoun_object(intents: RuleSet) -> None:
    body = "Hello, the mobile number you have for me is my old work phone. Please replace it with 07700 900456."
    assert classify_text("Number", body, intents).intents == ("rectification",)
    body = (
        "Hi, I'm curious what you've stored about me since 2015, could you pull it together for me?"
    )
    assert classify_text("My data", body, intents).intents == ("access",)


def test_it_in_a_compound_is_no_pronoun(intents: RuleSet) -> None:
    body = (
        "Jag vill ha de uppgifter jag lämnat till er i en fil som kan läsas in i ett annat "
        "system, så att jag kan ta med mig dem när jag byter IT-leverantör."
    )
    assert classify_text("Fil", body, intents).intents == ("portability",)


def test_a_provider_provides_nothing(intents: RuleSet) -> None:
    body = "Our new provider needs my ticket history from your helpdesk. Could you hand it over to them directly?"
    assert classify_text("Tickets", body, intents).intents == ("portability",)


def test_not_wanting_to_be_part_of_analyses_is_an_objection(intents: RuleSet) -> None:
    body = "Hej, jag vill inte vara med i era kundanalyser längre. Använd mina uppgifter bara för supporten."
    assert classify_text("Analyser", body, intents).intents == ("objection",)


def test_a_new_operator_is_no_new_number(intents: RuleSet) -> None:
    body = "Jag har bytt mobiloperatör och vill ta med mig min samtalshistorik i en fil."
    assert "rectification" not in classify_text("Byte", body, intents).intents


def test_a_question_under_an_if_is_asked_in_full(intents: RuleSet) -> None:
    body = "Hej, om jag säger upp mitt avtal, hur länge ligger mina uppgifter kvar hos er?"
    assert classify_text("Uppsägning", body, intents).intents == ("question",)


def test_dissatisfaction_is_a_complaint_in_every_language(intents: RuleSet) -> None:
    for body in (
        "Jag är missnöjd med er hantering av min begäran om radering.",
        "I am dissatisfied with the service I got from your data protection team.",
        "Jeg er utilfreds med jeres behandling af min anmodning.",
        "Ich bin unzufrieden mit der Bearbeitung meiner Anfrage.",
    ):
        assert "complaint" in classify_text("Ärende", body, intents).intents, body


def test_german_senden_sends(intents: RuleSet) -> None:
    body = "Hallo, welche Daten haben Sie über mich? Bitte senden Sie mir eine Kopie davon."
    assert classify_text("Daten", body, intents).intents == ("access",)


def test_a_longer_action_holds_the_words_it_opens_with(intents: RuleSet) -> None:
    body = "Please get rid of everything you have on me, I'm no longer a customer."
    assert classify_text("Data", body, intents).intents == ("erasure",)


def test_a_negated_action_holds_its_verb(intents: RuleSet) -> None:
    body = "Les pido que no borren mis datos todavía y que limiten su tratamiento hasta resolver la disputa."
    assert classify_text("Limitación", body, intents).intents == ("restriction",)


def test_forget_me_with_nothing_left_is_an_erasure(intents: RuleSet) -> None:
    body = "Forget me, please. I want nothing left in your systems."
    assert classify_text("Me", body, intents).intents == ("erasure",)


def test_what_do_you_know_about_me_is_access(intents: RuleSet) -> None:
    assert classify_text("Fråga", "Hej, vad vet ni om mig egentligen?", intents).intents == (
        "access",
    )


def test_taking_back_ones_yes_withdraws_consent(intents: RuleSet) -> None:
    body = "Hej, jag tar tillbaka mitt ja till era kundundersökningar."
    assert classify_text("Enkäter", body, intents).intents == ("consent_withdrawal",)


def test_a_gapped_action_holds_no_other(intents: RuleSet) -> None:
    # "not … processing" spans "not agree to": the words between are another action's
    body = "Hi, I don't agree to you processing my data for your legitimate interests. Please stop."
    assert classify_text("Processing", body, intents).intents == ("objection",)
    body = "Hej, kan jag få se vad era tekniker har skrivit om mig i ärendesystemet?"
    assert classify_text("Anteckningar", body, intents).intents == ("access",)


def test_an_until_clause_after_a_refusal_is_not_negated(intents: RuleSet) -> None:
    body = "Mitt efternamn är felstavat hos er. Rätta det, och använd inte mina uppgifter tills det är gjort."
    assert set(classify_text("Namn", body, intents).intents) == {"rectification", "restriction"}


def test_a_question_about_nothing_personal_is_not_a_privacy_question(intents: RuleSet) -> None:
    for body in (
        "Hej, hur länge dröjer det innan teknikern kommer? Vi har väntat sedan lunch.",
        "Hi, how long does it take to set up a new laptop for a new hire?",
        "Hej, varför fungerar inte vår VPN sedan i går?",
    ):
        assert classify_text("Fråga", body, intents).intents == ("other",), body
    for body in (
        "Hi, how long do you keep my support tickets after I leave?",
        "Hello, do you delete CVs of applicants you did not hire, and after how long?",
        "Hej, vem är ert personuppgiftsombud?",
    ):
        assert classify_text("Fråga", body, intents).intents == ("question",), body


def test_a_person_who_mentions_their_holiday_still_asks(intents: RuleSet) -> None:
    raw = (
        "From: Kim Berg <kim.berg@example.net>\r\nTo: dataskydd@example.se\r\n"
        "Subject: Re: Ditt registerutdrag\r\nMessage-ID: <holiday-request@example.net>\r\n"
        "Date: Mon, 30 Nov 2026 10:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
        "Tack för svaret. Jag är på semester nästa vecka, men vill ändå att ni raderar "
        "mitt konto så snart som möjligt.\r\n"
    ).encode()
    result = classify(parse(raw), intents)
    assert result.kind.value == "human" and result.intents == ("erasure",), result
    assert result.needs_review  # the wording also read as an out-of-office: staff check


def test_upphor_stops(intents: RuleSet) -> None:
    body = "Jag yrkar härmed att ni upphör med all direktmarknadsföring till mig."
    assert classify_text("Marknadsföring", body, intents).intents == ("marketing_optout",)


def test_present_forms_of_strong_verbs(intents: RuleSet) -> None:
    assert classify_text("", "Jag begär ut alla uppgifter ni har om mig.", intents).intents == (
        "access",
    )
    body = "Förstör alla kopior av mitt pass som ni har sparat."
    assert classify_text("Pass", body, intents).intents == ("erasure",)


def test_machine_readable_in_every_language(intents: RuleSet) -> None:
    body = "Hallo, ich möchte alle meine Daten in einem maschinenlesbaren Format bekommen."
    assert "portability" in classify_text("Daten", body, intents).intents


def test_moving_house_is_no_transfer_and_a_changed_policy_no_correction(intents: RuleSet) -> None:
    body = "Jag har flyttat någon annanstans, min nya adress är Storgatan 4 i Uppsala."
    assert "portability" not in classify_text("Flytt", body, intents).intents
    body = "I saw your privacy policy has changed. What information do you now share with partners?"
    assert "rectification" not in classify_text("Policy", body, intents).intents


def test_which_data_you_hold_about_me_asks_for_access_in_every_language(intents: RuleSet) -> None:
    for body in (
        "Hei, hva slags opplysninger lagrer dere om meg etter at jeg sa opp avtalen?",
        "Hej, hvilke personoplysninger har I registreret om mig?",
        "Hei, mitä henkilötietoja teillä on minusta?",
        "Guten Tag, welche Angaben haben Sie zu meiner Person gespeichert?",
        "Dzień dobry, jakie informacje przechowujecie o mnie?",
        "Bonjour, quels renseignements détenez-vous me concernant ?",
        "Hola, ¿qué información tienen acerca de mí?",
    ):
        assert classify_text("", body, intents).intents == ("access",), body
    # data asked *from* the writer is no request for a copy
    body = "Guten Tag, welche Daten brauchen Sie von mir für die Bestellung?"
    assert "access" not in classify_text("Bestellung", body, intents).intents


def test_a_state_told_is_done_unless_a_cue_asks_for_it(intents: RuleSet) -> None:
    body = "Hej, jag ser nu att mitt kundkonto är raderat. Tack för hjälpen!"
    assert "erasure" not in classify_text("Kontot", body, intents).intents
    body = "Hi, thanks, I can see my profile was removed yesterday. All good."
    assert "erasure" not in classify_text("Profile", body, intents).intents
    body = "Se till att allt ni har om mig är raderat innan månadsskiftet."
    assert classify_text("Radering", body, intents).intents == ("erasure",)


def test_counted_accounts_are_other_peoples(intents: RuleSet) -> None:
    body = (
        "Hej, kan ni ta bort sju gamla användarkonton i vårt Azure AD? De tillhörde praktikanter."
    )
    assert "erasure" not in classify_text("Konton", body, intents).intents
    body = "Please delete my two old accounts, I only use the new one now."
    assert classify_text("Accounts", body, intents).intents == ("erasure",)


def test_a_job_named_beside_a_request_is_no_errand(intents: RuleSet) -> None:
    body = (
        "Hej, jag har tagit ett annat jobb och vill att ni raderar min ansökan och mitt CV "
        "till tjänsten som nätverkstekniker."
    )
    assert classify_text("Ansökan", body, intents).intents == ("erasure",)


def test_everyday_words_are_not_misspelt_request_words(intents: RuleSet) -> None:
    body = "Jag vill först veta hur länge ni sparar mitt CV."
    assert "erasure" not in classify_text("CV", body, intents).intents
    body = "Hej, jag har bytt efternamn till Lind. Kan ni ändra det i kundportalen?"
    assert classify_text("Namnbyte", body, intents).intents == ("rectification",)


def test_another_firms_or_a_previous_users_data_is_a_breach(intents: RuleSet) -> None:
    body = (
        "Hej, när jag loggade in i kundportalen kunde jag se ärenden från ett annat företags "
        "anställda, med namn och telefonnummer."
    )
    assert classify_text("Portalen", body, intents).intents == ("breach",)
    body = (
        "Hi, the replacement laptop you sent still had a previous user's documents on it, "
        "including scanned passports."
    )
    assert classify_text("Laptop", body, intents).intents == ("breach",)


def test_a_named_data_format_is_portability(intents: RuleSet) -> None:
    body = "Hej, kan jag få alla mina serviceärenden som en CSV-fil? Jag ska byta leverantör."
    assert classify_text("Ärenden", body, intents).intents[0] == "portability"
    body = "Could I get my course history as an Excel sheet, please?"
    assert classify_text("Courses", body, intents).intents == ("portability",)


def test_someone_elses_thing_is_no_request_of_mine(intents: RuleSet) -> None:
    body = "Please remove the old project mailbox and export its contents to a PST file."
    assert classify_text("Mailbox", body, intents).intents == ("other",)


def test_never_in_contact_is_no_refusal_of_contact(intents: RuleSet) -> None:
    body = "Jag har aldrig haft någon kontakt med er. Radera mig ur era system."
    assert classify_text("Radera", body, intents).intents == ("erasure",)


def test_objecting_in_the_first_person_is_the_request(intents: RuleSet) -> None:
    body = "Sehr geehrte Damen und Herren, ich widerspreche der Nutzung meiner Daten für Profiling."
    assert classify_text("Widerspruch", body, intents).intents == ("objection",)


def test_an_application_deleted_in_other_languages(intents: RuleSet) -> None:
    body = "Hei, jeg fikk ikke stillingen. Jeg vil at søknaden min og CV-en slettes nå."
    assert classify_text("Søknad", body, intents).intents == ("erasure",)


def test_asking_why_a_request_was_handled_so_is_a_complaint(intents: RuleSet) -> None:
    body = (
        "Hej, jag bad om ett registerutdrag i augusti och har fortfarande inte fått något svar. "
        "Jag vill ha en förklaring till varför det dröjer."
    )
    assert "complaint" in classify_text("Utdrag", body, intents).intents


def test_it_work_on_a_firms_systems_is_no_request(intents: RuleSet) -> None:
    body = "Hej, kan ni radera de gamla AD-kontona för sommarpraktikanterna i vår Azure AD?"
    assert "erasure" not in classify_text("AD", body, intents).intents
    body = "Please export the old sales mailbox to a PST file before you remove it from the tenant."
    assert not {"erasure", "portability"} & set(classify_text("Mailbox", body, intents).intents)
    body = "Please delete my account and all data you hold about me, including backups."
    assert classify_text("Delete", body, intents).intents == ("erasure",)


def test_other_applicants_data_is_a_breach_a_stolen_own_computer_is_not(intents: RuleSet) -> None:
    body = (
        "Hej, min privata dator blev stulen i helgen. Kan ni skicka en kopia på fakturan till mig?"
    )
    assert "breach" not in classify_text("Stöld", body, intents).intents
    body = "Hi, your interview invitation went out with all applicants visible in the To field."
    assert classify_text("Interview", body, intents).intents == ("breach",)


def test_reporting_data_to_you_is_no_report_to_the_authority(intents: RuleSet) -> None:
    body = "Hi, the agent on my work laptop reports data to you. What is your legal basis for that?"
    assert "complaint" not in classify_text("Agent", body, intents).intents


def test_a_firm_asking_for_work_on_its_systems_is_weaker_than_a_person(intents: RuleSet) -> None:
    body = "Hej, vi behöver att ni tar bort kontona för två konsulter som slutat hos oss."
    assert "erasure" not in classify_text("Konton", body, intents).intents
    body = "Hej, vi har pratat hemma och jag vill att ni raderar mitt konto."
    assert classify_text("Konto", body, intents).intents == ("erasure",)


def test_wiping_returned_disks_is_it_work(intents: RuleSet) -> None:
    body = "Hej, vi skickar tillbaka sex leasade datorer. Se till att hårddiskarna raderas och skicka ett intyg."
    assert "erasure" not in classify_text("Retur", body, intents).intents


def test_dissatisfaction_with_the_handling_is_a_complaint(intents: RuleSet) -> None:
    body = "Hej, jag är mycket missnöjd med att ni skickade mitt registerutdrag okrypterat. Varför?"
    assert "complaint" in classify_text("Utdraget", body, intents).intents
    body = "Hallo, ich bin sehr unzufrieden, wie Sie mit meinen Daten umgehen."
    assert "complaint" in classify_text("Daten", body, intents).intents


def test_what_we_sent_is_told_not_asked(intents: RuleSet) -> None:
    body = "Ni skickade mitt registerutdrag till fel adress i förra veckan, och det är jag mycket missnöjd med."
    assert "access" not in classify_text("Utdraget", body, intents).intents


def test_what_we_said_is_reported_not_asked(intents: RuleSet) -> None:
    body = (
        "Hej, ni skrev att mitt konto ska raderas nästa vecka. Gör inte det: jag behöver "
        "uppgifterna i en tvist, så spara dem men använd dem inte."
    )
    assert classify_text("Kontot", body, intents).intents == ("restriction",)


def test_a_right_in_a_hypothetical_question_is_asked_about(intents: RuleSet) -> None:
    body = "Hej! Om jag ber er radera mitt konto, försvinner då även mina gamla fakturor?"
    assert classify_text("Fråga", body, intents).intents == ("question",)


def test_camera_footage_of_me_is_my_data(intents: RuleSet) -> None:
    body = "Hej, jag besökte ert kontor i fredags. Jag vill få ut filmerna från entrékameran där jag syns."
    assert classify_text("Kameror", body, intents).intents == ("access",)


def test_a_second_verb_takes_its_own_object(intents: RuleSet) -> None:
    body = "Stop the newsletters, and while you're at it please erase my account."
    assert set(classify_text("Me", body, intents).intents) == {"marketing_optout", "erasure"}
    body = "Hej, radera och spärra mitt konto omedelbart."
    assert "erasure" in classify_text("Konto", body, intents).intents


def test_a_negation_reaches_no_further_than_its_clause(intents: RuleSet) -> None:
    body = "Hej, min skrivare fungerar inte längre, kan ni skicka en tekniker i morgon?"
    assert classify_text("Skrivare", body, intents).intents == ("other",)


def test_work_on_the_writers_own_device_is_it_support(intents: RuleSet) -> None:
    body = "Hi, could you remove the old VPN profile from my laptop before Monday?"
    assert classify_text("VPN", body, intents).intents == ("other",)


def test_a_request_recounted_in_a_complaint_is_not_asked_again(intents: RuleSet) -> None:
    body = (
        "Hello, I requested a copy of my data in August and you sent it to an address I left"
        " years ago. This is unacceptable; I am now filing a complaint with the supervisory"
        " authority."
    )
    assert classify_text("Complaint", body, intents).intents == ("complaint",)


def test_a_request_recounted_and_chased_is_asked_again(intents: RuleSet) -> None:
    body = (
        "Hello, I requested a copy of my data in August and have heard nothing since. "
        "This is unacceptable; I am now filing a complaint with the supervisory authority."
    )
    assert set(classify_text("Complaint", body, intents).intents) == {"complaint", "access"}


def test_the_erasure_named_as_a_noun_is_the_action(intents: RuleSet) -> None:
    body = "Dear Sir, on behalf of my client I request the erasure of all personal data you hold about her."
    assert classify_text("Erasure", body, intents).intents == ("erasure",)


def test_another_customers_data_is_a_breach_in_other_languages(intents: RuleSet) -> None:
    body = "Hei, jeg fikk en annen kundes kontrakt i posten fra dere, med navn og adresse."
    assert classify_text("Kontrakt", body, intents).intents == ("breach",)
    body = "Bonjour, je vois dans mon compte les commandes d'un autre client avec son adresse."
    assert classify_text("Compte", body, intents).intents == ("breach",)


def test_a_family_we_is_no_firm(intents: RuleSet) -> None:
    body = (
        "Hej, vår pappa har gått bort. Vi vill att hans konto avslutas och att uppgifterna raderas."
    )
    assert classify_text("Dödsbo", body, intents).intents == ("erasure",)


def test_a_request_cue_in_the_past_recounts(intents: RuleSet) -> None:
    # "fick jag" is "I received", not "får jag" (may I): what the mail said was done is told
    body = "I somras fick jag ett brev från er om att mitt konto var raderat. Stämmer det?"
    assert "erasure" not in classify_text("Kontot", body, intents).intents
    body = "Får jag en kopia av allt ni har sparat om mig?"
    assert classify_text("Kopia", body, intents).intents == ("access",)


def test_dissatisfaction_told_with_its_grievance_is_a_complaint(intents: RuleSet) -> None:
    body = (
        "Hej, ni lade ut mitt foto på er webbplats och ingen frågade mig först. "
        "Jag är missnöjd. Ta bort fotot på mig."
    )
    assert set(classify_text("Fotot", body, intents).intents) == {"complaint", "erasure"}
    body = "Frankly I'm fed up: this is the second time I write about my details being wrong."
    assert "complaint" in classify_text("Again", body, intents).intents
    body = "I'm very unhappy that my phone number was given to a partner firm."
    assert "complaint" in classify_text("My number", body, intents).intents


def test_an_email_address_is_data_not_marketing_email(intents: RuleSet) -> None:
    body = "I have never been your customer. Delete my email address from your database."
    assert classify_text("Who are you", body, intents).intents == ("erasure",)


@pytest.mark.parametrize(
    "body",
    [
        "Guten Tag, wer ist Ihr Datenschutzbeauftragter und wie erreiche ich ihn?",
        "Bonjour, sur quelle base légale conservez-vous mes coordonnées ?",
        "Dzień dobry, jaki jest okres przechowywania moich danych?",
        "Hei, hva er det rettslige grunnlaget for at dere lagrer telefonnummeret mitt?",
        "Hola, ¿quién es su delegado de protección de datos?",
    ],
)
def test_questions_about_handling_in_other_languages(intents: RuleSet, body: str) -> None:
    assert classify_text("", body, intents).intents == ("question",)


def test_an_excel_file_named_as_one_word_is_a_format(intents: RuleSet) -> None:
    body = "Hej, skicka mina ärenden och fakturor som en excelfil som jag kan läsa in hos nya leverantören."
    assert "portability" in classify_text("Byte av leverantör", body, intents).intents


def test_what_the_writer_did_is_told_not_asked(intents: RuleSet) -> None:
    body = (
        "Hi, your reminder to us had another customer's invoice attached, with his address. "
        "It was not meant for me, and I have deleted it on my side."
    )
    assert classify_text("Wrong attachment", body, intents).intents == ("breach",)


def test_a_pronoun_after_how_or_what_opens_a_clause(intents: RuleSet) -> None:
    body = "I am not asking for anything yet. How long do you keep my data? I just want to know how it works."
    assert classify_text("Retention", body, intents).intents == ("question",)


def test_a_recounted_english_request_is_no_cue(intents: RuleSet) -> None:
    # "asked us for" recounts what someone else asked; the file then went astray
    body = (
        "Your technician asked us for an Excel list of all staff, and that file is now with "
        "another company."
    )
    assert classify_text("Staff list", body, intents).intents == ("breach",)


def test_a_number_no_longer_valid_is_a_correction_not_a_refusal(intents: RuleSet) -> None:
    body = "Hej, telefonnumret 08-123 45 gäller inte längre, mitt nya nummer är 070-111 22 33."
    assert classify_text("Nytt nummer", body, intents).intents == ("rectification",)


def test_a_leaver_in_a_firms_tenant_is_it_work(intents: RuleSet) -> None:
    body = (
        "Hej! Lisa Ek slutar hos oss den 31 januari. Kan ni ta bort hennes licens, "
        "återkalla telefonen i Intune och flytta hennes OneDrive till mig?"
    )
    assert classify_text("Offboarding Lisa Ek", body, intents).intents == ("other",)


def test_a_pronoun_after_that_is_its_clauses_subject(intents: RuleSet) -> None:
    # "så att det inte blir fel": the negation is the purpose's, the correction is asked
    body = "Min son heter Anton, inte Anders. Kan ni rätta det så att det inte blir fel på intyget?"
    assert classify_text("Fel namn", body, intents).intents == ("rectification",)


def test_a_stop_while_the_writer_looks_into_it_is_a_restriction(intents: RuleSet) -> None:
    body = "Radera ingenting, men sluta använda mina uppgifter medan jag tar reda på vad som hänt."
    assert classify_text("Pausa", body, intents).intents == ("restriction",)


def test_what_the_writer_received_is_told(intents: RuleSet) -> None:
    body = "Hej, jag har fått registerutdraget nu och allt ser bra ut. Tack för hjälpen!"
    assert classify_text("Utdraget", body, intents).intents == ("other",)


def test_a_new_value_stated_is_a_correction(intents: RuleSet) -> None:
    body = "Hi, please note that my phone number has changed to +46 70 555 12 12."
    assert classify_text("New number", body, intents).intents == ("rectification",)


def test_a_firms_billing_address_is_other(intents: RuleSet) -> None:
    body = "Hi, please correct the billing address on our company account to Box 12, Solna."
    assert classify_text("Billing", body, intents).intents == ("other",)


def test_asking_where_you_got_my_address_is_access(intents: RuleSet) -> None:
    body = "Jag har aldrig varit kund. Berätta hur ni fick tag på min adress. Radera den sedan."
    assert set(classify_text("Vem är ni?", body, intents).intents) == {"access", "erasure"}


def test_a_vendor_naming_the_rights_asks_for_none(intents: RuleSet) -> None:
    body = (
        "Hej! Vår plattform besvarar registerutdrag och raderingsbegäranden automatiskt åt "
        "IT-bolag som ert. Vill ni se en kostnadsfri demo? Boka ett möte här."
    )
    assert classify_text("Automatisera GDPR", body, intents).intents == ("other",)
    body = "Hi, I'm fed up: your newsletters still come although I unsubscribed. Stop them."
    assert set(classify_text("Again", body, intents).intents) == {"marketing_optout", "complaint"}
    body = "Hej, jag fick ett mejl från er som var avsett för någon annan, med hans personnummer."
    assert classify_text("Fel mottagare", body, intents).intents == ("breach",)


def test_a_firm_exporting_its_customer_register_is_it_work(intents: RuleSet) -> None:
    body = (
        "Hej, vi byter affärssystem i vår. Kan ni exportera vårt kundregister ur det gamla "
        "systemet till en CSV-fil åt oss?"
    )
    assert classify_text("Export", body, intents).intents == ("other",)
    body = "Hej, kan ni skicka min köphistorik som en csv-fil? Jag ska byta leverantör."
    assert "portability" in classify_text("Min historik", body, intents).intents


def test_a_gapped_action_around_an_object_is_the_shorter_verb(intents: RuleSet) -> None:
    # "skicka … över" would be a transfer; here "skicka" sends an extract "över" (of) the data
    body = "Skicka mig ett registerutdrag över alla personuppgifter ni har om mig."
    assert classify_text("Utdrag", body, intents).intents == ("access",)
    body = "Guten Tag, ich möchte keine Werbe-E-Mails mehr von Ihnen erhalten."
    assert classify_text("Werbung", body, intents).intents == ("marketing_optout",)


def test_a_verb_in_a_firms_name_is_no_action(intents: RuleSet) -> None:
    body = "Hola, trabajé en Export Nordic AB. Quisiera saber qué datos personales míos guardan."
    assert "portability" not in classify_text("Mis datos", body, intents).intents


def test_a_firms_user_accounts_and_firewall_logs_are_it_work(intents: RuleSet) -> None:
    body = "Hej, kan ni exportera brandväggsloggarna för oktober till en CSV-fil åt oss?"
    assert classify_text("Loggar", body, intents).intents == ("other",)


@pytest.mark.parametrize(
    ("body", "intent"),
    [
        ("Buenas tardes, quisiera ejercer mi derecho de acceso a mis datos.", "access"),
        ("Hej, I gårsdagens mail fra jer indeholdt en anden kundes navn og adresse.", "breach"),
        (
            "Hei, voisitteko päivittää nimen asiakastietoihini? Uusi sukunimeni on Virtanen.",
            "rectification",
        ),
        (
            "Guten Tag, ich widerspreche der Aufzeichnung meiner Telefonate mit Ihrem Support.",
            "objection",
        ),
    ],
)
def test_rights_by_name_and_recordings_in_other_languages(
    intents: RuleSet, body: str, intent: str
) -> None:
    assert intent in classify_text("", body, intents).intents


def test_a_body_that_is_only_a_signature_leaves_the_asking_to_the_subject(
    intents: RuleSet,
) -> None:
    body = "Med vänlig hälsning\nKarin Berg\nStorgatan 4\n123 45 Ort\n070-000 00 00"
    assert classify_text("Begäran om registerutdrag", body, intents).intents == ("access",)


def test_taking_back_an_ok_by_saying_so_is_the_withdrawal(intents: RuleSet) -> None:
    body = "Hej! Jag tar tillbaka mitt ok till att ni visar mitt foto på webbplatsen. /Eva"
    assert "consent_withdrawal" in classify_text("Fotot", body, intents).intents


@pytest.mark.parametrize(
    ("body", "wanted"),
    [
        (
            "Hallo, bitte den Newsletter abbestellen und mein Kundenkonto löschen.",
            {"marketing_optout", "erasure"},
        ),
        (
            "Hei, jeg ber om innsyn i opplysningene dere har om meg. "
            "Tittelen min er også feil: jeg er økonomisjef nå. Kan dere rette det?",
            {"access", "rectification"},
        ),
        (
            "Hej, kan I sende mig min sagshistorik som CSV-fil? Bagefter må I slette min konto.",
            {"portability", "erasure"},
        ),
    ],
)
def test_two_requests_in_the_other_languages(intents: RuleSet, body: str, wanted: set[str]) -> None:
    assert set(classify_text("", body, intents).intents) == wanted


def test_a_french_mobile_phone_is_no_portability(intents: RuleSet) -> None:
    body = "Bonjour, votre technicien m'a appelée sur mon portable. Je ne veux plus d'appels."
    assert "portability" not in classify_text("Appels", body, intents).intents


def test_a_deletion_told_as_not_done_does_not_count_against_asking_again(
    intents: RuleSet,
) -> None:
    body = (
        "Ni bekräftade i maj att allt var borttaget. Nu ser jag att min profil finns kvar. "
        "Radera mina uppgifter på riktigt den här gången."
    )
    result = classify_text("Mina uppgifter är inte raderade", body, intents)
    assert "erasure" in result.intents


def test_what_the_writer_will_have_received_is_a_condition(intents: RuleSet) -> None:
    body = "Skicka mig ett registerutdrag. När jag har fått utdraget vill jag att ni raderar allt."
    assert set(classify_text("Utdrag och radering", body, intents).intents) == {"access", "erasure"}


def test_a_polite_negated_question_asks(intents: RuleSet) -> None:
    body = "Hej. Vil I ikke godt slette min profil i kundeportalen? Jeg er ikke kunde mere."
    assert classify_text("Profil", body, intents).intents == ("erasure",)
    body = "Kan ni inte bara radera mitt konto? Jag har bett om det två gånger."
    assert "erasure" in classify_text("Kontot", body, intents).intents


def test_a_pronoun_after_another_verb_is_not_the_requests_object(intents: RuleSet) -> None:
    body = "Hej, ta bort licensen för Per som slutat, så vi slipper betala för den."
    assert "objection" not in classify_text("Licens", body, intents).intents


def test_a_surname_is_no_complaint_word(intents: RuleSet) -> None:
    body = "Hej, jag kommer inte in i portalen. Kan ni hjälpa mig?\nOle Berg\nBerg & Lie AS"
    assert classify_text("Inloggning", body, intents).intents == ("other",)


def test_a_negation_before_an_object_that_comes_first(intents: RuleSet) -> None:
    body = "Jag vill inte begära något registerutdrag. Hur länge sparar ni mina supportärenden?"
    assert classify_text("Lagring", body, intents).intents == ("question",)


def test_a_negation_is_the_first_verbs_across_and(intents: RuleSet) -> None:
    body = "Jag har aldrig gett lov till det och motsätter mig att ni använder mitt namn i reklam."
    assert "objection" in classify_text("Mitt namn", body, intents).intents


def test_a_salesman_is_no_question_about_selling(intents: RuleSet) -> None:
    body = (
        "Er säljare berättade att ni vill använda mitt namn i ett kundcase. Det motsätter jag mig."
    )
    assert "question" not in classify_text("Kundcase", body, intents).intents


@pytest.mark.parametrize(
    "body",
    [
        "Hei, dere ringer meg hele tiden. Ta meg ut av ringelistene deres.",
        "Hej, I sender mig invitationer hver uge. Tag mig af jeres mailingliste.",
        "Hei, poistakaa minut kutsulistoilta, kiitos.",
    ],
)
def test_take_me_off_your_lists_in_the_other_languages(intents: RuleSet, body: str) -> None:
    assert classify_text("", body, intents).intents == ("marketing_optout",)


def test_a_question_after_an_aside_asks(intents: RuleSet) -> None:
    body = "Byt min adress till Ekvägen 3. Och när ni ändå är inne: vad har ni sparat om mig?"
    assert "access" in classify_text("Adress", body, intents).intents


def test_invoices_and_processing_agreements_are_other(intents: RuleSet) -> None:
    body = "Hej, fakturan tar betalt för fyra timmar men teknikern var här i två. Skicka en korrigerad faktura."
    assert classify_text("Faktura 1234", body, intents).intents == ("other",)
    body = (
        "Hi, attached is our signed data processing agreement. Could you countersign it and "
        "send a copy back for our files?"
    )
    assert classify_text("DPA", body, intents).intents == ("other",)


def test_a_new_number_stated_in_finnish_is_a_correction(intents: RuleSet) -> None:
    body = "Hei, puhelinnumeroni on vaihtunut, uusi numero on 040 123 4567."
    assert classify_text("Uusi numero", body, intents).intents == ("rectification",)


@pytest.mark.parametrize(
    "body",
    [
        "Hi, I see you keep my old delivery addresses from years back – delete them.",
        "Hej, de gamla adresserna ni har kvar på mig – ta bort dem.",
    ],
)
def test_a_command_after_a_dash_is_a_command(intents: RuleSet, body: str) -> None:
    found = classify_text("", body, intents)
    assert found.intents == ("erasure",)
    assert any(e.cue == "imperative" for e in found.evidence if e.intent == "erasure")


def test_a_name_in_a_form_field_is_no_command(intents: RuleSet) -> None:
    body = "Please delete my account.\n\nName: Alexandra Berg\nCustomer email: a.berg@example.org"
    assert classify_text("Deletion", body, intents).intents == ("erasure",)


@pytest.mark.parametrize(
    ("body", "intent"),
    [
        ("Hej! Jag undrar om ni kan ta bort mitt konto hos er?", "erasure"),
        ("Hi, I was wondering if you could stop phoning me with offers?", "marketing_optout"),
        ("Hej, jag undrar om det vore möjligt att få en kopia av det ni sparat om mig?", "access"),
    ],
)
def test_wondering_whether_you_could_asks(intents: RuleSet, body: str, intent: str) -> None:
    assert classify_text("", body, intents).intents[0] == intent


def test_wondering_about_a_practice_is_a_question(intents: RuleSet) -> None:
    body = "Hej, jag undrar om ni sparar kunders adresser efter att avtalet har gått ut?"
    assert classify_text("", body, intents).intents == ("question",)


def test_a_phrase_does_not_reach_into_a_clause_of_its_own(intents: RuleSet) -> None:
    body = (
        "Hej, jag har läst igenom utdraget. Allt verkar stämma och jag har inga fler frågor. Tack!"
    )
    evidence = classify_text("Utdraget", body, intents).evidence
    assert not [e for e in evidence if e.intent == "rectification"]


@pytest.mark.parametrize(
    "body",
    [
        "Hej, jag läste om AI som tränas på kundsamtal. Gör ni det med inspelningarna från er support?",
        "Hej. Skickar ni mina uppgifter vidare till era underleverantörer?",
    ],
)
def test_a_yes_no_question_about_a_practice_is_a_question(intents: RuleSet, body: str) -> None:
    assert classify_text("", body, intents).intents == ("question",)


def test_a_yes_no_question_about_nothing_personal_is_not(intents: RuleSet) -> None:
    body = "Hej, jag sökte jobbet som tekniker. Vet ni när jag kan få besked?"
    assert classify_text("Ansökan", body, intents).intents == ("other",)


@pytest.mark.parametrize(
    "body",
    [
        "Hej, i fakturan ni mejlade i dag står hans personnummer och adress, inte mina. "
        "Någon har blandat ihop oss.",
        "Hi, the invoice you emailed me today lists his address and phone number, not mine.",
        "Hej, jag jobbar hos en av era kunder. Jag tappade bort min jobbdator på bussen i går. "
        "Det finns kunduppgifter på den. Vad ska jag göra?",
    ],
)
def test_others_data_reaching_the_wrong_person_or_lost_is_a_breach(
    intents: RuleSet, body: str
) -> None:
    assert classify_text("", body, intents).intents == ("breach",)


def test_a_laptop_left_for_repair_is_no_breach(intents: RuleSet) -> None:
    body = "Hej, jag lämnade min laptop hos er för reparation i måndags. När är den klar?"
    assert classify_text("", body, intents).intents == ("other",)


@pytest.mark.parametrize(
    ("body", "intent"),
    [
        (
            "Guten Tag, ich wäre Ihnen dankbar, wenn Sie mir meine Bestellungen als CSV-Datei "
            "zur Verfügung stellen könnten.",
            "portability",
        ),
        ("Bonjour, pourriez-vous supprimer mon compte client ?", "erasure"),
    ],
)
def test_grateful_if_you_could_asks_in_other_languages(
    intents: RuleSet, body: str, intent: str
) -> None:
    found = classify_text("", body, intents)
    assert found.intents == (intent,)
    assert any(e.cue.startswith("request") for e in found.evidence if e.intent == intent)


def test_a_relatives_account_is_asked_about_by_the_writer(intents: RuleSet) -> None:
    body = "Hej, min pappa gick bort i somras. Kan ni ta bort hans konto hos er?"
    assert classify_text("", body, intents).intents == ("erasure",)


def test_an_employees_account_is_still_someone_elses(intents: RuleSet) -> None:
    body = "Hej, vår tekniker har slutat. Kan ni ta bort hans konto i portalen?"
    assert "erasure" not in classify_text("", body, intents).intents


@pytest.mark.parametrize(
    "body",
    [
        "Hej. Jag vill att det ska vara som om jag aldrig har handlat hos er, inga spår av mig alls.",
        "Hi, please forget me. I want it to be as if I had never been your customer.",
    ],
)
def test_the_wished_state_after_an_erasure_asks_for_one(intents: RuleSet, body: str) -> None:
    assert classify_text("", body, intents).intents == ("erasure",)


def test_a_request_recounted_after_a_time_is_told(intents: RuleSet) -> None:
    body = "Hej. I våras bad jag om en kopia av mina uppgifter och fick den. Nu vill jag att ni raderar mitt konto."
    assert classify_text("", body, intents).intents == ("erasure",)


@pytest.mark.parametrize(
    "body",
    [
        "Hej, ni skickar fortfarande brev till Storgatan 1. Numera bor jag på Ekvägen 3, 123 45 Farsta.",
        "Hi, your letters still go to my old flat. I now live at 12 Park Road, and would like that fixed.",
    ],
)
def test_where_the_writer_lives_now_is_a_correction(intents: RuleSet, body: str) -> None:
    assert classify_text("", body, intents).intents == ("rectification",)


def test_a_swedish_ending_after_a_colon_belongs_to_its_word(intents: RuleSet) -> None:
    body = "Hej, jag får fortfarande era erbjudanden. Jag vill att sms:en upphör nu."
    assert classify_text("", body, intents).intents == ("marketing_optout",)


@pytest.mark.parametrize(
    "body",
    [
        "Ich möchte nicht, dass Sie meine Daten löschen, ich brauche sie noch.",
        "Jeg ønsker ikke, at I sletter mine oplysninger.",
    ],
)
def test_a_negated_wish_reaches_past_the_comma_before_that(intents: RuleSet, body: str) -> None:
    assert "erasure" not in classify_text("", body, intents).intents


def test_asking_to_listen_to_ones_recorded_calls_is_access(intents: RuleSet) -> None:
    body = "Hej, ni spelar in samtalen till supporten. Jag vill gärna få lyssna på inspelningarna av mina samtal från i våras."
    found = classify_text("", body, intents)
    assert found.intents[0] == "access"
    assert any("lyssna" in e.action for e in found.evidence if e.intent == "access")


def test_telling_us_what_we_got_wrong_asks_for_a_correction(intents: RuleSet) -> None:
    body = "Hej, ni har stavat mitt efternamn fel i kundportalen, det ska vara Lindqvist."
    assert classify_text("", body, intents).intents == ("rectification",)


@pytest.mark.parametrize(
    "body",
    [
        "Hej, jag vill inte att ni spelar in mina samtal till kundtjänst.",
        "Hej! Kan ni se till att ni inte spelar in mina samtal framöver?",
        "Kan ni ordna så att mina samtal inte spelas in?",
        "Hello, I do not want my conversations with your helpdesk to be recorded.",
    ],
)
def test_not_wanting_ones_calls_recorded_is_an_objection(intents: RuleSet, body: str) -> None:
    # recording is done in the firm's interest: refusing it objects, unless a consent is named
    found = classify_text("", body, intents)
    assert found.intents == ("objection",)
    assert any(e.obj.startswith("recording") for e in found.evidence)


@pytest.mark.parametrize(
    "body",
    [
        "Jag samtyckte till inspelning när jag ringde i mars. Jag vill inte att mina samtal"
        " spelas in längre.",
        "When I called I consented to the recording. Please stop recording my calls from now on.",
    ],
)
def test_refusing_a_recording_one_consented_to_withdraws_the_consent(
    intents: RuleSet, body: str
) -> None:
    assert classify_text("", body, intents).intents[0] == "consent_withdrawal"


def test_a_gapped_action_does_not_swallow_the_object_inside_its_gap(intents: RuleSet) -> None:
    # "vill inte att [ni spelar in] mina" would hide "spelar in"; "vill inte att ni" is the action
    found = classify_text("", "Jag vill inte att ni spelar in mina samtal.", intents)
    assert found.intents == ("objection",)
    assert found.evidence[0].action == "not_want_that: vill inte att ni"


@pytest.mark.parametrize(
    "body",
    [
        "Hej, jag känner mig kränkt av hur ni har behandlat mina personuppgifter.",
        "I feel violated by how you have treated my personal data.",
    ],
)
def test_a_feeling_about_how_we_treated_ones_data_is_a_complaint(
    intents: RuleSet, body: str
) -> None:
    assert classify_text("", body, intents).intents == ("complaint",)


def test_closing_a_firms_microsoft_365_accounts_is_it_work(intents: RuleSet) -> None:
    body = (
        "Hej, två medarbetare har slutat hos oss. Enligt avtalet ber jag er stänga och radera deras "
        "Microsoft 365-konton och flytta Eriks inkorg till mig innan kontot tas bort."
    )
    assert classify_text("Avslut användare", body, intents).intents == ("other",)


def test_the_writer_as_recipient_is_not_what_is_deleted(intents: RuleSet) -> None:
    body = (
        "Kan ni flytta över filerna till mig innan kontot tas bort? Det gäller vår gemensamma mapp."
    )
    found = classify_text("", body, intents)
    assert not any(e.obj.startswith("me:") for e in found.evidence), found.evidence


@pytest.mark.parametrize(
    "body",
    [
        "When I logged in yesterday, your portal showed me someone else's invoices and address.",
        "Kundportalen visade en annan kunds fakturor när jag loggade in i går.",
    ],
)
def test_a_past_verb_before_a_determiner_acts_it_does_not_describe(
    intents: RuleSet, body: str
) -> None:
    assert classify_text("", body, intents).intents == ("breach",)


def test_data_wished_gone_is_an_erasure_and_data_found_gone_is_not(intents: RuleSet) -> None:
    assert classify_text("", "Hi, I want my data gone from your CRM.", intents).intents == (
        "erasure",
    )
    found = classify_text("", "All my saved addresses are gone from my profile!", intents)
    assert "erasure" not in found.intents


@pytest.mark.parametrize(
    "body",
    [
        "Är det ni eller er leverantör som är personuppgiftsansvarig för supportportalen?",
        "Who is the data controller for the booking site, you or your supplier?",
    ],
)
def test_asking_who_the_controller_is_is_a_question(intents: RuleSet, body: str) -> None:
    assert classify_text("", body, intents).intents == ("question",)


@pytest.mark.parametrize(
    "body",
    [
        "Ni har kvar mina gamla bokningar och mitt kundkonto. Jag vill att de raderas.",
        "Mitt gamla konto hos er används inte. Jag vill att det tas bort.",
        "You still keep my old invoices and my profile. I want them deleted.",
        "You still keep my old invoices and my profile. I want them to be deleted.",
        "Mitt gamla konto hos er används inte. Jag vill att det ska tas bort.",
    ],
)
def test_a_pronoun_before_a_passive_action_is_what_is_deleted(intents: RuleSet, body: str) -> None:
    found = classify_text("", body, intents)
    assert found.intents == ("erasure",)
    assert found.evidence[0].obj.split(": ")[1] in ("de", "det", "them")


def test_a_passive_told_about_a_practice_is_no_erasure(intents: RuleSet) -> None:
    found = classify_text("", "Jag vet att de raderas efter ett år, det är bra.", intents)
    assert "erasure" not in found.intents


@pytest.mark.parametrize(
    "body",
    [
        "Hi, your newsletter reached me but it was clearly meant for another customer, with his name and order.",
        "Hej, jag fick ett mejl från er som var avsett för en annan kund, med hans namn och adress.",
    ],
)
def test_mail_meant_for_another_customer_is_a_breach(intents: RuleSet, body: str) -> None:
    assert classify_text("", body, intents).intents[0] == "breach"


def test_do_not_pass_my_details_on_until_settled_is_restriction(intents: RuleSet) -> None:
    body = (
        "Until the invoice dispute is settled, please do not pass my details to a debt collector."
    )
    assert classify_text("", body, intents).intents == ("restriction",)


@pytest.mark.parametrize(
    ("body", "intent"),
    [
        (
            "Ni använder min köphistorik för att välja ut erbjudanden åt mig. Det går jag inte med på.",
            "objection",
        ),
        ("Jag har gamla uppgifter kvar hos er sedan 2019. Dem kan ni radera.", "erasure"),
        ("Ni skickar ett nyhetsbrev varje vecka. Det vill jag inte ha.", "marketing_optout"),
    ],
)
def test_a_pronoun_put_first_is_the_object_of_its_verb(
    intents: RuleSet, body: str, intent: str
) -> None:
    found = classify_text("", body, intents)
    assert found.intents[0] == intent
    assert found.evidence[0].obj.split(": ")[1] in ("Det", "Dem")


def test_a_statement_put_first_is_no_request(intents: RuleSet) -> None:
    found = classify_text("", "Det har jag redan raderat på min sida, tack.", intents)
    assert "erasure" not in found.intents


@pytest.mark.parametrize(
    "body",
    [
        "Jag byter leverantör. Kan ni plocka ut min ärendehistorik i en fil som går att läsa in hos den nya?",
    ],
)
def test_picking_out_ones_history_into_a_file_is_portability(intents: RuleSet, body: str) -> None:
    assert classify_text("", body, intents).intents[0] == "portability"


def test_our_mail_sent_to_another_customer_is_a_breach(intents: RuleSet) -> None:
    found = classify_text("", "Hi, you sent my invoice to another customer by mistake!", intents)
    assert found.intents[0] == "breach"


@pytest.mark.parametrize(
    "body",
    [
        "I asked for my account to be closed in May and nothing has happened since. I'm very unhappy.",
        "Jag bad om radering i maj och ingenting har hänt sedan dess. Jag är inte nöjd.",
    ],
)
def test_nothing_happened_after_a_request_is_a_complaint(intents: RuleSet, body: str) -> None:
    assert "complaint" in classify_text("", body, intents).intents


@pytest.mark.parametrize(
    ("subject", "body", "intent"),
    [
        (
            "GDPR artikel 17",
            "Hej, se ämnesraden. Jag har ett konto hos er och vill att det går fort.",
            "erasure",
        ),
        (
            "Request under article 15",
            "Hello, see subject line. My customer number is 55123 since 2019.",
            "access",
        ),
    ],
)
def test_a_body_that_points_at_the_subject_leaves_the_asking_to_it(
    intents: RuleSet, subject: str, body: str, intent: str
) -> None:
    assert classify_text(subject, body, intents).intents == (intent,)


def test_a_german_infinitive_after_a_comma_belongs_to_its_verb(intents: RuleSet) -> None:
    body = "Guten Tag, bitte hören Sie auf, mir ständig Werbung per E-Mail zu schicken."
    assert classify_text("", body, intents).intents == ("marketing_optout",)


@pytest.mark.parametrize(
    ("body", "intent"),
    [
        (
            "Ni har inget berättigat intresse av att analysera mitt surfande. Sluta med det.",
            "objection",
        ),
        (
            "Mitt godkännande för att ni får använda min bild i reklamen gäller inte längre.",
            "consent_withdrawal",
        ),
        (
            "Please send my account data directly to my new IT provider, I switched to them in May.",
            "portability",
        ),
        (
            "Finns det några anteckningar om mig från teknikerns besök? I så fall vill jag se dem.",
            "access",
        ),
    ],
)
def test_plain_wordings_of_rights(intents: RuleSet, body: str, intent: str) -> None:
    assert classify_text("", body, intents).intents[0] == intent


@pytest.mark.parametrize(
    ("body", "intent"),
    [
        ("Era erbjudanden blir för många, jag får tre mejl i veckan.", "marketing_optout"),
        ("Honestly, I get far too many of your newsletters.", "marketing_optout"),
        ("Hi, the daily promo emails are a bit much for me.", "marketing_optout"),
        ("Please take my photo down from your website.", "erasure"),
        ("Det står tydligen fel om mig i ert register, jag är inte född 1958.", "rectification"),
        (
            "Ni har delat in mig i en kundgrupp i portalen. Jag tycker inte om att bli sorterad så.",
            "objection",
        ),
    ],
)
def test_what_is_wrong_or_too_much_asks_without_a_verb(
    intents: RuleSet, body: str, intent: str
) -> None:
    assert classify_text("", body, intents).intents[0] == intent


def test_too_much_of_something_else_is_no_opt_out(intents: RuleSet) -> None:
    body = "Skrivaren drar för mycket ström och fläkten låter för mycket."
    assert "marketing_optout" not in classify_text("", body, intents).intents


def test_a_family_moving_to_a_new_company_speaks_as_people(intents: RuleSet) -> None:
    # "company" names where the family goes, not who writes: "we" and "our" stay a household's
    body = (
        "Hi, we're moving to a new IT company next month. It would be great if they could get "
        "all our device records and ticket history from you in a format their system can read."
    )
    assert classify_text("", body, intents).intents == ("portability",)


@pytest.mark.parametrize(
    "body",
    [
        "Jag vill inte längre vara med i er kundpanel som jag anmälde mig till i våras.",
        "Please stop the survey mails that I signed myself up for last year.",
    ],
)
def test_an_object_in_a_relative_clause_is_that_clauses(intents: RuleSet, body: str) -> None:
    found = classify_text("", body, intents)
    assert "erasure" not in found.intents, found.evidence


@pytest.mark.parametrize(
    "body",
    [
        "Jag skulle föredra om ni raderade mina uppgifter nu när jag inte är kund längre.",
        "I'd be glad if you deleted my details now that I've cancelled.",
    ],
)
def test_a_past_verb_after_if_you_asks(intents: RuleSet, body: str) -> None:
    assert classify_text("", body, intents).intents == ("erasure",)


def test_a_read_receipt_without_headers_quotes_a_request_it_does_not_make(
    intents: RuleSet,
) -> None:
    raw = (
        "From: Eva Ek <eva@kund.example>\r\nTo: dataskydd@company.example\r\n"
        "Subject: Read: Begäran om radering\r\nMessage-ID: <rr1@kund.example>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
        "Your message\r\n\r\n  To: dataskydd@company.example\r\n  Subject: Begäran om radering\r\n"
        "  Sent: 1 December 2026\r\n\r\nwas read on 2 December 2026 10:14.\r\n"
    ).encode()
    assert classify(parse(raw), intents).kind.value == "auto_reply"


@pytest.mark.parametrize(
    "body",
    [
        "Jag gillar ert nyhetsbrev och vill fortsätta få det. Men lagras min mejladress i USA?",
        "I enjoy your newsletter and want to keep receiving it, but where is my address stored?",
    ],
)
def test_wanting_the_newsletter_to_go_on_is_no_opt_out(intents: RuleSet, body: str) -> None:
    assert classify_text("", body, intents).intents == ("question",)


def test_not_wanting_the_newsletter_to_go_on_is_an_opt_out(intents: RuleSet) -> None:
    body = "Jag vill inte fortsätta få ert nyhetsbrev."
    assert classify_text("", body, intents).intents == ("marketing_optout",)


@pytest.mark.parametrize(
    "body",
    [
        "Hej, har ni några uppgifter om mig?",
        "Behandlar ni mina personuppgifter, och i så fall vilka?",
        "Hello, do you hold any personal data about me?",
        "Are you processing my personal data? If so, which data?",
    ],
)
def test_whether_you_hold_my_data_asks_for_access(intents: RuleSet, body: str) -> None:
    assert classify_text("", body, intents).intents[0] == "access"


@pytest.mark.parametrize(
    "body",
    [
        "Har ni mina uppgifter lagrade utanför EU?",
        "Do you keep my data in the US?",
        "Behandlar ni personuppgifter om barn?",
    ],
)
def test_where_or_whose_data_asks_about_a_practice(intents: RuleSet, body: str) -> None:
    assert "access" not in classify_text("", body, intents).intents


@pytest.mark.parametrize(
    "body",
    [
        "Hej, i er butik låg en utskriven kundlista framme på disken. Vem som helst kunde läsa den.",
        "Hi, I found a box of your customer files in the skip behind your office.",
        "Hej, i morse var jag inloggad som en annan kund i portalen och kunde se allt.",
    ],
)
def test_customer_data_found_lying_about_is_a_breach(intents: RuleSet, body: str) -> None:
    assert classify_text("", body, intents).intents[0] == "breach"


def test_being_on_a_customer_list_is_no_breach(intents: RuleSet) -> None:
    body = "Ta bort mig från er kundlista, jag är inte kund längre."
    assert "breach" not in classify_text("", body, intents).intents


@pytest.mark.parametrize(
    ("subject", "body", "wanted"),
    [
        (
            "SV: Begäran om radering av mitt konto",
            "Hej igen. Det här är tredje gången jag hör av mig och jag har fortfarande inte "
            "hört något. Sex veckor nu.\n\nMvh Per",
            "erasure",
        ),
        (
            "Re: Request for a copy of my personal data",
            "Hello, I sent this a month ago and still have not had any reply. Please respond.",
            "access",
        ),
        (
            "AW: Löschung meiner Daten",
            "Guten Tag, ich habe immer noch keine Antwort erhalten. Freundliche Grüße, Jan",
            "erasure",
        ),
    ],
)
def test_a_reminder_asks_again_for_what_its_reply_subject_names(
    intents: RuleSet, subject: str, body: str, wanted: str
) -> None:
    """A chaser says only that it waits; the request it chases is its reply subject's."""
    assert wanted in classify_text(subject, body, intents).intents


@pytest.mark.parametrize(
    "body",
    [
        "Tack för hjälpen, nu fungerar allt som det ska.",
        "Stoppa alla utskick till mig, inga påminnelser heller.",
        "Thanks, that answers everything.",
    ],
)
def test_a_reply_that_does_not_chase_leaves_its_subject_at_a_quarter(
    intents: RuleSet, body: str
) -> None:
    """Under "Re: Begäran om radering" a thank-you or another request asks for no erasure."""
    assert "erasure" not in classify_text("Re: Begäran om radering", body, intents).intents


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        (
            "Admin-Kontakt im Tenant ändern",
            "Guten Tag, bitte ändern Sie die Kontaktadresse unseres Microsoft-365-Tenants auf "
            "it@firma.example. Danke, Firma AB",
        ),
        (
            "Tenant contact",
            "Hi, please change the technical contact address in our Microsoft 365 tenant to "
            "it@firm.example. Thanks, Firm Ltd",
        ),
    ],
)
def test_a_right_no_stronger_than_the_it_work_it_names_is_it_work(
    intents: RuleSet, subject: str, body: str
) -> None:
    """Nothing reaches a request, and what a right has is as much a firm's IT work: other."""
    assert classify_text(subject, body, intents).intents == ("other",)


def test_a_person_changing_their_own_address_still_asks_for_a_correction(
    intents: RuleSet,
) -> None:
    body = "Hej, jag har flyttat. Kan ni ändra min adress till Storgatan 1, 123 45 Ort?"
    assert classify_text("Ny adress", body, intents).intents == ("rectification",)


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        (
            "Fler kunder via Google?",
            "Hej! Vi hjälper företag som ert att hamna på första sidan på Google. Vi har tittat "
            "på hur ni hanterar kunddata på webben. Har ni 15 minuter på torsdag?",
        ),
        (
            "Quick question",
            "Hi there, we help companies answer GDPR art. 15 requests automatically. Do you "
            "store customer data in more than one system? Do you have 15 minutes this week?",
        ),
    ],
)
def test_a_sellers_questions_and_article_numbers_are_part_of_the_pitch(
    intents: RuleSet, subject: str, body: str
) -> None:
    """A pitch's "Do you store …?" and "art. 15" count 30 %, as its rules do: no request."""
    assert classify_text(subject, body, intents).intents == ("other",)


@pytest.mark.parametrize(
    "body",
    [
        "Hej. Varje fredag kommer ett mejl med era kampanjer. Jag har aldrig anmält mig till"
        " det, så vad håller ni på med?",
        "I keep getting text messages with your weekly offers. I never signed up for any of this.",
    ],
)
def test_marketing_one_never_asked_for_asks_for_it_to_stop(intents: RuleSet, body: str) -> None:
    assert classify_text("", body, intents).intents[0] == "marketing_optout"


def test_never_having_asked_for_a_repair_is_no_opt_out(intents: RuleSet) -> None:
    body = "Hej, jag har aldrig bett om en ny hårddisk, varför står den på fakturan?"
    assert "marketing_optout" not in classify_text("", body, intents).intents


@pytest.mark.parametrize(
    "body",
    [
        "Hej, jag vill inte att ni tittar på mina tidigare köp för att ge mig förslag i portalen.",
        "Please don't use what I have bought to decide what to show me next.",
    ],
)
def test_profiling_said_in_plain_words_is_an_objection(intents: RuleSet, body: str) -> None:
    assert classify_text("", body, intents).intents == ("objection",)


@pytest.mark.parametrize(
    "body",
    [
        "sluta ringa mig om erbjudanden och ta bort mitt nummer ur era system",
        "Stop the sales calls and delete my phone number from your records.",
    ],
)
def test_a_command_joined_to_a_command_is_asked_too(intents: RuleSet, body: str) -> None:
    assert set(classify_text("", body, intents).intents) == {"marketing_optout", "erasure"}


def test_a_first_person_verb_joined_to_a_report_asks_nothing(intents: RuleSet) -> None:
    # "I report this … and I delete it": the writer's own doing, not a command to us
    body = (
        "Ilmoitan tästä, jotta voitte hoitaa asian – en ole lähettänyt sitä eteenpäin ja"
        " poistan sen."
    )
    assert "erasure" not in classify_text("Sain toisen asiakkaan laskun", body, intents).intents


def test_selling_is_no_sales_call(intents: RuleSet) -> None:
    body = "Nu säljer jag företaget och vill inte längre vara med i er kundberättelse."
    assert "marketing_optout" not in classify_text("", body, intents).intents


def test_an_angry_chase_is_a_complaint_beside_the_request(intents: RuleSet) -> None:
    body = (
        "In August I asked you which details you hold on me and I have heard nothing since."
        " I still want to know what you have, and I would like an explanation for the silence."
    )
    assert set(classify_text("Still waiting", body, intents).intents) == {"complaint", "access"}


def test_a_polite_reminder_is_no_complaint(intents: RuleSet) -> None:
    body = (
        "Hej, i oktober bad jag om en kopia av mina personuppgifter men jag har inte hört något"
        " än. Jag väntar fortfarande på den."
    )
    assert classify_text("Påminnelse", body, intents).intents == ("access",)


@pytest.mark.parametrize(
    ("body", "intent"),
    [
        ("Hei, vær så snill å slutte med nyhetsbrevet til meg.", "marketing_optout"),
        ("Hej, vær venlig at slette mine oplysninger hos jer.", "erasure"),
    ],
)
def test_please_in_norwegian_and_danish_asks(intents: RuleSet, body: str, intent: str) -> None:
    assert classify_text("", body, intents).intents == (intent,)


@pytest.mark.parametrize(
    "body",
    [
        "Hej, kan ni berätta vilka uppgifter ni har om mig? Och sluta ringa mig med erbjudanden.",
        "Bonjour, pourriez-vous me dire quelles données vous avez sur moi ? Et ne m'appelez"
        " plus, merci.",
    ],
)
def test_asking_to_be_told_which_data_is_held_is_a_request_beside_another(
    intents: RuleSet, body: str
) -> None:
    assert set(classify_text("", body, intents).intents) == {"access", "marketing_optout"}


def test_deleting_any_other_data_held_asks_for_no_copy(intents: RuleSet) -> None:
    body = "Please delete my customer account and any other data you hold on me."
    assert classify_text("", body, intents).intents == ("erasure",)


def test_others_in_a_gap_is_no_change_of_mind(intents: RuleSet) -> None:
    # "andra bilder på mig" (other pictures of me) around a gap is no "ändrat mig"
    body = (
        "Jag har aldrig godkänt att ni publicerar bilder på mig. Ta bort alla andra bilder på"
        " mig också."
    )
    found = classify_text("", body, intents)
    assert not any(e.intent == "consent_withdrawal" for e in found.evidence)


@pytest.mark.parametrize(
    "body",
    [
        "Last spring I ticked the box so you could show my photo on your website. I have"
        " changed my mind and I want the photo taken down.",
        "I fjol sa jag ja till att ni fick visa min bild på er webbplats. Jag har ändrat mig"
        " och vill att bilden plockas bort.",
    ],
)
def test_a_consent_taken_back_a_sentence_later_is_withdrawn_in_full(
    intents: RuleSet, body: str
) -> None:
    # beside the removal it asks for, not outweighed by it
    assert "consent_withdrawal" in classify_text("", body, intents).intents


@pytest.mark.parametrize(
    ("subject", "body", "intent"),
    [
        # umlauts typed as ae, oe, ue
        ("Meine Daten", "Hallo, bitte loescht alle meine Daten bei euch. Danke!", "erasure"),
        (
            "Beschwerde",
            "Seit zwei Monaten keine Antwort. Ich wende mich jetzt an die Datenschutzbehoerde.",
            "complaint",
        ),
        # a Spanish imperative in -ad before "mis": no participle
        ("Baja", "Hola, por favor quitad mis datos de vuestro sistema.", "erasure"),
        # Danish: consent given, then regretted
        (
            "Billede",
            "Jeg sagde ja til at I brugte mit billede. Det har jeg fortrudt nu.",
            "consent_withdrawal",
        ),
        # Danish: another customer's invoice
        (
            "Forkert mail",
            "Jeg har fået en regning som tilhører en anden kunde, med hans navn og adresse.",
            "breach",
        ),
    ],
)
def test_everyday_words_of_other_languages(
    intents: RuleSet, subject: str, body: str, intent: str
) -> None:
    assert classify_text(subject, body, intents).intents[0] == intent


@pytest.mark.parametrize(
    "body",
    [
        "My account in your portal was hacked, someone changed my password and ordered things"
        " in my name.",
        "Jag hittade mitt personnummer på er hemsida, öppet för vem som helst att läsa.",
        "The link in your email opens other people's repair reports, I just checked three.",
        "Datorn jag köpte begagnad av er hade kvar den förra ägarens filer, bilder och mejl.",
        "I bought a refurbished laptop from you and it still has the previous owner's documents"
        " on it.",
        "Någon har kommit åt mitt konto hos er och bytt e-postadress.",
        "Your support chat showed me the conversation of the customer before me.",
    ],
)
def test_a_breach_told_in_plain_words(intents: RuleSet, body: str) -> None:
    assert classify_text("", body, intents).intents[0] == "breach"


def test_data_sent_astray_is_no_wrong_value(intents: RuleSet) -> None:
    body = "Your technician sent my bank details to the wrong number."
    assert "rectification" not in classify_text("", body, intents).intents


@pytest.mark.parametrize(
    "body",
    [
        "Jag sa ja till att ni fick skicka erbjudanden på sms, men det vill jag inte längre.",
        "Förra året kryssade jag i att ni fick spara min ansökan i ett år. Jag vill att ni"
        " struntar i det nu.",
        "When I signed up I allowed you to share my details with partners. I no longer allow that.",
        "I gave you the OK to quote me on your website; I'm withdrawing it.",
        "Please treat my earlier yes to the photo as a no from now on.",
        "Jag backar ur ert referensprogram, jag vill inte längre vara med.",
    ],
)
def test_a_consent_taken_back_in_plain_words(intents: RuleSet, body: str) -> None:
    assert classify_text("", body, intents).intents[0] == "consent_withdrawal"


@pytest.mark.parametrize(
    "body",
    [
        "Jag sa ja till offerten i går, när kommer teknikern?",
        "I'll let you know when I am home so the technician can come by.",
    ],
)
def test_a_yes_without_taking_it_back_withdraws_nothing(intents: RuleSet, body: str) -> None:
    assert "consent_withdrawal" not in classify_text("", body, intents).intents


@pytest.mark.parametrize(
    "body",
    [
        "Jag vill klaga på att er tekniker läste mina privata mejl när han lagade datorn.",
        "Your handling of my access request has been a joke from start to finish.",
        "Your reply to my data request was incomplete and arrived late. I want this escalated.",
        "Det känns som att ni struntar i lagen. Jag har fortfarande inte fått mitt registerutdrag.",
    ],
)
def test_a_complaint_in_plain_words(intents: RuleSet, body: str) -> None:
    assert "complaint" in classify_text("", body, intents).intents


@pytest.mark.parametrize(
    ("body", "intent"),
    [
        ("Ni stavar mitt namn med ett s för mycket.", "rectification"),
        (
            "My surname is misspelled; I married last year and my new surname is Holm.",
            "rectification",
        ),
        ("Please send all my tickets and device list to my new provider.", "portability"),
        ("Which of my details have you shared with others?", "access"),
        ("I'm tired of your weekly offers, make them stop.", "marketing_optout"),
        ("Please don't text me about deals anymore.", "marketing_optout"),
        ("I'd rather you didn't keep tabs on which pages I visit in the portal.", "objection"),
        (
            "I'm no longer a customer, so there's no reason for you to hold on to my information.",
            "erasure",
        ),
    ],
)
def test_plain_requests_of_every_kind(intents: RuleSet, body: str, intent: str) -> None:
    assert classify_text("", body, intents).intents[0] == intent


def test_correcting_an_invoice_is_no_rectification(intents: RuleSet) -> None:
    body = "Please correct the invoice, you charged us twice for the same visit."
    assert classify_text("Invoice", body, intents).intents == ("other",)


def test_a_question_on_what_our_staff_do_with_data(intents: RuleSet) -> None:
    body = "Do your technicians look at my files when they repair my laptop?"
    assert classify_text("", body, intents).intents == ("question",)


@pytest.mark.parametrize(
    "body",
    [
        "Vilka typer av uppgifter samlar ni in om era kunder?",
        "What kind of data do you collect about customers in general?",
        "How do you protect the data in your customer portal?",
        "Which categories of personal data do you process for support cases?",
    ],
)
def test_a_question_on_practice_in_general(intents: RuleSet, body: str) -> None:
    assert classify_text("", body, intents).intents == ("question",)


def test_what_kind_of_data_held_about_me_is_still_access(intents: RuleSet) -> None:
    body = "Please tell me what kind of data you hold about me."
    assert classify_text("", body, intents).intents[0] == "access"


def test_a_request_recounted_a_few_words_back_is_told(intents: RuleSet) -> None:
    body = (
        "Den 12 september bad jag att få se vilka uppgifter ni har om mig. Svaret kom först"
        " efter två månader och var ofullständigt. Så här får det inte gå till, jag kontaktar IMY."
    )
    assert classify_text("", body, intents).intents == ("complaint",)


def test_a_new_german_number_is_a_correction(intents: RuleSet) -> None:
    assert classify_text("", "Ich habe eine neue Handynummer: 0176 1234567.", intents).intents == (
        "rectification",
    )


@pytest.mark.parametrize(
    ("body", "intent"),
    [
        # short lines with no stops: each line is a sentence, so "det" takes the line before
        (
            "hej\nni skickar sms om kampanjer varje vecka\ndet vill jag inte ha\nmvh Sven",
            "marketing_optout",
        ),
        ("Hej\nJag har kvar ett gammalt konto hos er\nDet kan ni ta bort\nTack", "erasure"),
        # a line ending in "att" goes on in the next one
        ("Hej,\nJag vill att\nni raderar mina uppgifter.\nMvh Eva", "erasure"),
    ],
)
def test_a_short_line_without_a_stop_ends_its_sentence(
    intents: RuleSet, body: str, intent: str
) -> None:
    assert classify_text("", body, intents).intents == (intent,)


def test_a_mailers_wrapped_lines_are_one_sentence() -> None:
    wrapped = (
        "Hej! Jag har varit kund hos er sedan 2015 och har nu bestämt mig för\n"
        "att byta leverantör. Jag vill därför att ni raderar alla uppgifter ni\n"
        "har sparat om mig, utom det ni måste spara enligt bokföringslagen."
    )
    tokens = normalise(wrapped).tokens
    words = [t.word for t in tokens]
    # "ni" ends a line and "har sparat" opens the next: one sentence all the same
    assert tokens[words.index("raderar")].sentence == tokens[words.index("sparat")].sentence
    short = "hej\nni skickar sms varje vecka\ndet vill jag inte ha"
    tokens = normalise(short).tokens
    assert [t.sentence for t in tokens] == [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]


def test_a_reminder_chasing_an_unanswered_request_asks_for_it_again(intents: RuleSet) -> None:
    # the request recounted is chased ("nothing but an auto-reply"), so it is asked again
    body = (
        "It has been six weeks since I asked for a copy of my data and I have had nothing but an "
        "auto-reply. If I hear nothing this week I will report you to the authority."
    )
    assert set(classify_text("", body, intents).intents) == {"complaint", "access"}


@pytest.mark.parametrize(
    "body",
    [
        "Om inget händer anmäler jag er till IMY.",
        "Om ni inte svarar inom en vecka anmäler jag er till Integritetsskyddsmyndigheten.",
    ],
)
def test_a_negation_in_an_if_clause_stays_there(intents: RuleSet, body: str) -> None:
    # the main clause opens with its verb before the subject: "anmäler jag" is not negated
    assert classify_text("", body, intents).intents[0] == "complaint"


@pytest.mark.parametrize(
    ("subject", "body", "expected"),
    [
        # the body names a leaver: the subject's "delete the user" is the firm's IT work too
        (
            "Radera användare",
            "Hej, Karin har slutat hos oss. Flytta hennes filer till mig, tack. /Ulf",
            ("other",),
        ),
        (
            "Remove old account",
            "Hi, Mark left us on Friday. Forward his mail to me for a month. Thanks, Jo",
            ("other",),
        ),
        # IT work on the firm's systems in the body, likewise
        (
            "Ta bort kontot",
            "Hej, vår vikarie behöver inte sitt Microsoft 365-konto längre. /Eva, Bageriet",
            ("other",),
        ),
        # the writer's own data in the subject stays theirs beside IT words
        (
            "Radera mina uppgifter",
            "Hej, jag har slutat använda er tjänst och tagit bort Outlook på min dator. /Eva",
            ("erasure",),
        ),
        # no leaver: the subject asks for the writer's own erasure as before
        ("Radera mitt konto", "Hej, jag vill inte vara kund längre. /Ulf", ("erasure",)),
    ],
)
def test_a_leaver_in_the_body_makes_the_subject_it_work(
    intents: RuleSet, subject: str, body: str, expected: tuple[str, ...]
) -> None:
    assert classify_text(subject, body, intents).intents == expected


@pytest.mark.parametrize(
    ("subject", "body", "expected"),
    [
        # a subject that chases makes the request the body recounts asked again
        ("Tredje gången jag skriver", "Jag bad er radera mitt konto i maj.", ("erasure",)),
        # so does a body that says it was not done
        (
            "Mitt konto",
            "Jag bad er radera mitt konto i maj och ni har uppenbarligen inte tagit bort något.",
            ("erasure",),
        ),
        # a request recounted and done is told, not asked
        ("Mitt konto", "Jag bad er radera mitt konto i maj, och det gjorde ni. Tack!", ("other",)),
    ],
)
def test_a_chase_in_the_subject_or_a_deed_undone_asks_again(
    intents: RuleSet, subject: str, body: str, expected: tuple[str, ...]
) -> None:
    assert classify_text(subject, body, intents).intents == expected
