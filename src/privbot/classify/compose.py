"""Composed intent rules: an action done to an object, asked for in a request mood.

`intents/_lexicon.toml` names groups of words (actions such as `delete`, objects such as
`my_data`, the mood `request`); an intent's `[[rules]]` say which action with which object
counts for it. The group words are matched by `classify/match.py`'s phrase finder like any
phrase; this module pairs them: an action and an object within a few words of each other in
one sentence make a hit. Without a request cue in the sentence (and not opening it as an
imperative) a hit counts `NO_MOOD_FACTOR`; a negation before the action (same clause) or
between action and object turns it into evidence against; a hypothetical question counts
`HYPOTHETICAL_FACTOR`, as for phrases. Pure: no I/O.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Final

from privbot.classify.normalise import NOT, Normalised, Token
from privbot.classify.result import NATIVE

NO_MOOD_FACTOR: Final = 0.6  # "ni raderade mina uppgifter" states; "radera mina uppgifter" asks
AFTER: Final = 8  # words an object may follow its action by ("radera alla mina gamla uppgifter")
# "export my devices, licences and ticket history to a spreadsheet": the words between an
# action and its object name a list (commas, then "and"); the list is read as one clause
_ENUMERATION: Final = re.compile(
    r"^[^.!?;:\n]*,[^.!?;:\n]*\b(?:and|och|samt|or|eller|og|und|oder|et|ou|y|ja|oraz)\b"
)
LIST_AFTER: Final = 2 * AFTER  # words an object may follow its action by across such a list
BEFORE: Final = 4  # words an object may precede its action by ("mina uppgifter ska raderas")
ITEM_OPENS: Final = 6  # a list item's object stands within its first words ("- en kopia av …")
LEAD_IN: Final = 3  # words of a lead-in before a command and its comma ("Efter det, radera allt")
CUE_AFTER: Final = 2  # a request cue may follow the request closely ("delete my data, please")
PRONOUN_AFTER: Final = 2  # a pronoun object stands right after its verb, one word between at most
NEGATION_REACH: Final = 4  # words before the action a negation still reaches (same clause)
# the writer's firm's ("vår", "our"), folded: its own newsletter or list is its IT work
OURS: Final = frozenset("vart vara var our vores vort vare unser unsere unseren unserem".split())
MAILINGS: Final = frozenset({"object:marketing", "object:newsletter"})
# Words that open a question completing a verb ("vill veta vilka uppgifter", "know what data")
WH_WORDS: Final = frozenset(
    "vilka vilken vilket vad what which mita mitka welche welcher welches was quelles quels "
    "quelle quoi jakie jaki jakich co que cuales hvilke hvilken hvad hva".split()
)
# words after which a pronoun is a clause's subject, not an object
_CLAUSE_OPENERS: Final = WH_WORDS | {
    "how",
    "why",
    "where",
    "when",
    "if",
    "that",
    "hur",
    "varfor",
    "nar",
    "att",
}
# Possessives that make an object someone else's (folded)
THIRD_PERSON: Final = frozenset(
    "his her their its hans hennes deras dess sein seine seiner seinen hendes deres hanen heidan "
    "jego jej leur leurs".split()  # not "sa", "ses", "ich", "ihre": words of other languages
)
# Company forms after a name (folded); not "as", "sa": words in English and Swedish
COMPANY_FORMS: Final = frozenset(
    "ab hb kb ltd plc gmbh ag oy oyj asa aps inc llc bv nv sarl srl".split()
)
# Words that may follow a pronoun object in its clause ("släng dem inte", "radera det också")
ENDS_OBJECT: Final = frozenset(
    "ocksa too also helt tack please nu now snarast direkt asap to till til for".split()
    + "sedan sen efterat darefter senare then afterwards later".split()
    + "igen igjen again mer more langre anymore heller either with med".split()
)
# "Raderar ni mina uppgifter när …?", "ni raderade mitt konto": a verb with its subject says
# or asks what we do or did; it does not ask us to do it
YOU_AFTER: Final = frozenset("ni du you dere i".split())
SUBJECTS: Final = frozenset(
    "ni vi de han hon you we they he she dere".split()
)  # not the writer: "det har jag ångrat" withdraws
ITS: Final = frozenset({"its", "dess"})
TO: Final = frozenset({"till", "at", "to"})
RELATIVE: Final = frozenset({"som", "that", "which", "who"})
# object pronouns before their verb (not the Polish "je": it is the French "I")
CLITICS: Final = frozenset({"lo", "los", "las", "les"})
CONDITIONAL: Final = frozenset({"om", "ifall", "if"})
RELATIVE_SUBJECTS: Final = frozenset({"jag", "ni", "vi", "i", "you", "we", "du"})
PERSONS: Final = frozenset({"jag", "ni", "vi", "du"})  # who does it, after a verb put second
MODALS: Final = frozenset({"kan", "vill", "ska", "far", "maste", "bor"})  # folded
BEFORE_PASSIVE: Final = frozenset("to be ska skall blir bli kan must should will get".split())
INTRANSITIVE: Final = frozenset(
    "gone forsvinner forsvinna forsvinna disappear tas".split()
)  # folded
# words that open a noun phrase: a past verb before them acts ("showed me", "visade en"), where a
# participle would describe a noun right after it ("a deleted folder", "raderade filer")
DETERMINERS: Final = frozenset(
    "the a an my me your his her their our them us someone somebody all every another some"
    " en ett den det de dem mig dig oss er alla allt mina min mitt dina hans hennes deras"
    " nagon nagot nagra annan annat"
    " mi mis los las el todo todos toda todas sus".split()  # "borrad mis datos": an imperative (es)
)  # folded: "åt" is "at"
WRITER: Final = frozenset({"jag", "i", "jeg"})
_THEIR: Final = frozenset(
    "hans hennes his her hendes hannes".split()
)  # a relative's, when kin write
COORDINATION: Final = frozenset(
    {"och", "o", "and", "eller", "or", "samt", "og", "und", "et", "y", "ja"}
)
MY: Final = frozenset("my mina mitt min vara our".split())  # folded
SEVERAL: Final = frozenset(  # counted objects are several people's: "two users", "fem konton"
    "two three four five six seven eight nine ten twelve several "
    "tva tre fyra fem sex sju atta nio tio tolv flera".split()
)
AUXILIARIES: Final = frozenset("har hade have has had".split())
STATE: Final = frozenset(
    "ar var blev is was are were been".split()
)  # "mitt konto är raderat": done
_PAST: Final = ("ade", "ades", "at", "ats", "ed")
_PAST_WORDS: Final = frozenset(
    "tog tagit togs strok strukit took fatt fick got mottagit mottog gone borta".split()
)
ABLE: Final = frozenset({"can", "ca", "could", "kan", "kunde", "able"})
# "But stop calling me.", "…, men slutt å spore meg": a command may open after these
_BUT_SO: Final = frozenset({"men", "but", "so", "sa", "aber", "mais", "pero", "ale", "mutta"})
OPENERS: Final = frozenset(  # words before an imperative: greetings, "please", list openers
    {"hej", "hi", "hello", "dear", "please", "kindly", "hallo", "moi", "hei"}
    | {"first", "firstly", "second", "secondly", "also", "and", "then", "finally"}
    | {"forst", "sedan", "dessutom", "och", "slutligen", "ocksa", "sen"}
    | {"og", "und", "et", "y", "ja"}
    | _BUT_SO
)


@dataclass(frozen=True)
class Rule:
    intent: str
    actions: tuple[str, ...]  # action group names
    objects: tuple[str, ...]  # object group names
    weight: float
    mood: bool  # True: a request cue (or an imperative) is needed for the full weight
    source: str  # "delete + my_data|account", shown to staff
    needs: tuple[str, ...] = ()  # context groups, one of which must be in the sentence
    unless: tuple[str, ...] = ()  # context groups that, in the sentence, cancel the rule
    near: bool = True  # False: the object may stand anywhere before the action in the text
    # True: the object must be another person's ("hennes namn och adress", "Lars Petterssons
    # adress"), anywhere in the action's sentence; by default another person's is never ours
    someone_elses: bool = False


class GroupHit:
    """A lexicon group's words found in a text. A class with slots: made by the thousand per
    message, which compiled costs a third of a tuple's `tuple.__new__`."""

    __slots__ = ("group", "start", "end", "negative", "gapped")

    def __init__(
        self, group: str, start: int, end: int, negative: bool = False, gapped: bool = False
    ) -> None:
        self.group = group  # "action:delete", "object:my_data", "mood:request"
        self.start = start  # token indices, inclusive
        self.end = end
        self.negative = negative  # the words themselves negate ("vill inte ha"): no check
        self.gapped = gapped  # other words stand between its own ("not … process")

    def __repr__(self) -> str:
        return f"GroupHit({self.group!r}, {self.start}, {self.end})"


