"""Answers that survive paraphrase: sections ranked by stems, synonyms and key words (rank.py,
chat/sections.toml); questions the policy does not answer are declined with an offer to pass
them to staff, citing nothing. The questions here are our own wordings, unlike the table in
test_questions.py: colloquial, English, Swedish typed without å/ä/ö, misspelt, compounds."""

from __future__ import annotations

from pathlib import Path

import pytest

from privbot.chat.answer import load_vocabulary
from privbot.chat.bot import ChatBot
from privbot.chat.policy import load_policy
from privbot.chat.rank import SectionIndex, Synonyms
from privbot.config import Config
from privbot.errors import ConfigError

PARAPHRASES: list[tuple[str, set[str]]] = [
    # colloquial and abbreviated Swedish
    ("vad e ert orgnummer", {"1"}),
    ("har ni sparat mitt personnr nånstans", {"4.1"}),
    ("hur länge ligger mina grejer kvar i era system", {"8", "8.1", "8.2"}),
    ("vilka partnerföretag får ta del av det ni vet om mig", {"9.1"}),
    ("skickar ni iväg min info till usa", {"9.3"}),
    ("kan jag dra tillbaka mitt ok till era utskick", {"11.7", "12"}),
    ("hur slipper jag att ni skräddarsyr erbjudanden åt mig", {"7.2"}),
    ("varifrån fick ni tag i mina uppgifter", {"3", "3.1", "3.2"}),
    # typed without å, ä, ö
    ("hur lange sparar ni kunduppgifter", {"8", "8.1"}),
    ("far ni andra policyn utan att fraga mig", {"10"}),
    # misspelt and compounds
    ("kan andra som får nyhetsbrevt se min mejladress", {"12"}),
    ("sparar ni mina kortuppgifterna", {"4.1"}),
    # English
    ("how long do you hold on to customer records?", {"8", "8.1", "8.2"}),
    ("do you pass my details on to other companies in your group?", {"9.1", "12"}),
    ("is my personal info sent abroad?", {"9.3"}),
    ("which regulator can i report you to?", {"11.6"}),
    ("on what legal grounds do you hold my data?", {"6"}),
    ("how do i get a copy of everything you have on me?", {"11.3", "13"}),
    ("what do you do with my email address once i subscribe?", {"12", "5.2"}),
]

OUTSIDE: list[str] = [
    "vilken tid stänger butiken på fredagar",
    "kan ni laga min trasiga skärm",
    "what is the wifi password in your office",
    "can you help me set up a printer at home",
]


@pytest.mark.parametrize(("question", "sections"), PARAPHRASES, ids=[q for q, _ in PARAPHRASES])
def test_paraphrases_cite_a_right_section(bot: ChatBot, question: str, sections: set[str]) -> None:
    reply = bot.handle(None, question, "paraphrase")
    assert reply.citations, reply.reply
    assert set(reply.citations) <= sections, (reply.citations, reply.reply)


@pytest.mark.parametrize("question", OUTSIDE)
def test_questions_outside_the_policy_are_declined_and_offered_to_staff(
    bot: ChatBot, question: str
) -> None:
    reply = bot.handle(None, question, "outside")
    assert reply.citations == ()
    assert reply.next == ("yes_no",)
    said = reply.reply.lower()
    assert "handläggare" in said or "staff" in said


def test_a_request_in_the_chat_is_read_by_the_mail_classifier(bot: ChatBot) -> None:
    reply = bot.handle(None, "Radera allt ni har om mig, tack.", "request")
    assert reply.intents == ("erasure",)
    assert reply.next == ("name",)
    reply = bot.handle(None, "Please stop profiling me.", "request")
    assert "objection" in reply.intents
    assert reply.citations == ("7.2",)  # the profiling section fits better than 11.4


def test_synonyms_and_stems_match_across_languages() -> None:
    synonyms = Synonyms.build([("keep", ["spara", "retain", "hold on to"])])
    index = SectionIndex(
        {
            "8.1": ("Personuppgifter sparas så länge de behövs.", ""),
            "9.1": ("Vi säljer inget.", ""),
        },
        synonyms,
        frozenset({"do", "you", "my"}),
    )
    ranked = index.rank("do you retain my records")
    assert ranked[0].section == "8.1"
    assert ranked[0].matched == ("retain",)
    assert index.rank("hold on to") and index.rank("hold on to")[0].section == "8.1"


def test_a_section_the_policy_lacks_stops_start_up(config: Config, tmp_path: Path) -> None:
    bad = tmp_path / "sections.toml"
    bad.write_text('[section."99.9"]\nsv = ["x"]\nen = ["x"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="99.9"):
        load_vocabulary(bad, load_policy(config.policy_file))
    bad.write_text('[synonyms]\nkeep = "spara"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="synonyms"):
        load_vocabulary(bad, load_policy(config.policy_file))
