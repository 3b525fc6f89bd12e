"""Classify a parsed message: its kind, language, and intents main-first with evidence.

Phrases from `intents/` are looked up through an index on their first word; only words the
index does not know are fuzzy-matched (rapidfuzz) against the phrase vocabulary, and unknown
Swedish compounds are split into known parts. A negation before a phrase in the same clause
cancels it unless the phrase is itself negative ("vill inte ha reklam"). Pure: no I/O.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable
from dataclasses import replace
from itertools import compress
from operator import attrgetter
from typing import Final

from rapidfuzz import fuzz, process

from privbot.classify.compose import (
    ABLE,
    COORDINATION,
    NO_MOOD_FACTOR,
    OURS,
    SUBJECTS,
    WRITER,
    YOU_AFTER,
    GroupHit,
    RuleHit,
    done_state,
    in_condition,
    opens_sentence,
    pair,
    said_not_asked,
    told_past,
    writer_did,
)
from privbot.classify.intents import Pattern, Phrase, RuleSet, Term
from privbot.classify.language import detect_language
from privbot.classify.normalise import NOT, PAST_FORMS, Normalised, Token, normalise, stems
from privbot.classify.result import Classification, Evidence, Intent
from privbot.mail.parse import ParsedMail
from privbot.mail.prepare import Prepared, prepare
from privbot.mail.screen import Kind, Screening, screen
from privbot.text import SUBJECT_PREFIX

log = logging.getLogger(__name__)

# a body that opens with its closing holds only a signature
# a body that points at the subject: "Se rubriken.", "See subject line", "Siehe Betreff"
_SEE_SUBJECT: Final = re.compile(
    r"\b(?:se (?:rubrik(?:en)?|ämne(?:t|sraden)?|ämnesrad(?:en)?)|enligt rubrik(?:en)?|"
    r"see (?:the )?subject(?: line)?|as per (?:the )?subject|se emne(?:t|linjen)?|"
    r"siehe betreff|voir (?:l'|l’)?objet|ver asunto|patrz temat|katso otsikko)\b",
    re.I,
)
# one of these stands in every match of _SEE_SUBJECT (none holds an "i", which re.I would also
# match as "ı" or "İ"): most bodies have none, and a substring test is much cheaper than a search
_SEE_SUBJECT_WORDS: Final = (
    "rubr",
    "ämne",
    "subject",
    "emne",
    "betreff",
    "objet",
    "asunto",
    "temat",
    "katso",
)


def _points_at_subject(text: str) -> bool:
    lowered = text.lower()
    return any(w in lowered for w in _SEE_SUBJECT_WORDS) and _SEE_SUBJECT.search(text) is not None


# A reminder: the writer asked before and has had no answer ("fjärde gången jag skriver", "still
# no reply"). Under a reply's subject ("Re: Radering av mina uppgifter") the request is the
# subject's, asked again, though the body only says how long it has waited.
_CHASES: Final = re.compile(
    r"\b(?:(?:andra|tredje|fjärde|femte|second|third|fourth|fifth) gången|"
    r"(?:second|third|fourth|fifth) time i(?:['’]m| am| have|['’]ve)? (?:writ|ask|email|contact)|"
    r"(?:inte|aldrig|ej) (?:har )?fått (?:något |ens ett |ett )?svar|inget (?:\w+ )?svar|ingen har svarat|"
    r"(?:(?:ni|du) (?:har|hade)|(?:har|hade) (?:ni|du)) (?:alltså |uppenbarligen |ändå )?inte "
    r"(?:tagit bort|raderat|rättat|skickat)|"
    r"(?:you|u) (?:still |obviously |clearly )?(?:haven['’]t|have not|did not|didn['’]t) (?:deleted|removed|corrected)|"
    r"fortfarande inte|väntar fortfarande|påminn(?:er|a) om min|(?:inte|aldrig) hört (?:något|av er)|"
    r"hört ingenting|heard nothing|(?:haven['’]t|have not) heard anything|"
    r"still (?:no|not|waiting|haven['’]t|have not)|no (?:reply|response|answer) (?:yet|so far)|"
    r"(?:haven['’]t|have not|never) (?:heard back|had (?:a |an |any )?(?:reply|answer|response))|"
    r"(?:this is a|friendly|gentle) reminder|chasing|ikke (?:fått|fået) (?:noe |noget )?svar|"
    r"fortsatt ikke|stadig ikke|noch keine (?:antwort|rückmeldung)|immer noch (?:keine|nicht)|"
    r"en ole saanut vastaust|nadal nie|brak odpowiedzi|żadnej odpowiedzi|toujours pas|aucune réponse|"
    r"sans réponse|sigo sin|todavía no|sin respuesta|ninguna respuesta|ni una respuesta|"
    r"(?:inte|ej) (?:har )?fått (?:något )?annat än|(?:only|nothing but) an? auto|"
    r"(?:gått|gick) (?:\w+ ){0,2}(?:veckor|månader) sedan jag|"
    r"(?:weeks|months) since i (?:asked|wrote|sent|requested|emailed|contacted)|"
    r"nothing (?:has )?happened|(?:inget|ingenting) (?:har )?hänt|nothing (?:has been|was) done|"
    r"utan (?:att få )?(?:något )?svar|without (?:a |any )?(?:reply|answer|response)|"
    r"(?:second|third|fourth|fifth) request|(?:andra|tredje|fjärde|femte) (?:begäran|förfrågan)|"
    # asked more than once: "jag har bett er två gånger", "I've asked you three times"
    r"(?:bett|bad|skrivit|sagt|påpekat|mejlat|ringt) (?:er |till er |om det )?(?:två|tre|fyra|fem|flera|många) gånger|"
    r"(?:två|tre|fyra|fem|flera) gånger (?:har jag|sedan|nu)|"
    r"(?:asked|told|written to|emailed|called) (?:you )?(?:twice|three times|four times|several times|many times)|"
    # what was to stop goes on: "I still get your emails", "trotzdem wieder ein Brief"
    r"still (?:get|getting|receive|receiving)|(?:får|fick|kommer) (?:jag )?(?:fortfarande|ändå)|"
    r"fortfarande (?:får|kommer)|trotzdem (?:\w+ )?(?:wieder|noch)|(?:bekomme|erhalte) (?:immer noch|weiterhin)|"
    r"reçois toujours|continue (?:à|de) recevoir|sigo recibiendo|siguen llegando|"
    r"(?:får|modtager) (?:stadig|fortsatt|fortsat)|(?:saan|tulee) edelleen|(?:nadal|wciąż) dostaję)"
)  # written in lower case and searched in the lower-cased text: much faster than re.I
# one of these stands in every match of _CHASES: most bodies have none, and looking for them
# (all in one pass) is much cheaper than the search
_CHASES_WORDS: Final = (
    "gången", "time", "svar", "fortfarande", "påminn", "still", "reply", "response", "answer",
    "heard", "hört", "reminder", "chasing", "ikke", "noch", "immer", "vastaust", "nadal", "brak", "żadnej",
    "toujours", "réponse", "sigo", "todavía", "respuesta", "annat", "auto", "sedan", "since",
    "happened", "hänt", "done", "tagit", "raderat", "rättat", "skickat", "deleted", "removed",
    "corrected", "getting", "receiv", "ändå", "trotzdem", "weiterhin", "reçois", "recevoir",
    "recibiendo", "llegando", "stadig", "fortsat", "edelleen", "wciąż", "utan", "without",
    "request", "begäran", "förfrågan", "gånger", "twice", "times",
)  # fmt: skip


def _first_of(words: Iterable[str]) -> re.Pattern[str]:
    """A regex whose search finds where the first of `words` starts, in one pass: its
    alternatives grouped by first letter ("g(?:ången|etting)|t(?:ime|agit|…)|…"), so that at
    each place the search tries a letter's words only where that letter stands (one
    alternative per word, it tried them all: twice as slow)."""
    by_letter: dict[str, list[str]] = {}
    for word in words:
        by_letter.setdefault(word[0], []).append(re.escape(word[1:]))
    return re.compile(
        "|".join(f"{re.escape(first)}(?:{'|'.join(rest)})" for first, rest in by_letter.items())
    )


_CHASES_FIRST: Final = _first_of(_CHASES_WORDS)
_CHASES_REACH: Final = 40  # no match of _CHASES starts further than this before the word it holds


def _chases(text: str) -> bool:
    lowered = text.lower()
    first = _CHASES_FIRST.search(lowered)
    # searched from just before the first such word: what stands before it cannot match
    return (
        first is not None
        and _CHASES.search(lowered, max(0, first.start() - _CHASES_REACH)) is not None
    )


_CLOSING: Final = re.compile(
    r"\s*(?:mvh|med vänlig(?:a)? hälsning(?:ar)?|vänliga hälsningar|hälsningar|hilsen|"
    r"med vennlig hilsen|venlig hilsen|(?:best |kind |warm )?regards|cheers|"
    r"mit freundlichen grüßen|viele grüße|pozdrawiam|cordialement|saludos|terveisin)\b",
    re.I,
)


def _diacritics(text: str) -> bool:
    """Whether `text` holds an å, ä or ö (either case). Six scans for one letter each are
    quicker than a regex search for a class of them, which looks at every character."""
    return "ä" in text or "å" in text or "ö" in text or "Ä" in text or "Å" in text or "Ö" in text


@functools.cache
def _has_diacritics(source: str) -> bool:
    return _diacritics(source)


def _own_words(start: int, end: int, phrase: Phrase, text: str, norm: Normalised) -> str:
    """The text of a phrase's own words in its match, without the words of a gap ("andra
    bilder på mig" holds no "ändrat mig")."""
    if end - start + 1 <= len(phrase.terms):
        return _span(text, norm, start, end)
    inner = [t.text[:3] for t in phrase.terms[1:-1]]
    words = [
        k
        for k in range(start, end + 1)
        if k in (start, end) or any(norm.tokens[k].word.startswith(w) for w in inner)
    ]
    return " ".join(_span(text, norm, k, k) for k in words)