@dataclass(frozen=True, init=False)
class RuleHit:
    rule: Rule
    action: GroupHit
    obj: GroupHit
    cue: GroupHit | None  # the mood cue that decided, if any
    imperative: bool
    negated: bool

    def __init__(
        self,
        rule: Rule,
        action: GroupHit,
        obj: GroupHit,
        cue: GroupHit | None,
        imperative: bool,
        negated: bool,
    ) -> None:
        # Written out, as `Evidence.__init__` is: native when compiled
        if NATIVE:
            self.rule = rule  # type: ignore[misc]
            self.action = action  # type: ignore[misc]
            self.obj = obj  # type: ignore[misc]
            self.cue = cue  # type: ignore[misc]
            self.imperative = imperative  # type: ignore[misc]
            self.negated = negated  # type: ignore[misc]
            return
        setattr_ = object.__setattr__
        setattr_(self, "rule", rule)
        setattr_(self, "action", action)
        setattr_(self, "obj", obj)
        setattr_(self, "cue", cue)
        setattr_(self, "imperative", imperative)
        setattr_(self, "negated", negated)

    @property
    def start(self) -> int:
        return min(self.action.start, self.obj.start)

    @property
    def end(self) -> int:
        return max(self.action.end, self.obj.end)


def _negated_after(obj: GroupHit, norm: Normalised) -> bool:
    """A negation right after a pronoun object: "radera dem inte", "ta bort det inte än"."""
    k = obj.end + 1
    tokens = norm.tokens
    return k < len(tokens) and tokens[k].sv == NOT and tokens[k].clause == tokens[obj.end].clause


