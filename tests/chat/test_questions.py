"""The question table: questions people ask, in Swedish and English, each with the policy section
the answer must cite. `benchmarks/chat.py` reports how many of them the chat gets right."""

from __future__ import annotations

import pytest

from privbot.chat.bot import ChatBot

QUESTIONS: list[tuple[str, str]] = [
    # what is kept
    ("Vilka personuppgifter har ni sparat om mig?", "4.1"),
    ("Vad vet ni om mig egentligen?", "4.1"),
    ("Sparar ni mitt personnummer?", "4.1"),
    ("Jag prenumererar bara på nyhetsbrevet – vilka uppgifter har ni då?", "4.2"),
    ("What personal information do you store about your customers?", "4.1"),
    ("Do you keep my social security number?", "4.1"),
    # why, and on what legal basis
    ("Varför behandlar ni mina personuppgifter?", "5.1"),
    ("Vad använder ni min e-post till när jag får nyhetsbrev?", "5.2"),
    ("Why do you process my data?", "5.1"),
    ("Vilken laglig grund har ni för att behandla mina uppgifter?", "6"),
    ("What is your lawful basis for processing?", "6"),
    ("Behandlar ni känsliga uppgifter med stöd av intresseavvägning?", "6.3"),
    # when, where
    ("När samlar ni in uppgifter om mig?", "3"),
    ("Var lagras mina uppgifter?", "3.3"),
    ("Who is the data controller for my information?", "2"),
    # profiling
    ("Profilerar ni era kunder?", "7.1"),
    ("Do you use profiling to send me personalised offers?", "7.1"),
    ("Hur invänder jag mot profilering?", "7.2"),
    # retention
    ("Hur länge sparar ni mina uppgifter?", "8.1"),
    ("How long do you retain customer data?", "8.1"),
    ("När raderar ni uppgifterna ur faktureringssystemet?", "8.2"),
    # recipients and transfers
    ("Säljer ni mina uppgifter till andra företag?", "9.1"),
    ("Do you share my information with third parties?", "9.1"),
    ("Lämnar ni ut uppgifter till polisen eller andra myndigheter?", "9.2"),
    ("Skickar ni mina uppgifter till länder utanför EU?", "9.3"),
    ("Is my data transferred outside the EEA?", "9.3"),
    # policy changes
    ("Kan ni ändra integritetspolicyn utan att fråga mig?", "10"),
    # rights
    ("Vilka rättigheter har jag?", "11.3"),
    ("What are my rights regarding my personal data?", "11.3"),
    ("Hur gör jag för att få ett registerutdrag?", "11.3"),
    ("Hur gör jag om mina uppgifter är felaktiga?", "11.2"),
    ("How do I get you to stop sending me marketing?", "11.5"),
    ("Hur återkallar jag mitt samtycke?", "11.7"),
    # complaints (IMY from the company facts, citing 11.6)
    ("Var kan jag klaga på hur ni hanterar mina personuppgifter?", "11.6"),
    ("Which supervisory authority can I complain to?", "11.6"),
    # e-mail addresses, contact
    ("Kan andra prenumeranter se min e-postadress?", "12"),
    ("Hur kontaktar jag er om dataskydd?", "13"),
    ("What is your phone number?", "13"),
]


def test_the_table_is_large_enough() -> None:
    assert len(QUESTIONS) >= 30
    assert (
        sum(
            1
            for q, _ in QUESTIONS
            if any(
                w in q.lower().split() for w in ("do", "what", "how", "why", "is", "who", "which")
            )
        )
        >= 10
    )


@pytest.mark.parametrize(("question", "section"), QUESTIONS, ids=[q for q, _ in QUESTIONS])
def test_the_answer_cites_the_right_section(bot: ChatBot, question: str, section: str) -> None:
    reply = bot.handle(None, question, "question-table")
    assert section in reply.citations, reply.reply
    word = "avsnitt" if reply.language == "sv" else "section"
    assert "%s %s" % (word, section) in reply.reply
