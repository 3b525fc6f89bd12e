"""Full-text search over cases, in each database's own engine.

One search document per case: the reference, the requester's name and address (weighted up)
and the subjects and texts of its messages. SQLite keeps it in an FTS5 table ranked by bm25;
PostgreSQL in a `tsvector` column with a GIN index, ranked by `ts_rank`, built with the
`swedish` and `english` text-search configurations. The newest `RANKED` matches are ranked (a
word found in half the mailbox then costs what a rare one does), and at most `COUNTED` counted.

Inflected Swedish is found through its stem ("raderingen" finds "radera"): every word is
indexed with its Snowball stems in Swedish and English, and a Swedish noun in -ing also with
the verb stem it comes from (radering -> rader, as in radera). FTS5 has no Swedish stemmer of
its own, so SQLite is given these tokens; PostgreSQL gets them beside its own `swedish` and
`english` vectors of the text. A personnummer is indexed as one token of its ten digits, so
any written form finds it, and result snippets show it masked (`pnr.mask`).

The index catches up when someone searches (`catch_up`): new messages and cases, and cases
updated or purged by retention since the last search, are indexed then, so mail intake and
every other write never wait for it. `rebuild()` indexes everything afresh.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from privbot import pnr
from privbot.models import Case, Message
from privbot.text import stemmer

TABLE = "case_search"
MAX_TERMS = 12
RANKED = 2000  # matches ranked per search: the newest this many (a page shows 20)
COUNTED = 1000  # matches counted; beyond, "more than 1000"
SNIPPET_WORDS = 28
_WORD = re.compile(r"[^\W_]+")
PNR_PREFIX = "pnr"
ADDRESS_PREFIX = "addr"
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


# --- tokens -----------------------------------------------------------------------------------


@lru_cache(maxsize=200_000)
def forms(word: str) -> frozenset[str]:
    """The forms a word is indexed and searched under: itself (lower case) and its stems."""
    w = word.lower()
    if not w.isalpha():
        return frozenset((w,))
    sv = stemmer("swedish").stemWord(w)
    out = {w, sv, stemmer("english").stemWord(w)}
    if sv.endswith("ing") and len(sv) > 6:  # radering -> rader (radera), behandling -> behandl
        out.add(sv[:-3])
    return frozenset(out)


def _words(value: str) -> list[str]:
    return _WORD.findall(value)


def pnr_tokens(value: str) -> set[str]:
    return {PNR_PREFIX + digits for digits in pnr.normalise(value)}


def address_token(address: str) -> str:
    """One token for a whole e-mail address (its words alone would match other people's)."""
    return ADDRESS_PREFIX + hashlib.blake2b(address.lower().encode(), digest_size=8).hexdigest()


def tokens(value: str) -> list[str]:
    """The indexed tokens of `value`: every form of every word, and its personnummer."""
    out: list[str] = []
    for word in _words(value):
        out.extend(sorted(forms(word)))
    out.extend(sorted(pnr_tokens(value)))
    out.extend(sorted({address_token(m.group(0)) for m in ADDRESS.finditer(value)}))
    return out


@dataclass(frozen=True)
class Query:
    """What was asked: alternatives per term (all terms must match) and the personnummer."""

    terms: tuple[frozenset[str], ...]
    words: tuple[str, ...]  # the terms as typed, for PostgreSQL's own parsing

    @property
    def empty(self) -> bool:
        return not self.terms


def _special(value: str) -> list[tuple[int, int, str]]:
    """Personnummer and e-mail addresses in `value`: (start, end, token), in order."""
    spans = [(f.start, f.end, PNR_PREFIX + f.digits) for f in pnr.find(value)]
    spans += [(m.start(), m.end(), address_token(m.group(0))) for m in ADDRESS.finditer(value)]
    spans.sort()
    kept: list[tuple[int, int, str]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def parse(q: str) -> Query:
    found = _special(q)
    rest, last = [], 0
    for start, end, _token in found:
        rest.append(q[last:start])
        last = end
    rest.append(q[last:])
    specials = [frozenset((token,)) for _s, _e, token in found][:MAX_TERMS]
    words = [w[:60] for w in _words(" ".join(rest))][: MAX_TERMS - len(specials)]
    return Query(tuple(specials + [forms(w) for w in words]), tuple(words))


# --- the document -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    head: str  # reference, name, address
    body: str  # subjects and texts

    @classmethod
    def of(cls, case: Any, messages: Iterable[Any]) -> Document:
        email = case.requester_email or ""
        head = " ".join(
            (case.reference, case.requester_name or "", email, email.replace("@", " @ "))
        )
        body = "\n".join("%s\n%s" % (m.subject or "", m.text or "") for m in messages)
        return cls(head, body)


def _fts_match(query: Query) -> str:
    """An FTS5 MATCH expression: every term, any of its forms (each quoted as a string)."""
    return " AND ".join(
        "(%s)" % " OR ".join('"%s"' % f.replace('"', '""') for f in sorted(term))
        for term in query.terms
    )


def _write(conn: Connection, rows: Sequence[tuple[int, Document]]) -> None:
    if not rows:
        return
    ids = [{"id": case_id} for case_id, _ in rows]
    if conn.dialect.name == "sqlite":
        conn.execute(text("DELETE FROM %s WHERE rowid = :id" % TABLE), ids)
        conn.execute(
            text("INSERT INTO %s (rowid, head, body) VALUES (:id, :head, :body)" % TABLE),
            [
                {"id": i, "head": " ".join(tokens(d.head)), "body": " ".join(tokens(d.body))}
                for i, d in rows
            ],
        )
        return
    conn.execute(text("DELETE FROM %s WHERE case_id = :id" % TABLE), ids)
    conn.execute(
        text(
            "INSERT INTO %s (case_id, document) VALUES (:id, "
            "setweight(to_tsvector('simple', :head), 'A') || "
            "setweight(to_tsvector('swedish', :body), 'D') || "
            "setweight(to_tsvector('english', :body), 'D') || "
            "setweight(to_tsvector('simple', :head_forms), 'A') || "
            "setweight(to_tsvector('simple', :body_forms), 'D'))" % TABLE
        ),
        [
            {
                "id": i,
                "head": d.head,
                "body": d.body,
                "head_forms": " ".join(tokens(d.head)),
                "body_forms": " ".join(tokens(d.body)),
            }
            for i, d in rows
        ],
    )


_CASES = text(
    'SELECT id, reference, requester_name, requester_email FROM "case" WHERE id IN :ids'
).bindparams(bindparam("ids", expanding=True))
_MESSAGES = text(
    "SELECT case_id, subject, text FROM message WHERE case_id IN :ids ORDER BY id"
).bindparams(bindparam("ids", expanding=True))
_NEXT_IDS = text('SELECT id FROM "case" WHERE id > :start ORDER BY id LIMIT :n')


def reindex(conn: Connection, case_ids: Iterable[int] | None = None, batch: int = 2000) -> int:
    """Rewrite the search documents of these cases (all when None); returns how many."""
    ids = sorted(set(case_ids)) if case_ids is not None else None
    done = 0
    start = 0
    while True:
        if ids is None:
            chunk = list(conn.execute(_NEXT_IDS, {"start": start, "n": batch}).scalars())
        else:
            chunk = ids[done : done + batch]
        if not chunk:
            return done
        cases = {c.id: c for c in conn.execute(_CASES, {"ids": chunk})}
        texts: dict[int, list[Any]] = {}
        for m in conn.execute(_MESSAGES, {"ids": chunk}):
            texts.setdefault(m.case_id, []).append(m)
        _write(conn, [(i, Document.of(cases[i], texts.get(i, []))) for i in chunk if i in cases])
        done += len(chunk)
        start = chunk[-1]


# --- keeping it current -----------------------------------------------------------------------

STATE = TABLE + "_state"  # how far the index has caught up: last message, last case, a time
OVERLAP = timedelta(minutes=1)  # changes are looked for again this far back (late commits)


def _marks(conn: Connection) -> tuple[int, int, datetime]:
    row = conn.execute(
        text("SELECT message_id, case_id, changed_at FROM %s WHERE id = 1" % STATE)
    ).first()
    if row is None:
        return 0, 0, datetime(1970, 1, 1, tzinfo=UTC)
    changed = row[2]
    if isinstance(changed, str):
        changed = datetime.fromisoformat(changed)
    if changed.tzinfo is None:
        changed = changed.replace(tzinfo=UTC)
    return int(row[0]), int(row[1]), changed


def _save_marks(conn: Connection, message_id: int, case_id: int, changed_at: datetime) -> None:
    conn.execute(text("DELETE FROM %s" % STATE))
    conn.execute(
        text("INSERT INTO %s (id, message_id, case_id, changed_at) VALUES (1, :m, :c, :t)" % STATE),
        {"m": message_id, "c": case_id, "t": changed_at.isoformat()},
    )


def _maxima(conn: Connection) -> tuple[int, int]:
    m = conn.execute(text("SELECT coalesce(max(id), 0) FROM message")).scalar_one()
    c = conn.execute(text('SELECT coalesce(max(id), 0) FROM "case"')).scalar_one()
    return int(m), int(c)


def catch_up(conn: Connection) -> int:
    """Index what changed since the last search: new messages and cases, cases updated or
    purged (retention) since; returns how many documents were rewritten.

    Searching calls this first, so mail intake never waits for the index."""
    message_mark, case_mark, changed_mark = _marks(conn)
    now = datetime.now(UTC)
    max_message, max_case = _maxima(conn)
    since = (changed_mark - OVERLAP).isoformat()
    if conn.dialect.name == "sqlite":  # timestamps are stored as text there
        since = (changed_mark - OVERLAP).strftime("%Y-%m-%d %H:%M:%S")
    ids = set(
        conn.execute(
            text("SELECT DISTINCT case_id FROM message WHERE id > :m AND id <= :m2"),
            {"m": message_mark, "m2": max_message},
        ).scalars()
    )
    ids |= set(
        conn.execute(
            text(
                'SELECT id FROM "case" WHERE (id > :c AND id <= :c2) OR updated_at > :t '
                "OR purged_at > :t"
            ),
            {"c": case_mark, "c2": max_case, "t": since},
        ).scalars()
    )
    if not ids and (max_message, max_case) == (message_mark, case_mark):
        return 0  # nothing to write: a search need not wait for the write lock or a commit
    done = reindex(conn, ids) if ids else 0
    _save_marks(conn, max_message, max_case, now)
    return done


def rebuild(conn: Connection) -> int:
    """Index every case afresh (a new search table, rows written without the app)."""
    max_message, max_case = _maxima(conn)
    now = datetime.now(UTC)
    done = reindex(conn)
    _save_marks(conn, max_message, max_case, now)
    return done


# --- schema -----------------------------------------------------------------------------------


# How many documents a word is in, for the planner: the default sample keeps only the most
# common words, and guesses 2% for any other (a place name in 0.2% of the mail then looks
# common enough to look for by walking the newest documents, through all million of them).
STATISTICS = "ALTER TABLE %s ALTER COLUMN document SET STATISTICS 1000" % TABLE


def create_schema(conn: Connection) -> None:
    """The search table of this database (the migration calls it; so does a fresh database)."""
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS %s USING fts5(head, body, "
                "tokenize = 'unicode61 remove_diacritics 0', detail = 'column')" % TABLE
            )
        )
        conn.execute(
            text(
                "CREATE TABLE IF NOT EXISTS %s (id INTEGER PRIMARY KEY, message_id INTEGER NOT "
                "NULL, case_id INTEGER NOT NULL, changed_at VARCHAR(40) NOT NULL)" % STATE
            )
        )
        return
    conn.execute(
        text(
            'CREATE TABLE IF NOT EXISTS %s (case_id INTEGER PRIMARY KEY REFERENCES "case" (id) '
            "ON DELETE CASCADE, document TSVECTOR NOT NULL)" % TABLE
        )
    )
    conn.execute(
        text(
            "CREATE INDEX IF NOT EXISTS ix_%s_document ON %s USING gin (document)" % (TABLE, TABLE)
        )
    )
    conn.execute(text(STATISTICS))
    conn.execute(
        text(
            "CREATE TABLE IF NOT EXISTS %s (id INTEGER PRIMARY KEY, message_id BIGINT NOT NULL, "
            "case_id BIGINT NOT NULL, changed_at VARCHAR(40) NOT NULL)" % STATE
        )
    )


def is_search_table(name: str | None) -> bool:
    """For schema comparisons: the search table (and FTS5's shadow tables) are not models."""
    return bool(name) and (name == TABLE or str(name).startswith(TABLE + "_"))


# --- searching --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    reference: str
    reference_marked: str
    requester: str  # masked, with \x01...\x02 around matching words
    snippet: str  # masked, with \x01...\x02 around matching words
    status: str
    outcome: str
    intents: list[str]
    received: date
    closed: bool


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int  # capped at `limit_count`
    capped: bool
    number: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _in_mailboxes(column: str, keys: Sequence[str] | None) -> tuple[str, dict[str, str]]:
    """An SQL condition keeping the cases of those mailboxes (none: every case)."""
    if keys is None:
        return "", {}
    names = {"mb%d" % n: key for n, key in enumerate(keys)}
    inside = ", ".join(":" + name for name in names)
    return ' AND %s IN (SELECT id FROM "case" WHERE mailbox IN (%s))' % (column, inside), names


def _ranked_ids(
    conn: Connection,
    query: Query,
    limit: int,
    offset: int,
    count_cap: int,
    mailboxes: Sequence[str] | None = None,
) -> tuple[list[int], int]:
    if mailboxes is not None and not mailboxes:
        return [], 0
    if conn.dialect.name == "sqlite":
        only, names = _in_mailboxes("rowid", mailboxes)
        match = _fts_match(query)
        # Ranked among the newest RANKED matches: FTS5 walks matches in rowid order without
        # scoring them, so a word in every other mail costs no more than a rare one.
        ids = list(
            conn.execute(
                text(
                    "SELECT id FROM (SELECT rowid AS id, bm25(%s, 10.0, 1.0) AS score FROM %s "
                    "WHERE %s MATCH :m%s ORDER BY rowid DESC LIMIT :ranked) "
                    "ORDER BY score, id DESC LIMIT :n OFFSET :o" % (TABLE, TABLE, TABLE, only)
                ),
                {"m": match, "n": limit, "o": offset, "ranked": RANKED, **names},
            ).scalars()
        )
        total = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT 1 FROM %s WHERE %s MATCH :m%s LIMIT :cap)"
                % (TABLE, TABLE, only)
            ),
            {"m": match, "cap": count_cap, **names},
        ).scalar_one()
        return ids, int(total)
    # PostgreSQL: each term as PostgreSQL's swedish and english configurations read it, or as
    # one of our own forms (simple); all terms must match.
    parts, params = [], {}
    for n, term in enumerate(query.terms):
        alternatives = ["plainto_tsquery('simple', :f%d_%d)" % (n, k) for k in range(len(term))]
        for k, form in enumerate(sorted(term)):
            params["f%d_%d" % (n, k)] = form
        if n >= len(query.terms) - len(query.words):
            word = query.words[n - (len(query.terms) - len(query.words))]
            params["w%d" % n] = word
            alternatives += [
                "plainto_tsquery('swedish', :w%d)" % n,
                "plainto_tsquery('english', :w%d)" % n,
            ]
        parts.append("(%s)" % " || ".join(alternatives))
    # The query written out where it is used, not joined in from a subquery: with its words
    # known, the planner estimates from the column's statistics how many documents match, and
    # for a common word walks the newest documents backwards until it has RANKED of them
    # rather than collecting every match from the GIN index to keep the newest.
    tsquery = "(%s)" % " && ".join(parts)
    only, names = _in_mailboxes("case_id", mailboxes)
    params.update(names)
    ids = list(
        conn.execute(
            text(
                "SELECT case_id FROM (SELECT case_id, document FROM %s WHERE document @@ %s%s "
                "ORDER BY case_id DESC LIMIT :ranked) AS newest "
                "ORDER BY ts_rank(document, %s) DESC, case_id DESC LIMIT :n OFFSET :o"
                % (TABLE, tsquery, only, tsquery)
            ),
            {**params, "n": limit, "o": offset, "ranked": RANKED},
        ).scalars()
    )
    total = conn.execute(
        text(
            "SELECT count(*) FROM (SELECT 1 FROM %s WHERE document @@ %s%s LIMIT :cap) AS found"
            % (TABLE, tsquery, only)
        ),
        {**params, "cap": count_cap},
    ).scalar_one()
    return ids, int(total)