# an if-clause's negation ends where the main clause opens with its verb before the subject:
# "Om ni inte svarar anmäler jag er till IMY", "Om inget händer anmäler jag er" (folded)
_IF: Final = frozenset("om ifall savida if unless hvis dersom jos wenn falls".split())
_SUBJECT_AFTER: Final = frozenset("jag vi man jeg".split())


def in_condition(k: int, first: int, tokens: tuple[Token, ...]) -> bool:
    """The negation at `k` stands in an if-clause that ends before `first`."""
    start = k
    while start > 0 and tokens[start - 1].clause == tokens[k].clause and k - start < 6:
        start -= 1
    return any(tokens[j].word in _IF for j in range(start, k)) and any(
        tokens[j + 1].word in _SUBJECT_AFTER for j in range(k + 2, min(first + 1, len(tokens) - 1))
    )


def _negated(action: GroupHit, obj: GroupHit, norm: Normalised) -> bool:
    if not norm.negated:  # most texts hold no negation at all
        return False
    tokens = norm.tokens
    if action.negative and action.start < obj.start < action.end:  # "keine X und keinen Y mehr"
        return False
    clause = tokens[action.start].clause
    # a refusal holds its own negation; one before it is another verb's: "Jag är inte
    # intresserad och vill inte bli uppringd"
    # (before the object when it comes first: "jag vill inte begära något registerutdrag
    # eller få …")
    first = min(action.start, obj.start)
    if not action.negative and any(
        tokens[k].sv == NOT and tokens[k].clause == clause and not in_condition(k, first, tokens)
        for k in range(max(0, first - NEGATION_REACH), first)
    ):
        return True
    if not action.negative:  # "ta INTE bort"
        if any(tokens[k].sv == NOT for k in range(action.start, action.end + 1)):
            return True
    if obj.start > action.end:  # "radera INTE mina uppgifter" (not "Until fixed, please don't …")
        # a consent denied is one withdrawn: "I've changed my mind and no longer agree"
        last = obj.start - 2 if obj.group == "object:consent" else obj.start
        return any(
            tokens[k].sv == NOT and tokens[k].clause == clause for k in range(action.end + 1, last)
        )
    return False


_ITEM: Final = re.compile(r"\s*\n\s*(?:[-*•·]|\d+[.)])")
_FIRST_ITEM: Final = re.compile(r"\s*:\s*\n\s*(?:[-*•·]|\d+[.)])")


def list_leads(norm: Normalised) -> dict[int, int]:
    """For each sentence that is an item of a list, the sentence that introduces the list
    with a colon ("Jag begär följande:\n- en kopia …\n- …")."""
    leads: dict[int, int] = {}
    if ":" not in norm.text:  # no list is introduced (`_FIRST_ITEM` needs the colon)
        return leads
    tokens = norm.tokens
    for i in range(1, len(tokens)):
        before, token = tokens[i - 1], tokens[i]
        if token.sentence == before.sentence:
            continue
        gap = norm.text[before.end : token.start]
        if _FIRST_ITEM.match(gap):
            leads[token.sentence] = before.sentence
        elif before.sentence in leads and _ITEM.match(gap.lstrip(".;,!")):
            leads[token.sentence] = leads[before.sentence]
    return leads


def _within(hit: GroupHit, longer: list[GroupHit]) -> bool:
    """`hit` opens a longer object of another group ("email" in "email address"; not "data"
    in "copy of my data", where both are named)."""
    return any(
        o.start == hit.start
        and hit.end <= o.end
        and o.end - o.start > hit.end - hit.start
        and o.group != hit.group
        and not o.gapped
        for o in longer
    )


def _inside(hit: GroupHit, longer: list[GroupHit]) -> bool:
    """`hit` is part of a longer action that opens with it ("get" in "get rid of"), that
    negates it ("borren" in "no borren"), that says a value is wrong ("inte längre" in
    "gäller inte längre") or that says where data went astray ("fel" in "till fel"); not "få
    se" inside a gapped "kan … se"."""
    return any(
        o.start <= hit.start
        and hit.end <= o.end
        and o.end - o.start > hit.end - hit.start
        and (
            (
                not o.gapped  # "not [agree to you] processing" holds no "not agree to"
                and (
                    o.start == hit.start
                    or o.group.startswith("action:not_")
                    or o.group == "action:is_wrong"  # "gäller inte längre": no "inte längre"
                )
            )
            # "sent [my details] to the wrong number" went astray: no value is said to be
            # wrong (its last word is the phrase's own, gapped or not)
            or (o.group == "action:exposed" and hit.group == "action:is_wrong" and hit.end == o.end)
        )
        for o in longer
    )