THRESHOLD: Final = 1.0  # an intent is reported when its evidence adds up to this
REVIEW_BELOW: Final = 0.6  # confidence under which staff are asked to check
GAP: Final = 3  # words allowed between two words of a phrase
NOT_GAP: Final = 2  # words allowed between the words of a phrase that opens with a negation
NEGATION_REACH: Final = 5  # words before a phrase a negation still reaches (same clause)
SUBJECT_FACTOR: Final = 0.6
REPLY_SUBJECT_FACTOR: Final = (
    0.25  # "Re: Begäran om radering" says what the thread was about, not this mail
)
SHORT_BODY: Final = 8  # a body of fewer words leaves the asking to the subject
FUZZY_FACTOR: Final = 0.85
STRONGEST: Final = (
    0.5  # an intent needs one piece of evidence this strong, not only many weak words
)
# object groups that name no personal data: a question about only these is not a privacy question
NOT_TOPICS: Final = frozenset({"pronoun", "stored", "business", "device"})
# what is told, not asked for: "ni raderade mitt konto" is a complaint's fact, not a request
NOT_ASKED: Final = frozenset({"question", "complaint", "breach", "other"})
AROUND_A_BREACH: Final = frozenset({"complaint", "question"})  # told beside a breach, about it
SECOND_REQUEST: Final = 0.7  # a composed request beside another, in a sentence of its own
NOT_SECOND: Final = frozenset({"other", "question", "complaint", "breach"})
CRITICISED_BREACH: Final = (
    0.8  # complaint evidence that, beside a breach, is a complaint of its own
)
WE: Final = frozenset(  # folded; not the Polish "my" (we) nor the Finnish "me" (we): English words
    "vi oss we our ours us wir uns unser unsere unseren unserem unserer vores os nous notre nos "
    "nosotros nuestra nuestro nuestros nuestras nas nasz nasze naszej naszych meidan meille".split()
)
SINGULAR: Final = frozenset(  # folded; not the Polish "ja" (I): the Finnish "and"
    "jag mig mej min mitt mina i me my mine jeg meg mit ich mich mir mein meine meinen je moi "
    "mon ma mes yo mi mis mnie moj moje moja moich minun minulle minua".split()
)


def _singular(token: Token, norm: Normalised, text: str) -> bool:
    """The writer speaking for themselves: English "I", not the Swedish "i" (in)."""
    if token.word != "i":
        return token.word in SINGULAR
    return len(text) != len(norm.text) or text[token.start : token.end] == "I"


FIRM_WORK: Final = frozenset({"access", "rectification", "erasure", "restriction", "portability"})
FIRM_FACTOR: Final = 0.5  # a firm asking for work on its systems is IT work more often than a right
SELLING_FACTOR: Final = 0.3  # a vendor's pitch names the rights it automates; it asks for none
RECEIVED: Final = frozenset({"fatt", "fick", "got", "received", "mottagit", "mottog"})  # folded
RECOUNTED: Final = frozenset({"asked", "requested", "begarde", "bad"})  # folded: "begärde"
TOLD_BEFORE: Final = 4  # a told verb this close before a phrase tells it: "ni skickade mitt utdrag"
RECOUNTED_BEFORE: Final = (
    6  # "bad jag att få se vilka uppgifter …": a recounted request reaches further
)
ASKED_ABOUT: Final = 0.6  # a right named in a hypothetical question counts this much as a question
WHETHER_HELD: Final = 0.8  # "Har ni uppgifter om mig?" asks for access this much
_MINE: Final = frozenset("my mina mitt min".split())
HYPOTHETICAL_FACTOR: Final = (
    0.3  # "if I unsubscribe, will ...?" asks about a right, does not use it
)
NEGATED_FACTOR: Final = 0.8  # "jag vill INTE att ni raderar" counts against erasure
MAX_TOKENS: Final = 4000  # a longer text is read up to here
MAX_WORD: Final = 40  # longer "words" (base64, URLs) are neither split nor fuzzy-matched
_AND: Final = frozenset({"och", "and", "samt", "og", "und"})
_OBJECT_PRONOUNS: Final = frozenset("mig dig oss dem den det meg deg dere".split())  # folded
_ONLY: Final = frozenset("bara endast enbart kun only just".split())
_NOT_AFTER: Final = frozenset("inte ej ikke ikkje".split())  # a negation after the verb (folded)
_CONDITIONAL: Final = frozenset({"om", "if", "ifall", "whether", "huruvida", "when", "nar"})
_PRACTICE_EN: Final = frozenset({"do", "does", "did", "are", "is", "was", "were", "have", "has"})
# those who act for us: "Får teknikern titta i mina filer?" asks about a practice as "ni" does
_STAFF: Final = frozenset({"teknikern", "teknikerna", "personalen", "supporten", "kundtjansten"})
_REQUEST_VERBS: Final = frozenset(
    {
        "kan",
        "kunde",
        "skulle",
        "vill",
        "far",
        "ska",
        "snalla",
        "vanligen",
        "radera",
        "ta",
        "ändra",
        "andra",
        "rata",
        "skicka",
        "sluta",
        "hjalp",
        "hjalper",
        "behover",
    }
)

Form = tuple[str, str, str, bool]  # folded word, Swedish stem, English stem, fuzzy
_Candidates = tuple[tuple[tuple[Phrase, bool], ...], tuple[Phrase, ...]]


class _Hit:
    """A phrase found in a text. A class with slots: made by the thousand per message, which
    compiled costs a third of a tuple's `tuple.__new__`."""

    __slots__ = ("phrase", "start", "end", "fuzzy")

    def __init__(self, phrase: Phrase, start: int, end: int, fuzzy: bool) -> None:
        self.phrase = phrase
        self.start = start  # token indices, inclusive
        self.end = end
        self.fuzzy = fuzzy

    def __repr__(self) -> str:
        return f"_Hit({self.phrase.source!r}, {self.start}, {self.end})"


_MATCH: Final = {
    None: 0,
    False: 1,
    True: 2,
}  # `_term_matches` as remembered: no match, exact, fuzzy


_NEVER: Final[frozenset[str]] = frozenset(
    {"\x00"}
)  # needs no text has: a language a phrase is not in


class _Longer:
    """A longer phrase a word may start: the stems the text needs for it besides the word's
    own (`_NEVER`: the phrase is not in that language), and how the word matches the
    phrase's word it stands for (a `_MATCH` code; the first, or after a leading negation the
    second). A class with slots: read a hundred times per text, its fields need no unpacking.

    Most phrases a text holds no stem of: one needed stem per language (`sv_key`, `en_key`;
    where none is needed, the word's own, which is there) is looked up first, a set lookup
    rather than a subset test."""

    __slots__ = ("phrase", "sv", "en", "code", "sv_key", "en_key")

    def __init__(
        self, phrase: Phrase, sv: frozenset[str], en: frozenset[str], code: int, own: Form
    ) -> None:
        self.phrase = phrase
        self.sv = sv
        self.en = en
        self.code = code
        self.sv_key = min(sv) if sv else own[1]
        self.en_key = min(en) if en else own[2]


class _Word:
    """What matching needs of one word, kept per word (`RuleSet.word_cache`).

    Thousands are kept and a message reads dozens: a class with slots (read faster than a
    NamedTuple's fields), holding the phrases' own sets rather than copies (kept small, so
    that a message's words stay in the processor's caches)."""

    __slots__ = ("forms", "sv", "en", "groups", "single", "longer", "terms", "keys")

    def __init__(
        self,
        forms: tuple[Form, ...],
        groups: tuple[tuple[Phrase, bool], ...],
        single: tuple[tuple[Phrase, bool], ...],
        longer: tuple[_Longer, ...],
        keys: tuple[frozenset[str], frozenset[str]] | None,
    ) -> None:
        self.forms = forms
        self.sv = tuple(f[1] for f in forms)  # the Swedish stems of its forms
        self.en = tuple(f[2] for f in forms)
        self.groups = groups  # lexicon words it is, the first per group
        self.single = single  # one-word intent phrases it matches
        self.longer = longer  # longer phrases it may start
        self.terms: dict[Term, int] = {}  # term -> `_MATCH` of `_term_matches`, as asked
        # one stem of each phrase's needs besides the word's own, per language: a text with
        # none of them makes none of `longer` viable (None: a phrase needs nothing more, so
        # some always is)
        self.keys = keys


_TEXT: Final = attrgetter("word")  # a token's folded word


