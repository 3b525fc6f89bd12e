"""Swedish and English text normalisation shared by intent phrases and message text.

Text is case-folded and written without diacritics (å, ä → a, ö → o), so "radera pa en gang"
and "radera på en gång" read alike; negation words become one token, `NOT`; every word is
stemmed with the Snowball Swedish and English stemmers. Matching is left to `classify/match.py`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import attrgetter
from typing import Final

from privbot.text import fold, stemmer

MAX_CHARS: Final = 60_000  # text beyond this is not read (the reply parser reads 50,000)
NOT: Final = "~not"  # the token every negation word becomes, in phrases and in text alike


# Negation cues. "no" only counts before a quantity word ("no more", "no longer").
NEGATIONS: Final = frozenset(
    {
        "inte",
        "ej",
        "icke",
        "aldrig",
        "inget",
        "ingen",
        "inga",
        "int",
        "nte",
        "not",
        "never",
        "neither",  # "is neither deleted nor used"
        "nor",
        "varken",
        "hverken",
        "weder",
        "nt",
        "nothing",
        "nicht",
        "kein",
        "keine",
        "keinen",
        "ikke",
        "aldri",
        "nie",  # Polish
        "ei",  # Finnish
        "ala",  # Finnish "älä", folded
        "pas",  # French "ne … pas"
        "jamais",
        "nunca",
    }
)
_CONTRACTIONS: Final = re.compile(
    r"\b(do|does|did|is|are|was|were|have|has|had|could|would|should|wo|ca|must|need)n'?t\b"
)
_ITEM_NUMBER: Final = re.compile(r"(?:^|[^\n]*\n)\s*\d+[.)]")
# "ingå" (be part of) folds to "inga" (none), a negation: keep it apart, at the same length
_INGA: Final = re.compile(r"\bing[åÅ]", re.IGNORECASE)
# French and Italian elision: "d'effacer" is "de effacer", "l'accès" "le accès"
_ELISION: Final = re.compile(r"\b((?:[cdjlmnst]|qu))'(?=[a-z])")
_NO_MORE: Final = re.compile(r"\bno\s+(?=(?:more|longer|further|way)\b)")
# "you've stored", "I'm curious": the pronoun and its verb as two words
_PRONOUN_VERB: Final = re.compile(r"\b(i|you|we|they)'(ve|re|m|ll)\b")
_VERBS: Final = {"ve": "have", "re": "are", "m": "am", "ll": "will"}
_CANNOT: Final = re.compile(r"\bcannot\b")
_WORD: Final = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# An address or a link names no request: "info@firma.se" is not "info", and its dots end no sentence
_ADDRESS: Final = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b(?:https?://|www\.)\S+")
# A sentence or clause ends at . ! ? ; : a line break, or a contrasting conjunction.
_CLAUSE_BREAK: Final = re.compile(r"[.!?;:,\u2028]|\s[-–]\s|\n\s*\n|\n\s*(?:[-*•]|\d+[.)])")
_SENTENCE_BREAK: Final = re.compile(r"[.!?;\u2028]|\n\s*\n|\n\s*(?:[-*•]|\d+[.)])")
# A text whose lines are short was not wrapped by a mailer: where such a line ends, its
# sentence ends, stop or no stop ("jag får sms från er varje vecka\ndet vill jag inte ha").
# Two lines this long or longer may be a mailer's wrapping, and then a line end is a space.
WRAPPED: Final = 60
_WRITERS: Final = frozenset(
    "min mitt mina my mine vår vårt våra var vart vara our".split()
)  # folded
_NOT_NAMES: Final = frozenset("teams windows ios macos mcafees atlassians dropbox googles".split())
_LINE_END: Final = "\u2028"  # a line separator: the same length as the newline it stands for
_LIST_ITEM: Final = re.compile(r"\s*(?:[-*•·]|\d+[.)])")
# a line that ends in one of these goes on in the next (folded)
_GOES_ON: Final = frozenset(
    "och att som i på av till för med om eller men samt the and or to of in on for with "
    "that a an my your mina min mitt pa for".split()
)
# Irregular Swedish verb forms the stemmer leaves apart: "tar bort" means "ta bort".
_LEMMAS: Final = {
    "tar": "ta",
    "tog": "ta",
    "tagit": "ta",
    "tas": "ta",
    "togs": "ta",
    "far": "fa",
    "fick": "fa",
    "fatt": "fa",
    "hade": "ha",
    "haft": "ha",
    "drar": "dra",
    "drog": "dra",
    "dragit": "dra",
    "ger": "ge",
    "gav": "ge",
    "gett": "ge",
    "gar": "ga",
    "gick": "ga",
    "gor": "gora",
    "gjorde": "gora",
    "gjort": "gora",
    "vill": "vilja",
    "ville": "vilja",
    "velat": "vilja",
    "ska": "skola",
    "skall": "skola",
    "skulle": "skola",
    "sag": "se",
    "ser": "se",
    "sett": "se",
    "stod": "sta",
    "star": "sta",
    "sa": "saga",
    "sade": "saga",
    "andre": "annan",  # "den andre", Norwegian/Danish "andre opplysninger": other, not "ändra"
    "dator": "datorer",  # a computer, not "data": the stemmer makes both "dat"
}
# Past forms of these and of the request verbs: a request cue in the past recounts, it does not
# ask ("i går fick jag ett mejl", not "får jag"; "he asked us for a list"); "ville" and "skulle"
# stay, they ask politely ("jag ville be er …").
PAST_FORMS: Final = frozenset(
    "tog tagit togs fick fatt hade haft drog dragit gav gett gick gjorde gjort velat sag sett".split()
    + "stod sade bad begarde onskade kravde behovde hoppades".split()
    + "asked requested wanted needed demanded required expected wished hoped".split()
)
CLAUSE_WORDS: Final = frozenset(
    {
        "men",
        "utan",
        "bara",
        "endast",
        "but",
        "just",
        "only",
        "instead",
        "istallet",
        "however",
        "dock",
        "daremot",
        "except",
        "utom",
        "forutom",
    }
)


_CONTRACTION_END: Final = re.compile(r"n'?t\b")  # how every contraction ends: quicker to look for
# a polite request negates nothing: Danish/Norwegian "vil I ikke godt slette …?" (would you
# please), Swedish "kan ni inte bara radera …?" (can't you just)
_POLITE: Final = re.compile(
    r"\b(vil|kan|kunne|ville) (du|i|dere|de) ikke godt\b|\bkan (ni|du) inte bara\b"
)


# wondering whether you could is asking you to: "jag undrar om ni kan radera …?", "I was
# wondering if you could send …", "undrar om det vore möjligt att få …" (not "undrar om ni
# sparar …", which wonders about a practice)
_WONDER: Final = re.compile(
    r"\b(undrar|undrade|wonder|wondering) (?:om|ifall|if|whether) "
    r"(?:(ni|du|jag|you|i) (kan|kunde|skulle kunna|far|can|could|would)|"
    r"(?:det (?:ar|vore|skulle vara|gar)|it (?:is|would be)) (?:mojligt |possible )?"
    r"(?:att|(?:for you )?to))\b"
)


def _wonder(m: re.Match[str]) -> str:
    """ "undrar om ni kan" → "undrar, kan ni"; "undrar om det vore möjligt att" → "undrar,
    kan jag"; "wondering if it is possible to" → "wondering, could you"."""
    if m.group(2):
        return f"{m.group(1)}, {m.group(3)} {m.group(2)}"
    return f"{m.group(1)}, " + ("could you" if m.group(1).startswith("w") else "kan jag")