def _antecedents(
    pronouns: list[GroupHit], hits: list[GroupHit], norm: Normalised
) -> list[GroupHit]:
    """Each pronoun as each object it may stand for: those named before it, in its sentence
    or the one before ("Jag har gamla uppgifter hos er. Släng dem." → my_data); the rule
    that pairs it decides which."""
    tokens = norm.tokens
    named: list[GroupHit] | None = None  # the objects a pronoun may stand for, when one does
    resolved = []
    acts = {h.start for h in hits if h.group.startswith("action:")}
    for pronoun in pronouns:
        after = tokens[pronoun.end + 1] if pronoun.end + 1 < len(tokens) else None
        pronoun_end = tokens[pronoun.end].end
        if (
            _passive_subject(pronoun.end, acts, tokens)
            or (
                _topicalised(pronoun.start, norm)
                and (
                    pronoun.start + 1 in acts
                    or (pronoun.start + 3 in acts and tokens[pronoun.start + 1].word in MODALS)
                )
            )
            or (tokens[pronoun.start].word in CLITICS and pronoun.start + 1 in acts)
        ):
            pass  # "Jag vill att de raderas", "Det går jag inte med på", "les supprimer"
        elif (
            after
            # English "it", "them" are never determiners ("pull it together"); "IT-partner" is no "it"
            and (tokens[pronoun.start].word not in ("it", "them") or norm.text[pronoun_end] == "-")
            and after.clause == tokens[pronoun.end].clause
            and after.sv != NOT
            and after.word not in ENDS_OBJECT
        ):
            continue  # a determiner, not a pronoun: "den 1 maj", "det nya numret"
        elif pronoun.start and tokens[pronoun.start - 1].word in _CLAUSE_OPENERS:
            continue  # the subject of a clause: "know how it works", "vad det gäller"
        if named is None:
            named = sorted(
                (
                    h
                    for h in hits
                    if h.group.startswith("object:")
                    and h.group not in ("object:pronoun", "object:held")  # "you hold": no noun
                    and not (_someone_elses(h, norm) or _company_name(h, tokens))
                ),
                key=lambda h: h.end,
            )
        near = tokens[pronoun.start].sentence - 1
        groups = {
            h.group for h in named if h.end < pronoun.start and tokens[h.start].sentence >= near
        }
        resolved += [GroupHit(group, pronoun.start, pronoun.end) for group in sorted(groups)]
    return resolved


def _passive_subject(end: int, acts: set[int] | int, tokens: tuple[Token, ...]) -> bool:
    """The words after `end` are a passive or intransitive action, perhaps after an auxiliary
    ("de raderas", "det ska tas bort", "them to be deleted", "them gone")."""
    k = end + 1
    while k < len(tokens) and k - end <= 3 and tokens[k].word in BEFORE_PASSIVE:
        k += 1
    if k >= len(tokens) or tokens[k].clause != tokens[end].clause:
        return False
    if (k not in acts) if isinstance(acts, set) else k != acts:
        return False
    word = tokens[k].word
    return word.endswith(("as", "s", "ed")) or word in INTRANSITIVE


def _topicalised(start: int, norm: Normalised) -> bool:
    """A pronoun opens its sentence before a verb and its subject, Swedish word order for an
    object put first: "Det går jag inte med på", "Dem kan ni radera"."""
    tokens = norm.tokens
    return (
        start + 2 < len(tokens)
        and tokens[start + 2].word in PERSONS
        and tokens[start + 2].sentence == tokens[start].sentence
        and opens_sentence(start, norm)
    )


def _item_object(obj: GroupHit, sentence: int, leads: dict[int, int], norm: Normalised) -> bool:
    """The object opens a list item under `sentence`'s lead: "Jag begär:\n- en kopia av …"
    (not "2. Har vi ett avtal …?", an item that asks a question of its own)."""
    tokens, text = norm.tokens, norm.text
    item = tokens[obj.start].sentence
    if leads.get(item) != sentence:
        return False
    k = end = obj.start
    while k > 0 and tokens[k - 1].sentence == item:
        k -= 1
    while end + 1 < len(tokens) and tokens[end + 1].sentence == item:
        end += 1
    asks = "?" in text[tokens[end].end : tokens[end].end + 3]
    return obj.start - k < ITEM_OPENS and not asks


def _verb_between(
    action: GroupHit,
    obj: GroupHit,
    verbs: list[tuple[int, int, str]],
    tokens: tuple[Token, ...],
    takes: frozenset[tuple[str, str]],
) -> bool:
    """Another verb that a rule joins to this object stands between the action and the
    object, and takes it: "Stop the newsletters, and while you're at it erase my account"
    (not "radera och spärra kontot")."""
    for start, end, group in verbs:
        if action.end < start and end < obj.start and (group, obj.group) in takes:
            between = {t.word for t in tokens[action.end + 1 : start]}
            if not between <= COORDINATION:
                return True
    return False


def _theirs(action: GroupHit, tokens: tuple[Token, ...]) -> bool:
    """What the verb acts on is a thing's: "export its contents" (not "ändra hennes namn": an
    employer may ask for a colleague's data to be corrected)."""
    after = action.end + 1
    return (
        after < len(tokens)
        and tokens[after].clause == tokens[action.end].clause
        and tokens[after].word in ITS
    )


