"""Answers to questions about the policy: ranked sections, vetted answers, never invented facts.

In order: a question naming a section ("vad står i avsnitt 9.3?") gets that section quoted; then
the policy's sections are ranked for the question (`rank.py`: BM25 over stems, with the synonyms
and key words of chat/sections.toml and the topics' phrases). The best section answers when it
scores well enough and matches enough of the question's words: with the vetted short answer of
its topic (chat/topics.toml) when one of that topic's phrases matches, else by quoting the
section's sentence that covers the question best. A greeting or thanks gets its small-talk
answer. Anything weaker is no answer: the bot then says so and offers to pass the question to
staff, and cites nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from privbot.config import read_toml
from privbot.errors import ConfigError
from privbot.policy.document import Policy
from privbot.policy.rank import Ranked, SectionIndex, Synonyms, fold
from privbot.policy.texts import LANGUAGES, Text, Texts, compile_text

_TOKEN = re.compile(r"[^\w\-]+")
_PHRASE_TOKEN = re.compile(r"[^\w\-*]+")
_SECTION_REF = re.compile(
    r"\b(?:avsnitt|avsnittet|section|punkt|paragraf|§)\s*(\d{1,2}(?:\.\d{1,2})?)\b", re.IGNORECASE
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
STOP_WEIGHT = 0.3
SIBLING_SHARE = 0.8  # a second sub-section this close makes their heading the answer
TOPIC_WEIGHT = 2.0
REQUEST_SHARE = 0.6  # a request cites another section only when its own score below this share  # per word of a matching topic phrase, added to its section's BM25 score
FUZZY_MIN = 85.0
MIN_FUZZY_LEN = 5


def tokens(text: str, pattern: re.Pattern[str] = _TOKEN) -> list[str]:
    """Lower-case words; diacritics are kept ("andra" is not "ändra")."""
    text = unicodedata.normalize("NFC", text.lower()).replace("/", " ")
    return [t.strip("-") for t in pattern.split(text) if t.strip("-")]


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """A key phrase's words, keeping a trailing * (prefix match)."""
    return tuple(tokens(phrase, _PHRASE_TOKEN))


@lru_cache(maxsize=200_000)
def token_matches(pattern: str, word: str) -> bool:
    """`spar*` matches any word starting with "spar"; a long word also matches with a typo."""
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1]) or fold(word).startswith(fold(pattern[:-1]))
    if pattern == word or fold(pattern) == word:
        return True
    return len(pattern) >= MIN_FUZZY_LEN and fuzz.ratio(pattern, word) >= FUZZY_MIN


@dataclass(frozen=True)
class Topic:
    name: str
    section: str
    phrases: tuple[tuple[str, ...], ...]  # lower-case words, both languages
    answer: Text
    offer: str = ""
    answer_first: bool = False


@dataclass(frozen=True)
class Words:
    stop: dict[str, frozenset[str]]
    question: dict[str, frozenset[str]]
    yes: dict[str, frozenset[str]]
    no: dict[str, frozenset[str]]
    cancel: dict[str, frozenset[str]]
    subject: dict[str, frozenset[str]]  # "ni" in "Slänger ni …?": a verb first asks
    modal: dict[str, frozenset[str]]  # "Kan ni …", "Vill ni …": a verb first that requests


@dataclass(frozen=True)
class Answer:
    topic: str  # topic name, "section" or "policy_text"
    text: str
    citations: tuple[str, ...]
    offer: str = ""  # an intent the person may want to request next
    answer_first: bool = False
    score: float = 0.0


_OPTIONAL_WORDS = frozenset({"subject", "modal"})


def _words(raw: dict[str, Any], key: str, path: Path) -> dict[str, frozenset[str]]:
    out = {}
    for lang in LANGUAGES:
        name = key if key == "stop" else "%s_%s" % (key, lang)
        values = raw.get(lang) if key == "stop" else raw.get(name)
        if values is None and key in _OPTIONAL_WORDS:
            values = []
        if not isinstance(values, list):
            raise ConfigError(
                "%s: [words] needs a list %s" % (path, name if key != "stop" else lang)
            )
        out[lang] = frozenset(" ".join(tokens(str(v))) for v in values)
    return out