def _polite(m: re.Match[str]) -> str:
    return f"{m.group(1)} {m.group(2)} gerne" if m.group(1) else f"kan {m.group(3)} bara"


def _pronoun_verb(m: re.Match[str]) -> str:
    return f"{m.group(1)} {_VERBS[m.group(2)]}"


# a Swedish ending after a colon belongs to its word: "sms:en upphör", "cv:t", "pdf:erna"
# (not a break between clauses)
# (the colon first, the letters before it looked back at: a pattern that opens with a literal is
# searched for it, one that opens with a lookbehind is tried at every position)
_COLON_ENDING: Final = re.compile(r":(?<=[a-z]{2}:)(?=(?:en|et|n|t|ar|er|na|arna|erna|ens|ets)\b)")


# German, Polish, Finnish, Danish and Norwegian write a comma before "that": "Ich möchte
# nicht, dass Sie …", "nie chcę, żeby …", "en halua, että …". The wish and what it is about
# are one clause for matching (and a negation of the wish reaches what follows).
# German also before an infinitive with "zu": "hören Sie auf, mir Werbung zu schicken".
_COMMA_THAT: Final = re.compile(
    r", (?=(?:dass|ze|zeby|aby|etta|jotta|at)\b|(?:[\w-]+ ){1,6}zu [\w-]+\b)"
)


