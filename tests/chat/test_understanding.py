"""Chat answers that survive paraphrase (issue 13): words compared by their lemmas, a question
answered only when it is about something the policy covers, the company's own trade declined,
other languages, and one understanding of requests for mail and chat. The questions here and in
tests/chat/data/ are our own wordings."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest

from privbot.chat.bot import REQUEST_INTENTS, ChatBot
from privbot.classify.match import classify, classify_text
from privbot.config import Config
from privbot.errors import ConfigError
from privbot.mail.parse import parse
from privbot.policy.answer import load_vocabulary
from privbot.policy.document import load_policy
from privbot.policy.rank import Synonyms, stems

DATA = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, object]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_words_compare_by_their_lemma() -> None:
    def share(a: str, b: str) -> bool:
        return bool(set(stems(a)) & set(stems(b)))

    assert share("säger", "säga")  # the stem alone keeps them apart
    assert share("fick", "få")
    assert share("bought", "buy")
    assert share("kept", "keep")
    assert share("dator", "data")  # the dictionary's mistake: sections.toml's [lemmas] literal


def test_a_word_with_a_wrong_dictionary_form_compares_as_written() -> None:
    synonyms = Synonyms.build([("data", ["data"])], literal=["dator", "tag"])
    assert synonyms.forms("dator") == [{"dator"}]
    assert synonyms.forms("tag") == [{"tag"}]  # "få tag på", not "ta"
    assert "~data" in synonyms.forms("datan")[0]


@pytest.mark.parametrize(
    "question",
    [
        "vad kostar en ny laptop hos er",  # the company's trade
        "säljer ni begagnade datorer",  # "sell", but computers, not data
        "kan ni komma och fixa nätverket på mitt kontor",
        "what does a support contract cost per month",  # policy words, no policy question
        "is there a student discount on monitors",
        "vilken färg har er logga",  # nothing the policy is about
    ],
)
def test_questions_the_policy_does_not_answer_cite_nothing(bot: ChatBot, question: str) -> None:
    reply = bot.handle(None, question, "outside")
    assert reply.citations == (), reply.reply
    assert reply.next == ("yes_no",)  # offered to staff
    said = reply.reply.lower()
    assert "handläggare" in said or "staff" in said


@pytest.mark.parametrize(
    ("question", "sections"),
    [
        # the trade is named, but so is personal data
        ("jag köpte en dator av er, vilka uppgifter sparade ni om mig då", {"4", "4.1"}),
        ("do you sell the details of people who buy computers from you", {"9.1", "12"}),
        # a long story in words the policy lacks, with a plain question in it
        (
            "för ett par år sen hade vi ett stort projekt ihop med er på mitt gamla jobb och nu "
            "undrar jag hur länge ni sparar personuppgifter om kontaktpersoner",
            {"8", "8.1", "8.2"},
        ),
        # irregular forms, found through their lemma
        ("vad gav jag er för samtycke när jag skrev upp mig", {"6.2", "12", "11.7"}),
        # other languages: the core words
        ("hvor lenge lagrer dere opplysningene mine", {"8", "8.1", "8.2"}),
        ("kan jeg klage til datatilsynet over jer", {"11.6"}),
        ("geben Sie meine Daten an Dritte weiter", {"9", "9.1"}),
        ("welche Rechte habe ich", {"11", "11.3"}),
    ],
)
def test_paraphrases_cite_a_section_that_answers(
    bot: ChatBot, question: str, sections: set[str]
) -> None:
    reply = bot.handle(None, question, "paraphrase")
    assert reply.citations, reply.reply
    assert set(reply.citations) <= sections, (reply.citations, reply.reply)


@pytest.mark.parametrize("name", ["questions_own.jsonl", "questions_fresh.jsonl"])
def test_our_labelled_questions_are_mostly_answered_right(bot: ChatBot, name: str) -> None:
    """A guard against regressions over every section and the trade; benchmarks/chat.py
    --questions tests/chat/data/NAME prints the figure and the misses."""
    rows = _rows(name)
    right = 0
    for number, row in enumerate(rows):
        gold = set(row["sections"])  # type: ignore[call-overload]
        cited = set(bot.handle(None, str(row["q"]), "labelled-%d" % number).citations)
        right += bool(cited & gold) if gold else not cited
    assert right / len(rows) >= 0.85, "%d/%d" % (right, len(rows))
    assert sum(1 for row in rows if not row["sections"]) >= 8  # outside the policy too


@pytest.mark.parametrize(
    "text",
    [
        "Radera allt ni har om mig, tack.",
        "Please send me a copy of all personal data you hold about me.",
        "Sluta skicka reklam till mig.",
        "Jag tar tillbaka mitt samtycke till era utskick.",
        "My surname is spelt wrong in your register, please correct it.",
        "I object to you profiling me.",
        "Vad har ni för orgnummer?",
    ],
)
def test_a_request_is_read_alike_in_the_chat_and_in_mail(bot: ChatBot, text: str) -> None:
    """One understanding for both channels: the chat asks the mail classifier."""
    msg = EmailMessage()
    msg["From"] = "anna.person@example.com"
    msg["To"] = "dataskydd@company.example"
    msg["Subject"] = ""
    msg["Message-ID"] = "<chat-and-mail@example.com>"
    msg.set_content(text)
    by_mail = {i for i in classify(parse(msg.as_bytes()), bot.ctx.ruleset).intents}
    reply = bot.handle(None, text, "both")
    asked = by_mail & REQUEST_INTENTS
    if asked:
        assert set(reply.intents) == asked
        assert reply.next == ("name",)  # the request goes on: who are you
    else:
        assert not set(reply.intents) & REQUEST_INTENTS
        assert reply.citations  # a question: answered from the policy


def test_about_must_name_synonym_groups(config: Config, tmp_path: Path) -> None:
    bad = tmp_path / "sections.toml"
    bad.write_text('[synonyms]\ndata = ["data"]\n[answer]\nabout = ["nosuch"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="nosuch"):
        load_vocabulary(bad, load_policy(config.policy_file))
    bad.write_text('[answer]\nsure_score = "high"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="sure_score"):
        load_vocabulary(bad, load_policy(config.policy_file))
    bad.write_text('[trade]\nsv = "dator"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="trade"):
        load_vocabulary(bad, load_policy(config.policy_file))


@pytest.mark.parametrize(
    "text",
    [
        "har det varit något dataintrång hos er, kan jag klaga?",  # a question on [outside]
        "please delete the malware from my files",  # the trade, no personal data
    ],
)
def test_what_the_policy_leaves_out_starts_no_request(bot: ChatBot, text: str) -> None:
    by_classifier = classify_text("", text, bot.ctx.ruleset, "sv").intents
    assert set(by_classifier) & REQUEST_INTENTS  # the words alone read as a request
    reply = bot.handle(None, text, "left-out")
    assert reply.citations == ()
    assert not set(reply.intents) & REQUEST_INTENTS
    assert reply.next == ("yes_no",)  # offered to staff instead


def test_a_phrase_may_have_one_word_inside_it() -> None:
    synonyms = Synonyms.build([("object", ["säga nej"]), ("withdraw", ["dra tillbaka"])])
    assert "~object" in synonyms.forms("hur säger jag nej")[1]
    assert "~withdraw" in synonyms.forms("hur drar jag tillbaka det")[1]
    assert "~withdraw" not in synonyms.forms("drar jag mig för att gå tillbaka")[0]


def test_a_verb_before_its_subject_asks_rather_than_requests(bot: ChatBot) -> None:
    answerer = bot.answerer
    assert answerer.is_question("slänger ni gamla kunduppgifter någon gång")
    assert answerer.is_question("sparar du mina köp")
    assert not answerer.is_question("kan ni radera mina uppgifter")  # a request
    assert not answerer.is_question("radera mina uppgifter")