def load_topics(path: Path, policy: Policy) -> tuple[list[Topic], Words]:
    data = read_toml(path)
    raw_words = data.get("words", {})
    words = Words(
        *(
            _words(raw_words, k, path)
            for k in ("stop", "question", "yes", "no", "cancel", "subject", "modal")
        )
    )
    topics = []
    for index, raw in enumerate(data.get("topic", [])):
        name = str(raw.get("name", "topic %d" % (index + 1)))
        where = "%s: topic %s" % (path, name)
        section = str(raw.get("section", ""))
        if section and policy.get(section) is None:
            raise ConfigError(
                "%s: cites section %s, which the policy does not have" % (where, section)
            )
        phrases = raw.get("phrases", {})
        if not all(isinstance(phrases.get(lang), list) and phrases[lang] for lang in LANGUAGES):
            raise ConfigError("%s: needs phrases.sv and phrases.en" % where)
        folded = tuple(
            phrase_tokens(p) for lang in LANGUAGES for p in phrases[lang] if phrase_tokens(p)
        )
        topics.append(
            Topic(
                name,
                section,
                folded,
                compile_text(raw.get("answer"), where + " answer"),
                str(raw.get("offer", "")),
                bool(raw.get("answer_first", False)),
            )
        )
    if not topics:
        raise ConfigError("%s: no [[topic]] entries" % path)
    return topics, words


@dataclass(frozen=True)
class Vocabulary:
    """chat/sections.toml: synonym groups, each section's key words, and the answer thresholds."""

    synonyms: Synonyms
    keywords: dict[str, str]  # section number -> its key words, both languages
    stop: frozenset[str] = frozenset()  # words that point to no section
    outside: Synonyms = Synonyms({}, ())  # topics the policy does not cover, as group "~outside"
    min_score: float = 4.0
    min_coverage: float = 0.5
    sure_score: float = 10.0  # a section scoring this answers whatever the coverage
    vague_coverage: float = 0.5  # the least coverage of a question that names no `about` group
    about: frozenset[str] = frozenset()  # synonym groups that make a question the policy's
    trade: Synonyms = Synonyms({}, ())  # the company's own trade (computers, repairs), "~trade"
    personal: frozenset[str] = frozenset()  # groups that keep a question on the trade the policy's
    phrases: Synonyms = Synonyms({}, ())  # [about]: phrases that make a question the policy's


def load_vocabulary(path: Path, policy: Policy) -> Vocabulary:
    data = read_toml(path)
    if unknown := set(data) - {
        "answer",
        "synonyms",
        "section",
        "stop",
        "outside",
        "about",
        "trade",
        "lemmas",
    }:
        raise ConfigError("%s: unknown table(s) %s" % (path, sorted(unknown)))
    groups = data.get("synonyms", {})
    if not isinstance(groups, dict) or not all(
        isinstance(v, list) and all(isinstance(w, str) for w in v) for v in groups.values()
    ):
        raise ConfigError('%s: [synonyms] takes lists of words: name = ["…", …]' % path)
    keywords = {}
    for number, raw in data.get("section", {}).items():
        if policy.get(number) is None:
            raise ConfigError('%s: [section."%s"]: the policy has no such section' % (path, number))
        if not isinstance(raw, dict) or not all(
            isinstance(raw.get(lang, []), list) for lang in LANGUAGES
        ):
            raise ConfigError('%s: [section."%s"] takes sv and en lists' % (path, number))
        keywords[number] = " . ".join(str(w) for lang in LANGUAGES for w in raw.get(lang, []))
    stop = data.get("stop", {})
    outside = data.get("outside", {})
    trade = data.get("trade", {})
    about = data.get("about", {})
    for name, table in (("stop", stop), ("outside", outside), ("trade", trade), ("about", about)):
        if not isinstance(table, dict) or not all(isinstance(v, list) for v in table.values()):
            raise ConfigError("%s: [%s] takes lists of words per language" % (path, name))
    literal = data.get("lemmas", {}).get("literal", [])
    if not isinstance(literal, list):
        raise ConfigError("%s: [lemmas] literal takes a list of words" % path)
    literal = [str(w).lower() for w in literal]
    answer = data.get("answer", {})
    named = {}
    for key in ("about", "personal"):
        value = answer.get(key, [])
        if not isinstance(value, list) or (unknown := {str(g) for g in value} - set(groups)):
            raise ConfigError(
                "%s: [answer] %s names synonym groups; unknown: %s"
                % (path, key, sorted(unknown) if isinstance(value, list) else value)
            )
        named[key] = frozenset("~" + str(g) for g in value)
    try:
        min_score = float(answer.get("min_score", 4.0))
        min_coverage = float(answer.get("min_coverage", 0.5))
        sure_score = float(answer.get("sure_score", 10.0))
        vague_coverage = float(answer.get("vague_coverage", 0.5))
    except (TypeError, ValueError):
        raise ConfigError(
            "%s: [answer] min_score, min_coverage, sure_score and vague_coverage are numbers" % path
        ) from None
    return Vocabulary(
        Synonyms.build([(str(k), v) for k, v in groups.items()], literal),
        keywords,
        frozenset(str(w).lower() for words in stop.values() for w in words),
        Synonyms.build(
            [("outside", [str(w) for words in outside.values() for w in words])], literal
        ),
        min_score,
        min_coverage,
        sure_score,
        vague_coverage,
        named["about"],
        Synonyms.build([("trade", [str(w) for words in trade.values() for w in words])], literal),
        named["personal"],
        Synonyms.build([("about", [str(w) for words in about.values() for w in words])], literal),
    )