# the Swedish "just" of "just den inspelningen" (that very one) contrasts nothing, unlike the
# English "just" ("not a copy, just delete it"): same length, no clause word
_JUST_THAT: Final = re.compile(r"\bjust(?= (?:den|det|de|dem|denna|detta|dessa|nu)\b)")


def _expand(folded: str) -> str:
    if "just " in folded:
        folded = _JUST_THAT.sub("juxt", folded)
    if ":" in folded:
        folded = _COLON_ENDING.sub("", folded)
    if ", " in folded:
        folded = _COMMA_THAT.sub(" ", folded)
    if "'" in folded:  # every elision has its apostrophe
        folded = _ELISION.sub(r"\1 ", folded)
        folded = _PRONOUN_VERB.sub(_pronoun_verb, folded)
    if _CONTRACTION_END.search(folded):
        folded = _CONTRACTIONS.sub(r"\1 not", folded)
    if "more" in folded or "longer" in folded or "further" in folded or "way" in folded:
        folded = _NO_MORE.sub("not ", folded)
    if "ikke godt" in folded or "inte bara" in folded:
        folded = _POLITE.sub(_polite, folded)
    if "undra" in folded or "wonder" in folded:
        folded = _WONDER.sub(_wonder, folded)
    return _CANNOT.sub("can not", folded) if "cannot" in folded else folded


@lru_cache(maxsize=200_000)
def stems(word: str) -> tuple[str, str]:
    """The Swedish and English stems of a folded word (negations become `NOT`)."""
    if len(word) > 40:
        return word, word
    if word in NEGATIONS:
        return NOT, NOT
    word = word.replace("'", "")
    return stemmer("swedish").stemWord(_LEMMAS.get(word, word)), stemmer("english").stemWord(word)


class Token:
    """One word of a text. A class with slots, not a NamedTuple: the classifier reads its
    fields hundreds of times per message, and a slot is read several times faster."""

    __slots__ = ("word", "sv", "en", "start", "end", "clause", "sentence")

    def __init__(
        self, word: str, sv: str, en: str, start: int, end: int, clause: int, sentence: int
    ) -> None:
        self.word = word  # folded
        self.sv = sv  # Swedish stem
        self.en = en  # English stem
        self.start = start  # offsets into the folded, expanded text
        self.end = end
        self.clause = clause  # index of the clause the token is in
        self.sentence = sentence  # index of the sentence the token is in

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"Token({fields})"


class Normalised:
    """A text as matching reads it. A class with slots (made twice per message, its fields
    read all through matching), not a frozen dataclass, whose `__init__` runs in Python."""

    __slots__ = ("text", "tokens", "genitives", "_negated")

    def __init__(
        self, text: str, tokens: tuple[Token, ...], genitives: frozenset[int] = frozenset()
    ) -> None:
        self.text = text  # folded and expanded
        self.tokens = tokens
        # tokens that are a name in the genitive ("Pelles", "Peter's", "Annas"): what follows
        # is that person's
        self.genitives = genitives
        self._negated = -1  # `negated` once asked (-1: not yet)

    @property
    def negated(self) -> bool:
        """Some token is a negation: else no negation test need look."""
        if self._negated < 0:
            self._negated = int(NOT in map(_SV_OF, self.tokens))
        return self._negated == 1


_SV_OF: Final = attrgetter("sv")


_SPLIT: Final = re.compile(f"({_WORD.pattern})").split  # gap, word, gap, word, …, gap
# per word as matched: (folded word, Swedish stem, English stem, whether it opens a clause,
# whether it is a number)
_WORDS: Final[dict[str, tuple[str, str, str, bool, bool]]] = {}
_GAPS: Final[dict[str, tuple[int, int]]] = {}  # text between words -> (new clause, new sentence)


# words of a text message that stand for a whole word ("where did u get it", "can u pls")
# (and the verbs "can't" and "won't" leave behind: "ca not", "wo not")
_SHORTHAND: Final = {
    "u": "you",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "ca": "can",
    "wo": "will",
}