def _word(word: str, ruleset: RuleSet) -> _Word:
    forms = _forms(word, ruleset)
    single, longer = _candidates(word, forms, ruleset)
    groups: dict[str, tuple[Phrase, bool]] = {}
    for phrase, fuzzy in single:
        # a later word of the same group on the same token always overlaps the first
        if phrase.group and phrase.intent not in groups:
            groups[phrase.intent] = (phrase, fuzzy)
    # the word is in every text it is looked up for: what a phrase needs besides it is what
    # the text is tested for (a stem fewer to look up per phrase, usually half its needs)
    own_sv = frozenset(f[1] for f in forms)
    own_en = frozenset(f[2] for f in forms)
    needs = tuple(
        _Longer(
            p,
            p.needs_sv - own_sv if p.lang != "en" else _NEVER,
            p.needs_en - own_en if p.lang != "sv" else _NEVER,
            code,
            forms[0],
        )
        for p in longer
        if (code := _MATCH[_term_matches(_own_term(p), p.lang, forms)])  # else it never matches
    )
    found = _Word(
        forms,
        tuple(groups.values()),
        tuple(pf for pf in single if not pf[0].group),
        needs,
        _keys(needs) if needs else None,
    )
    if len(ruleset.word_cache) > 200_000:
        ruleset.word_cache.clear()
    ruleset.word_cache[word] = found
    return found


def _own_term(phrase: Phrase) -> Term:
    """The word of a longer phrase that the word it is found by stands for."""
    return phrase.terms[1] if phrase.lead_not else phrase.terms[0]


def _keys(needs: tuple[_Longer, ...]) -> tuple[frozenset[str], frozenset[str]] | None:
    """One needed stem per phrase and language besides the word's own, the least in sort
    order so the same each run; or None when a phrase needs no stem beyond the word's own."""
    if any(not n.sv or not n.en for n in needs):
        return None
    return frozenset(min(n.sv) for n in needs), frozenset(min(n.en) for n in needs)


def _viable(word: _Word, present_sv: set[str], present_en: set[str]) -> list[_Longer]:
    """The word's longer phrases whose exact words besides its own all occur in the text
    (Swedish or English stems): only these can match. Most words have none, which
    one set test can tell."""
    keys = word.keys
    if keys is not None and keys[0].isdisjoint(present_sv) and keys[1].isdisjoint(present_en):
        return []
    return [
        n
        for n in word.longer
        if (n.sv_key in present_sv and n.sv <= present_sv)
        or (n.en_key in present_en and n.en <= present_en)
    ]


def _term_at(term: Term, lang: str, word: _Word) -> int:
    """`_term_matches` for a word's forms as a `_MATCH` code, remembered per word."""
    got = word.terms.get(term, -1)
    if got < 0:
        got = word.terms[term] = _MATCH[_term_matches(term, lang, word.forms)]
    return got


def _forms(word: str, ruleset: RuleSet) -> tuple[Form, ...]:
    """The word itself, plus a fuzzy correction or compound parts for words the phrases lack."""
    cached = ruleset.fuzz_cache.get(word)
    if cached is not None:
        return cached
    sv, en = stems(word)
    forms: list[Form] = [(word, sv, en, False)]
    known = ruleset.known
    if MAX_WORD >= len(word) >= 8 and word.isalpha() and not ({word, sv, en} & known):
        for i in range(3, len(word) - 4):  # compound: the longest known tail, and its head
            tail = word[i:]
            if len(tail) >= 5 and (
                tail in known or len(stems(tail)[0]) >= 5 and stems(tail)[0] in known
            ):
                forms.append((tail, *stems(tail), False))
                head = word[:i].rstrip("s") if len(word[:i]) > 5 else word[:i]
                if len(head) >= 5 and (head in known or stems(head)[0] in known):
                    forms.append((head, *stems(head), False))
                break
    if (
        len(forms) == 1
        and MAX_WORD >= len(word) >= 5
        and word.isalpha()
        and not ({word, sv, en} & known)
    ):
        cutoff = 88 if len(word) <= 6 else 84
        found = process.extractOne(
            word, ruleset.vocabulary.get(word[0], ()), scorer=fuzz.ratio, score_cutoff=cutoff
        )
        if found is not None:
            forms.append((found[0], *stems(found[0]), True))
    if len(ruleset.fuzz_cache) > 200_000:
        ruleset.fuzz_cache.clear()
    result = tuple(forms)
    ruleset.fuzz_cache[word] = result
    return result


def _candidates(word: str, forms: tuple[Form, ...], ruleset: RuleSet) -> _Candidates:
    """Phrases whose first word can be this word (cached per word): one-word phrases already
    checked against the word (a match depends on nothing else), longer ones to check in place."""
    cached = ruleset.candidate_cache.get(word)
    if cached is not None:
        return cached
    found: dict[int, Phrase] = {id(p): p for p in ruleset.affix.get(("infix", ""), ())}
    for w, sv, en, _ in forms:
        for key in (("sv", sv), ("en", en)):
            found.update((id(p), p) for p in ruleset.exact.get(key, ()))
        for key in (("prefix", w[:3]), ("suffix", w[-3:])):
            found.update((id(p), p) for p in ruleset.affix.get(key, ()))
    single: list[tuple[Phrase, bool]] = []
    longer: list[Phrase] = []
    for phrase in found.values():
        if len(phrase.terms) > 1:
            longer.append(phrase)
        elif (fuzzy := _term_matches(phrase.terms[0], phrase.lang, forms)) is not None:
            single.append((phrase, fuzzy))
    if len(ruleset.candidate_cache) > 200_000:
        ruleset.candidate_cache.clear()
    result = ruleset.candidate_cache[word] = (tuple(single), tuple(longer))
    return result


def _term_matches(term: Term, lang: str, forms: tuple[Form, ...]) -> bool | None:
    """None: no match; False: matched exactly; True: matched through a fuzzy correction.

    Words of the other languages (`lang` "any") match as written (folded), never through a
    Swedish or English stem or a fuzzy correction: "demande" is not "dem", "daten" not "dator"."""
    foreign = lang == "any"
    for word, sv, en, fuzzy in forms:
        if foreign and fuzzy:
            continue
        if term.mode == "exact" and foreign:
            ok = word == term.text
        elif term.mode == "exact":
            ok = (lang != "en" and sv == term.sv) or (lang != "sv" and en == term.en)
        elif term.mode == "prefix":
            ok = word.startswith(term.text)
        elif term.mode == "suffix":
            ok = word.endswith(term.text)
        else:
            ok = term.text in word
        if ok:
            return fuzzy
    return None


def _match_at(
    phrase: Phrase, i: int, first: int, tokens: tuple[Token, ...], words: list[_Word]
) -> _Hit | None:
    """The phrase matched from token `i`, whose word matches its first (`first`: how, a
    `_MATCH` code), when its other words follow closely in the sentence."""
    lang = phrase.lang
    terms = phrase.terms
    fuzzy, pos = first == 2, i
    sentence = tokens[i].sentence
    # a negation reaches no further than its clause: "startar inte längre, kan ni skicka …"
    clause = tokens[i].clause if phrase.lead_not else -1
    stop = len(tokens)
    # "inte längre ringa", but not "Ingen behöver ha kvar mejlen": a refusal's verb follows close
    gap = NOT_GAP if phrase.lead_not and not phrase.group else GAP
    for term in terms[1:]:
        for j in range(pos + 1, min(pos + 2 + gap, stop)):
            if tokens[j].sentence != sentence or (clause >= 0 and tokens[j].clause != clause):
                return None
            known = words[j].terms
            got = known.get(term, -1)
            if got < 0:
                got = known[term] = _MATCH[_term_matches(term, lang, words[j].forms)]
            if got:
                if j > pos + 1 and _new_clause(tokens, pos + 1, j):
                    return None
                fuzzy, pos = fuzzy or got == 2, j
                break
        else:
            return None
    return _Hit(phrase, i, pos, fuzzy)


# a subject after "och"/"and" opens a clause of its own: "allt ser ut att stämma och jag har
# inga fler frågor" holds no "stämmer inte"
_CLAUSE_SUBJECTS: Final = SUBJECTS | WRITER


def _new_clause(tokens: tuple[Token, ...], start: int, end: int) -> bool:
    """A coordinated clause with its own subject opens among tokens start..end-1."""
    return any(
        tokens[k].word in COORDINATION and tokens[k + 1].word in _CLAUSE_SUBJECTS
        for k in range(start, end - 1)
    )


def _negated(hit: _Hit, tokens: tuple[Token, ...]) -> bool:
    clause = tokens[hit.start].clause
    for k in range(max(0, hit.start - NEGATION_REACH), hit.end + 1):
        if (
            tokens[k].sv == NOT
            and not in_condition(k, hit.start, tokens)
            and (
                k >= hit.start
                or tokens[k].clause == clause
                # "jag har aldrig godkänt det och motsätter mig": the negation is the first verb's
                and not any(tokens[j].word in _AND for j in range(k + 1, hit.start))
            )
        ):
            return True
    # "avregistrera mig inte", "ring mig inte": a Scandinavian verb negated after its object
    k = hit.end + 1
    if k < len(tokens) and tokens[k].word in _OBJECT_PRONOUNS:
        k += 1
    return (
        k < len(tokens)
        and tokens[k].word in _NOT_AFTER
        and tokens[k].clause == tokens[hit.end].clause
        and (k + 1 == len(tokens) or tokens[k + 1].word not in _ONLY)  # "inte bara …, utan"
    )


def _hypothetical(hit: _Hit, norm: Normalised) -> bool:
    """A question about a right rather than its use: "om jag avregistrerar mig, ...?",
    "Raderar ni uppgifter automatiskt?", "Do you delete data after ...?"."""
    return _hypothetical_span(hit.start, hit.end, norm)