class Answerer:
    def __init__(
        self,
        policy: Policy,
        topics: list[Topic],
        words: Words,
        texts: Texts,
        vocabulary: Vocabulary | None = None,
    ) -> None:
        self.policy = policy
        self.topics = topics
        self.words = words
        self.texts = texts
        self.vocabulary = vocabulary or Vocabulary(Synonyms({}, ()), {})
        self._all_stop = words.stop["sv"] | words.stop["en"]
        self._topic_cache: dict[str, list[tuple[float, Topic]]] = {}
        stop = self._all_stop | self.vocabulary.stop
        stop |= {fold(w) for w in stop}  # "for", "ar": Swedish typed without å/ä/ö
        self.index = SectionIndex(self._documents(), self.vocabulary.synonyms, frozenset(stop))

    @classmethod
    def load(cls, chat_dir: Path, policy: Policy, texts: Texts) -> Answerer:
        topics, words = load_topics(chat_dir / "topics.toml", policy)
        vocabulary = load_vocabulary(chat_dir / "sections.toml", policy)
        return cls(policy, topics, words, texts, vocabulary)

    def _documents(self) -> dict[str, tuple[str, str]]:
        """Per section with text: (its text, its headings and key words)."""
        documents = {}
        for section in self.policy.leaves():
            number = section.number
            keys = [self.policy.title_of(number), self.policy.title_of(section.parent)]
            keys.append(self.vocabulary.keywords.get(number, ""))
            for topic in self.topics:
                if topic.section == number:
                    keys += [" ".join(w.rstrip("*") for w in p) for p in topic.phrases]
            documents[number] = (section.text, " . ".join(k for k in keys if k))
        return documents

    # -- small judgements the conversation needs ------------------------------------------

    def language_of(self, message: str) -> str | None:
        """ "sv" or "en" when the stop words say so clearly; None for short or mixed text."""
        words = tokens(message)
        sv = sum(w in self.words.stop["sv"] or w in self.words.question["sv"] for w in words)
        en = sum(w in self.words.stop["en"] or w in self.words.question["en"] for w in words)
        if sv == en or max(sv, en) < 1 or (len(words) > 3 and abs(sv - en) < 2):
            return None
        return "sv" if sv > en else "en"

    def _is(self, kind: dict[str, frozenset[str]], message: str) -> bool:
        said = " ".join(tokens(message))
        return any(said in kind[lang] for lang in LANGUAGES)

    def is_yes(self, message: str) -> bool:
        return self._is(self.words.yes, message)

    def is_no(self, message: str) -> bool:
        return self._is(self.words.no, message)

    def is_cancel(self, message: str) -> bool:
        return self._is(self.words.cancel, message) or self.is_no(message)

    def is_question(self, message: str) -> bool:
        """Asking for information ("Hur länge…", "Do you…") rather than making a request."""
        words = tokens(message)
        starts = (" ".join(words[:1]), " ".join(words[:2]))
        if len(words) >= 2 and any(
            words[1] in self.words.subject[lang] and words[0] not in self.words.modal[lang]
            for lang in LANGUAGES
        ):
            return True  # a verb before its subject: "Slänger ni …", "Sparar du …"
        return bool(words) and any(
            start in self.words.question[lang] for start in starts for lang in LANGUAGES
        )

    # -- answers ------------------------------------------------------------------------

    def cite(self, sections: tuple[str, ...], language: str) -> str:
        if not sections:
            return ""
        joined = (" %s " % self.texts.say("and", language)).join(sections)
        return self.texts.say("cite", language, sections=joined)

    def answer(self, message: str, language: str) -> Answer | None:
        return (
            self._by_section_number(message, language)
            or self._by_rank(message, language)
            or self._small_talk(message, language)
        )

    def request_sections(self, message: str, own: tuple[str, ...]) -> tuple[str, ...]:
        """What a request in the chat cites: the sections its intents rest on (`own`), unless
        the policy has a section that fits the message clearly better ("stop profiling me":
        7.2 on profiling rather than 11.4 on objections in general)."""
        scored = self.scored(message)
        passing = self.ranked(message)
        if not passing or passing[0].section in own:
            return own
        theirs = max((r.score for r in scored if r.section in own), default=0.0)
        return (passing[0].section,) if theirs < REQUEST_SHARE * passing[0].score else own

    def ranked(self, message: str) -> list[Ranked]:
        """The section that answers `message` (a list of at most one); empty when none answers
        well enough."""
        if any("~outside" in forms for forms in self.vocabulary.outside.forms(message)):
            return []
        about = self.about_the_policy(message)
        if about is None:
            return []
        least = self.vocabulary.min_coverage if about else self.vocabulary.vague_coverage
        ranked = self.scored(message)
        if len(ranked) >= 2 and ranked[1].score >= SIBLING_SHARE * ranked[0].score:
            ranked[0] = self._parent_of_siblings(ranked[0], ranked[1])
        return [
            r
            for r in ranked[:1]
            if (about and r.score >= self.vocabulary.sure_score)
            or (r.score >= self.vocabulary.min_score and r.coverage >= least)
        ]

    def leaves_out(self, message: str, asking: bool) -> bool:
        """A message the policy leaves out, so not a request about personal data either: a
        question on a topic of [outside] ("have you had a data breach?"), or anything on the
        company's own trade that names no personal data ("can you remove the virus from my
        computer?")."""
        if asking and any("~outside" in f for f in self.vocabulary.outside.forms(message)):
            return True
        return self.about_the_policy(message) is None

    def about_the_policy(self, message: str) -> bool | None:
        """True when the question names something the policy is about (personal data, a right,
        a use or a recipient of data, the company's identity: the [answer] `about` groups and
        the [about] phrases); False when it names none of them, so that it must match its
        section closely (`vague_coverage`): "what does a repair cost?" shares words with the
        policy ("cost", "support") but asks nothing it answers. None when it is on the
        company's own trade ("do you sell used computers?") and names no personal data (the
        `personal` groups): the policy does not answer it."""
        vocabulary = self.vocabulary
        query = self.index.query(message)
        about_me = any("~about" in forms for forms in vocabulary.phrases.forms(message))
        if any("~trade" in forms for forms in vocabulary.trade.forms(message)):
            if not about_me and not any(forms & vocabulary.personal for _, forms in query):
                return None
        return (
            not vocabulary.about or about_me or any(forms & vocabulary.about for _, forms in query)
        )

    def scored(self, message: str) -> list[Ranked]:
        """Every section with a score for `message`, best first.

        A topic phrase that matches (all its words in the question) adds to its section's score;
        a question of stop words only ("vad vet ni om mig?") is answered by its topic phrases.
        """
        boost: dict[str, float] = {}
        for score, topic in self.topic_scores(message):
            if topic.section:
                boost[topic.section] = max(boost.get(topic.section, 0.0), score)
        found = {r.section: r for r in self.index.rank(message)}
        only_stop = not self.index.content_words(message)
        for section in boost.keys() - found.keys():
            found[section] = Ranked(section, 0.0, 1.0 if only_stop else 0.0, ())
        return sorted(
            (
                Ranked(
                    r.section,
                    r.score + TOPIC_WEIGHT * boost.get(r.section, 0.0),
                    r.coverage,
                    r.matched,
                )
                for r in found.values()
            ),
            key=lambda r: -r.score,
        )

    def _parent_of_siblings(self, first: Ranked, second: Ranked) -> Ranked:
        """Two sub-sections of one heading that answer about equally ("3.1" and "3.2" for "when
        do you collect data?"): the heading answers, when a topic vouches for it."""
        parent = first.section.split(".")[0]
        section = self.policy.get(parent)
        if (
            "." in first.section
            and second.section.split(".")[0] == parent
            and section is not None
            and not section.paragraphs
            and any(t.section == parent for t in self.topics)
        ):
            return Ranked(parent, first.score, max(first.coverage, second.coverage), first.matched)
        return first

    def _by_rank(self, message: str, language: str) -> Answer | None:
        ranked = self.ranked(message)
        if not ranked:
            return None
        best = ranked[0]
        for _, topic in self.topic_scores(message):
            if topic.section == best.section:
                return self._topic_answer(topic, language, best.score)
        section = self.policy.get(best.section)
        if section is None or not section.paragraphs:  # a heading: its topic's answer
            topic = next(t for t in self.topics if t.section == best.section)
            return self._topic_answer(topic, language, best.score)
        return self._quote(best, language)

    def _small_talk(self, message: str, language: str) -> Answer | None:
        for _, topic in self.topic_scores(message):
            if not topic.section:
                return self._topic_answer(topic, language, 0.0)
        return None

    def _topic_answer(self, topic: Topic, language: str, score: float) -> Answer:
        text = topic.answer.render(language, self.texts.company)
        citations = (topic.section,) if topic.section else ()
        cite = self.cite(citations, language)
        return Answer(
            topic.name,
            (text + " " + cite).strip(),
            citations,
            topic.offer,
            topic.answer_first,
            score,
        )

    def _quote(self, best: Ranked, language: str) -> Answer:
        number = best.section
        section = self.policy.sections[number]
        matched = [w for w in best.matched if len(w) >= 3]
        sentence = max(
            _sentences(section.text),
            key=lambda s: sum(any(_close(w, t) for t in tokens(s)) for w in matched),
        )
        text = self.texts.say("section_quote", language, number=number, quote=_shorten(sentence))
        return Answer("policy_text", text, (number,), score=best.score)

    def _by_section_number(self, message: str, language: str) -> Answer | None:
        for number in _SECTION_REF.findall(message):
            section = self.policy.get(number)
            if section is not None and section.paragraphs:
                quote = _shorten(" ".join(_sentences(section.text)[:3]))
                return Answer(
                    "section",
                    self.texts.say("section_quote", language, number=number, quote=quote),
                    (number,),
                    score=1.0,
                )
        return None

    def topic_scores(self, message: str) -> list[tuple[float, Topic]]:
        """The topics whose phrases match `message` (every word of a phrase), best first.

        An answer asks this several times for one message; the last few are kept."""
        cached = self._topic_cache.get(message)
        if cached is None:
            cached = self._topic_scores(message)
            if len(self._topic_cache) >= 64:
                self._topic_cache.clear()
            self._topic_cache[message] = cached
        return list(cached)

    def _topic_scores(self, message: str) -> list[tuple[float, Topic]]:
        words = tokens(message)
        first = _first_match(words)
        scored = []
        for topic in self.topics:
            covered: set[int] = set()
            for phrase in topic.phrases:
                hits = []
                for pattern in phrase:  # a phrase matches with all its words: stop at a miss
                    hit = first(pattern)
                    if hit is None:
                        break
                    hits.append(hit)
                else:
                    covered.update(hits)
            if covered:
                score = sum(STOP_WEIGHT if words[i] in self._all_stop else 1.0 for i in covered)
                scored.append((score, topic))
        scored.sort(key=lambda pair: -pair[0])  # stable: equal scores keep the file's order
        return scored


