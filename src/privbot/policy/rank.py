"""Policy sections ranked for a question: BM25 over word stems, with synonyms and key words.

Each section with text of its own is one document: its text, its and its parent's headings,
and the key words that `chat/sections.toml` and the topics of `chat/topics.toml` give it (in
both languages, so an English question finds the Swedish policy). A word of the question
counts through any of its forms: its Swedish and English stems, the synonym groups of
`chat/sections.toml` it belongs to, and for a Swedish compound the last part the policy knows
("kortuppgifterna" → "uppgift"). A word scores once, by its best form.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import simplemma
from rapidfuzz import fuzz, process

from privbot.text import stemmer

_WORD = re.compile(r"\w+(?:[-']\w+)*")
K1 = 1.2
B = 0.75
KEYWORD_WEIGHT = 2  # a heading or key word counts as this many words of text
MIN_HEAD, MIN_TAIL = 3, 6  # the shortest compound parts looked up ("kort|uppgifter")
FUZZY_MIN = 88.0  # a misspelt word ("nyhetsbrevt") stands for a known one this close
_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def fold(word: str) -> str:
    """Swedish typed without å, ä, ö ("rattigheter" for "rättigheter")."""
    return word.translate(_ASCII)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


@lru_cache(maxsize=50_000)
def stems(word: str, lemmatise: bool = True) -> tuple[str, ...]:
    """The word's Swedish and English forms: the stem of its lemma in each language ("säger" →
    "säga", "bought" → "buy"), then the stems of the word itself. The first form is the
    Swedish one, the last the English one. A stem of under four letters is too likely another
    word's ("dator" and "data" both stem to "dat" in English), so the word stands instead."""
    sv = _stem("swedish", _lemma(word, "sv") if lemmatise else word)
    en = _stem("english", _lemma(word, "en") if lemmatise else word)
    return tuple(dict.fromkeys((sv, _stem("swedish", word), _stem("english", word), en)))


def _stem(language: str, word: str) -> str:
    stem: str = stemmer(language).stemWord(word)
    return stem if len(stem) >= 4 or stem == word else word


def _lemma(word: str, language: str) -> str:
    """The dictionary form (simplemma's data: "säger" → "säga", "kept" → "keep"); a word the
    dictionary does not know stands for itself."""
    if not word.isalpha() or len(word) > 40:
        return word
    lemma: str = simplemma.lemmatize(word, lang=language)
    return lemma.lower()


@dataclass(frozen=True)
class Synonyms:
    """Groups of words that mean the same to a reader; a member stands for its group."""

    single: dict[str, frozenset[str]]  # a stem -> the groups it belongs to
    multi: tuple[tuple[tuple[str, ...], str], ...]  # (stems of a phrase, its group)
    literal: frozenset[str] = frozenset()  # words the dictionary gives a wrong lemma ("dator")
    starts: dict[str, list[tuple[tuple[str, ...], str]]] = field(
        default_factory=dict, compare=False, repr=False
    )  # `multi` by the phrase's first stem

    def __post_init__(self) -> None:
        for phrase, group in self.multi:
            self.starts.setdefault(phrase[0], []).append((phrase, group))

    def stems(self, word: str) -> tuple[str, ...]:
        return stems(word, word not in self.literal)

    @classmethod
    def build(
        cls, groups: Iterable[tuple[str, Sequence[str]]], literal: Iterable[str] = ()
    ) -> Synonyms:
        self = cls({}, (), frozenset(literal))
        single: dict[str, set[str]] = {}
        multi: list[tuple[tuple[str, ...], str]] = []
        for name, members in groups:
            for member in dict.fromkeys(m for raw in members for m in (raw, fold(raw))):
                parts = words(member)  # also as typed without å, ä, ö ("gäller" → "galler")
                if len(parts) == 1:
                    for stem in self.stems(parts[0]):
                        single.setdefault(stem, set()).add("~" + name)
                elif parts:
                    for i in (0, -1):  # the Swedish forms, and the English forms
                        multi.append((tuple(self.stems(p)[i] for p in parts), "~" + name))
        return cls(
            {k: frozenset(v) for k, v in single.items()},
            tuple(dict.fromkeys(multi)),
            self.literal,
        )

    def forms(self, text: str) -> list[set[str]]:
        """Per word of `text`: its stems and the groups it stands for (a phrase's group goes to
        its first word)."""
        found = words(text)
        out = []
        for word in found:
            own = set(self.stems(word))
            for stem in list(own):
                own |= self.single.get(stem, frozenset())
            out.append(own)
        if self.starts:
            sv = [self.stems(w)[0] for w in found]
            en = [self.stems(w)[-1] for w in found]
            for i in range(len(found)):
                for first in {sv[i], en[i]}:
                    for phrase, group in self.starts.get(first, ()):
                        if _follows(phrase, i, sv) or _follows(phrase, i, en):
                            out[i].add(group)
        return out


def _follows(phrase: tuple[str, ...], start: int, forms: list[str]) -> bool:
    """The phrase's words from `start` on, with at most one other word between two of them
    (Swedish puts the subject there: "hur drar jag tillbaka", "säger jag nej")."""
    at = start
    for part in phrase[1:]:
        if at + 1 < len(forms) and forms[at + 1] == part:
            at += 1
        elif at + 2 < len(forms) and forms[at + 2] == part:
            at += 2
        else:
            return False
    return True