def _hypothetical_span(start: int, hit_end: int, norm: Normalised) -> bool:
    if "?" not in norm.text:
        return False
    tokens = norm.tokens
    sentence = tokens[start].sentence
    end = hit_end
    while end + 1 < len(tokens) and tokens[end + 1].sentence == sentence:
        end += 1
    if "?" not in norm.text[tokens[end].end : tokens[end].end + 3]:
        return False
    k = start
    while k > 0 and tokens[k - 1].sentence == sentence:
        k -= 1
    # (not an aside: "och när ni ändå är inne: vad har ni om mig?" asks)
    if any(
        tokens[j].word in _CONDITIONAL and not _aside(j, norm) and not _particle(j, tokens)
        for j in range(k, start + 1)
    ):
        return True
    first, second = tokens[k].word, (tokens[k + 1].word if k + 1 < len(tokens) else "")
    if first in _PRACTICE_EN and second in ("you", "ni", "my", "the", "data", "it", "this"):
        return True
    return second in ("ni", "du") and first not in _REQUEST_VERBS


# "kan ni tala om vad ni har om mig?": "om" after "tala" is its particle (tell), no "if"
_TELL: Final = frozenset({"tala", "talar", "talade", "tal"})
_ABOUT_WHOM: Final = frozenset({"mig", "oss", "honom", "henne", "dem", "det", "detta"})


def _particle(j: int, tokens: tuple[Token, ...]) -> bool:
    """The "om" at `j` is a verb's particle or a preposition ("tala om", "om mig"), no "if"."""
    return tokens[j].word == "om" and (
        (j > 0 and tokens[j - 1].word in _TELL)
        or (j + 1 < len(tokens) and tokens[j + 1].word in _ABOUT_WHOM)
    )


def _practice_questions(norm: Normalised) -> list[int]:
    """The first tokens of yes/no questions about what we do: "Sparar ni …?", "Gör ni det med
    inspelningarna?", "Do you share …?", "Do your technicians look at …?", "Får teknikern …?"
    (not "Kan ni …?", which asks us to)."""
    tokens = norm.tokens
    found = []
    for k, token in enumerate(tokens[:-1]):
        if k and tokens[k - 1].sentence == token.sentence:
            continue  # not a sentence's first word
        first, second = token.word, tokens[k + 1].word
        practice = (
            (second in ("ni", "du") and first not in _REQUEST_VERBS)
            or second in _STAFF
            or (first in _PRACTICE_EN and second in ("you", "your"))
        )
        if not practice or tokens[k + 1].sentence != token.sentence:
            continue
        end = k + 1
        while end + 1 < len(tokens) and tokens[end + 1].sentence == token.sentence:
            end += 1
        if "?" in norm.text[tokens[end].end : tokens[end].end + 3]:
            found.append(k)
    return found


# "Har ni några uppgifter om mig?", "Do you hold any data about me?": whether we hold the
# writer's data is the first part of the right of access (art. 15.1), not a question on practice
_HOLD_SV: Final = frozenset({"har", "behandlar", "innehar", "lagrar"})
_HOLD_EN: Final = frozenset(
    "have hold process keep store holding processing keeping storing".split()
)
_ELSEWHERE: Final = frozenset(
    "usa us eu ees eea utanfor outside abroad utomlands moln cloud tredje third partner partners"
    " dela share sell salja saljer varfor why lange long".split()
)


def _whether_held(at: int, norm: Normalised, groups: list[GroupHit]) -> bool:
    """The yes/no question at `at` asks whether we hold the writer's data (not where, why,
    how long or with whom: those ask about a practice)."""
    tokens = norm.tokens
    sentence = tokens[at].sentence
    first, second = tokens[at].word, tokens[at + 1].word
    third = tokens[at + 2].word if at + 2 < len(tokens) else ""
    if not (first in _HOLD_SV and second == "ni") and not (second == "you" and third in _HOLD_EN):
        return False
    words = [t.word for t in tokens if t.sentence == sentence]
    if _ELSEWHERE.intersection(words):
        return False
    mine = any(
        tokens[g.start].sentence == sentence
        and (
            g.group == "object:about_me"
            or (g.group == "object:my_data" and g.start and tokens[g.start - 1].word in _MINE)
        )
        for g in groups
    )
    return mine or "mig" in words or "me" in words


def _gapped(hit: _Hit) -> bool:
    return hit.end - hit.start + 1 != len(hit.phrase.terms)


def _keep(hits: list[tuple[_Hit, Normalised, float]]) -> list[tuple[_Hit, Normalised, float]]:
    """Per intent, hits that overlap none kept before them, in the order given."""
    taken: dict[str, set[int]] = {}
    kept: list[tuple[_Hit, Normalised, float]] = []
    for item in hits:
        hit = item[0]
        start, end = hit.start, hit.end
        covered = taken.get(hit.phrase.intent)
        if covered is None:
            covered = taken[hit.phrase.intent] = set()
        elif start == end:
            if start in covered:
                continue
        elif not covered.isdisjoint(range(start, end + 1)):
            continue
        if start == end:
            covered.add(start)
        else:
            covered.update(range(start, end + 1))
        kept.append(item)
    return kept


def _words(texts: list[str], ruleset: RuleSet) -> list[_Word]:
    """What matching keeps about each word (looked up in C; a word not yet kept is made)."""
    cache = ruleset.word_cache
    words = list(map(cache.get, texts))
    if None in words:
        for k, word in enumerate(words):
            if word is None:
                words[k] = cache.get(texts[k]) or _word(texts[k], ruleset)
    return words  # type: ignore[return-value]  # no None is left


def _work(
    distinct: dict[str, _Word], present_sv: set[str], present_en: set[str]
) -> dict[str, list[_Longer]]:
    """The words of a text that may match something, each with its viable longer phrases."""
    work: dict[str, list[_Longer]] = {}
    for text, word in distinct.items():
        viable = _viable(word, present_sv, present_en) if word.longer else []
        if viable or word.groups or word.single:
            work[text] = viable
    return work


def find(norm: Normalised, ruleset: RuleSet) -> list[tuple[_Hit, Normalised, float]]:
    """Phrase matches in `text` with their weight multiplier (negative: explicitly negated).

    For each intent, overlapping matches count once (the heaviest), so "rätta" inside
    "rätta adressen" adds nothing more. Lexicon words (`phrase.group`) come first, then the
    intents' phrases.
    """
    tokens = norm.tokens[:MAX_TOKENS]
    texts = list(map(_TEXT, tokens))
    words = _words(texts, ruleset)
    distinct = dict(zip(texts, words, strict=True))
    present_sv: set[str] = set()
    present_en: set[str] = set()
    # (a compiled loop: `set().union(*map(attrgetter("sv"), …))` read each word's fields
    # through Python's attribute lookup)
    for word in distinct.values():
        for stem in word.sv:
            present_sv.add(stem)
        for stem in word.en:
            present_en.add(stem)
    negation = NOT in present_sv  # else no token is a negation
    question = "?" in norm.text  # else nothing is hypothetical
    groups: list[tuple[_Hit, Normalised, float]] = []
    longer_groups = False  # a lexicon phrase of several words matched
    found: list[tuple[_Hit, Normalised, float]] = []
    work = _work(distinct, present_sv, present_en)
    # only the tokens whose word may match something (chosen in C: most words match nothing)
    for i in compress(range(len(texts)), map(work.__contains__, texts)):
        word = words[i]
        for phrase, fuzzy in word.groups:
            groups.append((_Hit(phrase, i, i, fuzzy), norm, 1.0))
        hits = [_Hit(phrase, i, i, fuzzy) for phrase, fuzzy in word.single] if word.single else []
        for longer in work[texts[i]]:
            phrase, first, start = longer.phrase, longer.code, i
            if phrase.lead_not:  # found by its second word: start at the negation before it
                sentence = tokens[i].sentence
                start = next(
                    (
                        k
                        for k in range(i - 1, max(-1, i - 2 - GAP), -1)
                        if tokens[k].sv == NOT and tokens[k].sentence == sentence
                    ),
                    -1,
                )
                if start < 0:
                    continue
                if not (first := _term_at(phrase.terms[0], phrase.lang, words[start])):
                    continue
            if (hit := _match_at(phrase, start, first, tokens, words)) is not None:
                if phrase.group:
                    groups.append((hit, norm, 1.0))
                    longer_groups = True
                else:
                    hits.append(hit)
        for hit in hits:
            phrase = hit.phrase
            if phrase.negatable and negation and _negated(hit, tokens):
                found.append((hit, norm, -NEGATED_FACTOR))
                continue
            factor = (FUZZY_FACTOR if hit.fuzzy else 1.0) * (
                HYPOTHETICAL_FACTOR
                if question and phrase.intent != "question" and _hypothetical(hit, norm)
                else 1.0  # "om jag avslutar kontot, hur länge …?" asks its question in full
            )
            found.append((hit, norm, factor))
    if longer_groups:  # lexicon words all weigh 0: the longer first, then overlaps drop
        # a gapped action yields to one without a gap from the same word: "vill inte att
        # [ni spelar in] mina" is "vill inte att ni", not a "vill inte att mina" around "spelar in"
        solid = {(hit.phrase.intent, hit.start) for hit, _, _ in groups if not _gapped(hit)}
        groups = [
            hf
            for hf in groups
            if not (
                _gapped(hf[0])
                and hf[0].phrase.intent.startswith("action:")
                and (hf[0].phrase.intent, hf[0].start) in solid
            )
        ]
        groups.sort(key=lambda hf: hf[0].start - hf[0].end)
        groups = _keep(groups)
    # else one word each, the first per group and word: none overlaps another
    found.sort(key=lambda hf: (-abs(hf[0].phrase.weight * hf[2]), hf[0].start - hf[0].end))
    return groups + _keep(found)