def _first_match(words: list[str]) -> Callable[[str], int | None]:
    """`first(pattern)`: the index of the first of `words` that `token_matches(pattern, word)`,
    or None; each pattern is looked up once, the fuzzy comparison over all words in one call."""
    folded = [fold(w) for w in words]
    position: dict[str, int] = {}
    for i, w in enumerate(words):
        position.setdefault(w, i)
    found: dict[str, int | None] = {}

    def first(pattern: str) -> int | None:
        if pattern in found:
            return found[pattern]
        if pattern.endswith("*"):
            prefix, folded_prefix = pattern[:-1], fold(pattern[:-1])
            index = next(
                (
                    i
                    for i, w in enumerate(words)
                    if w.startswith(prefix) or folded[i].startswith(folded_prefix)
                ),
                None,
            )
        else:
            candidates = [position[k] for k in (pattern, fold(pattern)) if k in position]
            if len(pattern) >= MIN_FUZZY_LEN:
                close = process.extract(
                    pattern, words, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN, limit=None
                )
                candidates += [i for _word, _score, i in close]
            index = min(candidates, default=None)
        found[pattern] = index
        return index

    return first


def _close(word: str, other: str) -> bool:
    if word == other:
        return True
    if len(word) >= 5 and len(other) >= 5 and word[:5] == other[:5]:
        return True  # Swedish inflection: "raderas" / "radering"
    return len(word) >= MIN_FUZZY_LEN and fuzz.ratio(word, other) >= 90


def _sentences(text: str) -> list[str]:
    return [s.strip().lstrip("- ").strip() for s in _SENTENCE.split(text) if s.strip()]


def _shorten(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