@dataclass(frozen=True)
class Ranked:
    section: str
    score: float
    coverage: float  # the question's content words the section matched, weighted by rarity
    matched: tuple[str, ...]  # those words


class SectionIndex:
    def __init__(
        self,
        documents: dict[str, tuple[str, str]],  # number -> (text, key words and headings)
        synonyms: Synonyms,
        stop: frozenset[str],
    ) -> None:
        self.synonyms = synonyms
        self.stop = stop
        self.terms: dict[str, Counter[str]] = {}
        for number, (text, keys) in documents.items():
            counts: Counter[str] = Counter()
            for forms in synonyms.forms(text):
                counts.update(forms)
            for forms in synonyms.forms(keys):
                for form in forms:
                    counts[form] += KEYWORD_WEIGHT
            self.terms[number] = counts
        self.length = {n: sum(c.values()) for n, c in self.terms.items()}
        self.average = sum(self.length.values()) / max(len(self.length), 1)
        df: Counter[str] = Counter()
        for counts in self.terms.values():
            df.update(counts.keys())
        total = len(self.terms)
        self.idf = {t: math.log(1 + (total - n + 0.5) / (n + 0.5)) for t, n in df.items()}
        self.unknown_idf = math.log(1 + (total + 0.5) / 0.5)  # a word no section has
        self.folded: dict[str, set[str]] = {}
        for term in self.idf:
            if term[0] != "~":
                self.folded.setdefault(fold(term), set()).add(term)
        known = [t for t in self.idf if t[0] != "~"] + list(synonyms.single)
        self._stems = sorted({t for t in known if len(t) >= 5})
        self._queries: dict[str, list[tuple[str, set[str]]]] = {}

    def _query(self, question: str) -> list[tuple[str, set[str]]]:
        """`_uncached_query`: an answer asks it several times for one question (whether it is
        about the policy, its content words, the ranking); the last few are kept."""
        cached = self._queries.get(question)
        if cached is None:
            cached = self._uncached_query(question)
            if len(self._queries) >= 64:
                self._queries.clear()
            self._queries[question] = cached
        return list(cached)

    def _uncached_query(self, question: str) -> list[tuple[str, set[str]]]:
        """The question's content words with their forms; an unknown Swedish compound also
        stands for its known last part."""
        found = words(question)
        forms = self.synonyms.forms(question)
        out = []
        for word, own in zip(found, forms, strict=True):
            if len(word) < 2:
                continue
            if (
                word in self.stop
            ):  # a stop word counts only as a synonym ("sparar", "vad gör ni med")
                own = {f for f in own if f[0] == "~"}
                if not own:
                    continue
            if not own & self.idf.keys():
                own |= self._near(word, own)
            out.append((word, own))
        return out

    def _near(self, word: str, own: set[str]) -> set[str]:
        """Forms of a word the sections do not have: typed without å/ä/ö, a compound's known
        last part, or a small misspelling of a known word."""
        near = set()
        for form in own:
            near |= self.folded.get(fold(form), set())
        if not near and len(word) >= MIN_HEAD + MIN_TAIL:
            near = self._compound_part(word)
        if not near and len(word) >= 7:
            stem = min(own, key=len)
            found = process.extractOne(stem, self._stems, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN)
            if found:
                near = {found[0]}
        for form in list(near):
            near |= self.synonyms.single.get(form, frozenset())
        return {f for f in near if f in self.idf}

    def _compound_part(self, word: str) -> set[str]:
        """A compound's known last part, with its first part when that is known too
        ("partnerföretag" → "partner", "företag")."""
        for cut in range(MIN_HEAD, len(word) - MIN_TAIL + 1):
            tail = self.synonyms.forms(word[cut:])[0]
            if tail & self.idf.keys():
                head = self.synonyms.forms(word[:cut].rstrip("s"))[0]
                return tail | (head if head & self.idf.keys() else set())
        return set()

    def content_words(self, question: str) -> list[str]:
        return [word for word, _ in self._query(question)]

    def query(self, question: str) -> list[tuple[str, set[str]]]:
        """The question's content words, each with every form it counts as (stems, synonym
        groups, and for an unknown word its folded, compound or misspelt known form)."""
        return self._query(question)

    def rarity(self, forms: set[str]) -> float:
        return max((self.idf[f] for f in forms if f in self.idf), default=self.unknown_idf)

    def rank(self, question: str) -> list[Ranked]:
        query = self._query(question)
        if not query:
            return []
        weights = [self.rarity(forms) for _, forms in query]
        total = sum(weights)
        ranked = []
        for number, counts in self.terms.items():
            norm = K1 * (1 - B + B * self.length[number] / self.average)
            score, covered, matched = 0.0, 0.0, []
            for (word, forms), weight in zip(query, weights, strict=True):
                best = max(
                    (
                        self.idf[f] * counts[f] * (K1 + 1) / (counts[f] + norm)
                        for f in forms
                        if counts.get(f)
                    ),
                    default=0.0,
                )
                if best:
                    score += best
                    covered += weight
                    matched.append(word)
            if score:
                ranked.append(Ranked(number, score, covered / total, tuple(matched)))
        ranked.sort(key=lambda r: -r.score)
        return ranked