def _someone_elses(
    obj: GroupHit, norm: Normalised, kin: bool = False, several: bool = True
) -> bool:
    """The object is another person's, or several people's: "his account", "hennes
    uppgifter", "Pelles gamla konto", "three users", "fem gamla användarkonton" (a person has
    one). Where the writer speaks for a relative (`kin`: "min make gick bort", "my mother asked
    me"), his or her data is what the writer asks about."""
    tokens = norm.tokens
    for k in range(obj.start - 1, max(-1, obj.start - 3), -1):
        if tokens[k].clause != tokens[obj.start].clause:
            return False
        word = tokens[k].word
        if word in THIRD_PERSON or k in norm.genitives:
            return not kin
        if not several:  # "two emails addressed to me" are not two people's
            continue
        if word in SEVERAL or (word.isdigit() and int(word) > 1):  # not "mina två konton"
            return k == 0 or tokens[k - 1].word not in MY
    return False


def _recipient(obj: GroupHit, tokens: tuple[Token, ...]) -> bool:
    """The writer named as who receives something ("till mig", "to me"), not as what is
    acted on."""
    return (
        obj.group == "object:me"
        and obj.start > 0
        and tokens[obj.start - 1].word in TO
        and tokens[obj.start - 1].clause == tokens[obj.start].clause
    )


def _relative_between(after: int, before: int, tokens: tuple[Token, ...]) -> bool:
    """A relative clause with its own subject opens between two words: "som jag", "that I",
    "which you"."""
    return any(
        tokens[k].word in RELATIVE and tokens[k + 1].word in RELATIVE_SUBJECTS
        for k in range(after + 1, before - 1)
    )


def _company_name(obj: GroupHit, tokens: tuple[Token, ...]) -> bool:
    """The object (or action) is part of a firm's name: "Lindbergs El & Data AB flyttar",
    "Valdés Import AB"."""
    return obj.end + 1 < len(tokens) and tokens[obj.end + 1].word in COMPANY_FORMS


def _holds_object(action: GroupHit, hits: list[GroupHit]) -> bool:
    """A gapped action with an object in its gap, whose first word is an action of its own,
    is that shorter action: "skicka mig ett registerutdrag över alla uppgifter" sends an
    extract, it transfers nothing (a separable verb stays whole: "keine Werbe-E-Mails mehr",
    "trækker mit samtykke tilbage")."""
    return any(
        h.group.startswith("object:") and action.start < h.start and h.end < action.end
        for h in hits
    ) and any(
        h.start == action.start and h.end < action.end and h.group != action.group
        for h in hits
        if h.group.startswith("action:")
    )


def _describes(action: GroupHit, tokens: tuple[Token, ...]) -> bool:
    """A participle before a noun describes, it does not ask: "a deleted folder", "raderade
    filer" (one-word actions only; "I want it deleted" has its object before)."""
    if action.start != action.end or action.end + 1 >= len(tokens):
        return False
    word, after = tokens[action.start].word, tokens[action.end + 1]
    return (
        after.clause == tokens[action.end].clause
        and word.endswith(("ed", "ade", "ad"))
        and after.word not in DETERMINERS  # "showed me someone else's", "visade en annan kunds"
    )


def _unable(action: GroupHit, tokens: tuple[Token, ...]) -> bool:
    """A refusal after "can": "I can't receive emails" is not being able to, not refusing."""
    k = action.start - 1
    return action.negative and k >= 0 and tokens[k].word in ABLE


def _continues(action: GroupHit, tokens: tuple[Token, ...]) -> bool:
    """ "keep" before an -ing verb goes on, it does not retain: "I don't want you to keep
    using my data" objects to a use, it does not ask for an erasure."""
    after = action.end + 1
    return (
        tokens[action.end].word in ("keep", "keeps")
        and after < len(tokens)
        and tokens[after].word.endswith("ing")
    )


def _enumerates(action: GroupHit, obj: GroupHit, norm: Normalised) -> bool:
    """The words between the action and its object are a list: "export my devices, licences
    and ticket history to a spreadsheet"."""
    between = norm.text[norm.tokens[action.end].end : norm.tokens[obj.start].start]
    return _ENUMERATION.match(between) is not None


def said_not_asked(at: int, norm: Normalised) -> bool:
    """The verb at `at` states or asks what we do or did: "Raderar ni mina uppgifter när jag
    säger upp mig?", "ni raderade mitt konto av misstag", "you have removed my address"."""
    tokens = norm.tokens
    token = tokens[at]
    if at + 1 < len(tokens) and tokens[at + 1].word in YOU_AFTER and opens_sentence(at, norm):
        last = at + 1  # a verb before its subject: a yes/no question if the sentence asks
        while last + 1 < len(tokens) and tokens[last + 1].sentence == token.sentence:
            last += 1
        return "?" in norm.text[tokens[last].end : tokens[last].end + 3]
    return told_past(at, norm)


def told_past(at: int, norm: Normalised) -> bool:
    """The verb at `at` tells what someone did: "ni raderade", "you have removed"."""
    return _told_by(at, norm, SUBJECTS)


