"""Loading `intents/`: the shipped files load, bad files stop with file (and line)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from privbot.classify.intents import load_intents, needed_texts, searched_as
from privbot.classify.normalise import NOT, fold, normalise
from privbot.classify.result import Intent
from privbot.errors import ConfigError

INTENTS_DIR = Path(__file__).resolve().parents[2] / "intents"


def test_shipped_intents_load() -> None:
    intents = load_intents(INTENTS_DIR)
    assert set(intents.intents) == set(Intent.__members__)
    assert intents.screening.auto_reply.phrases


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "intents"
    shutil.copytree(INTENTS_DIR, target)
    return target


BAD = [
    ("toml syntax", 'description = "x"\n[phrases.sv]\n"radera" = \n', "line 3"),
    ("unknown key", 'descripton = "typo"\n', "unknown key"),
    ("unknown language", '[phrases.de]\n"x" = 1.0\n', "phrases.de"),
    ("weight not a number", '[phrases.sv]\n"radera" = "mycket"\n', "weight"),
    (
        "someone_elses not a bool",
        '[[rules]]\naction = "delete"\nobject = "me"\nsomeone_elses = "yes"\n',
        "someone_elses",
    ),
    ("topic not a bool", '[phrases.sv]\n"radera" = { weight = 0.5, topic = 1 }\n', "topic"),
    ("bad regex", "[patterns]\n'art(17' = 1.0\n", "regular expression"),
    ("short wildcard", '[phrases.sv]\n"ra*" = 1.0\n', "wildcard"),
    ("yields to nothing", "[yields_to]\nfoo = 1.0\n", "not an intent"),
    (
        "unless no group",
        '[[rules]]\naction = "delete"\nobject = "me"\nunless = "object.nothing"\n',
        "no [object.nothing]",
    ),
    (
        "needs no context",
        '[[rules]]\naction = "delete"\nobject = "me"\nneeds = "nothing"\n',
        "no [context.nothing]",
    ),
]


@pytest.mark.parametrize(("point", "content", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_file_names_file(copy: Path, point: str, content: str, message: str) -> None:
    (copy / "erasure.toml").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_intents(copy)
    assert "erasure.toml" in str(err.value)
    assert message in str(err.value)


def test_missing_intent_file(copy: Path) -> None:
    (copy / "question.toml").unlink()
    with pytest.raises(ConfigError, match="question"):
        load_intents(copy)


def test_stray_file_is_not_an_intent(copy: Path) -> None:
    (copy / "deletion.toml").write_text("", encoding="utf-8")
    with pytest.raises(ConfigError, match="deletion.toml"):
        load_intents(copy)


def test_bad_kinds_file(copy: Path) -> None:
    (copy / "_kinds.toml").write_text("[auto_reply]\nsubjects = ['(']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="_kinds.toml"):
        load_intents(copy)


@pytest.mark.parametrize(
    ("text", "folded"), [("RÄTTA Åsa Öberg", "ratta asa oberg"), ("Café Müller", "cafe muller")]
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    "text", ["jag vill INTE", "I don't want", "we do not", "ni får ej", "no longer"]
)
def test_negations_become_one_token(text: str) -> None:
    assert NOT in {t.sv for t in normalise(text).tokens}


def test_clauses_end_at_contrast() -> None:
    tokens = normalise("Radera inte kontot, bara adressen").tokens
    assert tokens[0].clause != tokens[-1].clause and tokens[0].sentence == tokens[-1].sentence


NEEDED = [
    (r"\bart[a-z]{0,8}\.?\s*15\b", ("art",)),
    (
        r"\b(?:mitt )?(?:fornamn|namn)(?:et)? (?:stavas|skrivs) med\b",
        (
            "namn skrivs med",  # "fornamn skrivs med" holds it too
            "namn stavas med",
            "namnet skrivs med",
            "namnet stavas med",
        ),
    ),
    (r"\btook (?:you|u) (?:over |almost )?(?:\w+ )?(?:weeks|months)\b", ("took u ", "took you ")),
    (r"\b(?:it.?s|it has) been (?:\w+ )?weeks", (" been ",)),
    (r"(?i)\bname is\b", ()),  # case-blind: no text is certain
    (r"\?", ()),  # one character tells nothing
    (r"[a-z]+ \d+", ()),
]


@pytest.mark.parametrize(("source", "needs"), NEEDED)
def test_needed_texts(source: str, needs: tuple[str, ...]) -> None:
    assert needed_texts(re.compile(source)) == needs


_SOURCES = [re.compile(p.source) for p in load_intents(INTENTS_DIR).patterns]
_SHIPPED = [regex for regex in _SOURCES if needed_texts(regex)]


@pytest.mark.parametrize("regex", _SHIPPED, ids=[r.pattern[:40] for r in _SHIPPED])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_match_holds_a_needed_text(regex: re.Pattern[str], data: st.DataObject) -> None:
    """The texts a pattern is only searched for when present are in every text it matches."""
    text = data.draw(st.from_regex(regex))
    found = regex.search(text)
    assert found is not None
    assert any(n in found.group() for n in needed_texts(regex))


SEARCHED_AS = [
    (r"\bart[a-z]{0,8}\.?\s*15\b", r"art(?<=\bart)[a-z]{0,8}\.?\s*15\b"),
    (r"\bdet har gatt (?:over )?", r"det har gatt (?<=\bdet har gatt )(?:over )?"),
    (r"\barts?x", r"art(?<=\bart)s?x"),  # the quantified letter stays behind
    (r"\bab{2}", r"a(?<=\ba)b{2}"),
    (r"\bx*y", r"\bx*y"),
    (r"\b(?:is|ar) now", r"\b(?:is|ar) now"),
    (r"\\bart", r"\\bart"),  # a backslash, then "bart"
    (r"(?i)\bart", r"(?i)\bart"),
]


@pytest.mark.parametrize(("source", "searched"), SEARCHED_AS)
def test_searched_as(source: str, searched: str) -> None:
    assert searched_as(re.compile(source)).pattern == searched


_LEADING = [r for r in _SOURCES if searched_as(r) is not r] + [re.compile(r"\bab|cd")]


@pytest.mark.parametrize("regex", _LEADING, ids=[r.pattern[:40] for r in _LEADING])
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_searched_as_finds_what_the_regex_finds(
    regex: re.Pattern[str], data: st.DataObject
) -> None:
    """The word-first form finds the same match, at the same place, with the same groups."""
    words = st.sampled_from(["", " ", "x", "_", "a", "1", "-", "\n", "é", "art", "r"])
    before, after = data.draw(st.lists(words, max_size=4)), data.draw(st.lists(words, max_size=4))
    text = "".join(before) + data.draw(st.from_regex(regex)) + "".join(after)
    for where in (text, text[1:], text[: len(text) // 2]):
        found, also = regex.search(where), searched_as(regex).search(where)
        assert (found and (found.span(), found.groups())) == (also and (also.span(), also.groups()))
