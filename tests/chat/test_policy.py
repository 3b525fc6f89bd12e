"""The policy splitter on the shipped policy's oddities and on a small policy of our own."""

from __future__ import annotations

from pathlib import Path

import pytest

from privbot.chat.bot import ChatBot
from privbot.config import Config
from privbot.errors import ConfigError
from privbot.policy.answer import Answerer, load_topics
from privbot.policy.document import load_policy, split_policy


def test_shipped_policy_sections(config: Config) -> None:
    policy = load_policy(config.policy_file)
    assert [n for n in policy.sections if "." not in n] == [str(i) for i in range(1, 14)]
    assert policy.sections["1"].title == "Allmänt"  # "1 Allmänt", no dot
    assert policy.sections["2"].title == "Personuppgiftsansvarig"
    assert (
        policy.sections["7"].title == "Profilering"
    )  # the body's heading, not the contents' "Profilerings"
    assert policy.sections["4.1"].title == "För dig som är kund till IT-team"
    assert (
        policy.sections["8.2"].title == "Gallringspolicy"
        and "faktureringsverktyg" in policy.sections["8.2"].text
    )
    assert "EU/EES" in policy.sections["9.3"].text
    assert "Fax" not in policy.sections["11.5"].text and any(
        "Domnarvsgatan" in s for s in policy.sections["11.5"].stray
    )
    assert "Datainspektionen" in policy.sections["11.6"].text
    assert "Telefon" in policy.sections["13"].text


def test_own_policy_with_contents_and_mixed_headings() -> None:
    policy = split_policy(
        "Innehåll\n\n1. Om oss\n2 Lagring\n\n1 Om oss\n\nVi är ett bolag.\n\n2. Lagring\n\n2.1 Vi sparar data i tre år.\n\nExempel AB\nGatan 1\n"
    )
    assert list(policy.sections) == ["1", "2", "2.1"]
    assert policy.sections["2.1"].text == "Vi sparar data i tre år."
    assert policy.sections["2.1"].stray == ["Exempel AB Gatan 1"]


def test_a_topic_citing_a_missing_section_stops_start_up(config: Config, tmp_path: Path) -> None:
    topics = tmp_path / "topics.toml"
    topics.write_text(
        "[words]\nsv=[]\nen=[]\nquestion_sv=[]\nquestion_en=[]\nyes_sv=[]\nyes_en=[]\nno_sv=[]\nno_en=[]\ncancel_sv=[]\ncancel_en=[]\n"
        '[[topic]]\nname="x"\nsection="99.1"\nphrases.sv=["a"]\nphrases.en=["a"]\nanswer.sv="a"\nanswer.en="a"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="99.1"):
        load_topics(topics, load_policy(config.policy_file))


def test_complaints_name_imy_from_the_company_facts(bot: ChatBot) -> None:
    reply = bot.handle(None, "Hur anmäler jag er till tillsynsmyndigheten?", "p")
    assert reply.citations == ("11.6",)
    assert bot.config.company["authority"]["short_name"] in reply.reply


def test_a_named_section_is_quoted(bot: ChatBot) -> None:
    reply = bot.handle(None, "Vad står det i avsnitt 8.2?", "p")
    assert reply.citations == ("8.2",) and "faktureringsverktyg" in reply.reply


def test_no_match_offers_staff_instead_of_guessing(bot: ChatBot) -> None:
    answerer: Answerer = bot.answerer
    assert answerer.answer("Hur krypterar ni lösenord i databasen?", "sv") is None
    reply = bot.handle(None, "Hur krypterar ni lösenord i databasen?", "p")
    assert reply.citations == () and reply.next == ("yes_no",)