def writer_did(at: int, norm: Normalised) -> bool:
    """The verb at `at` tells what the writer did: "I have deleted it on my side", "jag
    ändrade adressen själv i portalen" (told, not asked of us)."""
    return _told_by(at, norm, WRITER)


def _told_by(at: int, norm: Normalised, subjects: frozenset[str]) -> bool:
    """The past verb at `at` has one of `subjects` just before it: "ni raderade", "ni har
    raderat", "har ni raderat"."""
    tokens = norm.tokens
    token = tokens[at]
    if not (token.word.endswith(_PAST) or token.word in _PAST_WORDS):
        return False
    before = [t.word for t in tokens[max(0, at - 3) : at] if t.sentence == token.sentence]
    if before[-1:] and before[-1] in subjects:
        # "om ni raderade …", "if you deleted …": a wish or a condition, not what was done
        return not (len(before) >= 2 and before[-2] in CONDITIONAL)
    return (
        len(before) >= 2
        and {before[-1], before[-2]} & AUXILIARIES != set()
        and ({before[-1], before[-2]} & subjects != set())
    )


def done_state(at: int, norm: Normalised) -> bool:
    """The participle at `at` tells a state, what was done: "mitt konto är raderat", "my data
    was deleted" (unless a request cue asks for that state: "make sure my data is deleted")."""
    tokens = norm.tokens
    word = tokens[at].word
    if not (word.endswith(_PAST) or word in _PAST_WORDS) or at == 0:
        return False
    return tokens[at - 1].word in STATE and tokens[at - 1].sentence == tokens[at].sentence


def _same_clause(action: GroupHit, obj: GroupHit, norm: Normalised) -> bool:
    """The object stands in the action's clause, in the question that completes it
    ("Haluan tietää, mitä tietoja …", "ich möchte wissen, welche Daten …") or after a list."""
    tokens = norm.tokens
    clause = tokens[action.end].clause
    if tokens[obj.start].clause == clause or _enumerates(action, obj, norm):
        return True
    first = next(k for k in range(action.end + 1, obj.start + 1) if tokens[k].clause != clause)
    return tokens[first].clause == tokens[obj.start].clause == clause + 1 and (
        tokens[first].word in WH_WORDS
    )


def opens_sentence(start: int, norm: Normalised) -> bool:
    """Token `start` opens its sentence, perhaps after a greeting or "please"."""
    tokens = norm.tokens
    k = start - 1
    while k >= 0 and tokens[k].sentence == tokens[start].sentence:
        if tokens[k].word not in OPENERS:
            return False
        k -= 1
    return True


# a dash between a topic and a command ("the data you hold on me – delete it"), or a colon
# after a lead-in ("En sak till: sluta skicka reklam"; a form's "Namn: Aleksandra" names no
# action)
_COMMAND_BREAK: Final = re.compile(r"\s[-–]\s|:\s")


def opens_command(start: int, norm: Normalised) -> bool:
    """Token `start` can open a command: it opens its sentence, or the clause after a dash
    ("whatever you have collected on me – delete it")."""
    if opens_sentence(start, norm):
        return True
    tokens = norm.tokens
    if start > 1 and tokens[start - 1].word in _BUT_SO:  # "…, men slutt å spore meg"
        return "," in norm.text[tokens[start - 2].end : tokens[start - 1].start]
    sentence = tokens[start].sentence
    lead = start - next(
        k for k in range(start, -1, -1) if k == 0 or tokens[k - 1].sentence != sentence
    )
    if 0 < lead <= LEAD_IN and "," in norm.text[tokens[start - 1].end : tokens[start].start]:
        return True  # "Avant cela, envoyez-moi …", "Efter det, radera allt": a short lead-in
    return (
        start > 0
        and tokens[start - 1].sentence == tokens[start].sentence
        and _COMMAND_BREAK.search(norm.text, tokens[start - 1].end, tokens[start].start) is not None
    )


def _joined_command(start: int, verbs: list[tuple[int, int, str]], norm: Normalised) -> bool:
    """Token `start` follows "och"/"and" in a clause a command opened: a second command
    ("sluta skicka sms och ta bort numret", "stop the calls and delete my number")."""
    tokens = norm.tokens
    if start < 2 or tokens[start - 1].word not in COORDINATION:
        return False
    clause = tokens[start].clause
    # after a comma the "och" opens a clause of its own: "skicka filen, och ta bort resten"
    joins = clause - 1 if tokens[start - 1].clause == clause != tokens[start - 2].clause else clause
    sentence = tokens[start].sentence
    return any(
        first < start - 1
        and joins <= tokens[first].clause <= clause
        and tokens[first].sentence == sentence
        and opens_command(first, norm)
        for first, _, _ in verbs
    )


_TAKES: Final[dict[int, tuple[list[Rule], frozenset[tuple[str, str]]]]] = {}


def _takes(rules: list[Rule]) -> frozenset[tuple[str, str]]:
    """The (action group, object group) pairs some rule joins, made once per rule list."""
    cached = _TAKES.get(id(rules))
    if cached is None or cached[0] is not rules:
        pairs = frozenset(
            ("action:" + a, "object:" + o)
            for rule in rules
            for a in rule.actions
            for o in rule.objects
        )
        cached = _TAKES[id(rules)] = (rules, pairs)
    return cached[1]