def _word(raw: str) -> tuple[str, str, str, bool, bool]:
    word = raw.replace("'", "")
    word = _SHORTHAND.get(word, word)
    found = (word, *stems(word), word in CLAUSE_WORDS, word.isdigit())
    if len(_WORDS) > 200_000:
        _WORDS.clear()
    _WORDS[raw] = found
    return found


def _gap(gap: str) -> tuple[int, int]:
    if not _CLAUSE_BREAK.search(gap):
        found = (0, 0)
    else:
        found = (1, 1 if _SENTENCE_BREAK.search(gap) else 0)
    if len(gap) <= 12:  # the common ones (", ", ".\n\n") recur; long ones are not kept
        if len(_GAPS) > 10_000:
            _GAPS.clear()
        _GAPS[gap] = found
    return found


def _ingo(m: re.Match[str]) -> str:
    return m.group()[:3] + "o"


def _blank(m: re.Match[str]) -> str:
    return "_" * len(m.group())


def _line_ends(text: str) -> str:
    """Single newlines that end a sentence, in a text no mailer wrapped, as `_LINE_END`."""
    lines = text.split("\n")
    if sum(len(line) >= WRAPPED for line in lines) >= 2:
        return text
    for n, line in enumerate(lines[:-1]):
        last = line.rsplit(None, 1)[-1].lower() if line.strip() else ""
        ends = (
            last[-1:].isalnum()  # no stop of its own
            and last not in _GOES_ON
            and lines[n + 1].strip()
            and not _LIST_ITEM.match(lines[n + 1])  # items keep their newline (see compose)
        )
        lines[n] = line + (_LINE_END if ends else "\n")
    return "".join(lines)


def normalise(text: str) -> Normalised:
    """Fold, expand contractions and negations, tokenise, and mark clauses and sentences."""
    text = text[:MAX_CHARS]
    if "\n" in text:
        text = _line_ends(text)
    # else "ingå" cannot be there (lower case brings "Å" and the ångström sign to "å"; looked
    # for first: most texts with an "å" hold no "ngå", and the case-blind search is slow)
    if ("å" in text or "Å" in text) and "ngå" in text.lower():
        text = _INGA.sub(_ingo, text)
    folded = _expand(fold(text))
    if "@" in folded or "http" in folded or "www." in folded:  # else it has no address or link
        folded = _ADDRESS.sub(_blank, folded)
    parts = _SPLIT(folded)
    tokens: list[Token] = []
    append = tokens.append
    words, gaps = _WORDS, _GAPS
    clause = sentence = 0
    pos = 0  # where the text between the last word kept and the next one starts
    at = 0  # where `gap` starts
    for gap, raw in zip(parts[::2], parts[1::2], strict=False):  # the last gap has no word
        start = at + len(gap)
        end = start + len(raw)
        if pos != at:  # a list number was left out: the gap runs over it
            gap = folded[pos:start]
        at = end
        if gap != " " and gap:
            more = gaps.get(gap) or _gap(gap)
            if more[0]:
                clause += 1
                sentence += more[1]
        word, sv, en, opens, number = words.get(raw) or _word(raw)
        if number and _ITEM_NUMBER.match(folded, pos, end + 1):
            continue  # "\n2. " numbers a list item: it is a break, not a word
        if opens:
            clause += 1
        append(Token(word, sv, en, start, end, clause, sentence))
        pos = end
    found = tuple(tokens)
    if len(text) == len(folded):
        return Normalised(folded, found, _genitives(text, found))
    return Normalised(folded, found)


def _genitives(text: str, tokens: tuple[Token, ...]) -> frozenset[int]:
    """Names in the genitive: a capitalised word ending in -s inside a sentence, after no
    possessive of the writer's ("mitt Teams-konto" names a product)."""
    return frozenset(
        n
        for n in range(1, len(tokens))
        if text[tokens[n].start].isupper()
        and tokens[n].word[-1:] == "s"
        and len(tokens[n].word) > 3
        and tokens[n - 1].sentence == tokens[n].sentence
        and tokens[n - 1].word not in _WRITERS
        and tokens[n].word not in _NOT_NAMES
        and not text[tokens[n].start : tokens[n].end].isupper()
    )


def phrase_words(phrase: str) -> list[str]:
    """The folded words of an intent phrase, wildcards (`*`) kept."""
    return [w.replace("'", "") for w in re.findall(r"\*?[a-z0-9']+\*?", _expand(fold(phrase)))]