def _span(text: str, norm: Normalised, start: int, end: int) -> str:
    """The message's own words for tokens start..end (the folded text if lengths differ)."""
    source = text if len(text) == len(norm.text) else norm.text
    return source[norm.tokens[start].start : norm.tokens[end].end][:120]


def _writer_acts(at: int, norm: Normalised) -> bool:
    """The nearest subject before the verb at `at`, in its clause, is the writer: "I'll delete
    it", "jag raderade det"."""
    tokens = norm.tokens
    clause = tokens[at].clause
    for k in range(at - 1, max(-1, at - 4), -1):
        if tokens[k].clause != clause:
            return False
        if tokens[k].word in _CLAUSE_SUBJECTS:
            return tokens[k].word in WRITER
    return False


def _rule_evidence(
    hit: RuleHit,
    reminder: _Reading | None,
    text: str,
    norm: Normalised,
    where: str,
    factor: float,
    offset: int,
) -> Evidence:
    rule = hit.rule
    # "inga fler nyhetsbrev", "no more calls": a refusal is itself a request
    asked = not rule.mood or hit.cue is not None or hit.imperative or hit.action.negative
    if not asked and reminder is not None:
        # what a reminder names it asks for again, unless the writer does or did it ("I'll
        # delete it"); looked for only where it decides (most texts ask in so many words)
        asked = reminder.chases() and not _writer_acts(hit.action.start, norm)
    if hit.negated:  # against the intent when asked; "mina data är inte raderade" tells, neutral
        score = -NEGATED_FACTOR * rule.weight if asked else 0.0
    else:
        score = rule.weight * (1.0 if asked else NO_MOOD_FACTOR)
        # "Is it possible to get …?", "Går det att ni raderar …?": a question that asks
        opened = hit.cue is not None and opens_sentence(hit.cue.start, norm)
        hypothetical = not opened and _hypothetical_span(hit.start, hit.end, norm)
        score *= HYPOTHETICAL_FACTOR if hypothetical else 1.0
    action = hit.action.group.partition(":")[2]
    obj = hit.obj.group.partition(":")[2]
    if hit.cue is not None:
        cue = f"{hit.cue.group.partition(':')[2]}: {_span(text, norm, hit.cue.start, hit.cue.end)}"
    else:
        cue = "imperative" if hit.imperative else ""
        cue = cue or ("refusal" if hit.action.negative else "statement" if rule.mood else "")
    label = f"{action} + {obj}" + (" (negated)" if hit.negated else "")
    return Evidence(
        rule.intent,
        label,
        _span(text, norm, hit.start, hit.end),
        where,
        score * factor,
        action=f"{action}: {_span(text, norm, hit.action.start, hit.action.end)}",
        obj=f"{obj}: {_span(text, norm, hit.obj.start, hit.obj.end)}",
        cue=cue,
        # of a list item, the item; of an object named in an earlier sentence ("Jag gav lov
        # till det. Nu har jag ångrat mig."), the action's
        sentence=offset
        + max(norm.tokens[hit.obj.start].sentence, norm.tokens[hit.action.start].sentence),
    )


# what names the writer's own data: beside it, "rätta", "är fel" is about that data
_PERSONAL: Final = frozenset({"object:my_data", "object:contact", "object:about_me", "object:held"})
# the words `_evidence` reads a hit in context by
_CONTEXT: Final = frozenset(
    {"context:while", "context:advance", "context:thanks", "context:reported"}
    | {"context:it_ops", "context:leaver", "context:kin", "context:firm", "context:vendor"}
    | {"mood:request", "context:document", "context:criticism"}
    | _PERSONAL
)
# what a told state does not weaken: what is told, and a correction (asked for by its state)
_NOT_DONE: Final = NOT_ASKED | {"rectification"}
# context groups `_evidence` tells its caller of: a text naming a leaver or the firm's IT
# systems is the firm's work (its subject too); criticism in a reminder is a complaint
_FIRMS_SYSTEMS: Final = frozenset({"context:leaver", "context:it_ops"})
_TOLD: Final = _FIRMS_SYSTEMS | {"context:criticism"}


_FIRMS_WORK: Final = "a firm's work: "  # what `_firms_share` names its evidence by
_LETTERS: Final = re.compile(r"[^\W\d_]+")


def _firms_share(e: Evidence, voice: float) -> Evidence:
    """What a firm's voice or a seller's pitch took from `e` is evidence of IT work or trade:
    "export all our customer records to a CSV file" is half a transfer, half IT work."""
    share = max(e.score, 0.0) / voice * (1.0 - voice)
    return Evidence(
        "other", f"{_FIRMS_WORK}{e.phrase}", e.matched, e.where, share, sentence=e.sentence
    )


def _past_cue(hit: _Hit, norm: Normalised) -> bool:
    """A request cue in the past tense recounts: "i oktober fick jag ett mejl" ("får jag")."""
    return hit.phrase.intent == "mood:request" and norm.tokens[hit.start].word in PAST_FORMS


def _context(found_hits: list[tuple[_Hit, Normalised, float]]) -> dict[str, list[_Hit]]:
    """The hits of the context words and request cues, per group, in order."""
    context: dict[str, list[_Hit]] = {}
    for hit, norm, _ in found_hits:
        if hit.phrase.intent in _CONTEXT and not _past_cue(hit, norm):
            context.setdefault(hit.phrase.intent, []).append(hit)
    return context


class _Reminder:
    """Whether a text is a reminder of an earlier request (`_chases`), found at first need: a
    body's is asked up to three times per message (by its rules, a reply's subject and
    criticism), a subject's is known before its rules ask."""

    __slots__ = ("text", "found")

    def __init__(self, text: str, found: bool | None = None) -> None:
        self.text = text
        self.found = found

    def chases(self) -> bool:
        if self.found is None:
            self.found = _chases(self.text)
        return self.found


class _Reading:
    """What `_evidence` reads each hit of one text against: until-clauses, thanks, request
    cues, sentences on IT work, a seller's pitch and a firm's voice. A class, not closures:
    compiled (mypyc), closures and the frame they share keep each other, and the text's
    tokens, alive until the garbage collector runs."""

    def __init__(
        self,
        norm: Normalised,
        context: dict[str, list[_Hit]],
        untils: list[tuple[int, int]],
        thanks: list[tuple[int, int]],
        cues: list[int],
        it_work: set[int],
        selling: bool,
        text: str,
        reminder: _Reminder,
        chased: bool,
    ) -> None:
        self.norm = norm
        self.text = text
        self.reminder = reminder
        self.chased = chased  # the subject says it: "Tredje gången jag skriver"
        self.context = context
        self.untils = untils
        self.thanks = thanks
        self.cues = cues
        self.it_work = it_work
        self.selling = selling
        self.firm: set[int] | None = None  # sentences in a firm's voice, found at first need
        self.papers: set[int] | None = None  # sentences on a business paper, found at first need

    def told_done(self, at: int, end: int) -> bool:
        norm = self.norm
        if not (done_state(at, norm) or done_state(end, norm)):  # the quicker test first
            return False
        sentence = norm.tokens[at].sentence
        return not any(norm.tokens[k].sentence == sentence and k < at for k in self.cues)

    def firm_work(self, intent: str, at: int) -> float:
        norm = self.norm
        if self.selling and intent != Intent.other.value:  # (its "breach" is a scare, too)
            return SELLING_FACTOR
        if intent not in FIRM_WORK:
            return 1.0
        if self.firm is None:  # "vi" of a family or an estate is no firm: it needs a firm's word
            own = [h for h in self.context.get("context:firm", ()) if not _another_firm(h, norm)]
            # (nor is the "vi" of a relative's heirs: "Vi ber att hans konto stängs")
            kin = "context:kin" in self.context
            self.firm = _firm_voice(norm, self.text) if own and not kin else set()
        sentence = norm.tokens[at].sentence
        return FIRM_FACTOR if sentence in self.it_work or sentence in self.firm else 1.0

    def on_paper(self, at: int) -> bool:
        """A sentence naming a business paper ("fakturan", "avtalet") and none of the writer's
        own data: a correction verb in it corrects the paper."""
        if self.papers is None:
            sentence_of = self.norm.tokens
            self.papers = {
                sentence_of[h.start].sentence for h in self.context.get("context:document", ())
            } - {
                sentence_of[h.start].sentence
                for key in _PERSONAL
                for h in self.context.get(key, ())
            }
        return self.norm.tokens[at].sentence in self.papers

    def it_or_trade(self, at: int) -> bool:
        """Evidence in a sentence on a firm's systems, or in a seller's pitch, is IT work or
        trade as much as a right (a firm's "we" alone is not: a firm may ask as a controller)."""
        return self.selling or self.norm.tokens[at].sentence in self.it_work

    def chases(self) -> bool:
        """The text is a reminder of an earlier request ("inget svar", "still waiting")."""
        return self.chased or self.reminder.chases()

    def told_before(self, intent: str, at: int) -> bool:
        """A phrase after a told verb in its clause: "ni skickade mitt registerutdrag"."""
        norm = self.norm
        if intent in NOT_ASKED:
            return False
        clause, k = norm.tokens[at].clause, at - 1
        while k >= max(0, at - RECOUNTED_BEFORE) and norm.tokens[k].clause == clause:
            near = k >= at - TOLD_BEFORE
            # what we did ("ni skickade …"), not what others said ("they mentioned CSV")
            if (
                near
                and told_past(k, norm)
                and any(t.word in YOU_AFTER for t in norm.tokens[max(0, k - 3) : k])
            ):
                return True
            # what the writer got: "jag har fått registerutdraget" (told, not asked)
            if (
                near
                and intent in FIRM_WORK
                and norm.tokens[k].word in RECEIVED
                and writer_did(k, norm)
                # ("när jag har fått utdraget vill jag att ni raderar": a condition, not told)
                and not any(t.word in _CONDITIONAL for t in norm.tokens[max(0, k - 3) : k])
            ):
                return True
            # a request recounted: "I asked for a copy of my data in May" (asked before)
            # (or inverted after a time: "I oktober bad jag om att få se …"), unless the text
            # chases it ("… and I am still waiting"): then it is asked again
            if norm.tokens[k].word in RECOUNTED and (
                (k > 0 and norm.tokens[k - 1].word in ("jag", "i"))
                or norm.tokens[k + 1].word == "jag"
            ):
                return not self.chases()
            k -= 1
        return False

    def condition(self, intent: str, at: int, end: int | None = None) -> float:
        norm, untils, thanks = self.norm, self.untils, self.thanks
        clause = norm.tokens[at].clause
        # (most texts have no until-clause and no thanks: no search then)
        if untils and intent != "restriction" and any(c == clause and k < at for c, k in untils):
            return HYPOTHETICAL_FACTOR
        if thanks and any(c == clause and k <= at for c, k in thanks):
            return HYPOTHETICAL_FACTOR
        if intent not in NOT_ASKED and said_not_asked(at, norm):
            return HYPOTHETICAL_FACTOR
        if intent in FIRM_WORK and writer_did(at, norm):  # "I have deleted it on my side"
            return HYPOTHETICAL_FACTOR
        # (a state is how a correction is asked for: "mitt namn är felstavat")
        if intent not in _NOT_DONE and self.told_done(at, at if end is None else end):
            return HYPOTHETICAL_FACTOR
        return 1.0