def group_key(kind: str, name: str) -> str:
    """The finder's key of a group a rule names: "until" is `[context.until]` where a context
    is meant; a dotted name ("object.recording") names its kind itself."""
    return name.replace(".", ":", 1) if "." in name else f"{kind}:{name}"


@functools.cache
def _keys(rule: Rule) -> tuple[tuple[str, ...], ...]:
    """The group names a rule looks up, as the phrase finder names them."""
    return (
        tuple("action:" + a for a in rule.actions),
        tuple("object:" + o for o in rule.objects),
        tuple(group_key("context", c) for c in rule.needs),
        tuple(group_key("context", c) for c in rule.unless),
    )


_Keys = tuple[tuple[str, ...], ...]
_INDEX: Final[dict[int, tuple[list[Rule], dict[str, tuple[int, ...]], list[_Keys]]]] = {}


def _index(rules: list[Rule]) -> tuple[dict[str, tuple[int, ...]], list[_Keys]]:
    """For each action group name, the positions of the rules that use it, and each rule's
    `_keys` by position (made once per loaded rule list: a rule hashes all its fields)."""
    cached = _INDEX.get(id(rules))
    if cached is None or cached[0] is not rules or len(cached[2]) != len(rules):
        index: dict[str, list[int]] = {}
        for n, rule in enumerate(rules):
            for key in _keys(rule)[0]:
                index.setdefault(key, []).append(n)
        keys = [_keys(rule) for rule in rules]
        cached = _INDEX[id(rules)] = (rules, {k: tuple(v) for k, v in index.items()}, keys)
    return cached[1], cached[2]


def _by_action(rules: list[Rule]) -> dict[str, tuple[int, ...]]:
    """For each action group name, the positions of the rules that use it."""
    return _index(rules)[0]


_NO_SENTENCES: Final[frozenset[int]] = frozenset()


def _sentences(
    keys: tuple[str, ...], by_group: dict[str, list[GroupHit]], tokens: tuple[Token, ...]
) -> set[int]:
    """The sentences the groups `keys` are found in (context a rule needs or is undone by)."""
    return {tokens[h.start].sentence for key in keys for h in by_group.get(key, ())}


def _may_pair(
    positions: list[int], all_keys: list[_Keys], by_group: dict[str, list[GroupHit]]
) -> bool:
    """Some rule whose action is in the text (at `positions`) has an object there too, or a
    pronoun may stand for one: else no rule can pair, and nothing more need be read."""
    if not positions:
        return False
    if "object:pronoun" in by_group:
        return True
    present = by_group.keys()
    return not all(present.isdisjoint(all_keys[n][1]) for n in positions)