def _marked(value: str, query: Query) -> tuple[str, bool]:
    """`value` masked, with the words matching the query between \\x01 and \\x02."""
    wanted = set().union(*query.terms) if query.terms else set()
    out, last, hit = [], 0, False
    for start, end, token in _special(value):
        out.append(_mark_words(value[last:start], wanted))
        shown = value[start:end]
        if token.startswith(PNR_PREFIX):  # a personnummer is only ever shown masked
            shown = pnr.mask(shown)
        else:
            shown = _mark_words(pnr.mask(shown), wanted)
        mine = token in wanted
        out.append("\x01%s\x02" % shown if mine else shown)
        hit = hit or mine
        last = end
    out.append(_mark_words(value[last:], wanted))
    marked = "".join(out)
    return marked, hit or "\x01" in marked


def _mark_words(value: str, wanted: set[str]) -> str:
    return _WORD.sub(
        lambda m: "\x01%s\x02" % m.group(0) if forms(m.group(0)) & wanted else m.group(0), value
    )


def snippet(body: str, query: Query, words: int = SNIPPET_WORDS) -> str:
    """Some words of `body` around its first match, masked and marked."""
    marked, _ = _marked(" ".join(body.split()), query)
    pieces = marked.split(" ")
    first = next((i for i, p in enumerate(pieces) if "\x01" in p), 0)
    start = max(0, first - words // 3)
    shown = " ".join(pieces[start : start + words])
    return ("… " if start else "") + shown + (" …" if start + words < len(pieces) else "")


def search(
    session: Session,
    q: str,
    number: int = 1,
    per_page: int = 20,
    mailboxes: Sequence[str] | None = None,
) -> Results:
    """Cases matching every word of `q`, best first; `number` is the page. `mailboxes` limits
    the search to those mailboxes' cases (None: all)."""
    query = parse(q)
    if query.empty:
        return Results([], 0, False, 1, per_page)
    cap = COUNTED
    bind = session.get_bind()
    if isinstance(bind, Engine):  # its own transaction, committed before the search
        with bind.begin() as own:
            catch_up(own)
    else:
        catch_up(session.connection())
    conn = session.connection()
    ids, total = _ranked_ids(conn, query, per_page, (number - 1) * per_page, cap, mailboxes)
    cases = {c.id: c for c in session.exec(select(Case).where(col(Case.id).in_(ids)))}
    texts: dict[int, list[Message]] = {}
    for m in session.exec(
        select(Message).where(col(Message.case_id).in_(ids)).order_by(col(Message.id))
    ):
        texts.setdefault(m.case_id, []).append(m)
    hits = []
    for case_id in ids:
        case = cases.get(case_id)
        if case is None:
            continue
        name = case.requester_name or ""
        label = "%s <%s>" % (name, case.requester_email) if name else case.requester_email
        requester, _ = _marked(label or "—", query)
        bodies = texts.get(case_id, [])
        body = next(
            (
                "%s — %s" % (m.subject, m.text)
                for m in bodies
                if _marked("%s %s" % (m.subject, m.text), query)[1]
            ),
            "%s — %s" % (bodies[0].subject, bodies[0].text) if bodies else "",
        )
        hits.append(
            Hit(
                reference=case.reference,
                reference_marked=_marked(case.reference, query)[0],
                requester=requester,
                snippet=snippet(body, query),
                status=case.status.value,
                outcome=case.outcome.value if case.outcome else "",
                intents=list(case.intents),
                received=case.received_at.date()
                if isinstance(case.received_at, datetime)
                else case.received_at,
                closed=case.closed_at is not None,
            )
        )
    return Results(hits, total, total >= cap, number, per_page)