def _evidence(
    text: str,
    where: str,
    factor: float,
    ruleset: RuleSet,
    offset: int = 0,
    leaver: bool = False,
    chased: bool = False,
    reminder: _Reminder | None = None,
) -> tuple[list[Evidence], set[str], set[str]]:
    """Evidence for intents in `text`, the object groups found in it, and the context groups
    of `_TOLD` it names (a leaver, the firm's IT systems, criticism); sentence numbers of the
    evidence start at `offset`.
    `leaver`: the body named them, so the subject ("Delete old user") is the firm's work too,
    unless in the writer's own voice ("Radera mina uppgifter")."""
    norm = normalise(text)
    groups: list[GroupHit] = []
    scored: list[tuple[str, int, int, Evidence]] = []
    found_hits = find(norm, ruleset)
    # "limit it until my complaint is handled": what an until-clause names is the condition
    # of the request, not a request of its own (restriction's own words excepted)
    # ("While you're at it, take me off the list" asks: the clause that opens is not a condition)
    context = _context(found_hits)  # most texts have none of these words: one pass, not four
    untils = [
        (norm.tokens[h.start].clause, h.start)
        for h in context.get("context:while", ())
        if h.phrase.group and not opens_sentence(h.start, norm) and not _aside(h.end, norm)
    ]

    # "Tack för utdraget!": what a thank-you names has been done ("thanks in advance for" asks)
    advance = [h.start for h in context.get("context:advance", ())]
    # ("tack för att ni raderar …": an att-clause says its own tense, see `said_not_asked`)
    thanks = [
        (norm.tokens[h.start].clause, h.start)
        for h in context.get("context:thanks", []) + context.get("context:reported", [])
        if not (advance and any(h.start <= a <= h.end for a in advance))
        and not (h.end + 1 < len(norm.tokens) and norm.tokens[h.end + 1].word == "att")
    ]

    # "se till att allt är raderat" asks for the state that "allt är raderat" tells
    cues = [h.start for h in context.get("mood:request", ())]

    # "radera AD-kontona", "vi behöver exportera …": a firm's IT work rather than a right
    it_work = {norm.tokens[h.start].sentence for h in context.get("context:it_ops", ())}
    if leaver or "context:leaver" in context:
        # "Johan slutade hos oss den 30/11. … 4) radera kontot": a leaver's accounts all through
        # the mail, but for sentences in the writer's own voice ("radera mina uppgifter") and
        # those on a person's data ("radera hans uppgifter", as he asked)
        tokens = norm.tokens
        it_work |= (
            {t.sentence for t in tokens}
            - {t.sentence for t in tokens if _singular(t, norm, text)}
            - {tokens[h.start].sentence for key in _PERSONAL for h in context.get(key, ())}
        )
    # "book a demo", "our platform": a seller names the rights, nobody asks for one
    selling = "context:vendor" in context
    reminder = _Reminder(text) if reminder is None else reminder  # (`reminder`: the text's own)
    reading = _Reading(
        norm, context, untils, thanks, cues, it_work, selling, text, reminder, chased
    )

    # A writer who types å, ä, ö means "andra" (others) by "andra", not "ändra" (change)
    diacritics = len(text) == len(norm.text) and _diacritics(text)
    for hit, _, mult in found_hits:
        phrase = hit.phrase
        if diacritics and phrase.lang == "sv" and _has_diacritics(phrase.source):
            if not _diacritics(_own_words(hit.start, hit.end, phrase, text, norm)):
                continue
        if phrase.group:
            if _past_cue(hit, norm):
                continue
            gapped = hit.end - hit.start + 1 != len(phrase.terms)
            groups.append(GroupHit(phrase.intent, hit.start, hit.end, phrase.negative, gapped))
            continue
        if phrase.lead_not and hit.start > 0 and norm.tokens[hit.start - 1].word in ABLE:
            continue  # "jag kan inte ta emot mejl": not able to, not a refusal
        if (
            hit.start > 0
            and norm.tokens[hit.start - 1].word in OURS
            and ((phrase.intent, phrase.source) in ruleset.topics)
        ):
            continue  # "vårt nyhetsbrev studsar": the writer's firm's own mailing, its IT work
        label = phrase.source if mult > 0 else f"{phrase.source} (negated)"
        voice = reading.firm_work(phrase.intent, hit.start)
        if phrase.intent == "rectification" and reading.on_paper(hit.start):
            voice *= FIRM_FACTOR  # "faktura 44721 är fel, korrigera den": the paper is wrong
        e = Evidence(
            phrase.intent,
            label,
            _span(text, norm, hit.start, hit.end),
            where,
            phrase.weight
            * mult
            * factor
            * reading.condition(phrase.intent, hit.start, hit.end)
            * (HYPOTHETICAL_FACTOR if reading.told_before(phrase.intent, hit.start) else 1.0)
            * voice,
            sentence=offset + norm.tokens[hit.start].sentence,
        )
        scored.append((phrase.intent, hit.start, hit.end, e))
        if voice < 1.0 and reading.it_or_trade(hit.start):
            scored.append(("other", hit.start, hit.end, _firms_share(e, voice)))
        if 0 < mult <= HYPOTHETICAL_FACTOR and phrase.intent not in NOT_ASKED:
            # "Om jag begär att bli raderad, försvinner då …?" asks about the right
            q = Evidence(
                "question",
                "a right asked about",
                e.matched,
                where,
                ASKED_ABOUT * factor,
                sentence=e.sentence,
            )
            scored.append(("question", hit.start, hit.end, q))
    if groups:
        for rule_hit in pair(ruleset.rules, groups, norm):
            at = rule_hit.action.start
            voice = reading.firm_work(rule_hit.rule.intent, at)
            # told before its first word: "jag har fått utdraget, allt ser bra ut"
            # (but what we got wrong is how a correction is asked: "ni har stavat mitt namn fel")
            told = rule_hit.action.group != "action:is_wrong" and reading.told_before(
                rule_hit.rule.intent, min(at, rule_hit.obj.start)
            )
            e = _rule_evidence(
                rule_hit,
                # a reminder names the right it chases without asking again: "skrev för en
                # månad sen om att få se mina uppgifter. inget svar alls."
                None if rule_hit.rule.intent in NOT_ASKED else reading,
                text,
                norm,
                where,
                factor
                * voice
                * (HYPOTHETICAL_FACTOR if told else 1.0)
                * reading.condition(rule_hit.rule.intent, at),
                offset,
            )
            scored.append((e.intent, rule_hit.start, rule_hit.end, e))
            if voice < 1.0 and reading.it_or_trade(at):
                scored.append(("other", rule_hit.start, rule_hit.end, _firms_share(e, voice)))
    scored.sort(key=lambda item: (-abs(item[3].score), not item[3].action))  # rules name more
    taken: dict[str, list[tuple[int, int]]] = {}
    seen: dict[tuple[str, str], Evidence] = {}
    for intent, a, b, e in scored:  # overlapping evidence for one intent counts once
        spans = taken.setdefault(intent, [])
        if spans and any(x <= b and a <= y for x, y in spans):  # (most intents: one span)
            continue
        spans.append((a, b))
        key = (e.intent, e.phrase)
        if key not in seen:
            seen[key] = e
    # in a seller's pitch what the patterns and questions name counts 30 %, as the rules' does
    pitch = SELLING_FACTOR if reading.selling else 1.0
    # per needed texts (`needs_at`): whether one is in the text, whether their patterns match;
    # per text they all hold (`shared_at`): whether it is in the text (_UNKNOWN: not yet asked)
    size = len(ruleset.patterns)
    present, joined, shared = [_UNKNOWN] * size, [_UNKNOWN] * size, [_UNKNOWN] * size
    for pattern in ruleset.patterns:
        needs = pattern.needs
        if needs:
            there = present[pattern.needs_at]
            if there == _UNKNOWN:
                there = present[pattern.needs_at] = _holds_one(norm.text, pattern, shared)
            if not there:
                continue
        if pattern.together is not None:
            some = joined[pattern.needs_at]
            if some == _UNKNOWN:
                some = joined[pattern.needs_at] = int(
                    pattern.together.search(norm.text) is not None
                )
            if not some:
                continue
        m = pattern.regex.search(norm.text)
        if m:
            at = next((t.sentence for t in norm.tokens if t.end > m.start()), 0)
            voice = pitch if pattern.intent != Intent.other.value else 1.0
            e = Evidence(
                pattern.intent,
                pattern.source,
                m.group()[:120],
                where,
                pattern.weight * factor * voice,
                sentence=offset + at,
            )
            seen[(pattern.intent, pattern.source)] = e
            if voice < 1.0:
                seen[("other", pattern.source)] = _firms_share(e, voice)
    if "?" in norm.text and groups:
        # "Gör ni det med inspelningarna?": a practice asked about, in a sentence naming data
        data = {
            norm.tokens[g.start].sentence
            for g in groups
            if g.group.startswith("object:") and g.group[7:] not in NOT_TOPICS
        }
        for at in _practice_questions(norm) if data else ():
            if norm.tokens[at].sentence not in data:
                continue
            whether = _whether_held(at, norm, groups)
            e = Evidence(
                "access" if whether else "question",
                "whether you hold my data" if whether else "a practice asked about",
                _span(text, norm, at, at + 1),
                where,
                (WHETHER_HELD if whether else ASKED_ABOUT) * factor * pitch,
                sentence=offset + norm.tokens[at].sentence,
            )
            seen.setdefault(("question", f"{e.phrase} {e.sentence}"), e)
            if pitch < 1.0:
                seen.setdefault(("other", f"{e.phrase} {e.sentence}"), _firms_share(e, pitch))
    found = [g for g in groups if g.group.startswith("object:")]
    contexts = set(_TOLD.intersection(context))
    longer = [o for o in found if o.end > o.start]  # only these can hold another
    if not longer:  # one word each: none inside a longer one
        return list(seen.values()), {g.group.partition(":")[2] for g in found}, contexts
    objects = {  # a word inside a longer object phrase is that phrase's ("spela in mina samtal")
        g.group.partition(":")[2]
        for g in found
        if not any(
            o.start <= g.start and g.end <= o.end and o.end - o.start > g.end - g.start
            for o in longer
        )
    }
    return list(seen.values()), objects, contexts