def pair(
    rules: list[Rule], hits: list[GroupHit], norm: Normalised, wanted: set[str] | None = None
) -> list[RuleHit]:
    """Every rule whose action and object stand close together in one sentence."""
    tokens = norm.tokens
    by_group: dict[str, list[GroupHit]] = {}
    # the same words are one action: "get rid of" is no "get"
    longer = [h for h in hits if h.end > h.start and h.group.startswith("action:")]
    # and one object: "my email address" is data, not the "email" of marketing
    # (the privacy topic a question names is no object: "données personnelles" are données)
    named = [
        h
        for h in hits
        if h.end > h.start and h.group.startswith("object:") and h.group != "object:privacy"
    ]
    for hit in hits:
        if longer and hit.group.startswith("action:") and _inside(hit, longer):
            continue
        if named and hit.group.startswith("object:") and _within(hit, named):
            continue
        by_group.setdefault(hit.group, []).append(hit)
    index, all_keys = _index(rules)
    positions = sorted({n for key in by_group if key in index for n in index[key]})
    if not _may_pair(positions, all_keys, by_group):
        return []
    pronouns = _antecedents(by_group.pop("object:pronoun", []), hits, norm)
    for hit in pronouns:
        by_group.setdefault(hit.group, []).append(hit)
    said = {(h.start, h.end) for h in pronouns}
    # "slipp utskicken medan ni hanterar det": a pronoun after "while" is that clause's
    conditions = [
        h.start for key in ("context:while", "context:until") for h in by_group.get(key, ())
    ]
    cues = by_group.get("mood:request", [])
    verbs = sorted(
        (h.start, h.end, key)
        for key, hits in by_group.items()
        if key.startswith("action:")
        for h in hits
    )
    leads = list_leads(norm)
    found: list[RuleHit] = []
    others: dict[GroupHit, bool] = {}  # per object: someone else's, or a company's name
    kin = "context:kin" in by_group  # the writer speaks for a relative
    present = by_group.keys()
    for n in positions:  # only rules whose action is in the text
        rule = rules[n]
        if wanted is not None and rule.intent not in wanted:
            continue
        action_keys, object_keys, needs_keys, unless_keys = all_keys[n]
        if present.isdisjoint(object_keys):  # none of its objects is in the text
            continue
        actions = [h for key in action_keys for h in by_group.get(key, ())]
        if not actions:
            continue
        objects = [h for key in object_keys for h in by_group.get(key, ())]
        if not objects:
            continue
        needs = _sentences(needs_keys, by_group, tokens) if needs_keys else _NO_SENTENCES
        unless = _sentences(unless_keys, by_group, tokens) if unless_keys else _NO_SENTENCES
        for action in actions:
            sentence = tokens[action.start].sentence
            if (rule.needs and sentence not in needs) or sentence in unless:
                continue
            if _unable(action, tokens) or _continues(action, tokens) or _theirs(action, tokens):
                continue
            if _company_name(action, tokens) or (action.gapped and _holds_object(action, hits)):
                continue
            describes = _describes(action, tokens)
            for obj in objects:
                other = others.get(obj)
                if other is None:
                    other = others[obj] = _someone_elses(obj, norm, kin) or _company_name(
                        obj, tokens
                    )
                if rule.someone_elses:
                    if not _someone_elses(obj, norm, kin, several=False):
                        continue
                elif other:
                    continue
                if obj.group in MAILINGS and obj.start > 0 and tokens[obj.start - 1].word in OURS:
                    continue  # "ta bort Kalle från vår distributionslista": the firm's own list
                if kin and obj.group == "object:others" and tokens[obj.start].word in _THEIR:
                    continue  # "min far … ta bort hans uppgifter": the relative's, asked for
                if describes and obj.start > action.end:
                    continue
                if obj.start < action.start and _recipient(obj, tokens):
                    continue  # "flytta inkorgen till mig innan kontot tas bort"
                if obj.start > action.end and _relative_between(action.end, obj.start, tokens):
                    continue  # "… er kundpanel som jag anmälde mig till": the panel's clause
                if (
                    (obj.start, obj.end) in said
                    and not (
                        (rule.mood or rule.needs or action.negative)
                        and obj.end < action.start
                        and (
                            _passive_subject(obj.end, action.start, tokens)
                            or (action.start - obj.end <= 4 and _topicalised(obj.start, norm))
                            # a clitic stands right before its verb: "que los borréis",
                            # "veuillez les supprimer"
                            or (action.start == obj.end + 1 and tokens[obj.start].word in CLITICS)
                        )
                    )
                    and not (
                        (rule.mood or rule.needs)
                        and obj.start > action.start  # "släng dem", "använd dem inte"
                        # right after its verb ("radera även dem"), not another's ("slipper
                        # betala för den"); after "vill inte att" a clause follows ("… ska ingå i den")
                        and (
                            obj.start - action.end <= PRONOUN_AFTER
                            or action.group == "action:not_want_that"
                        )
                        and not any(action.end < c < obj.start for c in conditions)
                    )
                ):
                    continue  # a pronoun is the object of a request: "släng dem" (not "det var fel")
                # "I would like:\n1. a copy of my data": the lead asks for each item
                item = _item_object(obj, sentence, leads, norm)
                if item or (not rule.near and obj.end < action.start):
                    pass  # "Jag gav lov till det. Nu har jag ångrat mig."
                elif tokens[obj.start].sentence != sentence:
                    continue
                if rule.someone_elses:
                    if tokens[obj.start].sentence != sentence:
                        continue
                elif obj.start > action.end:
                    far = obj.start - action.end > AFTER
                    if not item and (
                        (far and not _enumerates(action, obj, norm))
                        or obj.start - action.end > LIST_AFTER
                        or not _same_clause(action, obj, norm)
                        or _verb_between(action, obj, verbs, tokens, _takes(rules))
                    ):
                        continue
                elif obj.end < action.start:  # "mina uppgifter ska raderas"
                    # an object among the first words of the sentence may stand further
                    # off: "Mitt gamla mobilnummer vill jag dessutom att ni stryker"
                    topic = obj.start < 3 or tokens[obj.start - 3].sentence != sentence
                    reach = AFTER if topic else BEFORE
                    if rule.near and (
                        action.start - obj.end > reach
                        or tokens[obj.start].clause != tokens[action.start].clause
                    ):
                        continue
                elif not action.start < obj.start <= obj.end < action.end:
                    continue  # the same words cannot be both action and object
                # else the object stands inside the action's words: "keine Angebote mehr"
                last = max(action.end, obj.end) + CUE_AFTER
                lead = leads.get(tokens[obj.start].sentence, -1)
                cue = (
                    next(
                        (
                            c
                            for c in cues
                            if (tokens[c.start].sentence == sentence and c.start <= last)
                            or tokens[c.start].sentence == lead
                        ),
                        None,
                    )
                    if cues  # (no request cue in the text: no search)
                    else None
                )
                found.append(
                    RuleHit(
                        rule,
                        action,
                        obj,
                        cue,
                        opens_command(action.start, norm)
                        or _joined_command(action.start, verbs, norm),
                        _negated(action, obj, norm)
                        or (
                            (obj.start, obj.end) in said
                            and not action.negative  # "använd dem inte" holds its negation
                            and _negated_after(obj, norm)
                        ),
                    )
                )
    return found