_UNKNOWN: Final = -1  # what `_evidence` has not yet looked for (else 0: no, 1: yes)


def _holds_one(text: str, pattern: Pattern, shared: list[int]) -> int:
    """Whether some text of the pattern's `needs` is in `text` (1 or 0); not looked for where
    the text they all hold (its `shared`, remembered in `shared`) is absent: one search, not
    a dozen."""
    if pattern.shared:
        there = shared[pattern.shared_at]
        if there == _UNKNOWN:
            there = shared[pattern.shared_at] = int(pattern.shared in text)
        if not there:
            return 0
    return int(any(n in text for n in pattern.needs))


def _beside(name: str, other: str, evidence: list[Evidence]) -> float:
    """The evidence for `name` in sentences where `other` has none: a request of its own
    ("1) what do you keep about me? 2) my tickets as a file for the new firm")."""
    theirs = {e.sentence for e in evidence if e.intent == other and e.score > 0}
    return sum(e.score for e in evidence if e.intent == name and e.sentence not in theirs)


def _aside(end: int, norm: Normalised) -> bool:
    """ "while you're at it", "medan ni ändå håller på": an aside that adds a request, no
    condition."""
    after = [t.word for t in norm.tokens[end + 1 : end + 5]]
    return "anda" in after or "at it" in " ".join(after)


# "a new IT company", "en annan leverantör": a firm the writer goes to, not the writer's own
ANOTHER: Final = frozenset("new another other ny nytt nya annan annat andra".split())


def _another_firm(hit: _Hit, norm: Normalised) -> bool:
    tokens = norm.tokens
    return any(
        k >= 0 and tokens[k].word in ANOTHER and tokens[k].sentence == tokens[hit.start].sentence
        for k in (hit.start - 1, hit.start - 2)
    )


def _firm_voice(norm: Normalised, text: str) -> set[int]:
    """The sentences that speak for a firm, not for a person: "vi behöver att ni raderar
    kontona", "please export our mailboxes" (we/our and no I/me/my)."""
    we, singular = set(), set()
    for t in norm.tokens:
        if t.word in WE:
            we.add(t.sentence)
        elif _singular(t, norm, text):
            singular.add(t.sentence)
    return we - singular


def _asked_apart(name: str, other: str, evidence: list[Evidence]) -> bool:
    """`name` is asked for in full with words of its own, not the words `other` was read
    from: "Stop mailing me offers and delete my details" (not "skicka över det ni har …",
    read both as a copy and as a transfer)."""

    theirs = [e.action.partition(": ")[2] for e in evidence if e.intent == other and e.action]
    for e in evidence:
        if e.intent == name and e.action and e.score >= THRESHOLD:
            words = e.action.partition(": ")[2]
            if not any(words in t or t in words for t in theirs):
                return True
    return False


def _blame(evidence: list[Evidence]) -> float:
    """Complaint evidence in words of its own, not in the words that tell the breach
    ("avsett för någon annan" is the breach, not blame for it)."""
    told = [(e.where, e.matched) for e in evidence if e.intent == Intent.breach.value]
    return sum(
        e.score
        for e in evidence
        if e.intent == Intent.complaint.value
        and not any(where == e.where and e.matched in matched for where, matched in told)
    )


def _fewer_words(text: str, n: int) -> bool:
    """len(text.split()) < n, without splitting all of a long text."""
    return len(text.split(maxsplit=n)) < n


def classify_text(subject: str, text: str, ruleset: RuleSet, language: str = "") -> Classification:
    """Intents of a human message from its subject and prepared text."""
    bare = SUBJECT_PREFIX.sub("", subject)
    factor = REPLY_SUBJECT_FACTOR if bare != subject else SUBJECT_FACTOR
    if factor == SUBJECT_FACTOR and (_fewer_words(text, SHORT_BODY) or _CLOSING.match(text)):
        # "Begäran om registerutdrag" over "se bifogad blankett", or over a signature alone
        # ("Mvh\nGöran Ek\nBjörkvägen 2"): the subject asks
        factor = 1.0
    chased = _chases(bare)
    body = _Reminder(text)
    evidence, objects, told = _evidence(text, "body", 1.0, ruleset, chased=chased, reminder=body)
    leaver = not _FIRMS_SYSTEMS.isdisjoint(told)
    if bare.strip():
        after = max((e.sentence for e in evidence), default=0) + 1
        in_subject = _Reminder(bare, chased)
        more, subject_objects, subject_told = _evidence(
            bare, "subject", factor, ruleset, after, leaver, reminder=in_subject
        )
        told |= subject_told
        if more and (
            (factor == SUBJECT_FACTOR and _points_at_subject(text))
            # "Re: Radering av mina uppgifter" over "fjärde gången jag skriver"
            or (factor == REPLY_SUBJECT_FACTOR and body.chases())
        ):
            # so does a subject the body points at ("se rubriken"), or a reminder's; searched
            # for only where the subject says something (the factor only weighs what it says)
            more, subject_objects, _ = _evidence(
                bare, "subject", 1.0, ruleset, after, leaver, reminder=in_subject
            )
        evidence += more
        objects |= subject_objects
    scores: dict[str, float] = {}
    for e in evidence:
        scores[e.intent] = scores.get(e.intent, 0.0) + e.score
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], ruleset.intents[kv[0]].rank))
    strongest: dict[str, float] = {}
    # in a mail on other business a topic word ("I saw the offer in your newsletter") says
    # what it mentions, not that anything is asked ("Nyhetsbrev – nej tack" asks)
    errand = Intent.other.value in scores
    for e in evidence:
        score = 0.0 if errand and (e.intent, e.phrase) in ruleset.topics else e.score
        strongest[e.intent] = max(strongest.get(e.intent, 0.0), score)
    chosen = [name for name, score in ranked if score >= THRESHOLD and strongest[name] >= STRONGEST]
    chosen = [
        name
        for name in chosen
        if not any(
            other in chosen
            and other != name
            and scores[name] < need
            and not _asked_apart(name, other, evidence)
            # a request of its own in other sentences stands; "other" is context, never a request
            and (name == Intent.other.value or _beside(name, other, evidence) < THRESHOLD)
            for other, need in ruleset.intents[name].yields_to.items()
        )
    ]
    if chosen and chosen[0] != Intent.other.value:
        # "… Kan jeg også få en kopi af dem?": beside a request, a second one asked in a
        # sentence of its own with a request cue needs less than one asked alone
        asked = {e.sentence for e in evidence if e.intent in chosen and e.score > 0}
        for e in evidence:
            if (
                e.intent not in chosen
                and e.intent not in NOT_SECOND
                and e.where == "body"
                and e.cue.startswith(("request", "imperative"))
                and e.score >= SECOND_REQUEST
                and e.sentence not in asked
                and scores[e.intent] >= SECOND_REQUEST
                and not any(c in ruleset.intents[e.intent].yields_to for c in chosen)
            ):
                chosen.append(e.intent)
    # "Hur länge dröjer teknikern?": a question about nothing personal is not ours
    ours = bool(objects - NOT_TOPICS)
    if Intent.question.value in chosen and not ours:
        chosen.remove(Intent.question.value)
    if chosen == [Intent.complaint.value] and not ours and Intent.other.value in scores:
        # "Jag är missnöjd med teknikerns arbete, skrivaren fungerar fortfarande inte": a
        # complaint about nothing personal, in a mail on our other work, is the helpdesk's
        chosen = [Intent.other.value]
    if len(chosen) > 1 and Intent.other.value in chosen:
        # "other" is never reported beside a privacy request: the case is the request, and the
        # printer fault in the same mail is answered by the helpdesk from the thread
        chosen.remove(Intent.other.value)
    if (
        Intent.breach.value in chosen
        and Intent.complaint.value not in chosen
        and _blame(evidence) >= CRITICISED_BREACH
    ):
        # "I find this really careless. How could this happen?": a breach told with blame is
        # complained of too, on less evidence than a complaint alone needs
        chosen.append(Intent.complaint.value)
    if (
        "context:criticism" in told
        and chosen
        and chosen[0] not in AROUND_A_BREACH
        and chosen[0] != Intent.other.value
        and Intent.complaint.value not in chosen
        and (chased or body.chases())
    ):
        # "Delete my account. This is the third time I'm asking. … Pathetic.": a request asked
        # again with criticism complains of how it was handled
        chosen.append(Intent.complaint.value)
    if Intent.breach.value in chosen[1:] and chosen[0] in AROUND_A_BREACH:
        # "Datenpanne … ziemlich verärgert": the anger is about the breach, which leads (its
        # 72-hour clock is the case's)
        chosen.remove(Intent.breach.value)
        chosen.insert(0, Intent.breach.value)
    if chosen:
        top = scores[chosen[0]]
        confidence = top / (top + 0.5)
    elif (
        ranked
        and ranked[0][1] >= THRESHOLD / 2
        and (strongest[ranked[0][0]] >= STRONGEST or ranked[0][0] == Intent.question.value)
        and (ranked[0][0] != Intent.question.value or ours)
    ):
        # a right no stronger than the sign that the mail is IT work or other business (what
        # `it_ops` and a firm's voice take from a right is given to "other") is not asked for,
        # unless the writer speaks for themselves somewhere ("Delete my user account please.")
        best = ranked[0][0]
        if sum(e.score for e in evidence if e.phrase.startswith(_FIRMS_WORK)) >= ranked[0][
            1
        ] and SINGULAR.isdisjoint(_LETTERS.findall(text.lower())):
            best = Intent.other.value
        chosen, confidence = [best], ranked[0][1] / (ranked[0][1] + 1.0)
    else:
        chosen, confidence = [Intent.other.value], 0.3
    if len(chosen) > 1:
        chosen = _in_asked_order(chosen, evidence, text)
    evidence.sort(
        key=lambda e: (
            e.intent not in chosen,
            chosen.index(e.intent) if e.intent in chosen else 0,
            -e.score,
        )
    )
    named: dict[str, tuple[str, ...]] = {}
    for name in chosen:
        found = [e.obj.partition(":")[0] for e in evidence if e.intent == name and e.score > 0]
        reports = ruleset.intents[name].reports
        if reports:  # an intent that names what it was for names only that
            found = [o for o in found if o in reports]
        if not any(o in reports for o in found):  # what a rule paired is what was meant;
            found += [o for o in reports if o in objects]  # else what the text names
        # ("spelar in mina samtal": the recording, not the calls)
        if found := [o for o in dict.fromkeys(found) if o]:
            named[name] = tuple(found)
    return Classification(
        Kind.human,
        language or detect_language(text),
        tuple(chosen),
        round(min(confidence, 0.99), 3),
        tuple(evidence),
        needs_review=confidence < REVIEW_BELOW,
        objects=named,
    )


# the rights a writer asks for; which of them leads is the one asked first (a complaint, a
# breach and a question keep the place their weight gives them)
RIGHTS: Final = frozenset(i.value for i in Intent) - NOT_ASKED


def _in_asked_order(chosen: list[str], evidence: list[Evidence], text: str) -> list[str]:
    """`chosen` with its rights in the order the mail asks for them ("Stop the newsletter,
    and delete my account": the opt-out leads): the subject first, then by the first sentence
    with evidence of some weight, and within a sentence by where its words stand in `text`
    (the body); the other intents keep their places."""
    lowered = text.lower()
    first: dict[str, tuple[int, int]] = {}
    for e in evidence:
        if e.intent in RIGHTS and e.intent in chosen and e.score >= ASKED_FIRST:
            if e.where == "body":
                found = lowered.find(e.matched.lower())
                at = (e.sentence, found if found >= 0 else _NEVER_ASKED)
            else:
                at = (-1, 0)
            first[e.intent] = min(first.get(e.intent, at), at)
    rights = iter(
        sorted(
            (c for c in chosen if c in RIGHTS),
            key=lambda c: (first.get(c, (_NEVER_ASKED, 0)), chosen.index(c)),
        )
    )
    return [next(rights) if c in RIGHTS else c for c in chosen]


ASKED_FIRST: Final = 0.5  # evidence this strong says where a right is asked for
_NEVER_ASKED: Final = 1 << 30


_QUOTED_QUESTION: Final = re.compile(r"[^.!?\n]*(?:\n[^.!?\n]+)*\?")


def _quoted_questions(text: str) -> str:
    """The questions in the quoted lines of a reply ("> Would you like us to delete …?")."""
    quoted = "\n".join(
        line.lstrip("> ").strip() for line in text.splitlines() if line.startswith(">")
    )
    return " ".join(m.group().strip() for m in _QUOTED_QUESTION.finditer(quoted))


def _assents(text: str, ruleset: RuleSet) -> bool:
    """A short answer that agrees: "Ja, gör det.", "Yes, please go ahead"."""
    if not _fewer_words(text, SHORT_BODY):
        return False
    hits = find(normalise(text), ruleset)
    return any(h.phrase.group and h.phrase.intent == "context:assent" for h, _, _ in hits)


def classify_message(mail: ParsedMail, prepared: Prepared, ruleset: RuleSet) -> Classification:
    """Intents of a message screening found human, from its subject and its own new text; a
    short "yes, please" takes its request from the question it answers."""
    language = detect_language(prepared.new_text or mail.text)
    if language == "other" and _fewer_words(prepared.new_text, 8):  # "Radera mig." says little
        language = detect_language(f"{mail.subject}\n{prepared.new_text}")
    result = classify_text(mail.subject, prepared.new_text, ruleset, language)
    if result.intents == (Intent.other.value,) and _assents(prepared.new_text, ruleset):
        if asked := _quoted_questions(mail.text):
            answered = classify_text("", asked, ruleset, language)
            if answered.intents != (Intent.other.value,):
                quoted = tuple(replace(e, where="quoted") for e in answered.evidence)
                return replace(answered, evidence=quoted, needs_review=True)
    return result


def classify_screened(
    mail: ParsedMail, prepared: Prepared, ruleset: RuleSet, screening: Screening
) -> Classification | None:
    """Intents of a message `screen` has read; None when it is not a person's. A request is
    never screened out by wording alone: "Jag är på semester nästa vecka men vill att ni raderar
    mitt konto" names no header that says it is automatic, and a person asks for something."""
    if screening.kind is Kind.human:
        return classify_message(mail, prepared, ruleset)
    if (
        screening.kind is Kind.auto_reply
        and screening.by_wording
        # "Read: …", "Autosvar: …": a program's subject; the request is the one it quotes
        and not any(r.startswith("subject says") for r in screening.reasons)
    ):
        result = classify_message(mail, prepared, ruleset)
        asks = set(result.intents) - {Intent.other.value, Intent.question.value}
        if asks and not result.needs_review:  # a request read with confidence
            return replace(result, needs_review=True)
    return None


def classify_prepared(
    mail: ParsedMail, prepared: Prepared, ruleset: RuleSet, own_addresses: Iterable[str] = ()
) -> Classification:
    """`classify` for a message `prepare` has already read: screening, then intents."""
    screening = screen(mail, own_addresses, ruleset.screening, prepared.new_text)
    result = classify_screened(mail, prepared, ruleset, screening)
    if result is not None:
        return result
    language = detect_language(prepared.new_text or mail.text)
    if language == "other" and not prepared.new_text.strip():
        language = detect_language(mail.text)
    return Classification(screening.kind, language, (), 1.0, reasons=screening.reasons)


def classify(
    mail: ParsedMail, ruleset: RuleSet, own_addresses: Iterable[str] = ()
) -> Classification:
    """Kind, language and intents (main first) of `mail`, with confidence and evidence."""
    return classify_prepared(mail, prepare(mail), ruleset, own_addresses)
